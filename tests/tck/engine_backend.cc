#include "tests/tck/engine_backend.h"

#include <filesystem>
#include <system_error>

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

Result<GraphState> EngineBackend::Capture() {
  auto view = db_->store().Read();
  return CaptureGraphState(*view);
}

}  // namespace lodestone::tck
