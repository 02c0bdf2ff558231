// From AST to plan:
//
//   binder + planner   AST -> logical plan (logical_plan.h): names resolved, types checked, which
//                      scan starts each pattern, in which order relationships expand, where filters go
//   optimizer          rewrites of the logical plan, one pass each (query/optimizer/)
//   mapper             logical plan -> physical operators (mapper.cc, query/exec/plan.h)
//
// The binder and the planner share one walk over the clauses, because each clause's plan is where
// the next clause's variables live; they are kept apart in code: binder.cc binds expressions and
// checks names, match_planner.cc plans patterns, clause_planner.cc the other clauses.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "query/ast/statement.h"
#include "query/catalog/function_catalog.h"
#include "query/catalog/procedure_catalog.h"
#include "query/database.h"
#include "query/exec/plan.h"
#include "query/planner/logical_plan.h"

namespace lodestone::query {

// A statement compiled for execution. Immutable after Compile; cached and shared between runs.
struct CompiledStatement {
  ast::StatementMode mode = ast::StatementMode::kExecute;
  LogicalPtr logical;                // the optimized logical plan (for EXPLAIN); null for schema commands
  PlanPtr root;                      // the physical plan; null for schema commands
  std::vector<std::string> columns;  // result column names
  std::vector<int> column_slots;     // where each column's value is in the row
  int width = 0;                     // slots per row
  int plan_nodes = 0;                // operators in the plan (for PROFILE)
  SymbolTable symbols;
  bool writes = false;
  ExprPtr known_at;  // KNOWN AT: a constant expression, or null
  // A schema command instead of a query.
  std::optional<ast::SchemaCommand> schema;
  // Parameters that must be given before the statement runs (the implicit arguments of a standalone
  // CALL): a missing one is an error found before any row is read.
  std::vector<std::pair<std::string, ast::SourceLocation>> required_parameters;
};

// What the compiler may ask about the database: which indexes exist, roughly how many nodes a label
// has (both may be stale; they only steer plan choice, never correctness), which functions there are,
// and which property is the dated one.
struct PlannerCatalog {
  const NameResolver* names = nullptr;
  std::function<uint64_t(LabelId)> label_count;  // may be empty
  const FunctionCatalog* functions = nullptr;
  const ProcedureCatalog* procedures = nullptr;
  std::string dated_property = "date";
};

// Compiles a parsed statement. On failure returns the error (kind, detail, location, message).
struct CompileResult {
  std::shared_ptr<CompiledStatement> statement;
  std::optional<QueryError> error;
};
CompileResult Compile(const ast::Statement& statement, const PlannerCatalog& catalog);

}  // namespace lodestone::query
