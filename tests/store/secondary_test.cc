// A store opened beside the process that writes (StoreOptions::secondary): it reads what was committed
// before its open and, after CatchUp, before that call; names, indexes, counters, the past (ReadAsOf)
// and the topology cache follow the primary; it refuses writes; a view keeps its state while the
// secondary catches up. And backups: taken from a primary or a secondary, listed, verified, restored.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "store/backup.h"
#include "store/graph_store.h"
#include "tests/support/temp_dir.h"

namespace lodestone {
namespace {

using testing::TempDir;

class SecondaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions o;
    o.create_if_missing = true;
    o.clock = [this] { return clock_.load(); };
    auto s = GraphStore::Open(dir_.Sub("db"), o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    primary_ = std::move(s).value();
  }

  std::unique_ptr<GraphStore> OpenSecondary() {
    StoreOptions o;
    o.secondary = true;
    auto s = GraphStore::Open(dir_.Sub("db"), o);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  // Commits one node (and a relationship to `to`, if given); returns the commit's record time.
  uint64_t Add(const std::string& key, const std::string& label,
               std::optional<std::string> to = std::nullopt) {
    clock_ += 1000;
    auto t = primary_->BeginWrite("test");
    EXPECT_TRUE(t.ok());
    NodeRecord r;
    r.key = key;
    r.labels.push_back(*(*t)->InternLabel(label));
    r.props.emplace_back(*(*t)->InternPropKey("name"), Value(key));
    auto id = (*t)->CreateNode(r);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    if (to) {
      auto other = (*t)->view().FindNode(*to);
      EXPECT_TRUE(other.ok() && *other);
      auto rel = (*t)->CreateRel(*id, *(*t)->InternRelType("LINKS"), **other, {});
      EXPECT_TRUE(rel.ok()) << rel.status().ToString();
    }
    Status st = (*t)->Commit();
    EXPECT_TRUE(st.ok()) << st.ToString();
    return clock_.load();
  }

  // Every node's key in the view, sorted.
  static std::vector<std::string> Keys(ReadView& view) {
    std::vector<std::string> keys;
    for (auto c = view.ScanAllNodes(); c->Valid(); c->Next()) {
      NodeRecord r;
      EXPECT_TRUE(*view.GetNode(c->entry().id, &r));
      keys.push_back(r.key);
    }
    std::sort(keys.begin(), keys.end());
    return keys;
  }

  static size_t Degree(GraphStore& store, const std::string& key) {
    auto view = store.Read();
    auto id = view->FindNode(key);
    EXPECT_TRUE(id.ok() && *id);
    size_t n = 0;
    for (auto c = view->ScanAdj(**id, {}); c->Valid(); c->Next()) ++n;
    return n;
  }

  TempDir dir_;
  std::atomic<uint64_t> clock_{1'000'000};
  std::unique_ptr<GraphStore> primary_;
};

TEST_F(SecondaryTest, SeesCommitsUpToItsOpenThenUpToEachCatchUp) {
  uint64_t t1 = Add("actor/a", "Actor");
  auto sec = OpenSecondary();
  ASSERT_TRUE(sec);
  EXPECT_TRUE(sec->secondary());
  EXPECT_EQ(sec->last_commit_time(), t1);
  uint64_t t2 = Add("actor/b", "Actor", "actor/a");
  uint64_t t3 = Add("measure/m", "Measure", "actor/a");  // a label the secondary has never seen
  EXPECT_EQ(Keys(*sec->Read()), std::vector<std::string>{"actor/a"});

  auto caught = sec->CatchUp();
  ASSERT_TRUE(caught.ok()) << caught.status().ToString();
  EXPECT_EQ(*caught, t3);
  EXPECT_EQ(sec->last_commit_time(), t3);
  EXPECT_EQ(Keys(*sec->Read()), Keys(*primary_->Read()));
  EXPECT_TRUE(sec->names().FindLabel("Measure").has_value());
  auto counts = sec->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->nodes, 3u);
  EXPECT_EQ(counts->relationships, 2u);
  // The past reads the same on both: KNOWN AT each commit.
  for (uint64_t t : {t1, t2, t3}) {
    auto a = primary_->ReadAsOf(t), b = sec->ReadAsOf(t);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(Keys(**a), Keys(**b)) << "as of " << t;
  }
  // The topology cache (built on first use, per commit) follows: degree of actor/a before and after.
  EXPECT_EQ(Degree(*sec, "actor/a"), 2u);
  Add("actor/c", "Actor", "actor/a");
  EXPECT_EQ(Degree(*sec, "actor/a"), 2u);
  ASSERT_TRUE(sec->CatchUp().ok());
  EXPECT_EQ(Degree(*sec, "actor/a"), 3u);
  EXPECT_EQ(Degree(*primary_, "actor/a"), 3u);
}

TEST_F(SecondaryTest, FollowsIndexesCreatedAndDroppedByThePrimary) {
  Add("actor/a", "Actor");
  auto sec = OpenSecondary();
  ASSERT_TRUE(sec);
  auto label = *sec->names().FindLabel("Actor");
  auto key = *sec->names().FindPropKey("name");
  {
    auto t = primary_->BeginWrite("index");
    ASSERT_TRUE(t.ok());
    ASSERT_TRUE((*t)->CreateIndex(label, key, Value::Kind::kString).ok());
    ASSERT_TRUE((*t)->Commit().ok());
  }
  ASSERT_TRUE(sec->CatchUp().ok());
  EXPECT_TRUE(sec->names().FindIndex(label, key).has_value());
  {
    auto view = sec->Read();
    auto hits = view->SeekIndex(label, key, IndexRange::Equal(Value("actor/a")));
    ASSERT_TRUE(hits->Valid());
  }
  {
    auto t = primary_->BeginWrite("drop");
    ASSERT_TRUE(t.ok());
    ASSERT_TRUE((*t)->DropIndex(label, key).ok());
    ASSERT_TRUE((*t)->Commit().ok());
  }
  ASSERT_TRUE(sec->CatchUp().ok());
  EXPECT_FALSE(sec->names().FindIndex(label, key).has_value());
}

TEST_F(SecondaryTest, RefusesWritesSayingWhere) {
  Add("actor/a", "Actor");
  auto sec = OpenSecondary();
  ASSERT_TRUE(sec);
  auto t = sec->BeginWrite("test");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), Status::Code::kBusy);
  EXPECT_NE(t.status().message().find("--server"), std::string::npos) << t.status().message();
}

