// Disk faults (docs/storage-format.md, "Disk faults"): a commit on a full or failing disk fails with a
// clear error and writes nothing, and the database reopens with every earlier commit; damaged files
// (a truncated or bit-flipped table, log or MANIFEST) are reported as corruption with what to do,
// never a crash and never a wrong answer.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/fault_injection.h"
#include "store/graph_store.h"
#include "tests/support/temp_dir.h"

namespace lodestone {
namespace {

namespace fs = std::filesystem;

// Commits `n` nodes Item {batch: b} keyed item/b/i as one batch.
Status CommitBatch(GraphStore& store, int b, int n) {
  auto t = store.BeginWrite("disk fault test");
  if (!t.ok()) return t.status();
  auto& txn = **t;
  LabelId label = *txn.InternLabel("Item");
  PropKeyId key = *txn.InternPropKey("batch");
  for (int i = 0; i < n; ++i) {
    NodeRecord r;
    r.key = "item/" + std::to_string(b) + "/" + std::to_string(i);
    r.labels = {label};
    r.props = {{key, Value(int64_t{b})}};
    auto id = txn.CreateNode(r);
    if (!id.ok()) return id.status();
  }
  return txn.Commit();
}

// Every node the store reads, by key: item/b/i -> b. An error reading is returned as such.
Result<std::map<std::string, int64_t>> ReadAll(GraphStore& store) {
  std::map<std::string, int64_t> out;
  auto view = store.Read();
  auto key = view->names().FindPropKey("batch");
  for (auto c = view->ScanAllNodes(); c->Valid(); c->Next()) {
    NodeRecord r;
    auto found = view->GetNode(c->entry().id, &r);
    if (!found.ok()) return found.status();
    const Value* b = key ? FindProperty(r.props, *key) : nullptr;
    out[r.key] = b ? b->as_int() : -1;
  }
  if (auto c = view->ScanAllNodes(); !c->status().ok()) return c->status();
  return out;
}

std::map<std::string, int64_t> Expected(int batches, int n) {
  std::map<std::string, int64_t> out;
  for (int b = 0; b < batches; ++b) {
    for (int i = 0; i < n; ++i) out["item/" + std::to_string(b) + "/" + std::to_string(i)] = b;
  }
  return out;
}

struct FaultCase {
  const char* name;
  FaultInjection::Fault fault;
  bool syncs_only;
  const char* message;  // what the error says
};

class DiskFaultTest : public ::testing::TestWithParam<FaultCase> {};

TEST_P(DiskFaultTest, AFailedCommitWritesNothingAndTheDatabaseReopensWhole) {
  const FaultCase& fc = GetParam();
  testing::TempDir dir;
  std::string path = dir.Sub("db");
  FaultInjection faults;
  {
    StoreOptions o;
    o.create_if_missing = true;
    o.sync = fc.syncs_only;  // sync failures only matter when commits sync
    auto store = faults.Open(path, o);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    for (int b = 0; b < 3; ++b) ASSERT_TRUE(CommitBatch(**store, b, 20).ok());

    if (fc.syncs_only) {
      faults.FailSyncs(fc.fault);
    } else {
      faults.FailWritesAfter(100, fc.fault);  // part of the next batch's log record fits, the rest not
    }
    Status failed = CommitBatch(**store, 3, 200);
    ASSERT_FALSE(failed.ok()) << "a commit on a failing disk must fail";
    EXPECT_GT(faults.failures(), 0u);
    EXPECT_NE(failed.ToString().find(fc.message), std::string::npos) << failed.ToString();
    // Reads still answer, and they do not see the failed batch.
    auto seen = ReadAll(**store);
    ASSERT_TRUE(seen.ok()) << seen.status().ToString();
    EXPECT_EQ(*seen, Expected(3, 20));
    // Closing on a failing disk must not crash either.
  }
  faults.Heal();
  StoreOptions o;
  auto reopened = GraphStore::Open(path, o);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  auto seen = ReadAll(**reopened);
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  if (fc.syncs_only) {
    // A failed sync comes after the batch reached the log, so its outcome is unknown (as in any
    // database): after reopening it is there whole or not at all.
    std::map<std::string, int64_t> with = Expected(3, 20);
    for (int i = 0; i < 200; ++i) with["item/3/" + std::to_string(i)] = 3;
    EXPECT_TRUE(*seen == Expected(3, 20) || *seen == with) << "the failed batch is there in part";
  } else {
    EXPECT_EQ(*seen, Expected(3, 20)) << "every earlier commit, and nothing of the failed one";
  }
  // The healed database takes writes again.
  ASSERT_TRUE(CommitBatch(**reopened, 4, 5).ok());
}

INSTANTIATE_TEST_SUITE_P(
    Faults, DiskFaultTest,
    ::testing::Values(
        FaultCase{"NoSpaceOnWrite", FaultInjection::Fault::kNoSpace, false, "No space left"},
        FaultCase{"IOErrorOnWrite", FaultInjection::Fault::kIOError, false, "input/output error"},
        FaultCase{"IOErrorOnSync", FaultInjection::Fault::kIOError, true, "input/output error"}),
    [](const ::testing::TestParamInfo<FaultCase>& p) { return std::string(p.param.name); });

// ---- damaged files ----

enum class Damage { kTruncate, kFlipBit };

// Truncates the file to half, or flips one bit in its middle.
void Harm(const fs::path& file, Damage d) {
  auto size = fs::file_size(file);
  ASSERT_GT(size, 0u) << file;
  if (d == Damage::kTruncate) {
    fs::resize_file(file, size / 2);
    return;
  }
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(size / 2));
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x10);
  f.seekp(static_cast<std::streamoff>(size / 2));
  f.write(&c, 1);
}

