#include "query/optimizer/optimizer.h"

namespace lodestone::query::optimizer {

LogicalPtr Optimize(LogicalPtr plan, const OptimizerContext& ctx) {
  TimeWindowPass(*plan, ctx);
  DistinctEndsPass(*plan);
  CountPushdownPass(*plan);
  OrderedTopPass(*plan, ctx);
  return plan;
}

}  // namespace lodestone::query::optimizer
