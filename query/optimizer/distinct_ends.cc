// Distinct ends: MATCH (a)-[*1..3]-(b) WHERE b <> a RETURN DISTINCT b (or count(DISTINCT b), min,
// max) needs each end node once, not each path to it. When nothing reads the relationship list, the
// start is excluded by a filter on the way up, and every operator between the expansion and the
// DISTINCT passes rows through without counting them, and no relationship bound elsewhere in the
// pattern must be avoided, the expansion searches breadth-first and visits each node once
// (ExpandSpec::distinct_ends).
#include <algorithm>
#include <set>

#include "query/optimizer/optimizer.h"

namespace lodestone::query::optimizer {
namespace {

// Operators that neither count nor drop rows by position: duplicates below them only repeat rows above.
bool PassesThrough(LogicalOpKind k) {
  return k == LogicalOpKind::kFilter || k == LogicalOpKind::kProject || k == LogicalOpKind::kNodeScan ||
         k == LogicalOpKind::kExpand;
}

// Whether every aggregate gives the same result with duplicate rows removed.
bool IgnoresDuplicates(const LogicalOp& op) {
  if (op.kind == LogicalOpKind::kDistinct) return true;
  if (op.kind != LogicalOpKind::kAggregate) return false;
  return std::all_of(op.aggregates.begin(), op.aggregates.end(), [](const AggregateSpec& a) {
    return a.distinct || a.kind == AggKind::kMin || a.kind == AggKind::kMax;
  });
}

void CollectUsedSlots(const LogicalOp& op, std::set<int>* used) {
  op.ForEachExpr([&](const Expr& e) {
    std::vector<int> s;
    e.CollectSlots(&s);
    used->insert(s.begin(), s.end());
  });
  for (const auto& c : op.children) CollectUsedSlots(*c, used);
}

bool Excludes(const LogicalOp& filter, int from, int to) {
  for (const ExprPtr& conjunct : SplitConjuncts(filter.expr)) {
    auto ne = AsInequality(*conjunct);
    if (!ne) continue;
    int l = SlotOf(*ne->first), r = SlotOf(*ne->second);
    if ((l == from && r == to) || (l == to && r == from)) return true;
  }
  return false;
}

// Below a duplicate-insensitive operator: `filters` are the filters met on the way down.
void Mark(LogicalOp& op, std::vector<const LogicalOp*> filters, const std::set<int>& used) {
  if (op.kind == LogicalOpKind::kFilter) filters.push_back(&op);
  if (op.kind == LogicalOpKind::kExpand) {
    ExpandSpec& s = op.expand;
    bool excluded = std::any_of(filters.begin(), filters.end(),
                                [&](const LogicalOp* f) { return Excludes(*f, s.from, s.to); });
    // Relationships bound elsewhere in the pattern (distinct_from) must not be walked: a search that
    // visits each node once cannot honour that, so it is left to the path enumeration.
    if (s.var_length && !s.into && s.min_hops <= 1 && !used.count(s.rel) && s.distinct_from.empty() &&
        excluded)
      s.distinct_ends = true;
  }
  if (!op.children.empty() && PassesThrough(op.children[0]->kind)) Mark(*op.children[0], filters, used);
}

void Walk(LogicalOp& op, const std::set<int>& used) {
  if (IgnoresDuplicates(op) && PassesThrough(op.input()->kind)) Mark(*op.input(), {}, used);
  for (auto& c : op.children) Walk(*c, used);
}

}  // namespace

void DistinctEndsPass(LogicalOp& plan) {
  std::set<int> used;
  CollectUsedSlots(plan, &used);
  Walk(plan, used);
}

}  // namespace lodestone::query::optimizer
