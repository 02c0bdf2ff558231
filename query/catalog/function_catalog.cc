#include "query/catalog/function_catalog.h"

#include <cctype>
#include <mutex>

#include "query/eval/functions.h"
#include "util/strings.h"

namespace lodestone::query {
namespace {

using util::Lower;

}  // namespace

FunctionCatalog::FunctionCatalog() {
  for (FunctionInfo& f : BuiltinFunctions()) {
    std::string key = Lower(f.name);
    by_name_[std::move(key)] = std::make_shared<const FunctionInfo>(std::move(f));
  }
}

std::shared_ptr<const FunctionInfo> FunctionCatalog::Find(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = by_name_.find(Lower(name));
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const FunctionInfo>> FunctionCatalog::All() const {
  std::shared_lock lock(mu_);
  std::vector<std::shared_ptr<const FunctionInfo>> out;
  out.reserve(by_name_.size());
  for (const auto& [name, f] : by_name_) out.push_back(f);
  return out;
}

Status FunctionCatalog::Register(FunctionInfo info) {
  if (info.name.empty()) return Status::InvalidArgument("a function needs a name");
  if (!info.fn) return Status::InvalidArgument("function " + info.name + "() has no implementation");
  if (info.min_args < 0 || (info.max_args >= 0 && info.max_args < info.min_args)) {
    return Status::InvalidArgument("function " + info.name + "() takes " + std::to_string(info.min_args) +
                                   " to " + std::to_string(info.max_args) + " arguments, which is no range");
  }
  std::string key = Lower(info.name);
  std::unique_lock lock(mu_);
  by_name_[std::move(key)] = std::make_shared<const FunctionInfo>(std::move(info));
  ++version_;
  return Status::OK();
}

uint64_t FunctionCatalog::version() const {
  std::shared_lock lock(mu_);
  return version_;
}

}  // namespace lodestone::query
