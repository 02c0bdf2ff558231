// Input that is too big or too deep must give an error, never a crash or a stack overflow: the
// promises of query/limits.h.

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>

#include "query/ast/ast.h"
#include "query/limits.h"
#include "query/parser/parser.h"

namespace lodestone::query {
namespace {

std::string Repeat(std::string_view piece, size_t n) {
  std::string out;
  out.reserve(piece.size() * n);
  for (size_t i = 0; i < n; ++i) out += piece;
  return out;
}

void ExpectLimit(const std::string& text, uint32_t column) {
  ParseResult r = ParseStatement(text);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, SyntaxErrorCode::kLimitExceeded) << r.error->message;
  EXPECT_EQ(r.error->location.column, column) << r.error->message;
}

TEST(LimitsTest, HundredThousandOpenParentheses) {
  // Refused at the first bracket beyond the limit, before the recursive parser sees any of it.
  ExpectLimit("RETURN " + Repeat("(", 100000), 8 + kMaxNestingDepth);
  ExpectLimit("RETURN " + Repeat("(", 100000) + "1" + Repeat(")", 100000), 8 + kMaxNestingDepth);
  ExpectLimit("RETURN " + Repeat("[", 100000), 8 + kMaxNestingDepth);
  ExpectLimit("RETURN " + Repeat("{a:", 100000), 8 + 3 * kMaxNestingDepth);
  ExpectLimit("RETURN " + Repeat("CASE WHEN ", 100000), 8 + 10 * kMaxNestingDepth);
  ExpectLimit("MATCH " + Repeat("(", 100000), 7 + kMaxNestingDepth);
}

TEST(LimitsTest, NestingUpToTheLimitParses) {
  const int n = kMaxNestingDepth;
  ParseResult r = ParseStatement("RETURN " + Repeat("(", n) + "1" + Repeat(")", n));
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  EXPECT_EQ(ast::ToString(*r.statement), "(query (return 1))");
  ParseResult lists = ParseStatement("RETURN " + Repeat("[", n) + Repeat("]", n));
  ASSERT_TRUE(lists.ok()) << lists.error->formatted;
}

// The deepest statement the limits allow, parsed on a thread with a small stack: what the comment on
// kMaxNestingDepth promises to code that runs queries on its own threads.
// Nested EXISTS blocks cost the most stack per bracket (a whole query grammar per level).
void* ParseDeepest(void* out) {
  const int n = kMaxNestingDepth / 2;
  const std::string calls = "RETURN " + Repeat("f([", n) + "1" + Repeat("])", n);
  const int m = kMaxNestingDepth - 1;
  const std::string exists =
      "MATCH (n) WHERE " + Repeat("EXISTS { MATCH (n) WHERE ", m) + "true" + Repeat(" }", m) + " RETURN n";
  *static_cast<bool*>(out) = ParseStatement(calls).ok() && ParseStatement(exists).ok();
  return nullptr;
}

TEST(LimitsTest, DeepestStatementFitsInASmallStack) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kParserStackBytes);
  pthread_t thread;
  bool ok = false;
  ASSERT_EQ(pthread_create(&thread, &attr, ParseDeepest, &ok), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  EXPECT_TRUE(ok);
}

TEST(LimitsTest, FiftyThousandTermChainIsRefusedNotCrashed) {
  ParseResult r = ParseStatement("RETURN 1" + Repeat(" + 1", 50000));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, SyntaxErrorCode::kLimitExceeded);
  EXPECT_NE(r.error->message.find("nests more than 1000 levels"), std::string::npos) << r.error->message;
  for (const char* op : {" * 2", " - x", " ^ 1", " IS NULL", ".p", "[0]", " STARTS WITH 'a'"}) {
    EXPECT_EQ(ParseStatement("RETURN x" + Repeat(op, 50000)).error->code, SyntaxErrorCode::kLimitExceeded) << op;
  }
  EXPECT_EQ(ParseStatement("RETURN " + Repeat("NOT ", 50000) + "x").error->code, SyntaxErrorCode::kLimitExceeded);
  EXPECT_EQ(ParseStatement("RETURN " + Repeat("- ", 50000) + "x").error->code, SyntaxErrorCode::kLimitExceeded);
}

TEST(LimitsTest, LongChainsWithinTheLimitParse) {
  ParseResult r = ParseStatement("RETURN 1" + Repeat(" + 1", 900));
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  EXPECT_EQ(r.statement->query->parts[0].clauses[0]->As<ast::ReturnClause>().body.items[0].expression->height(), 901u);
}

TEST(LimitsTest, FlatConstructsHaveNoDepthLimit) {
  // AND/OR runs are one node; list elements are siblings.
  ParseResult conjunction = ParseStatement("MATCH (n) WHERE n.x = 0" + Repeat(" OR n.x = 1", 50000) + " RETURN n");
  ASSERT_TRUE(conjunction.ok()) << conjunction.error->formatted;
  ParseResult list = ParseStatement("RETURN [0" + Repeat(", 1", 50000) + "]");
  ASSERT_TRUE(list.ok()) << list.error->formatted;
}

TEST(LimitsTest, OversizedStatementAndScript) {
  const std::string big = "RETURN '" + std::string(kMaxStatementBytes, 'x') + "'";
  ParseResult r = ParseStatement(big);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->code, SyntaxErrorCode::kLimitExceeded);
  EXPECT_EQ(r.error->message.rfind("the statement is too long: ", 0), 0u) << r.error->message;

  ScriptResult s = ParseScript("RETURN 1; " + big + "; RETURN 2");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error->code, SyntaxErrorCode::kLimitExceeded);
  EXPECT_EQ(s.error->location.column, 11u);
  EXPECT_EQ(s.statements.size(), 1u);
}

}  // namespace
}  // namespace lodestone::query
