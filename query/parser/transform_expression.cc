// Expressions. Operator chains (a + b - c, NOT NOT x, a.b.c, x IS NULL IS NULL) are built in loops so
// that their length costs no stack; every node goes through Finish(), which enforces the height limit
// while the tree is still small enough to destroy recursively.

#include <algorithm>

#include "query/limits.h"
#include "query/parser/transformer.h"

namespace lodestone::query::internal {

namespace {

using P = LodestoneParser;

bool IsTerminal(antlr4::tree::ParseTree* node, size_t type) {
  auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(node);
  return terminal != nullptr && terminal->getSymbol()->getType() == type;
}

size_t TerminalType(antlr4::tree::ParseTree* node) {
  return static_cast<antlr4::tree::TerminalNode*>(node)->getSymbol()->getType();
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

void Transformer::FinishExpr(ast::Expr& expr) {
  ast::FinishNode(expr);
  if (expr.height() > kMaxExpressionHeight) {
    Fail(SyntaxErrorCode::kLimitExceeded, expr.location(),
         "this expression nests more than " + std::to_string(kMaxExpressionHeight) +
             " levels deep (each operator in a chain like 1 + 1 + ... adds a level): split it up, or pass "
             "long lists of values as a parameter");
  }
}

ast::ExprPtr Transformer::TransformExpression(P::ExpressionContext* ctx) {
  return TransformOr(ctx->orExpression());
}

ast::ExprPtr Transformer::TransformOr(P::OrExpressionContext* ctx) {
  if (ctx->children.size() == 1) return TransformXor(static_cast<P::XorExpressionContext*>(ctx->children[0]));
  const std::vector<P::XorExpressionContext*> operands = ctx->xorExpression();
  if (operands.size() == 1) return TransformXor(operands[0]);
  auto expr = std::make_unique<ast::LogicalExpr>(ast::LogicalOp::kOr, Loc(ctx));
  for (P::XorExpressionContext* operand : operands) expr->operands.push_back(TransformXor(operand));
  return Finish(std::move(expr));
}

ast::ExprPtr Transformer::TransformXor(P::XorExpressionContext* ctx) {
  if (ctx->children.size() == 1) return TransformAnd(static_cast<P::AndExpressionContext*>(ctx->children[0]));
  const std::vector<P::AndExpressionContext*> operands = ctx->andExpression();
  if (operands.size() == 1) return TransformAnd(operands[0]);
  auto expr = std::make_unique<ast::LogicalExpr>(ast::LogicalOp::kXor, Loc(ctx));
  for (P::AndExpressionContext* operand : operands) expr->operands.push_back(TransformAnd(operand));
  return Finish(std::move(expr));
}

ast::ExprPtr Transformer::TransformAnd(P::AndExpressionContext* ctx) {
  if (ctx->children.size() == 1) return TransformNot(static_cast<P::NotExpressionContext*>(ctx->children[0]));
  const std::vector<P::NotExpressionContext*> operands = ctx->notExpression();
  if (operands.size() == 1) return TransformNot(operands[0]);
  auto expr = std::make_unique<ast::LogicalExpr>(ast::LogicalOp::kAnd, Loc(ctx));
  for (P::NotExpressionContext* operand : operands) expr->operands.push_back(TransformNot(operand));
  return Finish(std::move(expr));
}

ast::ExprPtr Transformer::TransformNot(P::NotExpressionContext* ctx) {
  if (ctx->children.size() == 1) {
    return TransformComparison(static_cast<P::ComparisonExpressionContext*>(ctx->children[0]));
  }
  ast::ExprPtr expr = TransformComparison(ctx->comparisonExpression());
  const std::vector<antlr4::tree::TerminalNode*> nots = ctx->NOT();
  for (size_t i = nots.size(); i-- > 0;) {
    expr = Finish(std::make_unique<ast::UnaryExpr>(ast::UnaryOp::kNot, std::move(expr),
                                                   locator_.Span(nots[i]->getSymbol(), ctx->getStop())));
  }
  return expr;
}

ast::ExprPtr Transformer::TransformComparison(P::ComparisonExpressionContext* ctx) {
  if (ctx->children.size() == 1) {
    return TransformPredicate(static_cast<P::PredicateExpressionContext*>(ctx->children[0]));
  }
  const std::vector<P::PredicateExpressionContext*> operands = ctx->predicateExpression();
  if (operands.size() == 1) return TransformPredicate(operands[0]);
  auto expr = std::make_unique<ast::ComparisonExpr>(Loc(ctx));
  for (P::PredicateExpressionContext* operand : operands)
    expr->operands.push_back(TransformPredicate(operand));
  for (P::ComparisonOperatorContext* op : ctx->comparisonOperator()) {
    switch (op->getStart()->getType()) {
      case P::EQ:
        expr->ops.push_back(ast::CompareOp::kEq);
        break;
      case P::NEQ:
        expr->ops.push_back(ast::CompareOp::kNe);
        break;
      case P::LT:
        expr->ops.push_back(ast::CompareOp::kLt);
        break;
      case P::GT:
        expr->ops.push_back(ast::CompareOp::kGt);
        break;
      case P::LE:
        expr->ops.push_back(ast::CompareOp::kLe);
        break;
      default:
        expr->ops.push_back(ast::CompareOp::kGe);
        break;
    }
  }
  return Finish(std::move(expr));
}

ast::ExprPtr Transformer::TransformPredicate(P::PredicateExpressionContext* ctx) {
  if (ctx->children.size() == 1) return TransformAdd(static_cast<P::AddExpressionContext*>(ctx->children[0]));
  ast::ExprPtr expr = TransformAdd(ctx->addExpression());
  for (P::PredicateSuffixContext* suffix : ctx->predicateSuffix()) {
    const ast::SourceLocation loc = locator_.Span(ctx->getStart(), suffix->getStop());
    if (dynamic_cast<P::IsNullContext*>(suffix)) {
      expr = Finish(std::make_unique<ast::UnaryExpr>(ast::UnaryOp::kIsNull, std::move(expr), loc));
      continue;
    }
    if (dynamic_cast<P::IsNotNullContext*>(suffix)) {
      expr = Finish(std::make_unique<ast::UnaryExpr>(ast::UnaryOp::kIsNotNull, std::move(expr), loc));
      continue;
    }
    ast::BinaryOp op;
    P::AddExpressionContext* right;
    if (auto* c = dynamic_cast<P::StartsWithContext*>(suffix)) {
      op = ast::BinaryOp::kStartsWith, right = c->addExpression();
    } else if (auto* e = dynamic_cast<P::EndsWithContext*>(suffix)) {
      op = ast::BinaryOp::kEndsWith, right = e->addExpression();
    } else if (auto* n = dynamic_cast<P::ContainsContext*>(suffix)) {
      op = ast::BinaryOp::kContains, right = n->addExpression();
    } else if (auto* r = dynamic_cast<P::RegexMatchContext*>(suffix)) {
      op = ast::BinaryOp::kRegexMatch, right = r->addExpression();
    } else {
      op = ast::BinaryOp::kIn, right = static_cast<P::InListContext*>(suffix)->addExpression();
    }
    expr = Finish(std::make_unique<ast::BinaryExpr>(op, std::move(expr), TransformAdd(right), loc));
  }
  return expr;
}

ast::ExprPtr Transformer::TransformAdd(P::AddExpressionContext* ctx) {
  if (ctx->children.size() == 1) {
    return TransformMultiply(static_cast<P::MultiplyExpressionContext*>(ctx->children[0]));
  }
  const std::vector<P::MultiplyExpressionContext*> operands = ctx->multiplyExpression();
  ast::ExprPtr expr = TransformMultiply(operands[0]);
  size_t next = 1;
  for (antlr4::tree::ParseTree* child : ctx->children) {
    if (!IsTerminal(child, P::PLUS) && !IsTerminal(child, P::MINUS)) continue;
    const ast::BinaryOp op = TerminalType(child) == P::PLUS ? ast::BinaryOp::kAdd : ast::BinaryOp::kSubtract;
    P::MultiplyExpressionContext* right = operands[next++];
    expr = Finish(std::make_unique<ast::BinaryExpr>(op, std::move(expr), TransformMultiply(right),
                                                    locator_.Span(ctx->getStart(), right->getStop())));
  }
  return expr;
}

ast::ExprPtr Transformer::TransformMultiply(P::MultiplyExpressionContext* ctx) {
  if (ctx->children.size() == 1)
    return TransformPower(static_cast<P::PowerExpressionContext*>(ctx->children[0]));
  const std::vector<P::PowerExpressionContext*> operands = ctx->powerExpression();
  ast::ExprPtr expr = TransformPower(operands[0]);
  size_t next = 1;
  for (antlr4::tree::ParseTree* child : ctx->children) {
    ast::BinaryOp op;
    if (IsTerminal(child, P::STAR)) {
      op = ast::BinaryOp::kMultiply;
    } else if (IsTerminal(child, P::SLASH)) {
      op = ast::BinaryOp::kDivide;
    } else if (IsTerminal(child, P::PERCENT)) {
      op = ast::BinaryOp::kModulo;
    } else {
      continue;
    }
    P::PowerExpressionContext* right = operands[next++];
    expr = Finish(std::make_unique<ast::BinaryExpr>(op, std::move(expr), TransformPower(right),
                                                    locator_.Span(ctx->getStart(), right->getStop())));
  }
  return expr;
}

ast::ExprPtr Transformer::TransformPower(P::PowerExpressionContext* ctx) {
  if (ctx->children.size() == 1)
    return TransformUnary(static_cast<P::UnaryExpressionContext*>(ctx->children[0]));
  const std::vector<P::UnaryExpressionContext*> operands = ctx->unaryExpression();
  ast::ExprPtr expr = TransformUnary(operands[0]);
  for (size_t i = 1; i < operands.size(); ++i) {
    expr = Finish(std::make_unique<ast::BinaryExpr>(ast::BinaryOp::kPower, std::move(expr),
                                                    TransformUnary(operands[i]),
                                                    locator_.Span(ctx->getStart(), operands[i]->getStop())));
  }
  return expr;
}

ast::ExprPtr Transformer::TransformUnary(P::UnaryExpressionContext* ctx) {
  if (ctx->children.size() == 1) {
    return TransformPostfix(static_cast<P::PostfixExpressionContext*>(ctx->children[0]));
  }
  std::vector<antlr4::tree::TerminalNode*> signs;
  for (antlr4::tree::ParseTree* child : ctx->children) {
    if (IsTerminal(child, P::PLUS) || IsTerminal(child, P::MINUS)) {
      signs.push_back(static_cast<antlr4::tree::TerminalNode*>(child));
    }
  }
  P::PostfixExpressionContext* postfix = ctx->postfixExpression();
  ast::ExprPtr expr;
  // -9223372036854775808 is a valid literal although 9223372036854775808 alone is not: fold the minus
  // sign directly before a bare number into the number.
  auto* literal_atom = dynamic_cast<P::LiteralAtomContext*>(postfix->atom());
  if (!signs.empty() && signs.back()->getSymbol()->getType() == P::MINUS && postfix->postfix().empty() &&
      postfix->nodeLabels() == nullptr && literal_atom != nullptr &&
      literal_atom->literal()->numberLiteral()) {
    expr = TransformNumber(literal_atom->literal()->numberLiteral(), /*negated=*/true);
    expr->set_location(locator_.Span(signs.back()->getSymbol(), ctx->getStop()));
    signs.pop_back();
  } else {
    expr = TransformPostfix(postfix);
  }
  for (size_t i = signs.size(); i-- > 0;) {
    const ast::UnaryOp op =
        signs[i]->getSymbol()->getType() == P::MINUS ? ast::UnaryOp::kNegate : ast::UnaryOp::kPlus;
    expr = Finish(std::make_unique<ast::UnaryExpr>(op, std::move(expr),
                                                   locator_.Span(signs[i]->getSymbol(), ctx->getStop())));
  }
  return expr;
}

ast::ExprPtr Transformer::TransformPostfix(P::PostfixExpressionContext* ctx) {
  if (ctx->children.size() == 1) return TransformAtom(static_cast<P::AtomContext*>(ctx->children[0]));
  ast::ExprPtr expr = TransformAtom(ctx->atom());
  for (P::PostfixContext* postfix : ctx->postfix()) {
    const ast::SourceLocation loc = locator_.Span(ctx->getStart(), postfix->getStop());
    if (auto* lookup = dynamic_cast<P::PropertyLookupContext*>(postfix)) {
      expr =
          Finish(std::make_unique<ast::PropertyExpr>(std::move(expr), Name(lookup->propertyKeyName()), loc));
    } else if (auto* subscript = dynamic_cast<P::SubscriptContext*>(postfix)) {
      expr = Finish(std::make_unique<ast::SubscriptExpr>(std::move(expr),
                                                         TransformExpression(subscript->expression()), loc));
    } else {
      auto* slice = static_cast<P::SliceContext*>(postfix);
      ast::ExprPtr from;
      ast::ExprPtr to;
      bool seen_dots = false;
      for (antlr4::tree::ParseTree* child : slice->children) {
        if (IsTerminal(child, P::DOTDOT)) seen_dots = true;
        if (auto* e = dynamic_cast<P::ExpressionContext*>(child))
          (seen_dots ? to : from) = TransformExpression(e);
      }
      expr = Finish(std::make_unique<ast::SliceExpr>(std::move(expr), std::move(from), std::move(to), loc));
    }
  }
  if (P::NodeLabelsContext* labels = ctx->nodeLabels()) {
    expr = Finish(std::make_unique<ast::HasLabelsExpr>(std::move(expr), TransformLabels(labels), Loc(ctx)));
  }
  return expr;
}

ast::ExprPtr Transformer::TransformPropertyExpression(P::PropertyExpressionContext* ctx) {
  ast::ExprPtr expr = TransformAtom(ctx->atom());
  for (P::PropertyKeyNameContext* key : ctx->propertyKeyName()) {
    expr = Finish(std::make_unique<ast::PropertyExpr>(std::move(expr), Name(key),
                                                      locator_.Span(ctx->getStart(), key->getStop())));
  }
  return expr;
}

ast::ExprPtr Transformer::TransformAtom(P::AtomContext* ctx) {
  // Dispatch on the first child rather than on the labelled context's class: one dynamic_cast instead of
  // a chain of them (this function runs for every leaf of every expression).
  auto* first = dynamic_cast<antlr4::ParserRuleContext*>(ctx->children[0]);
  if (first == nullptr) {
    if (IsTerminal(ctx->children[0], P::COUNT)) return Finish(std::make_unique<ast::CountStarExpr>(Loc(ctx)));
    return TransformExpression(static_cast<P::ExpressionContext*>(ctx->children[1]));  // ( expression )
  }
  switch (first->getRuleIndex()) {
    case P::RuleLiteral:
      return TransformLiteral(static_cast<P::LiteralContext*>(first));
    case P::RuleVariable:
      return Finish(
          std::make_unique<ast::VariableExpr>(Name(static_cast<P::VariableContext*>(first)), Loc(ctx)));
    case P::RuleParameter:
      return TransformParameter(static_cast<P::ParameterContext*>(first));
    case P::RuleFunctionInvocation:
      return TransformFunction(static_cast<P::FunctionInvocationContext*>(first));
    case P::RuleCaseExpression:
      return TransformCase(static_cast<P::CaseExpressionContext*>(first));
    case P::RuleListComprehension:
      return TransformListComprehension(static_cast<P::ListComprehensionContext*>(first));
    case P::RulePatternComprehension:
      return TransformPatternComprehension(static_cast<P::PatternComprehensionContext*>(first));
    case P::RuleQuantifier:
      return TransformQuantifier(static_cast<P::QuantifierContext*>(first));
    case P::RuleReduceExpression:
      return TransformReduce(static_cast<P::ReduceExpressionContext*>(first));
    case P::RuleExistsSubquery:
      return TransformExists(static_cast<P::ExistsSubqueryContext*>(first));
    case P::RuleMapProjection:
      return TransformMapProjection(static_cast<P::MapProjectionContext*>(first));
    case P::RuleShortestPathPattern: {
      auto part = std::make_unique<ast::PatternPart>(
          TransformShortestPath(static_cast<P::ShortestPathPatternContext*>(first)));
      return Finish(std::make_unique<ast::PatternExpr>(std::move(part), Loc(ctx)));
    }
    default:
      break;  // relationshipsPattern
  }
  if (pattern_predicate_allowed_ == 0) {
    Fail(SyntaxErrorCode::kUnexpectedPattern, Loc(ctx),
         "a pattern such as " + locator_.Text(ctx) +
             " can only be used as a condition in WHERE or inside exists(...); to collect what it matches "
             "use a pattern comprehension like [p = " +
             locator_.Text(ctx) + " | p]");
  }
  auto part = std::make_unique<ast::PatternPart>(
      TransformRelationshipsPattern(static_cast<P::RelationshipsPatternContext*>(first)));
  return Finish(std::make_unique<ast::PatternExpr>(std::move(part), Loc(ctx)));
}

ast::ExprPtr Transformer::TransformParameter(P::ParameterContext* ctx) {
  std::string name = ctx->symbolicName() ? Name(ctx->symbolicName()) : ctx->DecimalInteger()->getText();
  return Finish(std::make_unique<ast::ParameterExpr>(std::move(name), Loc(ctx)));
}

ast::ExprPtr Transformer::TransformFunction(P::FunctionInvocationContext* ctx) {
  auto call = std::make_unique<ast::FunctionCallExpr>(Loc(ctx));
  const std::vector<P::SymbolicNameContext*> parts = ctx->functionName()->symbolicName();
  for (size_t i = 0; i + 1 < parts.size(); ++i) call->namespaces.push_back(Name(parts[i]));
  call->name = Name(parts.back());
  call->distinct = ctx->DISTINCT() != nullptr;
  // exists((a)-->()) takes a pattern as its argument.
  const bool exists = call->namespaces.empty() && EqualsIgnoreCase(call->name, "exists");
  if (exists) ++pattern_predicate_allowed_;
  for (P::ExpressionContext* arg : ctx->expression()) call->arguments.push_back(TransformExpression(arg));
  if (exists) --pattern_predicate_allowed_;
  return Finish(std::move(call));
}

ast::ExprPtr Transformer::TransformCase(P::CaseExpressionContext* ctx) {
  auto expr = std::make_unique<ast::CaseExpr>(Loc(ctx));
  // Children: CASE [subject] (WHEN w THEN t)+ [ELSE e] END.
  bool after_else = false;
  for (antlr4::tree::ParseTree* child : ctx->children) {
    if (IsTerminal(child, P::ELSE)) after_else = true;
    if (auto* e = dynamic_cast<P::ExpressionContext*>(child)) {
      (after_else ? expr->else_value : expr->subject) = TransformExpression(e);
    } else if (auto* alternative = dynamic_cast<P::CaseAlternativeContext*>(child)) {
      ast::CaseExpr::When when;
      when.when = TransformExpression(alternative->expression(0));
      when.then = TransformExpression(alternative->expression(1));
      expr->whens.push_back(std::move(when));
    }
  }
  return Finish(std::move(expr));
}

ast::ExprPtr Transformer::TransformListComprehension(P::ListComprehensionContext* ctx) {
  auto expr = std::make_unique<ast::ListComprehensionExpr>(Loc(ctx));
  expr->variable = Name(ctx->variable());
  expr->variable_location = Loc(ctx->variable());
  expr->list = TransformExpression(ctx->expression(0));
  expr->predicate = TransformWhere(ctx->where());
  if (ctx->PIPE()) expr->projection = TransformExpression(ctx->expression(1));
  return Finish(std::move(expr));
}

ast::ExprPtr Transformer::TransformPatternComprehension(P::PatternComprehensionContext* ctx) {
  auto expr = std::make_unique<ast::PatternComprehensionExpr>(Loc(ctx));
  expr->pattern =
      std::make_unique<ast::PatternPart>(TransformRelationshipsPattern(ctx->relationshipsPattern()));
  if (P::VariableContext* variable = ctx->variable()) {
    expr->pattern->path_variable = Name(variable);
    expr->pattern->path_variable_location = Loc(variable);
  }
  expr->predicate = TransformWhere(ctx->where());
  expr->projection = TransformExpression(ctx->expression());
  return Finish(std::move(expr));
}

ast::ExprPtr Transformer::TransformQuantifier(P::QuantifierContext* ctx) {
  ast::QuantifierKind kind;
  switch (ctx->getStart()->getType()) {
    case P::ALL:
      kind = ast::QuantifierKind::kAll;
      break;
    case P::ANY:
      kind = ast::QuantifierKind::kAny;
      break;
    case P::NONE:
      kind = ast::QuantifierKind::kNone;
      break;
    default:
      kind = ast::QuantifierKind::kSingle;
      break;
  }
  auto expr = std::make_unique<ast::QuantifierExpr>(kind, Loc(ctx));
  expr->variable = Name(ctx->variable());
  expr->variable_location = Loc(ctx->variable());
  expr->list = TransformExpression(ctx->expression());
  expr->predicate = TransformWhere(ctx->where());
  return Finish(std::move(expr));
}

ast::ExprPtr Transformer::TransformReduce(P::ReduceExpressionContext* ctx) {
  auto expr = std::make_unique<ast::ReduceExpr>(Loc(ctx));
  expr->accumulator = Name(ctx->variable(0));
  expr->accumulator_location = Loc(ctx->variable(0));
  expr->initial = TransformExpression(ctx->expression(0));
  expr->variable = Name(ctx->variable(1));
  expr->variable_location = Loc(ctx->variable(1));
  expr->list = TransformExpression(ctx->expression(1));
  expr->step = TransformExpression(ctx->expression(2));
  return Finish(std::move(expr));
}

ast::ExprPtr Transformer::TransformExists(P::ExistsSubqueryContext* ctx) {
  auto expr = std::make_unique<ast::ExistsExpr>(Loc(ctx));
  expr->count = ctx->COUNT() != nullptr;
  if (P::QueryContext* query = ctx->query()) {
    expr->query = TransformQuery(query, /*in_subquery=*/true);
  } else {
    expr->pattern = TransformPattern(ctx->pattern());
    expr->predicate = TransformWhere(ctx->where());
  }
  return Finish(std::move(expr));
}

ast::ExprPtr Transformer::TransformMapProjection(P::MapProjectionContext* ctx) {
  auto expr = std::make_unique<ast::MapProjectionExpr>(Loc(ctx));
  expr->subject = Name(ctx->variable());
  expr->subject_location = Loc(ctx->variable());
  for (P::MapProjectionItemContext* item_ctx : ctx->mapProjectionItem()) {
    ast::MapProjectionExpr::Item item;
    item.location = Loc(item_ctx);
    if (auto* literal = dynamic_cast<P::ProjectLiteralEntryContext*>(item_ctx)) {
      item.kind = ast::MapProjectionExpr::ItemKind::kLiteral;
      item.key = Name(literal->propertyKeyName());
      item.value = TransformExpression(literal->expression());
    } else if (auto* property = dynamic_cast<P::ProjectPropertyContext*>(item_ctx)) {
      item.kind = ast::MapProjectionExpr::ItemKind::kProperty;
      item.key = Name(property->propertyKeyName());
    } else if (dynamic_cast<P::ProjectAllPropertiesContext*>(item_ctx)) {
      item.kind = ast::MapProjectionExpr::ItemKind::kAllProperties;
    } else {
      item.kind = ast::MapProjectionExpr::ItemKind::kVariable;
      item.key = Name(static_cast<P::ProjectVariableContext*>(item_ctx)->variable());
    }
    expr->items.push_back(std::move(item));
  }
  return Finish(std::move(expr));
}

}  // namespace lodestone::query::internal
