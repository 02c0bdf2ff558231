// CSV input: RFC 4180 parsing, and turning rows into import records, either as event rows (the
// default columns) or through a mapping file (docs/import.md, "CSV files" and "Mapping files").
// Internal to domain/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/import.h"
#include "domain/records.h"
#include "domain/schema.h"

namespace lodestone::domain {

struct CsvRow {
  int line = 0;  // the line the row starts on
  std::vector<std::string> cells;
};

// Parses CSV text: fields separated by `delimiter`, optionally quoted with '"' ("" inside quotes is
// a quote; quoted fields may hold delimiters and line breaks); CRLF or LF line ends; a UTF-8 byte
// order mark is skipped; blank lines are skipped. Returns false (with a problem) on an unterminated
// quote.
bool ParseCsv(std::string_view text, char delimiter, std::vector<CsvRow>* rows, Problem* problem);

// How the rows of one CSV file become records.
class CsvMapping {
 public:
  // The default: event rows with columns date, title, event_kind, involves, affects, concerns,
  // sources, summary (and optionally key, location, date_text, confidence, note).
  static CsvMapping Events();
  // A mapping document (JSON). Problems name the place in the document.
  static bool Parse(std::string_view text, CsvMapping* out, std::string* error);

  char delimiter() const { return delimiter_; }
  // True when a row becomes several records ("records").
  bool multi() const { return !parts_.empty(); }
  // Checks the header against the mapping (every mapped column present; for event CSV, no unknown
  // column). Problems go to `problems` with line 1.
  bool BindHeader(const std::vector<std::string>& header, const Schema& schema,
                  std::vector<Problem>* problems);
  // Builds the JSON records of one row: one, or with "records" one per part (and per list item of
  // its for_each column, when that is set), each with the index of the part it came from. Problems
  // (a wrong number of cells, a malformed list item) go to `problems`. Returns false when the row is
  // bad.
  bool RowToRecords(const CsvRow& row, const Schema& schema,
                    std::vector<std::pair<size_t, nlohmann::json>>* out,
                    std::vector<Problem>* problems) const;
  // Renames a record field of a record from `part` to the column it came from, for messages.
  std::string ColumnOf(size_t part, const std::string& field) const;

 private:
  struct Source {
    enum class Kind { kColumn, kValue, kTemplate } kind = Kind::kColumn;
    std::string column;    // kColumn
    nlohmann::json value;  // kValue
    std::string templ;     // kTemplate: "actor/{slug:Country}"
  };
  std::string form_ = "event";  // node, rel or event
  // A mapping with "records": its parts, each a mapping of its own that may repeat per item of a list
  // column (for_each; {item} in templates) and be left out when a column is empty (when).
  std::vector<CsvMapping> parts_;
  std::string for_each_;
  std::string when_;
  char delimiter_ = ',';
  char list_separator_ = ';';
  bool events_default_ = false;
  std::vector<std::pair<std::string, Source>> fields_;  // record field path -> where its value comes from
  std::vector<std::string> header_;
  std::vector<int> field_column_;  // for kColumn sources: the column index in the header

  static bool ParseForm(const nlohmann::json& doc, bool part, CsvMapping* m, std::string* error);
  bool BindPart(const Schema& schema, std::vector<Problem>* problems);
  bool RowToJson(const CsvRow& row, const Schema& schema, const std::string& item, nlohmann::json* out,
                 std::vector<Problem>* problems) const;
  std::string ColumnOfField(const std::string& field) const;
  std::string Cell(const CsvRow& row, size_t field_index) const;
  std::string Expand(const std::string& templ, const CsvRow& row, const std::string& item,
                     std::string* error) const;
  int ColumnIndex(const std::string& name) const;
};

// Lowercase ASCII slug of a text for keys: "Trump and Xi meet" -> "trump-and-xi-meet".
std::string Slugify(std::string_view text, size_t max_length = 60);

}  // namespace lodestone::domain
