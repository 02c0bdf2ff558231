#include "query/exec/context.h"

#include <algorithm>

namespace lodestone::query {

void ThrowType(const std::string& message, ast::SourceLocation where, std::string detail) {
  throw QueryException(QueryError::Kind::kTypeError, std::move(detail), message, where);
}

void ThrowArgument(const std::string& message, ast::SourceLocation where, std::string detail) {
  throw QueryException(QueryError::Kind::kArgumentError, std::move(detail), message, where);
}

void ThrowStatus(const Status& s, ast::SourceLocation where) {
  QueryError::Kind kind = QueryError::Kind::kStorageError;
  std::string detail = std::string(Status::CodeName(s.code()));
  switch (s.code()) {
    case Status::Code::kConstraint:
    case Status::Code::kAlreadyExists:
      kind = QueryError::Kind::kConstraintError;
      break;
    case Status::Code::kInvalidArgument:
      kind = QueryError::Kind::kTypeError;
      break;
    case Status::Code::kNotFound:
      kind = QueryError::Kind::kEntityNotFound;
      break;
    case Status::Code::kTimeout:
      kind = QueryError::Kind::kTimeout;
      break;
    case Status::Code::kResourceExhausted:
      kind = QueryError::Kind::kLimitExceeded;
      break;
    default:
      break;
  }
  throw QueryException(kind, detail, s.message(), where);
}

uint32_t SymbolTable::Add(std::vector<std::string>* v, const std::string& name) {
  auto it = std::find(v->begin(), v->end(), name);
  if (it != v->end()) return static_cast<uint32_t>(it - v->begin());
  v->push_back(name);
  return static_cast<uint32_t>(v->size() - 1);
}

ExecContext::ExecContext(ReadView* view, WriteTxn* txn, const ValueMap* params, const SymbolTable* symbols,
                         const QueryOptions& options)
    : view_(view), txn_(txn), params_(params), symbols_(symbols), options_(options) {
  const NameResolver& names = view_->names();
  uint64_t gen = names.generation();
  if (gen != 0) {
    std::lock_guard lock(symbols->resolve_mu);
    if (symbols->resolved_generation == gen) {
      labels_ = symbols->resolved_labels;
      rel_types_ = symbols->resolved_rel_types;
      prop_keys_ = symbols->resolved_prop_keys;
    }
  }
  if (labels_.size() != symbols->labels.size() || rel_types_.size() != symbols->rel_types.size() ||
      prop_keys_.size() != symbols->prop_keys.size()) {
    labels_.clear();
    rel_types_.clear();
    prop_keys_.clear();
    for (const auto& n : symbols->labels) labels_.push_back(names.FindLabel(n));
    for (const auto& n : symbols->rel_types) rel_types_.push_back(names.FindRelType(n));
    for (const auto& n : symbols->prop_keys) prop_keys_.push_back(names.FindPropKey(n));
    if (gen != 0) {
      std::lock_guard lock(symbols->resolve_mu);
      symbols->resolved_generation = gen;
      symbols->resolved_labels = labels_;
      symbols->resolved_rel_types = rel_types_;
      symbols->resolved_prop_keys = prop_keys_;
    }
  }
  if (options.timeout.count() > 0) {
    has_deadline_ = true;
    deadline_ = std::chrono::steady_clock::now() + options.timeout;
  }
}

namespace {
[[noreturn]] void NoWrites() {
  throw QueryException(QueryError::Kind::kInternalError, "NoTransaction",
                       "a write was attempted without a transaction");
}
}  // namespace

LabelId ExecContext::InternLabel(uint32_t symbol) {
  if (labels_[symbol]) return *labels_[symbol];
  if (!txn_) NoWrites();
  auto id = txn_->InternLabel(symbols_->labels[symbol]);
  if (!id.ok()) ThrowStatus(id.status());
  labels_[symbol] = *id;
  return *id;
}

RelTypeId ExecContext::InternRelType(uint32_t symbol) {
  if (rel_types_[symbol]) return *rel_types_[symbol];
  if (!txn_) NoWrites();
  auto id = txn_->InternRelType(symbols_->rel_types[symbol]);
  if (!id.ok()) ThrowStatus(id.status());
  rel_types_[symbol] = *id;
  return *id;
}

PropKeyId ExecContext::InternPropKey(uint32_t symbol) {
  if (prop_keys_[symbol]) return *prop_keys_[symbol];
  if (!txn_) NoWrites();
  auto id = txn_->InternPropKey(symbols_->prop_keys[symbol]);
  if (!id.ok()) ThrowStatus(id.status());
  prop_keys_[symbol] = *id;
  return *id;
}

PropKeyId ExecContext::InternPropKeyName(const std::string& name) {
  if (!txn_) NoWrites();
  auto id = txn_->InternPropKey(name);
  if (!id.ok()) ThrowStatus(id.status());
  // The plan may know the name as a symbol that was unresolved when the run started.
  const auto& names = symbols_->prop_keys;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) prop_keys_[i] = *id;
  }
  return *id;
}

