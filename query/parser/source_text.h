// Internal to the parser. The text being parsed, decoded once, with the maps from ANTLR's positions
// (code-point indexes) to SourceLocation (line, column, byte offset).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/ast/source_location.h"

namespace lodestone::query::internal {

class SourceText {
 public:
  // Decodes text as UTF-8. On invalid UTF-8, ok() is false and bad_offset() is the first bad byte.
  explicit SourceText(std::string_view text);

  bool ok() const { return !bad_offset_.has_value(); }
  uint32_t bad_offset() const { return bad_offset_.value_or(0); }

  std::string_view text() const { return text_; }
  const std::u32string& code_points() const { return code_points_; }

  // Location of code points [begin, end) (indexes into code_points()).
  ast::SourceLocation Locate(size_t begin, size_t end) const;
  // Location of the byte range [offset, offset + length).
  ast::SourceLocation LocateBytes(size_t offset, size_t length) const;

  uint32_t ByteOffset(size_t code_point_index) const;

  // The text of a 1-based line, without its line break.
  std::string_view Line(uint32_t line) const;

 private:
  std::string_view text_;
  std::u32string code_points_;
  std::vector<uint32_t> byte_of_;     // byte offset of each code point, plus one past the end
  std::vector<uint32_t> line_start_;  // code-point index where each line starts
  std::optional<uint32_t> bad_offset_;
};

// "syntax error at line L, column C: message" + source line + caret under the column.
std::string FormatReport(const SourceText& source, const ast::SourceLocation& location,
                         std::string_view message);

}  // namespace lodestone::query::internal
