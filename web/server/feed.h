// The Atom 1.0 feed of recorded changes (GET /feed.atom, docs/api.md): a feed reader subscribes to it
// and sees one entry per commit. Pure rendering; the entries come from the views (domain/diff.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lodestone::web {

struct AtomEntry {
  std::string id;       // an IRI that never changes for this commit
  std::string title;    // one line
  std::string updated;  // RFC 3339
  std::string link;     // the page, marking what the commit changed
  std::string author;
  std::string text;  // the changes, as plain text
};

struct AtomHead {
  std::string id;
  std::string title;
  std::string updated;    // RFC 3339: the newest entry's, or the last commit's
  std::string self;       // this feed's address
  std::string alternate;  // the page
};

std::string AtomFeed(const AtomHead& head, const std::vector<AtomEntry>& entries);

}  // namespace lodestone::web
