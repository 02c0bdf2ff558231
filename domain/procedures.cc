#include "domain/procedures.h"

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "domain/diff.h"
#include "domain/functions.h"
#include "query/exec/context.h"

namespace lodestone::domain {
namespace {

using query::ProcedureCall;
using query::ProcedureField;
using query::ProcedureInfo;
using query::ProcedureType;

std::vector<ProcedureField> Columns(const std::vector<std::string>& names) {
  std::vector<ProcedureField> out;
  for (const auto& n : names) out.emplace_back(n, ProcedureType::kAny);
  return out;
}

void EmitRows(ProcedureCall& call, const std::vector<std::string>& columns, std::vector<ValueMap> rows) {
  for (ValueMap& row : rows) {
    std::vector<Value> out;
    out.reserve(columns.size());
    for (const auto& c : columns) {
      auto it = row.find(c);
      out.push_back(it == row.end() ? Value() : std::move(it->second));
    }
    call.Emit(std::move(out));
  }
}

// A record time given as a date-time (its instant), a date (the end of it, as KNOWN AT reads a
// date) or a string of either form.
uint64_t RecordTimeArgument(ProcedureCall& call, const Value& v, const char* what) {
  if (v.is_datetime() || v.is_date()) {
    int64_t micros = v.is_date() ? v.as_date().LastMicro() : v.as_datetime().micros;
    if (micros < 0) query::ThrowArgument(std::string(what) + " is before 1970", call.where());
    return static_cast<uint64_t>(micros);
  }
  if (!v.is_string()) {
    query::ThrowArgument(std::string("diff.recorded: ") + what +
                             " must be a date-time, a date or a string, not " +
                             std::string(Value::KindName(v.kind())),
                         call.where());
  }
  auto t = ParseRecordTime(v.as_string(), what);
  if (!t.ok()) query::ThrowArgument("diff.recorded: " + t.status().message(), call.where());
  return *t;
}

Date DateArgument(ProcedureCall& call, const Value& v, const char* what) {
  if (v.is_date()) return v.as_date();
  if (v.is_string()) {
    auto d = Date::Parse(v.as_string());
    if (d.ok()) return *d;
  }
  query::ThrowArgument(std::string("diff.valid: ") + what +
                           " must be a date such as date('2025-10-01') or '2025-10', not " + v.ToString(),
                       call.where());
}

// Every change is listed: the statement's own row and memory limits bound what a procedure returns.
DiffFilter Unlimited() {
  DiffFilter f;
  f.limit = std::numeric_limits<size_t>::max();
  return f;
}

}  // namespace

Status RegisterDomainProcedures(query::ProcedureCatalog& catalog, GraphStore& store) {
  ProcedureInfo recorded;
  recorded.name = "diff.recorded";
  recorded.inputs = {{"from", ProcedureType::kAny}, {"to", ProcedureType::kAny, Value()}};
  recorded.outputs = Columns(RecordedDiffColumns());
  recorded.summary =
      "What the commits recorded after `from` and up to `to` (default: now) added, changed or removed.";
  recorded.fn = [&store](ProcedureCall& call) {
    const auto& args = call.args();
    if (args[0].is_null()) query::ThrowArgument("diff.recorded: from must not be null", call.where());
    uint64_t from = RecordTimeArgument(call, args[0], "from");
    uint64_t to =
        args[1].is_null() ? std::numeric_limits<uint64_t>::max() : RecordTimeArgument(call, args[1], "to");
    auto d = DiffRecorded(store, from, to, Unlimited());
    if (!d.ok()) query::ThrowStatus(d.status(), call.where());
    EmitRows(call, RecordedDiffColumns(), RecordedDiffRows(*d));
  };
  if (Status s = catalog.Register(std::move(recorded)); !s.ok()) return s;

  ProcedureInfo valid;
  valid.name = "diff.valid";
  valid.inputs = {{"from", ProcedureType::kAny}, {"to", ProcedureType::kAny}};
  valid.outputs = Columns(ValidDiffColumns());
  valid.summary =
      "Measures, packages, agreements and projects whose state changed between two valid-time dates.";
  valid.fn = [](ProcedureCall& call) {
    const auto& args = call.args();
    Date from = DateArgument(call, args[0], "from");
    Date to = DateArgument(call, args[1], "to");
    auto d = DiffValid(call.ctx().view(), from, to, Unlimited());
    if (!d.ok()) query::ThrowArgument("diff.valid: " + d.status().message(), call.where());
    EmitRows(call, ValidDiffColumns(), ValidDiffRows(*d));
  };
  return catalog.Register(std::move(valid));
}

Status RegisterDomain(Database& db) {
  if (Status s = RegisterDomainFunctions(db.functions()); !s.ok()) return s;
  return RegisterDomainProcedures(db.procedures(), db.store());
}

}  // namespace lodestone::domain
