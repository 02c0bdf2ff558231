// Bound expressions: what the binder makes of the AST's expressions, evaluated against a row.
//
// A bound expression is immutable once planned and may be shared by concurrent runs of a cached plan:
// all run state lives in the ExecContext and the Row. Variables are row slots; names of labels, types
// and property keys are symbols resolved per run (SymbolTable).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "query/ast/source_location.h"
#include "query/eval/value_ops.h"
#include "query/exec/context.h"

namespace lodestone::query {

class PlanNode;  // plan.h

class Expr {
 public:
  explicit Expr(ast::SourceLocation loc) : loc_(loc) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  // Evaluates against the row. The row is mutable because comprehensions bind their iteration
  // variable in a slot; they restore nothing, the slot is theirs alone.
  virtual Value Eval(ExecContext& ctx, Row& row) const = 0;
  // A readable form for EXPLAIN.
  virtual std::string ToString() const = 0;
  // Calls fn on each direct child expression.
  virtual void ForEachChild(const std::function<void(const Expr&)>& fn) const { (void)fn; }
  // True when the value never changes during a run (constants and parameters).
  virtual bool IsConstant() const { return false; }
  // The slots the expression reads (not counting the iteration slots it binds itself).
  virtual void CollectSlots(std::vector<int>* out) const;

  const ast::SourceLocation& location() const { return loc_; }

  // Evaluates as a predicate: true, false or null (anything else is a type error).
  Tri EvalPredicate(ExecContext& ctx, Row& row) const;

