#include "query/engine.h"

#include <chrono>
#include <set>

#include "query/exec/plan.h"
#include "query/parser/parser.h"

namespace lodestone::query {

std::string_view QueryErrorKindText(QueryError::Kind k) {
  switch (k) {
    case QueryError::Kind::kSyntaxError:
      return "syntax error";
    case QueryError::Kind::kSemanticError:
      return "semantic error";
    case QueryError::Kind::kTypeError:
      return "type error";
    case QueryError::Kind::kArgumentError:
      return "argument error";
    case QueryError::Kind::kConstraintError:
      return "constraint violated";
    case QueryError::Kind::kEntityNotFound:
      return "entity not found";
    case QueryError::Kind::kParameterMissing:
      return "missing parameter";
    case QueryError::Kind::kProcedureError:
      return "procedure error";
    case QueryError::Kind::kTimeout:
      return "timeout";
    case QueryError::Kind::kLimitExceeded:
      return "limit exceeded";
    case QueryError::Kind::kReadOnly:
      return "read-only";
    case QueryError::Kind::kStorageError:
      return "storage error";
    case QueryError::Kind::kInternalError:
      return "internal error";
  }
  return "error";
}

std::string FormatError(std::string_view text, const QueryError& e) {
  std::string out(QueryErrorKindText(e.kind));
  if (e.line > 0) out += " at line " + std::to_string(e.line) + ", column " + std::to_string(e.column);
  out += ": " + e.message;
  if (e.line <= 0) return out;
  // The line, and a caret under the column (columns count characters, not bytes).
  size_t start = 0;
  for (int l = 1; l < e.line && start < text.size(); ++l) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) return out;
    start = nl + 1;
  }
  size_t end = text.find('\n', start);
  std::string_view line =
      text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string caret;
  int col = 1;
  for (size_t i = 0; i < line.size() && col < e.column; ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
    caret += line[i] == '\t' ? '\t' : ' ';
    ++col;
  }
  out += "\n  " + std::string(line) + "\n  " + caret + "^";
  return out;
}

namespace {

QueryError FromSyntax(const SyntaxError& s) {
  QueryError e;
  e.kind = QueryError::Kind::kSyntaxError;
  e.detail = std::string(SyntaxErrorCodeName(s.code));
  e.compile_time = true;
  e.line = static_cast<int>(s.location.line);
  e.column = static_cast<int>(s.location.column);
  e.message = s.message;
  e.formatted = s.formatted;
  return e;
}

QueryError FromException(const QueryException& x, std::string_view text) {
  QueryError e;
  e.kind = x.kind();
  e.detail = x.detail();
  e.message = x.message();
  e.line = static_cast<int>(x.where().line);
  e.column = static_cast<int>(x.where().column);
  e.formatted = FormatError(text, e);
  return e;
}

ExecResult Failed(QueryError e) {
  ExecResult r;
  r.error = std::move(e);
  return r;
}

QueryError Simple(QueryError::Kind kind, std::string detail, std::string message, bool compile_time = false) {
  QueryError e;
  e.kind = kind;
  e.detail = std::move(detail);
  e.message = std::move(message);
  e.compile_time = compile_time;
  e.formatted = std::string(QueryErrorKindText(kind)) + ": " + e.message;
  return e;
}

// Every node and relationship a value mentions.
void CollectEntities(const Value& v, std::set<NodeId>* nodes, std::map<RelId, RelRef>* rels) {
  switch (v.kind()) {
    case Value::Kind::kNode:
      nodes->insert(v.as_node().id);
      break;
    case Value::Kind::kRel:
      rels->emplace(v.as_rel().id, v.as_rel());
      break;
    case Value::Kind::kPath:
      for (const auto& n : v.as_path().nodes) nodes->insert(n.id);
      for (const auto& r : v.as_path().rels) rels->emplace(r.id, r);
      break;
    case Value::Kind::kList:
      for (const auto& e : v.as_list()) CollectEntities(e, nodes, rels);
      break;
    case Value::Kind::kMap:
      for (const auto& [k, e] : v.as_map()) CollectEntities(e, nodes, rels);
      break;
    default:
      break;
  }
}

void Describe(ReadView& view, QueryResult* r) {
  std::set<NodeId> nodes;
  std::map<RelId, RelRef> rels;
  for (const auto& row : r->rows) {
    for (const auto& v : row) CollectEntities(v, &nodes, &rels);
  }
  const NameResolver& names = view.names();
  for (NodeId id : nodes) {
    NodeData d;
    NodeRecord rec;
    auto found = view.GetNode(id, &rec);
    if (found.ok() && *found) {
      d.key = rec.key;
      for (LabelId l : rec.labels) d.labels.push_back(names.LabelName(l));
      std::sort(d.labels.begin(), d.labels.end());
      for (const auto& [k, v] : rec.props) d.properties[names.PropKeyName(k)] = v;
      d.validity = rec.validity;
    } else {
      d.deleted = true;
    }
    r->nodes.emplace(id, std::move(d));
  }
  for (const auto& [id, ref] : rels) {
    RelData d;
    d.type = names.RelTypeName(ref.type);
    d.src = ref.src;
    d.dst = ref.dst;
    RelRecord rec;
    auto found = view.GetRel(ref, &rec);
    if (found.ok() && *found) {
      d.key = rec.key;
      for (const auto& [k, v] : rec.props) d.properties[names.PropKeyName(k)] = v;
      d.validity = rec.validity;
    } else {
      d.deleted = true;
    }
    r->relationships.emplace(id, std::move(d));
  }
}

}  // namespace

