#include "domain/records.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace lodestone::domain {
namespace {

using json = nlohmann::json;

std::string Quoted(const json& j) {
  if (j.is_string()) {
    std::string s = j.get<std::string>();
    if (s.size() > 60) s = s.substr(0, 57) + "...";
    return "'" + s + "'";
  }
  std::string s = j.dump();
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

class Checker {
 public:
  Checker(const Schema& schema, std::vector<Problem>* problems, const FieldNamer& namer)
      : schema_(schema), problems_(problems), namer_(namer) {}

  void Error(const std::string& field, std::string message) {
    problems_->push_back(Problem{"", 0, namer_ ? namer_(field) : field, std::move(message)});
    ok_ = false;
  }
  bool ok() const { return ok_; }

  // A key of the form prefix/slug.
  bool Key(const json& j, const std::string& field, std::string* out) {
    if (!j.is_string()) {
      Error(field, "expected a key like \"actor/china\", found " + Quoted(j));
      return false;
    }
    std::string k = j.get<std::string>();
    if (!ValidKeySyntax(k)) {
      Error(field, Quoted(j) + " is not a key; keys look like \"actor/china\": a lowercase prefix, '/', then "
                               "lowercase letters, digits, '.', '_' or '-'");
      return false;
    }
    *out = std::move(k);
    return true;
  }

  bool OptDate(const json& rec, const char* field, std::optional<Date>* out) {
    if (!rec.contains(field) || rec[field].is_null()) return true;
    const json& v = rec[field];
    if (!v.is_string()) {
      Error(field, "expected a date (2025-10-09, 2025-10, 2026-Q1, 2026-H1 or 2025) or null, found " + Quoted(v));
      return false;
    }
    auto d = ParseDateText(v.get<std::string>());
    if (!d.ok()) {
      Error(field, d.status().message());
      return false;
    }
    *out = *d;
    return true;
  }

  // valid_from / valid_to into a validity (one period, or none when both are absent).
  bool ValidityOf(const json& rec, Validity* out) {
    if (rec.contains("validity") && !rec["validity"].is_null()) {
      // Several periods: "validity": [{"from": "2025-04-04", "to": "2025-06"}, {"from": "2025-09", "to": null}]
      if (rec.contains("valid_from") || rec.contains("valid_to")) {
        Error("validity", "give either \"validity\" (several periods) or valid_from/valid_to, not both");
        return false;
      }
      const json& v = rec["validity"];
      if (!v.is_array()) {
        Error("validity", "expected a list of periods like {\"from\": \"2025-04\", \"to\": null}");
        return false;
      }
      for (size_t i = 0; i < v.size(); ++i) {
        std::string field = "validity[" + std::to_string(i) + "]";
        if (!v[i].is_object()) {
          Error(field, "expected a period like {\"from\": \"2025-04\", \"to\": null}");
          return false;
        }
        json bounds = json::object();
        if (v[i].contains("from")) bounds["valid_from"] = v[i]["from"];
        if (v[i].contains("to")) bounds["valid_to"] = v[i]["to"];
        Validity one;
        if (!ValidityOf(bounds, &one)) return false;
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
    std::optional<Date> from, to;
    bool ok = OptDate(rec, "valid_from", &from) && OptDate(rec, "valid_to", &to);
    if (!ok) return false;
    if (from && to) {
      if (to->start_day() < from->start_day() || to->end_day() < from->end_day()) {
        Error("valid_to", "valid_to " + to->ToString() + " is before valid_from " + from->ToString());
        return false;
      }
      if (from->precision() == DatePrecision::kDay && to->precision() == DatePrecision::kDay && *from == *to) {
        Error("valid_to", "valid_to equals valid_from (" + to->ToString() +
                              "): the period is empty; valid_to is the first day the fact no longer holds");
        return false;
      }
    }
    if (from || to) out->push_back(Period{from, to});
    return true;
  }

  bool Sources(const json& rec, bool needed, std::vector<std::string>* out, const std::string& what) {
    if (!needed) {
      if (rec.contains("sources")) {
        Error("sources", what + " cites no sources: remove \"sources\"");
        return false;
      }
      return true;
    }
    if (!rec.contains("sources") || !rec["sources"].is_array() || rec["sources"].empty()) {
      Error("sources", "expected a non-empty list of source keys, e.g. [\"source/...\"]; every record cites where it comes from");
      return false;
    }
    std::set<std::string> seen;
    bool ok = true;
    size_t i = 0;
    for (const auto& s : rec["sources"]) {
      std::string key;
      std::string field = "sources[" + std::to_string(i++) + "]";
      if (!Key(s, field, &key)) {
        ok = false;
        continue;
      }
      if (key.rfind("source/", 0) != 0) {
        const LabelSpec* l = schema_.FindLabelByKey(key);
        if (!l || l->name != "Source") {
          Error(field, "'" + key + "' is not a source key; sources have keys source/...");
          ok = false;
          continue;
        }
      }
      if (!seen.insert(key).second) {
        Error(field, "source " + key + " is listed twice");
        ok = false;
        continue;
      }
      out->push_back(key);
    }
    return ok;
  }

  // Properties of a node (labels) or a relationship (rel) from a JSON object.
  bool Props(const json& props, const std::string& prefix, const std::vector<const LabelSpec*>& labels,
             const RelSpec* rel, NamedProps* out) {
    if (!props.is_object()) {
      Error(prefix.empty() ? "props" : prefix.substr(0, prefix.size() - 1), "expected an object of properties, found " + Quoted(props));
      return false;
    }
    bool ok = true;
    for (const auto& [name, value] : props.items()) {
      std::string field = prefix + name;
      const PropertySpec* spec = nullptr;
      for (const LabelSpec* l : labels) {
        if ((spec = l->FindProp(name))) break;
      }
      if (!spec && rel) spec = rel->FindProp(name);
      if (!spec) spec = rel ? schema_.FindCommonRelProp(name) : schema_.FindCommonNodeProp(name);
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
        for (const auto& [n, p] : rel ? schema_.common_rel_props() : schema_.common_node_props()) allowed.push_back(n);
        std::string owner = rel ? rel->name : labels.empty() ? "this record" : labels[0]->name;
        if (name == "sources" && rel) {
          Error(field, "\"sources\" goes at the top level of the record, not in \"props\"");
        } else if (name == "key" || name == "valid_from" || name == "valid_to") {
          Error(field, "\"" + name + "\" goes at the top level of the record, not in \"props\"");
        } else {
          Error(field, "unknown property '" + name + "' for " + owner + "; expected one of " + JoinChoices(allowed, 30));
        }
        ok = false;
        continue;
      }
      if (spec->derived) {
        Error(field, "'" + name + "' is derived by Lodestone (for a control, from its lifecycle events) and cannot be imported; remove it");
        ok = false;
        continue;
      }
      if (value.is_null()) {
        Error(field, "'" + name + "' is null; leave an unknown property out instead");
        ok = false;
        continue;
      }
      Value v;
      std::string error;
      if (!ConvertProperty(*spec, value, &v, &error)) {
        Error(field, error);
        ok = false;
        continue;
      }
      out->emplace_back(name, std::move(v));
    }
    std::sort(out->begin(), out->end(), [](const auto& a, const auto& b) { return a.first < b.first; });
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

  bool Fields(const json& rec, std::initializer_list<const char*> allowed, const std::string& form) {
    bool ok = true;
    for (const auto& [k, v] : rec.items()) {
      if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; }) == allowed.end()) {
        std::vector<std::string> names(allowed.begin(), allowed.end());
        Error(k, "unknown field \"" + k + "\" in " + Article(form) + " " + form + " record; expected " + JoinChoices(names));
        ok = false;
      }
    }
    return ok;
  }

  void Node(const json& rec, Record* out) {
    out->kind = RecordKind::kNode;
    Fields(rec, {"node", "labels", "props", "valid_from", "valid_to", "validity", "sources"}, "node");
    if (!Key(rec["node"], "node", &out->key)) return;
    if (out->key.rfind("schema/", 0) == 0) {
      Error("node", "keys schema/... are reserved for the schema; extend the schema with a {\"schema\": ...} record");
      return;
    }
    if (!rec.contains("labels") || !rec["labels"].is_array() || rec["labels"].empty()) {
      Error("labels", "expected a non-empty list of labels, e.g. [\"Actor\"]; the first one must match the key prefix");
      return;
    }
    std::vector<const LabelSpec*> specs;
    size_t i = 0;
    for (const auto& l : rec["labels"]) {
      std::string field = "labels[" + std::to_string(i++) + "]";
      if (!l.is_string()) {
        Error(field, "expected a label name, found " + Quoted(l));
        continue;
      }
      std::string name = l.get<std::string>();
      const LabelSpec* spec = schema_.FindLabel(name);
      if (!spec) {
        Error(field, "'" + name + "' is not a label; expected one of " + JoinChoices(schema_.LabelNames(false)) +
                         " (a schema extension can add labels)");
        continue;
      }
      if (spec->event_form) {
        Error(field, "events are written in the event form: {\"event\": \"event/...\", \"date\": ..., \"title\": ...}");
        continue;
      }
      if (std::find(out->labels.begin(), out->labels.end(), name) != out->labels.end()) continue;
      out->labels.push_back(name);
      specs.push_back(spec);
    }
    if (!ok_) return;
    const LabelSpec* primary = specs[0];
    if (out->key.rfind(primary->prefix, 0) != 0) {
      const LabelSpec* by_key = schema_.FindLabelByKey(out->key);
      Error("node", "key '" + out->key + "' does not match label " + primary->name + ": " + primary->name +
                        " keys start with " + primary->prefix +
                        (by_key ? " (keys starting with " + by_key->prefix + " are " + by_key->name + " nodes)" : ""));
    }
    json props = rec.contains("props") ? rec["props"] : json::object();
    if (Props(props, "props.", specs, nullptr, &out->props)) {
      Required(out->props, primary->required, "props.", primary->name);
    }
    std::string what = WithArticle(primary->name) + " node";
    if (primary->validity == ValidityRule::kStored) {
      ValidityOf(rec, &out->validity);
    } else {
      for (const char* f : {"valid_from", "valid_to", "validity"}) {
        if (rec.contains(f) && !rec[f].is_null()) {
          Error(f, primary->validity == ValidityRule::kDerived
                       ? std::string("a control's in-force periods come from the events that AFFECTS it (imposes, suspends, ...); remove ") + f
                       : what + " has no valid time; remove " + f);
        }
      }
    }
    Sources(rec, primary->sources, &out->sources, what);
  }

  void Rel(const json& rec, Record* out) {
    out->kind = RecordKind::kRel;
    Fields(rec, {"rel", "from", "to", "key", "props", "valid_from", "valid_to", "validity", "sources"}, "relationship");
    RelItem item;
    if (!rec["rel"].is_string()) {
      Error("rel", "expected a relationship type, e.g. \"IMPOSED\", found " + Quoted(rec["rel"]));
      return;
    }
    item.type = rec["rel"].get<std::string>();
    const RelSpec* spec = schema_.FindRel(item.type);
    if (!spec) {
      Error("rel", "'" + item.type + "' is not a relationship type; expected one of " + JoinChoices(schema_.RelTypeNames(false)) +
                       " (a schema extension can add types)");
      return;
    }
    if (spec->generated) {
      Error("rel", item.type + " relationships are created by the importer from each record's \"sources\"; do not write them");
      return;
    }
    if (!rec.contains("from")) Error("from", "missing: the key of the node the relationship starts at");
    if (!rec.contains("to")) Error("to", "missing: the key of the node the relationship ends at");
    if (!ok_) return;
    Key(rec["from"], "from", &item.from);
    Key(rec["to"], "to", &item.to);
    if (ok_ && item.from == item.to) Error("to", item.type + " from a node to itself");
    if (rec.contains("key") && !rec["key"].is_null()) {
      if (!rec["key"].is_string() || rec["key"].get<std::string>().empty()) {
        Error("key", "expected a non-empty string that tells parallel relationships apart, e.g. \"equipment\"");
      } else {
        item.key = rec["key"].get<std::string>();
      }
    }
    json props = rec.contains("props") ? rec["props"] : json::object();
    if (Props(props, "props.", {}, spec, &item.props)) Required(item.props, spec->required, "props.", item.type);
    ValidityOf(rec, &item.validity);
    if (Sources(rec, true, &out->sources, "a relationship")) AddSourcesProp(out->sources, &item.props);
    out->rels.push_back(std::move(item));
  }

  static void AddSourcesProp(const std::vector<std::string>& sources, NamedProps* props) {
    ValueList l;
    for (const auto& s : sources) l.emplace_back(s);
    props->emplace_back("sources", Value(std::move(l)));
    std::sort(props->begin(), props->end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  }

  void Event(const json& rec, Record* out) {
    out->kind = RecordKind::kEvent;
    Fields(rec, {"event", "date", "title", "event_kind", "involves", "affects", "concerns", "sources", "summary", "props"}, "event");
    const LabelSpec* spec = nullptr;
    for (const auto& [name, l] : schema_.labels()) {
      if (l.event_form) spec = &l;
    }
    if (!Key(rec["event"], "event", &out->key)) return;
    if (out->key.rfind(spec->prefix, 0) != 0) {
      Error("event", "event keys start with " + spec->prefix + ", e.g. \"event/2025-10-30-trump-xi-busan-meeting\"");
    }
    out->labels = {spec->name};
    json props = rec.contains("props") ? rec["props"] : json::object();
    if (!props.is_object()) {
      Error("props", "expected an object of further event properties, found " + Quoted(props));
      props = json::object();
    }
    json all = json::object();
    for (const char* f : {"title", "date", "event_kind", "summary"}) {
      if (props.contains(f)) Error(std::string("props.") + f, std::string("\"") + f + "\" belongs at the top level of an event record, not in \"props\"");
      if (rec.contains(f)) all[f] = rec[f];
    }
    // Top-level fields are checked under their own names, further properties under props.NAME.
    NamedProps top, extra;
    json top_json = json::object(), extra_json = json::object();
    for (const auto& [k, v] : all.items()) top_json[k] = v;
    for (const auto& [k, v] : props.items()) {
      if (!all.contains(k)) extra_json[k] = v;
    }
    bool ok = Props(top_json, "", {spec}, nullptr, &top);
    ok = Props(extra_json, "props.", {spec}, nullptr, &extra) && ok;
    out->props = std::move(top);
    for (auto& p : extra) out->props.push_back(std::move(p));
    std::sort(out->props.begin(), out->props.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    if (ok) Required(out->props, spec->required, "", "an event");
    bool sources_ok = Sources(rec, true, &out->sources, "an event");

    auto list = [&](const char* f) -> std::vector<json> {
      if (!rec.contains(f) || rec[f].is_null()) return {};
      if (!rec[f].is_array()) {
        Error(f, std::string("expected a list, found ") + Quoted(rec[f]));
        return {};
      }
      return std::vector<json>(rec[f].begin(), rec[f].end());
    };
    // Items: a key, or an object with the key under `key_field` and relationship properties.
    auto items = [&](const char* f, const char* type, const char* key_field, bool object_needed) {
      const RelSpec* rs = schema_.FindRel(type);
      size_t i = 0;
      std::set<std::string> seen;
      for (const json& item : list(f)) {
        std::string field = std::string(f) + "[" + std::to_string(i++) + "]";
        RelItem r;
        r.type = type;
        r.from = out->key;
        r.field = field;
        if (item.is_string() && !object_needed) {
          if (!Key(item, field, &r.to)) continue;
        } else if (item.is_object() && item.contains(key_field)) {
          if (!Key(item[key_field], field + "." + key_field, &r.to)) continue;
          json rp = json::object();
          for (const auto& [k, v] : item.items()) {
            if (k == key_field) continue;
            if (k == "key") {
              if (!v.is_string() || v.get<std::string>().empty()) {
                Error(field + ".key", "expected a non-empty string");
              } else {
                r.key = v.get<std::string>();
              }
              continue;
            }
            rp[k] = v;
          }
          if (Props(rp, field + ".", {}, rs, &r.props)) Required(r.props, rs->required, field + ".", std::string(type));
        } else if (object_needed) {
          Error(field, std::string("expected {\"") + key_field + "\": \"control/...\", \"effect\": \"imposes\"}, found " + Quoted(item));
          continue;
        } else {
          Error(field, std::string("expected a key or {\"") + key_field + "\": key, ...}, found " + Quoted(item));
          continue;
        }
        if (!seen.insert(r.to + "\n" + r.key).second) {
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

  void SchemaRecord(const json& rec, Record* out) {
    out->kind = RecordKind::kSchema;
    Fields(rec, {"schema"}, "schema");
    if (!rec["schema"].is_object()) {
      Error("schema", "expected a schema extension object: {\"labels\": {...}, \"relationships\": {...}}");
      return;
    }
    out->schema = rec["schema"];
  }

 private:
  const Schema& schema_;
  std::vector<Problem>* problems_;
  const FieldNamer& namer_;
  bool ok_ = true;
};

}  // namespace

std::string WithArticle(std::string_view label) { return Article(label) + " " + std::string(label); }

bool ValidKeySyntax(std::string_view key) {
  size_t slash = key.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == key.size() || key.size() > 256) return false;
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
    return Status::InvalidArgument("'" + shown +
                                   "' is not a date; expected YYYY-MM-DD (2025-10-09), YYYY-MM (2025-10), YYYY-Qn (2026-Q1), "
                                   "YYYY-Hn (2026-H1) or YYYY (2025)");
  }
  return d;
}

bool ConvertProperty(const PropertySpec& spec, const json& j, Value* out, std::string* error) {
  auto fail = [&](const std::string& m) {
    *error = m;
    return false;
  };
  switch (spec.type) {
    case PropType::kString:
      if (!j.is_string() || j.get<std::string>().empty()) return fail("expected a non-empty string, found " + Quoted(j));
      *out = Value(j.get<std::string>());
      return true;
    case PropType::kEnum: {
      if (!j.is_string()) return fail("expected one of " + JoinChoices(spec.values) + ", found " + Quoted(j));
      const std::string& s = j.get_ref<const std::string&>();
      if (std::find(spec.values.begin(), spec.values.end(), s) == spec.values.end()) {
        std::string what = Words(spec.name);
        return fail("'" + s + "' is not " + Article(what) + " " + what + "; expected one of " + JoinChoices(spec.values, 40));
      }
      *out = Value(s);
      return true;
    }
    case PropType::kDate: {
      if (!j.is_string()) return fail("expected a date (2025-10-09, 2025-10, 2026-Q1, 2026-H1 or 2025), found " + Quoted(j));
      auto d = ParseDateText(j.get<std::string>());
      if (!d.ok()) return fail(d.status().message());
      *out = Value(*d);
      return true;
    }
    case PropType::kList: {
      if (!j.is_array()) return fail("expected a list of strings, e.g. [\"PRC\", \"Beijing\"], found " + Quoted(j));
      ValueList l;
      for (const auto& e : j) {
        if (!e.is_string() || e.get<std::string>().empty()) return fail("expected a list of non-empty strings; " + Quoted(e) + " is not one");
        l.emplace_back(e.get<std::string>());
      }
      *out = Value(std::move(l));
      return true;
    }
    case PropType::kBoolean:
      if (!j.is_boolean()) return fail("expected true or false, found " + Quoted(j));
      *out = Value(j.get<bool>());
      return true;
    case PropType::kInteger:
      if (!j.is_number_integer()) return fail("expected an integer, found " + Quoted(j));
      if (j.is_number_unsigned() && j.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return fail("integer " + j.dump() + " is too large");
      *out = Value(j.get<int64_t>());
      return true;
    case PropType::kNumber:
    case PropType::kConfidence: {
      if (!j.is_number()) return fail(std::string(spec.type == PropType::kConfidence ? "expected a number from 0 to 1" : "expected a number") + ", found " + Quoted(j));
      if (j.is_number_float()) {
        double d = j.get<double>();
        if (!std::isfinite(d)) return fail("expected a finite number");
        if (spec.type == PropType::kConfidence && !(d >= 0 && d <= 1)) return fail("confidence is a number from 0 to 1, found " + j.dump());
        *out = Value(d);
      } else {
        if (j.is_number_unsigned() && j.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return fail("integer " + j.dump() + " is too large");
        int64_t i = j.get<int64_t>();
        if (spec.type == PropType::kConfidence && (i < 0 || i > 1)) return fail("confidence is a number from 0 to 1, found " + j.dump());
        *out = Value(i);
      }
      return true;
    }
  }
  return fail("unsupported property type");
}

std::string DescribeRel(const RelItem& r) {
  return r.type + " " + r.from + " -> " + r.to + (r.key.empty() ? "" : " (key " + r.key + ")");
}

std::string Record::Describe() const {
  switch (kind) {
    case RecordKind::kNode: return "node " + key;
    case RecordKind::kEvent: return "event " + key;
    case RecordKind::kRel: return rels.empty() ? "relationship" : DescribeRel(rels[0]);
    case RecordKind::kSchema: return "schema extension";
  }
  return "record";
}

bool ParseRecord(const json& j, const Schema& schema, Record* out, std::vector<Problem>* problems, const FieldNamer& namer) {
  Checker c(schema, problems, namer);
  if (!j.is_object()) {
    c.Error("", "a record is a JSON object with one of \"node\", \"rel\", \"event\" or \"schema\"; found " + Quoted(j));
    return false;
  }
  std::vector<std::string> forms;
  for (const char* f : {"node", "rel", "event", "schema"}) {
    if (j.contains(f)) forms.push_back(f);
  }
  if (forms.size() != 1) {
    c.Error("", forms.empty() ? "unknown record form: a record has one of \"node\", \"rel\", \"event\" or \"schema\" "
                                "(see docs/import.md)"
                              : "a record has exactly one of \"node\", \"rel\", \"event\", \"schema\"; this one has " + JoinChoices(forms));
    return false;
  }
  if (forms[0] == "node") {
    c.Node(j, out);
  } else if (forms[0] == "rel") {
    c.Rel(j, out);
  } else if (forms[0] == "event") {
    c.Event(j, out);
  } else {
    c.SchemaRecord(j, out);
  }
  out->bad = !c.ok();
  return c.ok();
}

}  // namespace lodestone::domain
