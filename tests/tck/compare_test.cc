#include "tests/tck/compare.h"

#include <gtest/gtest.h>

#include "query/database.h"

namespace lodestone::tck {
namespace {

TckTable T(std::vector<std::vector<std::string>> rows) {
  DataTable d;
  d.rows = std::move(rows);
  d.line = 1;
  auto t = ParseExpectedTable(d);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? std::move(t).value() : TckTable{};
}

std::optional<std::string> Cmp(const TckTable& want, const TckTable& got, bool in_order = false,
                               bool ignore_list_order = false) {
  return CompareTables(want, got, CompareOptions{in_order, ignore_list_order});
}

TEST(Compare, AnyOrderIsAMultiset) {
  TckTable want = T({{"n"}, {"1"}, {"2"}, {"2"}});
  EXPECT_FALSE(Cmp(want, T({{"n"}, {"2"}, {"1"}, {"2"}})));
  auto diff = Cmp(want, T({{"n"}, {"1"}, {"2"}}));
  ASSERT_TRUE(diff);
  EXPECT_EQ(*diff, "expected 3 rows, got 2; missing | 2 |");
  diff = Cmp(want, T({{"n"}, {"1"}, {"2"}, {"1"}}));
  ASSERT_TRUE(diff);
  EXPECT_EQ(*diff, "expected 3 rows, got 3; missing | 2 |; unexpected | 1 |");
}

TEST(Compare, InOrder) {
  TckTable want = T({{"n"}, {"1"}, {"2"}});
  EXPECT_FALSE(Cmp(want, T({{"n"}, {"1"}, {"2"}}), true));
  auto diff = Cmp(want, T({{"n"}, {"2"}, {"1"}}), true);
  ASSERT_TRUE(diff);
  EXPECT_EQ(*diff, "row 1: expected | 1 |, got | 2 |");
  EXPECT_FALSE(Cmp(want, T({{"n"}, {"2"}, {"1"}}), false));
  diff = Cmp(want, T({{"n"}, {"1"}, {"2"}, {"3"}}), true);
  ASSERT_TRUE(diff);
  EXPECT_EQ(*diff, "expected 2 rows, got 3; first extra row | 3 |");
  diff = Cmp(want, T({{"n"}, {"1"}}), true);
  ASSERT_TRUE(diff);
  EXPECT_EQ(*diff, "expected 2 rows, got 1; first missing row | 2 |");
}

TEST(Compare, IntegersAreNotFloats) {
  EXPECT_TRUE(Cmp(T({{"x"}, {"1"}}), T({{"x"}, {"1.0"}})));
  EXPECT_TRUE(Cmp(T({{"x"}, {"[1]"}}), T({{"x"}, {"[1.0]"}})));
  EXPECT_FALSE(Cmp(T({{"x"}, {"1.0"}}), T({{"x"}, {"1.00"}})));
}

TEST(Compare, ColumnsMustMatchExactly) {
  auto diff = Cmp(T({{"a", "b"}}), T({{"b", "a"}}));
  ASSERT_TRUE(diff);
  EXPECT_EQ(*diff, "columns differ: expected | a | b |, got | b | a |");
  EXPECT_TRUE(Cmp(T({{"n.name"}}), T({{"n.Name"}})));
  EXPECT_TRUE(Cmp(T({{"a"}}), T({{"a", "b"}})));
  EXPECT_FALSE(Cmp(T({{"a", "b"}}), T({{"a", "b"}})));  // no rows on either side
}

TEST(Compare, ListOrder) {
  TckTable want = T({{"l"}, {"[1, 2, [3, 4]]"}});
  TckTable shuffled = T({{"l"}, {"[[4, 3], 2, 1]"}});
  EXPECT_TRUE(Cmp(want, shuffled));
  EXPECT_TRUE(Cmp(want, shuffled, true));
  EXPECT_FALSE(Cmp(want, shuffled, false, true));
  EXPECT_FALSE(Cmp(want, shuffled, true, true));
  EXPECT_TRUE(Cmp(want, T({{"l"}, {"[1, 2, [3, 3]]"}}), false, true));
}

TEST(Compare, NodesRelationshipsAndPaths) {
  TckTable want = T({{"n", "r", "p"}, {"(:A {name: 'a'})", "[:T]", "<(:A {name: 'a'})-[:T]->(:B)>"}});
  EXPECT_FALSE(
      Cmp(want, T({{"n", "r", "p"}, {"(:A {name: 'a'})", "[:T]", "<(:A {name: 'a'})-[:T]->(:B)>"}})));
  EXPECT_TRUE(Cmp(want, T({{"n", "r", "p"}, {"(:A {name: 'b'})", "[:T]", "<(:A {name: 'a'})-[:T]->(:B)>"}})));
  EXPECT_TRUE(
      Cmp(want, T({{"n", "r", "p"}, {"(:A {name: 'a'})", "[:T {x: 1}]", "<(:A {name: 'a'})-[:T]->(:B)>"}})));
  EXPECT_TRUE(Cmp(want, T({{"n", "r", "p"}, {"(:A {name: 'a'})", "[:T]", "<(:A {name: 'a'})<-[:T]-(:B)>"}})));
}

TEST(Compare, ResultFromEngine) {
  QueryResult r;
  r.columns = {"n", "count"};
  r.nodes[7] = NodeData{"", {"A"}, {{"name", Value("x")}}, {}, false};
  r.rows.push_back({Value(NodeRef{7}), Value(int64_t{2})});
  r.rows.push_back({Value(NodeRef{7}), Value(3.0)});
  auto actual = TableFromResult(r);
  ASSERT_TRUE(actual.ok()) << actual.status().ToString();
  EXPECT_FALSE(Cmp(T({{"n", "count"}, {"(:A {name: 'x'})", "3.0"}, {"(:A {name: 'x'})", "2"}}), *actual));
  EXPECT_TRUE(Cmp(T({{"n", "count"}, {"(:A {name: 'x'})", "3"}, {"(:A {name: 'x'})", "2"}}), *actual));
  EXPECT_EQ(FormatTable(*actual),
            "| n                | count |\n"
            "| (:A {name: 'x'}) | 2     |\n"
            "| (:A {name: 'x'}) | 3.0   |\n");

  QueryResult none;
  none.rows.push_back({});
  auto empty_row = TableFromResult(none);
  ASSERT_TRUE(empty_row.ok());
  EXPECT_EQ(FormatTable(*empty_row), "(no columns, 1 row)\n");
  EXPECT_EQ(FormatRow(empty_row->rows[0]), "(a row of no columns)");
  EXPECT_TRUE(Cmp(T({{}}), *empty_row));

  r.rows.push_back({Value(1)});  // a short row
  EXPECT_FALSE(TableFromResult(r).ok());
}

TEST(Compare, BadExpectedCell) {
  DataTable d;
  d.rows = {{"x"}, {"(:A"}};
  d.line = 10;
  auto t = ParseExpectedTable(d);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("line 11"), std::string::npos) << t.status().message();
}

}  // namespace
}  // namespace lodestone::tck
