#include "domain/diff.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include "domain/lifecycle.h"
#include "query/result_format.h"

namespace lodestone::domain {

using nlohmann::json;

Result<uint64_t> ParseRecordTime(std::string_view text, std::string_view what) {
  auto t = ParseRecordInstant(text);
  if (!t.ok()) {
    return Status::InvalidArgument(std::string(what) + " is not a record time: '" + std::string(text) +
                                   "' (expected e.g. 2026-11-28T10:00:00Z, 2026-11-28T10:00:00.5+01:00, or a "
                                   "date such as 2026-11-28 for the end of that day)");
  }
  const int64_t micros = *t;
  if (micros < 0) {
    return Status::InvalidArgument(std::string(what) +
                                   " is before 1970, when no commit can have been recorded: '" +
                                   std::string(text) + "'");
  }
  return static_cast<uint64_t>(micros);
}

std::string RecordTimeText(uint64_t micros) { return DateTime{static_cast<int64_t>(micros)}.ToString(); }

std::string_view ChangeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kAdded:
      return "added";
    case ChangeKind::kRemoved:
      return "removed";
    case ChangeKind::kChanged:
      break;
  }
  return "changed";
}

namespace {

// ---- record time -------------------------------------------------------------------------------

// One version of an entity with the record times it was current: [from, to).
template <typename Record>
struct Span {
  uint64_t from = 0;
  std::optional<uint64_t> to;
  Record record;
};

template <typename Record>
const Record* VersionAt(const std::vector<Span<Record>>& spans, uint64_t t) {
  for (const auto& s : spans) {
    if (s.from <= t && (!s.to || *s.to > t)) return &s.record;
  }
  return nullptr;
}

std::vector<std::string> LabelNames(const NameResolver& names, const std::vector<LabelId>& ids) {
  std::vector<std::string> out;
  for (LabelId l : ids) out.push_back(names.LabelName(l));
  std::sort(out.begin(), out.end());
  return out;
}

// The properties that differ, by name; null stands for absent.
std::vector<PropertyChange> PropertyDiff(const NameResolver& names, const PropertyList* before,
                                         const PropertyList* after) {
  std::map<std::string, PropertyChange> by_name;
  auto add = [&](const PropertyList* props, bool is_after) {
    if (!props) return;
    for (const auto& [k, v] : *props) {
      std::string name = names.PropKeyName(k);
      PropertyChange& c = by_name[name];
      c.name = name;
      (is_after ? c.after : c.before) = v;
    }
  };
  add(before, false);
  add(after, true);
  std::vector<PropertyChange> out;
  for (auto& [name, c] : by_name) {
    if (!Identical(c.before, c.after)) out.push_back(std::move(c));
  }
  return out;
}

bool HasPrefix(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool AnyOf(const std::vector<std::string>& have, const std::vector<std::string>& wanted) {
  return std::any_of(have.begin(), have.end(), [&](const std::string& h) {
    return std::find(wanted.begin(), wanted.end(), h) != wanted.end();
  });
}

void Count(RecordedDiff* d, ChangeKind kind) {
  ++d->total;
  if (kind == ChangeKind::kAdded) ++d->added;
  if (kind == ChangeKind::kChanged) ++d->changed;
  if (kind == ChangeKind::kRemoved) ++d->removed;
}

// Fills the parts common to nodes and relationships; false when nothing differs: absent at both ends,
// or changed and changed back within the range (same key, labels, validity and properties).
template <typename Record>
bool Compare(const NameResolver& names, const Record* before, const Record* after, RecordedChange* c) {
  if (!before && !after) return false;
  c->kind = !before ? ChangeKind::kAdded : !after ? ChangeKind::kRemoved : ChangeKind::kChanged;
  c->properties = PropertyDiff(names, before ? &before->props : nullptr, after ? &after->props : nullptr);
  if (before) c->validity_before = before->validity;
  if (after) c->validity_after = after->validity;
  c->validity_changed = (before && after) ? before->validity != after->validity
                                          : !(before ? before->validity : after->validity).empty();
  if (before && after && c->properties.empty() && !c->validity_changed && before->key == after->key) {
    if constexpr (std::is_same_v<Record, NodeRecord>) {
      std::set<LabelId> b(before->labels.begin(), before->labels.end());
      std::set<LabelId> a(after->labels.begin(), after->labels.end());
      return a != b;
    }
    return false;
  }
  return true;
}

}  // namespace

Result<RecordedDiff> DiffRecorded(GraphStore& store, uint64_t from, uint64_t to, const DiffFilter& filter) {
  if (to < from) {
    return Status::InvalidArgument("the range ends (" + RecordTimeText(to) + ") before it starts (" +
                                   RecordTimeText(from) + "); give the earlier record time first");
  }
  RecordedDiff d;
  d.from = from;
  d.to = to == UINT64_MAX ? std::max(from, store.last_commit_time()) : to;
  to = d.to;  // one bound for the log and the versions, whatever commits meanwhile
  ASSIGN_OR_RETURN(auto log, store.ChangeLog(from, to));
  std::map<NodeId, std::vector<size_t>> node_commits;
  std::map<RelId, std::vector<size_t>> rel_commits;
  for (size_t i = 0; i < log.size(); ++i) {
    d.commits.push_back({log[i].record_time, log[i].origin});
    for (NodeId n : log[i].nodes) node_commits[n].push_back(i);
    for (RelId r : log[i].rels) rel_commits[r].push_back(i);
  }
  auto commits_of = [&](const std::vector<size_t>& idx) {
    std::vector<DiffCommit> out;
    for (size_t i : idx) out.push_back(d.commits[i]);
    return out;
  };
  const NameResolver& names = store.names();
  auto present = store.Read();

  // Nodes: every version from the store's history, the one current at each end of the range.
  std::unordered_map<NodeId, std::string> keys;  // for relationships' ends
  std::vector<RecordedChange> nodes;
  for (const auto& [id, idx] : node_commits) {
    ASSIGN_OR_RETURN(auto versions, store.NodeHistory(id));
    std::vector<Span<NodeRecord>> spans;
    for (Version& v : versions) {
      if (v.node) spans.push_back({v.from_record_time, v.to_record_time, std::move(*v.node)});
    }
    const NodeRecord* before = VersionAt(spans, from);
    const NodeRecord* after = VersionAt(spans, to);
    if (!spans.empty()) keys[id] = (after ? after : before ? before : &spans.front().record)->key;
    RecordedChange c;
    if (!Compare(names, before, after, &c)) continue;
    const NodeRecord& shown = after ? *after : *before;
    c.key = shown.key;
    c.labels = LabelNames(names, shown.labels);
    if (before && after) {
      std::vector<std::string> b = LabelNames(names, before->labels), a = c.labels;
      std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(c.labels_added));
      std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(c.labels_removed));
    }
    if (!filter.labels.empty()) {
      std::vector<std::string> all = c.labels;
      if (before) {
        auto b = LabelNames(names, before->labels);
        all.insert(all.end(), b.begin(), b.end());
      }
      if (!AnyOf(all, filter.labels)) continue;
    }
    if (!HasPrefix(c.key, filter.key_prefix)) continue;
    c.commits = commits_of(idx);
    nodes.push_back(std::move(c));
  }

  auto key_of = [&](NodeId id) -> Result<std::string> {
    if (auto it = keys.find(id); it != keys.end()) return it->second;
    NodeRecord r;
    ASSIGN_OR_RETURN(bool found, present->GetNode(id, &r));
    if (!found) {
      ASSIGN_OR_RETURN(auto versions, store.NodeHistory(id));
      if (!versions.empty() && versions.front().node) r.key = versions.front().node->key;
    }
    keys[id] = r.key;
    return r.key;
  };

  // Relationships: their history names their ends; one never replaced is found in the present.
  struct RelVersions {
    RelRef ref;
    std::vector<Span<RelRecord>> spans;
  };
  std::map<RelId, RelVersions> rels;
  std::unordered_set<RelId> unresolved;
  for (const auto& [id, idx] : rel_commits) {
    ASSIGN_OR_RETURN(auto versions, store.RelHistory(id));
    if (versions.empty()) {
      unresolved.insert(id);
      continue;
    }
    RelVersions& rv = rels[id];
    rv.ref = versions.front().rel_ref;
    for (Version& v : versions) {
      if (v.rel) rv.spans.push_back({v.from_record_time, v.to_record_time, std::move(*v.rel)});
    }
    RelRecord now;
    ASSIGN_OR_RETURN(bool exists, present->GetRel(rv.ref, &now));
    if (exists) rv.spans.insert(rv.spans.begin(), Span<RelRecord>{now.record_time, std::nullopt, now});
  }
  if (!unresolved.empty()) {
    auto cur = present->ScanAllRels();
    for (; cur->Valid() && !unresolved.empty(); cur->Next()) {
      RelId id = cur->entry().rel.id;
      if (!unresolved.count(id)) continue;
      RelRecord now;
      RETURN_IF_ERROR(cur->record(&now));
      RelVersions& rv = rels[id];
      rv.ref = cur->entry().rel;
      rv.spans.push_back({now.record_time, std::nullopt, std::move(now)});
      unresolved.erase(id);
    }
    RETURN_IF_ERROR(cur->status());
  }
  std::vector<RecordedChange> rel_changes;
  for (auto& [id, rv] : rels) {
    const RelRecord* before = VersionAt(rv.spans, from);
    const RelRecord* after = VersionAt(rv.spans, to);
    RecordedChange c;
    c.relationship = true;
    if (!Compare(names, before, after, &c)) continue;
    c.key = (after ? after : before)->key;
    c.type = names.RelTypeName(rv.ref.type);
    ASSIGN_OR_RETURN(c.start, key_of(rv.ref.src));
    ASSIGN_OR_RETURN(c.end, key_of(rv.ref.dst));
    if (!filter.labels.empty() && !AnyOf({c.type}, filter.labels)) continue;
    if (!HasPrefix(c.start, filter.key_prefix) && !HasPrefix(c.end, filter.key_prefix)) continue;
    c.commits = commits_of(rel_commits[id]);
    rel_changes.push_back(std::move(c));
  }

  std::stable_sort(nodes.begin(), nodes.end(),
                   [](const RecordedChange& a, const RecordedChange& b) { return a.key < b.key; });
  std::stable_sort(rel_changes.begin(), rel_changes.end(),
                   [](const RecordedChange& a, const RecordedChange& b) {
                     return std::tie(a.type, a.start, a.end, a.key) < std::tie(b.type, b.start, b.end, b.key);
                   });
  for (auto* list : {&nodes, &rel_changes}) {
    for (RecordedChange& c : *list) {
      Count(&d, c.kind);
      if (d.changes.size() < filter.limit) d.changes.push_back(std::move(c));
    }
  }
  return d;
}

