#include "domain/records.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <unordered_set>

#include <boost/container/small_vector.hpp>
#include <simdjson.h>

namespace lodestone::domain {
namespace {

using json = nlohmann::json;
// A value inside the document simdjson parsed last; valid until the reader parses the next one.
using JValue = simdjson::dom::element;
using simdjson::dom::element_type;

// ------------------------------------------------------------------------------ reading JSON values

std::string_view Str(JValue v) { return v.get_string().value_unsafe(); }
simdjson::dom::array Arr(JValue v) { return v.get_array().value_unsafe(); }
bool IsInteger(JValue v) { return v.type() == element_type::INT64 || v.type() == element_type::UINT64; }
bool IsNumber(JValue v) { return IsInteger(v) || v.type() == element_type::DOUBLE; }
bool IsEmptyArray(JValue v) {
  simdjson::dom::array a = Arr(v);
  return a.begin() == a.end();
}

// The value as nlohmann::json: for messages (printed as the import has always printed values) and
// for schema records (which the schema code reads as nlohmann::json). Never on the hot path.
json ToJson(JValue v) {
  switch (v.type()) {
    case element_type::ARRAY: {
      json a = json::array();
      for (JValue e : Arr(v)) a.push_back(ToJson(e));
      return a;
    }
    case element_type::OBJECT: {
      json o = json::object();
      simdjson::dom::object obj = v.get_object().value_unsafe();
      for (auto member : obj)
        o[std::string(member.key)] = ToJson(member.value);  // a repeated name: the last wins
      return o;
    }
    case element_type::INT64:
      return v.get_int64().value_unsafe();
    case element_type::UINT64:
      return v.get_uint64().value_unsafe();
    case element_type::DOUBLE:
      return v.get_double().value_unsafe();
    case element_type::STRING:
      return std::string(Str(v));
    case element_type::BOOL:
      return v.get_bool().value_unsafe();
    case element_type::NULL_VALUE:
      return nullptr;
  }
  return nullptr;
}

std::string Dump(JValue v) { return ToJson(v).dump(); }

// The members of a JSON object in the order the checks visit them: sorted by name, a repeated name
// keeping its last value. That is nlohmann::json's order, which the import's messages have always
// followed. Objects in records are small: the members live on the stack.
class Members {
 public:
  struct Member {
    std::string_view key;
    JValue value;
  };

  Members() = default;
  explicit Members(JValue object) {
    simdjson::dom::object o = object.get_object().value_unsafe();
    for (auto member : o) items_.push_back({member.key, member.value});
    Normalize();
  }
  // Adds a member (keep the order: add in name order, or call Normalize()).
  void Add(std::string_view key, JValue value) { items_.push_back({key, value}); }
  void Normalize() {
    // Insertion sort: stable, and objects in records are small (std::stable_sort would allocate).
    for (size_t i = 1; i < items_.size(); ++i) {
      Member m = items_[i];
      size_t j = i;
      for (; j > 0 && m.key < items_[j - 1].key; --j) items_[j] = items_[j - 1];
      items_[j] = m;
    }
    // Of equal names, keep the last one.
    size_t out = 0;
    for (size_t i = 0; i < items_.size(); ++i) {
      if (i + 1 < items_.size() && items_[i + 1].key == items_[i].key) continue;
      items_[out++] = items_[i];
    }
    items_.resize(out);
  }

  const JValue* Find(std::string_view key) const {
    for (const Member& m : items_) {
      if (m.key == key) return &m.value;
    }
    return nullptr;
  }
  bool contains(std::string_view key) const { return Find(key) != nullptr; }
  // Present and not null.
  const JValue* FindValue(std::string_view key) const {
    const JValue* v = Find(key);
    return v && !v->is_null() ? v : nullptr;
  }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  size_t size() const { return items_.size(); }

