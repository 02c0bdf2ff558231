#include "domain/schema.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace lodestone::embedded {
std::string_view DefaultSchemaJson();
}  // namespace lodestone::embedded

namespace lodestone::domain {
namespace {

using json = nlohmann::json;

const std::map<std::string, PropType, std::less<>>& TypeNames() {
  static const std::map<std::string, PropType, std::less<>> names = {
      {"string", PropType::kString},         {"number", PropType::kNumber}, {"integer", PropType::kInteger},
      {"boolean", PropType::kBoolean},       {"date", PropType::kDate},     {"list", PropType::kList},
      {"confidence", PropType::kConfidence}, {"enum", PropType::kEnum},     {"hs_code", PropType::kHsCode},
      {"mast_code", PropType::kMastCode},    {"scalar", PropType::kScalar}};
  return names;
}

// The type names a schema document may use, for messages.
std::string TypeChoices() {
  std::vector<std::string> names;
  for (const auto& [name, type] : TypeNames()) {
    if (type != PropType::kEnum) names.push_back(name);
  }
  return JoinChoices(names);
}

bool IsIdentifier(std::string_view s, bool upper) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    bool ok = (c >= '0' && c <= '9') || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!ok) return false;
    if (upper && c >= 'a' && c <= 'z') return false;
  }
  return !(s[0] >= '0' && s[0] <= '9');
}

