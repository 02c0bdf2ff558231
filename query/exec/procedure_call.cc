// The ProcedureCall operator: CALL proc(args) YIELD ... (query/catalog/procedure_catalog.h).
#include <deque>

#include "query/eval/value_ops.h"
#include "query/exec/operators_internal.h"

namespace lodestone::query {
namespace {

using namespace exec_internal;  // NOLINT: the helpers shared by the operators' files

class ProcedureCallOp final : public Operator {
 public:
  ProcedureCallOp(const ProcedureCallSpec* spec, std::unique_ptr<Operator> input)
      : spec_(spec), input_(std::move(input)) {}
  void Open(ExecContext& ctx, Row& row) override {
    input_->Open(ctx, row);
    rows_.clear();
  }
  bool Next(ExecContext& ctx, Row& row) override {
    for (;;) {
      if (!rows_.empty()) {
        std::vector<Value>& out = rows_.front();
        for (const ProcedureYield& y : spec_->yields)
          row[static_cast<size_t>(y.slot)] = std::move(out[y.column]);
        rows_.pop_front();
        return true;
      }
      if (!input_->Next(ctx, row)) return false;
      ctx.Tick();
      if (Run(ctx, row)) return true;  // a VOID procedure: the input row, once
    }
  }

 private:
  // Runs the procedure for one input row, buffering what it emits. True for a VOID procedure.
  bool Run(ExecContext& ctx, Row& row) {
    const ProcedureInfo& proc = *spec_->procedure;
    std::vector<Value> args;
    args.reserve(spec_->args.size());
    for (size_t i = 0; i < spec_->args.size(); ++i) {
      Value v = spec_->args[i]->Eval(ctx, row);
      const ProcedureField& input = proc.inputs[i];
      if (!ProcedureAccepts(input.type, v)) {
        throw QueryException(QueryError::Kind::kTypeError, "InvalidArgumentType",
                             "argument '" + input.name + "' of " + proc.name + " must be " +
                                 std::string(ProcedureTypeName(input.type)) + ", not " + TypeName(v) + " " +
                                 v.ToString(),
                             spec_->args[i]->location());
      }
      if (input.type == ProcedureType::kFloat && v.is_int()) v = Value(static_cast<double>(v.as_int()));
      args.push_back(std::move(v));
    }
    const size_t width = proc.outputs.size();
    ProcedureCall call(ctx, std::move(args), spec_->loc, [&](std::vector<Value> out) {
      if (out.size() != width) {
        throw QueryException(QueryError::Kind::kInternalError, "ProcedureOutput",
                             "procedure " + proc.name + " emitted a row of " + std::to_string(out.size()) +
                                 " values where it declares " + std::to_string(width) + " outputs",
                             spec_->loc);
      }
      ctx.Charge(ApproxBytes(out));
      ctx.Tick();
      rows_.push_back(std::move(out));
    });
    proc.fn(call);
    return width == 0;
  }

  const ProcedureCallSpec* spec_;
  std::unique_ptr<Operator> input_;
  std::deque<std::vector<Value>> rows_;
};

class ProcedureCallNode final : public PlanNode {
 public:
  explicit ProcedureCallNode(ProcedureCallSpec s) : spec(std::move(s)) {}
  std::string Describe() const override { return DescribeProcedureCall(spec); }
  ProcedureCallSpec spec;

 protected:
  std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* p) const override {
    return std::make_unique<ProcedureCallOp>(&spec, Child(0, p));
  }
};

}  // namespace

PlanPtr MakeProcedureCall(ProcedureCallSpec spec, PlanPtr input) {
  return WithInput<ProcedureCallNode>(std::move(input), std::move(spec));
}

std::string DescribeProcedureCall(const ProcedureCallSpec& spec) {
  std::string s = "ProcedureCall " + spec.procedure->name + "(";
  for (size_t i = 0; i < spec.args.size(); ++i) s += (i ? ", " : "") + spec.args[i]->ToString();
  s += ")";
  for (size_t i = 0; i < spec.yields.size(); ++i) {
    const ProcedureYield& y = spec.yields[i];
    const std::string& field = spec.procedure->outputs[y.column].name;
    s += (i ? ", " : " YIELD ") + field + (field == y.variable ? "" : " AS " + y.variable);
  }
  return s;
}

}  // namespace lodestone::query
