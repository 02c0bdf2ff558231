// Rules applied to each function call as the binder builds it: a call the executor can run in a
// cheaper, specialised form is replaced by that form. Exec offers the forms (query/exec/expr.h); the
// choice of when to use them is made here.
//
//   truncate(date, 'month') with a constant unit -> MakeTruncateToPeriod (the unit read once; rows
//                                                  in date order reuse the period of the row before)
#pragma once

#include "query/catalog/function_catalog.h"
#include "query/exec/expr.h"

namespace lodestone::query::optimizer {

// `call` is MakeCall(f, ...); returns it or its specialised form.
ExprPtr RewriteCall(const FunctionInfo& f, ExprPtr call);

}  // namespace lodestone::query::optimizer
