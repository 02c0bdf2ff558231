// The whole filtered timeline at once: every item of a /api/timeline query (all pages), written as CSV
// or JSON Lines for GET /api/timeline?format=csv|jsonl, and compared between two record times for
// GET /api/changes (docs/api.md).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "web/server/views.h"

namespace lodestone::web {

// Every item the timeline view gives for `params` (which must hold neither `limit` nor `cursor`),
// events and periods together in the API's order (start, then end, then key), each with "item":
// "event" or "period" added first.
Result<nlohmann::json> AllTimelineItems(Views& views, ReadView& view, const Params& params);

// The columns of the CSV export, in order (docs/api.md).
inline constexpr const char* kTimelineCsvColumns[] = {"key",    "item",      "label",  "title", "kind",
                                                      "date",   "precision", "start",  "end",   "segments",
                                                      "actors", "sources",   "summary"};

// One header line, then one line per item; RFC 4180 quoting, CRLF line ends. A text field that
// begins with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so that a spreadsheet
// does not run it as a formula.
std::string TimelineCsv(const nlohmann::json& items);

// One item per line, as /api/timeline gives it (with "item").
std::string TimelineJsonLines(const nlohmann::json& items);

// What differs between the items at an earlier record time and now, by key: {"added": [...],
// "changed": [...], "removed": [...]}. Added and changed entries are {key, item, label, title} (changed
// ones with "fields": the top-level fields that differ); removed entries are the items as they were.
nlohmann::json DiffTimelineItems(const nlohmann::json& then_items, const nlohmann::json& now_items);

}  // namespace lodestone::web