TEST_F(SecondaryTest, AnOpenViewKeepsItsStateWhileTheSecondaryWaitsToCatchUp) {
  Add("actor/a", "Actor");
  auto sec = OpenSecondary();
  ASSERT_TRUE(sec);
  auto view = sec->Read();
  Add("actor/b", "Actor");
  auto caught = std::async(std::launch::async, [&] { return sec->CatchUp(); });
  // While the view is open the catch-up waits, and the view reads what it read when taken.
  EXPECT_EQ(caught.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  EXPECT_EQ(Keys(*view), std::vector<std::string>{"actor/a"});
  view.reset();
  ASSERT_EQ(caught.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  ASSERT_TRUE(caught.get().ok());
  EXPECT_EQ(Keys(*sec->Read()), (std::vector<std::string>{"actor/a", "actor/b"}));
}

TEST_F(SecondaryTest, OpeningAMissingDatabaseAsSecondaryFails) {
  StoreOptions o;
  o.secondary = true;
  auto s = GraphStore::Open(dir_.Sub("nothing-here"), o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kNotFound);
}

TEST_F(SecondaryTest, BackupsFromPrimaryAndSecondaryRestoreToTheirRecordTime) {
  uint64_t t1 = Add("actor/a", "Actor");
  auto first = CreateBackup(*primary_, dir_.Sub("backups"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->record_time, t1);

  // A secondary backs up beside a writer that keeps committing.
  for (int i = 0; i < 20; ++i) Add("actor/x" + std::to_string(i), "Actor");
  auto sec = OpenSecondary();
  ASSERT_TRUE(sec);
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) Add("actor/w" + std::to_string(i), "Actor");
  });
  auto second = CreateBackup(*sec, dir_.Sub("backups"));
  stop = true;
  writer.join();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  // At least what the secondary had read; maybe more: the primary's log is copied as far as written.
  EXPECT_GE(second->record_time, sec->last_commit_time());

  auto list = ListBackups(dir_.Sub("backups"));
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, first->id);
  EXPECT_EQ((*list)[1].record_time, second->record_time);
  auto verified = VerifyBackups(dir_.Sub("backups"));
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  for (const auto& [b, st] : *verified) EXPECT_TRUE(st.ok()) << b.id << ": " << st.ToString();

  for (const BackupInfo& b : {*first, *second}) {
    std::string target = dir_.Sub("restored-" + std::to_string(b.id));
    auto r = RestoreBackup(dir_.Sub("backups"), b.id, target);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    StoreOptions o;
    o.read_only = true;
    auto restored = GraphStore::Open(target, o);
    ASSERT_TRUE(restored.ok()) << restored.status().ToString();
    EXPECT_EQ((*restored)->last_commit_time(), b.record_time);
    auto then = primary_->ReadAsOf(b.record_time);
    ASSERT_TRUE(then.ok());
    EXPECT_EQ(Keys(*(*restored)->Read()), Keys(**then)) << "backup " << b.id;
  }
  // A damaged file is found by verifying, and named with its backup.
  namespace fs = std::filesystem;
  std::vector<fs::path> tables;
  for (const auto& e : fs::recursive_directory_iterator(dir_.Sub("backups"))) {
    if (e.path().extension() == ".sst") tables.push_back(e.path());
  }
  ASSERT_FALSE(tables.empty());
  {
    std::fstream f(tables.back(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put('\x5a');
  }
  auto damaged = VerifyBackups(dir_.Sub("backups"));
  ASSERT_TRUE(damaged.ok()) << damaged.status().ToString();
  size_t bad = 0;
  for (const auto& [b, st] : *damaged) bad += !st.ok();
  EXPECT_GE(bad, 1u);
  // Restore never overwrites.
  auto again = RestoreBackup(dir_.Sub("backups"), std::nullopt, dir_.Sub("db"));
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("already exists"), std::string::npos) << again.status().message();
  EXPECT_FALSE(RestoreBackup(dir_.Sub("backups"), 99, dir_.Sub("restored-99")).ok());
  EXPECT_EQ(ListBackups(dir_.Sub("no-backups")).status().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace lodestone
