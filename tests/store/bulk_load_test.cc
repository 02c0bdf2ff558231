#include "store/bulk_load.h"

#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/metadata.h>

#include "store/graph_store.h"
#include "store/key_codec.h"
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
// The same graph twice, at record time 2'000'000 after older nodes at 1'000'000: through a bulk load
// (two parts, then one by one) into `loaded`, and through one write transaction into `written`.
// Returns the relationships (the same ids in both).
std::vector<RelRef> LoadTwoWays(testing::ScratchStore& loaded, testing::ScratchStore& written) {
  std::vector<RelRef> refs;
  GraphStore* stores[2] = {&loaded.get(), &written.get()};
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
    EXPECT_EQ(weight, 0u);  // the id the relationships' property uses
    LabelId label = *t->InternLabel("Old");
    PropKeyId date = *t->InternPropKey("date");
    old_ids.clear();
    for (int i = 0; i < kOld; ++i) old_ids.push_back(*t->CreateNode(node(i, label, date)));
    EXPECT_TRUE(t->Commit().ok());
  }
  loaded.clock().Set(2'000'000);
  written.clock().Set(2'000'000);
  // The load, through two parts, then one by one.
  {
    auto load = std::move(BulkLoad::Begin(loaded.get(), "same")).value();
    LabelId label = *load->InternLabel("New");
    PropKeyId date = *load->InternPropKey("date");
    RelTypeId types[3] = {*load->InternRelType("A"), *load->InternRelType("B"), *load->InternRelType("C")};
    NodeId first = load->ReserveNodes(kNew);
    EXPECT_EQ(first, old_ids.back() + 1);
    RelId first_rel = load->ReserveRels(kRels);
    BulkLoad::Part* parts[2] = {&load->NewPart(), &load->NewPart()};
    for (int i = 0; i < kNew; ++i)
      EXPECT_TRUE(parts[i % 2]->AddNode(first + i, node(kOld + i, label, date)).ok());
    auto id = [&](int end) { return end < kOld ? old_ids[end] : first + static_cast<NodeId>(end - kOld); };
    for (int j = kRels - 1; j >= 0; --j) {  // in no particular order
      const Rel& r = rels[j];
      EXPECT_TRUE(parts[j % 2]->AddRel(first_rel + j, id(r.src), types[r.type], id(r.dst), r.rec).ok());
    }
    for (int j = kRels; j < kRels + kOneByOne; ++j)
      EXPECT_TRUE(load->AddRel(id(rels[j].src), types[rels[j].type], id(rels[j].dst), rels[j].rec).ok());
    EXPECT_TRUE(load->Commit().ok());
  }
  {
    auto t = std::move(written.get().BeginWrite("same")).value();
    LabelId label = *t->InternLabel("New");
    PropKeyId date = *t->InternPropKey("date");
    RelTypeId types[3] = {*t->InternRelType("A"), *t->InternRelType("B"), *t->InternRelType("C")};
    std::vector<NodeId> ids = old_ids;
    for (int i = 0; i < kNew; ++i) ids.push_back(*t->CreateNode(node(kOld + i, label, date)));
    for (const Rel& r : rels) {
      auto ref = t->CreateRel(ids[r.src], types[r.type], ids[r.dst], r.rec);
      EXPECT_TRUE(ref.ok());
      if (ref.ok()) refs.push_back(*ref);
    }
    EXPECT_TRUE(t->Commit().ok());
  }
  return refs;
}

