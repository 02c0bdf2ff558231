// Small string helpers shared by every layer.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lodestone::util {

// Without leading and trailing spaces, tabs, carriage returns and line feeds.
std::string_view Trim(std::string_view s);
// ASCII lower case (other bytes, UTF-8 included, unchanged).
std::string Lower(std::string_view s);
// Whether a and b are equal ignoring ASCII case.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// The parts with `separator` between them.
std::string Join(const std::vector<std::string>& parts, std::string_view separator);
// How many '\n' `text` holds (memchr skips from line to line several times faster than a byte loop).
size_t CountNewlines(std::string_view text);

// Text for XML content and attribute values: & < > " ' escaped, bytes that are not UTF-8 (and U+FFFE,
// U+FFFF) replaced by U+FFFD, and the control characters XML 1.0 forbids (all below 0x20 but tab,
// newline and return) replaced by `control_replacement`.
std::string XmlEscape(std::string_view text, std::string_view control_replacement = "\xEF\xBF\xBD");

}  // namespace lodestone::util