// ---- valid time ----------------------------------------------------------------------------------

namespace {

// Whether `d` falls in the days [a, b): certainly, possibly (an imprecise date overlapping a bound), or not.
std::optional<Boundary> InRange(Date d, int32_t a, int32_t b) {
  if (d.start_day() >= a && d.end_day() <= b) return Boundary{d, true};
  if (d.start_day() < b && d.end_day() > a) return Boundary{d, false};
  return std::nullopt;
}

std::optional<std::string> StatusText(const Lifecycle& lc, Date on) {
  if (auto s = StatusAt(lc, on)) return s;
  if (StatusUnknownAt(lc, on)) return std::string("unknown");
  return std::nullopt;
}

std::string NameOf(const NameResolver& names, const NodeRecord& r) {
  for (const char* prop : {"name", "title"}) {
    auto k = names.FindPropKey(prop);
    if (const Value* v = k ? FindProperty(r.props, *k) : nullptr; v && v->is_string()) return v->as_string();
  }
  return "";
}

int LabelRank(const std::string& label) {
  static const char* kOrder[] = {"Control", "Announcement", "Agreement", "Project"};
  for (int i = 0; i < 4; ++i) {
    if (label == kOrder[i]) return i;
  }
  return 4;
}

}  // namespace

Result<ValidDiff> DiffValid(ReadView& view, Date from, Date to, const DiffFilter& filter) {
  if (from.start_day() >= to.start_day()) {
    return Status::InvalidArgument("the first date (" + from.ToString() + ") must be before the second (" +
                                   to.ToString() + "): the diff compares the world on the first day of each");
  }
  ValidDiff d;
  d.from = from;
  d.to = to;
  // What took hold after the first day and on or before the second: the days (a, b].
  Date day_a = Date::Containing(from.start_day(), DatePrecision::kDay);
  Date day_b = Date::Containing(to.start_day(), DatePrecision::kDay);
  int32_t lo = from.start_day() + 1, hi = to.start_day() + 1;
  const NameResolver& names = view.names();
  std::vector<ValidChange> out;
  auto wanted = [&](const std::string& label, const std::string& key) {
    if (!filter.labels.empty() &&
        std::find(filter.labels.begin(), filter.labels.end(), label) == filter.labels.end())
      return false;
    return HasPrefix(key, filter.key_prefix);
  };

  // Measures. Their statuses (nullopt for unknown, as package_status() takes them) feed the packages.
  std::unordered_map<NodeId, std::pair<std::optional<std::string>, std::optional<std::string>>> statuses;
  if (auto control = names.FindLabel("Control")) {
    auto cur = view.ScanLabel(*control);
    for (; cur->Valid(); cur->Next()) {
      NodeId id = cur->entry().id;
      ASSIGN_OR_RETURN(Lifecycle lc, ReadLifecycle(view, id));
      statuses[id] = {StatusAt(lc, day_a), StatusAt(lc, day_b)};
      NodeRecord r;
      ASSIGN_OR_RETURN(bool found, view.GetNode(id, &r));
      if (!found || !wanted("Control", r.key)) continue;
      ValidChange c;
      c.label = "Control";
      c.key = r.key;
      c.name = NameOf(names, r);
      c.status_before = StatusText(lc, day_a);
      c.status_after = StatusText(lc, day_b);
      for (const InForcePeriod& p : lc.periods) {
        if (auto b = InRange(p.from, lo, hi)) c.began.push_back(*b);
        if (p.to) {
          if (auto b = InRange(*p.to, lo, hi)) c.ended.push_back(*b);
        }
      }
      for (const LifecycleEvent& e : lc.events) {
        if (!InRange(e.at(), lo, hi)) continue;
        LifecycleStep s{e.event_key, e.effect, e.at(), false};
        s.held_back = std::any_of(lc.held_back.begin(), lc.held_back.end(), [&](const HeldBack& h) {
          return h.entry_by == e.event_key && h.entry == e.at();
        });
        c.steps.push_back(std::move(s));
      }
      if (c.status_before != c.status_after || !c.began.empty() || !c.ended.empty() || !c.steps.empty())
        out.push_back(std::move(c));
    }
    RETURN_IF_ERROR(cur->status());
  }

  // Packages: an announcement's measures taken together.
  auto announcement = names.FindLabel("Announcement");
  auto announced_in = names.FindRelType("ANNOUNCED_IN");
  if (announcement && announced_in) {
    auto cur = view.ScanLabel(*announcement);
    for (; cur->Valid(); cur->Next()) {
      NodeId id = cur->entry().id;
      NodeRecord r;
      ASSIGN_OR_RETURN(bool found, view.GetNode(id, &r));
      if (!found || !wanted("Announcement", r.key)) continue;
      std::set<NodeId> measures;
      ScanOptions opts;
      opts.dir = Direction::kIn;
      opts.type = *announced_in;
      auto adj = view.ScanAdj(id, opts);
      for (; adj->Valid(); adj->Next()) measures.insert(adj->entry().other);
      RETURN_IF_ERROR(adj->status());
      std::vector<std::optional<std::string>> before, after;
      for (NodeId m : measures) {
        auto it = statuses.find(m);
        before.push_back(it == statuses.end() ? std::nullopt : it->second.first);
        after.push_back(it == statuses.end() ? std::nullopt : it->second.second);
      }
      ValidChange c;
      c.label = "Announcement";
      c.key = r.key;
      c.name = NameOf(names, r);
      c.status_before = PackageStatus(before);
      c.status_after = PackageStatus(after);
      if (c.status_before != c.status_after) out.push_back(std::move(c));
    }
    RETURN_IF_ERROR(cur->status());
  }

  // Agreements and projects: their validity's periods.
  for (const char* label : {"Agreement", "Project"}) {
    auto l = names.FindLabel(label);
    if (!l) continue;
    auto cur = view.ScanLabel(*l);
    for (; cur->Valid(); cur->Next()) {
      NodeRecord r;
      ASSIGN_OR_RETURN(bool found, view.GetNode(cur->entry().id, &r));
      if (!found || !wanted(label, r.key)) continue;
      ValidChange c;
      c.label = label;
      c.key = r.key;
      c.name = NameOf(names, r);
      for (const Period& p : r.validity) {
        if (p.from) {
          if (auto b = InRange(*p.from, lo, hi)) c.began.push_back(*b);
        }
        if (p.to) {
          if (auto b = InRange(*p.to, lo, hi)) c.ended.push_back(*b);
        }
      }
      if (!c.began.empty() || !c.ended.empty()) out.push_back(std::move(c));
    }
    RETURN_IF_ERROR(cur->status());
  }

  std::stable_sort(out.begin(), out.end(), [](const ValidChange& a, const ValidChange& b) {
    int ra = LabelRank(a.label), rb = LabelRank(b.label);
    return ra != rb ? ra < rb : a.key < b.key;
  });
  d.total = out.size();
  if (out.size() > filter.limit) out.resize(filter.limit);
  d.changes = std::move(out);
  return d;
}

