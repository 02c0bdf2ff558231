// The real backend: a fresh Lodestone database in its own directory, queried through the facade.
#pragma once

#include <memory>
#include <string>

#include "query/database.h"
#include "tests/tck/runner.h"

namespace lodestone::tck {

class EngineBackend final : public Backend {
 public:
  // Creates an empty database in `dir` (which must not exist); the destructor removes the directory.
  // With a `template_dir` (see CreateTemplate), the new database is a copy of that one, which is
  // several times faster than creating a RocksDB database from nothing.
  static Result<std::unique_ptr<EngineBackend>> Create(const std::string& dir, const QueryOptions& options,
                                                       const std::string& template_dir = "");
  // Creates an empty database in `dir` and closes it, for Create to copy.
  static Status CreateTemplate(const std::string& dir);
  ~EngineBackend() override;

  ExecResult Execute(std::string_view statement, const ValueMap& params) override;
  ExecResult ExecuteScript(std::string_view script) override;
  Result<GraphState> Capture() override;
  // Registers the procedure into this scenario's database, answering from its table.
  Status RegisterProcedure(const TestProcedure& procedure) override;

 private:
  EngineBackend(std::string dir, std::unique_ptr<Database> db, const QueryOptions& options);
  std::string dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> conn_;
  QueryOptions options_;
};

}  // namespace lodestone::tck
