// Time windows on expansions: (a)-[r]->(b) followed by filters comparing b's dated property with
// values known before the expansion reads a's timeline (ReadView::ScanSubjectTime) for that window,
// in date order and with each b's date at hand, instead of every relationship of a and then b's record.
// The filters stay: the window only narrows.
#include <algorithm>

#include "query/optimizer/optimizer.h"

namespace lodestone::query::optimizer {
namespace {

void Narrow(LogicalOp& expand, const std::vector<LogicalOp*>& filters, const OptimizerContext& ctx) {
  ExpandSpec& spec = expand.expand;
  for (const LogicalOp* f : filters) {
    auto sc = AsSimpleComparison(*f->expr);
    if (!sc || sc->op == CmpKind::kEq || sc->op == CmpKind::kNe) continue;
    CmpKind op = sc->op;
    ExprPtr other;
    uint32_t prop = 0;
    if (auto lp = SlotProperty(*sc->left); lp && lp->first == spec.to) {
      other = sc->right;
      prop = lp->second;
    } else if (auto rp = SlotProperty(*sc->right); rp && rp->first == spec.to) {
      other = sc->left;
      prop = rp->second;
      op = op == CmpKind::kLt   ? CmpKind::kGt
           : op == CmpKind::kGt ? CmpKind::kLt
           : op == CmpKind::kLe ? CmpKind::kGe
                                : CmpKind::kLe;
    } else {
      continue;
    }
    if (ctx.symbols->prop_keys[prop] != ctx.dated_property) continue;
    // The bound must be known before the expansion binds b and r.
    std::vector<int> slots;
    other->CollectSlots(&slots);
    if (std::any_of(slots.begin(), slots.end(), [&](int s) { return s == spec.to || s == spec.rel; }))
      continue;
    if (op == CmpKind::kGt || op == CmpKind::kGe) {
      if (spec.time_lower) continue;
      spec.time_lower = other;
      spec.time_lower_inclusive = op == CmpKind::kGe;
    } else {
      if (spec.time_upper) continue;
      spec.time_upper = other;
      spec.time_upper_inclusive = op == CmpKind::kLe;
    }
    spec.by_time = true;
    spec.date_symbol = prop;
  }
}

// `filters`: the filters directly above `op`, nearest first.
void Walk(LogicalOp& op, std::vector<LogicalOp*> filters, const OptimizerContext& ctx) {
  if (op.kind == LogicalOpKind::kExpand && !op.expand.var_length && !op.expand.into && !op.expand.by_time) {
    Narrow(op, filters, ctx);
  }
  for (size_t i = 0; i < op.children.size(); ++i) {
    std::vector<LogicalOp*> above;
    if (op.kind == LogicalOpKind::kFilter && i == 0) {
      above.push_back(&op);
      above.insert(above.end(), filters.begin(), filters.end());
    }
    Walk(*op.children[i], std::move(above), ctx);
  }
}

}  // namespace

void TimeWindowPass(LogicalOp& plan, const OptimizerContext& ctx) {
  if (ctx.symbols == nullptr || ctx.dated_property.empty()) return;
  Walk(plan, {}, ctx);
}

}  // namespace lodestone::query::optimizer
