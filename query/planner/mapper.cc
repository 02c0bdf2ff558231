// The mapper: physical operators (query/exec/plan.h) for an optimized logical plan. It decides
// nothing; every choice was made by the planner or an optimizer pass.
#include "query/planner/logical_plan.h"

namespace lodestone::query {

PlanPtr MapToPhysical(const LogicalOp& op) {
  auto in = [&]() { return MapToPhysical(*op.input()); };
  switch (op.kind) {
    case LogicalOpKind::kStart:
      return MakeStart();
    case LogicalOpKind::kNodeScan:
      return MakeNodeScan(op.slot, op.var, op.scan, op.scan_label, op.scan_prop, in());
    case LogicalOpKind::kExpand:
      return MakeExpand(op.expand, in());
    case LogicalOpKind::kShortestPath:
      return MakeShortestPath(op.shortest, in());
    case LogicalOpKind::kFilter:
      return MakeFilter(op.expr, in());
    case LogicalOpKind::kProject:
      return MakeProject(op.items, in());
    case LogicalOpKind::kAggregate:
      return MakeAggregate(op.items, op.aggregates, in());
    case LogicalOpKind::kDistinct:
      return MakeDistinct(op.slots, in());
    case LogicalOpKind::kSort:
      return MakeSort(op.sort_keys, op.skip, op.limit, in(), op.input_ordered);
    case LogicalOpKind::kSkip:
      return MakeSkip(op.expr, in());
    case LogicalOpKind::kLimit:
      return MakeLimit(op.expr, in(), op.flag);
    case LogicalOpKind::kUnwind:
      return MakeUnwind(op.slot, op.var, op.expr, in());
    case LogicalOpKind::kOptional:
      return MakeOptional(MapToPhysical(*op.children.at(1)), op.slots, in());
    case LogicalOpKind::kUnion: {
      std::vector<PlanPtr> parts;
      for (const auto& c : op.children) parts.push_back(MapToPhysical(*c));
      return MakeUnion(std::move(parts), op.from_slots, op.slots, op.flag);
    }
    case LogicalOpKind::kEager:
      return MakeEager(in());
    case LogicalOpKind::kCreate:
      return MakeCreate(op.create, in());
    case LogicalOpKind::kMerge:
      return MakeMerge(MapToPhysical(*op.children.at(1)), op.create, op.sets, op.on_match, in());
    case LogicalOpKind::kSet:
      return MakeSet(op.sets, in());
    case LogicalOpKind::kDelete:
      return MakeDelete(op.targets, op.flag, in());
    case LogicalOpKind::kProcedureCall:
      return MakeProcedureCall(op.call, in());
    case LogicalOpKind::kCount:
      return MakeCount(op.count, in());
  }
  return nullptr;
}

}  // namespace lodestone::query
