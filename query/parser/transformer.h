// Internal to the parser. Turns ANTLR's parse tree of one statement into Lodestone's AST, and checks
// the purely syntactic rules that the grammar leaves open (number ranges, string escapes, where a
// pattern may stand, clause order, what CREATE and MERGE accept). Errors are thrown as ParseFailure.
//
// Split by clause family, one file each: transform_statement.cc (statement, query, clause order),
// transform_clause.cc, transform_pattern.cc, transform_expression.cc, transform_literal.cc (numbers,
// strings, names).
//
// Recursion: follows the parse tree, whose depth the token checks bounded (kMaxNestingDepth) before
// parsing; operator chains are built in loops, and every expression's height is checked as it is
// built (kMaxExpressionHeight), so the AST it returns is safe to walk recursively.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "query/ast/ast.h"
#include "query/parser/antlr_support.h"
#include "query/parser/parse_failure.h"

namespace lodestone::query::internal {

class Transformer {
 public:
  explicit Transformer(const TokenLocator& locator) : locator_(locator) {}

  std::unique_ptr<ast::Statement> TransformStatement(LodestoneParser::StatementContext* ctx);

 private:
  using P = LodestoneParser;

  // transform_statement.cc
  std::unique_ptr<ast::Query> TransformQuery(P::QueryContext* ctx, bool in_subquery);
  ast::SingleQuery TransformSingleQuery(P::SingleQueryContext* ctx, bool in_subquery);
  std::unique_ptr<ast::SchemaCommand> TransformSchemaCommand(P::SchemaCommandContext* ctx);

  // transform_clause.cc
  ast::ClausePtr TransformClause(P::ClauseContext* ctx);
  ast::ClausePtr TransformMatch(P::MatchClauseContext* ctx);
  ast::ClausePtr TransformUnwind(P::UnwindClauseContext* ctx);
  ast::ClausePtr TransformWith(P::WithClauseContext* ctx);
  ast::ClausePtr TransformReturn(P::ReturnClauseContext* ctx);
  ast::ClausePtr TransformCreate(P::CreateClauseContext* ctx);
  ast::ClausePtr TransformMerge(P::MergeClauseContext* ctx);
  ast::ClausePtr TransformSet(P::SetClauseContext* ctx);
  ast::ClausePtr TransformRemove(P::RemoveClauseContext* ctx);
  ast::ClausePtr TransformDelete(P::DeleteClauseContext* ctx);
  ast::ClausePtr TransformCall(P::CallClauseContext* ctx);
  ast::ProjectionBody TransformProjectionBody(P::ProjectionBodyContext* ctx);
  std::vector<ast::SetItem> TransformSetItems(P::SetClauseContext* ctx);
  ast::ExprPtr TransformWhere(P::WhereContext* ctx);  // nullable ctx

  // transform_pattern.cc
  std::vector<ast::PatternPart> TransformPattern(P::PatternContext* ctx);
  ast::PatternPart TransformPatternPart(P::PatternPartContext* ctx);
  ast::PatternPart TransformAnonymousPatternPart(P::AnonymousPatternPartContext* ctx);
  ast::PatternPart TransformShortestPath(P::ShortestPathPatternContext* ctx);
  void TransformPatternElement(P::PatternElementContext* ctx, ast::PatternPart& part);
  ast::PatternPart TransformRelationshipsPattern(P::RelationshipsPatternContext* ctx);
  ast::NodePattern TransformNodePattern(P::NodePatternContext* ctx);
  ast::RelationshipPattern TransformRelationshipPattern(P::RelationshipPatternContext* ctx);
  ast::ExprPtr TransformProperties(P::PropertiesContext* ctx);          // nullable ctx
  std::vector<std::string> TransformLabels(P::NodeLabelsContext* ctx);  // nullable ctx
  // CREATE and MERGE: one type, a direction, no variable length; MATCH and MERGE: no parameter maps.
  void CheckCreatable(const ast::PatternPart& part, const char* clause);
  void CheckNoParameterMaps(const ast::PatternPart& part, const char* clause);

