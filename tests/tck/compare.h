// Comparing a query's result with a result table of the suite.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/status.h"
#include "tests/tck/gherkin.h"
#include "tests/tck/tck_value.h"

namespace lodestone {
struct QueryResult;
}

namespace lodestone::tck {

struct TckTable {
  std::vector<std::string> columns;
  std::vector<std::vector<TckValue>> rows;
};

// The expected table of a `Then the result should be...` step: a header row, then value rows.
Result<TckTable> ParseExpectedTable(const DataTable& table);

// The actual result in the same form.
Result<TckTable> TableFromResult(const QueryResult& result);

struct CompareOptions {
  bool in_order = false;           // "in order": rows in sequence; otherwise as a multiset
  bool ignore_list_order = false;  // "(ignoring element order for lists)": lists as multisets, at any depth
};

// Column names must match exactly and in order; then the rows. Returns a description of the first
// difference, or nothing when the tables match.
std::optional<std::string> CompareTables(const TckTable& expected, const TckTable& actual,
                                         const CompareOptions& opts);

// A table in the suite's notation, one row per line, for --verbose and failure messages.
std::string FormatTable(const TckTable& table, bool sort_lists = false);
std::string FormatRow(const std::vector<TckValue>& row, bool sort_lists = false);

}  // namespace lodestone::tck
