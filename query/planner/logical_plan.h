// The logical plan: what the planner decides (which scan starts each pattern, the order of
// expansions, where filters go, how clauses chain), as plain data the optimizer may rewrite.
//
//   AST --binder/planner--> logical plan --optimizer passes--> logical plan --mapper--> physical plan
//
// A logical operator names an operation and its arguments (the same specs the physical operators
// take: ScanSpec, ExpandSpec, ...), with its inputs as children. Nothing here runs: the mapper
// (query/planner/mapper.cc) builds the physical PlanNodes (query/exec/plan.h), which are immutable
// from then on and shared by every run of the cached statement. EXPLAIN prints both plans.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "query/exec/plan.h"

namespace lodestone::query {

enum class LogicalOpKind {
  kStart,          // the incoming row, once
  kNodeScan,       // scan: slot, var, scan (+ scan_label, scan_prop for EXPLAIN); children: [input]
  kExpand,         // expand; children: [input]
  kShortestPath,   // shortest; children: [input]
  kFilter,         // expr (the predicate); children: [input]
  kProject,        // items; children: [input]
  kAggregate,      // items (grouping keys), aggregates; children: [input]
  kDistinct,       // slots; children: [input]
  kSort,           // sort_keys, skip, limit (top-k when limit is set), input_ordered; children: [input]
  kSkip,           // expr (the count); children: [input]
  kLimit,          // expr (the count), flag (drain writes); children: [input]
  kUnwind,         // slot, var, expr (the list); children: [input]
  kOptional,       // slots (set to null when inner yields nothing); children: [input, inner]
  kUnion,          // from_slots, slots (output), flag (distinct); children: the parts
  kEager,          // children: [input]
  kCreate,         // create; children: [input]
  kMerge,          // create, sets (ON CREATE), on_match; children: [input, match]
  kSet,            // sets; children: [input]
  kDelete,         // targets, flag (detach); children: [input]
  kProcedureCall,  // call; children: [input]
  kCount,          // count (a pattern counted without its rows); children: [input]
};

struct LogicalOp;
using LogicalPtr = std::shared_ptr<LogicalOp>;

struct LogicalOp {
  LogicalOpKind kind = LogicalOpKind::kStart;
  std::vector<LogicalPtr> children;

  int slot = -1;
  std::string var;
  ScanSpec scan;
  std::string scan_label, scan_prop;  // names of the scan's label and property, for EXPLAIN
  ExpandSpec expand;
  ShortestPathSpec shortest;
  CountSpec count;
  ExprPtr expr;
  std::vector<std::pair<int, ExprPtr>> items;
  std::vector<AggregateSpec> aggregates;
  std::vector<int> slots;
  std::vector<std::vector<int>> from_slots;
  bool flag = false;
  std::vector<SortKey> sort_keys;
  // kSort with a limit: the input comes in order of the first key, in its direction, after any rows
  // whose key is not a date (optimizer/ordered_top.cc), so the top-k stops reading once a dated first
  // key is past the k-th row's.
  bool input_ordered = false;
  ExprPtr skip, limit;
  CreateSpec create;
  std::vector<SetSpec> sets, on_match;
  std::vector<ExprPtr> targets;
  ProcedureCallSpec call;

  const LogicalPtr& input() const { return children.at(0); }
  // One line, e.g. "Expand (a)-[:IMPOSED]->(c)"; the same words as the physical operator's.
  std::string Describe() const;
  // The plan as an indented tree.
  std::string Explain() const;
  // Calls fn on every expression this operator holds (not its children's).
  void ForEachExpr(const std::function<void(const Expr&)>& fn) const;
};

// Builders, one per kind, in the order of the physical factories (query/exec/plan.h).
namespace logical {
LogicalPtr Start();
LogicalPtr NodeScan(int slot, std::string var, ScanSpec spec, std::string label, std::string prop,
                    LogicalPtr input);
LogicalPtr Expand(ExpandSpec spec, LogicalPtr input);
LogicalPtr ShortestPath(ShortestPathSpec spec, LogicalPtr input);
LogicalPtr Filter(ExprPtr predicate, LogicalPtr input);
LogicalPtr Project(std::vector<std::pair<int, ExprPtr>> items, LogicalPtr input);
LogicalPtr Aggregate(std::vector<std::pair<int, ExprPtr>> keys, std::vector<AggregateSpec> aggs,
                     LogicalPtr input);
LogicalPtr Distinct(std::vector<int> slots, LogicalPtr input);
LogicalPtr Sort(std::vector<SortKey> keys, ExprPtr skip, ExprPtr limit, LogicalPtr input);
LogicalPtr Skip(ExprPtr count, LogicalPtr input);
LogicalPtr Limit(ExprPtr count, LogicalPtr input, bool drain_writes = false);
LogicalPtr Unwind(int slot, std::string var, ExprPtr list, LogicalPtr input);
LogicalPtr Optional(LogicalPtr inner, std::vector<int> null_slots, LogicalPtr input);
LogicalPtr Union(std::vector<LogicalPtr> parts, std::vector<std::vector<int>> from_slots,
                 std::vector<int> out_slots, bool distinct);
LogicalPtr Eager(LogicalPtr input);
LogicalPtr Create(CreateSpec spec, LogicalPtr input);
LogicalPtr Merge(LogicalPtr match, CreateSpec create, std::vector<SetSpec> on_create,
                 std::vector<SetSpec> on_match, LogicalPtr input);
LogicalPtr Set(std::vector<SetSpec> items, LogicalPtr input);
LogicalPtr Delete(std::vector<ExprPtr> targets, bool detach, LogicalPtr input);
LogicalPtr ProcedureCall(ProcedureCallSpec spec, LogicalPtr input);
LogicalPtr Count(CountSpec spec, LogicalPtr input);
}  // namespace logical

// The mapper: the physical plan for a logical one (after the optimizer's passes).
PlanPtr MapToPhysical(const LogicalOp& op);

}  // namespace lodestone::query
