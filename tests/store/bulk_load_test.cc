#include "store/bulk_load.h"

#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/metadata.h>

#include "store/graph_store.h"
#include "store/rocksdb_store.h"
#include "tests/support/scratch_store.h"

namespace lodestone {
namespace {

class BulkLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status s = scratch_.Open();
    ASSERT_TRUE(s.ok()) << s.ToString();
    store_ = &scratch_.get();
  }
  testing::ScratchStore scratch_{1'000'000};
  GraphStore* store_ = nullptr;
};

TEST_F(BulkLoadTest, OneCommitEveryIndexContiguousIds) {
  // Something before the load, to read "as of" later.
  {
    auto t = std::move(store_->BeginWrite("before")).value();
    NodeRecord r;
    r.key = "thing/old";
    r.labels = {*t->InternLabel("Thing")};
    ASSERT_TRUE(t->CreateNode(r).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  scratch_.clock().Set(2'000'000);
  auto load = std::move(BulkLoad::Begin(*store_, "bulk test")).value();
  LabelId person = *load->InternLabel("Person");
  PropKeyId name = *load->InternPropKey("name");
  PropKeyId date = *load->InternPropKey("date");
  RelTypeId knows = *load->InternRelType("KNOWS");
  ASSERT_TRUE(load->DeclareIndex(person, name, Value::Kind::kString).ok());
  std::vector<NodeId> ids;
  for (int i = 0; i < 100; ++i) {
    NodeRecord r;
    r.key = "person/p" + std::to_string(i);
    r.labels = {person};
    r.props = {{name, Value("P" + std::to_string(i))}};
    if (i % 10 == 0) r.props.push_back({date, Value(*Date::Parse("2025-10"))});
    ids.push_back(*load->AddNode(r));
  }
  for (int i = 1; i < 100; ++i) ASSERT_TRUE(load->AddRel(ids[i - 1], knows, ids[i], {}).ok());
  auto old = *store_->Read()->FindNode("thing/old");
  ASSERT_TRUE(load->AddRel(ids[0], knows, *old, {}).ok());  // to an existing node
  // Refusals: a duplicate key, a relationship to nowhere.
  NodeRecord dup;
  dup.key = "person/p1";
  EXPECT_EQ(load->AddNode(dup).status().code(), Status::Code::kAlreadyExists);
  NodeRecord existing;
  existing.key = "thing/old";
  EXPECT_EQ(load->AddNode(existing).status().code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(load->AddRel(ids[0], knows, 999999, {}).status().code(), Status::Code::kNotFound);
  // Not visible before the commit.
  EXPECT_FALSE(store_->Read()->FindNode("person/p5")->has_value());
  ASSERT_TRUE(load->Commit().ok());
  load.reset();

  for (size_t i = 1; i < ids.size(); ++i) EXPECT_EQ(ids[i], ids[i - 1] + 1);
  auto stats = *store_->Stats();
  EXPECT_EQ(stats.nodes, 101u);
  EXPECT_EQ(stats.relationships, 100u);
  EXPECT_EQ(stats.commits, 2u);
  auto commits = *store_->Commits(1);
  EXPECT_EQ(commits[0].origin, "bulk test");
  EXPECT_EQ(commits[0].nodes_changed, 100u);
  EXPECT_EQ(commits[0].rels_changed, 100u);
  auto view = store_->Read();
  // Key, label, property index, adjacency both ways, the time index and the timelines.
  EXPECT_EQ(**view->FindNode("person/p42"), ids[42]);
  EXPECT_EQ(*view->CountLabel(person), 100u);
  auto idx = view->SeekIndex(person, name, IndexRange::Equal(Value("P7")));
  ASSERT_TRUE(idx->Valid());
  EXPECT_EQ(idx->entry().id, ids[7]);
  ScanOptions in;
  in.dir = Direction::kIn;
  auto adj = view->ScanAdj(ids[5], in);
  ASSERT_TRUE(adj->Valid());
  EXPECT_EQ(adj->entry().other, ids[4]);
  int dated = 0;
  for (auto t = view->ScanTime({}); t->Valid(); t->Next()) ++dated;
  EXPECT_EQ(dated, 10);
  auto subject = view->ScanSubjectTime(ids[1], {}, {}, TimeOrder::kOldestFirst);
  ASSERT_TRUE(subject->Valid());
  EXPECT_EQ(subject->entry().node, ids[0]);
  // As recorded before the load: only the old node.
  auto before = std::move(store_->ReadAsOf(1'500'000)).value();
  EXPECT_FALSE(before->FindNode("person/p1")->has_value());
  EXPECT_TRUE(before->FindNode("thing/old")->has_value());
  // Writes after a bulk load continue the ids.
  scratch_.clock().Set(3'000'000);
  auto t = std::move(store_->BeginWrite("after")).value();
  NodeRecord r;
  r.key = "person/late";
  r.labels = {person};
  r.props = {{name, Value("Late")}};
  EXPECT_EQ(*t->CreateNode(r), ids.back() + 1);  // refused adds used no id
  ASSERT_TRUE(t->Commit().ok());
}

TEST_F(BulkLoadTest, RefusesToIndexExistingNodes) {
  {
    auto t = std::move(store_->BeginWrite("before")).value();
    NodeRecord r;
    r.key = "person/x";
    r.labels = {*t->InternLabel("Person")};
    ASSERT_TRUE(t->CreateNode(r).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  auto load = std::move(BulkLoad::Begin(*store_, "bulk")).value();
  Status s =
      load->DeclareIndex(*load->InternLabel("Person"), *load->InternPropKey("name"), Value::Kind::kString);
  EXPECT_EQ(s.code(), Status::Code::kUnsupported);
}

TEST_F(BulkLoadTest, PartsFilledOnTwoThreadsGiveTheReservedIds) {
  {
    auto t = std::move(store_->BeginWrite("before")).value();
    NodeRecord r;
    r.key = "thing/old";
    r.labels = {*t->InternLabel("Thing")};
    ASSERT_TRUE(t->CreateNode(r).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  NodeId old = **store_->Read()->FindNode("thing/old");
  auto load = std::move(BulkLoad::Begin(*store_, "parts")).value();
  LabelId person = *load->InternLabel("Person");
  PropKeyId name = *load->InternPropKey("name");
  PropKeyId date = *load->InternPropKey("date");
  RelTypeId knows = *load->InternRelType("KNOWS");
  ASSERT_TRUE(load->DeclareIndex(person, name, Value::Kind::kString).ok());
  // Keys that share long prefixes and differ in length, so that sorting looks past the first bytes.
  constexpr int kNodes = 3000;
  auto key = [](int i) {
    return "person/" + std::string(static_cast<size_t>(i % 40), 'p') + std::to_string(i);
  };
  NodeId first = load->ReserveNodes(kNodes);
  RelId first_rel = load->ReserveRels(kNodes);  // a chain, and one to the existing node
  BulkLoad::Part* parts[2] = {&load->NewPart(), &load->NewPart()};
  auto fill = [&](int part, auto add) {
    for (int i = part; i < kNodes; i += 2) ASSERT_TRUE(add(*parts[part], i).ok()) << i;
  };
  auto add_node = [&](BulkLoad::Part& p, int i) {
    NodeRecord r;
    r.key = key(i);
    r.labels = {person};
    r.props = {{name, Value("P" + std::to_string(i))}};
    if (i % 7 == 0) r.props.push_back({date, Value(*Date::Parse("2025-10"))});
    return p.AddNode(first + static_cast<NodeId>(i), r);
  };
  std::thread helper([&] { fill(1, add_node); });
  fill(0, add_node);
  helper.join();
  auto add_rel = [&](BulkLoad::Part& p, int i) {
    NodeId src = first + static_cast<NodeId>(i);
    NodeId dst = i == 0 ? old : src - 1;
    return p.AddRel(first_rel + static_cast<RelId>(i), src, knows, dst, {});
  };
  std::thread helper2([&] { fill(1, add_rel); });
  fill(0, add_rel);
  helper2.join();
  ASSERT_TRUE(load->Commit().ok());
  load.reset();

  auto view = store_->Read();
  EXPECT_EQ(store_->Stats()->nodes, static_cast<uint64_t>(kNodes) + 1);
  EXPECT_EQ(store_->Stats()->relationships, static_cast<uint64_t>(kNodes));
  for (int i = 0; i < kNodes; i += 97)
    EXPECT_EQ(**view->FindNode(key(i)), first + static_cast<NodeId>(i)) << i;
  auto idx = view->SeekIndex(person, name, IndexRange::Equal(Value("P2999")));
  ASSERT_TRUE(idx->Valid());
  EXPECT_EQ(idx->entry().id, first + 2999);
  ScanOptions in;
  in.dir = Direction::kIn;
  auto adj = view->ScanAdj(old, in);
  ASSERT_TRUE(adj->Valid());
  EXPECT_EQ(adj->entry().other, first);
  auto commits = *store_->Commits(1);
  EXPECT_EQ(commits[0].nodes_changed, static_cast<uint64_t>(kNodes));
}

TEST_F(BulkLoadTest, PartsRefuseAKeyTwiceAndUnusedReservations) {
  {
    auto load = std::move(BulkLoad::Begin(*store_, "twice")).value();
    LabelId person = *load->InternLabel("Person");
    NodeId first = load->ReserveNodes(2);
    BulkLoad::Part& a = load->NewPart();
    BulkLoad::Part& b = load->NewPart();
    NodeRecord r;
    r.key = "person/same";
    r.labels = {person};
    ASSERT_TRUE(a.AddNode(first, r).ok());
    ASSERT_TRUE(b.AddNode(first + 1, r).ok());  // refused at Commit(), when all parts are sorted
    Status s = load->Commit();
    EXPECT_EQ(s.code(), Status::Code::kAlreadyExists);
    EXPECT_NE(s.message().find("person/same"), std::string::npos);
  }
  {
    auto load = std::move(BulkLoad::Begin(*store_, "unused")).value();
    LabelId person = *load->InternLabel("Person");
    NodeId first = load->ReserveNodes(2);
    NodeRecord r;
    r.key = "person/one";
    r.labels = {person};
    ASSERT_TRUE(load->NewPart().AddNode(first, r).ok());
    EXPECT_FALSE(load->Commit().ok());  // the second reserved id went to no node
  }
  EXPECT_EQ(store_->Stats()->commits, 0u);
  EXPECT_FALSE(store_->Read()->FindNode("person/one")->has_value());
}

// Big enough that the load's buffers come from huge-page memory and its column families are cut into
// several files (bulk_load.cc): every node and relationship is still there, in order.
TEST_F(BulkLoadTest, ALargeLoadReadsBackWhole) {
  constexpr int kNodes = 120000;
  auto load = std::move(BulkLoad::Begin(*store_, "large")).value();
  LabelId item = *load->InternLabel("Item");
  PropKeyId date = *load->InternPropKey("date");
  RelTypeId next = *load->InternRelType("NEXT");
  NodeId first = load->ReserveNodes(kNodes);
  RelId first_rel = load->ReserveRels(kNodes - 1);
  BulkLoad::Part* parts[2] = {&load->NewPart(), &load->NewPart()};
  auto run = [&](auto add) {
    std::thread helper([&] {
      for (int i = 1; i < kNodes; i += 2) add(*parts[1], i);
    });
    for (int i = 0; i < kNodes; i += 2) add(*parts[0], i);
    helper.join();
  };
  run([&](BulkLoad::Part& p, int i) {
    NodeRecord r;
    r.key = "item/" + std::to_string(i);
    r.labels = {item};
    r.props = {{date, Value(Date::Containing(19000 + i % 3000, DatePrecision::kDay))}};
    EXPECT_TRUE(p.AddNode(first + static_cast<NodeId>(i), r).ok());
  });
  run([&](BulkLoad::Part& p, int i) {  // a chain, from the last node back to the first
    if (i == 0) return;
    NodeId n = first + static_cast<NodeId>(i);
    EXPECT_TRUE(p.AddRel(first_rel + static_cast<RelId>(i - 1), n, next, n - 1, {}).ok());
  });
  ASSERT_TRUE(load->Commit().ok());
  load.reset();

  auto view = store_->Read();
  EXPECT_EQ(*view->CountLabel(item), static_cast<uint64_t>(kNodes));
  for (int i = 0; i < kNodes; i += 9973)
    EXPECT_EQ(**view->FindNode("item/" + std::to_string(i)), first + static_cast<NodeId>(i));
  // Every node but the first has exactly one NEXT to the node before it.
  size_t seen = 0;
  NodeId last = 0;
  ScanOptions out;
  out.dir = Direction::kOut;
  for (auto adj = view->ScanAdj(first + kNodes / 2, out); adj->Valid(); adj->Next()) {
    EXPECT_EQ(adj->entry().other, first + kNodes / 2 - 1);
    ++seen;
  }
  EXPECT_EQ(seen, 1u);
  ScanOptions in;
  in.dir = Direction::kIn;
  seen = 0;
  for (auto adj = view->ScanAdj(first + 7, in); adj->Valid(); adj->Next()) {
    last = adj->entry().other;
    ++seen;
  }
  EXPECT_EQ(seen, 1u);
  EXPECT_EQ(last, first + 8);
  EXPECT_EQ(store_->Stats()->relationships, static_cast<uint64_t>(kNodes - 1));
}

// RocksDB rewrites a bottom-level file whose entries carry a sequence number other than 0 (to reset
// it), so a load's files must be ingested with 0, or the whole load is written a second time in the
// background soon after it commits. They get 0 when no snapshot is held at ingestion, the load's own
// included.
TEST_F(BulkLoadTest, IngestedFilesKeepSequenceNumberZero) {
  auto load = std::move(BulkLoad::Begin(*store_, "seqno")).value();
  LabelId person = *load->InternLabel("Person");
  RelTypeId knows = *load->InternRelType("KNOWS");
  NodeId prev = 0;
  for (int i = 0; i < 1000; ++i) {
    NodeRecord r;
    r.key = "person/p" + std::to_string(i);
    r.labels = {person};
    NodeId id = *load->AddNode(r);
    if (i > 0) {
      ASSERT_TRUE(load->AddRel(prev, knows, id, {}).ok());
    }
    prev = id;
  }
  ASSERT_TRUE(load->Commit().ok());
  load.reset();

  auto* rocks = dynamic_cast<internal::RocksStore*>(store_);
  ASSERT_NE(rocks, nullptr);
  std::vector<rocksdb::LiveFileMetaData> files;
  rocks->db()->GetLiveFilesMetaData(&files);
  const std::set<std::string> big = {layout::kCfNode, layout::kCfNodeKey, layout::kCfLabel, layout::kCfAdj};
  std::set<std::string> seen;
  for (const auto& f : files) {
    if (big.count(f.column_family_name)) {
      EXPECT_EQ(f.largest_seqno, 0u) << f.column_family_name << " " << f.name;
      seen.insert(f.column_family_name);
    }
  }
  EXPECT_EQ(seen.size(), 4u);
}

// A bulk load writes the bytes a write transaction that creates the same entities writes, in every
// column family a read uses: a random graph of dated and undated nodes, parallel relationships,
// self-loops, relationships to, from and between nodes that existed before the load, some with
// properties, a key or a valid time, given through two parts and one by one.
TEST_F(BulkLoadTest, WritesWhatAWriteTransactionWrites) {
  testing::ScratchStore other{1'000'000, 0, "other"};
  ASSERT_TRUE(other.Open().ok());
  GraphStore* stores[2] = {store_, &other.get()};
  struct Rel {
    int src, dst, type;
    RelRecord rec;
  };
  std::mt19937 rng(7);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  constexpr int kOld = 40, kNew = 600, kRels = 4000, kOneByOne = 50;
  auto dated = [&](int i) -> std::optional<Value> {
    switch (i % 5) {
      case 0:
        return Value(Date::Containing(19000 + i % 97, DatePrecision::kDay));
      case 1:
        return Value(Date::Containing(19000 + i % 13 * 31, DatePrecision::kMonth));
      case 2:
        return Value(Date::Containing(18000 + i % 3 * 366, DatePrecision::kYear));
      default:
        return std::nullopt;
    }
  };
  auto node = [&](int i, LabelId label, PropKeyId date) {
    NodeRecord r;
    if (i % 3 != 0) r.key = "n/" + std::to_string(i);
    r.labels = {label};
    if (auto d = dated(i)) r.props.push_back({date, *d});
    return r;
  };
  // Ends: 0 .. kOld-1 existed before the load, the rest are the load's (ids in this order).
  std::vector<Rel> rels;
  for (int j = 0; j < kRels + kOneByOne; ++j) {
    Rel r;
    int hub = pick(4) == 0 ? kOld + 1 : -1;  // one node with many relationships
    r.src = hub >= 0 ? hub : pick(6) == 0 ? pick(kOld) : kOld + pick(kNew);
    r.dst = pick(8) == 0 ? pick(kOld) : kOld + pick(kNew);
    if (pick(20) == 0) r.dst = r.src;                                           // a self-loop
    if (j > 0 && pick(10) == 0) r = {rels[j - 1].src, rels[j - 1].dst, 0, {}};  // parallel
    r.type = pick(3);
    if (pick(3) == 0) r.rec.props = {{0, Value(static_cast<int64_t>(j))}};
    if (pick(7) == 0) r.rec.key = "k" + std::to_string(j);
    if (pick(9) == 0) r.rec.validity = {{Date::Containing(19500, DatePrecision::kMonth), std::nullopt}};
    rels.push_back(std::move(r));
  }
  std::vector<NodeId> old_ids;
  for (GraphStore* s : stores) {
    auto t = std::move(s->BeginWrite("before")).value();
    PropKeyId weight = *t->InternPropKey("weight");
    ASSERT_EQ(weight, 0u);  // the id the relationships' property uses
    LabelId label = *t->InternLabel("Old");
    PropKeyId date = *t->InternPropKey("date");
    old_ids.clear();
    for (int i = 0; i < kOld; ++i) old_ids.push_back(*t->CreateNode(node(i, label, date)));
    ASSERT_TRUE(t->Commit().ok());
  }
  scratch_.clock().Set(2'000'000);
  other.clock().Set(2'000'000);
  // The load, through two parts, then one by one.
  {
    auto load = std::move(BulkLoad::Begin(*store_, "same")).value();
    LabelId label = *load->InternLabel("New");
    PropKeyId date = *load->InternPropKey("date");
    RelTypeId types[3] = {*load->InternRelType("A"), *load->InternRelType("B"), *load->InternRelType("C")};
    NodeId first = load->ReserveNodes(kNew);
    ASSERT_EQ(first, old_ids.back() + 1);
    RelId first_rel = load->ReserveRels(kRels);
    BulkLoad::Part* parts[2] = {&load->NewPart(), &load->NewPart()};
    for (int i = 0; i < kNew; ++i)
      ASSERT_TRUE(parts[i % 2]->AddNode(first + i, node(kOld + i, label, date)).ok());
    auto id = [&](int end) { return end < kOld ? old_ids[end] : first + static_cast<NodeId>(end - kOld); };
    for (int j = kRels - 1; j >= 0; --j) {  // in no particular order
      const Rel& r = rels[j];
      ASSERT_TRUE(parts[j % 2]->AddRel(first_rel + j, id(r.src), types[r.type], id(r.dst), r.rec).ok());
    }
    for (int j = kRels; j < kRels + kOneByOne; ++j)
      ASSERT_TRUE(load->AddRel(id(rels[j].src), types[rels[j].type], id(rels[j].dst), rels[j].rec).ok());
    ASSERT_TRUE(load->Commit().ok());
  }
  {
    auto t = std::move(other.get().BeginWrite("same")).value();
    LabelId label = *t->InternLabel("New");
    PropKeyId date = *t->InternPropKey("date");
    RelTypeId types[3] = {*t->InternRelType("A"), *t->InternRelType("B"), *t->InternRelType("C")};
    std::vector<NodeId> ids = old_ids;
    for (int i = 0; i < kNew; ++i) ids.push_back(*t->CreateNode(node(kOld + i, label, date)));
    for (const Rel& r : rels) ASSERT_TRUE(t->CreateRel(ids[r.src], types[r.type], ids[r.dst], r.rec).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  auto dump = [](GraphStore* s, internal::Cf cf) {
    auto* rocks = dynamic_cast<internal::RocksStore*>(s);
    std::vector<std::pair<std::string, std::string>> entries;
    std::unique_ptr<rocksdb::Iterator> it(
        rocks->db()->NewIterator(rocksdb::ReadOptions(), (*rocks->cfs())[static_cast<size_t>(cf)]));
    for (it->SeekToFirst(); it->Valid(); it->Next())
      entries.emplace_back(it->key().ToString(), it->value().ToString());
    EXPECT_TRUE(it->status().ok());
    return entries;
  };
  for (internal::Cf cf : {internal::Cf::kNode, internal::Cf::kNodeKey, internal::Cf::kLabel,
                          internal::Cf::kAdj, internal::Cf::kTime}) {
    auto loaded = dump(stores[0], cf), written = dump(stores[1], cf);
    EXPECT_GT(loaded.size(), 0u) << internal::CfName(cf);
    EXPECT_TRUE(loaded == written) << internal::CfName(cf) << ": " << loaded.size() << " entries loaded, "
                                   << written.size() << " written";
  }
}

TEST_F(BulkLoadTest, AnEmptyLoadCommitsNothing) {
  auto load = std::move(BulkLoad::Begin(*store_, "nothing")).value();
  ASSERT_TRUE(load->Commit().ok());
  EXPECT_EQ(store_->Stats()->commits, 0u);
}

}  // namespace
}  // namespace lodestone