size_t Engine::cached_plans() {
  std::lock_guard lock(mu_);
  return cache_.size();
}

PlannerCatalog Engine::Catalog(const NameResolver* names) const {
  PlannerCatalog catalog;
  catalog.names = names;
  catalog.functions = &functions_;
  catalog.procedures = &procedures_;
  catalog.dated_property = store_->dated_property();
  return catalog;
}

Engine::Compiled Engine::Prepare(std::string_view text) {
  uint64_t sig = store_->names().generation(), fns = functions_.version(), procs = procedures_.version();
  std::string key(text);
  {
    std::lock_guard lock(mu_);
    if (sig != cache_signature_ || fns != cache_functions_ || procs != cache_procedures_) {
      cache_.clear();
      lru_.clear();
      cache_signature_ = sig;
      cache_functions_ = fns;
      cache_procedures_ = procs;
    }
    auto it = cache_.find(key);
    if (it != cache_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.second);
      return {it->second.first, std::nullopt};
    }
  }
  ParseResult parsed = ParseStatement(text);
  if (!parsed.ok()) return {nullptr, FromSyntax(*parsed.error)};
  PlannerCatalog catalog = Catalog(&store_->names());
  GraphStore* store = store_;
  catalog.label_count = [store](LabelId l) -> uint64_t {
    auto v = store->Read();
    auto n = v->CountLabel(l);
    return n.ok() ? *n : 0;
  };
  CompileResult compiled = Compile(*parsed.statement, catalog);
  if (compiled.error) {
    compiled.error->formatted = FormatError(text, *compiled.error);
    return {nullptr, compiled.error};
  }
  std::shared_ptr<const CompiledStatement> s = std::move(compiled.statement);
  std::lock_guard lock(mu_);
  if (cache_.size() >= kCacheCapacity) {
    cache_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(key);
  cache_[key] = {s, lru_.begin()};
  return {s, std::nullopt};
}

ExecResult Engine::Execute(std::string_view text, const ValueMap& params, const QueryOptions& options,
                           WriteTxn* external_txn, std::unique_ptr<ReadView>* present) {
  auto t0 = std::chrono::steady_clock::now();
  Compiled c = Prepare(text);
  if (c.error) return Failed(*c.error);
  ExecResult r = c.statement->schema ? RunSchema(*c.statement, text, options, external_txn)
                                     : Run(*c.statement, text, params, options, external_txn, present);
  r.result.elapsed =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  return r;
}

