#include "domain/views.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "domain/lifecycle.h"
#include "domain/schema.h"
#include "query/result_format.h"

namespace lodestone::domain {
namespace {

using json = nlohmann::json;

std::string DayText(int32_t day) { return Date::Containing(day, DatePrecision::kDay).ToString(); }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Reads nodes and their common properties by id, cached for one view call.
class Reader {
 public:
  explicit Reader(ReadView& view) : view_(view), names_(view.names()) {}
  ReadView& view() { return view_; }
  const NameResolver& names() { return names_; }

  const NodeRecord* Node(NodeId id) {
    auto it = cache_.find(id);
    if (it != cache_.end()) return it->second ? &*it->second : nullptr;
    NodeRecord r;
    auto found = view_.GetNode(id, &r);
    if (!found.ok() || !*found) {
      cache_.emplace(id, std::nullopt);
      return nullptr;
    }
    return &*cache_.emplace(id, std::move(r)).first->second;
  }
  Value Prop(const NodeRecord& r, std::string_view name) {
    auto k = names_.FindPropKey(name);
    if (!k) return Value();
    const Value* v = FindProperty(r.props, *k);
    return v ? *v : Value();
  }
  Value RelProp(const RelRecord& r, std::string_view name) {
    auto k = names_.FindPropKey(name);
    if (!k) return Value();
    const Value* v = FindProperty(r.props, *k);
    return v ? *v : Value();
  }
  std::string Str(const NodeRecord& r, std::string_view name) {
    Value v = Prop(r, name);
    return v.is_string() ? v.as_string() : std::string();
  }
  std::string Name(const NodeRecord& r) {
    std::string n = Str(r, "name");
    if (n.empty()) n = Str(r, "title");
    return n.empty() ? r.key : n;
  }
  bool HasLabel(const NodeRecord& r, std::string_view label) {
    auto l = names_.FindLabel(label);
    return l && r.HasLabel(*l);
  }
  std::string PrimaryLabel(const NodeRecord& r) {
    if (const LabelSpec* l = Schema::Default().FindLabelByKey(r.key); l && HasLabel(r, l->name)) return l->name;
    return r.labels.empty() ? "" : names_.LabelName(r.labels[0]);
  }
  json Labels(const NodeRecord& r) {
    json out = json::array();
    std::string primary = PrimaryLabel(r);
    if (!primary.empty()) out.push_back(primary);
    for (LabelId l : r.labels) {
      std::string n = names_.LabelName(l);
      if (n != primary) out.push_back(n);
    }
    return out;
  }

  struct Adj {
    std::string type;
    NodeId other;
    Direction dir;
    RelRef ref;
    RelRecord rec;
  };
  // Relationships of a node, optionally of one type and direction.
  std::vector<Adj> Adjacent(NodeId id, std::optional<std::string_view> type = std::nullopt,
                            std::optional<Direction> dir = std::nullopt) {
    std::vector<Adj> out;
    ScanOptions so;
    so.dir = dir;
    if (type) {
      auto t = names_.FindRelType(*type);
      if (!t) return out;
      so.type = *t;
    }
    auto cur = view_.ScanAdj(id, so);
    for (; cur->Valid(); cur->Next()) {
      Adj a;
      a.type = names_.RelTypeName(cur->entry().rel.type);
      a.other = cur->entry().other;
      a.dir = cur->entry().dir;
      a.ref = cur->entry().rel;
      if (!cur->record(&a.rec).ok()) continue;
      out.push_back(std::move(a));
    }
    return out;
  }

