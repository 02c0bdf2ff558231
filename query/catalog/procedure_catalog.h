// The procedures a database's statements can CALL: one catalog per Database, beside the function
// catalog, holding the built-in introspection procedures (db.labels(), ...: query/eval/procedures.cc)
// and whatever a module above registers at start-up.
//
// Registering a procedure from C++:
//
//   ProcedureInfo p;
//   p.name = "diff.recorded";                       // namespaced, matched exactly (case included)
//   p.inputs = {{"from", ProcedureType::kInteger}, {"to", ProcedureType::kInteger, Value(0)}};  // to = 0
//   p.outputs = {{"change", ProcedureType::kString}};
//   p.summary = "What changed between two record times.";
//   p.fn = [](ProcedureCall& call) {
//     for (...) call.Emit({Value("added")});          // one output row: a value per declared output
//   };
//   db.procedures().Register(std::move(p));
//
// Each procedure's metadata lives here and nowhere else: its typed inputs (with defaults, so that
// trailing arguments may be left out), its typed outputs (none: a VOID procedure), and its mode.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "query/ast/source_location.h"
#include "store/status.h"
#include "store/value.h"

namespace lodestone::query {

class ExecContext;

// The types a procedure's inputs and outputs are declared with, as CALL's signatures print them.
enum class ProcedureType {
  kAny,
  kBoolean,
  kInteger,
  kFloat,
  kNumber,  // INTEGER or FLOAT
  kString,
  kDate,
  kDateTime,
  kList,
  kMap,
  kNode,
  kRelationship,
  kPath,
};
std::string_view ProcedureTypeName(ProcedureType type);  // "INTEGER", ...
// Parses a type name as signatures write it ("INTEGER", "string", ...), without the '?'.
std::optional<ProcedureType> ParseProcedureType(std::string_view name);
// Whether a value may be passed where `type` is declared. Null is accepted (every declared type of a
// procedure's inputs admits null; an implementation sees null and decides).
bool ProcedureAccepts(ProcedureType type, const Value& value);

struct ProcedureField {
  ProcedureField() = default;
  ProcedureField(std::string n, ProcedureType t, std::optional<Value> d = std::nullopt)
      : name(std::move(n)), type(t), default_value(std::move(d)) {}
  std::string name;
  ProcedureType type = ProcedureType::kAny;
  // Inputs only: the value used when the call leaves this argument (and every later one) out.
  std::optional<Value> default_value;
};

enum class ProcedureMode {
  kRead,   // only reads the graph
  kWrite,  // writes: the statement takes the writer lock, and read-only connections refuse it
};

// One run of a procedure for one input row.
class ProcedureCall {
 public:
  ProcedureCall(ExecContext& ctx, std::vector<Value> args, ast::SourceLocation where,
                std::function<void(std::vector<Value>)> emit)
      : ctx_(ctx), args_(std::move(args)), where_(where), emit_(std::move(emit)) {}
  ExecContext& ctx() { return ctx_; }
  // The arguments, one per declared input (defaults filled in, integers widened where FLOAT is declared).
  const std::vector<Value>& args() const { return args_; }
  // Where the CALL is, for errors the implementation raises (ThrowArgument(message, where())).
  ast::SourceLocation where() const { return where_; }
  // One output row, one value per declared output in order. The rows of one call are buffered (and
  // count against the statement's memory limit) until the query has consumed them.
  void Emit(std::vector<Value> row) { emit_(std::move(row)); }

 private:
  ExecContext& ctx_;
  std::vector<Value> args_;
  ast::SourceLocation where_;
  std::function<void(std::vector<Value>)> emit_;
};

using ProcedureFn = std::function<void(ProcedureCall& call)>;

struct ProcedureInfo {
  std::string name;  // dotted, e.g. "db.labels"; looked up exactly
  std::vector<ProcedureField> inputs;
  std::vector<ProcedureField> outputs;  // empty: a VOID procedure
  ProcedureMode mode = ProcedureMode::kRead;
  std::string summary;  // one sentence, for dbms.procedures() and the docs
  ProcedureFn fn;

  // The number of leading inputs without a default: a call must give at least these.
  size_t RequiredInputs() const;
  // "db.labels() :: (label :: STRING)"
  std::string Signature() const;
};

// Thread-safe: procedures may be looked up from many threads while one registers.
class ProcedureCatalog {
 public:
  // A catalog with the built-in procedures.
  ProcedureCatalog();

  // The procedure named exactly `name`, or null.
  std::shared_ptr<const ProcedureInfo> Find(std::string_view name) const;
  // A procedure whose name differs from `name` only in letter case, or null (for "did you mean").
  std::shared_ptr<const ProcedureInfo> FindIgnoringCase(std::string_view name) const;
  // Every procedure, sorted by name.
  std::vector<std::shared_ptr<const ProcedureInfo>> All() const;
  // Adds a procedure, or replaces one of the same name. Refuses a nameless one, one without an
  // implementation, two fields of one name, and an input without a default after one with a default.
  Status Register(ProcedureInfo info);
  // Changes with every Register, so that plans compiled against an earlier catalog can be dropped.
  uint64_t version() const;

 private:
  mutable std::shared_mutex mu_;
  std::map<std::string, std::shared_ptr<const ProcedureInfo>, std::less<>> by_name_;
  uint64_t version_ = 0;
};

// The built-in procedures (query/eval/procedures.cc).
std::vector<ProcedureInfo> BuiltinProcedures(const ProcedureCatalog* catalog);

}  // namespace lodestone::query
