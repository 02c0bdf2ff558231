// The built-in procedures: what the database holds (db.labels(), db.relationshipTypes(),
// db.propertyKeys(), db.indexes()) and what can be called (dbms.procedures()).
#include <algorithm>

#include "query/catalog/procedure_catalog.h"
#include "query/exec/context.h"

namespace lodestone::query {
namespace {

// Emits one row per name, sorted, skipping the empty names of unused ids.
void EmitNames(ProcedureCall& call, std::vector<std::string> names) {
  names.erase(std::remove(names.begin(), names.end(), std::string()), names.end());
  std::sort(names.begin(), names.end());
  for (std::string& name : names) call.Emit({Value(std::move(name))});
}

}  // namespace

std::vector<ProcedureInfo> BuiltinProcedures(const ProcedureCatalog* catalog) {
  std::vector<ProcedureInfo> out;

  ProcedureInfo labels;
  labels.name = "db.labels";
  labels.outputs = {{"label", ProcedureType::kString}};
  labels.summary = "The labels that at least one node has (as the statement reads the graph), sorted.";
  labels.fn = [](ProcedureCall& call) {
    ReadView& view = call.ctx().view();
    std::vector<std::string> names = view.names().LabelNames();
    std::vector<std::string> used;
    for (size_t id = 0; id < names.size(); ++id) {
      if (names[id].empty()) continue;
      std::unique_ptr<NodeCursor> cursor = view.ScanLabel(static_cast<LabelId>(id));
      if (cursor->Valid()) used.push_back(names[id]);
      if (!cursor->status().ok()) ThrowStatus(cursor->status(), call.where());
    }
    EmitNames(call, std::move(used));
  };
  out.push_back(std::move(labels));

  ProcedureInfo types;
  types.name = "db.relationshipTypes";
  types.outputs = {{"relationshipType", ProcedureType::kString}};
  types.summary = "Every relationship type the database has a name for, sorted.";
  types.fn = [](ProcedureCall& call) { EmitNames(call, call.ctx().view().names().RelTypeNames()); };
  out.push_back(std::move(types));

  ProcedureInfo keys;
  keys.name = "db.propertyKeys";
  keys.outputs = {{"propertyKey", ProcedureType::kString}};
  keys.summary = "Every property key the database has a name for, sorted.";
  keys.fn = [](ProcedureCall& call) { EmitNames(call, call.ctx().view().names().PropKeyNames()); };
  out.push_back(std::move(keys));

  ProcedureInfo indexes;
  indexes.name = "db.indexes";
  indexes.outputs = {{"label", ProcedureType::kString},
                     {"properties", ProcedureType::kList},
                     {"valueType", ProcedureType::kString}};
  indexes.summary =
      "The property indexes (CREATE INDEX ON :Label(property)): label, properties and the kind of value "
      "they hold, sorted.";
  indexes.fn = [](ProcedureCall& call) {
    const NameResolver& names = call.ctx().view().names();
    std::vector<std::vector<Value>> rows;
    for (const IndexSpec& index : names.Indexes()) {
      rows.push_back({Value(names.LabelName(index.label)),
                      Value(ValueList{Value(names.PropKeyName(index.key))}),
                      Value(std::string(Value::KindName(index.kind)))});
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return a[0].as_string() != b[0].as_string() ? a[0].as_string() < b[0].as_string()
                                                  : a[1].ToString() < b[1].ToString();
    });
    for (auto& row : rows) call.Emit(std::move(row));
  };
  out.push_back(std::move(indexes));

  ProcedureInfo procedures;
  procedures.name = "dbms.procedures";
  procedures.outputs = {{"name", ProcedureType::kString},
                        {"signature", ProcedureType::kString},
                        {"description", ProcedureType::kString},
                        {"mode", ProcedureType::kString}};
  procedures.summary = "Every procedure CALL can run: name, signature, description and mode (READ or WRITE).";
  procedures.fn = [catalog](ProcedureCall& call) {
    for (const auto& p : catalog->All()) {
      call.Emit({Value(p->name), Value(p->Signature()), Value(p->summary),
                 Value(p->mode == ProcedureMode::kWrite ? "WRITE" : "READ")});
    }
  };
  out.push_back(std::move(procedures));

  return out;
}

}  // namespace lodestone::query
