// From AST to plan: the binder (scopes, variables, functions, static checks) and the planner (which
// index or scan starts each pattern, in which order relationships expand, where filters go).
//
// The two stages share one walk over the clauses, because each clause's plan is where the next
// clause's variables live; they are kept apart in code: binder.cc binds expressions and checks
// names, match_planner.cc plans patterns, clause_planner.cc the other clauses.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "query/ast/statement.h"
#include "query/database.h"
#include "query/exec/plan.h"

namespace lodestone::query {

// A statement compiled for execution. Immutable after Compile; cached and shared between runs.
struct CompiledStatement {
  ast::StatementMode mode = ast::StatementMode::kExecute;
  PlanPtr root;                       // null for schema commands
  std::vector<std::string> columns;   // result column names
  std::vector<int> column_slots;      // where each column's value is in the row
  int width = 0;                      // slots per row
  int plan_nodes = 0;                 // operators in the plan (for PROFILE)
  SymbolTable symbols;
  bool writes = false;
  ExprPtr known_at;                   // KNOWN AT: a constant expression, or null
  // A schema command instead of a query.
  std::optional<ast::SchemaCommand> schema;
};

// What the planner may ask about the database: which indexes exist, roughly how many nodes a label
// has. Both answers may be stale; they only steer plan choice, never correctness.
struct PlannerCatalog {
  const NameResolver* names = nullptr;
  std::function<uint64_t(LabelId)> label_count;  // may be empty
};

// Compiles a parsed statement. On failure returns the error (kind, detail, location, message).
struct CompileResult {
  std::shared_ptr<CompiledStatement> statement;
  std::optional<QueryError> error;
};
CompileResult Compile(const ast::Statement& statement, const PlannerCatalog& catalog);

}  // namespace lodestone::query
