#include "web/server/feed.h"

namespace lodestone::web {

namespace {

// The length of the UTF-8 sequence starting at s[i], or 0 when it is not a valid one.
size_t Utf8Length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  if (n == 2 && c < 0xC2) return 0;                                         // overlong
  if (n == 3 && c == 0xE0 && byte(i + 1) < 0xA0) return 0;                  // overlong
  if (n == 3 && c == 0xED && byte(i + 1) >= 0xA0) return 0;                 // surrogates
  if (n == 4 && (c > 0xF4 || (c == 0xF0 && byte(i + 1) < 0x90))) return 0;  // beyond U+10FFFF, overlong
  if (n == 4 && c == 0xF4 && byte(i + 1) >= 0x90) return 0;
  return n;
}

}  // namespace

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = Utf8Length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (n > 1) {
      // U+FFFE and U+FFFF are not XML characters either.
      std::string_view seq = text.substr(i, n);
      out += seq == "\xEF\xBF\xBE" || seq == "\xEF\xBF\xBF" ? std::string_view("\xEF\xBF\xBD") : seq;
      i += n;
      continue;
    }
    char c = text[i++];
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\t':
      case '\n':
      case '\r':
        out += c;
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += "\xEF\xBF\xBD";
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string AtomFeed(const AtomHead& head, const std::vector<AtomEntry>& entries) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  auto element = [&x](std::string_view indent, std::string_view name, std::string_view value) {
    x.append(indent).append("<").append(name).append(">").append(XmlEscape(value));
    x.append("</").append(name).append(">\n");
  };
  auto link = [&x](std::string_view indent, std::string_view rel, std::string_view type,
                   std::string_view href) {
    x.append(indent).append("<link rel=\"").append(rel).append("\" type=\"").append(type);
    x.append("\" href=\"").append(XmlEscape(href)).append("\"/>\n");
  };
  element("  ", "id", head.id);
  element("  ", "title", head.title);
  element("  ", "updated", head.updated);
  link("  ", "self", "application/atom+xml", head.self);
  link("  ", "alternate", "text/html", head.alternate);
  x += "  <author><name>Lodestone</name></author>\n  <generator>Lodestone</generator>\n";
  for (const AtomEntry& e : entries) {
    x += "  <entry>\n";
    element("    ", "id", e.id);
    element("    ", "title", e.title);
    element("    ", "updated", e.updated);
    link("    ", "alternate", "text/html", e.link);
    x += "    <author>";
    element("", "name", e.author);
    x.pop_back();
    x += "</author>\n";
    x += "    <content type=\"text\">" + XmlEscape(e.text) + "</content>\n";
    x += "  </entry>\n";
  }
  x += "</feed>\n";
  return x;
}

}  // namespace lodestone::web
