// A fixture for tests of the query engine through the Database/Connection facade: a scratch database
// (scratch_database.h), one connection, and statements run for their rows as text or for their error.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "query/database.h"
#include "query/result_format.h"
#include "tests/support/scratch_database.h"

namespace lodestone::testing {

class QueryTest : public ::testing::Test {
 protected:
  explicit QueryTest(uint64_t clock_start = TestClock::k2026, uint64_t tick = 0)
      : scratch_(clock_start, tick) {}

  void SetUp() override {
    Status s = scratch_.Open();
    ASSERT_TRUE(s.ok()) << s.ToString();
    db_ = &scratch_.get();
    conn_ = db_->Connect();
  }

  ExecResult Run(const std::string& q, const ValueMap& params = {}, QueryOptions o = {}) {
    return conn_->Execute(q, params, o);
  }

  // Runs a statement that must succeed and returns its rows as text, one string per row: "a | b".
  std::vector<std::string> Rows(const std::string& q, const ValueMap& params = {}) {
    ExecResult r = Run(q, params);
    EXPECT_TRUE(r.ok()) << q << "\n" << (r.error ? r.error->formatted : "");
    std::vector<std::string> out;
    for (const auto& row : r.result.rows) {
      std::string s;
      for (size_t i = 0; i < row.size(); ++i) s += (i ? " | " : "") + ValueToText(row[i], &r.result);
      out.push_back(s);
    }
    return out;
  }

  // Runs a statement that must fail and returns its error.
  QueryError Error(const std::string& q, const ValueMap& params = {}, QueryOptions o = {}) {
    ExecResult r = Run(q, params, o);
    EXPECT_FALSE(r.ok()) << "expected an error from: " << q;
    return r.error.value_or(QueryError{});
  }

  ScratchDatabase scratch_;
  Database* db_ = nullptr;
  std::unique_ptr<Connection> conn_;
};

}  // namespace lodestone::testing
