// The domain schema: Lodestone's ontology as data. Node labels (with their key prefix, properties,
// required properties, enumerations), relationship types (with the labels allowed at each end and
// their properties), and the indexes the domain wants.
//
// One home: the default schema is domain/default_schema.json, compiled into the binary; a schema
// extension (docs/schema.md, "Extending the schema") is a JSON document in the same format that only
// adds. A database keeps the extensions applied to it in the graph itself, in the node
// `schema/extensions` (label `Schema`), so they travel with the data, are versioned like any node
// (KNOWN AT reads the schema as it was), and are exported and re-imported with it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/bulk_load.h"
#include "store/graph_store.h"

namespace lodestone::domain {

// What a property may hold.
enum class PropType {
  kString,  // a non-empty string
  kNumber,  // an integer or a float
  kInteger,
  kBoolean,
  kDate,        // a date with precision, written "2025-10-09", "2025-10", "2026-Q1", "2026-H1", "2025"
  kList,        // a list of non-empty strings
  kConfidence,  // a number in [0, 1]
  kEnum,        // one of `values`
  kHsCode,      // a Harmonized System code: 2 (chapter), 4 (heading) or 6 (subheading) digits, as a string
  kMastCode,    // an UNCTAD MAST code: a chapter letter A-P and up to three digits ("P33"), as a string
  kScalar,      // a string, number or boolean (a disputed value of any scalar property)
};
std::string_view PropTypeName(PropType t);  // "string", "number", ..., "enum"

// True for a Harmonized System code: 2, 4 or 6 digits (chapter, heading, subheading).
bool IsHsCode(std::string_view code);
// True for an UNCTAD MAST code: a chapter letter A-P followed by up to three digits ("P33").
bool IsMastCode(std::string_view code);

struct PropertySpec {
  std::string name;
  PropType type = PropType::kString;
  std::vector<std::string> values;  // kEnum: the allowed values, in the order the schema lists them
  bool derived = false;             // computed by Lodestone; refused on import
  bool index = false;               // the domain declares a (label, property) index on it

  // A description of what is expected, for messages: "a date (2025-10-09, 2025-10, 2026-Q1, 2026-H1 or
  // 2025)".
  std::string Expected() const;
};

// How a label's nodes get their valid time.
enum class ValidityRule {
  kStored,   // valid_from / valid_to in the record
  kNone,     // none (sources, events: an event has a date instead)
  kDerived,  // computed (controls: from their lifecycle events)
};

struct LabelSpec {
  std::string name;
  std::string prefix;  // "actor/"
  std::map<std::string, PropertySpec> props;
  std::vector<std::string> required;
  bool sources = true;  // records must list sources
  ValidityRule validity = ValidityRule::kStored;
  bool event_form = false;  // written in the event form, not the node form
  bool builtin = false;
  // When set, a key's slug is this property's value (HsCode: hs/850511 has code "850511"), so a
  // reference to a key can be checked against the property's type before it is looked up.
  std::string key_property;

  const PropertySpec* FindProp(std::string_view name) const;
  // The key's slug checked against key_property's type; empty when fine or when there is no rule,
  // else what was expected ("an HS code of 6 digits ...").
  std::string CheckKeySlug(std::string_view key) const;
};

struct RelSpec {
  std::string name;
  std::vector<std::string> from;  // labels allowed at the start; "*" = any
  std::vector<std::string> to;
  bool same_label = false;  // both ends carry the same label (PART_OF)
  bool symmetric = false;   // stored once, read undirected (PARTNERS_WITH)
  bool generated = false;   // created by the importer, never written in a file (SOURCED_FROM)
  std::map<std::string, PropertySpec> props;
  std::vector<std::string> required;
  bool builtin = false;

  const PropertySpec* FindProp(std::string_view name) const;
  bool AllowsFrom(std::string_view label) const;
  bool AllowsTo(std::string_view label) const;
};

// One place a problem was found in a schema document: "labels.Facility.prefix".
struct SchemaProblem {
  std::string path;
  std::string message;
};

// Reserved names: the node that holds a database's schema extensions.
inline constexpr std::string_view kSchemaNodeKey = "schema/extensions";
inline constexpr std::string_view kSchemaLabel = "Schema";
inline constexpr std::string_view kSchemaDefinitionProp = "definition";

class Schema {
 public:
  // The default schema (domain/default_schema.json).
  static const Schema& Default();
  // The default schema plus the extensions stored in `view` (node schema/extensions), if any.
  static Result<Schema> ForView(ReadView& view);