ExecResult Engine::RunSchema(const CompiledStatement& s, std::string_view text, const QueryOptions& options,
                             WriteTxn* external_txn) {
  if (s.mode == ast::StatementMode::kExplain) {  // describe the command; change nothing
    ExecResult r;
    const ast::SchemaCommand& c = *s.schema;
    std::string props;
    for (size_t i = 0; i < c.properties.size(); ++i) props += (i ? ", " : "") + c.properties[i];
    r.result.plan =
        std::string(c.kind == ast::SchemaCommand::Kind::kCreateIndex ? "CreateIndex" : "DropIndex") + " :" +
        c.label + "(" + props + ")\n";
    return r;
  }
  if (options.read_only) {
    return Failed(Simple(QueryError::Kind::kReadOnly, "WriteInReadOnlyStatement",
                         "index commands change the database; this statement runs read-only"));
  }
  const ast::SchemaCommand& cmd = *s.schema;
  std::unique_ptr<WriteTxn> own;
  WriteTxn* txn = external_txn;
  if (!txn) {
    auto t = store_->BeginWrite(options.origin);
    if (!t.ok()) return Failed(Simple(QueryError::Kind::kStorageError, "Storage", t.status().message()));
    own = std::move(t).value();
    txn = own.get();
  }
  auto fail = [&](QueryError::Kind kind, std::string detail, const Status& st) {
    QueryError e;
    e.kind = kind;
    e.detail = std::move(detail);
    e.message = st.message();
    e.line = static_cast<int>(cmd.location.line);
    e.column = static_cast<int>(cmd.location.column);
    e.formatted = FormatError(text, e);
    return Failed(e);
  };
  if (cmd.properties.size() != 1) {
    return fail(QueryError::Kind::kSemanticError, "UnsupportedFeature",
                Status::Unsupported("an index covers one property; create one index per property"));
  }
  auto label = txn->InternLabel(cmd.label);
  auto key = txn->InternPropKey(cmd.properties[0]);
  if (!label.ok()) return fail(QueryError::Kind::kSyntaxError, "InvalidName", label.status());
  if (!key.ok()) return fail(QueryError::Kind::kSyntaxError, "InvalidName", key.status());
  Status st;
  ExecResult r;
  if (cmd.kind == ast::SchemaCommand::Kind::kCreateIndex) {
    // The index takes the kind of the values the label's nodes hold (STRING when there are none).
    Value::Kind kind = Value::Kind::kString;
    auto cur = txn->view().ScanLabel(*label);
    for (; cur->Valid(); cur->Next()) {
      auto v = txn->view().GetNodeProperty(cur->entry().id, *key);
      if (v.ok() && !v->is_null()) {
        kind = v->kind();
        break;
      }
    }
    st = txn->CreateIndex(*label, *key, kind);
  } else {
    st = txn->DropIndex(*label, *key);
  }
  if (!st.ok()) {
    return fail(st.code() == Status::Code::kNotFound ? QueryError::Kind::kSemanticError
                                                     : QueryError::Kind::kConstraintError,
                "IndexCommand", st);
  }
  if (own) {
    st = own->Commit();
    if (!st.ok()) return fail(QueryError::Kind::kStorageError, "Storage", st);
  }
  r.result.stats.indexes_changed = true;
  return r;
}