// The first file in `dir` whose name matches.
fs::path FindFile(const std::string& dir, const std::string& prefix, const std::string& suffix) {
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        fs::file_size(e.path()) > 0) {
      return e.path();
    }
  }
  return {};
}

struct DamageCase {
  const char* name;
  const char* prefix;  // of the file to damage
  const char* suffix;
  Damage damage;
  bool in_table;  // the batches are in table files (compacted), not only in the log
  bool refused;   // the open must fail; otherwise it must work and read what was committed
};

class DamagedFileTest : public ::testing::TestWithParam<DamageCase> {};

// Either the open fails with a corruption error saying what to do, or every read either fails with an
// error or answers exactly what was committed: never a crash, never a silently wrong answer.
TEST_P(DamagedFileTest, IsReportedNeverAWrongAnswer) {
  const DamageCase& dc = GetParam();
  testing::TempDir dir;
  std::string path = dir.Sub("db");
  {
    StoreOptions o;
    o.create_if_missing = true;
    auto store = GraphStore::Open(path, o);
    ASSERT_TRUE(store.ok());
    for (int b = 0; b < 4; ++b) ASSERT_TRUE(CommitBatch(**store, b, 200).ok());
    if (dc.in_table) {
      ASSERT_TRUE((*store)->Compact().ok());
    }
  }
  fs::path victim = FindFile(path, dc.prefix, dc.suffix);
  ASSERT_FALSE(victim.empty()) << "no " << dc.prefix << "*" << dc.suffix << " in " << path;
  Harm(victim, dc.damage);

  StoreOptions o;
  auto store = GraphStore::Open(path, o);
  EXPECT_EQ(!store.ok(), dc.refused) << (store.ok() ? "opened" : store.status().ToString());
  if (!store.ok()) {
    std::cout << "[ outcome  ] the open refused: " << store.status().ToString() << "\n";
    EXPECT_EQ(store.status().code(), Status::Code::kCorruption) << store.status().ToString();
    EXPECT_NE(store.status().message().find("restore"), std::string::npos) << store.status().ToString();
    return;
  }
  auto seen = ReadAll(**store);
  if (!seen.ok()) {
    std::cout << "[ outcome  ] the open worked, reading failed: " << seen.status().ToString() << "\n";
    EXPECT_EQ(seen.status().code(), Status::Code::kCorruption) << seen.status().ToString();
    return;
  }
  std::cout << "[ outcome  ] the open and every read worked; " << seen->size() << " of 800 nodes\n";
  // Read whole: it must be what was committed. (A log damaged at its tail may lose the batches after
  // the damage, which were never synced; those that remain must be whole.)
  std::map<std::string, int64_t> want = Expected(4, 200);
  if (!dc.in_table) {
    for (const auto& [k, b] : *seen) EXPECT_EQ(want.at(k), b) << k;
    std::map<int64_t, int> per_batch;
    for (const auto& [k, b] : *seen) ++per_batch[b];
    for (const auto& [b, n] : per_batch) EXPECT_EQ(n, 200) << "batch " << b << " is there in part";
    // What survives is the batches before the damage: 0 .. k-1, never a later one without an earlier.
    int64_t next = 0;
    for (const auto& [b, n] : per_batch) EXPECT_EQ(b, next++) << "a batch before " << b << " is missing";
  } else {
    EXPECT_EQ(*seen, want);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Files, DamagedFileTest,
    ::testing::Values(DamageCase{"TruncatedTable", "", ".sst", Damage::kTruncate, true, true},
                      DamageCase{"FlippedTable", "", ".sst", Damage::kFlipBit, true, true},
                      DamageCase{"TruncatedManifest", "MANIFEST-", "", Damage::kTruncate, true, true},
                      DamageCase{"FlippedManifest", "MANIFEST-", "", Damage::kFlipBit, true, true},
                      // A log cut short is what a power loss leaves: the commits after the cut were never
                      // synced, and those before it must all be there, whole.
                      DamageCase{"TruncatedLog", "", ".log", Damage::kTruncate, false, false},
                      DamageCase{"FlippedLog", "", ".log", Damage::kFlipBit, false, true}),
    [](const ::testing::TestParamInfo<DamageCase>& p) { return std::string(p.param.name); });

}  // namespace
}  // namespace lodestone
