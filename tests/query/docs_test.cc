// docs/query-language.md stays true: every ```cypher block runs, and every ```result block after one
// matches what the statement returns (cells as the table output prints them).
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "query/database.h"
#include "query/result_format.h"
#include "tests/support/temp_dir.h"

namespace lodestone {
namespace {

struct Example {
  int line;
  std::string query;
  bool setup = false;
  std::optional<std::vector<std::vector<std::string>>> expected;  // header first
};

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t"), e = s.find_last_not_of(" \t");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> Cells(const std::string& row) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 1; i < row.size(); ++i) {  // skip the leading '|'
    if (row[i] == '|') {
      out.push_back(Trim(cur));
      cur.clear();
    } else {
      cur += row[i];
    }
  }
  return out;
}

std::vector<Example> ReadExamples(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::vector<Example> out;
  std::string line;
  int n = 0;
  enum { kText, kQuery, kResult } mode = kText;
  while (std::getline(in, line)) {
    ++n;
    if (mode == kText) {
      if (line.rfind("```cypher", 0) == 0) {
        out.push_back({n, "", line.find("setup") != std::string::npos, std::nullopt});
        mode = kQuery;
      } else if (line == "```result") {
        EXPECT_FALSE(out.empty()) << path << ":" << n << ": a result block with no query before it";
        out.back().expected.emplace();
        mode = kResult;
      }
      continue;
    }
    if (line == "```") {
      mode = kText;
      continue;
    }
    if (mode == kQuery) {
      out.back().query += line + "\n";
    } else {
      out.back().expected->push_back(Cells(line));
    }
  }
  return out;
}

TEST(DocsTest, QueryLanguageExamplesRunAndMatch) {
  testing::TempDir dir;
  StoreOptions o;
  o.create_if_missing = true;
  auto db = Database::Open(dir.Sub("db"), o);
  ASSERT_TRUE(db.ok());
  auto conn = (*db)->Connect();
  std::string path = std::string(LODESTONE_SOURCE_DIR) + "/docs/query-language.md";
  auto examples = ReadExamples(path);
  ASSERT_GT(examples.size(), 10u);
  ASSERT_TRUE(examples[0].setup) << "the first example must build the graph";
  for (const Example& ex : examples) {
    SCOPED_TRACE("docs/query-language.md:" + std::to_string(ex.line));
    ExecResult r = conn->Execute(ex.query);
    ASSERT_TRUE(r.ok()) << ex.query << "\n" << r.error->formatted;
    if (!ex.expected) continue;
    const auto& want = *ex.expected;
    ASSERT_FALSE(want.empty());
    EXPECT_EQ(r.result.columns, want[0]);
    std::vector<std::vector<std::string>> got;
    for (const auto& row : r.result.rows) {
      std::vector<std::string> cells;
      for (const auto& v : row) cells.push_back(ValueToText(v, &r.result));
      got.push_back(cells);
    }
    EXPECT_EQ(got, std::vector<std::vector<std::string>>(want.begin() + 1, want.end())) << ex.query;
  }
}

}  // namespace
}  // namespace lodestone
