#include "query/optimizer/expression_rules.h"

#include <vector>

#include "query/eval/functions.h"

namespace lodestone::query::optimizer {
namespace {

std::vector<const Expr*> Arguments(const Expr& call) {
  std::vector<const Expr*> out;
  call.ForEachChild([&](const Expr& e) { out.push_back(&e); });
  return out;
}

// truncate(x, 'month'): the unit is a constant string naming a precision, and x is not constant
// (a constant call is folded whole).
ExprPtr Truncate(ExprPtr call) {
  if (call->IsConstant()) return call;
  std::vector<const Expr*> args = Arguments(*call);
  if (args.size() != 2) return call;
  auto unit = ConstantValue(*args[1]);
  if (!unit || !unit->is_string()) return call;
  auto precision = ParsePrecisionName(unit->as_string());
  if (!precision) return call;
  return MakeTruncateToPeriod(std::move(call), *precision);
}

}  // namespace

ExprPtr RewriteCall(const FunctionInfo& f, ExprPtr call) {
  // By implementation, not by name: a module that registers its own truncate() keeps it as it is.
  if (f.fn == BuiltinTruncate()) return Truncate(std::move(call));
  return call;
}

}  // namespace lodestone::query::optimizer
