// Databases made by earlier releases keep working. tests/domain/data/db-2026-12 was written by the
// release of December 2026 (domain schema version 1, before measures had announcements and
// scheduled dates) from db-2026-12.a.jsonl and, a second later, db-2026-12.b.jsonl: one export
// licence imposed, suspended and reinstated. It opens, answers as it did, is moved to the current
// domain version by the next import without changing its data, and its import files still import
// with the same meaning.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "domain/functions.h"
#include "domain/import.h"
#include "domain/schema.h"
#include "query/database.h"
#include "query/result_format.h"
#include "tests/domain/test_util.h"
#include "tests/support/temp_dir.h"

namespace lodestone::domain {
namespace {

using testing::TempDir;
using testing::TestDb;

std::string DataPath(const std::string& name) {
  return std::string(LODESTONE_SOURCE_DIR) + "/tests/domain/data/" + name;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The answers the release that made the database gave (recorded when it was made).
constexpr const char* kQuestion =
    "MATCH (c:Control) RETURN c.key, validity(c), status(c, date('2024-06-01')), status(c, "
    "date('2024-12-01')), "
    "status(c, date('2025-06-01'))";
const std::vector<std::string> kAnswer = {
    "control/atlantis-orichalcum-export-licence",
    "[{from: date('2024-03-15'), to: date('2024-09')}, {from: date('2025-02-01'), to: null}]", "in_force",
    "suspended", "in_force"};

std::vector<std::string> Row(Database& db, const std::string& q) {
  auto r = db.Connect()->Execute(q, {}, {});
  EXPECT_TRUE(r.ok()) << (r.error ? r.error->message : "");
  std::vector<std::string> out;
  if (!r.ok() || r.result.rows.size() != 1) {
    ADD_FAILURE() << q << ": expected one row, got " << r.result.rows.size();
    return out;
  }
  for (const Value& v : r.result.rows[0]) out.push_back(ValueToText(v, &r.result));
  return out;
}

class Upgrade : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.Sub("db");
    std::filesystem::copy(DataPath("db-2026-12"), path_);
    StoreOptions o;
    auto db = Database::Open(path_, o);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(RegisterDomainFunctions(db_->functions()).ok());
  }
  TempDir dir_;
  std::string path_;
  std::unique_ptr<Database> db_;
};

TEST_F(Upgrade, OpensAndAnswersAsTheReleaseThatMadeIt) {
  EXPECT_EQ(*DomainVersion(db_->store()), 1);
  EXPECT_EQ(Row(*db_, kQuestion), kAnswer);
  // Its history: the first import (recorded 2026-12-05T23:49:34.12Z, the second a second later) saw
  // the licence in force without end.
  auto past = Row(*db_,
                  "KNOWN AT datetime('2026-12-05T23:49:35Z') MATCH (c:Control) RETURN validity(c), "
                  "status(c, date('2025-06-01'))");
  EXPECT_EQ(past, (std::vector<std::string>{"[{from: date('2024-03-15'), to: null}]", "in_force"}));
}

TEST_F(Upgrade, TheNextImportMovesItUpWithoutChangingItsData) {
  GraphStore& store = db_->store();
  auto before = testing::Snapshot(store);
  ImportInput in;
  in.name = "measure.jsonl";
  in.text =
      R"({"node": "announcement/atlantis-2025-1", "labels": ["Announcement"], "props": {"title": "Atlantis Notice 1 of 2025", "instrument_id": "Notice 1 of 2025", "announced": "2025-05-01"}, "sources": ["source/legacy-note"]})"
      "\n"
      R"({"rel": "ANNOUNCED_IN", "from": "control/atlantis-orichalcum-export-licence", "to": "announcement/atlantis-2025-1", "sources": ["source/legacy-note"]})"
      "\n";
  in.kind = InputKind::kJsonLines;
  ImportOptions opt;
  opt.origin = "import measure.jsonl";
  ImportReport r = Import(*db_, {in}, opt);
  ASSERT_FALSE(r.failed) << testing::ProblemsText(r);
  EXPECT_EQ(*DomainVersion(store), kDomainVersion);
  auto after = testing::Snapshot(store);
  // Everything that was there is there unchanged; only the new records were added.
  for (const auto& n : before.nodes) EXPECT_TRUE(after.nodes.count(n)) << n;
  EXPECT_EQ(after.nodes.size(), before.nodes.size() + 1);
  EXPECT_EQ(Row(*db_, kQuestion), kAnswer);
  EXPECT_EQ(Row(*db_, "MATCH (a:Announcement) RETURN package_status(a, date('2024-12-01'))"),
            (std::vector<std::string>{"suspended"}));
}

TEST_F(Upgrade, ItsImportFilesKeepTheirMeaning) {
  TestDb fresh;
  ASSERT_FALSE(fresh.Import(ReadFile(DataPath("db-2026-12.a.jsonl")), "a.jsonl").failed);
  ASSERT_FALSE(fresh.Import(ReadFile(DataPath("db-2026-12.b.jsonl")), "b.jsonl").failed);
  EXPECT_EQ(Row(fresh.db(), kQuestion), kAnswer);
  EXPECT_EQ(testing::Snapshot(fresh.store()).nodes, testing::Snapshot(db_->store()).nodes);
  EXPECT_EQ(*DomainVersion(fresh.store()), kDomainVersion);
}

TEST_F(Upgrade, ADatabaseOfANewerReleaseIsNotWritten) {
  {
    auto txn = db_->store().BeginWrite("a release from the future");
    ASSERT_TRUE(txn.ok());
    ASSERT_TRUE((*txn)->PutMeta(kDomainVersionMeta, std::to_string(kDomainVersion + 1)).ok());
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  auto before = testing::Snapshot(db_->store());
  ImportInput in;
  in.name = "x.jsonl";
  in.text =
      R"({"node": "actor/mu", "labels": ["Actor"], "props": {"name": "Mu"}, "sources": ["source/legacy-note"]})";
  in.kind = InputKind::kJsonLines;
  ImportReport r = Import(*db_, {in}, {});
  ASSERT_TRUE(r.failed);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_NE(r.problems[0].message.find("written by a newer lodestone (domain schema version 3"),
            std::string::npos)
      << r.problems[0].message;
  EXPECT_EQ(testing::Snapshot(db_->store()).nodes, before.nodes);
  // The store refuses meta names that could collide with its own.
  auto txn = db_->store().BeginWrite("x");
  ASSERT_TRUE(txn.ok());
  EXPECT_FALSE((*txn)->PutMeta("node_count", "7").ok());
}

}  // namespace
}  // namespace lodestone::domain
