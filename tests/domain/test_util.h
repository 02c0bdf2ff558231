// Helpers for the domain tests: a scratch database with a controllable clock, imports from text,
// and whole-graph snapshots for comparisons.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "domain/functions.h"
#include "domain/import.h"
#include "domain/lifecycle.h"
#include "domain/procedures.h"
#include "query/database.h"
#include "tests/support/scratch_database.h"

namespace lodestone::testing {

// A database in a temporary directory whose record clock the test sets, with the domain's functions
// and procedures.
class TestDb {
 public:
  explicit TestDb(const std::string& name = "db") : scratch_(TestClock::k2026, 0, name) { Open(); }
  void Open() {
    Status s = scratch_.Open();
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_TRUE(domain::RegisterDomain(scratch_.get()).ok());
  }
  void Close() { scratch_.Close(); }
  Database& db() { return scratch_.get(); }
  GraphStore& store() { return scratch_->store(); }
  const std::string& path() const { return scratch_.path(); }
  const TempDir& dir() const { return scratch_.dir(); }
  // Record times: micros since the epoch.
  void SetClock(const std::string& iso) { scratch_.clock().Set(iso); }

  domain::ImportReport Import(const std::string& text, const std::string& name = "test.jsonl",
                              domain::ImportOptions opt = {},
                              domain::InputKind kind = domain::InputKind::kJsonLines) {
    domain::ImportInput in;
    in.name = name;
    in.text = text;
    in.kind = kind;
    opt.collect_changes = true;
    return domain::Import(db(), {in}, opt);
  }
  // The seed and the commodity codes; with `dataset`, the 2023-2026 dataset too (as `lodestone init`).
  domain::ImportReport LoadSeed(bool dataset = false) {
    return domain::LoadSeed(db(), "init: seed", dataset);
  }

  ExecResult Query(const std::string& q, const ValueMap& params = {}) {
    auto conn = db().Connect();
    return conn->Execute(q, params, {});
  }

 private:
  ScratchDatabase scratch_;
};

// Every node and relationship as comparable text: keys, labels, properties, validity.
struct GraphSnapshot {
  std::set<std::string> nodes;
  std::multiset<std::string> rels;
};
GraphSnapshot Snapshot(GraphStore& store);

// All problems of a report, one per line, for failure messages.
std::string ProblemsText(const domain::ImportReport& r);

}  // namespace lodestone::testing
