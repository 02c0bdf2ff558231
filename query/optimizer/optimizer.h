// The optimizer: rewrites of the logical plan (query/planner/logical_plan.h), one pass per file,
// run in order by Optimize() before the mapper builds the physical plan; and the rules applied to
// each bound function call (expression_rules.h).
//
// Passes:
//   time_window.cc    an expansion to a node whose dated property the filters above it bound walks
//                     the near node's timeline for that window (ExpandByTime)
//   distinct_ends.cc  a variable-length expansion that only feeds distinct values searches
//                     breadth-first over distinct end nodes
//   count_pushdown.cc count(*) of one hop or of a label's members is counted without its rows
//   ordered_top.cc    ORDER BY date [DESC] ... LIMIT k over one node's expansion walks its timeline
//                     in that order and stops reading once it is past the k-th row's date
//
// Which index, key or time-range scan starts a pattern stays with the match planner: that choice
// decides the order in which the pattern's nodes are bound (docs/design.md, "The compiler").
#pragma once

#include <string>

#include "query/exec/context.h"
#include "query/planner/logical_plan.h"

namespace lodestone::query::optimizer {

// What the passes may consult.
struct OptimizerContext {
  const SymbolTable* symbols = nullptr;
  std::string dated_property;  // the store's dated property (StoreOptions::dated_property)
};

// Runs every pass over `plan`, which the caller owns alone (nothing else holds its nodes).
LogicalPtr Optimize(LogicalPtr plan, const OptimizerContext& ctx);

// The passes, for tests and for Optimize.
void TimeWindowPass(LogicalOp& plan, const OptimizerContext& ctx);
void DistinctEndsPass(LogicalOp& plan);
void CountPushdownPass(LogicalOp& plan);
void OrderedTopPass(LogicalOp& plan, const OptimizerContext& ctx);

}  // namespace lodestone::query::optimizer