  json SourceBrief(NodeId id) {
    const NodeRecord* s = Node(id);
    if (!s) return nullptr;
    Value url = Prop(*s, "url");
    return json{{"key", s->key}, {"title", Str(*s, "title")}, {"url", url.is_string() ? json(url.as_string()) : json(nullptr)}};
  }
  json Sources(NodeId id) {
    json out = json::array();
    auto adj = Adjacent(id, "SOURCED_FROM", Direction::kOut);
    std::sort(adj.begin(), adj.end(), [&](const Adj& a, const Adj& b) { return Key(a.other) < Key(b.other); });
    for (const Adj& a : adj) {
      json s = SourceBrief(a.other);
      if (!s.is_null()) out.push_back(s);
    }
    return out;
  }
  std::string Key(NodeId id) {
    const NodeRecord* r = Node(id);
    return r ? r->key : std::string();
  }
  json Brief(NodeId id) {
    const NodeRecord* r = Node(id);
    if (!r) return nullptr;
    return json{{"key", r->key}, {"name", Name(*r)}};
  }

 private:
  ReadView& view_;
  const NameResolver& names_;
  std::unordered_map<NodeId, std::optional<NodeRecord>> cache_;
};

json EventJson(Reader& rd, NodeId id, const NodeRecord& r) {
  json e;
  e["key"] = r.key;
  e["title"] = rd.Str(r, "title");
  Value date = rd.Prop(r, "date");
  e["date"] = date.is_date() ? DateJson(date.as_date()) : json(nullptr);
  Value kind = rd.Prop(r, "event_kind");
  e["kind"] = kind.is_string() ? json(kind.as_string()) : json(nullptr);
  Value summary = rd.Prop(r, "summary");
  e["summary"] = summary.is_string() ? json(summary.as_string()) : json(nullptr);
  json actors = json::array(), affects = json::array(), concerns = json::array();
  for (auto& a : rd.Adjacent(id, std::nullopt, Direction::kOut)) {
    const NodeRecord* o = rd.Node(a.other);
    if (!o) continue;
    if (a.type == "INVOLVES") {
      json item{{"key", o->key}, {"name", rd.Name(*o)}};
      Value role = rd.RelProp(a.rec, "role");
      if (role.is_string()) item["role"] = role.as_string();
      actors.push_back(item);
    } else if (a.type == "AFFECTS") {
      Value effect = rd.RelProp(a.rec, "effect");
      affects.push_back({{"key", o->key}, {"name", rd.Name(*o)}, {"effect", effect.is_string() ? json(effect.as_string()) : json(nullptr)}});
    } else if (a.type == "CONCERNS") {
      concerns.push_back({{"key", o->key}, {"name", rd.Name(*o)}, {"label", rd.PrimaryLabel(*o)}});
    }
  }
  e["actors"] = actors;
  e["affects"] = affects;
  e["concerns"] = concerns;
  e["sources"] = rd.Sources(id);
  return e;
}

json SegmentJson(const Segment& s) {
  return {{"status", s.status}, {"from", DateJson(s.from)}, {"to", s.to ? DateJson(*s.to) : json(nullptr)}};
}

// The segments of a period item: a control's lifecycle, or an agreement's or project's validity.
Result<std::vector<Segment>> PeriodSegments(Reader& rd, NodeId id, const NodeRecord& r, const std::string& label) {
  if (label == "Control") {
    ASSIGN_OR_RETURN(Lifecycle lc, ReadLifecycle(rd.view(), id));
    return Segments(lc);
  }
  std::vector<Segment> out;
  for (const auto& p : r.validity) {
    if (p.from) out.push_back({"active", *p.from, p.to});
  }
  return out;
}

json PeriodActors(Reader& rd, NodeId id, const std::string& label) {
  json out = json::array();
  auto add = [&](const Reader::Adj& a, const char* role) {
    const NodeRecord* o = rd.Node(a.other);
    if (!o || !rd.HasLabel(*o, "Actor")) return;
    json item{{"key", o->key}, {"name", rd.Name(*o)}, {"role", role}};
    Value as = rd.RelProp(a.rec, "role");
    if (as.is_string()) item["as"] = as.as_string();
    out.push_back(item);
  };
  if (label == "Control") {
    for (auto& a : rd.Adjacent(id, "IMPOSED", Direction::kIn)) add(a, "imposed");
    for (auto& a : rd.Adjacent(id, "TARGETS", Direction::kOut)) add(a, "targeted");
  } else if (label == "Agreement") {
    for (auto& a : rd.Adjacent(id, "PARTY_TO", Direction::kIn)) add(a, "party");
  } else if (label == "Project") {
    for (auto& a : rd.Adjacent(id, "PARTICIPATES_IN", Direction::kIn)) add(a, "participant");
  }
  return out;
}

std::string KindProp(const std::string& label) {
  if (label == "Control") return "control_kind";
  if (label == "Agreement") return "agreement_kind";
  if (label == "Project") return "project_kind";
  return "event_kind";
}

// A timeline item with its sort key.
struct Item {
  int32_t start = 0;
  int precision = 0;
  int type = 0;  // 0 event, 1 period
  std::string key;
  json body;
  std::string SortKey() const {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%011d.%d.%d.", start + 1000000000, precision, type);
    return buf + key;
  }
};

std::string EncodeCursor(const std::string& s) {
  static const char* digits = "0123456789abcdef";
  std::string out = "c";
  for (unsigned char c : s) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

Result<std::string> DecodeCursor(const std::string& s) {
  auto bad = Status::InvalidArgument("cursor: not a cursor this server gave out; pass the \"next\" value of the previous page");
  if (s.empty() || s[0] != 'c' || s.size() % 2 != 1) return bad;
  std::string out;
  for (size_t i = 1; i < s.size(); i += 2) {
    auto hex = [](char c) { return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1; };
    int hi = hex(s[i]), lo = hex(s[i + 1]);
    if (hi < 0 || lo < 0) return bad;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

}  // namespace

json DateJson(Date d) {
  return {{"value", d.ToString()}, {"precision", std::string(PrecisionName(d.precision()))}, {"start", DayText(d.start_day())},
          {"end", DayText(d.end_day())}};
}

Result<TimelineQuery> ParseTimelineQuery(const std::multimap<std::string, std::string>& params) {
  TimelineQuery q;
  for (const auto& [k, v] : params) {
    if (k == "from" || k == "to") {
      auto d = Date::Parse(v);
      if (!d.ok()) {
        return Status::InvalidArgument(k + ": '" + v + "' is not a date; use 2025-10-30, 2025-10, 2026-Q1, 2026-H1 or 2025");
      }
      (k == "from" ? q.from : q.to) = *d;
    } else if (k == "actor") {
      q.actors.push_back(v);
    } else if (k == "label") {
      if (v != "Event" && v != "Control" && v != "Agreement" && v != "Project") {
        return Status::InvalidArgument("label: '" + v + "' is not one of Event, Control, Agreement, Project");
      }
      q.labels.push_back(v);
    } else if (k == "kind") {
      q.kinds.push_back(v);
    } else if (k == "q") {
      q.q = v;
    } else if (k == "limit") {
      char* end = nullptr;
      long n = std::strtol(v.c_str(), &end, 10);
      if (!end || *end || n < 1 || n > 1000) return Status::InvalidArgument("limit: expected a number from 1 to 1000, got '" + v + "'");
      q.limit = static_cast<size_t>(n);
    } else if (k == "cursor") {
      q.cursor = v;
    } else {
      return Status::InvalidArgument("unknown parameter '" + k + "'; the timeline takes from, to, actor, label, kind, q, limit, cursor");
    }
  }
  if (q.from && q.to && q.to->end_day() <= q.from->start_day()) {
    return Status::InvalidArgument("to (" + q.to->ToString() + ") is before from (" + q.from->ToString() + ")");
  }
  return q;
}

Result<json> Timeline(ReadView& view, const TimelineQuery& query) {
  Reader rd(view);
  const int32_t lo = query.from ? query.from->start_day() : INT32_MIN;
  const int32_t hi = query.to ? query.to->end_day() : INT32_MAX;
  auto want_label = [&](const std::string& l) {
    return query.labels.empty() || std::find(query.labels.begin(), query.labels.end(), l) != query.labels.end();
  };
  auto want_kind = [&](const Value& kind) {
    if (query.kinds.empty()) return true;
    return kind.is_string() && std::find(query.kinds.begin(), query.kinds.end(), kind.as_string()) != query.kinds.end();
  };
  std::string needle = Lower(query.q);
  auto matches_text = [&](const NodeRecord& r) {
    if (needle.empty()) return true;
    for (const char* p : {"title", "name", "summary"}) {
      if (Lower(rd.Str(r, p)).find(needle) != std::string::npos) return true;
    }
    return false;
  };
  auto involves_actor = [&](const json& actors) {
    if (query.actors.empty()) return true;
    for (const auto& a : actors) {
      if (std::find(query.actors.begin(), query.actors.end(), a["key"].get<std::string>()) != query.actors.end()) return true;
    }
    return false;
  };
  std::vector<Item> items;

  if (want_label("Event")) {
    // Dated nodes by start day; a coarse date may start up to a year before the range and overlap it.
    DateRange range;
    if (query.from) range.from_day = lo - 366;
    if (query.to) range.to_day = hi;
    auto event_label = view.names().FindLabel("Event");
    auto cur = view.ScanTime(range);
    for (; cur->Valid(); cur->Next()) {
      const DatedEntry& e = cur->entry();
      if (!event_label) continue;
      if (e.labels) {
        if (std::find(e.labels->begin(), e.labels->end(), *event_label) == e.labels->end()) continue;
      } else {
        auto has = view.HasLabel(e.node, *event_label);  // the index may not carry labels (a cached scan)
        if (!has.ok()) return has.status();
        if (!*has) continue;
      }
      if (e.date.end_day() <= lo || e.date.start_day() >= hi) continue;
      const NodeRecord* r = rd.Node(e.node);
      if (!r || !want_kind(rd.Prop(*r, "event_kind")) || !matches_text(*r)) continue;
      json body = EventJson(rd, e.node, *r);
      if (!involves_actor(body["actors"])) continue;
      items.push_back({e.date.start_day(), static_cast<int>(e.date.precision()), 0, r->key, std::move(body)});
    }
    RETURN_IF_ERROR(cur->status());
  }
  for (const std::string label : {"Control", "Agreement", "Project"}) {
    if (!want_label(label)) continue;
    auto l = view.names().FindLabel(label);
    if (!l) continue;
    auto cur = view.ScanLabel(*l);
    std::vector<NodeId> ids;
    for (; cur->Valid(); cur->Next()) ids.push_back(cur->entry().id);
    RETURN_IF_ERROR(cur->status());
    for (NodeId id : ids) {
      const NodeRecord* r = rd.Node(id);
      if (!r) continue;
      Value kind = rd.Prop(*r, KindProp(label));
      if (!want_kind(kind) || !matches_text(*r)) continue;
      ASSIGN_OR_RETURN(std::vector<Segment> segs, PeriodSegments(rd, id, *r, label));
      if (segs.empty()) continue;
      bool touches = std::any_of(segs.begin(), segs.end(), [&](const Segment& s) {
        int32_t end = s.to ? s.to->end_day() : INT32_MAX;
        return s.from.start_day() < hi && end > lo;
      });
      if (!touches) continue;
      json actors = PeriodActors(rd, id, label);
      if (!involves_actor(actors)) continue;
      json segments = json::array();
      for (const auto& s : segs) segments.push_back(SegmentJson(s));
      json body{{"key", r->key},
                {"label", label},
                {"name", rd.Name(*r)},
                {"kind", kind.is_string() ? json(kind.as_string()) : json(nullptr)},
                {"actors", actors},
                {"segments", segments},
                {"sources", rd.Sources(id)}};
      items.push_back({segs[0].from.start_day(), static_cast<int>(segs[0].from.precision()), 1, r->key, std::move(body)});
    }
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) { return a.SortKey() < b.SortKey(); });
  size_t begin = 0;
  if (!query.cursor.empty()) {
    ASSIGN_OR_RETURN(std::string after, DecodeCursor(query.cursor));
    begin = static_cast<size_t>(std::upper_bound(items.begin(), items.end(), after,
                                                 [](const std::string& k, const Item& i) { return k < i.SortKey(); }) -
                                items.begin());
  }
  size_t limit = std::clamp<size_t>(query.limit, 1, 1000);
  size_t end = std::min(items.size(), begin + limit);
  json events = json::array(), periods = json::array();
  for (size_t i = begin; i < end; ++i) (items[i].type == 0 ? events : periods).push_back(std::move(items[i].body));
  json out;
  out["from"] = query.from ? DateJson(*query.from) : json(nullptr);
  out["to"] = query.to ? DateJson(*query.to) : json(nullptr);
  out["events"] = events;
  out["periods"] = periods;
  out["total"] = items.size();
  out["next"] = end < items.size() ? json(EncodeCursor(items[end - 1].SortKey())) : json(nullptr);
  return out;
}

Result<json> Entity(GraphStore& store, ReadView& view, std::string_view key, Date today) {
  Reader rd(view);
  ASSIGN_OR_RETURN(auto id, view.FindNode(key));
  if (!id) return Status::NotFound("no entity has the key '" + std::string(key) + "'");
  const NodeRecord* r = rd.Node(*id);
  if (!r) return Status::NotFound("no entity has the key '" + std::string(key) + "'");
  const NameResolver& names = view.names();
  json out;
  out["key"] = r->key;
  out["labels"] = rd.Labels(*r);
  out["name"] = rd.Name(*r);
  json props = json::object();
  for (const auto& [k, v] : r->props) props[names.PropKeyName(k)] = ValueToJson(v);
  out["properties"] = props;
  json validity = json::array();
  for (const auto& p : r->validity) {
    validity.push_back({{"from", p.from ? DateJson(*p.from) : json(nullptr)}, {"to", p.to ? DateJson(*p.to) : json(nullptr)}});
  }
  if (validity.empty()) validity.push_back({{"from", nullptr}, {"to", nullptr}});
  out["validity"] = validity;
  out["status"] = nullptr;
  if (rd.HasLabel(*r, "Control")) {
    ASSIGN_OR_RETURN(Lifecycle lc, ReadLifecycle(view, *id));
    auto s = StatusAt(lc, today);
    out["status"] = {{"on", today.ToString()}, {"status", s ? json(*s) : json(nullptr)}};
    json segments = json::array();
    for (const auto& seg : Segments(lc)) segments.push_back(SegmentJson(seg));
    out["segments"] = segments;
  } else if (rd.HasLabel(*r, "Agreement") || rd.HasLabel(*r, "Project")) {
    ASSIGN_OR_RETURN(auto segs, PeriodSegments(rd, *id, *r, rd.HasLabel(*r, "Agreement") ? "Agreement" : "Project"));
    json segments = json::array();
    for (const auto& seg : segs) segments.push_back(SegmentJson(seg));
    out["segments"] = segments;
  }
  // Sources with their details.
  json sources = json::array();
  auto src_adj = rd.Adjacent(*id, "SOURCED_FROM", Direction::kOut);
  std::sort(src_adj.begin(), src_adj.end(), [&](const auto& a, const auto& b) { return rd.Key(a.other) < rd.Key(b.other); });
  for (const auto& a : src_adj) {
    const NodeRecord* s = rd.Node(a.other);
    if (!s) continue;
    json item{{"key", s->key}, {"title", rd.Str(*s, "title")}};
    Value authors = rd.Prop(*s, "authors"), publisher = rd.Prop(*s, "publisher"), published = rd.Prop(*s, "published"),
          url = rd.Prop(*s, "url"), kind = rd.Prop(*s, "source_kind");
    item["authors"] = authors.is_list() ? ValueToJson(authors) : json::array();
    item["publisher"] = publisher.is_string() ? json(publisher.as_string()) : json(nullptr);
    item["published"] = published.is_date() ? DateJson(published.as_date()) : json(nullptr);
    item["url"] = url.is_string() ? json(url.as_string()) : json(nullptr);
    item["source_kind"] = kind.is_string() ? json(kind.as_string()) : json(nullptr);
    sources.push_back(item);
  }
  out["sources"] = sources;
  // Neighbours (provenance is under "sources").
  json nodes = json::array(), rels = json::array();
  std::set<NodeId> seen;
  auto adj = rd.Adjacent(*id);
  std::sort(adj.begin(), adj.end(), [&](const auto& a, const auto& b) {
    if (a.type != b.type) return a.type < b.type;
    return rd.Key(a.other) < rd.Key(b.other);
  });
  for (const auto& a : adj) {
    if (a.type == "SOURCED_FROM") continue;
    const NodeRecord* o = rd.Node(a.other);
    if (!o) continue;
    if (seen.insert(a.other).second) nodes.push_back({{"key", o->key}, {"labels", rd.Labels(*o)}, {"name", rd.Name(*o)}});
    json p = json::object();
    for (const auto& [k, v] : a.rec.props) p[names.PropKeyName(k)] = ValueToJson(v);
    json rel{{"type", a.type},
             {"from", a.dir == Direction::kOut ? r->key : o->key},
             {"to", a.dir == Direction::kOut ? o->key : r->key},
             {"properties", p}};
    if (!a.rec.key.empty()) rel["key"] = a.rec.key;
    if (!a.rec.validity.empty()) {
      json v = json::array();
      for (const auto& per : a.rec.validity) {
        v.push_back({{"from", per.from ? DateJson(*per.from) : json(nullptr)}, {"to", per.to ? DateJson(*per.to) : json(nullptr)}});
      }
      rel["validity"] = v;
    }
    rels.push_back(rel);
  }
  out["neighbours"] = {{"nodes", nodes}, {"relationships", rels}};
  // The entity's timeline: related events in date order.
  json timeline = json::array();
  std::set<NodeId> events_seen;
  auto cur = view.ScanSubjectTime(*id, {});
  for (; cur->Valid(); cur->Next()) {
    NodeId ev = cur->entry().node;
    if (!events_seen.insert(ev).second) continue;
    const NodeRecord* e = rd.Node(ev);
    if (!e || !rd.HasLabel(*e, "Event")) continue;
    timeline.push_back(EventJson(rd, ev, *e));
  }
  RETURN_IF_ERROR(cur->status());
  out["timeline"] = timeline;
  // Recorded versions, newest first.
  json versions = json::array();
  ASSIGN_OR_RETURN(auto history, store.NodeHistory(*id));
  for (const Version& v : history) {
    if (v.from_record_time > view.as_of()) continue;  // recorded after this view
    json item;
    item["record_time"] = DateTime{static_cast<int64_t>(v.from_record_time)}.ToString();
    item["to_record_time"] = v.to_record_time && *v.to_record_time <= view.as_of()
                                 ? json(DateTime{static_cast<int64_t>(*v.to_record_time)}.ToString())
                                 : json(nullptr);
    item["origin"] = v.origin;
    if (v.deleted_after && v.to_record_time && *v.to_record_time <= view.as_of()) item["deleted"] = true;
    json vp = json::object();
    if (v.node) {
      for (const auto& [k, val] : v.node->props) vp[names.PropKeyName(k)] = ValueToJson(val);
    }
    item["properties"] = vp;
    versions.push_back(item);
  }
  out["versions"] = versions;
  return out;
}

Result<json> Search(ReadView& view, std::string_view q, size_t limit) {
  std::string needle = Lower(q);
  while (!needle.empty() && needle.back() == ' ') needle.pop_back();
  while (!needle.empty() && needle.front() == ' ') needle.erase(0, 1);
  if (needle.empty()) return Status::InvalidArgument("q: give some text to search for");
  limit = std::clamp<size_t>(limit, 1, 1000);
  Reader rd(view);
  struct Hit {
    int rank;
    std::string name;
    std::string key;
    json labels;
    std::string matched;
  };
  std::vector<Hit> hits;
  // Rank: how the text matches (exact 0, prefix 1, start of a word 2, inside a word 3), then what
  // matched (a name 0, an alias 1, a title 2): "MOFCOM" finds the ministry by its alias before a
  // source whose title starts with the word.
  auto level_of = [&](const std::string& text) -> int {
    std::string t = Lower(text);
    if (t == needle) return 0;
    if (t.rfind(needle, 0) == 0) return 1;
    size_t pos = t.find(needle);
    if (pos == std::string::npos) return -1;
    return std::isalnum(static_cast<unsigned char>(t[pos - 1])) ? 3 : 2;
  };
  auto cur = view.ScanAllNodes();
  for (; cur->Valid(); cur->Next()) {
    const NodeRecord* r = rd.Node(cur->entry().id);
    if (!r || r->key == kSchemaNodeKey) continue;
    std::string name = rd.Name(*r);
    int best = -1;
    std::string matched;
    bool titled = rd.Str(*r, "name").empty() && !rd.Str(*r, "title").empty();
    if (int level = level_of(name); level >= 0) {
      best = level * 4 + (titled ? 2 : 0);
      matched = titled ? "title" : "name";
    }
    Value aliases = rd.Prop(*r, "aliases");
    if (aliases.is_list()) {
      for (const Value& a : aliases.as_list()) {
        if (!a.is_string()) continue;
        int level = level_of(a.as_string());
        if (level < 0) continue;
        int k = level * 4 + 1;
        if (best < 0 || k < best) {
          best = k;
          matched = "alias: " + a.as_string();
        }
      }
    }
    if (best < 0) continue;
    hits.push_back({best, name, r->key, rd.Labels(*r), matched});
  }
  RETURN_IF_ERROR(cur->status());
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.name.size() != b.name.size()) return a.name.size() < b.name.size();
    return a.key < b.key;
  });
  json results = json::array();
  for (size_t i = 0; i < hits.size() && i < limit; ++i) {
    results.push_back({{"key", hits[i].key}, {"name", hits[i].name}, {"labels", hits[i].labels}, {"matched", hits[i].matched}});
  }
  return json{{"results", results}};
}