 private:
  ast::SourceLocation loc_;
};

// Bound expressions are immutable, so subtrees may be shared (a predicate and the index seek it
// feeds read the same operand).
using ExprPtr = std::shared_ptr<Expr>;

ExprPtr MakeConstant(Value v, ast::SourceLocation loc = {});
ExprPtr MakeParameter(std::string name, ast::SourceLocation loc);
ExprPtr MakeSlot(int slot, std::string name, ast::SourceLocation loc);

// The slot an expression is a plain read of, or -1.
int SlotOf(const Expr& e);
// The value of a constant expression (IsConstant() and no parameters), or nullopt.
std::optional<Value> ConstantValue(const Expr& e);

// Property access: object.key on nodes, relationships, maps, dates. `key`, `valid_from` and
// `valid_to` of nodes and relationships read their key and valid time.
ExprPtr MakeProperty(ExprPtr object, uint32_t prop_symbol, std::string name, ast::SourceLocation loc);
// The (slot, property symbol) of a property read of a variable, or nullopt.
std::optional<std::pair<int, uint32_t>> SlotProperty(const Expr& e);

// Whether the value depends on nothing but the property `prop_symbol` of the variable in `slot`
// (and constants): then rows with the same value of that property give the same value. False for
// what it cannot tell (other variables, subqueries, comprehensions, volatile calls such as rand()).
bool ReadsOnlyProperty(const Expr& e, int slot, uint32_t prop_symbol);

ExprPtr MakeHasLabels(ExprPtr object, std::vector<uint32_t> label_symbols, std::vector<std::string> names,
                      ast::SourceLocation loc);
// For a label test of a variable (n:A:B): its slot, the labels' symbols and their names.
struct LabelTest {
  int slot;
  std::vector<uint32_t> symbols;
  std::vector<std::string> names;
};
std::optional<LabelTest> AsLabelTest(const Expr& e);
ExprPtr MakeList(std::vector<ExprPtr> items, ast::SourceLocation loc);
ExprPtr MakeMap(std::vector<std::pair<std::string, ExprPtr>> entries, ast::SourceLocation loc);

enum class UnaryKind { kNot, kNegate, kPlus, kIsNull, kIsNotNull };
ExprPtr MakeUnary(UnaryKind kind, ExprPtr operand, ast::SourceLocation loc);
ExprPtr MakeArith(ArithOp op, ExprPtr left, ExprPtr right, ast::SourceLocation loc);
enum class LogicalKind { kAnd, kOr, kXor };
ExprPtr MakeLogical(LogicalKind kind, std::vector<ExprPtr> operands, ast::SourceLocation loc);
// The conjuncts of an AND (or the expression itself).
std::vector<ExprPtr> SplitConjuncts(const ExprPtr& e);

enum class CmpKind { kEq, kNe, kLt, kLe, kGt, kGe };
// a op1 b op2 c ...: operands.size() == ops.size() + 1.
ExprPtr MakeComparison(std::vector<ExprPtr> operands, std::vector<CmpKind> ops, ast::SourceLocation loc);
// For a simple comparison (two operands): its kind and operands, else nullopt.
struct SimpleComparison {
  CmpKind op;
  ExprPtr left;
  ExprPtr right;
};
std::optional<SimpleComparison> AsSimpleComparison(const Expr& e);
// For x <> y and NOT x = y: the two operands.
std::optional<std::pair<ExprPtr, ExprPtr>> AsInequality(const Expr& e);

enum class StringPredKind { kStartsWith, kEndsWith, kContains };
ExprPtr MakeStringPredicate(StringPredKind kind, ExprPtr left, ExprPtr right, ast::SourceLocation loc);
ExprPtr MakeRegexMatch(ExprPtr left, ExprPtr right, ast::SourceLocation loc);
ExprPtr MakeIn(ExprPtr element, ExprPtr list, ast::SourceLocation loc);
ExprPtr MakeSubscript(ExprPtr object, ExprPtr index, ast::SourceLocation loc);
ExprPtr MakeSlice(ExprPtr object, ExprPtr from, ExprPtr to, ast::SourceLocation loc);

// A scalar function: checked arguments in, value out; raises errors through ctx.
using ScalarFunction = Value (*)(ExecContext& ctx, std::vector<Value>& args, ast::SourceLocation loc);
struct FunctionInfo;  // query/catalog/function_catalog.h
// A call of `f`, behaving as its metadata says: a call of constants to an immutable function is
// computed once per plan; a null-in-null-out function is not called when an argument is null.
ExprPtr MakeCall(const FunctionInfo& f, std::vector<ExprPtr> args, ast::SourceLocation loc);
// truncate(date, unit) for a constant unit (`call` is that call, made by MakeCall): the unit is read
// once, not per row, and consecutive dates of one period reuse it. Anything but a date goes through
// `call`. Chosen by the optimizer (query/optimizer/expression_rules.h).
ExprPtr MakeTruncateToPeriod(ExprPtr call, DatePrecision unit);

struct CaseWhen {
  ExprPtr when;
  ExprPtr then;
};
ExprPtr MakeCase(ExprPtr subject, std::vector<CaseWhen> whens, ExprPtr otherwise, ast::SourceLocation loc);

// [x IN list WHERE pred | proj]; x lives in `slot`.
ExprPtr MakeListComprehension(int slot, std::string var, ExprPtr list, ExprPtr predicate, ExprPtr projection,
                              ast::SourceLocation loc);
enum class QuantKind { kAll, kAny, kNone, kSingle };
ExprPtr MakeQuantifier(QuantKind kind, int slot, std::string var, ExprPtr list, ExprPtr predicate,
                       ast::SourceLocation loc);
ExprPtr MakeReduce(int acc_slot, std::string acc, ExprPtr init, int slot, std::string var, ExprPtr list,
                   ExprPtr step, ast::SourceLocation loc);

struct MapProjectionItem {
  enum class Kind { kProperty, kAllProperties, kValue } kind;
  std::string key;
  uint32_t prop_symbol = 0;  // kProperty
  ExprPtr value;             // kValue
};
ExprPtr MakeMapProjection(ExprPtr subject, std::vector<MapProjectionItem> items, ast::SourceLocation loc);

// Subqueries evaluated per row: a planned pattern whose leaf reads the outer row.
enum class SubqueryKind { kExists, kCount, kCollect };
// kExists: true when the plan yields a row. kCount: how many rows it yields. kCollect: the list of
// `value` over the plan's rows (a pattern comprehension).
// `outer_slots`: the slots of the enclosing row the subquery reads (so a filter using it is placed
// after they are bound).
ExprPtr MakeSubquery(SubqueryKind kind, std::shared_ptr<const PlanNode> plan, ExprPtr value, int width,
                     std::vector<int> outer_slots, ast::SourceLocation loc);

// VALID AT / VALID DURING on the entity in `slot` (a node or relationship; null passes).
ExprPtr MakeValidAt(int slot, std::string var, ExprPtr at, ast::SourceLocation loc);
ExprPtr MakeValidDuring(int slot, std::string var, ExprPtr from, ExprPtr to, ast::SourceLocation loc);

// Valid-time checks on a validity list; `at` and the bounds are dates or date-times.
bool CertainlyValidAt(const Validity& v, Date at);
bool CertainlyValidDuring(const Validity& v, Date from, Date to);
// How many members of a label's validity index are certainly valid at `at`: the same as
// CertainlyValidAt of each, by binary search instead of a test per member.
int64_t CountCertainlyValidAt(const ReadView::ValidityIndex& index, Date at);
// The date an argument of VALID AT / DURING denotes (a date, or the day of a date-time).
Date AsValidTimeDate(const Value& v, ast::SourceLocation loc);

// Reserved property names that read a node's or relationship's own fields.
inline constexpr std::string_view kKeyProperty = "key";
inline constexpr std::string_view kValidFromProperty = "valid_from";
inline constexpr std::string_view kValidToProperty = "valid_to";

// The properties of a node or relationship as a map (key and valid time included when set).
ValueMap EntityProperties(ExecContext& ctx, const Value& entity, ast::SourceLocation loc);

}  // namespace lodestone::query
