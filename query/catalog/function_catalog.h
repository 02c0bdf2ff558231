// The functions a database's statements can call: one catalog per Database, holding the built-in
// library (query/eval/functions.cc) and whatever a module above registers at start-up (the domain's
// status(), package_status(), ...: domain/functions.h).
//
// Each function's metadata lives here and nowhere else: its arity (checked by the binder), its
// volatility (whether a call of constants may be folded into the cached plan) and its null behaviour
// (whether any null argument makes the result null, so that the function is not called at all).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "query/exec/expr.h"
#include "store/status.h"

namespace lodestone::query {

enum class Volatility {
  kImmutable,  // the same arguments give the same result, always: a call of constants is computed once per
               // plan
  kVolatile,   // the result may change between calls (randomness, the clock, "today"): never folded
};

enum class NullBehavior {
  kNullInNullOut,  // any null argument gives null; the function itself never sees a null
  kCustom,         // the function decides (coalesce(), toString(), ...)
};

struct FunctionInfo {
  std::string name;  // as documented, e.g. "toLower"; looked up case-insensitively
  ScalarFunction fn = nullptr;
  int min_args = 0;
  int max_args = 0;       // -1: any number
  std::string signature;  // e.g. "toLower(string) :: STRING"
  std::string summary;
  Volatility volatility = Volatility::kImmutable;
  NullBehavior nulls = NullBehavior::kCustom;
  // date() and datetime() read the clock when called without arguments and are immutable otherwise.
  bool volatile_without_arguments = false;

  Volatility VolatilityOf(size_t argument_count) const {
    return argument_count == 0 && volatile_without_arguments ? Volatility::kVolatile : volatility;
  }
};

// Thread-safe: functions may be looked up from many threads while one registers.
class FunctionCatalog {
 public:
  // A catalog with the built-in functions.
  FunctionCatalog();

  // The function named `name` (case-insensitive), or null.
  std::shared_ptr<const FunctionInfo> Find(std::string_view name) const;
  // Every function, sorted by name (for :help and the docs).
  std::vector<std::shared_ptr<const FunctionInfo>> All() const;
  // Adds a function, or replaces one of the same name. Refuses a nameless one, one without an
  // implementation, and an arity that makes no sense.
  Status Register(FunctionInfo info);
  // Changes with every Register, so that plans compiled against an earlier catalog can be dropped.
  uint64_t version() const;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, std::shared_ptr<const FunctionInfo>> by_name_;  // by lower-case name
  uint64_t version_ = 0;
};

}  // namespace lodestone::query
