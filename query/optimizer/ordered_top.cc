// Top-k over rows that come in order of the first sort key: ORDER BY b.date [DESC], ... LIMIT k above
// the timeline walk of one node (ExpandByTime), which yields b in date order (newest first for DESC:
// the pass turns the walk round). Once k rows are kept, a row whose date is past the k-th's cannot be
// among the first k, and neither can any after it, so the Top stops reading its input there: the
// operators below it (the record reads of a RETURN, say) run for about k rows instead of every row in
// the window.
#include <optional>
#include <tuple>

#include "query/optimizer/optimizer.h"

namespace lodestone::query::optimizer {
namespace {

// Whether `op` yields at most one row each time it runs: the incoming row, a node found by its key
// or already bound, and what filters and projections make of them.
bool AtMostOneRow(const LogicalOp& op) {
  switch (op.kind) {
    case LogicalOpKind::kStart:
      return true;
    case LogicalOpKind::kNodeScan:
      return (op.scan.kind == ScanSpec::Kind::kKey || op.scan.kind == ScanSpec::Kind::kSlot) &&
             AtMostOneRow(*op.children[0]);
    case LogicalOpKind::kFilter:
    case LogicalOpKind::kProject:
      return AtMostOneRow(*op.children[0]);
    default:
      return false;
  }
}

// The timeline walk whose order `sort`'s input keeps, if any: the sort's first key is the dated
// property of a node, read directly or as a column a projection below made of it, and below it,
// through operators that keep their input's order and do not rebind the node, is a timeline walk that
// binds the node, by that property, and runs once.
LogicalOp* DateOrderedWalk(const LogicalOp& sort, const OptimizerContext& ctx) {
  const Expr& key = *sort.sort_keys[0].expr;
  int slot = SlotOf(key);  // a column, until the projection that makes it is found
  std::optional<uint32_t> prop;
  if (auto sp = SlotProperty(key)) std::tie(slot, prop) = *sp;
  if (slot < 0) return nullptr;
  for (LogicalOp* op = sort.children[0].get();; op = op->children[0].get()) {
    switch (op->kind) {
      case LogicalOpKind::kFilter:
      case LogicalOpKind::kDistinct:  // keeps each row's first occurrence, in order
        break;
      case LogicalOpKind::kProject: {
        const Expr* made = nullptr;
        for (const auto& [s, e] : op->items) {
          if (s == slot) made = e.get();
        }
        if (!made || SlotOf(*made) == slot) break;
        if (prop) return nullptr;  // the node's slot is given another value here
        auto sp = SlotProperty(*made);
        if (!sp) return nullptr;
        std::tie(slot, prop) = *sp;
        break;
      }
      case LogicalOpKind::kUnwind:
        if (op->slot == slot) return nullptr;
        break;
      case LogicalOpKind::kExpand: {
        const ExpandSpec& e = op->expand;
        if (e.to == slot) {
          const bool walk = prop && e.by_time && !e.var_length && e.date_symbol == *prop &&
                            ctx.symbols->prop_keys[*prop] == ctx.dated_property &&
                            AtMostOneRow(*op->children[0]);
          return walk ? op : nullptr;
        }
        if (e.rel == slot) return nullptr;
        break;  // a later hop: each row's expansions follow one another, in the rows' order
      }
      default:
        return nullptr;
    }
  }
}

void Walk(LogicalOp& op, const OptimizerContext& ctx) {
  for (auto& child : op.children) Walk(*child, ctx);
  if (op.kind != LogicalOpKind::kSort || !op.limit || op.sort_keys.empty()) return;
  if (LogicalOp* walk = DateOrderedWalk(op, ctx)) {
    op.input_ordered = true;
    // The rows between keep the walk's order, and the Top sorts them again: turning the walk round
    // changes nothing but where the Top can stop.
    walk->expand.newest_first = op.sort_keys[0].descending;
  }
}

}  // namespace

void OrderedTopPass(LogicalOp& plan, const OptimizerContext& ctx) {
  if (ctx.symbols == nullptr || ctx.dated_property.empty()) return;
  Walk(plan, ctx);
}

}  // namespace lodestone::query::optimizer
