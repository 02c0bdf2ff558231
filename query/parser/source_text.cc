#include "query/parser/source_text.h"

#include <algorithm>

namespace lodestone::query::internal {

namespace {

// Decodes one UTF-8 sequence at text[i]; returns its length, or 0 if it is invalid (overlong forms,
// surrogates and values above U+10FFFF included).
size_t DecodeOne(std::string_view text, size_t i, char32_t* out) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    *out = b0;
    return 1;
  }
  size_t length;
  char32_t cp;
  char32_t min;
  if ((b0 & 0xE0) == 0xC0) {
    length = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    length = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    length = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  *out = cp;
  return length;
}

}  // namespace

SourceText::SourceText(std::string_view text) : text_(text) {
  code_points_.reserve(text.size());
  byte_of_.reserve(text.size() + 1);
  line_start_.push_back(0);
  size_t i = 0;
  while (i < text.size()) {
    char32_t cp;
    const size_t length = DecodeOne(text, i, &cp);
    if (length == 0) {
      bad_offset_ = static_cast<uint32_t>(i);
      return;
    }
    byte_of_.push_back(static_cast<uint32_t>(i));
    code_points_.push_back(cp);
    if (cp == U'\n') line_start_.push_back(static_cast<uint32_t>(code_points_.size()));
    i += length;
  }
  byte_of_.push_back(static_cast<uint32_t>(text.size()));
}

uint32_t SourceText::ByteOffset(size_t code_point_index) const {
  if (byte_of_.empty()) return 0;
  return byte_of_[std::min(code_point_index, byte_of_.size() - 1)];
}

ast::SourceLocation SourceText::Locate(size_t begin, size_t end) const {
  begin = std::min(begin, code_points_.size());
  end = std::max(begin, std::min(end, code_points_.size()));
  const auto it = std::upper_bound(line_start_.begin(), line_start_.end(), begin);
  const size_t line_index = static_cast<size_t>(it - line_start_.begin()) - 1;
  ast::SourceLocation loc;
  loc.line = static_cast<uint32_t>(line_index + 1);
  loc.column = static_cast<uint32_t>(begin - line_start_[line_index] + 1);
  loc.offset = ByteOffset(begin);
  loc.length = ByteOffset(end) - loc.offset;
  return loc;
}

ast::SourceLocation SourceText::LocateBytes(size_t offset, size_t length) const {
  const auto first = std::lower_bound(byte_of_.begin(), byte_of_.end(), offset);
  const auto last = std::lower_bound(byte_of_.begin(), byte_of_.end(), offset + length);
  return Locate(static_cast<size_t>(first - byte_of_.begin()), static_cast<size_t>(last - byte_of_.begin()));
}

std::string_view SourceText::Line(uint32_t line) const {
  if (line == 0 || line > line_start_.size()) return {};
  const uint32_t begin = ByteOffset(line_start_[line - 1]);
  uint32_t end = line < line_start_.size() ? ByteOffset(line_start_[line]) : static_cast<uint32_t>(text_.size());
  std::string_view out = text_.substr(begin, end - begin);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.remove_suffix(1);
  return out;
}

std::string FormatReport(const SourceText& source, const ast::SourceLocation& location,
                         std::string_view message) {
  std::string out = "syntax error at line " + std::to_string(location.line) + ", column " +
                    std::to_string(location.column) + ": ";
  out += message;
  std::string_view line = source.ok() ? source.Line(location.line) : std::string_view();
  if (line.empty() && location.line <= 1) return out;
  // A long line (generated queries can be one line of a megabyte) is shown as an excerpt around the
  // column. Cuts fall on code-point boundaries.
  constexpr uint32_t kContext = 60;
  uint32_t first_column = 1;
  std::string prefix;
  std::string suffix;
  if (line.size() > 2 * kContext + 20) {
    const auto boundary = [&line](size_t i) {
      while (i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) ++i;
      return i;
    };
    // Byte index of a 1-based column.
    const auto byte_of = [&line](uint32_t column) {
      size_t i = 0;
      for (uint32_t c = 1; c < column && i < line.size(); ++c) {
        ++i;  // past one code point: its first byte, then its continuation bytes
        while (i < line.size() && (static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) ++i;
      }
      return i;
    };
    if (location.column > kContext) {
      first_column = location.column - kContext;
      prefix = "...";
    }
    const size_t begin = boundary(byte_of(first_column));
    size_t end = boundary(byte_of(location.column + kContext));
    if (end < line.size()) suffix = "...";
    line = line.substr(begin, end - begin);
  }
  out += "\n  ";
  out += prefix;
  out += line;
  out += suffix;
  out += "\n  ";
  out += std::string(prefix.size(), ' ');
  // Pad to the column, keeping tabs so that the caret lines up however the terminal renders them.
  // Columns count code points, so multi-byte characters take one pad each.
  uint32_t column = first_column;
  for (size_t i = 0; i < line.size() && column < location.column; ++i) {
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    out += c == '\t' ? '\t' : ' ';
    ++column;
  }
  for (; column < location.column; ++column) out += ' ';
  out += '^';
  return out;
}

}  // namespace lodestone::query::internal
