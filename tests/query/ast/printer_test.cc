// The AST without the parser: building nodes by hand, heights, child enumeration, printing.

#include "query/ast/printer.h"

#include <gtest/gtest.h>

#include "query/ast/ast.h"

namespace lodestone::ast {
namespace {

template <typename T, typename... Args>
std::unique_ptr<T> Make(Args&&... args) {
  auto node = std::make_unique<T>(std::forward<Args>(args)...);
  FinishNode(*node);
  return node;
}

TEST(AstTest, BuildPrintAndMeasure) {
  // n.age + 1 > 3
  auto sum = Make<BinaryExpr>(BinaryOp::kAdd, Make<PropertyExpr>(Make<VariableExpr>("n"), "age"),
                              Make<LiteralExpr>(int64_t{1}));
  auto cmp = std::make_unique<ComparisonExpr>();
  cmp->operands.push_back(std::move(sum));
  cmp->operands.push_back(Make<LiteralExpr>(int64_t{3}));
  cmp->ops.push_back(CompareOp::kGt);
  FinishNode(*cmp);
  EXPECT_EQ(ToString(*cmp), "(> (+ (. n age) 1) 3)");
  EXPECT_EQ(cmp->height(), 4u);

  std::vector<std::string> children;
  ForEachChild(*cmp, [&](const Expr& child) { children.push_back(ToString(child)); });
  EXPECT_EQ(children, (std::vector<std::string>{"(+ (. n age) 1)", "3"}));
}

TEST(AstTest, LiteralsAndNamesPrintUnambiguously) {
  EXPECT_EQ(ToString(*Make<LiteralExpr>(std::string("a\"b\\c\n"))), "\"a\\\"b\\\\c\\n\"");
  EXPECT_EQ(ToString(*Make<LiteralExpr>(1.0)), "1.0");
  EXPECT_EQ(ToString(*Make<LiteralExpr>(0.25)), "0.25");
  EXPECT_EQ(ToString(*Make<LiteralExpr>(std::monostate())), "null");
  EXPECT_EQ(ToString(*Make<LiteralExpr>(false)), "false");
  EXPECT_EQ(ToString(*Make<VariableExpr>("my var")), "`my var`");
  EXPECT_EQ(ToString(*Make<VariableExpr>("a`b")), "`a``b`");
  EXPECT_EQ(ToString(*Make<ParameterExpr>("0")), "$0");
}

TEST(AstTest, PatternsAndClauses) {
  auto match = std::make_unique<MatchClause>();
  PatternPart part;
  NodePattern a;
  a.variable = "a";
  a.labels = {"Actor"};
  NodePattern c;
  c.variable = "c";
  RelationshipPattern r;
  r.types = {"IMPOSED"};
  r.direction = Direction::kRight;
  r.length = VariableLength{1, std::nullopt};
  part.nodes.push_back(std::move(a));
  part.nodes.push_back(std::move(c));
  part.relationships.push_back(std::move(r));
  match->pattern.push_back(std::move(part));
  ValidTime valid;
  valid.kind = ValidTime::Kind::kAt;
  auto date = std::make_unique<FunctionCallExpr>();
  date->name = "date";
  date->arguments.push_back(Make<LiteralExpr>(std::string("2025-10")));
  FinishNode(*date);
  valid.at = std::move(date);
  match->valid_time = std::move(valid);
  EXPECT_EQ(ToString(*match),
            "(match (path (node a :Actor) (rel -> :IMPOSED *1..) (node c)) :valid-at (call date \"2025-10\"))");
  size_t expressions = 0;
  ForEachExpression(*match, [&](const Expr&) { ++expressions; });
  EXPECT_EQ(expressions, 1u);
}

TEST(AstTest, KindNames) {
  EXPECT_EQ(ExprKindName(ExprKind::kPatternComprehension), "pattern-comprehension");
  EXPECT_EQ(ClauseKindName(ClauseKind::kMerge), "MERGE");
  EXPECT_EQ(BinaryOpName(BinaryOp::kStartsWith), "starts-with");
}

}  // namespace
}  // namespace lodestone::ast
