#pragma once

#include <cstdint>
#include <string>

namespace lodestone::ast {

// Where a piece of syntax starts in the text that was parsed, and how long it is.
//
// line and column are 1-based; column counts Unicode code points from the start of the line (what an
// editor shows), offset and length count bytes of the UTF-8 text (what a std::string_view slice needs).
// For a statement of a script (ParseScript) all four are relative to the whole script, not to the
// statement. A default-constructed location (line 0) means "no location", e.g. for nodes the parser
// synthesised.
struct SourceLocation {
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t offset = 0;
  uint32_t length = 0;

  bool known() const { return line != 0; }
  // "3:14"
  std::string ToString() const { return std::to_string(line) + ":" + std::to_string(column); }

  friend bool operator==(const SourceLocation&, const SourceLocation&) = default;
};

}  // namespace lodestone::ast
