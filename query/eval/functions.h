// The built-in scalar function library, and the list of aggregate functions the binder recognises.
// Each database's FunctionCatalog (query/catalog/function_catalog.h) starts with these.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "query/catalog/function_catalog.h"
#include "query/exec/plan.h"

namespace lodestone::query {

// The built-in functions, with their metadata.
std::vector<FunctionInfo> BuiltinFunctions();

// The built-in truncate(), which the optimizer knows a faster form of.
ScalarFunction BuiltinTruncate();

// The aggregate named `name` (case-insensitive), if it is one.
std::optional<AggKind> FindAggregate(std::string_view name);

}  // namespace lodestone::query