  // Adds the definitions of an extension document. Only adds: new labels, relationship types,
  // properties, enumeration values and allowed relationship ends; refuses to change what exists
  // (a label's prefix, a property's type) or to make a property of an existing label required.
  // Problems name the place in the document. Nothing is changed when there are problems.
  std::vector<SchemaProblem> Extend(const nlohmann::json& extension);

  const LabelSpec* FindLabel(std::string_view name) const;
  const LabelSpec* FindLabelByKey(std::string_view key) const;  // by the key's prefix
  const RelSpec* FindRel(std::string_view type) const;
  const PropertySpec* FindCommonNodeProp(std::string_view name) const;
  const PropertySpec* FindCommonRelProp(std::string_view name) const;

  const std::map<std::string, LabelSpec>& labels() const { return labels_; }
  const std::map<std::string, RelSpec>& relationships() const { return rels_; }
  const std::map<std::string, PropertySpec>& common_node_props() const { return common_node_; }
  const std::map<std::string, PropertySpec>& common_rel_props() const { return common_rel_; }

  // Label names and relationship type names, for "expected one of" lists.
  std::vector<std::string> LabelNames(bool include_event_form) const;
  std::vector<std::string> RelTypeNames(bool include_generated) const;

  // The (label, property, kind) indexes the domain declares.
  struct IndexWant {
    std::string label;
    std::string property;
    Value::Kind kind;
  };
  std::vector<IndexWant> Indexes() const;

  // The merged extension documents applied on top of the default schema (null when none).
  const nlohmann::json& extensions() const { return extensions_; }
  // The whole schema in the document format (what `lodestone schema --json` prints).
  nlohmann::json ToJson() const;

 private:
  std::vector<SchemaProblem> Apply(const nlohmann::json& doc, bool builtin);
  std::map<std::string, LabelSpec> labels_;
  std::map<std::string, RelSpec> rels_;
  std::map<std::string, PropertySpec> common_node_;
  std::map<std::string, PropertySpec> common_rel_;
  nlohmann::json extensions_;
};

// Merges extension document `b` into `a` (both in the document format): the union of their labels,
// relationship types, properties and enumeration values.
nlohmann::json MergeExtensions(const nlohmann::json& a, const nlohmann::json& b);

// "a, b or c"; with more than `max` items, the first ones and "... (N in all)".
std::string JoinChoices(const std::vector<std::string>& items, size_t max = 20);

// The version of the domain's schema a database was written with, kept in the store's meta
// (docs/storage-format.md, "Domain schema version"). 1 is every database written before versions were
// kept; 2 added measures as analysts record them (announcements, HS codes, claims, observations,
// disputed values, typed causes, scheduled entries into force). Every version only adds to the one
// before, so moving a database up needs no change to its data: the first import or init of a newer
// release stamps the new version in the same commit. Imports and init refuse a database of a newer
// version than this build knows, since its data may use what this build cannot check.
inline constexpr int kDomainVersion = 2;
inline constexpr std::string_view kDomainVersionMeta = "app.domain_version";

// The database's domain version (1 when none is recorded).
Result<int> DomainVersion(GraphStore& store);
// Refuses a database written by a newer release (a version above kDomainVersion).
Status CheckDomainVersion(GraphStore& store);
// Records kDomainVersion in the transaction (or the bulk load) when the database holds an older one,
// so that the version moves up in the same commit as the records.
Status StampDomainVersion(GraphStore& store, WriteTxn& txn);
Status StampDomainVersion(GraphStore& store, BulkLoad& load);

// Ensures the domain's indexes exist (used by init and every import). Refuses when existing data
// holds a value of another kind.
Status EnsureIndexes(WriteTxn& txn, const Schema& schema);

}  // namespace lodestone::domain
