// Expressions of Lodestone's query language.
//
// Shape: a class hierarchy. Every expression derives from Expr, carries its ExprKind and its
// SourceLocation, and owns its children through std::unique_ptr (ExprPtr): a tree, no sharing, no
// cycles, no parent pointers. Destroying the root destroys everything. Nodes are move-only.
//
// Walking: switch on kind() and downcast with As<T>() (checked in debug builds), or call
// ForEachChild() for the direct child expressions in source order. Child pointers documented as
// "nullable" may be null; all others never are once the parser has returned.
//
// Depth: the parser guarantees height() <= kMaxExpressionHeight (query/limits.h) for every expression
// it returns, so a recursive walker needs at most that many frames per expression.
//
// Nothing here knows ANTLR; the parser (query/parser/parser.h) is the only producer.
#pragma once

#include <cassert>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "query/ast/source_location.h"

namespace lodestone::ast {

struct PatternPart;  // pattern.h
struct Query;        // statement.h

enum class ExprKind : uint8_t {
  kLiteral,               // LiteralExpr
  kParameter,             // ParameterExpr
  kVariable,              // VariableExpr
  kProperty,              // PropertyExpr
  kHasLabels,             // HasLabelsExpr
  kList,                  // ListExpr
  kMap,                   // MapExpr
  kUnary,                 // UnaryExpr
  kBinary,                // BinaryExpr
  kLogical,               // LogicalExpr
  kComparison,            // ComparisonExpr
  kSubscript,             // SubscriptExpr
  kSlice,                 // SliceExpr
  kFunctionCall,          // FunctionCallExpr
  kCountStar,             // CountStarExpr
  kCase,                  // CaseExpr
  kListComprehension,     // ListComprehensionExpr
  kQuantifier,            // QuantifierExpr
  kReduce,                // ReduceExpr
  kMapProjection,         // MapProjectionExpr
  kPattern,               // PatternExpr
  kPatternComprehension,  // PatternComprehensionExpr
  kExists,                // ExistsExpr
};

std::string_view ExprKindName(ExprKind kind);

class Expr;
using ExprPtr = std::unique_ptr<Expr>;

class Expr {
 public:
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  ExprKind kind() const { return kind_; }
  const SourceLocation& location() const { return location_; }
  void set_location(const SourceLocation& location) { location_ = location; }

  // Number of expression levels in this subtree (1 for a leaf). Computed by FinishNode().
  uint32_t height() const { return height_; }

  template <typename T>
  const T& As() const {
    assert(kind_ == T::kKind);
    return static_cast<const T&>(*this);
  }
  template <typename T>
  T& As() {
    assert(kind_ == T::kKind);
    return static_cast<T&>(*this);
  }

 protected:
  Expr(ExprKind kind, SourceLocation location) : kind_(kind), location_(location) {}

 private:
  friend void FinishNode(Expr& expr);
  ExprKind kind_;
  uint32_t height_ = 1;
  SourceLocation location_;
};

// Calls fn(child) for each direct child expression of expr, in source order, skipping null children.
// Includes the expressions inside a PatternExpr's or PatternComprehensionExpr's pattern (property maps)
// but not those inside the query of an ExistsExpr (walk its clauses for those).
void ForEachChild(const Expr& expr, const std::function<void(const Expr&)>& fn);

// Sets expr.height() from its direct children's heights. The parser calls it on every node it builds,
// after its children are in place; code that builds or rewrites expressions should do the same.
void FinishNode(Expr& expr);

// ---------------------------------------------------------------------------------------------------
// Leaves

// A literal value as written. Integers are int64 (the parser rejects literals outside its range);
// floats are IEEE doubles; strings are decoded (escapes resolved) UTF-8.
// A literal list or map is a ListExpr / MapExpr, not a LiteralValue.
using LiteralValue = std::variant<std::monostate /*null*/, bool, int64_t, double, std::string>;

// 42, -7 (a minus sign directly before a number literal is folded into it, so that
// -9223372036854775808 is representable), 1.5e3, 'text', true, null.
struct LiteralExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kLiteral;
  explicit LiteralExpr(LiteralValue v, SourceLocation loc = {}) : Expr(kKind, loc), value(std::move(v)) {}
  LiteralValue value;

  bool is_null() const { return std::holds_alternative<std::monostate>(value); }
};

// $name or $0. name holds "name" or "0" (no dollar sign).
struct ParameterExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kParameter;
  explicit ParameterExpr(std::string n, SourceLocation loc = {}) : Expr(kKind, loc), name(std::move(n)) {}
  std::string name;
};

// A name that refers to a variable in scope (backticks removed, `` unescaped to `).
struct VariableExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kVariable;
  explicit VariableExpr(std::string n, SourceLocation loc = {}) : Expr(kKind, loc), name(std::move(n)) {}
  std::string name;
};

// ---------------------------------------------------------------------------------------------------
// Access

// object.key. a.b.c is Property(Property(a, b), c).
struct PropertyExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kProperty;
  PropertyExpr(ExprPtr obj, std::string k, SourceLocation loc = {})
      : Expr(kKind, loc), object(std::move(obj)), key(std::move(k)) {}
  ExprPtr object;
  std::string key;
};

