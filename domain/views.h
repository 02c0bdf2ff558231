// The domain views the web API serves (docs/api.md): pure functions from a snapshot of the graph to
// JSON in exactly the documented shapes. The web server only parses parameters, calls these and
// writes the result; errors come back as Status (InvalidArgument -> 400, NotFound -> 404).
//
// The database the server serves should have the domain's functions and procedures registered
// (domain::RegisterDomain(db), domain/procedures.h), as the CLI's OpenDatabase does, so that
// POST /api/query can use status(control, date) and diff.valid(from, to). Views are safe to call from many
// threads at once, each with its own ReadView.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/graph_store.h"

namespace lodestone::domain {

// A date as the API writes it: {"value": "2025-10", "precision": "month", "start": "2025-10-01",
// "end": "2025-11-01"}.
nlohmann::json DateJson(Date d);

struct TimelineQuery {
  std::optional<Date> from;  // the range [start(from), end(to)); missing bounds are open
  std::optional<Date> to;
  std::vector<std::string> actors;  // actor keys: items involving any of them
  std::vector<std::string> labels;  // Event, Control, Agreement, Project
  std::vector<std::string> kinds;   // event_kind, control_kind, agreement_kind or project_kind values
  std::string q;                    // text in the title, name or summary (case-insensitive)
  size_t limit = 200;               // at most 1000
  std::string cursor;               // from a previous page's "next"
};

// Parses the query parameters of GET /api/timeline (each name may repeat).
Result<TimelineQuery> ParseTimelineQuery(const std::multimap<std::string, std::string>& params);

// GET /api/timeline: events and the periods of controls, agreements and projects touching the range,
// paged together in date order.
Result<nlohmann::json> Timeline(ReadView& view, const TimelineQuery& query);

// GET /api/entity/{key}: properties, validity, status (controls), sources, neighbours, the entity's
// timeline, its recorded versions, and the sections of docs/api.md for announcements and measures
// (announcement, measures, measure), causal links, claims about it, observations of it and disputed
// values (variants). NotFound when no node has the key. `today` is the date the
// status is given for.
Result<nlohmann::json> Entity(GraphStore& store, ReadView& view, std::string_view key, Date today);

// GET /api/search?q=...: names, titles and aliases that start with (or, ranked lower, contain) the
// text, case-insensitively. `limit` at most 1000.
Result<nlohmann::json> Search(ReadView& view, std::string_view q, size_t limit);

// GET /api/schema: labels and relationship types with counts, property keys, indexes, and the domain
// schema (kinds, properties, relationship ends) for building filters.
Result<nlohmann::json> SchemaSummary(ReadView& view);

}  // namespace lodestone::domain
