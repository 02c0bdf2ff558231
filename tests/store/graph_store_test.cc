#include "store/graph_store.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "store/kv.h"
#include "store/read_view.h"
#include "store/rocksdb_store.h"
#include "store/topology.h"
#include "tests/support/scratch_store.h"

namespace lodestone {
namespace {

using testing::ScratchStore;

// A store whose clock the test advances: record times are 1000, 2000, ... one per commit.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  // Opens the store, created on the first open.
  void Reopen() {
    store_ = nullptr;
    Status s = scratch_.Open();
    ASSERT_TRUE(s.ok()) << s.ToString();
    store_ = &scratch_.get();
  }

  std::unique_ptr<WriteTxn> Begin(const std::string& origin = "test") {
    scratch_.clock().Advance(1000);
    auto t = store_->BeginWrite(origin);
    EXPECT_TRUE(t.ok());
    return std::move(t).value();
  }

  NodeRecord Node(WriteTxn& t, const std::string& key, std::vector<std::string> labels,
                  std::vector<std::pair<std::string, Value>> props = {}) {
    NodeRecord r;
    r.key = key;
    for (auto& l : labels) r.labels.push_back(*t.InternLabel(l));
    for (auto& [k, v] : props) r.props.emplace_back(*t.InternPropKey(k), v);
    return r;
  }

  NodeId MustCreate(WriteTxn& t, const std::string& key, std::vector<std::string> labels,
                    std::vector<std::pair<std::string, Value>> props = {}) {
    auto id = t.CreateNode(Node(t, key, std::move(labels), std::move(props)));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  RelRef MustRelate(WriteTxn& t, NodeId a, const std::string& type, NodeId b,
                    std::vector<std::pair<std::string, Value>> props = {}) {
    RelRecord r;
    for (auto& [k, v] : props) r.props.emplace_back(*t.InternPropKey(k), v);
    auto rel = t.CreateRel(a, *t.InternRelType(type), b, std::move(r));
    EXPECT_TRUE(rel.ok()) << rel.status().ToString();
    return rel.ok() ? *rel : RelRef{};
  }

  static std::vector<NodeId> Ids(NodeCursor& c) {
    std::vector<NodeId> out;
    for (; c.Valid(); c.Next()) out.push_back(c.entry().id);
    EXPECT_TRUE(c.status().ok()) << c.status().ToString();
    return out;
  }
  static std::vector<NodeId> Others(AdjCursor& c) {
    std::vector<NodeId> out;
    for (; c.Valid(); c.Next()) out.push_back(c.entry().other);
    EXPECT_TRUE(c.status().ok()) << c.status().ToString();
    return out;
  }
  std::string KeyOf(ReadView& v, NodeId id) {
    NodeRecord r;
    auto found = v.GetNode(id, &r);
    return found.ok() && *found ? r.key : "<absent>";
  }
  Value Prop(ReadView& v, NodeId id, const std::string& key) {
    auto k = v.names().FindPropKey(key);
    if (!k) return Value();
    return *v.GetNodeProperty(id, *k);
  }

  ScratchStore scratch_{0};
  GraphStore* store_ = nullptr;  // scratch_'s store while it is open
};

TEST_F(StoreTest, CreatesReadsUpdatesAndDeletesNodes) {
  NodeId china;
  {
    auto t = Begin();
    china = MustCreate(*t, "actor/china", {"Actor"}, {{"name", "China"}, {"actor_kind", "country"}});
    ASSERT_TRUE(t->Commit().ok());
  }
  auto v = store_->Read();
  auto found = v->FindNode("actor/china");
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(*found, china);
  auto counts = store_->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->nodes, 1u);
  EXPECT_EQ(counts->last_record_time, 1000u);
  NodeRecord r;
  ASSERT_TRUE(*v->GetNode(china, &r));
  EXPECT_EQ(r.key, "actor/china");
  EXPECT_EQ(r.record_time, 1000u);
  EXPECT_EQ(Prop(*v, china, "name").as_string(), "China");
  EXPECT_EQ(Prop(*v, china, "missing").kind(), Value::Kind::kNull);
  {
    auto t = Begin();
    NodeRecord upd = Node(*t, "actor/china", {"Actor", "Country"}, {{"name", "People's Republic of China"}});
    ASSERT_TRUE(t->UpdateNode(china, upd).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  v = store_->Read();
  EXPECT_EQ(Prop(*v, china, "name").as_string(), "People's Republic of China");
  EXPECT_EQ(Prop(*v, china, "actor_kind").kind(), Value::Kind::kNull);
  auto country = v->names().FindLabel("Country");
  ASSERT_TRUE(country);
  auto cur = v->ScanLabel(*country);
  EXPECT_EQ(Ids(*cur), std::vector<NodeId>{china});
  {
    auto t = Begin();
    ASSERT_TRUE(t->DeleteNode(china, false).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  v = store_->Read();
  EXPECT_FALSE(v->FindNode("actor/china")->has_value());
  EXPECT_FALSE(*v->NodeExists(china));
  cur = v->ScanLabel(*country);
  EXPECT_TRUE(Ids(*cur).empty());
  auto stats = store_->Stats();
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->nodes, 0u);
  EXPECT_EQ(stats->commits, 3u);
  EXPECT_EQ(stats->versions, 2u);
  // The counts kept at commit, without a scan: the node is gone, and the last commit is the delete.
  counts = store_->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->nodes, 0u);
  EXPECT_EQ(counts->relationships, 0u);
  EXPECT_EQ(counts->last_record_time, store_->last_commit_time());
}

TEST_F(StoreTest, RefusesBadWritesAndChangesNothing) {
  {
    auto t = Begin();
    MustCreate(*t, "actor/us", {"Actor"});
    ASSERT_TRUE(t->Commit().ok());
  }
  auto t = Begin();
  NodeRecord dup = Node(*t, "actor/us", {"Actor"});
  auto r = t->CreateNode(dup);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kAlreadyExists);
  EXPECT_NE(r.status().message().find("actor/us"), std::string::npos);

  NodeRecord bad_key = Node(*t, "actor/new zealand", {"Actor"});
  r = t->CreateNode(bad_key);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);

  auto rel = t->CreateRel(1, *t->InternRelType("PARTNERS_WITH"), 999, {});
  ASSERT_FALSE(rel.ok());
  EXPECT_EQ(rel.status().code(), Status::Code::kNotFound);
  EXPECT_NE(rel.status().message().find("end node does not exist"), std::string::npos);

  NodeRecord runtime = Node(*t, "actor/x", {"Actor"});
  runtime.props.emplace_back(*t->InternPropKey("friend"), Value(NodeRef{1}));
  r = t->CreateNode(runtime);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("friend"), std::string::npos);

  NodeRecord inverted = Node(*t, "actor/y", {"Actor"});
  inverted.validity = {{Date::Parse("2026").value(), Date::Parse("2025").value()}};
  EXPECT_FALSE(t->CreateNode(inverted).ok());
  // Nothing of the failed calls is committed; the transaction commits nothing at all when destroyed.
  t.reset();
  auto v = store_->Read();
  EXPECT_FALSE(v->FindNode("actor/x")->has_value());
  EXPECT_EQ(store_->Stats()->nodes, 1u);
}

