// What changed between two times: the one home of `lodestone diff`, GET /api/diff, the Atom feed and
// the procedures diff.recorded and diff.valid (docs/diff.md).
//
// Between two record times (DiffRecorded): the nodes and relationships that the commits recorded
// after `from` and at or before `to` added, changed or removed, compared as they stood at `from` and
// at `to`, with their labels, validity and properties before and after, and the commits (origin:
// import or user) that wrote them. An entity changed and changed back within the range is not listed.
//
// Between two valid-time dates (DiffValid): measures whose status differs on the two days or whose
// lifecycle moved in between (entered into force, suspended, lifted, held back), packages
// (announcements) whose status differs, agreements and projects whose validity began or ended.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/graph_store.h"

namespace lodestone::domain {

// Which changes to list. Counts cover every change that passes the filter; at most `limit` are listed.
struct DiffFilter {
  // Node labels or relationship types; a change passes when it has any of them. Empty: any.
  std::vector<std::string> labels;
  // Nodes whose key starts with it; relationships whose start or end node's does. Empty: any.
  std::string key_prefix;
  size_t limit = 1000;
};

inline constexpr size_t kMaxDiffLimit = 10'000;

// A record time as the diff takes it: an ISO 8601 instant ("2026-11-28T10:00:00Z", with a fraction
// or an offset) or a date ("2026-11-28", "2026-11"), which means the end of it (UTC), as `KNOWN AT`
// reads a date; `what` names it in the error ("FROM").
Result<uint64_t> ParseRecordTime(std::string_view text, std::string_view what);
std::string RecordTimeText(uint64_t micros);

// ---- between two record times ------------------------------------------------------------------

struct DiffCommit {
  uint64_t record_time = 0;
  std::string origin;
};

struct PropertyChange {
  std::string name;
  Value before;  // null: absent
  Value after;   // null: absent
};

enum class ChangeKind { kAdded, kChanged, kRemoved };
std::string_view ChangeKindName(ChangeKind kind);  // "added", "changed", "removed"

struct RecordedChange {
  ChangeKind kind = ChangeKind::kChanged;
  bool relationship = false;
  // A node's key and labels (as at `to`; as at `from` when removed). A relationship's own key (which
  // tells parallel relationships apart; usually empty).
  std::string key;
  std::vector<std::string> labels;
  // A relationship's type and the keys of its start and end nodes.
  std::string type;
  std::string start;
  std::string end;
  // A changed node's labels added and removed.
  std::vector<std::string> labels_added;
  std::vector<std::string> labels_removed;
  // Set when the validity differs (and on every added or removed entity that has one).
  std::optional<Validity> validity_before;
  std::optional<Validity> validity_after;
  bool validity_changed = false;
  // Added: every property (before null); removed: every property (after null); changed: those that
  // differ. By name.
  std::vector<PropertyChange> properties;
  // The commits in the range that wrote it, oldest first.
  std::vector<DiffCommit> commits;
};

struct RecordedDiff {
  uint64_t from = 0;
  uint64_t to = 0;
  std::vector<DiffCommit> commits;      // every commit in the range, oldest first
  std::vector<RecordedChange> changes;  // nodes by key, then relationships by type, start, end
  size_t total = 0;                     // changes passing the filter, listed or not
  size_t added = 0, changed = 0, removed = 0;
  bool truncated() const { return changes.size() < total; }
};

// Compares what the commits in (from, to] touched, as it stood at `from` and at `to`. `to` beyond the
// last commit means the present. Costs reads in proportion to the entities those commits touched and
// their versions; relationships created in the range and never changed since are found with one scan
// of the present's relationships (the store keeps no index of relationships by id).
Result<RecordedDiff> DiffRecorded(GraphStore& store, uint64_t from, uint64_t to, const DiffFilter& filter);

// ---- between two valid-time dates --------------------------------------------------------------

// A day on which something began or ended, and whether it certainly falls in the range (false: an
// imprecise date that only may).
struct Boundary {
  Date on;
  bool certain = true;
};

// One lifecycle effect of a measure that took hold in the range.
struct LifecycleStep {
  std::string event_key;
  std::string effect;      // imposes, suspends, lifts, ...
  Date at;                 // the day it took hold
  bool held_back = false;  // an entry into force that a suspension or lifting overtook
};

struct ValidChange {
  std::string label;  // Control, Announcement, Agreement or Project
  std::string key;
  std::string name;  // name or title
  // Controls and announcements: the status on the first day of `from` and of `to` (domain/lifecycle.h,
  // PackageStatus): nullopt when it had none yet, "unknown" when an imprecise date leaves it open.
  std::optional<std::string> status_before;
  std::optional<std::string> status_after;
  // Periods of validity (a control's: in force) that began or ended in the range.
  std::vector<Boundary> began;
  std::vector<Boundary> ended;
  std::vector<LifecycleStep> steps;  // controls: what took hold in the range, in order
};

struct ValidDiff {
  Date from;
  Date to;
  std::vector<ValidChange> changes;  // by label (Control, Announcement, Agreement, Project), then key
  size_t total = 0;
  bool truncated() const { return changes.size() < total; }
};

// What changed in the world between the first day of `from` and the first day of `to` (the range
// [from, to) of days), as `view` records it. InvalidArgument unless `from` precedes `to`.
Result<ValidDiff> DiffValid(ReadView& view, Date from, Date to, const DiffFilter& filter);

// ---- requests ------------------------------------------------------------------------------------

// The parameters of GET /api/diff (docs/api.md): mode=recorded|valid, from, to, label (repeatable),
// key_prefix, limit (default 200, at most 1000). InvalidArgument names the parameter at fault.
struct DiffRequest {
  bool valid = false;
  uint64_t from_time = 0;
  std::optional<uint64_t> to_time;  // absent: now
  Date from_date;
  Date to_date;
  DiffFilter filter;
};
Result<DiffRequest> ParseDiffRequest(const std::multimap<std::string, std::string>& params);
// Runs it: the JSON of RecordedDiffJson or ValidDiffJson, of the present.
Result<nlohmann::json> RunDiff(GraphStore& store, const DiffRequest& request);

// The changes of the last `count` commits, newest first, each commit against the moment before it
// (for the Atom feed). With labels or a key prefix in the filter, commits with no change passing it
// are left out.
Result<std::vector<RecordedDiff>> RecentCommitDiffs(GraphStore& store, size_t count,
                                                    const DiffFilter& filter);

// ---- renderings ---------------------------------------------------------------------------------

// The JSON of GET /api/diff (docs/api.md).
nlohmann::json RecordedDiffJson(const RecordedDiff& d);
nlohmann::json ValidDiffJson(const ValidDiff& d);
// For people: `lodestone diff` and the feed's entries. One line per change, indented details.
std::string RecordedDiffText(const RecordedDiff& d);
std::string ValidDiffText(const ValidDiff& d);
// A one-line summary: "2 added, 1 changed, 0 removed".
std::string RecordedDiffSummary(const RecordedDiff& d);

// Rows for the procedures diff.recorded(from, to) and diff.valid(from, to) (docs/diff.md): one map
// per listed change, with the columns Recorded/ValidDiffColumns() name.
const std::vector<std::string>& RecordedDiffColumns();
std::vector<ValueMap> RecordedDiffRows(const RecordedDiff& d);
const std::vector<std::string>& ValidDiffColumns();
std::vector<ValueMap> ValidDiffRows(const ValidDiff& d);

}  // namespace lodestone::domain
