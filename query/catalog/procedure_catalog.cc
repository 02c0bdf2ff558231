#include "query/catalog/procedure_catalog.h"

#include <array>
#include <mutex>
#include <set>
#include <utility>

#include "util/strings.h"

namespace lodestone::query {
namespace {

constexpr std::array<std::pair<ProcedureType, std::string_view>, 13> kTypeNames = {{
    {ProcedureType::kAny, "ANY"},
    {ProcedureType::kBoolean, "BOOLEAN"},
    {ProcedureType::kInteger, "INTEGER"},
    {ProcedureType::kFloat, "FLOAT"},
    {ProcedureType::kNumber, "NUMBER"},
    {ProcedureType::kString, "STRING"},
    {ProcedureType::kDate, "DATE"},
    {ProcedureType::kDateTime, "DATETIME"},
    {ProcedureType::kList, "LIST"},
    {ProcedureType::kMap, "MAP"},
    {ProcedureType::kNode, "NODE"},
    {ProcedureType::kRelationship, "RELATIONSHIP"},
    {ProcedureType::kPath, "PATH"},
}};

std::string Fields(const std::vector<ProcedureField>& fields) {
  std::string out = "(";
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ", ";
    out += fields[i].name + " :: " + std::string(ProcedureTypeName(fields[i].type));
    if (fields[i].default_value) out += " = " + fields[i].default_value->ToString();
  }
  return out + ")";
}

}  // namespace

std::string_view ProcedureTypeName(ProcedureType type) {
  for (const auto& [t, name] : kTypeNames) {
    if (t == type) return name;
  }
  return "ANY";
}

std::optional<ProcedureType> ParseProcedureType(std::string_view name) {
  for (const auto& [t, type_name] : kTypeNames) {
    if (util::EqualsIgnoreCase(name, type_name)) return t;
  }
  return std::nullopt;
}

bool ProcedureAccepts(ProcedureType type, const Value& value) {
  if (value.is_null()) return true;
  switch (type) {
    case ProcedureType::kAny:
      return true;
    case ProcedureType::kBoolean:
      return value.is_bool();
    case ProcedureType::kInteger:
      return value.is_int();
    case ProcedureType::kFloat:
    case ProcedureType::kNumber:
      return value.is_number();
    case ProcedureType::kString:
      return value.is_string();
    case ProcedureType::kDate:
      return value.is_date();
    case ProcedureType::kDateTime:
      return value.is_datetime();
    case ProcedureType::kList:
      return value.is_list();
    case ProcedureType::kMap:
      return value.is_map();
    case ProcedureType::kNode:
      return value.is_node();
    case ProcedureType::kRelationship:
      return value.is_rel();
    case ProcedureType::kPath:
      return value.is_path();
  }
  return false;
}

size_t ProcedureInfo::RequiredInputs() const {
  size_t n = 0;
  while (n < inputs.size() && !inputs[n].default_value) ++n;
  return n;
}

std::string ProcedureInfo::Signature() const {
  return name + Fields(inputs) + " :: " + (outputs.empty() ? std::string("VOID") : Fields(outputs));
}

ProcedureCatalog::ProcedureCatalog() {
  for (ProcedureInfo& p : BuiltinProcedures(this)) {
    std::string key = p.name;
    by_name_[std::move(key)] = std::make_shared<const ProcedureInfo>(std::move(p));
  }
}

std::shared_ptr<const ProcedureInfo> ProcedureCatalog::Find(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::shared_ptr<const ProcedureInfo> ProcedureCatalog::FindIgnoringCase(std::string_view name) const {
  std::shared_lock lock(mu_);
  for (const auto& [key, p] : by_name_) {
    if (util::EqualsIgnoreCase(key, name)) return p;
  }
  return nullptr;
}

std::vector<std::shared_ptr<const ProcedureInfo>> ProcedureCatalog::All() const {
  std::shared_lock lock(mu_);
  std::vector<std::shared_ptr<const ProcedureInfo>> out;
  out.reserve(by_name_.size());
  for (const auto& [name, p] : by_name_) out.push_back(p);
  return out;
}

Status ProcedureCatalog::Register(ProcedureInfo info) {
  if (info.name.empty()) return Status::InvalidArgument("a procedure needs a name");
  if (!info.fn) return Status::InvalidArgument("procedure " + info.name + " has no implementation");
  for (const auto* fields : {&info.inputs, &info.outputs}) {
    std::set<std::string> names;
    for (const ProcedureField& f : *fields) {
      if (f.name.empty() || !names.insert(f.name).second) {
        return Status::InvalidArgument(
            "procedure " + info.name + " has two fields named '" + f.name +
            "' (or a nameless one); each input and each output needs its own name");
      }
    }
  }
  for (size_t i = info.RequiredInputs(); i < info.inputs.size(); ++i) {
    if (!info.inputs[i].default_value) {
      return Status::InvalidArgument("procedure " + info.name + ": input '" + info.inputs[i].name +
                                     "' has no default but follows one that has; inputs with defaults "
                                     "must come last");
    }
  }
  std::string key = info.name;
  std::unique_lock lock(mu_);
  by_name_[std::move(key)] = std::make_shared<const ProcedureInfo>(std::move(info));
  ++version_;
  return Status::OK();
}

uint64_t ProcedureCatalog::version() const {
  std::shared_lock lock(mu_);
  return version_;
}

}  // namespace lodestone::query
