// Names of the AST's enums, child enumeration, and the out-of-line members of nodes that hold types
// declared after them.

#include <algorithm>

#include "query/ast/clause.h"
#include "query/ast/expr.h"
#include "query/ast/pattern.h"
#include "query/ast/statement.h"

namespace lodestone::ast {

std::string_view ExprKindName(ExprKind kind) {
  switch (kind) {
    case ExprKind::kLiteral:
      return "literal";
    case ExprKind::kParameter:
      return "parameter";
    case ExprKind::kVariable:
      return "variable";
    case ExprKind::kProperty:
      return "property";
    case ExprKind::kHasLabels:
      return "has-labels";
    case ExprKind::kList:
      return "list";
    case ExprKind::kMap:
      return "map";
    case ExprKind::kUnary:
      return "unary";
    case ExprKind::kBinary:
      return "binary";
    case ExprKind::kLogical:
      return "logical";
    case ExprKind::kComparison:
      return "comparison";
    case ExprKind::kSubscript:
      return "subscript";
    case ExprKind::kSlice:
      return "slice";
    case ExprKind::kFunctionCall:
      return "function-call";
    case ExprKind::kCountStar:
      return "count-star";
    case ExprKind::kCase:
      return "case";
    case ExprKind::kListComprehension:
      return "list-comprehension";
    case ExprKind::kQuantifier:
      return "quantifier";
    case ExprKind::kReduce:
      return "reduce";
    case ExprKind::kMapProjection:
      return "map-projection";
    case ExprKind::kPattern:
      return "pattern";
    case ExprKind::kPatternComprehension:
      return "pattern-comprehension";
    case ExprKind::kExists:
      return "exists";
  }
  return "?";
}

std::string_view UnaryOpName(UnaryOp op) {
  switch (op) {
    case UnaryOp::kNot:
      return "not";
    case UnaryOp::kNegate:
      return "neg";
    case UnaryOp::kPlus:
      return "pos";
    case UnaryOp::kIsNull:
      return "is-null";
    case UnaryOp::kIsNotNull:
      return "is-not-null";
  }
  return "?";
}

std::string_view BinaryOpName(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSubtract:
      return "-";
    case BinaryOp::kMultiply:
      return "*";
    case BinaryOp::kDivide:
      return "/";
    case BinaryOp::kModulo:
      return "%";
    case BinaryOp::kPower:
      return "^";
    case BinaryOp::kStartsWith:
      return "starts-with";
    case BinaryOp::kEndsWith:
      return "ends-with";
    case BinaryOp::kContains:
      return "contains";
    case BinaryOp::kRegexMatch:
      return "=~";
    case BinaryOp::kIn:
      return "in";
  }
  return "?";
}

std::string_view LogicalOpName(LogicalOp op) {
  switch (op) {
    case LogicalOp::kAnd:
      return "and";
    case LogicalOp::kOr:
      return "or";
    case LogicalOp::kXor:
      return "xor";
  }
  return "?";
}

std::string_view CompareOpName(CompareOp op) {
  switch (op) {
    case CompareOp::kEq:
      return "=";
    case CompareOp::kNe:
      return "<>";
    case CompareOp::kLt:
      return "<";
    case CompareOp::kGt:
      return ">";
    case CompareOp::kLe:
      return "<=";
    case CompareOp::kGe:
      return ">=";
  }
  return "?";
}

std::string_view QuantifierKindName(QuantifierKind kind) {
  switch (kind) {
    case QuantifierKind::kAll:
      return "all";
    case QuantifierKind::kAny:
      return "any";
    case QuantifierKind::kNone:
      return "none";
    case QuantifierKind::kSingle:
      return "single";
  }
  return "?";
}

std::string_view DirectionName(Direction direction) {
  switch (direction) {
    case Direction::kRight:
      return "->";
    case Direction::kLeft:
      return "<-";
    case Direction::kEither:
      return "--";
  }
  return "?";
}