TEST_F(StoreTest, RefusesToDeleteANodeWithRelationshipsUnlessDetached) {
  NodeId a, b;
  {
    auto t = Begin();
    a = MustCreate(*t, "actor/a", {"Actor"});
    b = MustCreate(*t, "actor/b", {"Actor"});
    MustRelate(*t, a, "PARTNERS_WITH", b);
    ASSERT_TRUE(t->Commit().ok());
  }
  {
    auto t = Begin();
    Status s = t->DeleteNode(a, false);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.code(), Status::Code::kConstraint);
    EXPECT_NE(s.message().find("DETACH DELETE"), std::string::npos);
    EXPECT_NE(s.message().find("actor/a"), std::string::npos);
  }
  {
    auto t = Begin();
    ASSERT_TRUE(t->DeleteNode(a, true).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  auto v = store_->Read();
  auto cur = v->ScanAdj(b, {});
  EXPECT_TRUE(Others(*cur).empty());
  EXPECT_EQ(store_->Stats()->relationships, 0u);
}

TEST_F(StoreTest, TypedAdjacencyInBothDirections) {
  NodeId us, au, jp, ctl;
  RelRef parallel1, parallel2;
  {
    auto t = Begin();
    us = MustCreate(*t, "actor/us", {"Actor"});
    au = MustCreate(*t, "actor/australia", {"Actor"});
    jp = MustCreate(*t, "actor/japan", {"Actor"});
    ctl = MustCreate(*t, "control/c", {"Control"});
    parallel1 = MustRelate(*t, us, "PARTNERS_WITH", au, {{"since", "2025"}});
    parallel2 = MustRelate(*t, us, "PARTNERS_WITH", au, {{"since", "2026"}});
    MustRelate(*t, us, "PARTNERS_WITH", jp);
    MustRelate(*t, us, "IMPOSED", ctl);
    MustRelate(*t, jp, "PARTNERS_WITH", us);
    MustRelate(*t, jp, "PARTNERS_WITH", jp);  // a self-loop
    ASSERT_TRUE(t->Commit().ok());
  }
  auto v = store_->Read();
  RelTypeId partners = *v->names().FindRelType("PARTNERS_WITH");
  RelTypeId imposed = *v->names().FindRelType("IMPOSED");
  auto out = v->ScanAdj(us, {Direction::kOut, partners, {}});
  EXPECT_EQ(Others(*out), (std::vector<NodeId>{au, au, jp}));
  auto in = v->ScanAdj(us, {Direction::kIn, partners, {}});
  EXPECT_EQ(Others(*in), (std::vector<NodeId>{jp}));
  auto imp = v->ScanAdj(us, {Direction::kOut, imposed, {}});
  EXPECT_EQ(Others(*imp), (std::vector<NodeId>{ctl}));
  auto both = v->ScanAdj(us, {std::nullopt, partners, {}});
  EXPECT_EQ(Others(*both).size(), 4u);
  auto all = v->ScanAdj(us, {});
  EXPECT_EQ(Others(*all).size(), 5u);
  auto to_au = v->ScanAdj(us, {Direction::kOut, partners, au});
  std::vector<std::string> since;
  for (; to_au->Valid(); to_au->Next()) {
    RelRecord r;
    ASSERT_TRUE(to_au->record(&r).ok());
    since.push_back(FindProperty(r.props, *v->names().FindPropKey("since"))->as_string());
  }
  EXPECT_EQ(since, (std::vector<std::string>{"2025", "2026"}));
  // Incoming entries read the record from the outgoing one.
  auto au_in = v->ScanAdj(au, {Direction::kIn, partners, {}});
  ASSERT_TRUE(au_in->Valid());
  RelRecord r;
  ASSERT_TRUE(au_in->record(&r).ok());
  EXPECT_EQ(au_in->entry().rel.src, us);
  EXPECT_EQ(au_in->entry().rel.id, parallel1.id);
  // A self-loop is reported once when both directions are scanned.
  auto jp_all = v->ScanAdj(jp, {std::nullopt, partners, {}});
  EXPECT_EQ(Others(*jp_all), (std::vector<NodeId>{us, jp, us}));  // outgoing first, then incoming
  auto rels = v->ScanAllRels();
  EXPECT_EQ(Others(*rels).size(), 6u);
}

TEST_F(StoreTest, IndexServesEqualityAndRangeSeeks) {
  std::vector<NodeId> ids;
  {
    auto t = Begin();
    ASSERT_TRUE(t->CreateIndex(*t->InternLabel("Actor"), *t->InternPropKey("rank"), Value::Kind::kInt).ok());
    for (int64_t i : {5, -3, 12, 5, 0, 100, -50}) {
      ids.push_back(MustCreate(*t, "actor/" + std::to_string(ids.size()), {"Actor"}, {{"rank", i}}));
    }
    MustCreate(*t, "control/x", {"Control"}, {{"rank", 7}});  // another label: not in the index
    ASSERT_TRUE(t->Commit().ok());
  }
  auto v = store_->Read();
  LabelId actor = *v->names().FindLabel("Actor");
  PropKeyId rank = *v->names().FindPropKey("rank");
  auto ranks = [&](IndexRange r) {
    std::vector<int64_t> out;
    auto c = v->SeekIndex(actor, rank, r);
    for (; c->Valid(); c->Next()) out.push_back(Prop(*v, c->entry().id, "rank").as_int());
    EXPECT_TRUE(c->status().ok()) << c->status().ToString();
    return out;
  };
  EXPECT_EQ(ranks(IndexRange::Equal(Value(5))), (std::vector<int64_t>{5, 5}));
  EXPECT_EQ(ranks({Value(0), true, Value(12), false}), (std::vector<int64_t>{0, 5, 5}));
  EXPECT_EQ(ranks({Value(0), false, Value(12), true}), (std::vector<int64_t>{5, 5, 12}));
  EXPECT_EQ(ranks({std::nullopt, true, Value(0), false}), (std::vector<int64_t>{-50, -3}));
  EXPECT_EQ(ranks({Value(13), true, std::nullopt, false}), (std::vector<int64_t>{100}));
  EXPECT_TRUE(ranks({Value(20), true, Value(10), true}).empty());
  auto wrong = v->SeekIndex(actor, rank, IndexRange::Equal(Value("five")));
  EXPECT_FALSE(wrong->Valid());
  EXPECT_EQ(wrong->status().code(), Status::Code::kInvalidArgument);

  // A wrong-typed value for the declared index is refused, and the index follows updates.
  auto t = Begin();
  NodeRecord bad = Node(*t, "actor/bad", {"Actor"}, {{"rank", "high"}});
  auto r = t->CreateNode(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("indexed as INTEGER"), std::string::npos);
  ASSERT_TRUE(t->UpdateNode(ids[0], Node(*t, "actor/0", {"Actor"}, {{"rank", 1000}})).ok());
  ASSERT_TRUE(t->Commit().ok());
  v = store_->Read();
  EXPECT_EQ(ranks(IndexRange::Equal(Value(5))), (std::vector<int64_t>{5}));
  EXPECT_EQ(ranks({Value(101), true, std::nullopt, false}), (std::vector<int64_t>{1000}));
}

TEST_F(StoreTest, CreateIndexRefusesExistingValuesOfAnotherKind) {
  {
    auto t = Begin();
    MustCreate(*t, "actor/a", {"Actor"}, {{"name", "A"}});
    MustCreate(*t, "actor/b", {"Actor"}, {{"name", 7}});
    ASSERT_TRUE(t->Commit().ok());
  }
  auto t = Begin();
  Status s = t->CreateIndex(*t->InternLabel("Actor"), *t->InternPropKey("name"), Value::Kind::kString);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("actor/b"), std::string::npos);
}

