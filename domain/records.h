// Import records: the node, relationship, event and schema forms of the import format, parsed and
// checked against the schema. Internal to domain/ (import, export and tests use it).
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "domain/import.h"
#include "domain/schema.h"

namespace lodestone::domain {

using NamedProps = std::vector<std::pair<std::string, Value>>;  // sorted by name

struct RelItem {
  std::string type;
  std::string from;
  std::string to;
  std::string key;  // distinguishes parallel relationships; empty when none
  NamedProps props;  // including "sources" (a list of source keys)
  Validity validity;
  std::string field;  // where in the record: "" for a rel record, "involves[1]" for an event's item
};

enum class RecordKind { kNode, kRel, kEvent, kSchema };

struct Record {
  RecordKind kind = RecordKind::kNode;
  int file = 0;  // index of the input
  int line = 0;
  bool bad = false;
  // node and event records
  std::string key;
  std::vector<std::string> labels;  // primary first
  NamedProps props;
  Validity validity;
  std::vector<std::string> sources;
  // a rel record's one relationship, or an event's INVOLVES / AFFECTS / CONCERNS
  std::vector<RelItem> rels;
  // schema records
  nlohmann::json schema;

  // "node actor/china", "event event/...", "IMPOSED actor/china -> control/x"
  std::string Describe() const;
};

std::string DescribeRel(const RelItem& r);

// Renames a record field for messages (a CSV mapping reports the column it came from).
using FieldNamer = std::function<std::string(const std::string& field)>;

// Parses one JSON record (any form) and checks it against the schema. Problems go to `problems`
// (file and line filled in by the caller); returns false when the record is bad.
bool ParseRecord(const nlohmann::json& j, const Schema& schema, Record* out, std::vector<Problem>* problems,
                 const FieldNamer& namer = nullptr);

// Checks and converts one property value. `field` names it for messages.
bool ConvertProperty(const PropertySpec& spec, const nlohmann::json& j, Value* out, std::string* error);

// A date with its precision from text, or a message saying what a date looks like.
Result<Date> ParseDateText(std::string_view text);

// True when the key has the form prefix/slug: lowercase letters, then '/', then [a-z0-9._-]+.
bool ValidKeySyntax(std::string_view key);

// "Source" and similar display text for a label in messages ("an Actor", "a Source").
std::string WithArticle(std::string_view label);

}  // namespace lodestone::domain
