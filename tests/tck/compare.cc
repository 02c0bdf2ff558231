#include "tests/tck/compare.h"

#include <algorithm>

#include "query/database.h"

namespace lodestone::tck {

Result<TckTable> ParseExpectedTable(const DataTable& table) {
  TckTable out;
  if (table.rows.empty()) return Status::InvalidArgument("a result table without a header row");
  out.columns = table.rows.front();
  for (size_t r = 1; r < table.rows.size(); ++r) {
    std::vector<TckValue> row;
    for (const std::string& cell : table.rows[r]) {
      auto v = ParseTckValue(cell);
      if (!v.ok()) {
        return Status::InvalidArgument("line " + std::to_string(table.line + static_cast<int>(r)) +
                                       ": cannot read the expected value: " + v.status().message());
      }
      row.push_back(std::move(v).value());
    }
    out.rows.push_back(std::move(row));
  }
  return out;
}

Result<TckTable> TableFromResult(const QueryResult& result) {
  TckTable out;
  out.columns = result.columns;
  for (size_t r = 0; r < result.rows.size(); ++r) {
    const auto& row = result.rows[r];
    if (row.size() != result.columns.size()) {
      return Status::Internal("result row " + std::to_string(r + 1) + " has " + std::to_string(row.size()) +
                              " values for " + std::to_string(result.columns.size()) + " columns");
    }
    std::vector<TckValue> values;
    for (const Value& v : row) {
      auto t = FromEngineValue(v, result);
      if (!t.ok()) return t.status();
      values.push_back(std::move(t).value());
    }
    out.rows.push_back(std::move(values));
  }
  return out;
}

std::string FormatRow(const std::vector<TckValue>& row, bool sort_lists) {
  if (row.empty()) return "(a row of no columns)";
  std::string out = "|";
  for (const TckValue& v : row) out += " " + FormatTckValue(v, sort_lists) + " |";
  return out;
}

std::string FormatTable(const TckTable& table, bool sort_lists) {
  if (table.columns.empty()) {
    return "(no columns, " + std::to_string(table.rows.size()) +
           (table.rows.size() == 1 ? " row)\n" : " rows)\n");
  }
  // Cells padded to their column's width, for reading.
  std::vector<std::vector<std::string>> cells;
  cells.push_back(table.columns);
  for (const auto& row : table.rows) {
    std::vector<std::string> line;
    for (const TckValue& v : row) line.push_back(FormatTckValue(v, sort_lists));
    cells.push_back(std::move(line));
  }
  std::vector<size_t> width(table.columns.size(), 0);
  for (const auto& line : cells) {
    for (size_t c = 0; c < line.size() && c < width.size(); ++c)
      width[c] = std::max(width[c], line[c].size());
  }
  std::string out;
  for (const auto& line : cells) {
    out += "|";
    for (size_t c = 0; c < line.size(); ++c) {
      out += " " + line[c] + std::string(c < width.size() ? width[c] - line[c].size() : 0, ' ') + " |";
    }
    out += '\n';
  }
  return out;
}

namespace {

std::string Header(const std::vector<std::string>& columns) {
  std::string out = "|";
  for (const std::string& c : columns) out += " " + c + " |";
  return out;
}

std::string RowCounts(size_t expected, size_t actual) {
  return "expected " + std::to_string(expected) + (expected == 1 ? " row" : " rows") + ", got " +
         std::to_string(actual);
}

// Up to `limit` rows of `rows`, with a count of the rest.
std::string Some(const std::vector<std::string>& rows, size_t limit = 3) {
  std::string out;
  for (size_t k = 0; k < rows.size() && k < limit; ++k) {
    if (k > 0) out += ", ";
    out += rows[k];
  }
  if (rows.size() > limit) out += " and " + std::to_string(rows.size() - limit) + " more";
  return out;
}

}  // namespace

std::optional<std::string> CompareTables(const TckTable& expected, const TckTable& actual,
                                         const CompareOptions& opts) {
  if (expected.columns != actual.columns) {
    return "columns differ: expected " + Header(expected.columns) + ", got " + Header(actual.columns);
  }
  std::vector<std::string> want;
  std::vector<std::string> got;
  for (const auto& row : expected.rows) want.push_back(FormatRow(row, opts.ignore_list_order));
  for (const auto& row : actual.rows) got.push_back(FormatRow(row, opts.ignore_list_order));

  if (opts.in_order) {
    const size_t n = std::min(want.size(), got.size());
    for (size_t k = 0; k < n; ++k) {
      if (want[k] != got[k]) {
        std::string msg = "row " + std::to_string(k + 1) + ": expected " + want[k] + ", got " + got[k];
        if (want.size() != got.size()) msg += " (" + RowCounts(want.size(), got.size()) + ")";
        return msg;
      }
    }
    if (want.size() != got.size()) {
      std::string msg = RowCounts(want.size(), got.size());
      if (want.size() > n) msg += "; first missing row " + want[n];
      if (got.size() > n) msg += "; first extra row " + got[n];
      return msg;
    }
    return std::nullopt;
  }

  std::vector<std::string> sorted_want = want;
  std::vector<std::string> sorted_got = got;
  std::sort(sorted_want.begin(), sorted_want.end());
  std::sort(sorted_got.begin(), sorted_got.end());
  std::vector<std::string> missing;
  std::vector<std::string> extra;
  std::set_difference(sorted_want.begin(), sorted_want.end(), sorted_got.begin(), sorted_got.end(),
                      std::back_inserter(missing));
  std::set_difference(sorted_got.begin(), sorted_got.end(), sorted_want.begin(), sorted_want.end(),
                      std::back_inserter(extra));
  if (missing.empty() && extra.empty()) return std::nullopt;
  std::string msg = RowCounts(want.size(), got.size());
  if (!missing.empty()) msg += "; missing " + Some(missing);
  if (!extra.empty()) msg += "; unexpected " + Some(extra);
  return msg;
}

}  // namespace lodestone::tck
