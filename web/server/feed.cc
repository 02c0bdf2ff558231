#include "web/server/feed.h"

#include "util/strings.h"

namespace lodestone::web {

std::string AtomFeed(const AtomHead& head, const std::vector<AtomEntry>& entries) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  auto element = [&x](std::string_view indent, std::string_view name, std::string_view value) {
    x.append(indent).append("<").append(name).append(">").append(util::XmlEscape(value));
    x.append("</").append(name).append(">\n");
  };
  auto link = [&x](std::string_view indent, std::string_view rel, std::string_view type,
                   std::string_view href) {
    x.append(indent).append("<link rel=\"").append(rel).append("\" type=\"").append(type);
    x.append("\" href=\"").append(util::XmlEscape(href)).append("\"/>\n");
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
    x += "    <content type=\"text\">" + util::XmlEscape(e.text) + "</content>\n";
    x += "  </entry>\n";
  }
  x += "</feed>\n";
  return x;
}

}  // namespace lodestone::web
