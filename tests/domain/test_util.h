// Helpers for the domain tests: a scratch database with a controllable clock, imports from text,
// and whole-graph snapshots for comparisons.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "domain/import.h"
#include "domain/functions.h"
#include "domain/lifecycle.h"
#include "query/database.h"
#include "tests/support/temp_dir.h"

namespace lodestone::testing {

// A database in a temporary directory whose record clock the test sets.
class TestDb {
 public:
  explicit TestDb(const std::string& name = "db") : path_(dir_.Sub(name)) { Open(); }
  void Open() {
    StoreOptions o;
    o.create_if_missing = true;
    o.clock = [this] { return clock_.load(); };
    auto db = Database::Open(path_, o);
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    domain::RegisterDomainFunctions();
  }
  void Close() { db_.reset(); }
  Database& db() { return *db_; }
  GraphStore& store() { return db_->store(); }
  const std::string& path() const { return path_; }
  const TempDir& dir() const { return dir_; }
  // Record times: micros since the epoch.
  void SetClock(const std::string& iso) { clock_ = static_cast<uint64_t>(DateTime::Parse(iso)->micros); }

  domain::ImportReport Import(const std::string& text, const std::string& name = "test.jsonl",
                              domain::ImportOptions opt = {}, domain::InputKind kind = domain::InputKind::kJsonLines) {
    domain::ImportInput in;
    in.name = name;
    in.text = text;
    in.kind = kind;
    opt.collect_changes = true;
    return domain::Import(*db_, {in}, opt);
  }
  // The seed and the commodity codes; with `dataset`, the 2023-2026 dataset too (as `lodestone init`).
  domain::ImportReport LoadSeed(bool dataset = false) { return domain::LoadSeed(*db_, "init: seed", dataset); }

  ExecResult Query(const std::string& q, const ValueMap& params = {}) {
    auto conn = db_->Connect();
    return conn->Execute(q, params, {});
  }

 private:
  TempDir dir_;
  std::string path_;
  std::atomic<uint64_t> clock_{1'767'225'600'000'000};  // 2026-01-01T00:00:00Z
  std::unique_ptr<Database> db_;
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