ExecResult Engine::Run(const CompiledStatement& s, std::string_view text, const ValueMap& params,
                       const QueryOptions& options, WriteTxn* external_txn,
                       std::unique_ptr<ReadView>* present) {
  ExecResult r;
  QueryResult& out = r.result;
  if (s.mode == ast::StatementMode::kExplain) {
    out.plan = s.logical ? "Logical plan:\n" + s.logical->Explain() + "\nPhysical plan:\n" + s.root->Explain()
                         : s.root->Explain();
    return r;
  }
  out.columns = s.columns;
  for (const auto& [name, where] : s.required_parameters) {
    if (params.count(name) == 0) {
      QueryError e;
      e.kind = QueryError::Kind::kParameterMissing;
      e.detail = "MissingParameter";
      e.compile_time = true;
      e.message =
          "CALL without parentheses takes its arguments from the parameters of the same names, and "
          "no value was given for $" +
          name + " (or write the arguments: CALL name(...))";
      e.line = static_cast<int>(where.line);
      e.column = static_cast<int>(where.column);
      e.formatted = FormatError(text, e);
      return Failed(std::move(e));
    }
  }
  if (s.writes && options.read_only) {
    return Failed(Simple(QueryError::Kind::kReadOnly, "WriteInReadOnlyStatement",
                         "this statement writes (CREATE, MERGE, SET, REMOVE or DELETE) but runs read-only",
                         true));
  }
  try {
    std::unique_ptr<ReadView> read_view;
    std::unique_ptr<WriteTxn> own_txn;
    WriteTxn* txn = nullptr;
    ReadView* view = nullptr;
    if (s.known_at) {
      if (external_txn) {
        return Failed(Simple(QueryError::Kind::kSemanticError, "InvalidClauseComposition",
                             "KNOWN AT cannot be used inside a transaction that writes", true));
      }
      SymbolTable none;
      auto now = store_->Read();
      ExecContext probe(now.get(), nullptr, &params, &none, options);
      Row empty;
      Value at = s.known_at->Eval(probe, empty);
      int64_t micros;
      if (at.is_datetime()) {
        micros = at.as_datetime().micros;
      } else if (at.is_date()) {
        micros = at.as_date().LastMicro();  // the end of that day
      } else if (at.is_string()) {          // an instant, or a date meaning the end of it
        auto t = ParseRecordInstant(at.as_string());
        if (!t.ok()) ThrowArgument(t.status().message(), s.known_at->location(), "InvalidDateTime");
        micros = *t;
      } else {
        ThrowType("KNOWN AT needs a date-time, like datetime('2026-01-10T12:00:00Z'), not " + TypeName(at),
                  s.known_at->location());
      }
      auto past = store_->ReadAsOf(micros < 0 ? 0 : static_cast<uint64_t>(micros));
      if (!past.ok()) ThrowStatus(past.status());
      read_view = std::move(past).value();
      view = read_view.get();
    } else if (s.writes || external_txn) {
      if (external_txn) {
        txn = external_txn;
      } else {
        auto t = store_->BeginWrite(options.origin);
        if (!t.ok()) ThrowStatus(t.status());
        own_txn = std::move(t).value();
        txn = own_txn.get();
      }
      view = &txn->view();
    } else if (present) {
      if (!*present || (*present)->as_of() != store_->last_commit_time()) *present = store_->Read();
      view = present->get();
    } else {
      read_view = store_->Read();
      view = read_view.get();
    }
    out.read_record_time = view->as_of();
    ExecContext ctx(view, txn, &params, &s.symbols, options);
    std::vector<ProfileCounters> profile;
    bool profiling = s.mode == ast::StatementMode::kProfile;
    if (profiling) profile.resize(static_cast<size_t>(s.plan_nodes));
    auto op = s.root->Instantiate(profiling ? &profile : nullptr);
    Row row(static_cast<size_t>(s.width));
    op->Open(ctx, row);
    const bool returns = !s.column_slots.empty();
    while (op->Next(ctx, row)) {
      if (!returns) continue;  // a statement without RETURN yields no rows
      if (out.rows.size() >= options.max_rows) {
        throw QueryException(QueryError::Kind::kLimitExceeded, "RowLimit",
                             "the statement returns more than " + std::to_string(options.max_rows) +
                                 " rows; add LIMIT, narrow it down, or raise the row limit");
      }
      std::vector<Value> values;
      values.reserve(s.column_slots.size());
      for (int slot : s.column_slots) values.push_back(row[static_cast<size_t>(slot)]);
      out.rows.push_back(std::move(values));
    }
    // Deletes that waited for the statement's end: the node must have lost its relationships.
    for (NodeId id : ctx.deferred_deletes) {
      auto exists = view->NodeExists(id);
      if (!exists.ok()) ThrowStatus(exists.status());
      if (!*exists) continue;
      Status st = txn->DeleteNode(id, false);
      if (!st.ok()) {
        if (st.code() == Status::Code::kConstraint) {
          throw QueryException(QueryError::Kind::kConstraintError, "DeleteConnectedNode", st.message());
        }
        ThrowStatus(st);
      }
      ctx.stats().nodes_deleted++;
    }
    Describe(*view, &out);
    out.stats = ctx.stats();
    if (profiling) out.plan = s.root->Explain(&profile);
    if (own_txn) {
      bool dirty = own_txn->dirty();
      Status st = own_txn->Commit();
      if (!st.ok()) ThrowStatus(st);
      if (dirty) out.write_record_time = own_txn->record_time();
    } else if (txn && txn->dirty()) {
      out.write_record_time = txn->record_time();
    }
  } catch (const QueryException& x) {
    return Failed(FromException(x, text));
  } catch (const std::bad_alloc&) {
    return Failed(Simple(QueryError::Kind::kLimitExceeded, "OutOfMemory", "the statement ran out of memory"));
  }
  return r;
}