 private:
  boost::container::small_vector<Member, 12> items_;
};

std::string Quoted(JValue j) {
  if (j.is_string()) {
    std::string s(Str(j));
    if (s.size() > 60) s = s.substr(0, 57) + "...";
    return "'" + s + "'";
  }
  std::string s = Dump(j);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

std::string Words(std::string_view snake) {
  std::string out(snake);
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

std::string Article(std::string_view words) {
  if (words.empty()) return "a";
  char c = static_cast<char>(std::tolower(static_cast<unsigned char>(words[0])));
  return (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') ? "an" : "a";
}

// "not valid JSON: parse error at column 15: syntax error while parsing object - ..."
std::string JsonErrorMessage(const std::string& what) {
  // nlohmann: "[json.exception.parse_error.101] parse error at line 1, column 15: syntax error while ..."
  std::string m = what;
  size_t bracket = m.find("] ");
  if (m.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) m = m.substr(bracket + 2);
  size_t at = m.find("at line 1, ");
  if (at != std::string::npos) m.replace(at, 11, "at ");
  return "not valid JSON: " + m;
}

// A list of keys seen so far, for "listed twice" checks; lists in records are short, so a linear
// search serves until one is long.
class SeenKeys {
 public:
  // False when `key` was seen before.
  bool Insert(const std::string& key) {
    if (set_.empty() && list_.size() < 32) {
      if (std::find(list_.begin(), list_.end(), key) != list_.end()) return false;
      list_.push_back(key);
      return true;
    }
    if (set_.empty()) set_.insert(list_.begin(), list_.end());
    return set_.insert(key).second;
  }

 private:
  boost::container::small_vector<std::string, 8> list_;
  std::unordered_set<std::string> set_;
};

bool ConvertProperty(const PropertySpec& spec, JValue j, Value* out, std::string* error);

// ------------------------------------------------------------------------------ checking records

// The property specs a reader has found, by owner (a label or relationship spec) and name. The
// schema's maps build a string for every lookup; a file names the same few properties again and
// again. Only found specs are kept, under the spec's own name (the key must outlive the record).
class SpecCache {
 public:
  template <typename Lookup>
  const PropertySpec* Find(const void* owner, std::string_view name, Lookup lookup) {
    auto it = specs_.find(Key{owner, name});
    if (it != specs_.end()) return it->second;
    const PropertySpec* spec = lookup();
    if (spec) specs_.emplace(Key{owner, spec->name}, spec);
    return spec;
  }

 private:
  struct Key {
    const void* owner;
    std::string_view name;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<std::string_view>{}(k.name) ^
             (reinterpret_cast<uintptr_t>(k.owner) * 0x9E3779B97F4A7C15ull);
    }
  };
  std::unordered_map<Key, const PropertySpec*, KeyHash> specs_;
};

class Checker {
 public:
  Checker(const Schema& schema, std::vector<Problem>* problems, const FieldNamer& namer, SpecCache& specs)
      : schema_(schema), problems_(problems), namer_(namer), specs_(specs) {}

  void Error(const std::string& field, std::string message) {
    problems_->push_back(Problem{"", 0, namer_ ? namer_(field) : field, std::move(message)});
    ok_ = false;
  }
  bool ok() const { return ok_; }

  // A key of the form prefix/slug. `field` gives the field's name (built for messages only).
  template <typename FieldName>
  bool KeyAt(JValue j, const FieldName& field, std::string* out) {
    if (!j.is_string()) {
      Error(field(), "expected a key like \"actor/china\", found " + Quoted(j));
      return false;
    }
    std::string_view k = Str(j);
    if (!ValidKeySyntax(k)) {
      Error(field(), Quoted(j) +
                         " is not a key; keys look like \"actor/china\": a lowercase prefix, '/', then "
                         "lowercase letters, digits, '.', '_' or '-'");
      return false;
    }
    out->assign(k);
    return true;
  }
  bool Key(JValue j, const std::string& field, std::string* out) {
    return KeyAt(
        j, [&] { return field; }, out);
  }

  // An optional date: absent or null is none.
  bool OptDate(const JValue* v, const char* field, std::optional<Date>* out) {
    if (!v || v->is_null()) return true;
    if (!v->is_string()) {
      Error(field,
            "expected a date (2025-10-09, 2025-10, 2026-Q1, 2026-H1 or 2025) or null, found " + Quoted(*v));
      return false;
    }
    auto d = ParseDateText(Str(*v));
    if (!d.ok()) {
      Error(field, d.status().message());
      return false;
    }
    *out = *d;
    return true;
  }

  // One period from its bounds (either may be absent), appended to `out` unless both are absent.
  // Problems name the bounds valid_from and valid_to, also inside "validity".
  bool Bounds(const JValue* from_value, const JValue* to_value, Validity* out) {
    std::optional<Date> from, to;
    bool ok = OptDate(from_value, "valid_from", &from) && OptDate(to_value, "valid_to", &to);
    if (!ok) return false;
    if (from && to) {
      if (to->start_day() < from->start_day() || to->end_day() < from->end_day()) {
        Error("valid_to", "valid_to " + to->ToString() + " is before valid_from " + from->ToString());
        return false;
      }
      if (from->precision() == DatePrecision::kDay && to->precision() == DatePrecision::kDay &&
          *from == *to) {
        Error("valid_to", "valid_to equals valid_from (" + to->ToString() +
                              "): the period is empty; valid_to is the first day the fact no longer holds");
        return false;
      }
    }
    if (from || to) out->push_back(Period{from, to});
    return true;
  }

  // valid_from / valid_to (one period, or none when both are absent), or "validity" (several).
  bool ValidityOf(const Members& rec, Validity* out) {
    if (const JValue* v = rec.FindValue("validity")) {
      // Several periods: "validity": [{"from": "2025-04-04", "to": "2025-06"}, {"from": "2025-09", "to":
      // null}]
      if (rec.contains("valid_from") || rec.contains("valid_to")) {
        Error("validity", "give either \"validity\" (several periods) or valid_from/valid_to, not both");
        return false;
      }
      if (!v->is_array()) {
        Error("validity", "expected a list of periods like {\"from\": \"2025-04\", \"to\": null}");
        return false;
      }
      size_t i = 0;
      for (JValue item : Arr(*v)) {
        std::string field = "validity[" + std::to_string(i++) + "]";
        if (!item.is_object()) {
          Error(field, "expected a period like {\"from\": \"2025-04\", \"to\": null}");
          return false;
        }
        Members bounds(item);
        Validity one;
        if (!Bounds(bounds.Find("from"), bounds.Find("to"), &one)) return false;
        Period p = one.empty() ? Period{} : one[0];
        if (!out->empty()) {
          const Period& prev = out->back();
          if (!prev.to || !p.from || p.from->start_day() < prev.to->start_day()) {
            Error(field, "periods must be in order and must not overlap");
            return false;
          }
        }
        out->push_back(p);
      }
      return true;
    }
    return Bounds(rec.Find("valid_from"), rec.Find("valid_to"), out);
  }

  template <typename What>
  bool Sources(const Members& rec, bool needed, std::vector<std::string>* out, const What& what) {
    const JValue* sources = rec.Find("sources");
    if (!needed) {
      if (sources) {
        Error("sources", std::string(what()) + " cites no sources: remove \"sources\"");
        return false;
      }
      return true;
    }
    if (!sources || !sources->is_array() || IsEmptyArray(*sources)) {
      Error("sources",
            "expected a non-empty list of source keys, e.g. [\"source/...\"]; every record cites where it "
            "comes from");
      return false;
    }
    SeenKeys seen;
    bool ok = true;
    size_t i = 0;
    for (JValue s : Arr(*sources)) {
      std::string key;
      auto field = [n = i++] { return "sources[" + std::to_string(n) + "]"; };
      if (!KeyAt(s, field, &key)) {
        ok = false;
        continue;
      }
      if (key.rfind("source/", 0) != 0) {
        const LabelSpec* l = schema_.FindLabelByKey(key);
        if (!l || l->name != "Source") {
          Error(field(), "'" + key + "' is not a source key; sources have keys source/...");
          ok = false;
          continue;
        }
      }
      if (!seen.Insert(key)) {
        Error(field(), "source " + key + " is listed twice");
        ok = false;
        continue;
      }
      out->push_back(std::move(key));
    }
    return ok;
  }

  // Properties of a node (labels) or a relationship (rel) from a JSON object; absent is empty.
  bool PropsOf(const JValue* props, const std::string& prefix, std::span<const LabelSpec* const> labels,
               const RelSpec* rel, NamedProps* out) {
    if (!props) return true;
    if (!props->is_object()) {
      Error(prefix.empty() ? "props" : prefix.substr(0, prefix.size() - 1),
            "expected an object of properties, found " + Quoted(*props));
      return false;
    }
    return Props(Members(*props), prefix, labels, rel, out);
  }

  bool Props(const Members& props, const std::string& prefix, std::span<const LabelSpec* const> labels,
             const RelSpec* rel, NamedProps* out) {
    bool ok = true;
    out->reserve(out->size() + props.size() + 1);  // + 1: the "sources" of a relationship
    for (const auto& [name_view, value] : props) {
      std::string name(name_view);
      auto field = [&] { return prefix + name; };  // built for messages only
      // Of the labels (the first that has it), the relationship type, or the common properties.
      auto lookup = [&]() -> const PropertySpec* {
        const PropertySpec* found = nullptr;
        for (const LabelSpec* l : labels) {
          if ((found = l->FindProp(name))) return found;
        }
        if (rel && (found = rel->FindProp(name))) return found;
        return rel ? schema_.FindCommonRelProp(name) : schema_.FindCommonNodeProp(name);
      };
      // Cached for one label or a relationship (nearly every record); several labels look up.
      const PropertySpec* spec =
          labels.size() > 1
              ? lookup()
              : specs_.Find(labels.empty() ? static_cast<const void*>(rel) : labels[0], name, lookup);
      if (!spec) {
        std::vector<std::string> allowed;
        for (const LabelSpec* l : labels) {
          for (const auto& [n, p] : l->props) {
            if (!p.derived) allowed.push_back(n);
          }
        }
        if (rel) {
          for (const auto& [n, p] : rel->props) allowed.push_back(n);
        }
        for (const auto& [n, p] : rel ? schema_.common_rel_props() : schema_.common_node_props())
          allowed.push_back(n);
        std::string owner = rel ? rel->name : labels.empty() ? "this record" : labels[0]->name;
        if (name == "sources" && rel) {
          Error(field(), "\"sources\" goes at the top level of the record, not in \"props\"");
        } else if (name == "key" || name == "valid_from" || name == "valid_to") {
          Error(field(), "\"" + name + "\" goes at the top level of the record, not in \"props\"");
        } else {
          Error(field(), "unknown property '" + name + "' for " + owner + "; expected one of " +
                             JoinChoices(allowed, 30));
        }
        ok = false;
        continue;
      }
      if (spec->derived) {
        Error(field(), "'" + name +
                           "' is derived by Lodestone (for a control, from its lifecycle events) and cannot "
                           "be imported; remove it");
        ok = false;
        continue;
      }
      if (value.is_null()) {
        Error(field(), "'" + name + "' is null; leave an unknown property out instead");
        ok = false;
        continue;
      }
      Value v;
      std::string error;
      if (!ConvertProperty(*spec, value, &v, &error)) {
        Error(field(), error);
        ok = false;
        continue;
      }
      out->emplace_back(std::move(name), std::move(v));
    }
    // Members come in name order, so this is mostly a check.
    auto by_name = [](const auto& a, const auto& b) { return a.first < b.first; };
    if (!std::is_sorted(out->begin(), out->end(), by_name)) std::sort(out->begin(), out->end(), by_name);
    return ok;
  }

  bool Required(const NamedProps& props, const std::vector<std::string>& required, const std::string& prefix,
                const std::string& owner) {
    bool ok = true;
    for (const auto& r : required) {
      bool has = std::any_of(props.begin(), props.end(), [&](const auto& p) { return p.first == r; });
      if (!has) {
        Error(prefix + r, "required property '" + r + "' of " + owner + " is missing");
        ok = false;
      }
    }
    return ok;
  }

  bool Fields(const Members& rec, std::initializer_list<std::string_view> allowed, const std::string& form) {
    bool ok = true;
    for (const auto& [k, v] : rec) {
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        std::vector<std::string> names(allowed.begin(), allowed.end());
        Error(std::string(k), "unknown field \"" + std::string(k) + "\" in " + Article(form) + " " + form +
                                  " record; expected " + JoinChoices(names));
        ok = false;
      }
    }
    return ok;
  }

  void Node(const Members& rec, Record* out) {
    out->kind = RecordKind::kNode;
    Fields(rec, {"node", "labels", "props", "valid_from", "valid_to", "validity", "sources"}, "node");
    if (!Key(*rec.Find("node"), "node", &out->key)) return;
    if (out->key.rfind("schema/", 0) == 0) {
      Error("node",
            "keys schema/... are reserved for the schema; extend the schema with a {\"schema\": ...} record");
      return;
    }
    const JValue* labels = rec.Find("labels");
    if (!labels || !labels->is_array() || IsEmptyArray(*labels)) {
      Error("labels",
            "expected a non-empty list of labels, e.g. [\"Actor\"]; the first one must match the key prefix");
      return;
    }
    boost::container::small_vector<const LabelSpec*, 4> specs;
    size_t i = 0;
    for (JValue l : Arr(*labels)) {
      std::string field = "labels[" + std::to_string(i++) + "]";
      if (!l.is_string()) {
        Error(field, "expected a label name, found " + Quoted(l));
        continue;
      }
      std::string name(Str(l));
      const LabelSpec* spec = schema_.FindLabel(name);
      if (!spec) {
        Error(field, "'" + name + "' is not a label; expected one of " +
                         JoinChoices(schema_.LabelNames(false)) + " (a schema extension can add labels)");
        continue;
      }
      if (spec->event_form) {
        Error(field,
              "events are written in the event form: {\"event\": \"event/...\", \"date\": ..., \"title\": "
              "...}");
        continue;
      }
      if (std::find(out->labels.begin(), out->labels.end(), name) != out->labels.end()) continue;
      out->labels.push_back(std::move(name));
      specs.push_back(spec);
    }
    if (!ok_) return;
    const LabelSpec* primary = specs[0];
    if (out->key.rfind(primary->prefix, 0) != 0) {
      const LabelSpec* by_key = schema_.FindLabelByKey(out->key);
      Error(
          "node",
          "key '" + out->key + "' does not match label " + primary->name + ": " + primary->name +
              " keys start with " + primary->prefix +
              (by_key ? " (keys starting with " + by_key->prefix + " are " + by_key->name + " nodes)" : ""));
    }
    if (PropsOf(rec.Find("props"), "props.", {specs.data(), specs.size()}, nullptr, &out->props)) {
      Required(out->props, primary->required, "props.", primary->name);
      KeyMatchesProperty(*primary, *out);
    }
    auto what = [&] { return WithArticle(primary->name) + " node"; };
    if (primary->validity == ValidityRule::kStored) {
      ValidityOf(rec, &out->validity);
    } else {
      for (const char* f : {"valid_from", "valid_to", "validity"}) {
        if (rec.FindValue(f)) {
          Error(f, primary->validity == ValidityRule::kDerived
                       ? std::string("a control's in-force periods come from the events that AFFECTS it "
                                     "(imposes, suspends, ...); remove ") +
                             f
                       : what() + " has no valid time; remove " + f);
        }
      }
    }
    Sources(rec, primary->sources, &out->sources, what);
  }

  // A label whose key is formed from a property (HsCode: hs/850511 has code "850511").
  void KeyMatchesProperty(const LabelSpec& spec, const Record& rec) {
    if (spec.key_property.empty()) return;
    auto it = std::find_if(rec.props.begin(), rec.props.end(),
                           [&](const auto& p) { return p.first == spec.key_property; });
    if (it == rec.props.end() || !it->second.is_string()) return;
    std::string want = spec.prefix + it->second.as_string();
    if (rec.key != want) {
      Error("node", "the key of " + WithArticle(spec.name) + " is " + spec.prefix + " followed by its " +
                        spec.key_property + ": expected \"" + want + "\", found \"" + rec.key + "\"");
    }
  }

  void Rel(const Members& rec, Record* out) {
    out->kind = RecordKind::kRel;
    Fields(rec, {"rel", "from", "to", "key", "props", "valid_from", "valid_to", "validity", "sources"},
           "relationship");
    RelItem item;
    JValue rel = *rec.Find("rel");
    if (!rel.is_string()) {
      Error("rel", "expected a relationship type, e.g. \"IMPOSED\", found " + Quoted(rel));
      return;
    }
    item.type = Str(rel);
    const RelSpec* spec = schema_.FindRel(item.type);
    if (!spec) {
      Error("rel", "'" + item.type + "' is not a relationship type; expected one of " +
                       JoinChoices(schema_.RelTypeNames(false)) + " (a schema extension can add types)");
      return;
    }
    if (spec->generated) {
      Error(
          "rel",
          item.type +
              " relationships are created by the importer from each record's \"sources\"; do not write them");
      return;
    }
    const JValue* from = rec.Find("from");
    const JValue* to = rec.Find("to");
    if (!from) Error("from", "missing: the key of the node the relationship starts at");
    if (!to) Error("to", "missing: the key of the node the relationship ends at");
    if (!ok_) return;
    Key(*from, "from", &item.from);
    Key(*to, "to", &item.to);
    if (ok_ && item.from == item.to) Error("to", item.type + " from a node to itself");
    if (const JValue* key = rec.FindValue("key")) {
      if (!key->is_string() || Str(*key).empty()) {
        Error("key",
              "expected a non-empty string that tells parallel relationships apart, e.g. \"equipment\"");
      } else {
        item.key = Str(*key);
      }
    }
    if (PropsOf(rec.Find("props"), "props.", {}, spec, &item.props))
      Required(item.props, spec->required, "props.", item.type);
    ValidityOf(rec, &item.validity);
    if (Sources(rec, true, &out->sources, [] { return "a relationship"; }))
      AddSourcesProp(out->sources, &item.props);
    out->rels.push_back(std::move(item));
  }

  static void AddSourcesProp(const std::vector<std::string>& sources, NamedProps* props) {
    ValueList l;
    l.reserve(sources.size());
    for (const auto& s : sources) l.emplace_back(s);
    // In name order, as the other properties.
    auto at = std::lower_bound(props->begin(), props->end(), std::string_view("sources"),
                               [](const auto& p, std::string_view name) { return p.first < name; });
    props->emplace(at, "sources", Value(std::move(l)));
  }

  void Event(const Members& rec, Record* out) {
    out->kind = RecordKind::kEvent;
    Fields(rec,
           {"event", "date", "title", "event_kind", "involves", "affects", "concerns", "sources", "summary",
            "props"},
           "event");
    const LabelSpec* spec = nullptr;
    for (const auto& [name, l] : schema_.labels()) {
      if (l.event_form) spec = &l;
    }
    if (!Key(*rec.Find("event"), "event", &out->key)) return;
    if (out->key.rfind(spec->prefix, 0) != 0) {
      Error("event",
            "event keys start with " + spec->prefix + ", e.g. \"event/2025-10-30-trump-xi-busan-meeting\"");
    }
    out->labels = {spec->name};
    Members props;
    if (const JValue* p = rec.Find("props")) {
      if (p->is_object()) {
        props = Members(*p);
      } else {
        Error("props", "expected an object of further event properties, found " + Quoted(*p));
      }
    }
    // Top-level fields are checked under their own names, further properties under props.NAME.
    static constexpr const char* kTop[] = {"title", "date", "event_kind", "summary"};
    Members top;
    for (const char* f : kTop) {
      if (props.contains(f))
        Error(std::string("props.") + f,
              std::string("\"") + f + "\" belongs at the top level of an event record, not in \"props\"");
      if (const JValue* v = rec.Find(f)) top.Add(f, *v);
    }
    top.Normalize();
    Members extra;
    for (const auto& [k, v] : props) {
      if (!top.contains(k)) extra.Add(k, v);
    }
    NamedProps top_props, extra_props;
    const LabelSpec* const specs[] = {spec};
    bool ok = Props(top, "", specs, nullptr, &top_props);
    ok = Props(extra, "props.", specs, nullptr, &extra_props) && ok;
    out->props = std::move(top_props);
    for (auto& p : extra_props) out->props.push_back(std::move(p));
    std::sort(out->props.begin(), out->props.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    if (ok) Required(out->props, spec->required, "", "an event");
    bool sources_ok = Sources(rec, true, &out->sources, [] { return "an event"; });

    // Items: a key, or an object with the key under `key_field` and relationship properties.
    auto items = [&](const char* f, const char* type, const char* key_field, bool object_needed) {
      const JValue* list = rec.FindValue(f);
      if (!list) return;
      if (!list->is_array()) {
        Error(f, std::string("expected a list, found ") + Quoted(*list));
        return;
      }
      const RelSpec* rs = schema_.FindRel(type);
      size_t i = 0;
      SeenKeys seen;
      for (JValue item : Arr(*list)) {
        std::string field = std::string(f) + "[" + std::to_string(i++) + "]";
        RelItem r;
        r.type = type;
        r.from = out->key;
        r.field = field;
        Members fields;
        if (item.is_object()) fields = Members(item);
        if (item.is_string() && !object_needed) {
          if (!Key(item, field, &r.to)) continue;
        } else if (item.is_object() && fields.contains(key_field)) {
          if (!Key(*fields.Find(key_field), field + "." + key_field, &r.to)) continue;
          Members rp;
          for (const auto& [k, v] : fields) {
            if (k == key_field) continue;
            if (k == "key") {
              if (!v.is_string() || Str(v).empty()) {
                Error(field + ".key", "expected a non-empty string");
              } else {
                r.key = Str(v);
              }
              continue;
            }
            rp.Add(k, v);
          }
          if (Props(rp, field + ".", {}, rs, &r.props))
            Required(r.props, rs->required, field + ".", std::string(type));
        } else if (object_needed) {
          Error(field, std::string("expected {\"") + key_field +
                           "\": \"control/...\", \"effect\": \"imposes\"}, found " + Quoted(item));
          continue;
        } else {
          Error(field,
                std::string("expected a key or {\"") + key_field + "\": key, ...}, found " + Quoted(item));
          continue;
        }
        if (!seen.Insert(r.to + "\n" + r.key)) {
          Error(field, r.to + " is listed twice");
          continue;
        }
        if (sources_ok) AddSourcesProp(out->sources, &r.props);
        out->rels.push_back(std::move(r));
      }
    };
    items("involves", "INVOLVES", "actor", false);
    items("affects", "AFFECTS", "control", true);
    items("concerns", "CONCERNS", "key", false);
  }

  void SchemaRecord(const Members& rec, Record* out) {
    out->kind = RecordKind::kSchema;
    Fields(rec, {"schema"}, "schema");
    JValue schema = *rec.Find("schema");
    if (!schema.is_object()) {
      Error("schema", "expected a schema extension object: {\"labels\": {...}, \"relationships\": {...}}");
      return;
    }
    out->schema = ToJson(schema);
  }

 private:
  const Schema& schema_;
  std::vector<Problem>* problems_;
  const FieldNamer& namer_;
  SpecCache& specs_;
  bool ok_ = true;
};

// Checks one parsed record (any form).
bool CheckRecord(JValue j, const Schema& schema, SpecCache& specs, Record* out,
                 std::vector<Problem>* problems, const FieldNamer& namer) {
  Checker c(schema, problems, namer, specs);
  if (!j.is_object()) {
    c.Error("", "a record is a JSON object with one of \"node\", \"rel\", \"event\" or \"schema\"; found " +
                    Quoted(j));
    out->bad = true;
    return false;
  }
  Members rec(j);
  std::string_view forms[4];
  size_t count = 0;
  for (std::string_view f : {"node", "rel", "event", "schema"}) {
    if (rec.contains(f)) forms[count++] = f;
  }
  if (count != 1) {
    c.Error("", count == 0
                    ? "unknown record form: a record has one of \"node\", \"rel\", \"event\" or \"schema\" "
                      "(see docs/import.md)"
                    : "a record has exactly one of \"node\", \"rel\", \"event\", \"schema\"; this one has " +
                          JoinChoices(std::vector<std::string>(forms, forms + count)));
    out->bad = true;
    return false;
  }
  if (forms[0] == "node") {
    c.Node(rec, out);
  } else if (forms[0] == "rel") {
    c.Rel(rec, out);
  } else if (forms[0] == "event") {
    c.Event(rec, out);
  } else {
    c.SchemaRecord(rec, out);
  }
  out->bad = !c.ok();
  return c.ok();
}

bool ConvertProperty(const PropertySpec& spec, JValue j, Value* out, std::string* error) {
  auto fail = [&](const std::string& m) {
    *error = m;
    return false;
  };
  switch (spec.type) {
    case PropType::kString:
      if (!j.is_string() || Str(j).empty()) return fail("expected a non-empty string, found " + Quoted(j));
      *out = Value(Str(j));
      return true;
    case PropType::kEnum: {
      if (!j.is_string()) return fail("expected one of " + JoinChoices(spec.values) + ", found " + Quoted(j));
      std::string_view s = Str(j);
      auto it = std::find(spec.values.begin(), spec.values.end(), s);
      if (it == spec.values.end()) {
        std::string what = Words(spec.name);
        return fail("'" + std::string(s) + "' is not " + Article(what) + " " + what + "; expected one of " +
                    JoinChoices(spec.values, 40));
      }
      *out = Value(*it);
      return true;
    }
    case PropType::kDate: {
      if (!j.is_string())
        return fail("expected a date (2025-10-09, 2025-10, 2026-Q1, 2026-H1 or 2025), found " + Quoted(j));
      auto d = ParseDateText(Str(j));
      if (!d.ok()) return fail(d.status().message());
      *out = Value(*d);
      return true;
    }
    case PropType::kList: {
      if (!j.is_array())
        return fail("expected a list of strings, e.g. [\"PRC\", \"Beijing\"], found " + Quoted(j));
      simdjson::dom::array a = Arr(j);
      ValueList l;
      l.reserve(a.size());
      for (JValue e : a) {
        if (!e.is_string() || Str(e).empty())
          return fail("expected a list of non-empty strings; " + Quoted(e) + " is not one");
        l.emplace_back(Str(e));
      }
      *out = Value(std::move(l));
      return true;
    }
    case PropType::kBoolean:
      if (!j.is_bool()) return fail("expected true or false, found " + Quoted(j));
      *out = Value(j.get_bool().value_unsafe());
      return true;
    case PropType::kInteger:
      if (!IsInteger(j)) return fail("expected an integer, found " + Quoted(j));
      // simdjson keeps integers above INT64_MAX as unsigned.
      if (j.type() == element_type::UINT64) return fail("integer " + Dump(j) + " is too large");
      *out = Value(j.get_int64().value_unsafe());
      return true;
    case PropType::kHsCode:
      if (!j.is_string() || !IsHsCode(Str(j)))
        return fail("expected " + spec.Expected() + ", found " + Quoted(j));
      *out = Value(Str(j));
      return true;
    case PropType::kMastCode:
      if (!j.is_string() || !IsMastCode(Str(j)))
        return fail("expected " + spec.Expected() + ", found " + Quoted(j));
      *out = Value(Str(j));
      return true;
    case PropType::kScalar:
      if (j.is_string() && !Str(j).empty()) {
        *out = Value(Str(j));
      } else if (j.is_bool()) {
        *out = Value(j.get_bool().value_unsafe());
      } else if (j.type() == element_type::INT64) {
        *out = Value(j.get_int64().value_unsafe());
      } else if (j.type() == element_type::DOUBLE && std::isfinite(j.get_double().value_unsafe())) {
        *out = Value(j.get_double().value_unsafe());
      } else {
        return fail("expected " + spec.Expected() + ", found " + Quoted(j));
      }
      return true;
    case PropType::kNumber:
    case PropType::kConfidence: {
      if (!IsNumber(j))
        return fail(std::string(spec.type == PropType::kConfidence ? "expected a number from 0 to 1"
                                                                   : "expected a number") +
                    ", found " + Quoted(j));
      if (j.type() == element_type::DOUBLE) {
        double d = j.get_double().value_unsafe();
        if (!std::isfinite(d)) return fail("expected a finite number");
        if (spec.type == PropType::kConfidence && !(d >= 0 && d <= 1))
          return fail("confidence is a number from 0 to 1, found " + Dump(j));
        *out = Value(d);
      } else {
        if (j.type() == element_type::UINT64) return fail("integer " + Dump(j) + " is too large");
        int64_t i = j.get_int64().value_unsafe();
        if (spec.type == PropType::kConfidence && (i < 0 || i > 1))
          return fail("confidence is a number from 0 to 1, found " + Dump(j));
        *out = Value(i);
      }
      return true;
    }
  }
  return fail("unsupported property type");
}

}  // namespace

std::string WithArticle(std::string_view label) { return Article(label) + " " + std::string(label); }

bool ValidKeySyntax(std::string_view key) {
  size_t slash = key.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == key.size() || key.size() > 256)
    return false;
  for (size_t i = 0; i < slash; ++i) {
    if (!(key[i] >= 'a' && key[i] <= 'z')) return false;
  }
  for (size_t i = slash + 1; i < key.size(); ++i) {
    char c = key[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-')) return false;
  }
  return true;
}

Result<Date> ParseDateText(std::string_view text) {
  auto d = Date::Parse(text);
  if (!d.ok()) {
    std::string shown(text.substr(0, 40));
    return Status::InvalidArgument(
        "'" + shown +
        "' is not a date; expected YYYY-MM-DD (2025-10-09), YYYY-MM (2025-10), YYYY-Qn (2026-Q1), "
        "YYYY-Hn (2026-H1) or YYYY (2025)");
  }
  return d;
}

std::string DescribeRel(const RelItem& r) {
  return r.type + " " + r.from + " -> " + r.to + (r.key.empty() ? "" : " (key " + r.key + ")");
}

std::string Record::Describe() const {
  switch (kind) {
    case RecordKind::kNode:
      return "node " + key;
    case RecordKind::kEvent:
      return "event " + key;
    case RecordKind::kRel:
      return rels.empty() ? "relationship" : DescribeRel(rels[0]);
    case RecordKind::kSchema:
      return "schema extension";
  }
  return "record";
}

// ------------------------------------------------------------------------------ the reader

struct RecordReader::Impl {
  explicit Impl(const Schema& s) : schema(s) {}
  const Schema& schema;
  // Reused for every record: its buffers grow to the longest line and stay.
  simdjson::dom::parser parser;
  SpecCache specs;
};

RecordReader::RecordReader(const Schema& schema) : impl_(std::make_unique<Impl>(schema)) {}
RecordReader::~RecordReader() = default;

bool RecordReader::Read(std::string_view text, Record* out, std::vector<Problem>* problems,
                        const FieldNamer& namer) {
  // The parser copies the text into its own padded buffer (simdjson reads a little past the end).
  JValue root;
  if (impl_->parser.parse(text.data(), text.size(), /*realloc_if_needed=*/true).get(root) ==
      simdjson::SUCCESS) {
    return CheckRecord(root, impl_->schema, impl_->specs, out, problems, namer);
  }
  // Not JSON to simdjson. nlohmann::json says where the problem is, in the words the import has
  // always used. The few texts only nlohmann::json accepts (integers beyond 64 bits, which it reads
  // as floats; very deep nesting) are read through it.
  out->bad = true;
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    problems->push_back(Problem{"", 0, "", JsonErrorMessage(e.what())});
    return false;
  }
  return Read(j, out, problems, namer);
}

bool RecordReader::Read(const json& j, Record* out, std::vector<Problem>* problems, const FieldNamer& namer) {
  // nlohmann::json prints every value it holds as JSON that simdjson reads back as the same value.
  std::string text;
  try {
    text = j.dump();
  } catch (const json::type_error&) {
    // Text that is not UTF-8, e.g. a CSV cell (found by import_csv_fuzz; it ended the process).
    out->bad = true;
    problems->push_back(Problem{"", 0, "", "a value is not UTF-8 text; save the file as UTF-8"});
    return false;
  }
  JValue root;
  auto error = impl_->parser.parse(text.data(), text.size(), true).get(root);
  if (error != simdjson::SUCCESS) {
    out->bad = true;
    problems->push_back(Problem{"", 0, "", std::string("not valid JSON: ") + simdjson::error_message(error)});
    return false;
  }
  return CheckRecord(root, impl_->schema, impl_->specs, out, problems, namer);
}

}  // namespace lodestone::domain
