// Count pushdown: counts are computed where the rows would come from, without producing them
// (CountSpec, query/exec/plan.h; the Count operator in query/exec/expand.cc reads the topology
// cache's arrays, label bitmaps, validity and time indexes where it can):
//
//   MATCH (a {key: $k})-[:T]->(x:L) RETURN count(x)                          a hop
//   MATCH (x:L) VALID AT $d RETURN count(x)                                  a label's members
//   MATCH (a {key: $k})-[:T*1..3]-(b:L) WHERE b <> a RETURN count(DISTINCT b)  distinct ends
//   MATCH (e:Event) WHERE e.date >= $from RETURN truncate(e.date, 'month'), count(*)
//                                                                            a time scan, grouped
//
// A hop or a label's members: every aggregate is a plain count of the rows (count(*), or count(x)
// of the node the pattern binds, which is never null there), with nothing to group by; the filters
// between the aggregate and the pattern are label tests of that node; the hop is a single one in one
// direction with nothing else asked of it (no VALID AT, no relationship uniqueness against another,
// no known far end).
//
// Distinct ends: every aggregate is count(DISTINCT b) of the expansion's far node, with nothing to
// group by; the filters are label tests of b and the b <> a that excludes the start.
//
// A time scan: every aggregate is a plain count, and every grouping key is an expression of the
// scanned node's date alone (ReadsOnlyProperty), so that each run of one date in the index is one
// group's worth of rows.
#include "query/optimizer/optimizer.h"

namespace lodestone::query::optimizer {
namespace {

// The slot every aggregate counts (count(x), or count(DISTINCT x) when `distinct`), -1 for
// count(*) only; nullopt when an aggregate is anything else.
std::optional<int> CountedSlot(const LogicalOp& aggregate, bool distinct) {
  int slot = -1;
  for (const AggregateSpec& a : aggregate.aggregates) {
    if (a.distinct != distinct) return std::nullopt;
    if (a.kind == AggKind::kCountStar && !distinct) continue;
    if (a.kind != AggKind::kCount || !a.arg) return std::nullopt;
    int s = SlotOf(*a.arg);
    if (s < 0 || (slot >= 0 && s != slot)) return std::nullopt;
    slot = s;
  }
  return slot;
}

// Label tests of one node in the filters from `op` down, and with `start` (not -1) the inequality
// of that node with `start` that excludes a distinct-ends search's start: the first operator below
// them, or null when a filter holds anything else. *tested is the node's slot (-1: none met).
const LogicalOp* SkipLabelTests(const LogicalOp* op, int start, int* tested, CountSpec* spec) {
  while (op->kind == LogicalOpKind::kFilter) {
    for (const ExprPtr& conjunct : SplitConjuncts(op->expr)) {
      if (auto ne = AsInequality(*conjunct); ne && start >= 0) {
        int l = SlotOf(*ne->first), r = SlotOf(*ne->second);
        int other = l == start ? r : r == start ? l : -1;
        if (other >= 0 && other != start) {
          if (*tested >= 0 && *tested != other) return nullptr;
          *tested = other;
          continue;
        }
      }
      auto test = AsLabelTest(*conjunct);
      if (!test || (*tested >= 0 && test->slot != *tested)) return nullptr;
      *tested = test->slot;
      spec->to_labels.insert(spec->to_labels.end(), test->symbols.begin(), test->symbols.end());
      spec->label_names.insert(spec->label_names.end(), test->names.begin(), test->names.end());
    }
    op = op->children.at(0).get();
  }
  return op;
}

// count(DISTINCT b) over the distinct ends of a variable-length expansion.
bool DistinctEnds(const LogicalOp& op, CountSpec* spec, const LogicalOp** below) {
  auto counted = CountedSlot(op, /*distinct=*/true);
  if (!counted || *counted < 0) return false;
  // The start is excluded by a filter; find the expansion first to know which slot it is.
  const LogicalOp* child = op.children.at(0).get();
  while (child->kind == LogicalOpKind::kFilter) child = child->children.at(0).get();
  if (child->kind != LogicalOpKind::kExpand) return false;
  const ExpandSpec& e = child->expand;
  if (!e.var_length || !e.distinct_ends || e.into || e.valid_at || !e.distinct_from.empty() ||
      e.to != *counted) {
    return false;
  }
  // The exclusion of the start is among the filters (the distinct-ends pass asks for it).
  int tested = -1;
  if (SkipLabelTests(op.children.at(0).get(), e.from, &tested, spec) != child) return false;
  if (tested >= 0 && tested != e.to) return false;
  spec->source = CountSpec::Source::kDistinctEnds;
  spec->expand = e;
  *below = child;
  return true;
}

// Plain counts over a hop, a label's members or a time scan.
bool PlainCount(const LogicalOp& op, CountSpec* spec, const LogicalOp** below) {
  auto counted = CountedSlot(op, /*distinct=*/false);
  if (!counted) return false;
  int tested = -1;
  const LogicalOp* child = SkipLabelTests(op.children.at(0).get(), /*start=*/-1, &tested, spec);
  if (!child) return false;
  if (!op.items.empty()) {
    // Grouped: only a time scan, with keys of its date.
    if (child->kind != LogicalOpKind::kNodeScan || child->scan.kind != ScanSpec::Kind::kTime || tested >= 0 ||
        (*counted >= 0 && *counted != child->slot)) {
      return false;
    }
    for (const auto& [slot, key] : op.items) {
      if (!ReadsOnlyProperty(*key, child->slot, child->scan.prop_symbol)) return false;
    }
    spec->source = CountSpec::Source::kTime;
    spec->scan = child->scan;
    spec->scan_slot = child->slot;
    spec->scan_var = child->var;
    spec->scan_label = child->scan_label;
    spec->scan_prop = child->scan_prop;
    spec->keys = op.items;
  } else if (child->kind == LogicalOpKind::kExpand) {
    const ExpandSpec& e = child->expand;
    if (e.var_length || e.by_time || e.into || e.valid_at || !e.distinct_from.empty() ||
        e.dir == Dir::kBoth) {
      return false;
    }
    if ((*counted >= 0 && *counted != e.to) || (tested >= 0 && tested != e.to)) return false;
    spec->source = CountSpec::Source::kHop;
    spec->expand = e;
  } else if (child->kind == LogicalOpKind::kNodeScan && child->scan.kind == ScanSpec::Kind::kLabel &&
             tested < 0) {
    if (*counted >= 0 && *counted != child->slot) return false;
    spec->source = CountSpec::Source::kLabel;
    spec->scan = child->scan;
    spec->scan_label = child->scan_label;
  } else {
    return false;
  }
  *below = child;
  return true;
}

void Rewrite(LogicalOp& op) {
  for (auto& c : op.children) Rewrite(*c);
  if (op.kind != LogicalOpKind::kAggregate || op.aggregates.empty()) return;
  // Each shape fills a spec of its own: one that does not apply may have filled part of it.
  CountSpec spec;
  const LogicalOp* below = nullptr;
  if (!op.items.empty() || !DistinctEnds(op, &spec, &below)) {
    spec = CountSpec();
    if (!PlainCount(op, &spec, &below)) return;
  }
  for (const AggregateSpec& a : op.aggregates) spec.slots.push_back(a.slot);
  LogicalPtr input = below->children.at(0);
  op.kind = LogicalOpKind::kCount;
  op.aggregates.clear();
  op.items.clear();
  op.count = std::move(spec);
  op.children = {std::move(input)};
}

}  // namespace

void CountPushdownPass(LogicalOp& plan) { Rewrite(plan); }

}  // namespace lodestone::query::optimizer