std::string_view ClauseKindName(ClauseKind kind) {
  switch (kind) {
    case ClauseKind::kMatch:
      return "MATCH";
    case ClauseKind::kUnwind:
      return "UNWIND";
    case ClauseKind::kWith:
      return "WITH";
    case ClauseKind::kReturn:
      return "RETURN";
    case ClauseKind::kCreate:
      return "CREATE";
    case ClauseKind::kMerge:
      return "MERGE";
    case ClauseKind::kSet:
      return "SET";
    case ClauseKind::kRemove:
      return "REMOVE";
    case ClauseKind::kDelete:
      return "DELETE";
    case ClauseKind::kCall:
      return "CALL";
  }
  return "?";
}

std::string FunctionCallExpr::QualifiedName() const {
  std::string out;
  for (const std::string& ns : namespaces) {
    out += ns;
    out += '.';
  }
  out += name;
  return out;
}

PatternExpr::PatternExpr(std::unique_ptr<PatternPart> p, SourceLocation loc)
    : Expr(kKind, loc), pattern(std::move(p)) {}
PatternExpr::~PatternExpr() = default;
PatternComprehensionExpr::PatternComprehensionExpr(SourceLocation loc) : Expr(kKind, loc) {}
PatternComprehensionExpr::~PatternComprehensionExpr() = default;
ExistsExpr::ExistsExpr(SourceLocation loc) : Expr(kKind, loc) {}
ExistsExpr::~ExistsExpr() = default;

namespace {

using Fn = std::function<void(const Expr&)>;

void Visit(const ExprPtr& e, const Fn& fn) {
  if (e) fn(*e);
}

void VisitPattern(const PatternPart& part, const Fn& fn) {
  for (size_t i = 0; i < part.nodes.size(); ++i) {
    if (i > 0) Visit(part.relationships[i - 1].properties, fn);
    Visit(part.nodes[i].properties, fn);
  }
}

void VisitSetItems(const std::vector<SetItem>& items, const Fn& fn) {
  for (const SetItem& item : items) {
    Visit(item.target, fn);
    Visit(item.value, fn);
  }
}

void VisitBody(const ProjectionBody& body, const Fn& fn) {
  for (const ProjectionItem& item : body.items) Visit(item.expression, fn);
  for (const SortItem& item : body.order_by) Visit(item.expression, fn);
  Visit(body.skip, fn);
  Visit(body.limit, fn);
}

}  // namespace

void ForEachChild(const Expr& expr, const Fn& fn) {
  switch (expr.kind()) {
    case ExprKind::kLiteral:
    case ExprKind::kParameter:
    case ExprKind::kVariable:
    case ExprKind::kCountStar:
      return;
    case ExprKind::kProperty:
      return Visit(expr.As<PropertyExpr>().object, fn);
    case ExprKind::kHasLabels:
      return Visit(expr.As<HasLabelsExpr>().object, fn);
    case ExprKind::kSubscript: {
      const auto& e = expr.As<SubscriptExpr>();
      Visit(e.object, fn);
      Visit(e.index, fn);
      return;
    }
    case ExprKind::kSlice: {
      const auto& e = expr.As<SliceExpr>();
      Visit(e.object, fn);
      Visit(e.from, fn);
      Visit(e.to, fn);
      return;
    }
    case ExprKind::kList:
      for (const ExprPtr& e : expr.As<ListExpr>().elements) Visit(e, fn);
      return;
    case ExprKind::kMap:
      for (const MapExpr::Entry& e : expr.As<MapExpr>().entries) Visit(e.value, fn);
      return;
    case ExprKind::kUnary:
      return Visit(expr.As<UnaryExpr>().operand, fn);
    case ExprKind::kBinary: {
      const auto& e = expr.As<BinaryExpr>();
      Visit(e.left, fn);
      Visit(e.right, fn);
      return;
    }
    case ExprKind::kLogical:
      for (const ExprPtr& e : expr.As<LogicalExpr>().operands) Visit(e, fn);
      return;
    case ExprKind::kComparison:
      for (const ExprPtr& e : expr.As<ComparisonExpr>().operands) Visit(e, fn);
      return;
    case ExprKind::kFunctionCall:
      for (const ExprPtr& e : expr.As<FunctionCallExpr>().arguments) Visit(e, fn);
      return;
    case ExprKind::kCase: {
      const auto& e = expr.As<CaseExpr>();
      Visit(e.subject, fn);
      for (const CaseExpr::When& w : e.whens) {
        Visit(w.when, fn);
        Visit(w.then, fn);
      }
      Visit(e.else_value, fn);
      return;
    }
    case ExprKind::kListComprehension: {
      const auto& e = expr.As<ListComprehensionExpr>();
      Visit(e.list, fn);
      Visit(e.predicate, fn);
      Visit(e.projection, fn);
      return;
    }
    case ExprKind::kQuantifier: {
      const auto& e = expr.As<QuantifierExpr>();
      Visit(e.list, fn);
      Visit(e.predicate, fn);
      return;
    }
    case ExprKind::kReduce: {
      const auto& e = expr.As<ReduceExpr>();
      Visit(e.initial, fn);
      Visit(e.list, fn);
      Visit(e.step, fn);
      return;
    }
    case ExprKind::kMapProjection:
      for (const MapProjectionExpr::Item& item : expr.As<MapProjectionExpr>().items) Visit(item.value, fn);
      return;
    case ExprKind::kPattern:
      return VisitPattern(*expr.As<PatternExpr>().pattern, fn);
    case ExprKind::kPatternComprehension: {
      const auto& e = expr.As<PatternComprehensionExpr>();
      VisitPattern(*e.pattern, fn);
      Visit(e.predicate, fn);
      Visit(e.projection, fn);
      return;
    }
    case ExprKind::kExists: {
      const auto& e = expr.As<ExistsExpr>();
      for (const PatternPart& part : e.pattern) VisitPattern(part, fn);
      Visit(e.predicate, fn);
      return;
    }
  }
}