Result<json> SchemaSummary(ReadView& view) {
  const NameResolver& names = view.names();
  json labels = json::array();
  auto label_names = names.LabelNames();
  for (size_t i = 0; i < label_names.size(); ++i) {
    if (label_names[i].empty() || label_names[i] == kSchemaLabel) continue;
    ASSIGN_OR_RETURN(uint64_t n, view.CountLabel(static_cast<LabelId>(i)));
    if (n > 0) labels.push_back({{"name", label_names[i]}, {"count", n}});
  }
  std::map<RelTypeId, uint64_t> counts;
  auto rels = view.ScanAllRels();
  for (; rels->Valid(); rels->Next()) ++counts[rels->entry().rel.type];
  RETURN_IF_ERROR(rels->status());
  json types = json::array();
  for (const auto& [t, n] : counts) types.push_back({{"name", names.RelTypeName(t)}, {"count", n}});
  json keys = json::array();
  for (const auto& k : names.PropKeyNames()) {
    if (!k.empty()) keys.push_back(k);
  }
  json indexes = json::array();
  for (const IndexSpec& s : names.Indexes()) {
    indexes.push_back({{"label", names.LabelName(s.label)}, {"property", names.PropKeyName(s.key)},
                       {"kind", std::string(Value::KindName(s.kind))}});
  }
  ASSIGN_OR_RETURN(Schema schema, Schema::ForView(view));
  return json{{"labels", labels}, {"relationship_types", types}, {"property_keys", keys}, {"indexes", indexes},
              {"domain", schema.ToJson()}};
}

}  // namespace lodestone::domain
