// The scalar function library, and the list of aggregate functions the binder recognises.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/exec/plan.h"

namespace lodestone::query {

struct FunctionInfo {
  std::string name;  // as documented, e.g. "toLower"
  ScalarFunction fn;
  int min_args;
  int max_args;  // -1: any number
  std::string signature;  // e.g. "toLower(string) :: string"
  std::string summary;
};

// Looks a function up by name, case-insensitively; nullptr when there is none.
const FunctionInfo* FindFunction(std::string_view name);
// Every function, for :help and the docs.
std::vector<const FunctionInfo*> AllFunctions();
// Adds a function (e.g. a domain module's); replaces one of the same name. Not thread-safe: call at
// start-up, before queries run.
void RegisterFunction(FunctionInfo info);

// The aggregate named `name` (case-insensitive), if it is one.
std::optional<AggKind> FindAggregate(std::string_view name);

}  // namespace lodestone::query
