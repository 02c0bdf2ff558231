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

// Label tests of one node (and, with `excluded` set, the inequality of that node with *excluded)
// in the filters from `op` down: the first operator below them, or null when a filter holds
// anything else. *tested is the node's slot (-1: no label test).
const LogicalOp* SkipLabelTests(const LogicalOp* op, int* tested, CountSpec* spec, const int* excluded,
                                bool* saw_exclusion) {
  while (op->kind == LogicalOpKind::kFilter) {
    for (const ExprPtr& conjunct : SplitConjuncts(op->expr)) {
      if (excluded) {
        if (auto ne = AsInequality(*conjunct)) {
          int l = SlotOf(*ne->first), r = SlotOf(*ne->second);
          if ((l == *excluded && r >= 0 && r != l) || (r == *excluded && l >= 0 && l != r)) {
            int other = l == *excluded ? r : l;
            if (*tested >= 0 && *tested != other) return nullptr;
            *tested = other;
            *saw_exclusion = true;
            continue;
          }
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
  int tested = -1;
  bool excluded = false;
  if (SkipLabelTests(op.children.at(0).get(), &tested, spec, &e.from, &excluded) != child) return false;
  if (!excluded || (tested >= 0 && tested != e.to)) return false;
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
  const LogicalOp* child = SkipLabelTests(op.children.at(0).get(), &tested, spec, nullptr, nullptr);
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
  CountSpec spec;
  const LogicalOp* below = nullptr;
  if (!(op.items.empty() && DistinctEnds(op, &spec, &below)) && !PlainCount(op, &spec, &below)) return;
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
