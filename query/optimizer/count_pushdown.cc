// Count pushdown: count(*) or count(x) with nothing to group by, over one hop from a bound node
// (MATCH (a {key: $k})-[:T]->(x:L) RETURN count(x)) or over a label's members (MATCH (x:L) VALID AT
// $d RETURN count(x)), is counted where the rows would come from, without producing them: Count
// reads the topology cache's arrays and label bitmaps where it can (query/exec/expand.cc).
//
// It applies when every aggregate is a plain count of the rows (count(*), or count(x) of the node
// the pattern binds, which is never null there), the filters between the aggregate and the pattern
// are label tests of that node, and the hop is a single one in one direction with nothing else
// asked of it (no VALID AT, no relationship uniqueness against another, no known far end).
#include "query/optimizer/optimizer.h"

namespace lodestone::query::optimizer {
namespace {

// The slot every aggregate counts (count(x)), -1 for count(*) only; nullopt when an aggregate is
// anything else.
std::optional<int> CountedSlot(const LogicalOp& aggregate) {
  int slot = -1;
  for (const AggregateSpec& a : aggregate.aggregates) {
    if (a.distinct) return std::nullopt;
    if (a.kind == AggKind::kCountStar) continue;
    if (a.kind != AggKind::kCount || !a.arg) return std::nullopt;
    int s = SlotOf(*a.arg);
    if (s < 0 || (slot >= 0 && s != slot)) return std::nullopt;
    slot = s;
  }
  return slot;
}

void Rewrite(LogicalOp& op) {
  for (auto& c : op.children) Rewrite(*c);
  if (op.kind != LogicalOpKind::kAggregate || !op.items.empty() || op.aggregates.empty()) return;
  auto counted = CountedSlot(op);
  if (!counted) return;
  CountSpec spec;
  for (const AggregateSpec& a : op.aggregates) spec.slots.push_back(a.slot);
  // Label tests of one node between the aggregate and the pattern.
  int tested = -1;
  const LogicalOp* child = op.children.at(0).get();
  while (child->kind == LogicalOpKind::kFilter) {
    for (const ExprPtr& conjunct : SplitConjuncts(child->expr)) {
      auto test = AsLabelTest(*conjunct);
      if (!test || (tested >= 0 && test->slot != tested)) return;
      tested = test->slot;
      spec.to_labels.insert(spec.to_labels.end(), test->symbols.begin(), test->symbols.end());
      spec.label_names.insert(spec.label_names.end(), test->names.begin(), test->names.end());
    }
    child = child->children.at(0).get();
  }
  if (child->kind == LogicalOpKind::kExpand) {
    const ExpandSpec& e = child->expand;
    if (e.var_length || e.by_time || e.into || e.valid_at || !e.distinct_from.empty() ||
        e.dir == Dir::kBoth) {
      return;
    }
    if ((*counted >= 0 && *counted != e.to) || (tested >= 0 && tested != e.to)) return;
    spec.expand = e;
  } else if (child->kind == LogicalOpKind::kNodeScan && child->scan.kind == ScanSpec::Kind::kLabel &&
             tested < 0) {
    if (*counted >= 0 && *counted != child->slot) return;
    spec.by_label = true;
    spec.scan = child->scan;
    spec.scan_label = child->scan_label;
  } else {
    return;
  }
  LogicalPtr input = child->children.at(0);
  op.kind = LogicalOpKind::kCount;
  op.aggregates.clear();
  op.count = std::move(spec);
  op.children = {std::move(input)};
}

}  // namespace

void CountPushdownPass(LogicalOp& plan) { Rewrite(plan); }

}  // namespace lodestone::query::optimizer