TEST_F(BulkLoadTest, WritesWhatAWriteTransactionWrites) {
  testing::ScratchStore other{1'000'000, 0, "other"};
  ASSERT_TRUE(other.Open().ok());
  GraphStore* stores[2] = {store_, &other.get()};
  ASSERT_FALSE(LoadTwoWays(scratch_, other).empty());
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
  // The adjacency as readers see it: the load writes the relationships at its nodes as chunks.
  auto entries = [](GraphStore* s, internal::Cf cf) {
    auto* rocks = dynamic_cast<internal::RocksStore*>(s);
    internal::SnapshotSource source(rocks->db(), rocks->cfs(), nullptr);
    std::vector<std::pair<std::string, std::string>> out;
    auto it = source.Scan(cf, "", "");
    for (; it->Valid(); it->Next()) out.emplace_back(it->key(), it->value());
    EXPECT_TRUE(it->status().ok());
    return out;
  };
  EXPECT_LT(dump(stores[0], internal::Cf::kAdj).size(), entries(stores[0], internal::Cf::kAdj).size() / 2);
  for (internal::Cf cf : {internal::Cf::kNode, internal::Cf::kNodeKey, internal::Cf::kLabel,
                          internal::Cf::kAdj, internal::Cf::kTime}) {
    auto loaded = cf == internal::Cf::kAdj ? entries(stores[0], cf) : dump(stores[0], cf);
    auto written = dump(stores[1], cf);
    EXPECT_GT(loaded.size(), 0u) << internal::CfName(cf);
    EXPECT_TRUE(loaded == written) << internal::CfName(cf) << ": " << loaded.size() << " entries loaded, "
                                   << written.size() << " written";
  }
}