TEST_F(StoreTest, TimeIndexesOrderDatedNodesGloballyAndPerEntity) {
  NodeId china, us, e1, e2, e3;
  auto d = [](const char* s) { return Value(Date::Parse(s).value()); };
  {
    auto t = Begin();
    china = MustCreate(*t, "actor/china", {"Actor"});
    us = MustCreate(*t, "actor/us", {"Actor"});
    e1 = MustCreate(*t, "event/a", {"Event"}, {{"date", d("2025-10-30")}});
    e2 = MustCreate(*t, "event/b", {"Event"}, {{"date", d("2025-04")}});
    e3 = MustCreate(*t, "event/c", {"Event"}, {{"date", d("2026-Q1")}});
    MustRelate(*t, e1, "INVOLVES", china);
    MustRelate(*t, e1, "INVOLVES", us);
    MustRelate(*t, e2, "INVOLVES", china);
    MustRelate(*t, e3, "INVOLVES", us);
    ASSERT_TRUE(t->Commit().ok());
  }
  auto v = store_->Read();
  auto nodes = [](DatedCursor& c) {
    std::vector<NodeId> out;
    for (; c.Valid(); c.Next()) out.push_back(c.entry().node);
    EXPECT_TRUE(c.status().ok());
    return out;
  };
  auto all = v->ScanTime({});
  EXPECT_EQ(nodes(*all), (std::vector<NodeId>{e2, e1, e3}));
  int32_t oct = Date::Parse("2025-10-01")->start_day();
  auto late = v->ScanTime({oct, std::nullopt});
  EXPECT_EQ(nodes(*late), (std::vector<NodeId>{e1, e3}));
  auto cn = v->ScanSubjectTime(china, {}, {}, TimeOrder::kOldestFirst);
  EXPECT_EQ(nodes(*cn), (std::vector<NodeId>{e2, e1}));
  auto us_before_2026 = v->ScanSubjectTime(us, {std::nullopt, Date::Parse("2026-01-01")->start_day()}, {},
                                           TimeOrder::kOldestFirst);
  ASSERT_TRUE(us_before_2026->Valid());
  EXPECT_EQ(us_before_2026->entry().node, e1);
  EXPECT_EQ(us_before_2026->entry().dir, Direction::kIn);
  EXPECT_EQ(v->names().RelTypeName(us_before_2026->entry().type), "INVOLVES");
  us_before_2026->Next();
  EXPECT_FALSE(us_before_2026->Valid());

  // Re-dating an event moves it on every related entity's timeline.
  {
    auto t = Begin();
    ASSERT_TRUE(t->UpdateNode(e2, Node(*t, "event/b", {"Event"}, {{"date", d("2027")}})).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  v = store_->Read();
  cn = v->ScanSubjectTime(china, {}, {}, TimeOrder::kOldestFirst);
  EXPECT_EQ(nodes(*cn), (std::vector<NodeId>{e1, e2}));
  all = v->ScanTime({});
  EXPECT_EQ(nodes(*all), (std::vector<NodeId>{e1, e3, e2}));
}

TEST_F(StoreTest, HistoryKeepsEveryVersionWithItsOrigin) {
  NodeId id;
  {
    auto t = Begin("import seed.jsonl");
    id = MustCreate(*t, "control/x", {"Control"}, {{"name", "v1"}});
    ASSERT_TRUE(t->Commit().ok());
  }
  {
    auto t = Begin("query by alice");
    ASSERT_TRUE(t->UpdateNode(id, Node(*t, "control/x", {"Control"}, {{"name", "v2"}})).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  {
    auto t = Begin("unchanged write");
    ASSERT_TRUE(t->UpdateNode(id, Node(*t, "control/x", {"Control"}, {{"name", "v2"}})).ok());
    EXPECT_FALSE(t->dirty());
    ASSERT_TRUE(t->Commit().ok());
  }
  {
    auto t = Begin("cleanup");
    ASSERT_TRUE(t->DeleteNode(id, false).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  auto h = store_->NodeHistory(id);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 2u);
  PropKeyId name = *store_->names().FindPropKey("name");
  EXPECT_EQ(FindProperty((*h)[0].node->props, name)->as_string(), "v2");
  EXPECT_EQ((*h)[0].from_record_time, 2000u);
  EXPECT_EQ((*h)[0].to_record_time, std::optional<uint64_t>(4000));
  EXPECT_TRUE((*h)[0].deleted_after);
  EXPECT_EQ((*h)[0].origin, "query by alice");
  EXPECT_EQ(FindProperty((*h)[1].node->props, name)->as_string(), "v1");
  EXPECT_EQ((*h)[1].origin, "import seed.jsonl");
  EXPECT_FALSE((*h)[1].deleted_after);
  auto found = store_->FindNodeEverywhere("control/x");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, id);
  auto commits = store_->Commits(10);
  ASSERT_TRUE(commits.ok());
  ASSERT_EQ(commits->size(), 3u);  // the unchanged write committed nothing
  EXPECT_EQ((*commits)[0].origin, "cleanup");
}

TEST_F(StoreTest, ChangeLogListsEachCommitInARangeWithWhatItChanged) {
  NodeId a, b;
  RelRef r;
  {
    auto t = Begin("import one");  // at 1000
    a = MustCreate(*t, "actor/a", {"Actor"});
    b = MustCreate(*t, "actor/b", {"Actor"});
    ASSERT_TRUE(t->Commit().ok());
  }
  {
    auto t = Begin("query by alice");  // at 2000
    r = MustRelate(*t, a, "PARTNERS_WITH", b);
    ASSERT_TRUE(t->Commit().ok());
  }
  {
    auto t = Begin("cleanup");  // at 3000
    ASSERT_TRUE(t->DeleteNode(b, true).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  auto all = store_->ChangeLog(0, UINT64_MAX);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].record_time, 1000u);  // oldest first
  EXPECT_EQ((*all)[0].origin, "import one");
  EXPECT_EQ((*all)[0].nodes, (std::vector<NodeId>{a, b}));
  EXPECT_TRUE((*all)[0].rels.empty());
  EXPECT_EQ((*all)[1].rels, std::vector<RelId>{r.id});
  EXPECT_TRUE((*all)[1].nodes.empty());
  EXPECT_EQ((*all)[2].nodes, std::vector<NodeId>{b});  // deleted with its relationship
  EXPECT_EQ((*all)[2].rels, std::vector<RelId>{r.id});
  // (after, until]: a commit at `after` is out, one at `until` in.
  auto middle = store_->ChangeLog(1000, 2000);
  ASSERT_TRUE(middle.ok());
  ASSERT_EQ(middle->size(), 1u);
  EXPECT_EQ((*middle)[0].origin, "query by alice");
  EXPECT_TRUE(store_->ChangeLog(3000, UINT64_MAX)->empty());
  EXPECT_TRUE(store_->ChangeLog(2000, 1000)->empty());
}

TEST_F(StoreTest, ReadsAsOfEachEarlierRecordTime) {
  NodeId a, b, ev;
  RelRef r1;
  auto d = [](const char* s) { return Value(Date::Parse(s).value()); };
  {  // t=1000: a, b, ev, a-[:P]->b, ev-[:INVOLVES]->a
    auto t = Begin();
    ASSERT_TRUE(
        t->CreateIndex(*t->InternLabel("Actor"), *t->InternPropKey("name"), Value::Kind::kString).ok());
    a = MustCreate(*t, "actor/a", {"Actor"}, {{"name", "A1"}});
    b = MustCreate(*t, "actor/b", {"Actor"}, {{"name", "B"}});
    ev = MustCreate(*t, "event/e", {"Event"}, {{"date", d("2025-04")}});
    r1 = MustRelate(*t, a, "P", b, {{"w", 1}});
    MustRelate(*t, ev, "INVOLVES", a);
    ASSERT_TRUE(t->Commit().ok());
  }
  {  // t=2000: rename a, relabel, update rel, re-date the event
    auto t = Begin();
    ASSERT_TRUE(t->UpdateNode(a, Node(*t, "actor/a", {"Actor", "Country"}, {{"name", "A2"}})).ok());
    RelRecord rr;
    rr.props.emplace_back(*t->InternPropKey("w"), Value(2));
    ASSERT_TRUE(t->UpdateRel(r1, rr).ok());
    ASSERT_TRUE(t->UpdateNode(ev, Node(*t, "event/e", {"Event"}, {{"date", d("2025-10")}})).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  NodeId c;
  {  // t=3000: delete b (and its relationship), create c with b's old key
    auto t = Begin();
    ASSERT_TRUE(t->DeleteNode(b, true).ok());
    c = MustCreate(*t, "actor/b", {"Actor"}, {{"name", "C"}});
    MustRelate(*t, a, "P", c);
    ASSERT_TRUE(t->Commit().ok());
  }
  auto names_at = [&](ReadView& v) {
    std::vector<std::string> out;
    auto cur = v.ScanLabel(*v.names().FindLabel("Actor"));
    for (; cur->Valid(); cur->Next()) out.push_back(Prop(v, cur->entry().id, "name").as_string());
    return out;
  };
  auto index_hits = [&](ReadView& v, const char* name) {
    auto cur = v.SeekIndex(*v.names().FindLabel("Actor"), *v.names().FindPropKey("name"),
                           IndexRange::Equal(Value(name)));
    std::vector<NodeId> out;
    for (; cur->Valid(); cur->Next()) out.push_back(cur->entry().id);
    return out;
  };
  RelTypeId p = *store_->names().FindRelType("P");
  LabelId country = *store_->names().FindLabel("Country");

  auto v0 = store_->ReadAsOf(500);
  ASSERT_TRUE(v0.ok());
  EXPECT_TRUE(names_at(**v0).empty());
  EXPECT_FALSE((*v0)->FindNode("actor/a")->has_value());

  auto v1 = store_->ReadAsOf(1000);
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_EQ(names_at(**v1), (std::vector<std::string>{"A1", "B"}));
  EXPECT_EQ(**(*v1)->FindNode("actor/b"), b);
  EXPECT_EQ(index_hits(**v1, "A1"), std::vector<NodeId>{a});
  EXPECT_TRUE(index_hits(**v1, "A2").empty());
  auto cl = (*v1)->ScanLabel(country);
  EXPECT_TRUE(Ids(*cl).empty());
  auto adj = (*v1)->ScanAdj(a, {Direction::kOut, p, {}});
  ASSERT_TRUE(adj->Valid());
  EXPECT_EQ(adj->entry().other, b);
  RelRecord rr;
  ASSERT_TRUE(adj->record(&rr).ok());
  EXPECT_EQ(FindProperty(rr.props, *store_->names().FindPropKey("w"))->as_int(), 1);
  adj->Next();
  EXPECT_FALSE(adj->Valid());
  auto tl = (*v1)->ScanSubjectTime(a, {}, {}, TimeOrder::kOldestFirst);
  ASSERT_TRUE(tl->Valid());
  EXPECT_EQ(tl->entry().date.ToString(), "2025-04");
  auto glob = (*v1)->ScanTime({});
  ASSERT_TRUE(glob->Valid());
  EXPECT_EQ(glob->entry().date.ToString(), "2025-04");

  auto v2 = store_->ReadAsOf(2500);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(names_at(**v2), (std::vector<std::string>{"A2", "B"}));
  cl = (*v2)->ScanLabel(country);
  EXPECT_EQ(Ids(*cl), std::vector<NodeId>{a});
  tl = (*v2)->ScanSubjectTime(a, {}, {}, TimeOrder::kOldestFirst);
  ASSERT_TRUE(tl->Valid());
  EXPECT_EQ(tl->entry().date.ToString(), "2025-10");
  adj = (*v2)->ScanAdj(a, {Direction::kOut, p, {}});
  EXPECT_EQ(Others(*adj), std::vector<NodeId>{b});

  auto now = store_->Read();
  EXPECT_EQ(names_at(*now), (std::vector<std::string>{"A2", "C"}));
  EXPECT_EQ(**now->FindNode("actor/b"), c);
  adj = now->ScanAdj(a, {Direction::kOut, p, {}});
  EXPECT_EQ(Others(*adj), std::vector<NodeId>{c});
  EXPECT_EQ(KeyOf(**v2, b), "actor/b");
  EXPECT_EQ(KeyOf(*now, b), "<absent>");
}

TEST_F(StoreTest, ATransactionReadsItsOwnWritesAndOthersDoNot) {
  auto before = store_->Read();
  auto t = Begin();
  NodeId a = MustCreate(*t, "actor/a", {"Actor"});
  EXPECT_EQ(*t->view().FindNode("actor/a"), a);
  auto cur = t->view().ScanLabel(*t->view().names().FindLabel("Actor"));
  EXPECT_EQ(Ids(*cur), std::vector<NodeId>{a});
  EXPECT_FALSE(store_->Read()->FindNode("actor/a")->has_value());
  ASSERT_TRUE(t->Commit().ok());
  EXPECT_FALSE(before->FindNode("actor/a")->has_value());  // the snapshot stays as it was
  EXPECT_TRUE(store_->Read()->FindNode("actor/a")->has_value());
}

TEST_F(StoreTest, ReadersSeeWholeCommitsWhileAWriterRuns) {
  constexpr int kBatches = 200;
  constexpr int kPerBatch = 10;
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::thread reader([&] {
    while (!done.load()) {
      auto v = store_->Read();
      auto label = v->names().FindLabel("Item");
      if (!label) continue;
      uint64_t n = *v->CountLabel(*label);
      if (n % kPerBatch != 0) bad++;
    }
  });
  for (int b = 0; b < kBatches; ++b) {
    auto t = Begin();
    for (int i = 0; i < kPerBatch; ++i) MustCreate(*t, "item/" + std::to_string(b * kPerBatch + i), {"Item"});
    ASSERT_TRUE(t->Commit().ok());
  }
  done = true;
  reader.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(*store_->Read()->CountLabel(*store_->names().FindLabel("Item")), uint64_t{kBatches * kPerBatch});
}

TEST_F(StoreTest, ReopenKeepsDataCatalogIndexesAndCounters) {
  NodeId a;
  {
    auto t = Begin();
    ASSERT_TRUE(
        t->CreateIndex(*t->InternLabel("Actor"), *t->InternPropKey("name"), Value::Kind::kString).ok());
    a = MustCreate(*t, "actor/a", {"Actor"}, {{"name", "A"}});
    ASSERT_TRUE(t->Commit().ok());
  }
  Reopen();
  auto v = store_->Read();
  EXPECT_EQ(**v->FindNode("actor/a"), a);
  ASSERT_EQ(store_->names().Indexes().size(), 1u);
  EXPECT_EQ(v->as_of(), 1000u);
  auto t = Begin();
  NodeId b = MustCreate(*t, "actor/b", {"Actor"});
  EXPECT_GT(b, a);  // ids are never reused
  ASSERT_TRUE(t->Commit().ok());
  EXPECT_EQ(store_->Stats()->nodes, 2u);
}

TEST_F(StoreTest, ReadOnlyOpenReadsEverything) {
  std::vector<NodeId> ids;
  {
    auto t = Begin();
    for (int i = 0; i < 200; ++i)
      ids.push_back(MustCreate(*t, "actor/" + std::to_string(i), {"Actor"}, {{"n", Value(int64_t{i})}}));
    for (int i = 1; i < 200; ++i)
      MustRelate(*t, ids[static_cast<size_t>(i - 1)], "NEXT", ids[static_cast<size_t>(i)]);
    ASSERT_TRUE(t->Commit().ok());
  }
  ASSERT_TRUE(store_->Compact().ok());  // into table files, where point reads meet RocksDB's caches
  scratch_.Close();
  store_ = nullptr;
  StoreOptions o;
  o.read_only = true;
  auto opened = GraphStore::Open(scratch_.path(), o);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  std::unique_ptr<GraphStore> ro = std::move(opened).value();
  // Twice: the second round would be served by caches filled in the first.
  for (int round = 0; round < 2; ++round) {
    auto v = ro->Read();
    for (int i = 0; i < 200; ++i) {
      std::string key = "actor/" + std::to_string(i);
      auto id = v->FindNode(key);
      ASSERT_TRUE(id.ok() && *id) << key << " in round " << round;
      EXPECT_EQ(**id, ids[static_cast<size_t>(i)]);
      NodeRecord r;
      auto found = v->GetNode(**id, &r);
      ASSERT_TRUE(found.ok() && *found) << key << " in round " << round;
      EXPECT_EQ(r.key, key);
    }
    ScanOptions so;
    so.dir = Direction::kOut;
    auto c = v->ScanAdj(ids[0], so);
    EXPECT_EQ(Others(*c), (std::vector<NodeId>{ids[1]}));
  }
  auto w = ro->BeginWrite("test");
  EXPECT_FALSE(w.ok());
}

TEST_F(StoreTest, ReopeningDoesNotCollectEmptyLogFiles) {
  auto logs = [&] {
    int n = 0;
    for (const auto& e : std::filesystem::directory_iterator(scratch_.path()))
      n += e.path().extension() == ".log";
    return n;
  };
  for (int i = 0; i < 6; ++i) {
    {
      auto t = Begin();
      MustCreate(*t, "actor/" + std::to_string(i), {"Actor"});
      ASSERT_TRUE(t->Commit().ok());
    }
    Reopen();  // the last commit is only in the log until the reopen recovers it
  }
  for (int i = 0; i < 4; ++i) Reopen();
  EXPECT_LE(logs(), 2);
  auto v = store_->Read();
  for (int i = 0; i < 6; ++i) {
    auto id = v->FindNode("actor/" + std::to_string(i));
    ASSERT_TRUE(id.ok() && *id) << i;
  }
}

// Opens the database at `path` through RocksDB itself, with every column family it has, and calls
// fn(db, family names, handles): for writing what no build of lodestone would.
template <typename Fn>
void WithRawRocksDb(const std::string& path, Fn fn) {
  rocksdb::DBOptions o;
  std::vector<std::string> cfs;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(o, path, &cfs).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  for (const auto& c : cfs) descs.emplace_back(c, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(o, path, descs, &handles, &raw).ok());
  fn(raw, cfs, handles);
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
}

TEST(StoreOpenTest, RefusesUnknownFormatVersionsAndForeignDirectories) {
  testing::TempDir dir;
  {
    StoreOptions o;
    o.create_if_missing = true;
    ASSERT_TRUE(GraphStore::Open(dir.Sub("db"), o).ok());
  }
  // Rewrite the format version as a future build would, through RocksDB itself.
  WithRawRocksDb(dir.Sub("db"), [](rocksdb::DB* raw, const auto&, const auto&) {
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), std::string(layout::kMetaFormatVersion), "99").ok());
  });
  auto future = GraphStore::Open(dir.Sub("db"), {});
  ASSERT_FALSE(future.ok());
  EXPECT_EQ(future.status().code(), Status::Code::kUnsupported);
  EXPECT_NE(future.status().message().find("format version 99"), std::string::npos);

  auto missing = GraphStore::Open(dir.Sub("nope"), {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("lodestone --db"), std::string::npos);

  std::filesystem::create_directories(dir.Sub("other"));
  std::ofstream(dir.Sub("other") + "/notes.txt") << "hello";
  auto foreign = GraphStore::Open(dir.Sub("other"), {});
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.status().message().find("not a Lodestone database"), std::string::npos);
}

// Through RocksDB itself: sets the format version and whether format 1's subject_time family exists,
// and reports them.
struct RawFormat {
  std::string version;
  bool retired_family = false;
};
RawFormat RewriteFormat(const std::string& path, std::optional<RawFormat> to) {
  RawFormat now;
  WithRawRocksDb(path, [&](rocksdb::DB* raw, const std::vector<std::string>& cfs, const auto&) {
    EXPECT_TRUE(raw->Get(rocksdb::ReadOptions(), std::string(layout::kMetaFormatVersion), &now.version).ok());
    now.retired_family =
        std::find(cfs.begin(), cfs.end(), std::string(layout::kCfRetiredSubjectTime)) != cfs.end();
    if (!to) return;
    EXPECT_TRUE(raw->Put(rocksdb::WriteOptions(), std::string(layout::kMetaFormatVersion), to->version).ok());
    if (to->retired_family && !now.retired_family) {
      rocksdb::ColumnFamilyHandle* h = nullptr;
      EXPECT_TRUE(
          raw->CreateColumnFamily(rocksdb::ColumnFamilyOptions(), layout::kCfRetiredSubjectTime, &h).ok());
      EXPECT_TRUE(raw->Put(rocksdb::WriteOptions(), h, "an old timeline entry", "").ok());
      raw->DestroyColumnFamilyHandle(h);
    }
  });
  return now;
}

// A format-1 database (with its subject_time family) is read as it is by opens that only read, and
// upgraded to format 2 by the first open that may write: the version is raised and the family dropped,
// and a database left between the two steps is finished by the next open.
TEST(StoreOpenTest, UpgradesFormatOneOnTheFirstOpenThatWrites) {
  testing::TempDir dir;
  const std::string path = dir.Sub("db");
  NodeId a = 0, e = 0;
  {
    StoreOptions o;
    o.create_if_missing = true;
    auto store = std::move(GraphStore::Open(path, o)).value();
    auto t = std::move(store->BeginWrite("test")).value();
    PropKeyId date = *t->InternPropKey("date");
    NodeRecord actor, event;
    actor.key = "actor/a";
    event.key = "event/e";
    event.props = {{date, Value(*Date::Parse("2025-10-09"))}};
    a = *t->CreateNode(actor);
    e = *t->CreateNode(event);
    ASSERT_TRUE(t->CreateRel(e, *t->InternRelType("INVOLVES"), a, {}).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  auto timeline = [&](GraphStore& s) {
    std::vector<NodeId> out;
    for (auto c = s.Read()->ScanSubjectTime(a, {}, {}, TimeOrder::kOldestFirst); c->Valid(); c->Next())
      out.push_back(c->entry().node);
    return out;
  };
  EXPECT_EQ(RewriteFormat(path, RawFormat{"1", true}).version, std::to_string(layout::kFormatVersion));

  {
    StoreOptions o;
    o.read_only = true;
    auto ro = GraphStore::Open(path, o);
    ASSERT_TRUE(ro.ok()) << ro.status().ToString();
    EXPECT_EQ(timeline(**ro), std::vector<NodeId>{e});
  }
  RawFormat after_read = RewriteFormat(path, std::nullopt);
  EXPECT_EQ(after_read.version, "1");
  EXPECT_TRUE(after_read.retired_family);
  {
    StoreOptions o;
    o.dated_property = "when";  // not the database's: the open fails, and upgrades nothing
    EXPECT_FALSE(GraphStore::Open(path, o).ok());
  }
  RawFormat after_failed_open = RewriteFormat(path, std::nullopt);
  EXPECT_EQ(after_failed_open.version, "1");
  EXPECT_TRUE(after_failed_open.retired_family);

  {
    auto rw = GraphStore::Open(path, {});
    ASSERT_TRUE(rw.ok()) << rw.status().ToString();
    EXPECT_EQ(timeline(**rw), std::vector<NodeId>{e});
  }
  const std::string current = std::to_string(layout::kFormatVersion);
  const std::string next = std::to_string(layout::kFormatVersion + 1);
  RawFormat upgraded = RewriteFormat(path, RawFormat{"2", true});  // then as if stopped between the steps
  EXPECT_EQ(upgraded.version, current);
  EXPECT_FALSE(upgraded.retired_family);
  ASSERT_TRUE(GraphStore::Open(path, {}).ok());
  RawFormat again = RewriteFormat(path, std::nullopt);
  EXPECT_FALSE(again.retired_family);
  EXPECT_EQ(again.version, current);

  for (const std::string& version : {std::string("0"), next, std::string("x")}) {
    RewriteFormat(path, RawFormat{version, false});
    auto refused = GraphStore::Open(path, {});
    ASSERT_FALSE(refused.ok()) << version;
    EXPECT_EQ(refused.status().code(), Status::Code::kUnsupported);
    EXPECT_NE(refused.status().message().find("reads format versions 1 to " + current), std::string::npos)
        << refused.status().message();
    EXPECT_EQ(refused.status().message().find("newer") != std::string::npos, version == next);
    EXPECT_EQ(RewriteFormat(path, std::nullopt).version, version);  // nothing was changed
  }
  // A newer format may lack a family this build expects: the message names the version.
  WithRawRocksDb(path, [&](rocksdb::DB* raw, const std::vector<std::string>& cfs, const auto& handles) {
    for (size_t i = 0; i < cfs.size(); ++i) {
      if (cfs[i] == layout::kCfTime) {
        ASSERT_TRUE(raw->DropColumnFamily(handles[i]).ok());
      }
    }
    ASSERT_TRUE(raw->Put(rocksdb::WriteOptions(), std::string(layout::kMetaFormatVersion), next).ok());
  });
  auto newer = GraphStore::Open(path, {});
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.status().message().find("format version " + next + "; this build"), std::string::npos)
      << newer.status().message();
  RewriteFormat(path, RawFormat{"x", false});
  auto foreign = GraphStore::Open(path, {});
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.status().message().find("has format version x"), std::string::npos)
      << foreign.status().message();
}

}  // namespace
}  // namespace lodestone

namespace lodestone {
namespace {

// The topology cache must answer exactly what RocksDB answers, and never outlive a commit.
TEST(TopologyCacheTest, AgreesWithRocksDbAndFollowsCommits) {
  testing::TempDir dir;
  auto open = [&](size_t cache_bytes) {
    StoreOptions o;
    o.create_if_missing = true;
    o.topology_cache_bytes = cache_bytes;
    return std::move(GraphStore::Open(dir.Sub("db"), o)).value();
  };
  std::vector<NodeId> nodes;
  {
    auto store = open(0);
    auto t = std::move(store->BeginWrite("test")).value();
    LabelId a = *t->InternLabel("A"), b = *t->InternLabel("B");
    RelTypeId r = *t->InternRelType("R"), s = *t->InternRelType("S");
    std::mt19937 rng(3);
    for (int i = 0; i < 200; ++i) {
      NodeRecord rec;
      rec.labels = {i % 3 ? a : b};
      nodes.push_back(*t->CreateNode(rec));
    }
    for (int i = 0; i < 800; ++i) {
      ASSERT_TRUE(t->CreateRel(nodes[rng() % 200], rng() % 4 ? r : s, nodes[rng() % 200], {}).ok());
    }
    ASSERT_TRUE(t->Commit().ok());
  }
  auto collect = [&](GraphStore& store) {
    std::vector<std::string> out;
    auto v = store.Read();
    RelTypeId r = *v->names().FindRelType("R");
    LabelId b = *v->names().FindLabel("B");
    for (NodeId n : nodes) {
      for (std::optional<Direction> d :
           {std::optional<Direction>(Direction::kOut), std::optional<Direction>(Direction::kIn),
            std::optional<Direction>()}) {
        auto c = v->ScanAdj(n, {d, r, {}});
        for (; c->Valid(); c->Next()) {
          RelRecord rec;
          EXPECT_TRUE(c->record(&rec).ok());
          out.push_back(std::to_string(n) + ":" + std::to_string(c->entry().rel.id) + ">" +
                        std::to_string(c->entry().other) + (c->entry().dir == Direction::kOut ? "o" : "i"));
        }
      }
      out.push_back(*v->HasLabel(n, b) ? "B" : "-");
    }
    return out;
  };
  std::vector<std::string> plain, cached, starved;
  {
    auto store = open(0);
    plain = collect(*store);
    EXPECT_EQ(store->topology_cache_bytes(), 0u);
  }
  {
    // A budget too small for the adjacency: the cache stays within it and the reads go to RocksDB.
    auto store = open(2048);
    starved = collect(*store);
    EXPECT_LE(store->topology_cache_bytes(), 2048u);
  }
  EXPECT_EQ(plain, starved);
  auto store = open(size_t{64} << 20);
  EXPECT_EQ(store->topology_cache_bytes(), 0u);  // built on first use
  cached = collect(*store);
  EXPECT_EQ(plain, cached);
  // 800 relationships, each in both directions' CSR, plus the offsets.
  EXPECT_GT(store->topology_cache_bytes(), 800u * 2 * 16);
  EXPECT_LE(store->topology_cache_bytes(), size_t{64} << 20);
  // A commit: the next reader sees the change, through a fresh cache.
  {
    auto t = std::move(store->BeginWrite("test")).value();
    ASSERT_TRUE(t->CreateRel(nodes[0], *t->InternRelType("R"), nodes[1], {}).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  auto v = store->Read();
  auto c = v->ScanAdj(nodes[0], {Direction::kOut, *v->names().FindRelType("R"), nodes[1]});
  int found = 0;
  for (; c->Valid(); c->Next()) ++found;
  EXPECT_GE(found, 1);
}

// A source that counts the reads it passes on.
class Counting final : public internal::KvSource {
 public:
  explicit Counting(internal::KvSource* inner) : inner_(inner) {}
  Status Get(internal::Cf cf, std::string_view key, std::string* value, bool* found) override {
    ++reads;
    return inner_->Get(cf, key, value, found);
  }
  std::unique_ptr<internal::KvIter> Scan(internal::Cf cf, std::string lower, std::string upper) override {
    ++reads;
    return inner_->Scan(cf, std::move(lower), std::move(upper));
  }
  int reads = 0;

 private:
  internal::KvSource* inner_;
};

// What RocksDB's estimates say cannot fit the budget is refused without reading it: at 100M
// relationships, reading the adjacency up to the budget before giving up outlasted a statement's time
// limit. Unknown estimates (0) leave the cache to find out by reading.
TEST(TopologyCacheTest, RefusesWhatCannotFitWithoutReadingIt) {
  testing::ScratchStore scratch;
  ASSERT_TRUE(scratch.Open().ok());
  RelTypeId r;
  {
    auto t = std::move(scratch.get().BeginWrite("test")).value();
    r = *t->InternRelType("R");
    NodeRecord rec;
    rec.key = "n/a";
    NodeId a = *t->CreateNode(rec);
    rec.key = "n/b";
    NodeId b = *t->CreateNode(rec);
    ASSERT_TRUE(t->CreateRel(a, r, b, {}).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  auto* rocks = dynamic_cast<internal::RocksStore*>(&scratch.get());
  ASSERT_NE(rocks, nullptr);
  internal::SnapshotSource snapshot(rocks->db(), rocks->cfs(), nullptr);
  const size_t budget = size_t{1} << 20;
  {
    // Estimates of a million adjacency entries and keys: at 16 and 48 bytes at least, over 1 MiB.
    internal::TopologyCache cache(1, 100, budget, {1'000'000, 1'000'000});
    Counting source(&snapshot);
    EXPECT_EQ(cache.Adjacency(r, Direction::kOut, &source), nullptr);
    std::optional<NodeId> id;
    EXPECT_FALSE(cache.FindKey("n/a", &source, &id));
    EXPECT_EQ(source.reads, 0);
    EXPECT_EQ(cache.bytes(), 0u);
  }
  {
    internal::TopologyCache cache(1, 100, budget, {});
    Counting source(&snapshot);
    EXPECT_NE(cache.Adjacency(r, Direction::kOut, &source), nullptr);
    std::optional<NodeId> id;
    EXPECT_TRUE(cache.FindKey("n/a", &source, &id));
    EXPECT_TRUE(id.has_value());
    EXPECT_GT(source.reads, 0);
  }
}

// The key map finds every key it holds and no other: prefixes, bytes above 0x7f, the empty key, and
// enough keys that many share a probe sequence.
TEST(TopologyCacheTest, KeyIndexFindsExactlyItsKeys) {
  std::vector<std::string> keys = {"", "a", "a\x01", "ab", "b", "b/\x7f", "b/\x80", "b/\xc3\xa9", "\xff"};
  for (int i = 0; i < 5000; ++i) keys.push_back("event/" + std::to_string(2 * i));  // even numbers
  internal::KeyIndex index;
  for (size_t i = 0; i < keys.size(); ++i) ASSERT_TRUE(index.Append(keys[i], 100 + i));
  EXPECT_EQ(internal::KeyIndex().Find("a"), std::nullopt);  // nothing appended, nothing finished
  index.Finish();
  EXPECT_EQ(index.size(), keys.size());
  for (size_t i = 0; i < keys.size(); ++i)
    EXPECT_EQ(index.Find(keys[i]), std::optional<NodeId>(100 + i)) << i;
  for (const std::string& missing :
       {std::string("\x01"), std::string("a\0", 2), std::string("aa"), std::string("abc"), std::string("b/"),
        std::string("b/\xc3"), std::string("c"), std::string("\xff\xff"), std::string("event/"),
        std::string("event/1"), std::string("event/9999"), std::string("event/10000"),
        std::string("event/0 ")}) {
    EXPECT_EQ(index.Find(missing), std::nullopt) << missing;
  }
  internal::KeyIndex empty;
  empty.Finish();
  EXPECT_EQ(empty.Find(""), std::nullopt);
}

// A cache warmed by the store's thread: readers do not build it themselves (they read RocksDB until
// it is ready), Warm() builds it all, an abandoned cache builds nothing, and what the warmed cache
// answers agrees with RocksDB, after the open and after a commit.
TEST(TopologyCacheTest, WarmedInTheBackgroundAgreesWithRocksDb) {
  testing::TempDir dir;
  RelTypeId r, other_type;
  LabelId l;
  std::vector<std::string> keys;
  {
    StoreOptions o;
    o.create_if_missing = true;
    o.topology_cache_bytes = 0;
    auto store = std::move(GraphStore::Open(dir.Sub("db"), o)).value();
    auto t = std::move(store->BeginWrite("test")).value();
    r = *t->InternRelType("R");
    other_type = *t->InternRelType("S");
    l = *t->InternLabel("L");
    PropKeyId date = *t->InternPropKey("date");
    std::vector<NodeId> nodes;
    std::mt19937 rng(5);
    for (int i = 0; i < 300; ++i) {
      NodeRecord rec;
      rec.key = "k/" + std::to_string(i * 7919 % 100003) + (i % 7 ? "" : "\xc3\xa9");
      if (i % 2) rec.labels = {l};
      // A third are dated, many on the same day, some at coarser precisions.
      if (i % 3 == 0)
        rec.props = {{date, Value(*Date::Parse(i % 4 ? "2025-0" + std::to_string(1 + i % 9) : "2025"))}};
      keys.push_back(rec.key);
      nodes.push_back(*t->CreateNode(rec));
    }
    for (int i = 0; i < 900; ++i) {
      ASSERT_TRUE(
          t->CreateRel(nodes[rng() % nodes.size()], i % 5 ? r : other_type, nodes[rng() % nodes.size()], {})
              .ok());
    }
    // Self-loops on dated nodes (multiples of 3), of either type, one node with two.
    for (int i : {0, 3, 3, 6, 1})
      ASSERT_TRUE(t->CreateRel(nodes[i], i % 2 ? r : other_type, nodes[i], {}).ok());
    ASSERT_TRUE(t->CreateRel(nodes[9], r, nodes[9], {}).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  StoreOptions o;
  o.topology_cache_bytes = size_t{64} << 20;
  o.topology_cache_in_background = true;
  auto store = std::move(GraphStore::Open(dir.Sub("db"), o)).value();
  size_t undated_seen = 0;  // timeline entries of undated neighbours, over every call
  auto answers = [&](ReadView& v) {
    std::vector<std::string> out;
    for (const std::string& k : keys) {
      std::optional<NodeId> id = *v.FindNode(k);
      EXPECT_TRUE(id.has_value()) << k;
      if (!id) continue;
      out.push_back(k + "=" + std::to_string(*id) + (*v.HasLabel(*id, l) ? "L" : ""));
      for (auto c = v.ScanAdj(*id, {std::nullopt, r, {}}); c->Valid(); c->Next())
        out.push_back(std::to_string(c->entry().rel.id) + ">" + std::to_string(c->entry().other));
      // The timeline, whole and in a window, following every relationship, R outwards, or S; with
      // self-loops, every relationship, R inwards, or S outwards; with undated neighbours, every
      // relationship (and self-loops) or R outwards.
      const TimelineFilter follows[] = {{},
                                        {{r}, Direction::kOut},
                                        {{other_type}, std::nullopt},
                                        {{}, std::nullopt, true},
                                        {{r}, Direction::kIn, true},
                                        {{other_type}, Direction::kOut, true},
                                        {{}, std::nullopt, true, true},
                                        {{r}, Direction::kOut, false, true}};
      for (const TimelineFilter& follow : follows) {
        for (DateRange range : {DateRange{}, DateRange{Date::Parse("2025-03-01")->start_day(),
                                                       Date::Parse("2025-07-01")->start_day()}}) {
          std::vector<std::string> ways[2];
          for (TimeOrder order : {TimeOrder::kOldestFirst, TimeOrder::kNewestFirst}) {
            auto c = v.ScanSubjectTime(*id, range, follow, order);
            for (; c->Valid(); c->Next()) {
              const DatedEntry& e = c->entry();
              if (!e.dated) ++undated_seen;
              ways[static_cast<int>(order)].push_back(
                  "@" + (e.dated ? e.date.ToString() : std::string("undated")) + ":" +
                  std::to_string(e.node) + "/" + std::to_string(e.rel) +
                  (e.dir == Direction::kOut ? ">" : "<") + std::to_string(e.type));
            }
            EXPECT_TRUE(c->status().ok());
          }
          // Newest first: the undated neighbours first all the same, then the dated ones in reverse.
          auto dated = std::find_if(ways[0].begin(), ways[0].end(),
                                    [](const std::string& e) { return e.rfind("@undated:", 0) != 0; });
          std::vector<std::string> reversed(ways[0].begin(), dated);
          reversed.insert(reversed.end(), std::make_reverse_iterator(ways[0].end()),
                          std::make_reverse_iterator(dated));
          EXPECT_EQ(ways[1], reversed);
          // keys[3]'s two self-loops (type R), each once, when asked for and R is followed.
          if (k == keys[3] && !range.from_day) {
            const bool loops = follow.self_loops && (follow.types.empty() || follow.types[0] == r);
            EXPECT_EQ(std::count_if(ways[0].begin(), ways[0].end(),
                                    [&](const std::string& e) {
                                      return e.find(":" + std::to_string(*id) + "/") != std::string::npos;
                                    }),
                      loops ? 2 : 0)
                << follow.types.size() << " " << follow.self_loops;
          }
          out.push_back("follow " + std::to_string(follow.types.size()) +
                        (follow.self_loops ? " loops" : "") + (follow.undated ? " undated" : ""));
          out.insert(out.end(), ways[0].begin(), ways[0].end());
        }
      }
    }
    EXPECT_EQ(*v.FindNode("k/none"), std::nullopt);
    EXPECT_EQ(*v.FindNode("k/"), std::nullopt);
    return out;
  };
  auto* rocks = dynamic_cast<internal::RocksStore*>(store.get());
  ASSERT_NE(rocks, nullptr);
  std::vector<std::string> plain;
  {
    internal::SnapshotSource snapshot(rocks->db(), rocks->cfs(), nullptr);
    internal::GraphReadView v(&snapshot, &store->names(), store->dated_property(), store->last_commit_time());
    plain = answers(v);
    ASSERT_FALSE(plain.empty());
    EXPECT_GT(undated_seen, 300u);
    EXPECT_GT(std::count_if(plain.begin(), plain.end(), [](const std::string& a) { return a[0] == '@'; }),
              300);
    // A warmed cache: readers never build it.
    internal::TopologyCache warmed(1, 1000, size_t{64} << 20, {}, /*warmed=*/true);
    Counting source(&snapshot);
    std::optional<NodeId> id;
    EXPECT_FALSE(warmed.FindKey(keys[0], &source, &id));
    EXPECT_EQ(warmed.Adjacency(r, Direction::kOut, &source), nullptr);
    EXPECT_EQ(warmed.Times(&source), nullptr);
    EXPECT_EQ(source.reads, 0);
    warmed.Warm(&snapshot, {l});
    EXPECT_TRUE(warmed.FindKey(keys[0], &source, &id));
    EXPECT_TRUE(id.has_value());
    EXPECT_NE(warmed.Adjacency(r, Direction::kOut, &source), nullptr);
    EXPECT_NE(warmed.LabelBits(l, &source), nullptr);
    EXPECT_NE(warmed.Times(&source), nullptr);
    EXPECT_GT(warmed.bytes(), 900u * 2 * 16);
    // Abandoned: nothing is built, and readers are sent to RocksDB.
    internal::TopologyCache abandoned(1, 1000, size_t{64} << 20, {}, /*warmed=*/true);
    abandoned.Abandon();
    abandoned.Warm(&snapshot, {l});
    EXPECT_FALSE(abandoned.FindKey(keys[0], &source, &id));
    EXPECT_EQ(abandoned.Adjacency(r, Direction::kOut, &source), nullptr);
  }
  store->WarmTopologyCache();  // waits for the store's thread, which started at the open
  const size_t warm_bytes = store->topology_cache_bytes();
  EXPECT_GT(warm_bytes, 900u * 2 * 16);
  EXPECT_EQ(answers(*store->Read()), plain);
  // A commit: readers at once see it (from RocksDB until the new cache is ready), and then from the
  // new cache.
  {
    auto t = std::move(store->BeginWrite("test")).value();
    NodeRecord rec;
    rec.key = "k/new";
    NodeId n = *t->CreateNode(rec);
    ASSERT_TRUE(t->CreateRel(n, r, *store->Read()->FindNode(keys[0]).value(), {}).ok());
    ASSERT_TRUE(t->Commit().ok());
  }
  keys.push_back("k/new");
  auto before_warm = answers(*store->Read());
  store->WarmTopologyCache();
  EXPECT_GT(store->topology_cache_bytes(), 0u);
  EXPECT_EQ(answers(*store->Read()), before_warm);
  // The new node; its relationship from both ends; its timelines' sixteen headings, and the dated node
  // at the relationship's other end on five of them (those following everything or R outwards; its date
  // is not in the window); and the new node, undated, on two of that node's timelines (everything with
  // undated neighbours, whole and in the window, which applies to dated ones only).
  EXPECT_EQ(before_warm.size(), plain.size() + 1 + 2 + 16 + 5 + 2);
}

// The dated property is chosen when a database is created, kept in it, and checked on every open.
TEST(DatedProperty, ChosenAtCreationKeptAndChecked) {
  testing::TempDir dir;
  const std::string path = dir.Sub("db");
  auto date = [](const char* s) { return Value(*Date::Parse(s)); };
  {
    StoreOptions o;
    o.create_if_missing = true;
    o.dated_property = "when";
    auto opened = GraphStore::Open(path, o);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    auto store = std::move(opened).value();
    EXPECT_EQ(store->dated_property(), "when");
    auto t = std::move(store->BeginWrite("test")).value();
    LabelId event = *t->InternLabel("Event");
    NodeRecord a, b;
    a.key = "event/a";
    a.labels = {event};
    a.props = {{*t->InternPropKey("when"), date("2025-10-30")}};
    b.key = "event/b";
    b.labels = {event};
    b.props = {{*t->InternPropKey("date"), date("2025-04-01")}};  // not the dated property here
    NodeId ida = *t->CreateNode(a);
    ASSERT_TRUE(t->CreateNode(b).ok());
    ASSERT_TRUE(t->Commit().ok());
    auto v = store->Read();
    auto all = v->ScanTime({});
    ASSERT_TRUE(all->Valid());
    EXPECT_EQ(all->entry().node, ida);
    all->Next();
    EXPECT_FALSE(all->Valid()) << "only the node dated by 'when' is in the time index";
  }
  {
    auto reopened = GraphStore::Open(path, {});  // no choice: the database's own
    ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
    EXPECT_EQ((*reopened)->dated_property(), "when");
  }
  StoreOptions other;
  other.dated_property = "date";
  auto refused = GraphStore::Open(path, other);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("created with the dated property 'when'"), std::string::npos)
      << refused.status().ToString();
}

}  // namespace
}  // namespace lodestone
