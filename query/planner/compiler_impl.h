// Internals of the compiler, shared by binder.cc, match_planner.cc, clause_planner.cc and compiler.cc.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "query/ast/printer.h"
#include "query/planner/compiler.h"
#include "query/planner/logical_plan.h"

namespace lodestone::query {

// What the binder knows about a variable's value.
// kValue: known not to be a node, relationship or path (a literal, list, map...).
enum class VarKind { kAny, kNode, kRel, kRelList, kPath, kValue };
std::string_view VarKindName(VarKind k);

// What the binder knows of an expression's type without running it (literals, constructors,
// operators, some functions, and the variables whose values it has seen); kUnknown when it cannot tell.
enum class StaticType { kUnknown, kNull, kBool, kInt, kFloat, kString, kList, kMap, kNode, kRel, kPath };

struct Var {
  std::string name;
  int slot = -1;
  VarKind kind = VarKind::kAny;
  // Known when the variable was bound to an expression of a known type (WITH 1 AS x, UNWIND ['a'] AS s).
  StaticType type = StaticType::kUnknown;
};

// The variables visible at a point of the statement, in the order they were introduced (RETURN *
// lists them sorted by name).
class Scope {
 public:
  const Var* Find(const std::string& name) const;
  void Add(Var v);
  const std::vector<Var>& vars() const { return vars_; }
  void Clear() { vars_.clear(); }

 private:
  std::vector<Var> vars_;
};

// A compile-time error, thrown inside the compiler and returned by Compile().
struct CompileError {
  QueryError::Kind kind;
  std::string detail;
  std::string message;
  ast::SourceLocation where;
};
[[noreturn]] void Fail(std::string detail, std::string message, ast::SourceLocation where,
                       QueryError::Kind kind = QueryError::Kind::kSyntaxError);

// How an expression is being bound.
struct BindOptions {
  // Aggregate calls are allowed; each one found is appended here and replaced by a read of its slot.
  std::vector<AggregateSpec>* aggregates = nullptr;
  // Expressions (by their printed AST) and variables already computed into slots: after grouping,
  // the grouping keys; after a projection, the projected items.
  const std::map<std::string, int>* substitutions = nullptr;
  // Variables outside aggregates must be grouping keys (checked against substitutions).
  bool check_ambiguous = false;
  bool inside_aggregate = false;
  const char* context = "expression";  // for messages: "WHERE", "SKIP", ...
};

class Compiler {
 public:
  Compiler(const PlannerCatalog& catalog, CompiledStatement* out) : catalog_(catalog), out_(out) {}
  void CompileStatement(const ast::Statement& s);

  // ---- binder.cc ----
  ExprPtr Bind(const ast::Expr& e, const BindOptions& o = {});
  // The kind of value an expression has when the binder can tell.
  VarKind KindOf(const ast::Expr& e) const;
  bool ContainsAggregate(const ast::Expr& e) const;
  using StaticType = query::StaticType;
  StaticType StaticTypeOf(const ast::Expr& e) const;
  // A WHERE condition, bound; refused at compile time when its known type is not boolean: WHERE (n),
  // WHERE 1.
  ExprPtr BindWhere(const ast::Expr& where);
  // Refuses operands whose known types rule the operator out: 'a' % 2, 1 IN true.
  void CheckOperandTypes(const ast::BinaryExpr& b) const;
  // The type every element of a list has, when the binder can tell (a list literal of one type).
  StaticType ElementTypeOf(const ast::Expr& list) const;
  static std::string_view StaticTypeName(StaticType t);
  // The slots of variables in scope that a pattern (and expressions beside it) mention.
  std::vector<int> OuterSlots(const std::vector<const ast::PatternPart*>& parts,
                              const std::vector<const ast::Expr*>& exprs) const;
  int NewSlot() { return next_slot_++; }
  std::string AnonName() { return "  anon_" + std::to_string(anon_++); }
  // Declares a variable of a pattern: new, or a reuse that must be of the same kind.
  Var DeclarePatternVar(const std::string& name, VarKind kind, ast::SourceLocation loc, bool* existed);

  // ---- match_planner.cc ----
  struct PatternResult {
    LogicalPtr plan;
    std::vector<int> new_slots;  // slots this pattern bound
  };
  // Plans MATCH-like patterns on top of `input`, binding their variables into scope_. Predicates are
  // the WHERE conjuncts, already bound against the scope that includes the pattern's variables.
  // `preassigned` gives slots to pattern elements (by the address of their AST node) that MERGE has
  // chosen already for creating them.
  PatternResult PlanPattern(LogicalPtr input, const std::vector<const ast::PatternPart*>& parts,
                            const ast::Expr* where, const ast::ValidTime* valid_time,
                            const std::map<const void*, int>* preassigned = nullptr);
  // A pattern in an expression (predicate, exists(), comprehension): a plan over Start that reads the
  // outer row, optimized and mapped to physical operators at once (the expression holds it). Leaves
  // the pattern's variables in scope_ (the caller restores it).
  PlanPtr PlanSubPattern(const std::vector<const ast::PatternPart*>& parts, const ast::Expr* where);
  // A whole query in an expression (EXISTS { MATCH ... RETURN ... }, COUNT { ... }): planned over Start
  // with the outer variables in scope, optimized and mapped at once. Leaves scope_ and plan_ as they were.
  PlanPtr PlanSubQuery(const ast::Query& q);

  // ---- clause_planner.cc ----
  void PlanSingleQuery(const ast::SingleQuery& q, std::vector<std::string>* columns, std::vector<int>* slots);
  void PlanMatch(const ast::MatchClause& c);
  void PlanUnwind(const ast::UnwindClause& c);
  void PlanProjection(const ast::ProjectionBody& body, const ast::Expr* where, bool is_return,
                      std::vector<std::string>* columns, std::vector<int>* slots);
  void PlanCreate(const ast::CreateClause& c);
  void PlanMerge(const ast::MergeClause& c);
  void PlanSet(const ast::SetClause& c);
  void PlanRemove(const ast::RemoveClause& c);
  void PlanDelete(const ast::DeleteClause& c);
  // CALL; a standalone call (the whole query) also sets the statement's columns.
  void PlanCall(const ast::CallClause& c, bool standalone, std::vector<std::string>* columns,
                std::vector<int>* slots);
  // For MERGE (`slots` set): the slots chosen for each new element, by AST node, and nothing is added
  // to the scope (the MERGE's match declares the variables).
  CreateSpec BindCreatePattern(const std::vector<const ast::PatternPart*>& parts,
                               std::map<const void*, int>* slots);
  SetSpec BindSetItem(const ast::SetItem& item);
  void Writes();

  const PlannerCatalog& catalog_;
  CompiledStatement* out_;
  Scope scope_;
  LogicalPtr plan_;
  int next_slot_ = 0;
  int anon_ = 0;
  bool plan_reads_store_ = false;  // whether plan_ has read the graph since the last Eager
};

}  // namespace lodestone::query
