// Round trips: statement text -> AST, compared as S-expressions (query/ast/printer.h), plus the parts of
// the AST that the printer does not show (locations, projection text, decoded literal values).

#include "query/parser/parser.h"

#include <gtest/gtest.h>

#include <string>

#include "query/ast/ast.h"

namespace lodestone::query {
namespace {

std::string Parse(std::string_view text) {
  ParseResult result = ParseStatement(text);
  if (!result.ok()) return "ERROR: " + result.error->formatted;
  return ast::ToString(*result.statement);
}

struct Case {
  const char* text;
  const char* expected;
};

// Every construct of the language, each at least once.
const Case kCases[] = {
#include "parser_cases.inc"
};

TEST(ParserTest, RoundTrips) {
  for (const Case& c : kCases) {
    EXPECT_EQ(Parse(c.text), c.expected) << "for: " << c.text;
  }
}

// Keywords are case-insensitive; names keep their case.
TEST(ParserTest, KeywordsAreCaseInsensitive) {
  EXPECT_EQ(Parse("mAtCh (N:Person) ReTuRn N"), "(query (match (path (node N :Person))) (return N))");
  EXPECT_EQ(Parse("match (n) where n.x is not null return distinct n order by n.x desc"),
            "(query (match (path (node n)) :where (is-not-null (. n x))) (return :distinct n :order-by (desc (. n x))))");
}

TEST(ParserTest, TimeClausesAttachToTheirMatch) {
  ParseResult r = ParseStatement(
      "KNOWN AT datetime('2026-01-10T12:00:00Z')\n"
      "MATCH (a:Actor)-[:IMPOSED]->(c:Control) VALID AT date('2025-10')\n"
      "OPTIONAL MATCH (c)<-[:AFFECTS]-(e:Event) VALID DURING date('2025-04'), date('2026-Q1') WHERE e.kind = 'suspension'\n"
      "RETURN a.name, c.name, e.title");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  const ast::Statement& s = *r.statement;
  ASSERT_NE(s.known_at, nullptr);
  EXPECT_EQ(ast::ToString(*s.known_at), "(call datetime \"2026-01-10T12:00:00Z\")");
  EXPECT_EQ(s.known_at_location.line, 1u);
  EXPECT_EQ(s.known_at_location.column, 1u);
  const auto& clauses = s.query->parts[0].clauses;
  ASSERT_EQ(clauses.size(), 3u);
  const auto& first = clauses[0]->As<ast::MatchClause>();
  ASSERT_TRUE(first.valid_time.has_value());
  EXPECT_EQ(first.valid_time->kind, ast::ValidTime::Kind::kAt);
  EXPECT_EQ(ast::ToString(*first.valid_time->at), "(call date \"2025-10\")");
  EXPECT_EQ(first.valid_time->location.line, 2u);
  EXPECT_EQ(first.valid_time->location.column, 41u);
  EXPECT_EQ(first.where, nullptr);
  const auto& second = clauses[1]->As<ast::MatchClause>();
  EXPECT_TRUE(second.optional);
  ASSERT_TRUE(second.valid_time.has_value());
  EXPECT_EQ(second.valid_time->kind, ast::ValidTime::Kind::kDuring);
  EXPECT_EQ(ast::ToString(*second.valid_time->from), "(call date \"2025-04\")");
  EXPECT_EQ(ast::ToString(*second.valid_time->to), "(call date \"2026-Q1\")");
  ASSERT_NE(second.where, nullptr);
}

TEST(ParserTest, LocationsAreOneBasedAndCountCodePoints) {
  ParseResult r = ParseStatement("MATCH (n)\n  WHERE n.name = 'Zürich' AND n.x = 1\nRETURN n.name");
  ASSERT_TRUE(r.ok());
  const auto& match = r.statement->query->parts[0].clauses[0]->As<ast::MatchClause>();
  EXPECT_EQ(match.location().line, 1u);
  EXPECT_EQ(match.location().column, 1u);
  EXPECT_EQ(match.pattern[0].nodes[0].location.column, 7u);
  EXPECT_EQ(match.pattern[0].nodes[0].variable_location.column, 8u);
  const auto& where = match.where->As<ast::LogicalExpr>();
  EXPECT_EQ(where.location().line, 2u);
  EXPECT_EQ(where.location().column, 9u);
  // The second operand starts after 'Zürich': columns count the ü once, offsets count its two bytes.
  const ast::SourceLocation second = where.operands[1]->location();
  EXPECT_EQ(second.line, 2u);
  EXPECT_EQ(second.column, 31u);
  EXPECT_EQ(second.offset, 10u + 31u);  // "MATCH (n)\n" is 10 bytes, then 30 characters in 31 bytes
  EXPECT_EQ(second.length, 7u);         // "n.x = 1"
  const auto& ret = r.statement->query->parts[0].clauses[1]->As<ast::ReturnClause>();
  EXPECT_EQ(ret.location().line, 3u);
  EXPECT_EQ(r.statement->location.offset, 0u);
  EXPECT_EQ(r.statement->text, "MATCH (n)\n  WHERE n.name = 'Zürich' AND n.x = 1\nRETURN n.name");
}

TEST(ParserTest, ProjectionItemsKeepTheirSourceText) {
  ParseResult r = ParseStatement("MATCH (n) RETURN n.name, count( * ), n.x /* c */ + 1 AS y, `a b`");
  ASSERT_TRUE(r.ok());
  const auto& items = r.statement->query->parts[0].clauses[1]->As<ast::ReturnClause>().body.items;
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].text, "n.name");
  EXPECT_FALSE(items[0].has_alias());
  EXPECT_EQ(items[1].text, "count( * )");
  EXPECT_EQ(items[2].text, "n.x /* c */ + 1");
  EXPECT_EQ(items[2].alias, "y");
  EXPECT_EQ(items[3].text, "`a b`");
}