// object:Label1:Label2 used as a predicate (WHERE n:Person). labels in source order, at least one.
struct HasLabelsExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kHasLabels;
  HasLabelsExpr(ExprPtr obj, std::vector<std::string> l, SourceLocation loc = {})
      : Expr(kKind, loc), object(std::move(obj)), labels(std::move(l)) {}
  ExprPtr object;
  std::vector<std::string> labels;
};

// list[index] (also map['key']).
struct SubscriptExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kSubscript;
  SubscriptExpr(ExprPtr obj, ExprPtr idx, SourceLocation loc = {})
      : Expr(kKind, loc), object(std::move(obj)), index(std::move(idx)) {}
  ExprPtr object;
  ExprPtr index;
};

// list[from..to], list[..to], list[from..]: from and to are nullable.
struct SliceExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kSlice;
  SliceExpr(ExprPtr obj, ExprPtr f, ExprPtr t, SourceLocation loc = {})
      : Expr(kKind, loc), object(std::move(obj)), from(std::move(f)), to(std::move(t)) {}
  ExprPtr object;
  ExprPtr from;  // nullable
  ExprPtr to;    // nullable
};

// ---------------------------------------------------------------------------------------------------
// Constructors

// [e1, e2, ...]
struct ListExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kList;
  explicit ListExpr(SourceLocation loc = {}) : Expr(kKind, loc) {}
  std::vector<ExprPtr> elements;
};

// {k1: e1, k2: e2}. Entries in source order; duplicate keys are kept (the binder decides).
struct MapExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kMap;
  struct Entry {
    std::string key;
    SourceLocation key_location;
    ExprPtr value;
  };
  explicit MapExpr(SourceLocation loc = {}) : Expr(kKind, loc) {}
  std::vector<Entry> entries;
};

// ---------------------------------------------------------------------------------------------------
// Operators

enum class UnaryOp : uint8_t {
  kNot,        // NOT x
  kNegate,     // -x   (not produced for a number literal: that is folded into the literal)
  kPlus,       // +x
  kIsNull,     // x IS NULL
  kIsNotNull,  // x IS NOT NULL
};
std::string_view UnaryOpName(UnaryOp op);

struct UnaryExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kUnary;
  UnaryExpr(UnaryOp o, ExprPtr x, SourceLocation loc = {}) : Expr(kKind, loc), op(o), operand(std::move(x)) {}
  UnaryOp op;
  ExprPtr operand;
};

enum class BinaryOp : uint8_t {
  kAdd,         // +
  kSubtract,    // -
  kMultiply,    // *
  kDivide,      // /
  kModulo,      // %
  kPower,       // ^
  kStartsWith,  // STARTS WITH
  kEndsWith,    // ENDS WITH
  kContains,    // CONTAINS
  kRegexMatch,  // =~
  kIn,          // IN
};
std::string_view BinaryOpName(BinaryOp op);

// Left-associative chains nest to the left: 1 - 2 - 3 is Binary(-, Binary(-, 1, 2), 3); so does ^
// (2 ^ 3 ^ 2 is (2 ^ 3) ^ 2, as in the reference grammar).
struct BinaryExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kBinary;
  BinaryExpr(BinaryOp o, ExprPtr l, ExprPtr r, SourceLocation loc = {})
      : Expr(kKind, loc), op(o), left(std::move(l)), right(std::move(r)) {}
  BinaryOp op;
  ExprPtr left;
  ExprPtr right;
};

enum class LogicalOp : uint8_t { kAnd, kOr, kXor };
std::string_view LogicalOpName(LogicalOp op);

// a AND b AND c: one node with all operands of a run of the same operator, in source order (at least
// two). The three operators are associative, so this loses nothing, keeps long generated predicates
// shallow, and hands the planner its conjuncts directly. Mixed operators nest by precedence:
// a OR b AND c is Logical(OR, a, Logical(AND, b, c)).
struct LogicalExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kLogical;
  explicit LogicalExpr(LogicalOp o, SourceLocation loc = {}) : Expr(kKind, loc), op(o) {}
  LogicalOp op;
  std::vector<ExprPtr> operands;
};

enum class CompareOp : uint8_t { kEq, kNe, kLt, kGt, kLe, kGe };
std::string_view CompareOpName(CompareOp op);

// a = b, and chains: a < b <= c is one node with operands {a, b, c} and ops {<, <=}, meaning
// a < b AND b <= c with b evaluated once. Always ops.size() + 1 == operands.size() >= 2.
struct ComparisonExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kComparison;
  explicit ComparisonExpr(SourceLocation loc = {}) : Expr(kKind, loc) {}
  std::vector<ExprPtr> operands;
  std::vector<CompareOp> ops;
};

// ---------------------------------------------------------------------------------------------------
// Calls