// A bulk load writes the relationships at its nodes as chunks (key_codec.h); later transactions write
// entry keys beside them: replacing a chunk's entry, deleting it with a tombstone, adding entries among
// and after a chunk's. Every read must see what the same writes give without chunks: the same graph
// written by transactions alone, changed by the same transactions.
TEST_F(BulkLoadTest, ChunksReadAsTheEntriesTheyHoldThroughLaterWrites) {
  testing::ScratchStore other{1'000'000, 0, "other"};
  ASSERT_TRUE(other.Open().ok());
  testing::ScratchStore* scratches[2] = {&scratch_, &other};
  std::vector<RelRef> rels = LoadTwoWays(scratch_, other);
  ASSERT_FALSE(rels.empty());
  const uint64_t loaded_at = store_->Read()->as_of();

  auto raw_keys = [&] {
    auto* rocks = dynamic_cast<internal::RocksStore*>(store_);
    std::vector<std::pair<std::string, std::string>> out;
    std::unique_ptr<rocksdb::Iterator> it(rocks->db()->NewIterator(
        rocksdb::ReadOptions(), (*rocks->cfs())[static_cast<size_t>(internal::Cf::kAdj)]));
    for (it->SeekToFirst(); it->Valid(); it->Next())
      out.emplace_back(it->key().ToString(), it->value().ToString());
    return out;
  };
  // The load wrote chunks, a hub's list over several.
  size_t first_chunks = 0, later_chunks = 0;
  for (const auto& [k, v] : raw_keys()) {
    first_chunks += layout::ClassifyAdjKey(k) == layout::AdjKeyKind::kFirstChunk;
    later_chunks += layout::ClassifyAdjKey(k) == layout::AdjKeyKind::kLaterChunk;
  }
  ASSERT_GT(first_chunks, 100u);
  ASSERT_GT(later_chunks, 2u);

  std::set<NodeId> node_set;
  for (const RelRef& r : rels) node_set.insert({r.src, r.dst});
  std::vector<NodeId> nodes(node_set.begin(), node_set.end());
  // The hub: the node with the most relationships.
  std::map<NodeId, int> degree;
  for (const RelRef& r : rels) ++degree[r.src];
  const NodeId hub = std::max_element(degree.begin(), degree.end(), [](auto& a, auto& b) {
                       return a.second < b.second;
                     })->first;

  // Everything a reader can ask of the adjacency, as text, from one view.
  auto read_all = [&](ReadView& v, std::mt19937& rng) {
    std::ostringstream out;
    auto list = [&](std::unique_ptr<AdjCursor> c) {
      for (; c->Valid(); c->Next()) {
        const AdjEntry& e = c->entry();
        RelRecord rec;
        EXPECT_TRUE(c->record(&rec).ok());
        out << ' ' << e.rel.id << '/' << static_cast<int>(e.dir) << '/' << e.other << '/' << rec.record_time
            << '/' << rec.key << '/' << rec.props.size();
      }
      EXPECT_TRUE(c->status().ok());
      out << '\n';
    };
    for (NodeId n : nodes) {
      list(v.ScanAdj(n, {}));
      for (Direction d : {Direction::kOut, Direction::kIn}) {
        list(v.ScanAdj(n, {d, std::nullopt, std::nullopt}));
        for (RelTypeId t = 0; t < 3; ++t) {
          list(v.ScanAdj(n, {d, t, std::nullopt}));
          // From one neighbour: a seek into the middle of a list.
          list(v.ScanAdj(n, {d, t, nodes[rng() % nodes.size()]}));
        }
      }
    }
    for (NodeId o : nodes) list(v.ScanAdj(hub, {Direction::kOut, RelTypeId{0}, o}));
    for (const RelRef& r : rels) {
      RelRecord rec;
      auto found = v.GetRel(r, &rec);
      EXPECT_TRUE(found.ok());
      out << r.id << (found.ok() && *found ? " " + std::to_string(rec.record_time) + rec.key : " -") << '\n';
    }
    list(v.ScanAllRels());
    return out.str();
  };
  auto compare = [&](const char* when) {
    for (bool past : {false, true}) {
      std::string seen[2];
      for (int i = 0; i < 2; ++i) {
        std::mt19937 rng(3);  // the same neighbours asked of both
        std::unique_ptr<ReadView> v;
        if (past) {
          auto r = scratches[i]->get().ReadAsOf(loaded_at);
          ASSERT_TRUE(r.ok()) << r.status().ToString();
          v = std::move(r).value();
        } else {
          v = scratches[i]->get().Read();
        }
        seen[i] = read_all(*v, rng);
      }
      EXPECT_TRUE(seen[0] == seen[1]) << when << (past ? ", as loaded" : ", now");
      EXPECT_GT(seen[0].size(), 10'000u);
    }
  };
  compare("after the load");

  // The same writes to both, at the same record times.
  std::mt19937 rng(11);
  std::vector<bool> alive(rels.size(), true);
  uint64_t now = 3'000'000;
  for (int round = 0; round < 3; ++round) {
    struct Op {
      enum { kUpdate, kDelete, kCreate, kDetach } kind;
      size_t rel;
      NodeId src, dst;
      RelTypeId type;
    };
    std::vector<Op> ops;
    for (int i = 0; i < 300; ++i) {
      size_t r = rng() % rels.size();
      switch (rng() % 3) {
        case 0:
          if (alive[r]) ops.push_back({Op::kUpdate, r, 0, 0, 0});
          break;
        case 1:
          if (alive[r]) {
            ops.push_back({Op::kDelete, r, 0, 0, 0});
            alive[r] = false;
          }
          break;
        default:
          // Among a chunk's entries (the hub's, or any node's) and past them.
          ops.push_back({Op::kCreate, 0, rng() % 2 ? hub : nodes[rng() % nodes.size()],
                         nodes[rng() % nodes.size()], static_cast<RelTypeId>(rng() % 3)});
      }
    }
    // A node with its relationships, not the hub.
    NodeId gone = nodes[rng() % nodes.size()];
    if (gone != hub) ops.push_back({Op::kDetach, 0, gone, 0, 0});
    now += 1'000'000;
    std::vector<RelRef> created[2];
    for (int i = 0; i < 2; ++i) {
      scratches[i]->clock().Set(now);
      auto t = std::move(scratches[i]->get().BeginWrite("later")).value();
      for (const Op& op : ops) {
        Status st;
        switch (op.kind) {
          case Op::kUpdate: {
            RelRecord rec;
            rec.props = {{0, Value(static_cast<int64_t>(round * 1000 + static_cast<int>(op.rel)))}};
            st = t->UpdateRel(rels[op.rel], rec);
            break;
          }
          case Op::kDelete:
            st = t->DeleteRel(rels[op.rel]);
            break;
          case Op::kCreate: {
            auto exists = t->view().NodeExists(op.src), exists_dst = t->view().NodeExists(op.dst);
            if (!*exists || !*exists_dst) break;
            auto ref = t->CreateRel(op.src, op.type, op.dst, {});
            st = ref.status();
            if (ref.ok()) created[i].push_back(*ref);
            break;
          }
          case Op::kDetach: {
            auto exists = t->view().NodeExists(op.src);
            if (*exists) st = t->DeleteNode(op.src, /*detach=*/true);
            break;
          }
        }
        // A relationship deleted with its node is gone for a later operation in both stores alike.
        if (!st.ok()) {
          EXPECT_EQ(st.code(), Status::Code::kNotFound) << st.ToString();
        }
      }
      ASSERT_TRUE(t->Commit().ok());
    }
    ASSERT_EQ(created[0], created[1]);
    rels.insert(rels.end(), created[0].begin(), created[0].end());
    alive.resize(rels.size(), true);
    compare(("after round " + std::to_string(round)).c_str());
  }
  // Deletions of chunks' entries wrote tombstones.
  size_t tombstones = 0;
  for (const auto& [k, v] : raw_keys()) tombstones += v == layout::kAdjTombstone;
  EXPECT_GT(tombstones, 50u);
}

// LetCommitRenumberRels: a load whose relationships are all between its own nodes gives them its ids
// again in the order of (start node, type, end node), so each node's outgoing relationships of a type
// have consecutive ids; the graph is the same but for the ids. A load touching an older node keeps
// the ids given.
TEST_F(BulkLoadTest, RenumberedRelationshipsAreTheSameGraphWithConsecutiveIdsPerList) {
  testing::ScratchStore other{1'000'000, 0, "other"};
  ASSERT_TRUE(other.Open().ok());
  GraphStore* stores[2] = {store_, &other.get()};  // renumbered, as given
  constexpr int kNodes = 300, kRels = 3000;
  std::mt19937 rng(9);
  struct Rel {
    int src, dst, type;
    int64_t weight;
  };
  std::vector<Rel> rels;
  for (int j = 0; j < kRels; ++j) {
    const int src = rng() % 4 == 0 ? 0 : static_cast<int>(rng() % kNodes);  // node 0: a hub
    rels.push_back({src, static_cast<int>(rng() % kNodes), static_cast<int>(rng() % 3), j});
  }
  RelId first_rel = 0;
  for (int i = 0; i < 2; ++i) {
    auto load = std::move(BulkLoad::Begin(*stores[i], "load")).value();
    if (i == 0) load->LetCommitRenumberRels();
    PropKeyId weight = *load->InternPropKey("weight");
    RelTypeId types[3] = {*load->InternRelType("A"), *load->InternRelType("B"), *load->InternRelType("C")};
    NodeId first = load->ReserveNodes(kNodes);
    first_rel = load->ReserveRels(kRels);
    BulkLoad::Part* parts[2] = {&load->NewPart(), &load->NewPart()};
    for (int n = 0; n < kNodes; ++n) ASSERT_TRUE(parts[n % 2]->AddNode(first + n, {}).ok());
    for (int j = kRels - 1; j >= 0; --j) {  // ids given against the order of the adjacency
      RelRecord rec;
      rec.props = {{weight, Value(rels[j].weight)}};
      ASSERT_TRUE(
          parts[j % 2]
              ->AddRel(first_rel + j, first + rels[j].src, types[rels[j].type], first + rels[j].dst, rec)
              .ok());
    }
    ASSERT_TRUE(load->Commit().ok());
  }
  // (start, type, end, weight) by id, from each store.
  auto graph = [](GraphStore* s) {
    std::map<RelId, std::tuple<NodeId, RelTypeId, NodeId, int64_t>> out;
    auto v = s->Read();
    for (auto c = v->ScanAllRels(); c->Valid(); c->Next()) {
      RelRecord rec;
      EXPECT_TRUE(c->record(&rec).ok());
      const RelRef& r = c->entry().rel;
      out[r.id] = {r.src, r.type, r.dst, rec.props.empty() ? -1 : rec.props[0].second.as_int()};
    }
    return out;
  };
  auto renumbered = graph(stores[0]), given = graph(stores[1]);
  ASSERT_EQ(renumbered.size(), static_cast<size_t>(kRels));
  ASSERT_EQ(given.size(), static_cast<size_t>(kRels));
  EXPECT_EQ(renumbered.begin()->first, first_rel);  // the same ids: the load's
  EXPECT_EQ(renumbered.rbegin()->first, first_rel + kRels - 1);
  auto without_ids = [](const auto& g) {
    std::multiset<std::tuple<NodeId, RelTypeId, NodeId, int64_t>> out;
    for (const auto& [id, r] : g) out.insert(r);
    return out;
  };
  EXPECT_EQ(without_ids(renumbered), without_ids(given));
  EXPECT_NE(renumbered, given);
  // In id order, the relationships run in the order of (start, type, end): each list is consecutive.
  for (auto it = std::next(renumbered.begin()); it != renumbered.end(); ++it) {
    const auto& [s0, t0, d0, w0] = std::prev(it)->second;
    const auto& [s1, t1, d1, w1] = it->second;
    EXPECT_LE(std::tie(s0, t0, d0), std::tie(s1, t1, d1)) << it->first;
  }
  // And every outgoing chunk says so (its ids are not stored one by one).
  auto* rocks = dynamic_cast<internal::RocksStore*>(store_);
  std::unique_ptr<rocksdb::Iterator> raw(rocks->db()->NewIterator(
      rocksdb::ReadOptions(), (*rocks->cfs())[static_cast<size_t>(internal::Cf::kAdj)]));
  size_t out_chunks = 0;
  for (raw->SeekToFirst(); raw->Valid(); raw->Next()) {
    std::string_view k(raw->key().data(), raw->key().size());
    if (layout::ClassifyAdjKey(k) == layout::AdjKeyKind::kEntry || k[8] != 0) continue;
    codec::AdjChunk chunk;
    ASSERT_TRUE(
        codec::DecodeAdjChunk(std::string_view(raw->value().data(), raw->value().size()), true, &chunk));
    EXPECT_TRUE(chunk.flags & codec::kAdjChunkConsecutiveIds);
    ++out_chunks;
  }
  EXPECT_GT(out_chunks, 300u);

  // A load with a relationship to a node from before keeps the ids given.
  auto load = std::move(BulkLoad::Begin(*store_, "more")).value();
  load->LetCommitRenumberRels();
  RelTypeId a = *load->InternRelType("A");
  NodeId n1 = *load->AddNode({}), n2 = *load->AddNode({});
  RelRef r1 = *load->AddRel(n2, a, n1, {}), r2 = *load->AddRel(n1, a, n2, {});
  RelRef r3 = *load->AddRel(n1, a, std::get<0>(renumbered.begin()->second), {});
  ASSERT_TRUE(load->Commit().ok());
  auto after = graph(store_);
  for (const RelRef& r : {r1, r2, r3}) {
    ASSERT_TRUE(after.count(r.id)) << r.id;
    EXPECT_EQ(std::get<0>(after[r.id]), r.src);
    EXPECT_EQ(std::get<2>(after[r.id]), r.dst);
  }
}

TEST_F(BulkLoadTest, AnEmptyLoadCommitsNothing) {
  auto load = std::move(BulkLoad::Begin(*store_, "nothing")).value();
  ASSERT_TRUE(load->Commit().ok());
  EXPECT_EQ(store_->Stats()->commits, 0u);
}

}  // namespace
}  // namespace lodestone