  // transform_expression.cc
  ast::ExprPtr TransformExpression(P::ExpressionContext* ctx);
  ast::ExprPtr TransformOr(P::OrExpressionContext* ctx);
  ast::ExprPtr TransformXor(P::XorExpressionContext* ctx);
  ast::ExprPtr TransformAnd(P::AndExpressionContext* ctx);
  ast::ExprPtr TransformNot(P::NotExpressionContext* ctx);
  ast::ExprPtr TransformComparison(P::ComparisonExpressionContext* ctx);
  ast::ExprPtr TransformPredicate(P::PredicateExpressionContext* ctx);
  ast::ExprPtr TransformAdd(P::AddExpressionContext* ctx);
  ast::ExprPtr TransformMultiply(P::MultiplyExpressionContext* ctx);
  ast::ExprPtr TransformPower(P::PowerExpressionContext* ctx);
  ast::ExprPtr TransformUnary(P::UnaryExpressionContext* ctx);
  ast::ExprPtr TransformPostfix(P::PostfixExpressionContext* ctx);
  ast::ExprPtr TransformPropertyExpression(P::PropertyExpressionContext* ctx);
  ast::ExprPtr TransformAtom(P::AtomContext* ctx);
  ast::ExprPtr TransformFunction(P::FunctionInvocationContext* ctx);
  ast::ExprPtr TransformCase(P::CaseExpressionContext* ctx);
  ast::ExprPtr TransformListComprehension(P::ListComprehensionContext* ctx);
  ast::ExprPtr TransformPatternComprehension(P::PatternComprehensionContext* ctx);
  ast::ExprPtr TransformQuantifier(P::QuantifierContext* ctx);
  ast::ExprPtr TransformReduce(P::ReduceExpressionContext* ctx);
  ast::ExprPtr TransformExists(P::ExistsSubqueryContext* ctx);
  ast::ExprPtr TransformMapProjection(P::MapProjectionContext* ctx);
  ast::ExprPtr TransformParameter(P::ParameterContext* ctx);

  // transform_literal.cc
  ast::ExprPtr TransformLiteral(P::LiteralContext* ctx);
  ast::ExprPtr TransformNumber(P::NumberLiteralContext* ctx, bool negated);
  ast::ExprPtr TransformMap(P::MapLiteralContext* ctx);
  int64_t ParseInteger(antlr4::Token* token, bool negated);
  std::string DecodeString(antlr4::Token* token);
  std::string Name(P::SymbolicNameContext* ctx);
  std::string Name(P::SchemaNameContext* ctx);
  std::string Name(P::VariableContext* ctx) { return Name(ctx->symbolicName()); }
  std::string Name(P::LabelNameContext* ctx) { return Name(ctx->schemaName()); }
  std::string Name(P::RelTypeNameContext* ctx) { return Name(ctx->schemaName()); }
  std::string Name(P::PropertyKeyNameContext* ctx) { return Name(ctx->schemaName()); }

  // Helpers.
  ast::SourceLocation Loc(antlr4::ParserRuleContext* ctx) const { return locator_.Of(ctx); }
  ast::SourceLocation Loc(antlr4::Token* token) const { return locator_.At(token); }
  ast::SourceLocation Loc(antlr4::tree::TerminalNode* node) const { return locator_.At(node->getSymbol()); }
  // Sets the height of a freshly built node and enforces kMaxExpressionHeight.
  template <typename T>
  std::unique_ptr<T> Finish(std::unique_ptr<T> expr) {
    FinishExpr(*expr);
    return expr;
  }
  void FinishExpr(ast::Expr& expr);

  const TokenLocator& locator_;
  // > 0 while transforming a WHERE predicate or an exists() argument: the places where a bare
  // pattern such as (a)-[:T]->() may stand as an expression.
  int pattern_predicate_allowed_ = 0;
};

}  // namespace lodestone::query::internal
