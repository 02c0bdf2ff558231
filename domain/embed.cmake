# Turns a file into a C++ source that holds its bytes: run as
#   cmake -DINPUT=file -DOUTPUT=out.cc -DSYMBOL=name -P embed.cmake
# The source defines `std::string_view lodestone::embedded::SYMBOL()`. Bytes are written as hex, so
# any content (quotes, backslashes, non-ASCII) survives.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# One line per 32 bytes keeps the generated file readable by editors.
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){32})" "\\1\n" bytes "${bytes}")
get_filename_component(name "${INPUT}" NAME)
file(WRITE "${OUTPUT}.tmp"
"// Generated at build time from ${name} by domain/embed.cmake. Do not edit.
#include <string_view>

namespace lodestone::embedded {
namespace {
const unsigned char kBytes[] = {
${bytes}
0x00};
}  // namespace
std::string_view ${SYMBOL}() { return std::string_view(reinterpret_cast<const char*>(kBytes), ${size}); }
}  // namespace lodestone::embedded
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
