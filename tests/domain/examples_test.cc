// docs/examples.md as a test: every ```cypher block is run against the seed and its result compared
// with the table that follows it, so the doc cannot drift from what Lodestone answers. ```jsonl blocks
// are imported where they stand, at the record time an HTML comment above them gives
// (<!-- recorded 2026-03-01T09:00:00Z -->), so later examples can read the graph as known before them.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "query/result_format.h"
#include "tests/domain/test_util.h"

namespace lodestone::domain {
namespace {

using testing::TestDb;

struct Block {
  std::string kind;  // "cypher" or "jsonl"
  std::string text;
  int line = 0;
  std::string heading;
  std::string recorded;  // for jsonl
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  bool has_table = false;
};

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Splits a markdown table row "| a | b \| c |" into cells.
std::vector<std::string> Cells(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  std::string t = Trim(line);
  for (size_t i = 1; i < t.size(); ++i) {
    char c = t[i];
    if (c == '\\' && i + 1 < t.size() && t[i + 1] == '|') {
      cur += '|';
      ++i;
    } else if (c == '|') {
      std::string cell = Trim(cur);
      if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`')
        cell = cell.substr(1, cell.size() - 2);
      out.push_back(cell);
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

std::vector<Block> Parse(const std::string& doc) {
  std::vector<Block> blocks;
  std::istringstream in(doc);
  std::string line, heading, recorded;
  int n = 0;
  Block* table_for = nullptr;
  bool in_table = false;
  while (std::getline(in, line)) {
    ++n;
    if (line.rfind("#", 0) == 0) heading = Trim(line.substr(line.find(' ') + 1));
    if (line.find("<!-- recorded ") != std::string::npos) {
      size_t b = line.find("recorded ") + 9;
      recorded = Trim(line.substr(b, line.find("-->") - b));
    }
    if (line.rfind("```cypher", 0) == 0 || line.rfind("```jsonl", 0) == 0) {
      Block b;
      b.kind = line.substr(3);
      b.line = n;
      b.heading = heading;
      b.recorded = recorded;
      while (std::getline(in, line) && line.rfind("```", 0) != 0) {
        ++n;
        b.text += line + "\n";
      }
      ++n;
      blocks.push_back(std::move(b));
      table_for = blocks.back().kind == "cypher" ? &blocks.back() : nullptr;
      in_table = false;
      continue;
    }
    std::string t = Trim(line);
    if (table_for && t.rfind("|", 0) == 0) {
      if (!in_table) {
        table_for->columns = Cells(t);
        table_for->has_table = true;
        in_table = true;
      } else if (t.find("---") != std::string::npos && t.find_first_not_of("|-: ") == std::string::npos) {
        // separator
      } else {
        table_for->rows.push_back(Cells(t));
      }
    } else if (in_table) {
      table_for = nullptr;
      in_table = false;
    }
  }
  return blocks;
}

// A value as the doc's tables write it: text without quotes, dates as text, null as "null".
std::string Cell(const Value& v, const QueryResult& r) {
  if (v.is_null()) return "null";
  if (v.is_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v.as_float());
    return buf;
  }
  return ValueToText(v, &r);
}

TEST(Examples, EveryExampleInTheDocHoldsOnTheSeed) {
  std::ifstream f(std::string(LODESTONE_SOURCE_DIR) + "/docs/examples.md");
  ASSERT_TRUE(f) << "docs/examples.md is missing";
  std::ostringstream ss;
  ss << f.rdbuf();
  std::vector<Block> blocks = Parse(ss.str());
  TestDb t;
  t.SetClock("2026-01-20T10:00:00Z");
  ASSERT_FALSE(t.LoadSeed(/*dataset=*/true).failed);
  int queries = 0;
  for (const Block& b : blocks) {
    SCOPED_TRACE("docs/examples.md line " + std::to_string(b.line) + " (" + b.heading + ")");
    if (b.kind == "jsonl") {
      ASSERT_FALSE(b.recorded.empty()) << "a jsonl block needs <!-- recorded DATETIME --> above it";
      t.SetClock(b.recorded);
      ImportOptions opt;
      opt.origin = "import examples-update.jsonl by analyst";
      ImportReport r = t.Import(b.text, "docs/examples.md", opt);
      ASSERT_FALSE(r.failed) << testing::ProblemsText(r);
      continue;
    }
    ASSERT_TRUE(b.has_table) << "every query needs its expected table right after it";
    ++queries;
    ExecResult r = t.Query(b.text);
    ASSERT_TRUE(r.ok()) << r.error->formatted;
    EXPECT_EQ(r.result.columns, b.columns);
    std::vector<std::vector<std::string>> got;
    for (const auto& row : r.result.rows) {
      std::vector<std::string> cells;
      for (const auto& v : row) cells.push_back(Cell(v, r.result));
      got.push_back(cells);
    }
    if (got != b.rows) {
      std::string table;
      for (const auto& row : got) {
        table += "|";
        for (const auto& c : row) table += " " + c + " |";
        table += "\n";
      }
      ADD_FAILURE() << "the result differs from the doc's table; the query returns:\n" << table;
    }
  }
  EXPECT_GE(queries, 15) << "docs/examples.md should hold at least 15 questions";
}

}  // namespace
}  // namespace lodestone::domain