bool IsSnakeValue(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// Parses one property definition: "date", or {"type": "string", "index": true}, or {"enum": [...]}.
std::optional<PropertySpec> ParseProp(const std::string& name, const json& def, const std::string& path,
                                      std::vector<SchemaProblem>* problems) {
  PropertySpec p;
  p.name = name;
  if (!IsIdentifier(name, false)) {
    problems->push_back(
        {path, "'" + name + "' is not a property name (letters, digits and '_', at most 64)"});
    return std::nullopt;
  }
  auto type_of = [&](const json& t) -> bool {
    if (!t.is_string()) {
      problems->push_back({path, "a property's type is a string: one of " + TypeChoices()});
      return false;
    }
    auto it = TypeNames().find(t.get<std::string>());
    if (it == TypeNames().end() || it->second == PropType::kEnum) {
      problems->push_back({path, "'" + t.get<std::string>() + "' is not a property type; expected one of " +
                                     TypeChoices() + ", or {\"enum\": [...]}"});
      return false;
    }
    p.type = it->second;
    return true;
  };
  if (def.is_string()) {
    if (!type_of(def)) return std::nullopt;
    return p;
  }
  if (!def.is_object()) {
    problems->push_back(
        {path, "a property is defined by a type name (\"date\") or an object ({\"enum\": [...]})"});
    return std::nullopt;
  }
  for (const auto& [k, v] : def.items()) {
    if (k == "type") {
      if (!type_of(v)) return std::nullopt;
    } else if (k == "enum") {
      if (!v.is_array() || v.empty()) {
        problems->push_back({path + ".enum", "an enumeration is a non-empty list of snake_case values"});
        return std::nullopt;
      }
      p.type = PropType::kEnum;
      for (const auto& e : v) {
        if (!e.is_string() || !IsSnakeValue(e.get<std::string>())) {
          problems->push_back(
              {path + ".enum", e.dump() + " is not a snake_case value (lowercase letters, digits, '_')"});
          return std::nullopt;
        }
        if (std::find(p.values.begin(), p.values.end(), e.get<std::string>()) == p.values.end()) {
          p.values.push_back(e.get<std::string>());
        }
      }
    } else if (k == "index") {
      if (!v.is_boolean()) {
        problems->push_back({path + ".index", "\"index\" is true or false"});
        return std::nullopt;
      }
      p.index = v.get<bool>();
    } else if (k == "derived") {
      if (!v.is_boolean()) {
        problems->push_back({path + ".derived", "\"derived\" is true or false"});
        return std::nullopt;
      }
      p.derived = v.get<bool>();
    } else if (k == "about") {
      // documentation only
    } else {
      problems->push_back({path, "unknown entry \"" + k +
                                     "\" in a property definition; expected type, enum, index or about"});
      return std::nullopt;
    }
  }
  if (p.type == PropType::kEnum && p.values.empty()) {
    problems->push_back({path, "an enumeration needs its values: {\"enum\": [...]}"});
    return std::nullopt;
  }
  return p;
}

json PropToJson(const PropertySpec& p) {
  if (!p.index && !p.derived && p.type != PropType::kEnum) return std::string(PropTypeName(p.type));
  json j = json::object();
  if (p.type == PropType::kEnum) {
    j["enum"] = p.values;
  } else {
    j["type"] = PropTypeName(p.type);
  }
  if (p.index) j["index"] = true;
  if (p.derived) j["derived"] = true;
  return j;
}

// Adds `incoming` to the property map `props` (of a label or relationship type, or the common ones):
// new properties are added, enumerations gain values; a type change is refused.
void MergeProps(std::map<std::string, PropertySpec>* props, const json& defs, const std::string& path,
                std::vector<SchemaProblem>* problems) {
  if (!defs.is_object()) {
    problems->push_back({path, "\"properties\" is an object mapping property names to types"});
    return;
  }
  for (const auto& [name, def] : defs.items()) {
    auto p = ParseProp(name, def, path + "." + name, problems);
    if (!p) continue;
    auto it = props->find(name);
    if (it == props->end()) {
      props->emplace(name, std::move(*p));
      continue;
    }
    PropertySpec& have = it->second;
    if (have.type != p->type) {
      problems->push_back({path + "." + name, "'" + name + "' is a " + std::string(PropTypeName(have.type)) +
                                                  " property already; an extension cannot make it " +
                                                  std::string(PropTypeName(p->type))});
      continue;
    }
    for (const auto& v : p->values) {
      if (std::find(have.values.begin(), have.values.end(), v) == have.values.end()) have.values.push_back(v);
    }
    have.index = have.index || p->index;
  }
}

std::vector<std::string> StringList(const json& j, const std::string& path,
                                    std::vector<SchemaProblem>* problems) {
  std::vector<std::string> out;
  if (!j.is_array()) {
    problems->push_back({path, "expected a list of names"});
    return out;
  }
  for (const auto& e : j) {
    if (!e.is_string()) {
      problems->push_back({path, e.dump() + " is not a name"});
      continue;
    }
    out.push_back(e.get<std::string>());
  }
  return out;
}

void AddUnique(std::vector<std::string>* v, const std::vector<std::string>& more) {
  for (const auto& s : more) {
    if (std::find(v->begin(), v->end(), s) == v->end()) v->push_back(s);
  }
}

}  // namespace

std::string_view PropTypeName(PropType t) {
  switch (t) {
    case PropType::kString:
      return "string";
    case PropType::kNumber:
      return "number";
    case PropType::kInteger:
      return "integer";
    case PropType::kBoolean:
      return "boolean";
    case PropType::kDate:
      return "date";
    case PropType::kList:
      return "list";
    case PropType::kConfidence:
      return "confidence";
    case PropType::kEnum:
      return "enum";
    case PropType::kHsCode:
      return "hs_code";
    case PropType::kMastCode:
      return "mast_code";
    case PropType::kScalar:
      return "scalar";
  }
  return "?";
}

std::string PropertySpec::Expected() const {
  switch (type) {
    case PropType::kString:
      return "a non-empty string";
    case PropType::kNumber:
      return "a number";
    case PropType::kInteger:
      return "an integer";
    case PropType::kBoolean:
      return "true or false";
    case PropType::kDate:
      return "a date (2025-10-09, 2025-10, 2026-Q1, 2026-H1 or 2025)";
    case PropType::kList:
      return "a list of non-empty strings";
    case PropType::kConfidence:
      return "a number from 0 to 1";
    case PropType::kEnum:
      return "one of " + JoinChoices(values);
    case PropType::kHsCode:
      return "an HS code of 6 digits (a subheading, \"850511\"), or 4 (a heading) or 2 (a chapter)";
    case PropType::kMastCode:
      return "a MAST code: a chapter letter and up to three digits (\"P33\")";
    case PropType::kScalar:
      return "a string, a number or true/false";
  }
  return "?";
}

