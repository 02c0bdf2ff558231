#include "tests/tck/side_effects.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace lodestone::tck {
namespace {

// Writes straight to a store, the way a query would, and diffs its states.
class SideEffectsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions o;
    o.create_if_missing = true;
    auto s = GraphStore::Open(dir_.Sub("db"), o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  GraphState State() {
    auto view = store_->Read();
    auto state = CaptureGraphState(*view);
    EXPECT_TRUE(state.ok()) << state.status().ToString();
    return state.ok() ? std::move(state).value() : GraphState{};
  }

  std::unique_ptr<WriteTxn> Begin() {
    auto t = store_->BeginWrite("test");
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return std::move(t).value();
  }

  static PropertyList Props(WriteTxn& t, std::vector<std::pair<std::string, Value>> props) {
    PropertyList out;
    for (auto& [k, v] : props) SetProperty(&out, *t.InternPropKey(k), v);
    return out;
  }

  NodeId CreateNode(std::vector<std::string> labels, std::vector<std::pair<std::string, Value>> props) {
    auto t = Begin();
    NodeRecord r;
    for (auto& l : labels) r.labels.push_back(*t->InternLabel(l));
    std::sort(r.labels.begin(), r.labels.end());
    r.props = Props(*t, std::move(props));
    auto id = t->CreateNode(r);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_TRUE(t->Commit().ok());
    return *id;
  }

  // Replaces a node's labels and properties.
  void Update(NodeId id, std::vector<std::string> labels, std::vector<std::pair<std::string, Value>> props) {
    auto t = Begin();
    NodeRecord r;
    ASSERT_TRUE(*t->view().GetNode(id, &r));
    r.labels.clear();
    for (auto& l : labels) r.labels.push_back(*t->InternLabel(l));
    std::sort(r.labels.begin(), r.labels.end());
    r.props = Props(*t, std::move(props));
    ASSERT_TRUE(t->UpdateNode(id, r).ok());
    ASSERT_TRUE(t->Commit().ok());
  }

  RelRef Relate(NodeId a, const std::string& type, NodeId b,
                std::vector<std::pair<std::string, Value>> props) {
    auto t = Begin();
    RelRecord r;
    r.props = Props(*t, std::move(props));
    auto rel = t->CreateRel(a, *t->InternRelType(type), b, r);
    EXPECT_TRUE(rel.ok()) << rel.status().ToString();
    EXPECT_TRUE(t->Commit().ok());
    return *rel;
  }

  testing::TempDir dir_;
  std::unique_ptr<GraphStore> store_;
};

TEST_F(SideEffectsTest, CreatingCountsEntitiesNewLabelNamesAndProperties) {
  GraphState empty = State();
  EXPECT_EQ(DiffGraphStates(empty, empty), SideEffects{});

  // CREATE (:L {a: 1}), (:L {b: 'x', c: [1, 2]})
  NodeId n1 = CreateNode({"L"}, {{"a", Value(1)}});
  NodeId n2 = CreateNode({"L"}, {{"b", Value("x")}, {"c", Value(ValueList{Value(1), Value(2)})}});
  GraphState s1 = State();
  SideEffects d = DiffGraphStates(empty, s1);
  EXPECT_EQ(d.plus_nodes, 2);
  EXPECT_EQ(d.plus_labels, 1);  // one label name, on two nodes
  EXPECT_EQ(d.plus_properties, 3);
  EXPECT_EQ(FormatSideEffects(d), "+nodes 2, +labels 1, +properties 3");

  // CREATE (n1)-[:T {w: 1.0}]->(n2)
  Relate(n1, "T", n2, {{"w", Value(1.0)}});
  GraphState s2 = State();
  d = DiffGraphStates(s1, s2);
  EXPECT_EQ(d.plus_relationships, 1);
  EXPECT_EQ(d.plus_properties, 1);
  EXPECT_EQ(d.plus_nodes + d.plus_labels + d.minus_properties, 0);
}

TEST_F(SideEffectsTest, SettingChangingAndRemovingProperties) {
  NodeId n = CreateNode({"A"}, {{"name", Value("Andres")}, {"num", Value(1)}});
  GraphState before = State();

  // SET n.name = 'Michael', n.num = 1 (the same value), n.extra = true
  Update(n, {"A"}, {{"name", Value("Michael")}, {"num", Value(1)}, {"extra", Value(true)}});
  GraphState after = State();
  SideEffects d = DiffGraphStates(before, after);
  EXPECT_EQ(d.plus_properties, 2);   // the new name, extra
  EXPECT_EQ(d.minus_properties, 1);  // the old name
  EXPECT_EQ(d.plus_nodes + d.minus_nodes + d.plus_labels + d.minus_labels, 0);

  // SET n.num = 1.0: an integer replaced by an equal float is a change.
  Update(n, {"A"}, {{"name", Value("Michael")}, {"num", Value(1.0)}, {"extra", Value(true)}});
  d = DiffGraphStates(after, State());
  EXPECT_EQ(d.plus_properties, 1);
  EXPECT_EQ(d.minus_properties, 1);

  // REMOVE n.extra
  GraphState s = State();
  Update(n, {"A"}, {{"name", Value("Michael")}, {"num", Value(1.0)}});
  d = DiffGraphStates(s, State());
  EXPECT_EQ(d.plus_properties, 0);
  EXPECT_EQ(d.minus_properties, 1);
}

TEST_F(SideEffectsTest, LabelsCountNamesInUse) {
  NodeId a = CreateNode({"Foo", "Bar"}, {});
  NodeId b = CreateNode({"Foo"}, {});
  GraphState before = State();

  // REMOVE a:Foo: b still has Foo, so no label name disappears.
  Update(a, {"Bar"}, {});
  SideEffects d = DiffGraphStates(before, State());
  EXPECT_EQ(d.minus_labels, 0);

  // REMOVE b:Foo: now Foo is gone; SET b:Baz adds a name.
  GraphState s = State();
  Update(b, {"Baz"}, {});
  d = DiffGraphStates(s, State());
  EXPECT_EQ(d.minus_labels, 1);
  EXPECT_EQ(d.plus_labels, 1);
}

TEST_F(SideEffectsTest, DeletingCountsTheEntitiesAndTheirProperties) {
  NodeId a = CreateNode({"N"}, {{"num", Value(42)}});
  NodeId b = CreateNode({}, {});
  Relate(a, "R", b, {{"since", Value(2020)}});
  GraphState before = State();

  auto t = Begin();
  ASSERT_TRUE(t->DeleteNode(a, /*detach=*/true).ok());
  ASSERT_TRUE(t->Commit().ok());
  SideEffects d = DiffGraphStates(before, State());
  EXPECT_EQ(d.minus_nodes, 1);
  EXPECT_EQ(d.minus_relationships, 1);
  EXPECT_EQ(d.minus_labels, 1);
  EXPECT_EQ(d.minus_properties, 2);
  EXPECT_EQ(d.plus_nodes + d.plus_relationships + d.plus_labels + d.plus_properties, 0);
}

TEST(SideEffects, ParseAndCompare) {
  DataTable t;
  t.rows = {{"+nodes", "2"}, {"-properties", "1"}, {"+labels", "0"}};
  t.line = 5;
  auto s = ParseSideEffects(t);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  SideEffects want;
  want.plus_nodes = 2;
  want.minus_properties = 1;
  EXPECT_EQ(*s, want);

  SideEffects got = want;
  EXPECT_FALSE(CompareSideEffects(want, got));
  got.plus_nodes = 3;
  got.plus_relationships = 1;
  auto diff = CompareSideEffects(want, got);
  ASSERT_TRUE(diff);
  EXPECT_EQ(*diff, "side effects differ: +nodes: expected 2, got 3; +relationships: expected 0, got 1");

  t.rows = {{"+nodez", "1"}};
  EXPECT_FALSE(ParseSideEffects(t).ok());
  t.rows = {{"+nodes", "-1"}};
  EXPECT_FALSE(ParseSideEffects(t).ok());
  t.rows = {{"+nodes", "1"}, {"+nodes", "1"}};
  EXPECT_FALSE(ParseSideEffects(t).ok());
  t.rows = {{"+nodes"}};
  EXPECT_FALSE(ParseSideEffects(t).ok());
}

}  // namespace
}  // namespace lodestone::tck
