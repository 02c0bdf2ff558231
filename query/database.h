// The query facade: open a database, connect, run Cypher-style statements with parameters, get typed
// columns and rows back.
//
//   auto db = Database::Open("data/lodestone.db", {});
//   auto conn = (*db)->Connect();
//   ExecResult r = conn->Execute("MATCH (c:Control) VALID AT date('2025-12-01') RETURN c.name", {});
//   if (!r.ok()) std::cerr << r.error->formatted;
//
// Threads: Database is thread-safe; a Connection is used by one thread at a time (take one per
// thread). Reads run on a snapshot and never wait for writers; a statement that writes takes the
// store's single writer lock for its duration and commits all of its writes as one atomic batch, or
// none of them.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/graph_store.h"
#include "store/value.h"

namespace lodestone {

namespace query {
class Engine;
class FunctionCatalog;
class ProcedureCatalog;
class Session;
}  // namespace query

struct QueryOptions {
  // Stop the statement with a timeout error after this long (0: no limit).
  std::chrono::milliseconds timeout{30'000};
  // Refuse to return more rows than this.
  uint64_t max_rows = 1'000'000;
  // Refuse to hold more than this many bytes of intermediate state (sorts, aggregates, DISTINCT,
  // materialised rows), as estimated by the engine.
  uint64_t max_memory_bytes = uint64_t{1} << 30;
  // Refuse statements that write (CREATE, MERGE, SET, REMOVE, DELETE, index commands).
  bool read_only = false;
  // Who or what writes, kept with every version the statement writes (e.g. "query by alice").
  std::string origin = "query";
};

// What a statement changed. Counts follow the usual Cypher conventions (a property set to null on a
// node that lacks it is not counted; setting a property to the value it holds is counted).
struct QueryStats {
  int64_t nodes_created = 0;
  int64_t nodes_deleted = 0;
  int64_t relationships_created = 0;
  int64_t relationships_deleted = 0;
  int64_t properties_set = 0;
  int64_t labels_added = 0;
  int64_t labels_removed = 0;
  bool indexes_changed = false;
  bool ContainsUpdates() const;
};

// A node or relationship mentioned in a result, as it was when the statement ended.
struct NodeData {
  std::string key;  // empty when the node has none
  std::vector<std::string> labels;
  std::map<std::string, Value> properties;
  std::vector<Period> validity;
  bool deleted = false;  // deleted by the statement itself
};
struct RelData {
  std::string type;
  NodeId src = 0;
  NodeId dst = 0;
  std::string key;
  std::map<std::string, Value> properties;
  std::vector<Period> validity;
  bool deleted = false;
};

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;  // each row has columns.size() values
  // Every node and relationship that occurs in rows (also inside lists, maps and paths).
  std::map<NodeId, NodeData> nodes;
  std::map<RelId, RelData> relationships;
  QueryStats stats;
  // EXPLAIN: the plan; PROFILE: the plan with rows and time per operator. Empty otherwise.
  std::string plan;
  std::chrono::microseconds elapsed{0};
  // The record time the statement read at (KNOWN AT, or the present), and the one its writes were
  // recorded at (0 when it wrote nothing).
  uint64_t read_record_time = 0;
  uint64_t write_record_time = 0;
};

struct QueryError {
  // What went wrong, in categories a client can act on. The names follow the error types of the
  // language's compatibility suite.
  enum class Kind {
    kSyntaxError,       // the text is not a valid statement (parser), or it breaks a static rule (binder)
    kSemanticError,     // a static rule beyond syntax, e.g. an aggregate inside an aggregate
    kTypeError,         // a value of the wrong type
    kArgumentError,     // a function argument out of range
    kConstraintError,   // the graph would break a rule (delete a node that has relationships; duplicate key)
    kEntityNotFound,    // a deleted node or relationship was used
    kParameterMissing,  // $name given no value
    kProcedureError,    // CALL of a procedure that does not exist
    kTimeout,
    kLimitExceeded,  // rows, memory or size limits
    kReadOnly,       // a write in a read-only context
    kStorageError,
    kInternalError,
  };
  Kind kind = Kind::kInternalError;
  // A finer code, e.g. "UndefinedVariable", "InvalidArgumentType", "DeleteConnectedNode".
  std::string detail;
  bool compile_time = false;  // found before any row was read
  // Where in the statement text (1-based), when the error has a place.
  int line = 0;
  int column = 0;
  std::string message;    // one sentence, no location
  std::string formatted;  // the message with its location and, where known, the line with a caret
  static std::string_view KindName(Kind kind);
};

struct ExecResult {
  QueryResult result;
  std::optional<QueryError> error;
  bool ok() const { return !error.has_value(); }
};

class Connection;

class Database {
 public:
  ~Database();
  // Opens (or with options.create_if_missing, creates) the database in directory `path`.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, const StoreOptions& options);
  // Wraps an open store.
  static std::unique_ptr<Database> Wrap(std::unique_ptr<GraphStore> store);

  GraphStore& store() { return *store_; }
  // The functions statements can call: the built-ins, and what a module registers at start-up
  // (domain::RegisterDomainFunctions). Registering drops cached plans.
  query::FunctionCatalog& functions();
  // The procedures CALL can run: the built-ins (db.labels(), ...) and what a module registers
  // (query/catalog/procedure_catalog.h). Registering drops cached plans.
  query::ProcedureCatalog& procedures();
  std::unique_ptr<Connection> Connect();

 private:
  explicit Database(std::unique_ptr<GraphStore> store);
  std::unique_ptr<GraphStore> store_;
  std::unique_ptr<query::Engine> engine_;  // the plan cache, shared by connections
};

class Connection {
 public:
  ~Connection();
  // Runs one statement (a trailing ';' is allowed).
  ExecResult Execute(std::string_view statement, const ValueMap& params = {},
                     const QueryOptions& options = {});
  // Runs a script of statements separated by ';' as one transaction: either every statement's writes
  // are committed, or (on the first error) none. The result is the last statement's; stats add up.
  // A script that only reads takes no transaction: each statement reads a snapshot, as Execute does.
  ExecResult ExecuteScript(std::string_view script, const ValueMap& params = {},
                           const QueryOptions& options = {});
  // Runs one statement inside a transaction the caller owns and commits (an import that mixes query
  // scripts with records, say). Reads see the transaction's writes.
  ExecResult ExecuteInTransaction(WriteTxn& txn, std::string_view statement, const ValueMap& params = {},
                                  const QueryOptions& options = {});

 private:
  friend class Database;
  Connection(GraphStore* store, query::Engine* engine);
  GraphStore* store_;
  query::Engine* engine_;
  // A snapshot of the present kept between statements while nothing is committed: a statement then
  // starts without taking a snapshot or creating RocksDB iterators.
  std::unique_ptr<ReadView> present_;
};

}  // namespace lodestone