TEST(ParserTest, LiteralValues) {
  ParseResult r = ParseStatement(
      "RETURN 'a\\'b\\u00e9\\U0001F600', -9223372036854775808, 9223372036854775807, 0x7FFFFFFFFFFFFFFF, "
      "-0x8000000000000000, 0o777, 1e-400, true, null");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  const auto& items = r.statement->query->parts[0].clauses[0]->As<ast::ReturnClause>().body.items;
  auto value = [&](size_t i) { return items[i].expression->As<ast::LiteralExpr>().value; };
  EXPECT_EQ(std::get<std::string>(value(0)), "a'b\xC3\xA9\xF0\x9F\x98\x80");
  EXPECT_EQ(std::get<int64_t>(value(1)), INT64_MIN);
  EXPECT_EQ(std::get<int64_t>(value(2)), INT64_MAX);
  EXPECT_EQ(std::get<int64_t>(value(3)), INT64_MAX);
  EXPECT_EQ(std::get<int64_t>(value(4)), INT64_MIN);
  EXPECT_EQ(std::get<int64_t>(value(5)), 511);
  EXPECT_EQ(std::get<double>(value(6)), 0.0);
  EXPECT_EQ(std::get<bool>(value(7)), true);
  EXPECT_TRUE(items[8].expression->As<ast::LiteralExpr>().is_null());
}

TEST(ParserTest, VariableLengthBounds) {
  ParseResult r = ParseStatement("MATCH ()-[*]->(), ()-[*3]->(), ()-[*1..2]->(), ()-[*..4]->(), ()-[*5..]->() RETURN 1");
  ASSERT_TRUE(r.ok());
  const auto& parts = r.statement->query->parts[0].clauses[0]->As<ast::MatchClause>().pattern;
  auto bounds = [&](size_t i) { return *parts[i].relationships[0].length; };
  EXPECT_FALSE(bounds(0).min.has_value());
  EXPECT_FALSE(bounds(0).max.has_value());
  EXPECT_EQ(bounds(1).min, 3);
  EXPECT_EQ(bounds(1).max, 3);
  EXPECT_EQ(bounds(2).min, 1);
  EXPECT_EQ(bounds(2).max, 2);
  EXPECT_FALSE(bounds(3).min.has_value());
  EXPECT_EQ(bounds(3).max, 4);
  EXPECT_EQ(bounds(4).min, 5);
  EXPECT_FALSE(bounds(4).max.has_value());
}

// A number directly followed by letters is one bad token, but a property of $0 is fine.
TEST(ParserTest, NumbersAndPropertyLookups) {
  EXPECT_EQ(Parse("RETURN $0.name, [1, 2][0..1], 1.5"), "(query (return (. $0 name) (slice (list 1 2) 0 1) 1.5))");
  EXPECT_EQ(ParseStatement("RETURN 1.5x").error->code, SyntaxErrorCode::kInvalidNumberLiteral);
  EXPECT_EQ(ParseStatement("RETURN 12abc").error->code, SyntaxErrorCode::kInvalidNumberLiteral);
}

TEST(ParserTest, HeightsAreRecorded) {
  ParseResult r = ParseStatement("RETURN 1 + 2 * 3");
  ASSERT_TRUE(r.ok());
  const ast::Expr& e = *r.statement->query->parts[0].clauses[0]->As<ast::ReturnClause>().body.items[0].expression;
  EXPECT_EQ(e.height(), 3u);
}

TEST(ParserTest, ModesAndSchemaCommands) {
  ParseResult explain = ParseStatement("EXPLAIN MATCH (n) RETURN n");
  ASSERT_TRUE(explain.ok());
  EXPECT_EQ(explain.statement->mode, ast::StatementMode::kExplain);
  ParseResult index = ParseStatement("create index on :Actor(name, iso_code)");
  ASSERT_TRUE(index.ok());
  ASSERT_NE(index.statement->schema, nullptr);
  EXPECT_EQ(index.statement->query, nullptr);
  EXPECT_EQ(index.statement->schema->label, "Actor");
  EXPECT_EQ(index.statement->schema->properties, (std::vector<std::string>{"name", "iso_code"}));
}

// A pattern standing alone as a value is not allowed (it is in WHERE and in exists()).
TEST(ParserTest, PatternExpressionsOnlyAsPredicates) {
  EXPECT_EQ(Parse("MATCH (a) WHERE NOT (a)-->() AND exists((a)<--()) RETURN a"),
            "(query (match (path (node a)) :where (and (not (pattern (path (node a) (rel ->) (node)))) (call exists "
            "(pattern (path (node a) (rel <-) (node)))))) (return a))");
  EXPECT_FALSE(ParseStatement("MATCH (a) RETURN (a)-->()").ok());
  EXPECT_FALSE(ParseStatement("MATCH (a) RETURN size((a)-->())").ok());
  EXPECT_FALSE(ParseStatement("MATCH (n) SET n.p = head(nodes(head((n)-[:REL]->()))).foo").ok());
}

}  // namespace
}  // namespace lodestone::query
