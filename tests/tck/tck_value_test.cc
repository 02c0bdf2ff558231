#include "tests/tck/tck_value.h"

#include <cmath>

#include <gtest/gtest.h>

#include "query/database.h"

namespace lodestone::tck {
namespace {

TckValue P(const std::string& text) {
  auto v = ParseTckValue(text);
  EXPECT_TRUE(v.ok()) << text << ": " << v.status().ToString();
  return v.ok() ? std::move(v).value() : TckValue::String("<parse error>");
}

std::string F(const std::string& text, bool sort_lists = false) {
  return FormatTckValue(P(text), sort_lists);
}

TEST(TckValue, Scalars) {
  EXPECT_EQ(P("null").kind, TckValue::Kind::kNull);
  EXPECT_EQ(P("true").kind, TckValue::Kind::kBool);
  EXPECT_TRUE(P("true").b);
  EXPECT_FALSE(P("false").b);
  EXPECT_EQ(P("42").kind, TckValue::Kind::kInt);
  EXPECT_EQ(P("42").i, 42);
  EXPECT_EQ(P("-7").i, -7);
  EXPECT_EQ(P("9223372036854775807").i, INT64_MAX);
  EXPECT_EQ(P("-9223372036854775808").i, INT64_MIN);
  EXPECT_FALSE(ParseTckValue("9223372036854775808").ok());
  EXPECT_FALSE(ParseTckValue("-9223372036854775809").ok());
}

TEST(TckValue, Floats) {
  EXPECT_EQ(P("1.0").kind, TckValue::Kind::kFloat);
  EXPECT_EQ(P("1.0").f, 1.0);
  EXPECT_EQ(P("-0.5").f, -0.5);
  EXPECT_EQ(P(".5").f, 0.5);
  EXPECT_EQ(P("-.5").f, -0.5);
  EXPECT_EQ(P("1e10").kind, TckValue::Kind::kFloat);
  EXPECT_EQ(P("1e10").f, 1e10);
  EXPECT_EQ(P("1E-3").f, 1e-3);
  EXPECT_EQ(P("1.5e+2").f, 150.0);
  EXPECT_EQ(P("-1.2635418652381264e305").f, -1.2635418652381264e305);
  EXPECT_EQ(P("1e-305").f, 1e-305);
  EXPECT_TRUE(std::isnan(P("NaN").f));
  EXPECT_EQ(P("Inf").f, INFINITY);
  EXPECT_EQ(P("Infinity").f, INFINITY);
  EXPECT_EQ(P("-Inf").f, -INFINITY);
  EXPECT_EQ(P("-Infinity").f, -INFINITY);
  EXPECT_FALSE(ParseTckValue("1.").ok());
  EXPECT_FALSE(ParseTckValue("1e").ok());
  EXPECT_FALSE(ParseTckValue("12abc").ok());
  EXPECT_FALSE(ParseTckValue("-").ok());
}

TEST(TckValue, Strings) {
  EXPECT_EQ(P("'abc'").s, "abc");
  EXPECT_EQ(P("''").s, "");
  EXPECT_EQ(P("\"dq\"").s, "dq");
  EXPECT_EQ(P(R"('it\'s')").s, "it's");
  EXPECT_EQ(P(R"('a\\b')").s, "a\\b");
  EXPECT_EQ(P(R"('\n\t\r\"\/')").s, "\n\t\r\"/");
  EXPECT_EQ(P(R"('\u00e9\ud83e\uddd0')").s, "\xC3\xA9\xF0\x9F\xA7\x90");
  EXPECT_EQ(P("'🧐🍌❖⋙⚐'").s, "🧐🍌❖⋙⚐");
  EXPECT_EQ(P("'a | b'").s, "a | b");
  // The suite's Literals6 [5]: after Gherkin's cell unescaping.
  EXPECT_EQ(P(R"('a\\bcn5t\'"\\//\\"\'')").s, R"(a\bcn5t'"\//\"')");
  EXPECT_FALSE(ParseTckValue("'open").ok());
  EXPECT_FALSE(ParseTckValue(R"('\q')").ok());
}

TEST(TckValue, ListsAndMaps) {
  TckValue l = P("[1, 'a', [2.0, null], {k: true}]");
  ASSERT_EQ(l.kind, TckValue::Kind::kList);
  ASSERT_EQ(l.items.size(), 4u);
  EXPECT_EQ(l.items[2].items[0].kind, TckValue::Kind::kFloat);
  EXPECT_EQ(P("[]").items.size(), 0u);
  EXPECT_EQ(P("[ ]").kind, TckValue::Kind::kList);

  TckValue m = P("{b: 1, a: 'x', `odd key`: [], 'quoted': null, ``: 0}");
  ASSERT_EQ(m.kind, TckValue::Kind::kMap);
  ASSERT_EQ(m.entries.size(), 5u);
  EXPECT_EQ(m.entries[0].first, "");  // sorted by key
  EXPECT_EQ(m.entries[1].first, "a");
  EXPECT_EQ(m.entries[3].first, "odd key");
  EXPECT_EQ(F("{b: 1, a: 'x', `odd key`: []}"), "{a: 'x', b: 1, `odd key`: []}");
  EXPECT_EQ(P("{}").entries.size(), 0u);
  EXPECT_FALSE(ParseTckValue("{a: 1, a: 2}").ok());
  EXPECT_FALSE(ParseTckValue("[1, 2").ok());
  EXPECT_FALSE(ParseTckValue("[1 2]").ok());
  EXPECT_FALSE(ParseTckValue("1 2").ok());
}

TEST(TckValue, NodesRelationshipsPaths) {
  TckValue n = P("(:B:A {name: 'n', num: 1})");
  ASSERT_EQ(n.kind, TckValue::Kind::kNode);
  EXPECT_EQ(n.labels, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(n.entries.size(), 2u);
  EXPECT_EQ(F("()"), "()");
  EXPECT_EQ(F("({k: 1})"), "({k: 1})");
  EXPECT_EQ(F("(:L)"), "(:L)");
  EXPECT_EQ(F("(:`a b`:X)"), "(:X:`a b`)");

  TckValue r = P("[:T {w: 2}]");
  ASSERT_EQ(r.kind, TckValue::Kind::kRel);
  EXPECT_EQ(r.s, "T");
  EXPECT_EQ(F("[:T]"), "[:T]");

  TckValue p = P("<(:A)-[:T]->(:B)<-[:U {x: 1}]-(:C)>");
  ASSERT_EQ(p.kind, TckValue::Kind::kPath);
  ASSERT_EQ(p.items.size(), 5u);
  EXPECT_EQ(p.forward, (std::vector<bool>{true, false}));
  EXPECT_EQ(FormatTckValue(p), "<(:A)-[:T]->(:B)<-[:U {x: 1}]-(:C)>");
  EXPECT_EQ(F("<()>"), "<()>");
  EXPECT_EQ(F("[<(:A)-[:T]->(:B)>]"), "[<(:A)-[:T]->(:B)>]");
  EXPECT_FALSE(ParseTckValue("<(:A)-[:T]-(:B)>").ok());
  EXPECT_FALSE(ParseTckValue("<(:A)-[:T]->>").ok());
  EXPECT_FALSE(ParseTckValue("(:A").ok());
}

TEST(TckValue, FormatRoundTrips) {
  for (const char* text : {"null", "true", "-3", "1.0", "0.1", "-1.2635418652381264e305", "NaN", "-Inf",
                           "'it\\'s\\n'", "[1, [2, 'x']]", "{a: {b: [null]}}", "(:A:B {k: 'v'})",
                           "[:REL {w: 1.5}]", "<(:A)<-[:T]-({n: 1})-[:U]->()>", "{`a b`: 1}"}) {
    TckValue v = P(text);
    std::string once = FormatTckValue(v);
    EXPECT_EQ(FormatTckValue(P(once)), once) << text;
  }
}

TEST(TckValue, Equality) {
  EXPECT_FALSE(TckEqual(P("1"), P("1.0")));  // integers and floats are distinct
  EXPECT_TRUE(TckEqual(P("1.0"), P("1.00")));
  EXPECT_TRUE(TckEqual(P("1e10"), P("10000000000.0")));
  EXPECT_TRUE(TckEqual(P("NaN"), P("NaN")));
  EXPECT_TRUE(TckEqual(P("-0.0"), P("0.0")));
  EXPECT_FALSE(TckEqual(P("'1'"), P("1")));
  EXPECT_FALSE(TckEqual(P("null"), P("'null'")));
  EXPECT_FALSE(TckEqual(P("[1, 2]"), P("[2, 1]")));
  EXPECT_TRUE(TckEqual(P("[1, 2]"), P("[2, 1]"), /*ignore_list_order=*/true));
  EXPECT_FALSE(TckEqual(P("[1, 1, 2]"), P("[1, 2, 2]"), true));
  EXPECT_TRUE(TckEqual(P("{a: [[2, 1], [3]]}"), P("{a: [[3], [1, 2]]}"), true));
  EXPECT_TRUE(TckEqual(P("(:A:B {x: 1, y: 2})"), P("(:B:A {y: 2, x: 1})")));
  EXPECT_FALSE(TckEqual(P("(:A)"), P("(:A {x: 1})")));
  EXPECT_FALSE(TckEqual(P("(:A)"), P("(:A:B)")));
  EXPECT_FALSE(TckEqual(P("[:T]"), P("[:U]")));
  EXPECT_FALSE(TckEqual(P("<(:A)-[:T]->(:B)>"), P("<(:A)<-[:T]-(:B)>")));
  EXPECT_FALSE(TckEqual(P("<(:A)-[:T]->(:B)>"), P("<(:B)<-[:T]-(:A)>")));
  EXPECT_FALSE(TckEqual(P("'a'"), P("'a '")));
}

QueryResult SampleResult() {
  QueryResult r;
  r.nodes[1] = NodeData{"", {"B", "A"}, {{"name", Value("a")}, {"n", Value(int64_t{1})}}, {}, false};
  r.nodes[2] = NodeData{"", {}, {}, {}, false};
  r.nodes[3] = NodeData{"", {"C"}, {{"d", Value(*Date::FromYmd(1984, 10, 11))}}, {}, false};
  r.relationships[10] = RelData{"T", 1, 2, "", {{"w", Value(1.5)}}, {}, false};
  r.relationships[11] = RelData{"U", 3, 2, "", {}, {}, false};
  return r;
}

TEST(TckValue, FromEngineValues) {
  const QueryResult r = SampleResult();
  auto fmt = [&](const Value& v) {
    auto t = FromEngineValue(v, r);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? FormatTckValue(*t) : std::string();
  };
  EXPECT_EQ(fmt(Value()), "null");
  EXPECT_EQ(fmt(Value(int64_t{3})), "3");
  EXPECT_EQ(fmt(Value(3.0)), "3.0");
  EXPECT_EQ(fmt(Value("x")), "'x'");
  EXPECT_EQ(fmt(Value(ValueList{Value(1), Value("a")})), "[1, 'a']");
  EXPECT_EQ(fmt(Value(ValueMap{{"k", Value(true)}})), "{k: true}");
  EXPECT_EQ(fmt(Value(*Date::FromYmd(1984, 10, 11))), "'1984-10-11'");
  EXPECT_EQ(fmt(Value(NodeRef{1})), "(:A:B {n: 1, name: 'a'})");
  EXPECT_EQ(fmt(Value(NodeRef{3})), "(:C {d: '1984-10-11'})");
  EXPECT_EQ(fmt(Value(RelRef{10, 1, 2, 0})), "[:T {w: 1.5}]");
  PathValue p;
  p.nodes = {NodeRef{1}, NodeRef{2}, NodeRef{3}};
  p.rels = {RelRef{10, 1, 2, 0}, RelRef{11, 3, 2, 0}};
  EXPECT_EQ(fmt(Value(p)), "<(:A:B {n: 1, name: 'a'})-[:T {w: 1.5}]->()<-[:U]-(:C {d: '1984-10-11'})>");
  EXPECT_TRUE(TckEqual(*FromEngineValue(Value(p), r),
                       P("<(:B:A {name: 'a', n: 1})-[:T {w: 1.5}]->()<-[:U]-(:C {d: '1984-10-11'})>")));

  EXPECT_FALSE(FromEngineValue(Value(NodeRef{99}), r).ok());
  EXPECT_FALSE(FromEngineValue(Value(RelRef{99, 1, 2, 0}), r).ok());
  PathValue bad;
  bad.nodes = {NodeRef{1}, NodeRef{3}};
  bad.rels = {RelRef{10, 1, 2, 0}};
  EXPECT_FALSE(FromEngineValue(Value(bad), r).ok());
}

TEST(TckValue, ToEngineValues) {
  auto v = ToEngineValue(P("{a: [1, 2.5, 'x', null, true]}"));
  ASSERT_TRUE(v.ok());
  ASSERT_TRUE(v->is_map());
  const ValueList& l = v->as_map().at("a").as_list();
  EXPECT_TRUE(l[0].is_int());
  EXPECT_TRUE(l[1].is_float());
  EXPECT_TRUE(l[2].is_string());
  EXPECT_TRUE(l[3].is_null());
  EXPECT_TRUE(l[4].is_bool());
  EXPECT_FALSE(ToEngineValue(P("(:A)")).ok());
}

}  // namespace
}  // namespace lodestone::tck