const NodeRecord* ExecContext::Node(NodeId id) {
  for (int i = 0; i < kNodeCacheSize; ++i) {
    if (cache_valid_[i] && cache_[i].id == id) return cache_[i].present ? &cache_[i].record : nullptr;
  }
  int slot = cache_next_;
  cache_next_ = (cache_next_ + 1) % kNodeCacheSize;
  auto found = view_->GetNode(id, &cache_[slot].record);
  if (!found.ok()) ThrowStatus(found.status());
  cache_[slot].id = id;
  cache_[slot].present = *found;
  cache_valid_[slot] = true;
  return *found ? &cache_[slot].record : nullptr;
}

Value ExecContext::NodeProperty(NodeId id, PropKeyId key) {
  const NodeRecord* r = Node(id);
  if (!r) return Value();
  const Value* v = FindProperty(r->props, key);
  return v ? *v : Value();
}

bool ExecContext::RelRecordOf(const RelRef& rel, RelRecord* out) {
  auto found = view_->GetRel(rel, out);
  if (!found.ok()) ThrowStatus(found.status());
  return *found;
}

void ExecContext::ForgetNode(NodeId id) {
  for (int i = 0; i < kNodeCacheSize; ++i) {
    if (cache_valid_[i] && cache_[i].id == id) cache_valid_[i] = false;
  }
  for (Hint& h : hints_) {
    if (h.node == id) h.set = false;
  }
}

void ExecContext::CheckDeadline() {
  if (has_deadline_ && std::chrono::steady_clock::now() > deadline_) {
    throw QueryException(QueryError::Kind::kTimeout, "QueryTimeout",
                         "the statement ran longer than its time limit of " +
                             std::to_string(options_.timeout.count()) +
                             " ms; narrow it down (a label, a key, a date range) or raise the limit");
  }
}

void ExecContext::Charge(int64_t bytes) {
  memory_ += bytes;
  if (memory_ > static_cast<int64_t>(options_.max_memory_bytes)) {
    throw QueryException(QueryError::Kind::kLimitExceeded, "MemoryLimit",
                         "the statement needs more than its memory limit of " +
                             std::to_string(options_.max_memory_bytes >> 20) +
                             " MiB for sorting, grouping or DISTINCT; narrow it down or raise the limit");
  }
}

int64_t ApproxBytes(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kString:
      return 48 + static_cast<int64_t>(v.as_string().size());
    case Value::Kind::kList: {
      int64_t n = 64;
      for (const Value& e : v.as_list()) n += ApproxBytes(e);
      return n;
    }
    case Value::Kind::kMap: {
      int64_t n = 64;
      for (const auto& [k, e] : v.as_map()) n += 64 + static_cast<int64_t>(k.size()) + ApproxBytes(e);
      return n;
    }
    case Value::Kind::kPath:
      return 64 + 40 * static_cast<int64_t>(v.as_path().rels.size() * 2 + 1);
    default:
      return 40;
  }
}

int64_t ApproxBytes(const Row& row) {
  int64_t n = 24;
  for (const Value& v : row) n += ApproxBytes(v);
  return n;
}

}  // namespace lodestone::query
