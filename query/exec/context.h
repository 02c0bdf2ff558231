// What a running statement carries: the snapshot it reads, the transaction it writes, parameters,
// resolved names, limits, and the errors it raises.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "query/ast/source_location.h"
#include "query/database.h"
#include "store/graph_store.h"

namespace lodestone::query {

// A row of a running plan: one slot per variable (and per hidden intermediate value).
using Row = std::vector<Value>;

// Errors raised while a statement runs. Internal to the engine: the facade turns them into
// QueryError; no exception leaves query/.
class QueryException {
 public:
  QueryException(QueryError::Kind kind, std::string detail, std::string message,
                 ast::SourceLocation where = {})
      : kind_(kind), detail_(std::move(detail)), message_(std::move(message)), where_(where) {}
  QueryError::Kind kind() const { return kind_; }
  const std::string& detail() const { return detail_; }
  const std::string& message() const { return message_; }
  const ast::SourceLocation& where() const { return where_; }

 private:
  QueryError::Kind kind_;
  std::string detail_;
  std::string message_;
  ast::SourceLocation where_;
};

[[noreturn]] void ThrowType(const std::string& message, ast::SourceLocation where = {},
                            std::string detail = "InvalidArgumentType");
[[noreturn]] void ThrowArgument(const std::string& message, ast::SourceLocation where = {},
                                std::string detail = "InvalidArgumentValue");
[[noreturn]] void ThrowStatus(const Status& s, ast::SourceLocation where = {});

// Names a plan mentions (labels, relationship types, property keys), resolved to ids once per run.
// A name the database does not know yet resolves to nothing; a write that creates it fills it in.
struct SymbolTable {
  std::vector<std::string> labels, rel_types, prop_keys;

  // The ids the names resolved to at catalog generation `resolved_generation`, reused by later runs
  // of the same cached plan until the catalog changes.
  mutable std::mutex resolve_mu;
  mutable uint64_t resolved_generation = 0;
  mutable std::vector<std::optional<uint32_t>> resolved_labels, resolved_rel_types, resolved_prop_keys;

  uint32_t Label(const std::string& name) { return Add(&labels, name); }
  uint32_t RelType(const std::string& name) { return Add(&rel_types, name); }
  uint32_t PropKey(const std::string& name) { return Add(&prop_keys, name); }

 private:
  static uint32_t Add(std::vector<std::string>* v, const std::string& name);
};

class ExecContext {
 public:
  ExecContext(ReadView* view, WriteTxn* txn, const ValueMap* params, const SymbolTable* symbols,
              const QueryOptions& options);

  ReadView& view() { return *view_; }
  WriteTxn* txn() { return txn_; }
  const ValueMap& params() const { return *params_; }
  const QueryOptions& options() const { return options_; }
  QueryStats& stats() { return stats_; }
  bool profiling = false;

  // Resolved ids of the plan's symbols (nullopt: the name is unknown to the database).
  std::optional<LabelId> label(uint32_t symbol) const { return labels_[symbol]; }
  std::optional<RelTypeId> rel_type(uint32_t symbol) const { return rel_types_[symbol]; }
  std::optional<PropKeyId> prop_key(uint32_t symbol) const { return prop_keys_[symbol]; }
  // Resolves a symbol, creating the name in the database (writes only).
  LabelId InternLabel(uint32_t symbol);
  RelTypeId InternRelType(uint32_t symbol);
  PropKeyId InternPropKey(uint32_t symbol);
  const std::string& prop_key_name(uint32_t symbol) const { return symbols_->prop_keys[symbol]; }
  const std::string& label_name(uint32_t symbol) const { return symbols_->labels[symbol]; }
  const std::string& rel_type_name(uint32_t symbol) const { return symbols_->rel_types[symbol]; }

  // Reading entities. Node records are cached for the last few nodes read: a row usually reads
  // several properties of the same node.
  const NodeRecord* Node(NodeId id);  // null when the node does not exist (deleted)
  // A property value an index scan read along with the node (a date from the time index), so that
  // expressions on it need not read the node. Hints for a few nodes are kept.
  void HintProperty(NodeId id, PropKeyId key, Value value) {
    Hint& h = hints_[hint_next_];
    hint_next_ = (hint_next_ + 1) % kHints;
    h = {id, key, std::move(value), true};
  }
  const Value* HintedProperty(NodeId id, PropKeyId key) const {
    for (const Hint& h : hints_) {
      if (h.set && h.node == id && h.key == key) return &h.value;
    }
    return nullptr;
  }
  void ForgetHints() {
    for (Hint& h : hints_) h.set = false;
  }
  Value NodeProperty(NodeId id, PropKeyId key);
  bool RelRecordOf(const RelRef& rel, RelRecord* out);
  void ForgetNode(NodeId id);  // after a write to it

  // Nodes and relationships this statement deleted: using them is an error (EntityNotFound) except
  // where the language allows it.
  std::unordered_set<NodeId> deleted_nodes;
  std::unordered_set<RelId> deleted_rels;
  // Nodes a DELETE (without DETACH) removed while they still had relationships: the statement may
  // delete those relationships in later rows, so the check waits until the statement ends.
  std::vector<NodeId> deferred_deletes;
  // Interns a property key by name (for maps whose keys are known only at run time).
  PropKeyId InternPropKeyName(const std::string& name);

  // Limits: call Tick() in every loop that may run long; it checks the deadline every few thousand
  // calls. Charge() accounts memory held by materialising operators.
  void Tick() {
    if (++ticks_ % 4096 == 0) CheckDeadline();
  }
  void CheckDeadline();
  void Charge(int64_t bytes);

 private:
  ReadView* view_;
  WriteTxn* txn_;
  const ValueMap* params_;
  const SymbolTable* symbols_;
  QueryOptions options_;
  QueryStats stats_;
  std::vector<std::optional<LabelId>> labels_;
  std::vector<std::optional<RelTypeId>> rel_types_;
  std::vector<std::optional<PropKeyId>> prop_keys_;
  std::chrono::steady_clock::time_point deadline_;
  bool has_deadline_ = false;
  uint64_t ticks_ = 0;
  int64_t memory_ = 0;
  struct CachedNode {
    NodeId id = 0;
    bool present = false;
    NodeRecord record;
  };
  static constexpr int kNodeCacheSize = 4;
  CachedNode cache_[kNodeCacheSize];
  int cache_next_ = 0;
  bool cache_valid_[kNodeCacheSize] = {};
  struct Hint {
    NodeId node = 0;
    PropKeyId key = 0;
    Value value;
    bool set = false;
  };
  static constexpr int kHints = 4;
  Hint hints_[kHints];
  int hint_next_ = 0;
};

// Rough bytes a value holds, for memory limits.
int64_t ApproxBytes(const Value& v);
int64_t ApproxBytes(const Row& row);

}  // namespace lodestone::query
