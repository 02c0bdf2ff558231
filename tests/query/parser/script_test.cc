// ParseScript: splitting at semicolons that are really statement separators, and locations relative
// to the whole script.

#include <gtest/gtest.h>

#include "query/ast/ast.h"
#include "query/parser/parser.h"

namespace lodestone::query {
namespace {

TEST(ScriptTest, SplitsAtSemicolons) {
  ScriptResult r = ParseScript("MATCH (n) RETURN n; MATCH (m) RETURN m");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  ASSERT_EQ(r.statements.size(), 2u);
  EXPECT_EQ(r.statements[0]->text, "MATCH (n) RETURN n");
  EXPECT_EQ(r.statements[1]->text, "MATCH (m) RETURN m");
  EXPECT_EQ(r.statements[1]->location.line, 1u);
  EXPECT_EQ(r.statements[1]->location.column, 21u);
  EXPECT_EQ(r.statements[1]->location.offset, 20u);
  EXPECT_EQ(r.statements[1]->location.length, 18u);
}

TEST(ScriptTest, SemicolonsInsideStringsNamesAndCommentsDoNotSeparate) {
  ScriptResult r = ParseScript(
      "RETURN 'a;b' AS x; RETURN \"c;d\" AS `e;f`;\n"
      "// a comment; still a comment\n"
      "RETURN 1 /* ; */ AS y;");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  ASSERT_EQ(r.statements.size(), 3u);
  EXPECT_EQ(ast::ToString(*r.statements[0]), "(query (return (as \"a;b\" x)))");
  EXPECT_EQ(ast::ToString(*r.statements[1]), "(query (return (as \"c;d\" `e;f`)))");
  EXPECT_EQ(ast::ToString(*r.statements[2]), "(query (return (as 1 y)))");
  EXPECT_EQ(r.statements[2]->location.line, 3u);
  EXPECT_EQ(r.statements[2]->text, "RETURN 1 /* ; */ AS y");
}

TEST(ScriptTest, EmptyStatementsAreSkipped) {
  EXPECT_TRUE(ParseScript("").ok());
  EXPECT_EQ(ParseScript("").statements.size(), 0u);
  ScriptResult r = ParseScript(" ;; /* nothing */ ; RETURN 1 ;;\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.statements.size(), 1u);
  EXPECT_EQ(r.statements[0]->location.column, 21u);
}

TEST(ScriptTest, LocationsInsideLaterStatementsAreScriptRelative) {
  ScriptResult r = ParseScript("CREATE (a:A);\nMATCH (a:A)\nRETURN a.name AS name;");
  ASSERT_TRUE(r.ok());
  const auto& ret = r.statements[1]->query->parts[0].clauses[1]->As<ast::ReturnClause>();
  EXPECT_EQ(ret.location().line, 3u);
  EXPECT_EQ(ret.location().column, 1u);
  EXPECT_EQ(ret.body.items[0].expression->location().line, 3u);
  EXPECT_EQ(ret.body.items[0].expression->location().column, 8u);
  EXPECT_EQ(ret.body.items[0].expression->location().offset, 14u + 12u + 7u);
}

TEST(ScriptTest, StopsAtTheFirstErrorWithAScriptRelativeReport) {
  ScriptResult r = ParseScript("CREATE (a:A {name: 'x'});\nMATCH (a:A)\nWHERE\nRETURN a;\nRETURN 2;");
  ASSERT_FALSE(r.ok());
  ASSERT_EQ(r.statements.size(), 1u);
  EXPECT_EQ(r.error->location.line, 4u);
  EXPECT_EQ(r.error->location.column, 1u);
  EXPECT_EQ(r.error->formatted,
            "syntax error at line 4, column 1: expected an expression after 'WHERE', found 'RETURN'\n"
            "  RETURN a;\n"
            "  ^");
}

TEST(ScriptTest, UnterminatedStringSwallowsTheRest) {
  ScriptResult r = ParseScript("RETURN 1; RETURN 'oops; RETURN 3;");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.statements.size(), 1u);
  EXPECT_EQ(r.error->code, SyntaxErrorCode::kUnterminated);
  EXPECT_EQ(r.error->location.column, 18u);
}

}  // namespace
}  // namespace lodestone::query