ExecResult Engine::ExecuteScript(std::string_view text, const ValueMap& params, const QueryOptions& options) {
  auto t0 = std::chrono::steady_clock::now();
  ScriptResult script = ParseScript(text);
  if (!script.ok()) return Failed(FromSyntax(*script.error));
  if (script.statements.empty()) return ExecResult{};
  // A script that only reads needs no transaction: its statements run on snapshots, as single
  // statements do, without taking the writer's lock (and KNOWN AT works in it). Statements compiled
  // against the store's names to find that out are kept; in a transaction, each statement is
  // compiled when its turn comes, against the names the statements before it may have added.
  std::vector<std::shared_ptr<CompiledStatement>> compiled;
  bool needs_txn = false;
  if (!options.read_only) {
    PlannerCatalog catalog = Catalog(&store_->names());
    for (const auto& st : script.statements) {
      CompileResult c = Compile(*st, catalog);
      if (c.error || c.statement->schema || c.statement->writes) {
        needs_txn = true;
        compiled.clear();
        break;
      }
      compiled.push_back(std::move(c.statement));
    }
  }
  std::unique_ptr<WriteTxn> txn;
  if (needs_txn) {
    auto t = store_->BeginWrite(options.origin);
    if (!t.ok()) return Failed(Simple(QueryError::Kind::kStorageError, "Storage", t.status().message()));
    txn = std::move(t).value();
  }
  ExecResult last;
  QueryStats total;
  for (size_t i = 0; i < script.statements.size(); ++i) {
    CompileResult c;
    if (i < compiled.size()) {
      c.statement = compiled[i];
    } else {
      PlannerCatalog catalog = Catalog(txn ? &txn->view().names() : &store_->names());
      c = Compile(*script.statements[i], catalog);
    }
    if (c.error) {
      c.error->formatted = FormatError(text, *c.error);
      return Failed(*c.error);
    }
    last = c.statement->schema ? RunSchema(*c.statement, text, options, txn.get())
                               : Run(*c.statement, text, params, options, txn ? txn.get() : nullptr, nullptr);
    if (!last.ok()) return last;  // the transaction aborts: nothing of the script is written
    const QueryStats& s = last.result.stats;
    total.nodes_created += s.nodes_created;
    total.nodes_deleted += s.nodes_deleted;
    total.relationships_created += s.relationships_created;
    total.relationships_deleted += s.relationships_deleted;
    total.properties_set += s.properties_set;
    total.labels_added += s.labels_added;
    total.labels_removed += s.labels_removed;
    total.indexes_changed = total.indexes_changed || s.indexes_changed;
  }
  if (txn) {
    bool dirty = txn->dirty();
    Status st = txn->Commit();
    if (!st.ok()) return Failed(Simple(QueryError::Kind::kStorageError, "Storage", st.message()));
    if (dirty) last.result.write_record_time = txn->record_time();
  }
  last.result.stats = total;
  last.result.elapsed =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0);
  return last;
}

}  // namespace lodestone::query

namespace lodestone {

bool QueryStats::ContainsUpdates() const {
  return nodes_created || nodes_deleted || relationships_created || relationships_deleted || properties_set ||
         labels_added || labels_removed || indexes_changed;
}

std::string_view QueryError::KindName(Kind kind) {
  switch (kind) {
    case Kind::kSyntaxError:
      return "SyntaxError";
    case Kind::kSemanticError:
      return "SemanticError";
    case Kind::kTypeError:
      return "TypeError";
    case Kind::kArgumentError:
      return "ArgumentError";
    case Kind::kConstraintError:
      return "ConstraintVerificationFailed";
    case Kind::kEntityNotFound:
      return "EntityNotFound";
    case Kind::kParameterMissing:
      return "ParameterMissing";
    case Kind::kProcedureError:
      return "ProcedureError";
    case Kind::kTimeout:
      return "Timeout";
    case Kind::kLimitExceeded:
      return "LimitExceeded";
    case Kind::kReadOnly:
      return "ReadOnly";
    case Kind::kStorageError:
      return "StorageError";
    case Kind::kInternalError:
      return "InternalError";
  }
  return "Error";
}

Database::Database(std::unique_ptr<GraphStore> store)
    : store_(std::move(store)), engine_(std::make_unique<query::Engine>(store_.get())) {}
Database::~Database() = default;

query::FunctionCatalog& Database::functions() { return engine_->functions(); }
query::ProcedureCatalog& Database::procedures() { return engine_->procedures(); }

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, const StoreOptions& options) {
  auto store = GraphStore::Open(path, options);
  if (!store.ok()) return store.status();
  return Wrap(std::move(store).value());
}

std::unique_ptr<Database> Database::Wrap(std::unique_ptr<GraphStore> store) {
  return std::unique_ptr<Database>(new Database(std::move(store)));
}

std::unique_ptr<Connection> Database::Connect() {
  return std::unique_ptr<Connection>(new Connection(store_.get(), engine_.get()));
}

Connection::Connection(GraphStore* store, query::Engine* engine) : store_(store), engine_(engine) {}
Connection::~Connection() = default;

ExecResult Connection::Execute(std::string_view statement, const ValueMap& params,
                               const QueryOptions& options) {
  return engine_->Execute(statement, params, options, nullptr, &present_);
}

ExecResult Connection::ExecuteScript(std::string_view script, const ValueMap& params,
                                     const QueryOptions& options) {
  return engine_->ExecuteScript(script, params, options);
}

ExecResult Connection::ExecuteInTransaction(WriteTxn& txn, std::string_view statement, const ValueMap& params,
                                            const QueryOptions& options) {
  return engine_->Execute(statement, params, options, &txn);
}

}  // namespace lodestone