// f(args), f(DISTINCT args), ns1.ns2.f(args). name is the last part as written (function names are
// case-insensitive: the binder folds case); namespaces are the leading parts, outermost first.
// exists(x) and exists((a)-->()) are calls to "exists" like any other.
struct FunctionCallExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kFunctionCall;
  explicit FunctionCallExpr(SourceLocation loc = {}) : Expr(kKind, loc) {}
  std::vector<std::string> namespaces;
  std::string name;
  bool distinct = false;
  std::vector<ExprPtr> arguments;

  // "ns1.ns2.f"
  std::string QualifiedName() const;
};

// count(*)
struct CountStarExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kCountStar;
  explicit CountStarExpr(SourceLocation loc = {}) : Expr(kKind, loc) {}
};

// CASE [subject] WHEN w THEN t ... [ELSE e] END. subject is null for the generic form
// (WHEN holds predicates); with a subject, each WHEN value is compared to it.
struct CaseExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kCase;
  struct When {
    ExprPtr when;
    ExprPtr then;
  };
  explicit CaseExpr(SourceLocation loc = {}) : Expr(kKind, loc) {}
  ExprPtr subject;  // nullable
  std::vector<When> whens;
  ExprPtr else_value;  // nullable
};

// ---------------------------------------------------------------------------------------------------
// Iteration

// [variable IN list WHERE predicate | projection]; predicate and projection are nullable
// ([x IN l] alone is legal and yields l).
struct ListComprehensionExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kListComprehension;
  explicit ListComprehensionExpr(SourceLocation loc = {}) : Expr(kKind, loc) {}
  std::string variable;
  SourceLocation variable_location;
  ExprPtr list;
  ExprPtr predicate;   // nullable
  ExprPtr projection;  // nullable
};

enum class QuantifierKind : uint8_t { kAll, kAny, kNone, kSingle };
std::string_view QuantifierKindName(QuantifierKind kind);

// all/any/none/single(variable IN list WHERE predicate). predicate is nullable (then the list elements
// themselves are tested).
struct QuantifierExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kQuantifier;
  explicit QuantifierExpr(QuantifierKind q, SourceLocation loc = {}) : Expr(kKind, loc), quantifier(q) {}
  QuantifierKind quantifier;
  std::string variable;
  SourceLocation variable_location;
  ExprPtr list;
  ExprPtr predicate;  // nullable
};

// reduce(accumulator = initial, variable IN list | step)
struct ReduceExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kReduce;
  explicit ReduceExpr(SourceLocation loc = {}) : Expr(kKind, loc) {}
  std::string accumulator;
  SourceLocation accumulator_location;
  ExprPtr initial;
  std::string variable;
  SourceLocation variable_location;
  ExprPtr list;
  ExprPtr step;
};

// n {.name, .*, key: expr, other}. subject is the variable projected from.
struct MapProjectionExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kMapProjection;
  enum class ItemKind : uint8_t {
    kProperty,       // .name       key = "name", value null
    kAllProperties,  // .*          key empty, value null
    kLiteral,        // key: expr   value set
    kVariable,       // other       key = "other" (the variable's name), value null
  };
  struct Item {
    ItemKind kind;
    std::string key;
    ExprPtr value;  // only for kLiteral
    SourceLocation location;
  };
  explicit MapProjectionExpr(SourceLocation loc = {}) : Expr(kKind, loc) {}
  std::string subject;
  SourceLocation subject_location;
  std::vector<Item> items;
};

// ---------------------------------------------------------------------------------------------------
// Patterns inside expressions (the pattern types are in pattern.h)

// A relationship pattern used as an expression: a predicate in WHERE ((a)-[:T]->() means "such a path
// exists"), the argument of exists(...), or shortestPath(...)/allShortestPaths(...) wherever an
// expression may stand. The parser rejects a bare pattern anywhere else, as the language requires.
struct PatternExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kPattern;
  explicit PatternExpr(std::unique_ptr<PatternPart> p, SourceLocation loc = {});
  ~PatternExpr() override;
  std::unique_ptr<PatternPart> pattern;  // never null; path_variable is always empty here
};

// [path = (a)-->(b) WHERE predicate | projection]. path_variable may be empty; predicate is nullable.
struct PatternComprehensionExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kPatternComprehension;
  explicit PatternComprehensionExpr(SourceLocation loc = {});
  ~PatternComprehensionExpr() override;
  std::unique_ptr<PatternPart> pattern;  // never null; carries the path variable if any
  ExprPtr predicate;                     // nullable
  ExprPtr projection;
};

// EXISTS { ... } and COUNT { ... }: either a pattern list with an optional WHERE (pattern non-empty,
// query null) or a whole read-only query (query set, pattern empty). The parser rejects updating
// clauses inside. EXISTS is whether the inside finds a row; COUNT (count set) how many it finds.
struct ExistsExpr final : Expr {
  static constexpr ExprKind kKind = ExprKind::kExists;
  explicit ExistsExpr(SourceLocation loc = {});
  ~ExistsExpr() override;
  bool count = false;  // COUNT { ... }
  std::vector<PatternPart> pattern;
  ExprPtr predicate;             // nullable; only with pattern
  std::unique_ptr<Query> query;  // nullable
};

}  // namespace lodestone::ast
