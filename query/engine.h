// The engine behind Database/Connection: parse, compile (with a plan cache), run, shape results.
#pragma once

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "query/database.h"
#include "query/planner/compiler.h"

namespace lodestone::query {

class Engine {
 public:
  explicit Engine(GraphStore* store) : store_(store) {}

  FunctionCatalog& functions() { return functions_; }
  ProcedureCatalog& procedures() { return procedures_; }

  // Runs one statement. With `external_txn`, reads and writes go through it and nothing is committed
  // (the caller commits); otherwise a statement that writes runs in its own transaction.
  // `present` (may be null) keeps a view of the present between statements of one connection.
  ExecResult Execute(std::string_view text, const ValueMap& params, const QueryOptions& options,
                     WriteTxn* external_txn, std::unique_ptr<ReadView>* present = nullptr);
  ExecResult ExecuteScript(std::string_view text, const ValueMap& params, const QueryOptions& options);

  // Compiled statements cached by text; a change of the catalog (names, indexes) empties the cache.
  size_t cached_plans();

 private:
  struct Compiled {
    std::shared_ptr<const CompiledStatement> statement;
    std::optional<QueryError> error;
  };
  Compiled Prepare(std::string_view text);
  ExecResult Run(const CompiledStatement& s, std::string_view text, const ValueMap& params,
                 const QueryOptions& options, WriteTxn* external_txn, std::unique_ptr<ReadView>* present);
  ExecResult RunSchema(const CompiledStatement& s, std::string_view text, const QueryOptions& options,
                       WriteTxn* external_txn);

  // What the compiler may ask: the names and indexes of `names`, the functions, the dated property.
  PlannerCatalog Catalog(const NameResolver* names) const;

  GraphStore* store_;
  FunctionCatalog functions_;
  ProcedureCatalog procedures_;
  std::mutex mu_;
  static constexpr size_t kCacheCapacity = 512;
  std::list<std::string> lru_;
  std::unordered_map<std::string,
                     std::pair<std::shared_ptr<const CompiledStatement>, std::list<std::string>::iterator>>
      cache_;
  uint64_t cache_signature_ = 0;   // the names' generation the cached plans were compiled at
  uint64_t cache_functions_ = 0;   // the function catalog's version they were compiled at
  uint64_t cache_procedures_ = 0;  // the procedure catalog's version they were compiled at
};

// Formats an error for a terminal: "<kind> at line L, column C: message", the line, and a caret.
std::string FormatError(std::string_view text, const QueryError& e);

}  // namespace lodestone::query
