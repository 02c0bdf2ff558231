#include "tests/tck/engine_backend.h"

#include <filesystem>
#include <memory>
#include <system_error>

#include "query/catalog/procedure_catalog.h"
#include "query/eval/value_ops.h"

namespace lodestone::tck {

namespace {

StoreOptions ScenarioStoreOptions() {
  StoreOptions store;
  store.create_if_missing = true;
  store.block_cache_bytes = size_t{8} << 20;  // scenarios hold a few dozen entities
  return store;
}

}  // namespace

Status EngineBackend::CreateTemplate(const std::string& dir) {
  auto db = Database::Open(dir, ScenarioStoreOptions());
  return db.status();
}

Result<std::unique_ptr<EngineBackend>> EngineBackend::Create(const std::string& dir,
                                                             const QueryOptions& options,
                                                             const std::string& template_dir) {
  if (!template_dir.empty()) {
    std::error_code ec;
    std::filesystem::copy(template_dir, dir, std::filesystem::copy_options::recursive, ec);
    if (ec) return Status::IOError("cannot copy " + template_dir + " to " + dir + ": " + ec.message());
  }
  auto db = Database::Open(dir, ScenarioStoreOptions());
  if (!db.ok()) return db.status();
  return std::unique_ptr<EngineBackend>(new EngineBackend(dir, std::move(db).value(), options));
}

EngineBackend::EngineBackend(std::string dir, std::unique_ptr<Database> db, const QueryOptions& options)
    : dir_(std::move(dir)), db_(std::move(db)), conn_(db_->Connect()), options_(options) {}

EngineBackend::~EngineBackend() {
  conn_.reset();
  db_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

ExecResult EngineBackend::Execute(std::string_view statement, const ValueMap& params) {
  return conn_->Execute(statement, params, options_);
}

ExecResult EngineBackend::ExecuteScript(std::string_view script) {
  return conn_->ExecuteScript(script, {}, options_);
}

Status EngineBackend::RegisterProcedure(const TestProcedure& procedure) {
  query::ProcedureInfo info;
  info.name = procedure.name;
  info.summary = "A test procedure of the compatibility suite.";
  for (const auto* fields : {&procedure.inputs, &procedure.outputs}) {
    for (const TestProcedure::Field& f : *fields) {
      std::optional<query::ProcedureType> type = query::ParseProcedureType(f.type);
      if (!type) return Status::InvalidArgument("procedure " + procedure.name + ": unknown type " + f.type);
      (fields == &procedure.inputs ? info.inputs : info.outputs).push_back({f.name, *type, std::nullopt});
    }
  }
  auto table = std::make_shared<const TestProcedure>(procedure);
  info.fn = [table](query::ProcedureCall& call) {
    const size_t inputs = table->inputs.size();
    for (const std::vector<Value>& row : table->rows) {
      bool match = true;
      for (size_t i = 0; i < inputs && match; ++i) {
        const Value& arg = call.args()[i];
        match = arg.is_null() ? row[i].is_null() : query::Equals(arg, row[i]) == query::Tri::kTrue;
      }
      if (match) call.Emit(std::vector<Value>(row.begin() + static_cast<std::ptrdiff_t>(inputs), row.end()));
    }
  };
  return db_->procedures().Register(std::move(info));
}

Result<GraphState> EngineBackend::Capture() {
  auto view = db_->store().Read();
  return CaptureGraphState(*view);
}

}  // namespace lodestone::tck