void FinishNode(Expr& expr) {
  uint32_t tallest = 0;
  ForEachChild(expr, [&](const Expr& child) { tallest = std::max(tallest, child.height()); });
  if (expr.kind() == ExprKind::kExists) {
    // A subquery's expressions count towards the height, so that walking into the subquery from here
    // stays within the same budget.
    if (const Query* query = expr.As<ExistsExpr>().query.get()) {
      for (const SingleQuery& part : query->parts) {
        for (const ClausePtr& clause : part.clauses) {
          ForEachExpression(*clause, [&](const Expr& e) { tallest = std::max(tallest, e.height()); });
        }
      }
    }
  }
  expr.height_ = tallest + 1;
}

void ForEachExpression(const Clause& clause, const Fn& fn) {
  switch (clause.kind()) {
    case ClauseKind::kMatch: {
      const auto& c = clause.As<MatchClause>();
      for (const PatternPart& part : c.pattern) VisitPattern(part, fn);
      if (c.valid_time) {
        Visit(c.valid_time->at, fn);
        Visit(c.valid_time->from, fn);
        Visit(c.valid_time->to, fn);
      }
      Visit(c.where, fn);
      return;
    }
    case ClauseKind::kUnwind:
      return Visit(clause.As<UnwindClause>().list, fn);
    case ClauseKind::kWith: {
      const auto& c = clause.As<WithClause>();
      VisitBody(c.body, fn);
      Visit(c.where, fn);
      return;
    }
    case ClauseKind::kReturn:
      return VisitBody(clause.As<ReturnClause>().body, fn);
    case ClauseKind::kCreate:
      for (const PatternPart& part : clause.As<CreateClause>().pattern) VisitPattern(part, fn);
      return;
    case ClauseKind::kMerge: {
      const auto& c = clause.As<MergeClause>();
      VisitPattern(c.pattern, fn);
      VisitSetItems(c.on_create, fn);
      VisitSetItems(c.on_match, fn);
      return;
    }
    case ClauseKind::kSet:
      return VisitSetItems(clause.As<SetClause>().items, fn);
    case ClauseKind::kRemove:
      for (const RemoveItem& item : clause.As<RemoveClause>().items) Visit(item.target, fn);
      return;
    case ClauseKind::kDelete:
      for (const ExprPtr& e : clause.As<DeleteClause>().expressions) Visit(e, fn);
      return;
    case ClauseKind::kCall: {
      const auto& c = clause.As<CallClause>();
      for (const ExprPtr& e : c.arguments) Visit(e, fn);
      Visit(c.where, fn);
      return;
    }
  }
}

}  // namespace lodestone::ast
