#include "domain/views.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include "domain/lifecycle.h"
#include "domain/schema.h"
#include "query/result_format.h"
#include "util/strings.h"

namespace lodestone::domain {
namespace {

using util::Lower;

using json = nlohmann::json;

std::string DayText(int32_t day) { return Date::Containing(day, DatePrecision::kDay).ToString(); }

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
  // Its name, else its title; a claim, an HS code, a variant or an observation (which have neither)
  // is named by what it says; else the key.
  std::string Name(const NodeRecord& r) {
    std::string n = Str(r, "name");
    if (n.empty()) n = Str(r, "title");
    if (!n.empty()) return n;
    auto shorten = [](std::string t) {
      if (t.size() > 90) {
        size_t cut = 88;
        while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;  // at a code point
        t = t.substr(0, cut) + "…";
      }
      return t;
    };
    if (HasLabel(r, "Claim")) {
      n = shorten(Str(r, "text"));
    } else if (HasLabel(r, "HsCode")) {
      std::string code = Str(r, "code"), description = Str(r, "description");
      if (!code.empty()) n = shorten(description.empty() ? code : code + " " + description);
    } else if (HasLabel(r, "Variant")) {
      Value v = Prop(r, "value");
      if (!v.is_null()) n = Str(r, "property") + ": " + ValueToText(v);
    } else if (HasLabel(r, "Observation")) {
      Value v = Prop(r, "value"), period = Prop(r, "period");
      if (!v.is_null() && period.is_date()) {
        n = Str(r, "metric") + " " + period.as_date().ToString() + ": " + ValueToText(v) + " " +
            Str(r, "unit");
      }
    }
    return n.empty() ? r.key : n;
  }
  bool HasLabel(const NodeRecord& r, std::string_view label) {
    auto l = names_.FindLabel(label);
    return l && r.HasLabel(*l);
  }
  std::string PrimaryLabel(const NodeRecord& r) {
    if (const LabelSpec* l = Schema::Default().FindLabelByKey(r.key); l && HasLabel(r, l->name))
      return l->name;
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
  // The same, in the order of the other ends' keys (stable output for the API).
  std::vector<Adj> AdjacentByKey(NodeId id, std::string_view type, Direction dir) {
    auto out = Adjacent(id, type, dir);
    std::sort(out.begin(), out.end(),
              [&](const Adj& a, const Adj& b) { return Key(a.other) < Key(b.other); });
    return out;
  }

  json SourceBrief(NodeId id) {
    const NodeRecord* s = Node(id);
    if (!s) return nullptr;
    Value url = Prop(*s, "url");
    return json{{"key", s->key},
                {"title", Str(*s, "title")},
                {"url", url.is_string() ? json(url.as_string()) : json(nullptr)}};
  }
  json Sources(NodeId id) {
    json out = json::array();
    auto adj = Adjacent(id, "SOURCED_FROM", Direction::kOut);
    std::sort(adj.begin(), adj.end(),
              [&](const Adj& a, const Adj& b) { return Key(a.other) < Key(b.other); });
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
      affects.push_back({{"key", o->key},
                         {"name", rd.Name(*o)},
                         {"effect", effect.is_string() ? json(effect.as_string()) : json(nullptr)}});
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
Result<std::vector<Segment>> PeriodSegments(Reader& rd, NodeId id, const NodeRecord& r,
                                            const std::string& label) {
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
  auto bad = Status::InvalidArgument(
      "cursor: not a cursor this server gave out; pass the \"next\" value of the previous page");
  if (s.empty() || s[0] != 'c' || s.size() % 2 != 1) return bad;
  std::string out;
  for (size_t i = 1; i < s.size(); i += 2) {
    auto hex = [](char c) {
      return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    };
    int hi = hex(s[i]), lo = hex(s[i + 1]);
    if (hi < 0 || lo < 0) return bad;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

// ---- Announcements, measures, claims, observations, disputed values (issue 11) ----------------------

json DateOrNull(const Value& v) { return v.is_date() ? DateJson(v.as_date()) : json(nullptr); }
json StrOrNull(const Value& v) { return v.is_string() ? json(v.as_string()) : json(nullptr); }
json ValueOrNull(const Value& v) { return v.is_null() ? json(nullptr) : ValueToJson(v); }

// A source as the entity's `sources` list writes it: title, authors, publisher, published, url, kind.
json SourceDetail(Reader& rd, NodeId id) {
  const NodeRecord* s = rd.Node(id);
  if (!s) return nullptr;
  json item{{"key", s->key}, {"title", rd.Str(*s, "title")}};
  Value authors = rd.Prop(*s, "authors");
  item["authors"] = authors.is_list() ? ValueToJson(authors) : json::array();
  item["publisher"] = StrOrNull(rd.Prop(*s, "publisher"));
  item["published"] = DateOrNull(rd.Prop(*s, "published"));
  item["url"] = StrOrNull(rd.Prop(*s, "url"));
  item["source_kind"] = StrOrNull(rd.Prop(*s, "source_kind"));
  return item;
}

json NodeSources(Reader& rd, NodeId id) {
  json out = json::array();
  for (const auto& a : rd.AdjacentByKey(id, "SOURCED_FROM", Direction::kOut)) {
    json s = SourceDetail(rd, a.other);
    if (!s.is_null()) out.push_back(std::move(s));
  }
  return out;
}

// A relationship keeps its sources as a list of keys in its `sources` property.
Result<json> RelSources(Reader& rd, const RelRecord& rec) {
  json out = json::array();
  Value keys = rd.RelProp(rec, "sources");
  if (!keys.is_list()) return out;
  for (const Value& k : keys.as_list()) {
    if (!k.is_string()) continue;
    ASSIGN_OR_RETURN(auto id, rd.view().FindNode(k.as_string()));
    if (!id) continue;
    json s = SourceDetail(rd, *id);
    if (!s.is_null()) out.push_back(std::move(s));
  }
  return out;
}

// The common properties a statement or a relationship may carry.
void AddConfidenceNote(const Value& confidence, const Value& note, json* item) {
  (*item)["confidence"] = confidence.is_number() ? json(confidence.as_number()) : json(nullptr);
  (*item)["note"] = StrOrNull(note);
}

json EntityRef(Reader& rd, NodeId id) {
  const NodeRecord* r = rd.Node(id);
  if (!r) return nullptr;
  return json{{"key", r->key}, {"name", rd.Name(*r)}, {"labels", rd.Labels(*r)}};
}

// Causal links in and out, each with its kind; sentences read from start to end ("this anticipates X",
// "X retaliates against this").
Result<json> CausalLinks(Reader& rd, NodeId id) {
  json out = json::array();
  for (Direction dir : {Direction::kOut, Direction::kIn}) {
    auto adj = rd.Adjacent(id, "CAUSAL_LINK", dir);
    std::sort(adj.begin(), adj.end(), [&](const Reader::Adj& a, const Reader::Adj& b) {
      std::string ka = rd.RelProp(a.rec, "kind").is_string() ? rd.RelProp(a.rec, "kind").as_string() : "";
      std::string kb = rd.RelProp(b.rec, "kind").is_string() ? rd.RelProp(b.rec, "kind").as_string() : "";
      if (ka != kb) return ka < kb;
      return rd.Key(a.other) < rd.Key(b.other);
    });
    for (const auto& a : adj) {
      json other = EntityRef(rd, a.other);
      if (other.is_null()) continue;
      json item{{"direction", dir == Direction::kOut ? "out" : "in"},
                {"kind", StrOrNull(rd.RelProp(a.rec, "kind"))},
                {"key", other["key"]},
                {"name", other["name"]},
                {"labels", other["labels"]}};
      AddConfidenceNote(rd.RelProp(a.rec, "confidence"), rd.RelProp(a.rec, "note"), &item);
      ASSIGN_OR_RETURN(item["sources"], RelSources(rd, a.rec));
      out.push_back(std::move(item));
    }
  }
  return out;
}

// A measure (a Control): classification, evaluation, lifecycle, codes and materials it covers, the
// jurisdictions implementing it and affected by it, and its typed causes.
Result<json> MeasureJson(Reader& rd, NodeId id, Date today) {
  const NodeRecord* r = rd.Node(id);
  if (!r) return json(nullptr);
  json m{{"key", r->key}, {"name", rd.Name(*r)}};
  for (const char* p : {"control_kind", "intervention_type", "mast_code", "evaluation", "scope"})
    m[p] = StrOrNull(rd.Prop(*r, p));
  m["evaluated"] = DateOrNull(rd.Prop(*r, "evaluated"));
  m["announced"] = DateOrNull(rd.Prop(*r, "announced"));
  ASSIGN_OR_RETURN(Lifecycle lc, ReadLifecycle(rd.view(), id));
  auto status = StatusAt(lc, today);
  m["status"] = {{"on", today.ToString()}, {"status", status ? json(*status) : json(nullptr)}};
  json segments = json::array();
  for (const auto& s : Segments(lc)) segments.push_back(SegmentJson(s));
  m["segments"] = segments;

  // What it covers: HS codes (directly, or through a product's classification) and materials/products.
  json hs = json::array(), materials = json::array();
  std::set<std::string> hs_seen;  // each code once: covered directly, else through the first product
  auto hs_item = [&](NodeId code, const json& via) {
    const NodeRecord* c = rd.Node(code);
    if (!c || !hs_seen.insert(c->key).second) return;
    Value digits = rd.Prop(*c, "code");
    hs.push_back(
        {{"key", c->key},
         {"code", digits.is_string() ? json(digits.as_string()) : json(c->key.substr(c->key.find('/') + 1))},
         {"description", StrOrNull(rd.Prop(*c, "description"))},
         {"level", StrOrNull(rd.Prop(*c, "level"))},
         {"via", via}});
  };
  auto covers = rd.AdjacentByKey(id, "COVERS", Direction::kOut);
  for (const auto& a : covers) {  // the codes covered directly first
    const NodeRecord* o = rd.Node(a.other);
    if (o && rd.HasLabel(*o, "HsCode")) hs_item(a.other, nullptr);
  }
  for (const auto& a : covers) {
    const NodeRecord* o = rd.Node(a.other);
    if (!o || rd.HasLabel(*o, "HsCode")) continue;
    json item{{"key", o->key}, {"name", rd.Name(*o)}, {"label", rd.PrimaryLabel(*o)}};
    if (rd.HasLabel(*o, "Product")) {
      item["form"] = StrOrNull(rd.Prop(*o, "form"));
      json of = json::array();
      for (const auto& f : rd.Adjacent(a.other, "FORM_OF", Direction::kOut)) {
        json b = rd.Brief(f.other);
        if (!b.is_null()) of.push_back(b);
      }
      item["form_of"] = of;
      for (const auto& c : rd.Adjacent(a.other, "CLASSIFIED_AS", Direction::kOut))
        hs_item(c.other, json{{"key", o->key}, {"name", rd.Name(*o)}});
    }
    materials.push_back(std::move(item));
  }
  std::stable_sort(hs.begin(), hs.end(), [](const json& a, const json& b) {
    return a["code"].get<std::string>() < b["code"].get<std::string>();
  });
  m["hs_codes"] = hs;
  m["materials"] = materials;

  // Jurisdictions: implementing (IMPOSED) and affected (TARGETS, with the basis; absent = targeted).
  json juris = json::array();
  for (const auto& a : rd.AdjacentByKey(id, "IMPOSED", Direction::kIn)) {
    const NodeRecord* o = rd.Node(a.other);
    if (!o) continue;
    json j{{"key", o->key},          {"name", rd.Name(*o)},
           {"role", "implementing"}, {"as", StrOrNull(rd.RelProp(a.rec, "role"))},
           {"basis", nullptr},       {"licence", nullptr}};
    AddConfidenceNote(rd.RelProp(a.rec, "confidence"), rd.RelProp(a.rec, "note"), &j);
    juris.push_back(std::move(j));
  }
  for (const auto& a : rd.AdjacentByKey(id, "TARGETS", Direction::kOut)) {
    const NodeRecord* o = rd.Node(a.other);
    if (!o) continue;
    Value basis = rd.RelProp(a.rec, "basis");
    json j{{"key", o->key},
           {"name", rd.Name(*o)},
           {"role", "affected"},
           {"as", nullptr},
           {"basis", basis.is_string() ? basis.as_string() : std::string("targeted")},
           {"licence", StrOrNull(rd.RelProp(a.rec, "licence"))}};
    AddConfidenceNote(rd.RelProp(a.rec, "confidence"), rd.RelProp(a.rec, "note"), &j);
    juris.push_back(std::move(j));
  }
  m["jurisdictions"] = juris;
  ASSIGN_OR_RETURN(m["causal_links"], CausalLinks(rd, id));
  return m;
}

// An announcement's header: the instrument, its issuers, and the number of its measures.
json AnnouncementJson(Reader& rd, NodeId id) {
  const NodeRecord* r = rd.Node(id);
  if (!r) return nullptr;
  json a{{"key", r->key}, {"title", rd.Name(*r)}};
  a["instrument_id"] = StrOrNull(rd.Prop(*r, "instrument_id"));
  a["instrument_kind"] = StrOrNull(rd.Prop(*r, "instrument_kind"));
  a["announced"] = DateOrNull(rd.Prop(*r, "announced"));
  a["published"] = DateOrNull(rd.Prop(*r, "published"));
  Value official = rd.Prop(*r, "official");
  a["official"] = official.is_bool() ? json(official.as_bool()) : json(nullptr);
  a["url"] = StrOrNull(rd.Prop(*r, "url"));
  json issuers = json::array();
  for (const auto& i : rd.AdjacentByKey(id, "ISSUED", Direction::kIn)) {
    const NodeRecord* o = rd.Node(i.other);
    if (!o) continue;
    issuers.push_back(
        {{"key", o->key}, {"name", rd.Name(*o)}, {"role", StrOrNull(rd.RelProp(i.rec, "role"))}});
  }
  a["issuers"] = issuers;
  return a;
}

// Claims ABOUT the node, kept apart from facts.
Result<json> ClaimsAbout(Reader& rd, NodeId id) {
  struct Row {
    int32_t day;
    std::string key;
    json body;
  };
  std::vector<Row> rows;
  for (const auto& a : rd.Adjacent(id, "ABOUT", Direction::kIn)) {
    const NodeRecord* c = rd.Node(a.other);
    if (!c || !rd.HasLabel(*c, "Claim")) continue;
    json item{{"key", c->key}, {"text", rd.Str(*c, "text")}};
    Value authors = rd.Prop(*c, "authors");
    item["authors"] = authors.is_list() ? ValueToJson(authors) : json::array();
    item["claim_kind"] = StrOrNull(rd.Prop(*c, "claim_kind"));
    item["stance"] = StrOrNull(rd.Prop(*c, "stance"));
    Value stated = rd.Prop(*c, "stated");
    item["stated"] = DateOrNull(stated);
    AddConfidenceNote(rd.Prop(*c, "confidence"), rd.Prop(*c, "note"), &item);
    item["sources"] = NodeSources(rd, a.other);
    json about = json::array();
    for (const auto& b : rd.Adjacent(a.other, "ABOUT", Direction::kOut)) {
      json ref = EntityRef(rd, b.other);
      if (!ref.is_null()) about.push_back(std::move(ref));
    }
    std::sort(about.begin(), about.end(), [](const json& x, const json& y) { return x["key"] < y["key"]; });
    item["about"] = about;
    rows.push_back({stated.is_date() ? stated.as_date().start_day() : INT32_MAX, c->key, std::move(item)});
  }
  std::sort(rows.begin(), rows.end(),
            [](const Row& a, const Row& b) { return a.day != b.day ? a.day < b.day : a.key < b.key; });
  json out = json::array();
  for (auto& r : rows) out.push_back(std::move(r.body));
  return out;
}

// Observations that OBSERVE the node (in any role), grouped into series: by their `series` property,
// else by metric, unit and flow; a series whose points disagree on the unit is split by unit.
Result<json> ObservationsOf(Reader& rd, NodeId id) {
  struct Point {
    int32_t start;
    int32_t end;
    std::string key;
    json body;
  };
  struct Series {
    json head;
    std::set<std::string> roles;
    std::map<std::string, json> dims;     // "role\tkey" -> {key, name, labels, role}
    std::map<std::string, json> sources;  // key -> brief
    std::vector<Point> points;
  };
  std::map<std::string, Series> series;
  for (const auto& a : rd.Adjacent(id, "OBSERVES", Direction::kIn)) {
    const NodeRecord* o = rd.Node(a.other);
    if (!o || !rd.HasLabel(*o, "Observation")) continue;
    Value value = rd.Prop(*o, "value"), period = rd.Prop(*o, "period");
    if (!value.is_number() || !period.is_date()) continue;
    std::string metric = rd.Str(*o, "metric"), unit = rd.Str(*o, "unit"), flow = rd.Str(*o, "flow"),
                name = rd.Str(*o, "series");
    std::string group = (name.empty() ? "\x01" + metric + "\t" + flow : name) + "\t" + unit;
    Series& s = series[group];
    if (s.head.is_null()) {
      s.head = {{"series", name.empty() ? json(nullptr) : json(name)},
                {"metric", metric},
                {"unit", unit},
                {"flow", flow.empty() ? json(nullptr) : json(flow)}};
    }
    Value role = rd.RelProp(a.rec, "role");
    if (role.is_string()) s.roles.insert(role.as_string());
    for (const auto& d : rd.Adjacent(a.other, "OBSERVES", Direction::kOut)) {
      if (d.other == id) continue;
      Value drole = rd.RelProp(d.rec, "role");
      std::string rs = drole.is_string() ? drole.as_string() : "";
      if (s.dims.count(rs + "\t" + rd.Key(d.other))) continue;
      json ref = EntityRef(rd, d.other);
      if (ref.is_null()) continue;
      ref["role"] = rs.empty() ? json(nullptr) : json(rs);
      s.dims[rs + "\t" + rd.Key(d.other)] = std::move(ref);
    }
    for (const auto& src : rd.Adjacent(a.other, "SOURCED_FROM", Direction::kOut)) {
      std::string k = rd.Key(src.other);
      if (!s.sources.count(k)) {
        json b = rd.SourceBrief(src.other);
        if (!b.is_null()) s.sources[k] = std::move(b);
      }
    }
    Date p = period.as_date();
    json point{{"key", o->key}, {"period", DateJson(p)}, {"value", ValueToJson(value)}};
    Value conf = rd.Prop(*o, "confidence");
    if (conf.is_number()) point["confidence"] = conf.as_number();
    s.points.push_back({p.start_day(), p.end_day(), o->key, std::move(point)});
  }
  json out = json::array();
  for (auto& [group, s] : series) {
    std::sort(s.points.begin(), s.points.end(), [](const Point& a, const Point& b) {
      if (a.start != b.start) return a.start < b.start;
      if (a.end != b.end) return a.end < b.end;
      return a.key < b.key;
    });
    json item = s.head;
    item["roles"] = json(std::vector<std::string>(s.roles.begin(), s.roles.end()));
    json dims = json::array();
    for (auto& [k, d] : s.dims) dims.push_back(std::move(d));
    item["dimensions"] = dims;
    json points = json::array();
    for (auto& p : s.points) points.push_back(std::move(p.body));
    item["points"] = points;
    json sources = json::array();
    for (auto& [k, b] : s.sources) sources.push_back(std::move(b));
    item["sources"] = sources;
    out.push_back(std::move(item));
  }
  return out;
}

// Disputed values: the Variant nodes VARIANT_OF the node, by property, the preferred one first.
Result<json> VariantsOf(Reader& rd, const NodeRecord& self, NodeId id) {
  std::map<std::string, std::vector<json>> by_prop;
  for (const auto& a : rd.Adjacent(id, "VARIANT_OF", Direction::kIn)) {
    const NodeRecord* v = rd.Node(a.other);
    if (!v || !rd.HasLabel(*v, "Variant")) continue;
    std::string prop = rd.Str(*v, "property");
    if (prop.empty()) continue;
    Value preferred = rd.Prop(*v, "preferred");
    json item{{"key", v->key},
              {"value", ValueOrNull(rd.Prop(*v, "value"))},
              {"preferred", preferred.is_bool() && preferred.as_bool()}};
    AddConfidenceNote(rd.Prop(*v, "confidence"), rd.Prop(*v, "note"), &item);
    item["sources"] = NodeSources(rd, a.other);
    by_prop[prop].push_back(std::move(item));
  }
  json out = json::array();
  for (auto& [prop, values] : by_prop) {
    std::sort(values.begin(), values.end(), [](const json& a, const json& b) {
      if (a["preferred"] != b["preferred"]) return a["preferred"].get<bool>();
      double ca = a["confidence"].is_number() ? a["confidence"].get<double>() : -1;
      double cb = b["confidence"].is_number() ? b["confidence"].get<double>() : -1;
      if (ca != cb) return ca > cb;
      return a["key"] < b["key"];
    });
    out.push_back({{"property", prop}, {"current", ValueOrNull(rd.Prop(self, prop))}, {"values", values}});
  }
  return out;
}

}  // namespace

json DateJson(Date d) {
  return {{"value", d.ToString()},
          {"precision", std::string(PrecisionName(d.precision()))},
          {"start", DayText(d.start_day())},
          {"end", DayText(d.end_day())}};
}

Result<TimelineQuery> ParseTimelineQuery(const std::multimap<std::string, std::string>& params) {
  TimelineQuery q;
  for (const auto& [k, v] : params) {
    if (k == "from" || k == "to") {
      auto d = Date::Parse(v);
      if (!d.ok()) {
        return Status::InvalidArgument(k + ": '" + v +
                                       "' is not a date; use 2025-10-30, 2025-10, 2026-Q1, 2026-H1 or 2025");
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
      if (!end || *end || n < 1 || n > 1000)
        return Status::InvalidArgument("limit: expected a number from 1 to 1000, got '" + v + "'");
      q.limit = static_cast<size_t>(n);
    } else if (k == "cursor") {
      q.cursor = v;
    } else {
      return Status::InvalidArgument("unknown parameter '" + k +
                                     "'; the timeline takes from, to, actor, label, kind, q, limit, cursor");
    }
  }
  if (q.from && q.to && q.to->end_day() <= q.from->start_day()) {
    return Status::InvalidArgument("to (" + q.to->ToString() + ") is before from (" + q.from->ToString() +
                                   ")");
  }
  return q;
}

Result<json> Timeline(ReadView& view, const TimelineQuery& query) {
  Reader rd(view);
  const int32_t lo = query.from ? query.from->start_day() : INT32_MIN;
  const int32_t hi = query.to ? query.to->end_day() : INT32_MAX;
  auto want_label = [&](const std::string& l) {
    return query.labels.empty() ||
           std::find(query.labels.begin(), query.labels.end(), l) != query.labels.end();
  };
  auto want_kind = [&](const Value& kind) {
    if (query.kinds.empty()) return true;
    return kind.is_string() &&
           std::find(query.kinds.begin(), query.kinds.end(), kind.as_string()) != query.kinds.end();
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
      if (std::find(query.actors.begin(), query.actors.end(), a["key"].get<std::string>()) !=
          query.actors.end())
        return true;
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
      items.push_back(
          {segs[0].from.start_day(), static_cast<int>(segs[0].from.precision()), 1, r->key, std::move(body)});
    }
  }
  std::sort(items.begin(), items.end(),
            [](const Item& a, const Item& b) { return a.SortKey() < b.SortKey(); });
  size_t begin = 0;
  if (!query.cursor.empty()) {
    ASSIGN_OR_RETURN(std::string after, DecodeCursor(query.cursor));
    begin = static_cast<size_t>(
        std::upper_bound(items.begin(), items.end(), after,
                         [](const std::string& k, const Item& i) { return k < i.SortKey(); }) -
        items.begin());
  }
  size_t limit = std::clamp<size_t>(query.limit, 1, 1000);
  size_t end = std::min(items.size(), begin + limit);
  json events = json::array(), periods = json::array();
  for (size_t i = begin; i < end; ++i)
    (items[i].type == 0 ? events : periods).push_back(std::move(items[i].body));
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
    validity.push_back({{"from", p.from ? DateJson(*p.from) : json(nullptr)},
                        {"to", p.to ? DateJson(*p.to) : json(nullptr)}});
  }
  if (validity.empty()) validity.push_back({{"from", nullptr}, {"to", nullptr}});
  out["validity"] = validity;
  out["status"] = nullptr;
  json measure = nullptr;  // a Control's details: its status and segments are the entity's too
  if (rd.HasLabel(*r, "Control")) {
    ASSIGN_OR_RETURN(measure, MeasureJson(rd, *id, today));
    out["status"] = measure["status"];
    out["segments"] = measure["segments"];
  } else if (rd.HasLabel(*r, "Agreement") || rd.HasLabel(*r, "Project")) {
    ASSIGN_OR_RETURN(auto segs,
                     PeriodSegments(rd, *id, *r, rd.HasLabel(*r, "Agreement") ? "Agreement" : "Project"));
    json segments = json::array();
    for (const auto& seg : segs) segments.push_back(SegmentJson(seg));
    out["segments"] = segments;
  }
  // Announcements and measures (docs/api.md): an announcement's instrument and its measures, each with
  // its own lifecycle; a measure's own details and the announcement it belongs to.
  out["announcement"] = nullptr;
  out["measures"] = json::array();
  out["measure"] = nullptr;
  if (rd.HasLabel(*r, "Announcement")) {
    json a = AnnouncementJson(rd, *id);
    auto parts = rd.Adjacent(*id, "ANNOUNCED_IN", Direction::kIn);
    std::vector<std::pair<std::string, json>> measures;
    std::vector<std::optional<std::string>> statuses;
    json counts = json::object();
    for (const auto& p : parts) {
      const NodeRecord* m = rd.Node(p.other);
      if (!m || !rd.HasLabel(*m, "Control")) continue;
      ASSIGN_OR_RETURN(json mj, MeasureJson(rd, p.other, today));
      const json& st = mj["status"]["status"];
      statuses.push_back(st.is_string() ? std::optional<std::string>(st.get<std::string>()) : std::nullopt);
      std::string ck = st.is_string() ? st.get<std::string>() : "unknown";
      counts[ck] = counts.value(ck, 0) + 1;
      // In the order they take effect: the first segment's start, then the key.
      std::string order =
          mj["segments"].empty() ? "9999" : mj["segments"][0]["from"]["start"].get<std::string>();
      measures.push_back({order + "\t" + m->key, std::move(mj)});
    }
    std::sort(measures.begin(), measures.end(),
              [](const auto& x, const auto& y) { return x.first < y.first; });
    for (auto& [k, mj] : measures) out["measures"].push_back(std::move(mj));
    auto pkg = PackageStatus(statuses);
    a["package_status"] = {
        {"on", today.ToString()}, {"status", pkg ? json(*pkg) : json(nullptr)}, {"measures", counts}};
    out["announcement"] = std::move(a);
  } else if (!measure.is_null()) {
    out["measure"] = measure;
    auto in = rd.AdjacentByKey(*id, "ANNOUNCED_IN", Direction::kOut);
    if (!in.empty()) {
      json a = AnnouncementJson(rd, in.front().other);
      if (!a.is_null())
        a["measure_count"] = rd.Adjacent(in.front().other, "ANNOUNCED_IN", Direction::kIn).size();
      out["announcement"] = std::move(a);
    }
  }
  if (!measure.is_null()) {
    out["causal_links"] = measure["causal_links"];
  } else {
    ASSIGN_OR_RETURN(out["causal_links"], CausalLinks(rd, *id));
  }
  ASSIGN_OR_RETURN(out["claims"], ClaimsAbout(rd, *id));
  ASSIGN_OR_RETURN(out["observations"], ObservationsOf(rd, *id));
  ASSIGN_OR_RETURN(out["variants"], VariantsOf(rd, *r, *id));
  out["sources"] = NodeSources(rd, *id);  // with their details
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
    if (seen.insert(a.other).second)
      nodes.push_back({{"key", o->key}, {"labels", rd.Labels(*o)}, {"name", rd.Name(*o)}});
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
        v.push_back({{"from", per.from ? DateJson(*per.from) : json(nullptr)},
                     {"to", per.to ? DateJson(*per.to) : json(nullptr)}});
      }
      rel["validity"] = v;
    }
    rels.push_back(rel);
  }
  out["neighbours"] = {{"nodes", nodes}, {"relationships", rels}};
  // The entity's timeline: related events in date order.
  json timeline = json::array();
  std::set<NodeId> events_seen;
  auto cur = view.ScanSubjectTime(*id, {}, {}, TimeOrder::kOldestFirst);
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
    results.push_back({{"key", hits[i].key},
                       {"name", hits[i].name},
                       {"labels", hits[i].labels},
                       {"matched", hits[i].matched}});
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
    indexes.push_back({{"label", names.LabelName(s.label)},
                       {"property", names.PropKeyName(s.key)},
                       {"kind", std::string(Value::KindName(s.kind))}});
  }
  ASSIGN_OR_RETURN(Schema schema, Schema::ForView(view));
  return json{{"labels", labels},
              {"relationship_types", types},
              {"property_keys", keys},
              {"indexes", indexes},
              {"domain", schema.ToJson()}};
}

}  // namespace lodestone::domain
