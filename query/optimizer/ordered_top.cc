// Top-k over rows that come in order of the first sort key: ORDER BY b.date [DESC], ... LIMIT k above
// the timeline walk of one node (ExpandByTime), which yields b in date order (newest first for DESC:
// the pass turns the walk round). A plain expansion there becomes such a walk over every neighbour,
// the undated ones first. Once k rows are kept, a row whose date is past the k-th's cannot be
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

// The expansion whose order `sort`'s input keeps, if any, and the dated property it orders by: the
// sort's first key is the dated property of a node, read directly or as a column a projection below
// made of it, and below it, through operators that keep their input's order and do not rebind the
// node, is an expansion that binds the node and runs once: a timeline walk by that property, or a
// plain single-hop expansion that can become one (no date window: every neighbour is walked).
struct OrderedWalk {
  LogicalOp* expand;
  uint32_t date_symbol;
};
std::optional<OrderedWalk> DateOrderedWalk(const LogicalOp& sort, const OptimizerContext& ctx) {
  const Expr& key = *sort.sort_keys[0].expr;
  int slot = SlotOf(key);  // a column, until the projection that makes it is found
  std::optional<uint32_t> prop;
  if (auto sp = SlotProperty(key)) std::tie(slot, prop) = *sp;
  if (slot < 0) return std::nullopt;
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
        if (prop) return std::nullopt;  // the node's slot is given another value here
        auto sp = SlotProperty(*made);
        if (!sp) return std::nullopt;
        std::tie(slot, prop) = *sp;
        break;
      }
      case LogicalOpKind::kUnwind:
        if (op->slot == slot) return std::nullopt;
        break;
      case LogicalOpKind::kExpand: {
        const ExpandSpec& e = op->expand;
        if (e.to == slot) {
          if (!prop || ctx.symbols->prop_keys[*prop] != ctx.dated_property || e.var_length || e.into ||
              !AtMostOneRow(*op->children[0]))
            return std::nullopt;
          if (e.by_time && e.date_symbol != *prop) return std::nullopt;
          return OrderedWalk{op, *prop};
        }
        if (e.rel == slot) return std::nullopt;
        break;  // a later hop: each row's expansions follow one another, in the rows' order
      }
      default:
        return std::nullopt;
    }
  }
}

void Walk(LogicalOp& op, const OptimizerContext& ctx) {
  for (auto& child : op.children) Walk(*child, ctx);
  if (op.kind != LogicalOpKind::kSort || !op.limit || op.sort_keys.empty()) return;
  if (auto walk = DateOrderedWalk(op, ctx)) {
    op.input_ordered = true;
    ExpandSpec& e = walk->expand->expand;
    if (!e.by_time) {
      // No date window: the walk takes in every neighbour, those without a date first (their keys
      // are null or not dates, which sort apart from the dates; the Top stops on dated rows only).
      e.by_time = true;
      e.with_undated = true;
      e.date_symbol = walk->date_symbol;
    }
    // The rows between keep the walk's order, and the Top sorts them again: turning the walk round
    // changes nothing but where the Top can stop.
    e.newest_first = op.sort_keys[0].descending;
  }
}

}  // namespace

void OrderedTopPass(LogicalOp& plan, const OptimizerContext& ctx) {
  if (ctx.symbols == nullptr || ctx.dated_property.empty()) return;
  Walk(plan, ctx);
}

}  // namespace lodestone::query::optimizer
