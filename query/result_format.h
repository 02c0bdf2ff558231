// Rendering values and query results for people and programs: JSON (the tagged form documented in
// docs/api.md), CSV, JSON Lines, and aligned text tables. One home for these encodings: the CLI, the
// shell, the exporter and the web API all use them.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "query/database.h"

namespace lodestone {

// A value as JSON. Nodes and relationships are described from `result` (which holds their labels and
// properties); pass nullptr to render them as bare ids.
nlohmann::json ValueToJson(const Value& v, const QueryResult* result = nullptr);
// The inverse for parameters and imports: plain JSON values, plus the tagged forms $date, $datetime,
// $int and $float. Nodes and relationships cannot be read back.
Result<Value> ValueFromJson(const nlohmann::json& j);

// A value as a person reads it in a table cell: strings without quotes, dates as text, nodes as
// (:Label {key: ...}) and relationships as [:TYPE].
std::string ValueToText(const Value& v, const QueryResult* result = nullptr);

enum class ResultFormat { kTable, kJson, kCsv, kJsonLines };
Result<ResultFormat> ParseResultFormat(std::string_view name);  // "table", "json", "csv", "jsonl"
std::string FormatResult(const QueryResult& r, ResultFormat format);

// {"error": {...}} as in docs/api.md.
nlohmann::json ErrorToJson(const QueryError& e, int status);

}  // namespace lodestone