// ---- requests ------------------------------------------------------------------------------------

Result<DiffRequest> ParseDiffRequest(const std::multimap<std::string, std::string>& params) {
  for (const auto& [name, value] : params) {
    if (name != "mode" && name != "from" && name != "to" && name != "label" && name != "key_prefix" &&
        name != "limit") {
      return Status::InvalidArgument("unknown parameter '" + name +
                                     "'; /api/diff takes mode, from, to, label, key_prefix and limit");
    }
  }
  auto once = [&](const std::string& name) -> Result<std::string> {
    if (params.count(name) > 1) return Status::InvalidArgument("'" + name + "' may be given only once");
    auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
  };
  DiffRequest r;
  ASSIGN_OR_RETURN(std::string mode, once("mode"));
  if (mode != "recorded" && mode != "valid") {
    return Status::InvalidArgument(
        (mode.empty() ? std::string("the parameter 'mode' is required")
                      : "'mode' may not be '" + mode + "'") +
        ": mode=recorded compares two record times, mode=valid two valid-time dates");
  }
  r.valid = mode == "valid";
  ASSIGN_OR_RETURN(std::string from, once("from"));
  ASSIGN_OR_RETURN(std::string to, once("to"));
  if (from.empty()) {
    return Status::InvalidArgument(r.valid
                                       ? "the parameter 'from' (a date, e.g. 2025-10-01) is required"
                                       : "the parameter 'from' (a record time, e.g. 2026-11-28T10:00:00Z) "
                                         "is required");
  }
  if (r.valid) {
    if (to.empty())
      return Status::InvalidArgument("the parameter 'to' (a date, e.g. 2025-12-01) is required");
    auto f = Date::Parse(from);
    if (!f.ok()) return Status::InvalidArgument("'from': " + f.status().message());
    auto t = Date::Parse(to);
    if (!t.ok()) return Status::InvalidArgument("'to': " + t.status().message());
    r.from_date = *f;
    r.to_date = *t;
  } else {
    ASSIGN_OR_RETURN(r.from_time, ParseRecordTime(from, "'from'"));
    if (!to.empty()) {
      ASSIGN_OR_RETURN(uint64_t t, ParseRecordTime(to, "'to'"));
      if (t < r.from_time)
        return Status::InvalidArgument("'to' (" + to + ") is before 'from' (" + from + ")");
      r.to_time = t;
    }
  }
  for (auto [it, end] = params.equal_range("label"); it != end; ++it) r.filter.labels.push_back(it->second);
  ASSIGN_OR_RETURN(r.filter.key_prefix, once("key_prefix"));
  ASSIGN_OR_RETURN(std::string limit, once("limit"));
  r.filter.limit = 200;
  if (!limit.empty()) {
    if (limit.size() > 12 ||
        !std::all_of(limit.begin(), limit.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoull(limit) == 0) {
      return Status::InvalidArgument("'limit' must be a positive integer, not '" + limit + "'");
    }
    r.filter.limit = std::min<size_t>(std::stoull(limit), 1000);
  }
  return r;
}

Result<json> RunDiff(GraphStore& store, const DiffRequest& request) {
  if (request.valid) {
    auto view = store.Read();
    ASSIGN_OR_RETURN(ValidDiff d, DiffValid(*view, request.from_date, request.to_date, request.filter));
    return ValidDiffJson(d);
  }
  ASSIGN_OR_RETURN(RecordedDiff d, DiffRecorded(store, request.from_time,
                                                request.to_time.value_or(UINT64_MAX), request.filter));
  return RecordedDiffJson(d);
}

Result<std::vector<RecordedDiff>> RecentCommitDiffs(GraphStore& store, size_t count,
                                                    const DiffFilter& filter) {
  ASSIGN_OR_RETURN(auto commits, store.Commits(count));
  bool filtered = !filter.labels.empty() || !filter.key_prefix.empty();
  std::vector<RecordedDiff> out;
  for (const CommitInfo& c : commits) {
    uint64_t before = c.record_time == 0 ? 0 : c.record_time - 1;
    ASSIGN_OR_RETURN(RecordedDiff d, DiffRecorded(store, before, c.record_time, filter));
    if (filtered && d.total == 0) continue;
    out.push_back(std::move(d));
  }
  return out;
}

// ---- renderings ----------------------------------------------------------------------------------

namespace {

json ValidityJson(const Validity& v) {
  json out = json::array();
  for (const Period& p : v) {
    out.push_back(json{{"from", p.from ? json(p.from->ToString()) : json(nullptr)},
                       {"to", p.to ? json(p.to->ToString()) : json(nullptr)}});
  }
  return out;
}

std::string ValidityText(const Validity& v) {
  if (v.empty()) return "always";
  std::string out;
  for (const Period& p : v) {
    if (!out.empty()) out += ", ";
    out += (p.from ? p.from->ToString() : std::string("…")) + " to " + (p.to ? p.to->ToString() : "open");
  }
  return out;
}

json CommitJson(const DiffCommit& c) {
  return json{{"record_time", RecordTimeText(c.record_time)}, {"origin", c.origin}};
}

json OptText(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

json BoundariesJson(const std::vector<Boundary>& bs) {
  json out = json::array();
  for (const Boundary& b : bs) out.push_back(json{{"on", b.on.ToString()}, {"certain", b.certain}});
  return out;
}

std::string NodeText(const RecordedChange& c) {
  std::string out = c.key.empty() ? "(no key)" : c.key;
  if (!c.labels.empty()) {
    out += " (";
    for (const std::string& l : c.labels) out += ":" + l;
    out += ")";
  }
  return out;
}

std::string RelText(const RecordedChange& c) {
  return c.start + " -[:" + c.type + (c.key.empty() ? "" : " {key: " + QuoteString(c.key) + "}") + "]-> " +
         c.end;
}

std::string BoundariesText(std::string_view verb, const std::vector<Boundary>& bs) {
  std::string out;
  for (const Boundary& b : bs) {
    if (!out.empty()) out += "; ";
    out += (b.certain ? "" : "possibly ") + std::string(verb) + " " + b.on.ToString();
  }
  return out;
}

std::pair<std::string_view, std::string_view> Verbs(const std::string& label) {
  if (label == "Control") return {"entered into force", "left force"};
  if (label == "Project") return {"started", "stopped"};
  return {"began", "ended"};
}

Value BoundaryList(const std::vector<Boundary>& bs) {
  ValueList out;
  for (const Boundary& b : bs) out.emplace_back(b.on);
  return Value(std::move(out));
}

Value OptValue(const std::optional<std::string>& s) { return s ? Value(*s) : Value(); }

}  // namespace

json RecordedDiffJson(const RecordedDiff& d) {
  json commits = json::array();
  for (const DiffCommit& c : d.commits) commits.push_back(CommitJson(c));
  json changes = json::array();
  for (const RecordedChange& c : d.changes) {
    json j{{"change", ChangeKindName(c.kind)}, {"entity", c.relationship ? "relationship" : "node"}};
    if (c.relationship) {
      j["type"] = c.type;
      j["start"] = c.start;
      j["end"] = c.end;
      j["key"] = c.key.empty() ? json(nullptr) : json(c.key);
    } else {
      j["key"] = c.key;
      j["labels"] = c.labels;
      if (!c.labels_added.empty()) j["labels_added"] = c.labels_added;
      if (!c.labels_removed.empty()) j["labels_removed"] = c.labels_removed;
    }
    if (c.validity_changed) {
      j["validity"] = {{"before", c.validity_before ? ValidityJson(*c.validity_before) : json(nullptr)},
                       {"after", c.validity_after ? ValidityJson(*c.validity_after) : json(nullptr)}};
    }
    json props = json::object();
    for (const PropertyChange& p : c.properties)
      props[p.name] = {{"before", ValueToJson(p.before)}, {"after", ValueToJson(p.after)}};
    j["properties"] = std::move(props);
    json by = json::array();
    for (const DiffCommit& x : c.commits) by.push_back(CommitJson(x));
    j["commits"] = std::move(by);
    changes.push_back(std::move(j));
  }
  return json{
      {"mode", "recorded"},
      {"from", RecordTimeText(d.from)},
      {"to", RecordTimeText(d.to)},
      {"commits", std::move(commits)},
      {"summary", {{"added", d.added}, {"changed", d.changed}, {"removed", d.removed}, {"total", d.total}}},
      {"truncated", d.truncated()},
      {"changes", std::move(changes)}};
}

json ValidDiffJson(const ValidDiff& d) {
  json changes = json::array();
  for (const ValidChange& c : d.changes) {
    json j{{"label", c.label}, {"key", c.key}, {"name", c.name}};
    if (c.label == "Control" || c.label == "Announcement")
      j["status"] = {{"before", OptText(c.status_before)}, {"after", OptText(c.status_after)}};
    j["began"] = BoundariesJson(c.began);
    j["ended"] = BoundariesJson(c.ended);
    if (c.label == "Control") {
      json steps = json::array();
      for (const LifecycleStep& s : c.steps) {
        steps.push_back(json{{"event", s.event_key},
                             {"effect", s.effect},
                             {"at", s.at.ToString()},
                             {"held_back", s.held_back}});
      }
      j["events"] = std::move(steps);
    }
    changes.push_back(std::move(j));
  }
  return json{{"mode", "valid"},  {"from", d.from.ToString()},  {"to", d.to.ToString()},
              {"total", d.total}, {"truncated", d.truncated()}, {"changes", std::move(changes)}};
}

std::string RecordedDiffSummary(const RecordedDiff& d) {
  return std::to_string(d.added) + " added, " + std::to_string(d.changed) + " changed, " +
         std::to_string(d.removed) + " removed";
}

std::string RecordedDiffText(const RecordedDiff& d) {
  std::ostringstream out;
  out << "Recorded after " << RecordTimeText(d.from) << ", up to " << RecordTimeText(d.to) << ": "
      << RecordedDiffSummary(d) << "\n";
  if (d.commits.empty()) {
    out << "No commit was recorded in that range.\n";
    return out.str();
  }
  out << (d.commits.size() == 1 ? "1 commit:\n" : std::to_string(d.commits.size()) + " commits:\n");
  for (const DiffCommit& c : d.commits)
    out << "  " << RecordTimeText(c.record_time) << "  " << c.origin << "\n";
  for (const RecordedChange& c : d.changes) {
    char mark = c.kind == ChangeKind::kAdded ? '+' : c.kind == ChangeKind::kRemoved ? '-' : '~';
    out << mark << " " << ChangeKindName(c.kind) << " " << (c.relationship ? "relationship " : "node ")
        << (c.relationship ? RelText(c) : NodeText(c)) << "\n";
    if (!c.labels_added.empty() || !c.labels_removed.empty()) {
      out << "    labels:";
      for (const auto& l : c.labels_added) out << " +:" << l;
      for (const auto& l : c.labels_removed) out << " -:" << l;
      out << "\n";
    }
    if (c.validity_changed) {
      out << "    valid: ";
      if (c.kind == ChangeKind::kChanged) out << ValidityText(*c.validity_before) << " -> ";
      out << ValidityText(c.kind == ChangeKind::kRemoved ? *c.validity_before : *c.validity_after) << "\n";
    }
    for (const PropertyChange& p : c.properties) {
      out << "    " << p.name << ": ";
      if (c.kind == ChangeKind::kAdded) {
        out << p.after.ToString();
      } else if (c.kind == ChangeKind::kRemoved) {
        out << p.before.ToString();
      } else {
        out << (p.before.is_null() ? "(absent)" : p.before.ToString()) << " -> "
            << (p.after.is_null() ? "(removed)" : p.after.ToString());
      }
      out << "\n";
    }
    if (d.commits.size() > 1) {
      for (const DiffCommit& x : c.commits)
        out << "    by " << x.origin << " at " << RecordTimeText(x.record_time) << "\n";
    }
  }
  if (d.truncated()) {
    out << "... and " << (d.total - d.changes.size()) << " more change(s) not listed (the limit is "
        << d.changes.size() << ")\n";
  }
  return out.str();
}

std::string ValidDiffText(const ValidDiff& d) {
  std::ostringstream out;
  out << "Valid time, from " << d.from.ToString() << " to " << d.to.ToString() << ": " << d.total
      << (d.total == 1 ? " change" : " changes") << "\n";
  for (const ValidChange& c : d.changes) {
    out << c.label << " " << c.key << (c.name.empty() ? "" : "  " + c.name) << "\n";
    if (c.label == "Control" || c.label == "Announcement") {
      auto s = [](const std::optional<std::string>& v) { return v ? *v : std::string("(no status yet)"); };
      out << "    status: " << s(c.status_before) << " -> " << s(c.status_after) << "\n";
    }
    auto [began, ended] = Verbs(c.label);
    if (!c.began.empty()) out << "    " << BoundariesText(began, c.began) << "\n";
    if (!c.ended.empty()) out << "    " << BoundariesText(ended, c.ended) << "\n";
    for (const LifecycleStep& s : c.steps) {
      out << "    " << s.at.ToString() << " " << s.effect << " (" << s.event_key << ")"
          << (s.held_back ? ", held back: never entered into force" : "") << "\n";
    }
  }
  if (d.truncated()) {
    out << "... and " << (d.total - d.changes.size()) << " more change(s) not listed (the limit is "
        << d.changes.size() << ")\n";
  }
  return out.str();
}

const std::vector<std::string>& RecordedDiffColumns() {
  static const std::vector<std::string> kColumns = {
      "change", "entity", "key", "labels", "type", "start", "end", "properties", "record_time", "origin"};
  return kColumns;
}

std::vector<ValueMap> RecordedDiffRows(const RecordedDiff& d) {
  std::vector<ValueMap> rows;
  for (const RecordedChange& c : d.changes) {
    ValueMap row;
    row["change"] = Value(std::string(ChangeKindName(c.kind)));
    row["entity"] = Value(c.relationship ? "relationship" : "node");
    row["key"] = c.key.empty() ? Value() : Value(c.key);
    ValueList labels;
    for (const auto& l : c.labels) labels.emplace_back(l);
    row["labels"] = c.relationship ? Value() : Value(std::move(labels));
    row["type"] = c.relationship ? Value(c.type) : Value();
    row["start"] = c.relationship ? Value(c.start) : Value();
    row["end"] = c.relationship ? Value(c.end) : Value();
    ValueMap props;
    for (const PropertyChange& p : c.properties)
      props[p.name] = Value(ValueMap{{"before", p.before}, {"after", p.after}});
    row["properties"] = Value(std::move(props));
    const DiffCommit& last = c.commits.back();
    row["record_time"] = Value(DateTime{static_cast<int64_t>(last.record_time)});
    row["origin"] = Value(last.origin);
    rows.push_back(std::move(row));
  }
  return rows;
}

const std::vector<std::string>& ValidDiffColumns() {
  static const std::vector<std::string> kColumns = {"label",        "key",   "name",  "status_before",
                                                    "status_after", "began", "ended", "events"};
  return kColumns;
}

std::vector<ValueMap> ValidDiffRows(const ValidDiff& d) {
  std::vector<ValueMap> rows;
  for (const ValidChange& c : d.changes) {
    ValueMap row;
    row["label"] = Value(c.label);
    row["key"] = Value(c.key);
    row["name"] = Value(c.name);
    row["status_before"] = OptValue(c.status_before);
    row["status_after"] = OptValue(c.status_after);
    row["began"] = BoundaryList(c.began);
    row["ended"] = BoundaryList(c.ended);
    ValueList events;
    for (const LifecycleStep& s : c.steps) {
      events.emplace_back(ValueMap{{"event", Value(s.event_key)},
                                   {"effect", Value(s.effect)},
                                   {"at", Value(s.at)},
                                   {"held_back", Value(s.held_back)}});
    }
    row["events"] = Value(std::move(events));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace lodestone::domain
