// Import records: the node, relationship, event and schema forms of the import format, parsed and
// checked against the schema. Internal to domain/ (import, export and tests use it).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/import.h"
#include "domain/schema.h"

namespace lodestone::domain {

using NamedProps = std::vector<std::pair<std::string, Value>>;  // sorted by name

struct RelItem {
  std::string type;
  std::string from;
  std::string to;
  std::string key;   // distinguishes parallel relationships; empty when none
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

// Reads records: parses JSON text and checks each record against the schema. Keeps its parser's
// buffers between records, so one reader per thread serves a whole file without allocating per line.
//
// JSON Lines are parsed with simdjson (no document tree is allocated per line; about 20 times faster
// than nlohmann::json here). Messages are those the import has always given: malformed JSON is
// described by nlohmann::json's parser (which names the column), values in messages are printed as
// nlohmann::json prints them, and an object's members are visited in nlohmann::json's order (sorted
// by name; a repeated name keeps its last value).
class RecordReader {
 public:
  explicit RecordReader(const Schema& schema);
  ~RecordReader();
  RecordReader(const RecordReader&) = delete;
  RecordReader& operator=(const RecordReader&) = delete;

  // Parses one JSON text (a line of JSON Lines) into `out` and checks it. Problems go to `problems`
  // (file and line filled in by the caller); returns false when the record is bad. Malformed JSON
  // gives one problem, "not valid JSON: parse error at column ...".
  bool Read(std::string_view text, Record* out, std::vector<Problem>* problems,
            const FieldNamer& namer = nullptr);
  // The same for a record built as a JSON value (a CSV row through its mapping).
  bool Read(const nlohmann::json& j, Record* out, std::vector<Problem>* problems,
            const FieldNamer& namer = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A date with its precision from text, or a message saying what a date looks like.
Result<Date> ParseDateText(std::string_view text);

// True when the key has the form prefix/slug: lowercase letters, then '/', then [a-z0-9._-]+.
bool ValidKeySyntax(std::string_view key);

// "Source" and similar display text for a label in messages ("an Actor", "a Source").
std::string WithArticle(std::string_view label);

}  // namespace lodestone::domain