std::string JoinChoices(const std::vector<std::string>& items, size_t max) {
  std::string out;
  size_t n = std::min(items.size(), max);
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) out += (i + 1 == n && n == items.size()) ? " or " : ", ";
    out += items[i];
  }
  if (n < items.size()) out += ", ... (" + std::to_string(items.size()) + " in all)";
  return out;
}

bool IsHsCode(std::string_view code) {
  if (code.size() != 2 && code.size() != 4 && code.size() != 6) return false;
  return std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsMastCode(std::string_view code) {
  if (code.empty() || code.size() > 4 || code[0] < 'A' || code[0] > 'P') return false;
  return std::all_of(code.begin() + 1, code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string LabelSpec::CheckKeySlug(std::string_view key) const {
  if (key_property.empty() || key.rfind(prefix, 0) != 0) return "";
  const PropertySpec* p = FindProp(key_property);
  if (!p) return "";
  std::string_view slug = key.substr(prefix.size());
  bool ok = p->type == PropType::kHsCode     ? IsHsCode(slug)
            : p->type == PropType::kMastCode ? IsMastCode(slug)
                                             : true;
  return ok ? "" : p->Expected();
}

const PropertySpec* LabelSpec::FindProp(std::string_view prop) const {
  auto it = props.find(std::string(prop));
  return it == props.end() ? nullptr : &it->second;
}

const PropertySpec* RelSpec::FindProp(std::string_view prop) const {
  auto it = props.find(std::string(prop));
  return it == props.end() ? nullptr : &it->second;
}

bool RelSpec::AllowsFrom(std::string_view label) const {
  return std::find(from.begin(), from.end(), "*") != from.end() ||
         std::find(from.begin(), from.end(), label) != from.end();
}

bool RelSpec::AllowsTo(std::string_view label) const {
  return std::find(to.begin(), to.end(), "*") != to.end() ||
         std::find(to.begin(), to.end(), label) != to.end();
}

const Schema& Schema::Default() {
  static const Schema* s = [] {
    auto* schema = new Schema();
    json doc = json::parse(embedded::DefaultSchemaJson());
    auto problems = schema->Apply(doc, /*builtin=*/true);
    if (!problems.empty()) {
      // The default schema is part of the build; a problem in it is a bug caught by the tests.
      std::fprintf(stderr, "lodestone: domain/default_schema.json: %s: %s\n", problems[0].path.c_str(),
                   problems[0].message.c_str());
      std::abort();
    }
    schema->extensions_ = nullptr;
    return schema;
  }();
  return *s;
}

Result<Schema> Schema::ForView(ReadView& view) {
  Schema s = Default();
  ASSIGN_OR_RETURN(auto id, view.FindNode(kSchemaNodeKey));
  if (!id) return s;
  auto key = view.names().FindPropKey(kSchemaDefinitionProp);
  if (!key) return s;
  ASSIGN_OR_RETURN(Value def, view.GetNodeProperty(*id, *key));
  if (!def.is_string()) return s;
  json doc = json::parse(def.as_string(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return Status::Corruption("the stored schema extensions (node schema/extensions) are not valid JSON");
  }
  auto problems = s.Extend(doc);
  if (!problems.empty()) {
    return Status::Corruption("the stored schema extensions do not apply: " + problems[0].path + ": " +
                              problems[0].message);
  }
  return s;
}

std::vector<SchemaProblem> Schema::Extend(const json& extension) {
  Schema copy = *this;
  auto problems = copy.Apply(extension, /*builtin=*/false);
  if (!problems.empty()) return problems;
  copy.extensions_ = extensions_.is_null() ? extension : MergeExtensions(extensions_, extension);
  *this = std::move(copy);
  return {};
}

std::vector<SchemaProblem> Schema::Apply(const json& doc, bool builtin) {
  std::vector<SchemaProblem> problems;
  if (!doc.is_object()) {
    problems.push_back(
        {"(document)", "a schema document is a JSON object with \"labels\" and/or \"relationships\""});
    return problems;
  }
  for (const auto& [section, body] : doc.items()) {
    if (section == "about") continue;
    if (section == "common_node_properties") {
      MergeProps(&common_node_, body, section, &problems);
    } else if (section == "common_relationship_properties") {
      MergeProps(&common_rel_, body, section, &problems);
    } else if (section == "labels") {
      if (!body.is_object()) {
        problems.push_back({section, "\"labels\" is an object mapping label names to definitions"});
        continue;
      }
      for (const auto& [name, def] : body.items()) {
        std::string path = "labels." + name;
        if (!IsIdentifier(name, false) || !(name[0] >= 'A' && name[0] <= 'Z')) {
          problems.push_back(
              {path, "'" + name + "' is not a label name; labels are CamelCase, e.g. Facility"});
          continue;
        }
        if (name == kSchemaLabel) {
          problems.push_back(
              {path, "the label Schema is reserved for the node that holds schema extensions"});
          continue;
        }
        if (!def.is_object()) {
          problems.push_back(
              {path, "a label is defined by an object: {\"prefix\": \"facility/\", \"properties\": {...}}"});
          continue;
        }
        auto it = labels_.find(name);
        bool exists = it != labels_.end();
        LabelSpec spec = exists ? it->second : LabelSpec{};
        spec.name = name;
        spec.builtin = exists ? spec.builtin : builtin;
        for (const auto& [k, v] : def.items()) {
          std::string p = path + "." + k;
          if (k == "prefix") {
            std::string prefix = v.is_string() ? v.get<std::string>() : "";
            bool ok =
                prefix.size() >= 2 && prefix.back() == '/' &&
                std::all_of(prefix.begin(), prefix.end() - 1, [](char c) { return c >= 'a' && c <= 'z'; });
            if (!ok) {
              problems.push_back(
                  {p, "a key prefix is lowercase letters followed by '/', e.g. \"facility/\""});
            } else if (exists && spec.prefix != prefix) {
              problems.push_back(
                  {p, name + " has key prefix " + spec.prefix + " already; an extension cannot change it"});
            } else if (prefix == "schema/") {
              problems.push_back({p, "the key prefix schema/ is reserved"});
            } else {
              for (const auto& [other, os] : labels_) {
                if (other != name && os.prefix == prefix)
                  problems.push_back({p, "key prefix " + prefix + " belongs to " + other});
              }
              spec.prefix = prefix;
            }
          } else if (k == "properties") {
            MergeProps(&spec.props, v, p, &problems);
          } else if (k == "required") {
            auto req = StringList(v, p, &problems);
            for (const auto& r : req) {
              if (std::find(spec.required.begin(), spec.required.end(), r) != spec.required.end()) continue;
              if (exists && !builtin) {
                problems.push_back({p, "an extension cannot make '" + r + "' required on " + name +
                                           ": existing " + name + " records may lack it"});
                continue;
              }
              spec.required.push_back(r);
            }
          } else if (k == "sources") {
            if (!v.is_boolean()) {
              problems.push_back({p, "\"sources\" is true (records must cite sources) or false"});
            } else if (exists && !builtin && v.get<bool>() != spec.sources) {
              problems.push_back({p, "an extension cannot change whether " + name + " records cite sources"});
            } else {
              spec.sources = v.get<bool>();
            }
          } else if (k == "validity") {
            std::string rule = v.is_string() ? v.get<std::string>() : "";
            if (rule != "stored" && rule != "none" && (rule != "derived" || !builtin) &&
                (rule != "event" || !builtin)) {
              problems.push_back(
                  {p, "\"validity\" is \"stored\" (valid_from/valid_to in the record) or \"none\""});
            } else if (exists && !builtin) {
              problems.push_back(
                  {p, "an extension cannot change how " + name + " nodes get their valid time"});
            } else {
              spec.validity = rule == "none"      ? ValidityRule::kNone
                              : rule == "derived" ? ValidityRule::kDerived
                                                  : ValidityRule::kStored;
            }
          } else if (k == "form") {
            if (!builtin || !v.is_string() || v.get<std::string>() != "event") {
              problems.push_back({p, "only the built-in Event label uses a special record form"});
            } else {
              spec.event_form = true;
            }
          } else if (k == "key_property") {
            if (!v.is_string()) {
              problems.push_back({p, "\"key_property\" names the property whose value is the key's slug"});
            } else if (exists && !builtin && spec.key_property != v.get<std::string>()) {
              problems.push_back({p, "an extension cannot change how " + name + " keys are formed"});
            } else {
              spec.key_property = v.get<std::string>();
            }
          } else if (k == "about") {
          } else {
            problems.push_back(
                {p,
                 "unknown entry \"" + k +
                     "\"; a label has prefix, properties, required, sources, validity, key_property, about"});
          }
        }
        if (spec.prefix.empty())
          problems.push_back({path + ".prefix", "a new label needs a key prefix, e.g. \"facility/\""});
        for (const auto& r : spec.required) {
          if (!spec.props.count(r))
            problems.push_back(
                {path + ".required", "required property '" + r + "' is not among " + name + "'s properties"});
        }
        if (!spec.key_property.empty() &&
            std::find(spec.required.begin(), spec.required.end(), spec.key_property) == spec.required.end()) {
          problems.push_back({path + ".key_property", "the key property '" + spec.key_property +
                                                          "' must be a required property of " + name});
        }
        labels_[name] = std::move(spec);
      }
    } else if (section == "relationships") {
      if (!body.is_object()) {
        problems.push_back({section, "\"relationships\" is an object mapping type names to definitions"});
        continue;
      }
      for (const auto& [name, def] : body.items()) {
        std::string path = "relationships." + name;
        if (!IsIdentifier(name, true)) {
          problems.push_back(
              {path, "'" + name + "' is not a relationship type; types are UPPER_SNAKE_CASE, e.g. OPERATES"});
          continue;
        }
        if (!def.is_object()) {
          problems.push_back(
              {path, "a relationship type is defined by an object: {\"from\": [...], \"to\": [...]}"});
          continue;
        }
        auto it = rels_.find(name);
        bool exists = it != rels_.end();
        RelSpec spec = exists ? it->second : RelSpec{};
        spec.name = name;
        spec.builtin = exists ? spec.builtin : builtin;
        if (exists && spec.generated && !builtin) {
          problems.push_back({path, name + " is created by the importer and cannot be extended"});
          continue;
        }
        for (const auto& [k, v] : def.items()) {
          std::string p = path + "." + k;
          if (k == "from") {
            AddUnique(&spec.from, StringList(v, p, &problems));
          } else if (k == "to") {
            AddUnique(&spec.to, StringList(v, p, &problems));
          } else if (k == "properties") {
            MergeProps(&spec.props, v, p, &problems);
          } else if (k == "required") {
            for (const auto& r : StringList(v, p, &problems)) {
              if (std::find(spec.required.begin(), spec.required.end(), r) != spec.required.end()) continue;
              if (exists && !builtin) {
                problems.push_back(
                    {p, "an extension cannot make '" + r + "' required on existing type " + name});
                continue;
              }
              spec.required.push_back(r);
            }
          } else if ((k == "symmetric" || k == "same_label" || k == "generated") && v.is_boolean()) {
            if (k == "generated" && !builtin) {
              problems.push_back({p, "only built-in relationship types are generated"});
            } else if (exists && !builtin) {
              problems.push_back({p, "an extension cannot change \"" + k + "\" of " + name});
            } else {
              (k == "symmetric"    ? spec.symmetric
               : k == "same_label" ? spec.same_label
                                   : spec.generated) = v.get<bool>();
            }
          } else if (k == "about") {
          } else {
            problems.push_back({p, "unknown entry \"" + k +
                                       "\"; a relationship type has from, to, properties, required, "
                                       "symmetric, same_label, about"});
          }
        }
        if (spec.from.empty() || spec.to.empty())
          problems.push_back({path, "a new relationship type needs \"from\" and \"to\" label lists"});
        for (const auto& r : spec.required) {
          if (!spec.props.count(r))
            problems.push_back(
                {path + ".required", "required property '" + r + "' is not among " + name + "'s properties"});
        }
        rels_[name] = std::move(spec);
      }
    } else {
      problems.push_back({section, "unknown section \"" + section +
                                       "\"; a schema document has labels, relationships, "
                                       "common_node_properties, common_relationship_properties, about"});
    }
  }
  // Relationship ends must name labels that exist (after this document).
  for (const auto& [name, spec] : rels_) {
    for (const auto* ends : {&spec.from, &spec.to}) {
      for (const auto& l : *ends) {
        if (l != "*" && !labels_.count(l)) {
          problems.push_back(
              {"relationships." + name, "label " + l + " is not defined; define it under \"labels\""});
        }
      }
    }
  }
  return problems;
}

const LabelSpec* Schema::FindLabel(std::string_view name) const {
  auto it = labels_.find(std::string(name));
  return it == labels_.end() ? nullptr : &it->second;
}

const LabelSpec* Schema::FindLabelByKey(std::string_view key) const {
  size_t slash = key.find('/');
  if (slash == std::string_view::npos) return nullptr;
  std::string_view prefix = key.substr(0, slash + 1);
  for (const auto& [name, spec] : labels_) {
    if (spec.prefix == prefix) return &spec;
  }
  return nullptr;
}

const RelSpec* Schema::FindRel(std::string_view type) const {
  auto it = rels_.find(std::string(type));
  return it == rels_.end() ? nullptr : &it->second;
}

const PropertySpec* Schema::FindCommonNodeProp(std::string_view name) const {
  auto it = common_node_.find(std::string(name));
  return it == common_node_.end() ? nullptr : &it->second;
}

const PropertySpec* Schema::FindCommonRelProp(std::string_view name) const {
  auto it = common_rel_.find(std::string(name));
  return it == common_rel_.end() ? nullptr : &it->second;
}

std::vector<std::string> Schema::LabelNames(bool include_event_form) const {
  std::vector<std::string> out;
  for (const auto& [name, spec] : labels_) {
    if (include_event_form || !spec.event_form) out.push_back(name);
  }
  return out;
}

std::vector<std::string> Schema::RelTypeNames(bool include_generated) const {
  std::vector<std::string> out;
  for (const auto& [name, spec] : rels_) {
    if (include_generated || !spec.generated) out.push_back(name);
  }
  return out;
}

std::vector<Schema::IndexWant> Schema::Indexes() const {
  std::vector<IndexWant> out;
  for (const auto& [name, spec] : labels_) {
    for (const auto& [pname, p] : spec.props) {
      if (!p.index) continue;
      Value::Kind kind = Value::Kind::kString;
      if (p.type == PropType::kDate) kind = Value::Kind::kDate;
      if (p.type == PropType::kInteger) kind = Value::Kind::kInt;
      if (p.type == PropType::kBoolean) kind = Value::Kind::kBool;
      if (p.type == PropType::kNumber || p.type == PropType::kConfidence || p.type == PropType::kList)
        continue;  // mixed kinds
      out.push_back({name, pname, kind});
    }
  }
  return out;
}

json Schema::ToJson() const {
  json doc = json::object();
  json common_node = json::object(), common_rel = json::object();
  for (const auto& [n, p] : common_node_) common_node[n] = PropToJson(p);
  for (const auto& [n, p] : common_rel_) common_rel[n] = PropToJson(p);
  doc["common_node_properties"] = common_node;
  doc["common_relationship_properties"] = common_rel;
  json labels = json::object();
  for (const auto& [name, spec] : labels_) {
    json l = json::object();
    l["prefix"] = spec.prefix;
    if (spec.event_form) l["form"] = "event";
    if (!spec.sources) l["sources"] = false;
    if (!spec.key_property.empty()) l["key_property"] = spec.key_property;
    if (spec.validity != ValidityRule::kStored)
      l["validity"] = spec.validity == ValidityRule::kNone ? "none" : "derived";
    if (!spec.required.empty()) l["required"] = spec.required;
    json props = json::object();
    for (const auto& [n, p] : spec.props) props[n] = PropToJson(p);
    l["properties"] = props;
    if (!spec.builtin) l["extension"] = true;
    labels[name] = l;
  }
  doc["labels"] = labels;
  json rels = json::object();
  for (const auto& [name, spec] : rels_) {
    json r = json::object();
    r["from"] = spec.from;
    r["to"] = spec.to;
    if (spec.symmetric) r["symmetric"] = true;
    if (spec.same_label) r["same_label"] = true;
    if (spec.generated) r["generated"] = true;
    if (!spec.required.empty()) r["required"] = spec.required;
    if (!spec.props.empty()) {
      json props = json::object();
      for (const auto& [n, p] : spec.props) props[n] = PropToJson(p);
      r["properties"] = props;
    }
    if (!spec.builtin) r["extension"] = true;
    rels[name] = r;
  }
  doc["relationships"] = rels;
  return doc;
}

json MergeExtensions(const json& a, const json& b) {
  if (!a.is_object()) return b;
  if (!b.is_object()) return a;
  json out = a;
  for (const auto& [k, v] : b.items()) {
    if (!out.contains(k)) {
      out[k] = v;
    } else if (out[k].is_object() && v.is_object()) {
      out[k] = MergeExtensions(out[k], v);
    } else if (out[k].is_array() && v.is_array()) {
      for (const auto& e : v) {
        if (std::find(out[k].begin(), out[k].end(), e) == out[k].end()) out[k].push_back(e);
      }
    } else if (out[k].is_string() && v.is_object()) {
      out[k] = v;  // "string" widened to {"type": "string", "index": true}
    } else if (!(out[k].is_object() && v.is_string())) {
      out[k] = v;
    }
  }
  return out;
}

Result<int> DomainVersion(GraphStore& store) {
  ASSIGN_OR_RETURN(auto text, store.GetMeta(kDomainVersionMeta));
  if (!text) return 1;
  int v = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < 1) {
    return Status::Corruption("the database's domain schema version is not a number: '" + *text + "'");
  }
  return v;
}

Status CheckDomainVersion(GraphStore& store) {
  ASSIGN_OR_RETURN(int v, DomainVersion(store));
  if (v > kDomainVersion) {
    return Status::Unsupported(
        "the database at " + store.path() + " was written by a newer lodestone (domain schema version " +
        std::to_string(v) + "; this build knows versions up to " + std::to_string(kDomainVersion) +
        "); use that release or a newer one to change it");
  }
  return Status::OK();
}

namespace {
template <typename Writer>
Status Stamp(GraphStore& store, Writer& writer) {
  ASSIGN_OR_RETURN(int v, DomainVersion(store));
  if (v >= kDomainVersion) return Status::OK();
  return writer.PutMeta(kDomainVersionMeta, std::to_string(kDomainVersion));
}
}  // namespace

Status StampDomainVersion(GraphStore& store, WriteTxn& txn) { return Stamp(store, txn); }
Status StampDomainVersion(GraphStore& store, BulkLoad& load) { return Stamp(store, load); }

Status EnsureIndexes(WriteTxn& txn, const Schema& schema) {
  for (const auto& want : schema.Indexes()) {
    ASSIGN_OR_RETURN(LabelId label, txn.InternLabel(want.label));
    ASSIGN_OR_RETURN(PropKeyId key, txn.InternPropKey(want.property));
    if (auto have = txn.view().names().FindIndex(label, key); have && have->kind == want.kind) continue;
    RETURN_IF_ERROR(txn.CreateIndex(label, key, want.kind)
                        .WithContext("declaring the index :" + want.label + "(" + want.property + ")"));
  }
  return Status::OK();
}

}  // namespace lodestone::domain
