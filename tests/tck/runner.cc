#include "tests/tck/runner.h"

#include <cctype>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/tck/compare.h"
#include "tests/tck/tck_value.h"
#include "util/strings.h"

namespace lodestone::tck {

std::string_view TckErrorName(QueryError::Kind kind) {
  switch (kind) {
    case QueryError::Kind::kSyntaxError:
      return "SyntaxError";
    case QueryError::Kind::kSemanticError:
      return "SemanticError";
    case QueryError::Kind::kTypeError:
      return "TypeError";
    case QueryError::Kind::kArgumentError:
      return "ArgumentError";
    case QueryError::Kind::kConstraintError:
      return "ConstraintVerificationFailed";
    case QueryError::Kind::kEntityNotFound:
      return "EntityNotFound";
    case QueryError::Kind::kParameterMissing:
      return "ParameterMissing";
    case QueryError::Kind::kProcedureError:
      return "ProcedureError";
    case QueryError::Kind::kTimeout:
      return "Timeout";
    case QueryError::Kind::kLimitExceeded:
      return "LimitExceeded";
    case QueryError::Kind::kReadOnly:
      return "ReadOnly";
    case QueryError::Kind::kStorageError:
      return "StorageError";
    case QueryError::Kind::kInternalError:
      return "InternalError";
  }
  return "UnknownError";
}

namespace {

constexpr size_t kMaxReason = 400;

std::optional<QueryError::Kind> KindFromTckName(std::string_view name) {
  static constexpr std::pair<std::string_view, QueryError::Kind> kNames[] = {
      {"SyntaxError", QueryError::Kind::kSyntaxError},
      {"SemanticError", QueryError::Kind::kSemanticError},
      {"TypeError", QueryError::Kind::kTypeError},
      {"ArgumentError", QueryError::Kind::kArgumentError},
      {"ConstraintVerificationFailed", QueryError::Kind::kConstraintError},
      {"ConstraintValidationFailed", QueryError::Kind::kConstraintError},
      {"EntityNotFound", QueryError::Kind::kEntityNotFound},
      {"ParameterMissing", QueryError::Kind::kParameterMissing},
      {"ProcedureError", QueryError::Kind::kProcedureError},
  };
  for (const auto& [n, k] : kNames) {
    if (n == name) return k;
  }
  return std::nullopt;
}

// One line, of bounded length.
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (s.size() > kMaxReason) {
    s.resize(kMaxReason);
    s += "...";
  }
  return s;
}

std::string DescribeError(const QueryError& e) {
  std::string out(TckErrorName(e.kind));
  out += "/" + (e.detail.empty() ? std::string("(no detail)") : e.detail);
  out += e.compile_time ? " at compile time" : " at runtime";
  if (!e.message.empty()) out += ": " + e.message;
  return out;
}

std::string Indent(const std::string& text, const std::string& prefix = "      ") {
  std::string out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) out += prefix + line + "\n";
  return out;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class ScenarioRun {
 public:
  ScenarioRun(Backend& backend, const RunOptions& options) : backend_(backend), options_(options) {}

  ScenarioOutcome Run(const Scenario& scenario) {
    ScenarioOutcome out;
    bool checked = false;
    for (const Step& step : scenario.steps) {
      Log("  " + step.keyword + " " + step.text + "\n");
      if (step.kind == Step::Kind::kThen) checked = true;
      std::optional<std::string> failure = Do(step);
      if (failure) {
        out.reason = OneLine(*failure);
        Log("  => FAIL: " + out.reason + "\n");
        out.log = std::move(log_);
        return out;
      }
    }
    if (!checked) {
      out.reason = "scenario checks nothing: it has no Then step";
      out.log = std::move(log_);
      return out;
    }
    out.passed = true;
    out.log = std::move(log_);
    return out;
  }

 private:
  void Log(const std::string& s) {
    if (options_.verbose) log_ += s;
  }

  void LogResult(const ExecResult& r) {
    if (!options_.verbose) return;
    if (!r.ok()) {
      Log("    error: " + DescribeError(*r.error) + "\n");
      return;
    }
    auto table = TableFromResult(r.result);
    if (table.ok()) {
      Log("    actual:\n" + Indent(FormatTable(*table)));
    } else {
      Log("    actual: (cannot read: " + table.status().message() + ")\n");
    }
  }

  std::optional<std::string> Do(const Step& step) {
    const std::string& t = step.text;
    const StepType st = ClassifyStep(t);
    switch (st.type) {
      case StepType::Type::kEmptyGraph:
        return std::nullopt;
      case StepType::Type::kNamedGraph:
        return LoadGraph(st.arg);
      case StepType::Type::kHavingExecuted: {
        if (!step.doc_string) return "malformed step: 'having executed:' without a doc string";
        Log(Indent(*step.doc_string));
        ExecResult r = backend_.Execute(*step.doc_string, {});
        if (!r.ok()) return "setup failed: " + DescribeError(*r.error);
        return std::nullopt;
      }
      case StepType::Type::kParameters:
        return SetParameters(step);
      case StepType::Type::kQuery:
      case StepType::Type::kControlQuery:
        return RunQuery(step, st.type == StepType::Type::kControlQuery);
      case StepType::Type::kResult: {
        CompareOptions opts;
        opts.in_order = st.in_order;
        opts.ignore_list_order = st.ignore_list_order;
        return CheckResult(step, opts);
      }
      case StepType::Type::kResultEmpty: {
        if (auto f = NeedSuccessfulQuery()) return f;
        const QueryResult& r = result_->result;
        if (!r.rows.empty()) {
          std::string msg = "result differs: expected no rows, got " + std::to_string(r.rows.size());
          auto table = TableFromResult(r);
          if (table.ok()) msg += "; first " + FormatRow(table->rows.front());
          return msg;
        }
        return std::nullopt;
      }
      case StepType::Type::kNoSideEffects:
      case StepType::Type::kSideEffects: {
        if (auto f = NeedSuccessfulQuery()) return f;
        if (!effects_)
          return std::string("no side effects to check: no 'executing query' step before this one");
        SideEffects expected;
        if (st.type == StepType::Type::kSideEffects) {
          if (!step.table) return "malformed step: '" + t + "' without a table";
          auto parsed = ParseSideEffects(*step.table);
          if (!parsed.ok()) return "malformed step: " + parsed.status().message();
          expected = *parsed;
        }
        return CompareSideEffects(expected, *effects_);
      }
      case StepType::Type::kError:
        return CheckError(st.arg, st.phase, st.detail);
      case StepType::Type::kProcedure: {
        if (!step.table) return "malformed step: '" + t + "' without a table";
        auto procedure = ParseTestProcedure(st.arg, *step.table);
        if (!procedure.ok()) return "malformed step: " + procedure.status().message();
        Status registered = backend_.RegisterProcedure(*procedure);
        if (!registered.ok()) return "unsupported step: '" + t + "' (" + registered.message() + ")";
        return std::nullopt;
      }
      case StepType::Type::kUnknown:
        break;
    }
    return "unsupported step: '" + step.keyword + " " + t + "'";
  }

  std::optional<std::string> RunQuery(const Step& step, bool control) {
    if (!step.doc_string) return "malformed step: '" + step.text + "' without a doc string";
    Log(Indent(*step.doc_string));
    if (!params_.empty()) Log("    parameters: " + Value(params_).ToString() + "\n");
    std::optional<GraphState> before;
    if (!control) {
      auto state = backend_.Capture();
      if (!state.ok()) return "cannot read the graph: " + state.status().ToString();
      before = std::move(state).value();
    }
    result_ = backend_.Execute(*step.doc_string, params_);
    LogResult(*result_);
    if (!control) {
      auto after = backend_.Capture();
      if (!after.ok()) return "cannot read the graph: " + after.status().ToString();
      effects_ = DiffGraphStates(*before, *after);
      Log("    side effects: " + FormatSideEffects(*effects_) + "\n");
    }
    return std::nullopt;
  }

  std::optional<std::string> NeedSuccessfulQuery() {
    if (!result_) return std::string("no query ran before this step");
    if (!result_->ok()) return "query failed: " + DescribeError(*result_->error);
    return std::nullopt;
  }

  std::optional<std::string> LoadGraph(const std::string& name) {
    const std::string dir = options_.graphs_dir + "/" + name;
    std::vector<std::string> scripts;
    auto meta = ReadFile(dir + "/" + name + ".json");
    if (meta.ok()) {
      auto json = nlohmann::json::parse(*meta, nullptr, /*allow_exceptions=*/false);
      if (json.is_discarded() || !json.contains("scripts") || !json["scripts"].is_array()) {
        return "setup failed: " + dir + "/" + name + ".json has no list of scripts";
      }
      for (const auto& s : json["scripts"]) {
        if (!s.is_string())
          return "setup failed: " + dir + "/" + name + ".json: a script name is not a string";
        scripts.push_back(s.get<std::string>());
      }
    } else {
      scripts.push_back(name);
    }
    for (const std::string& script : scripts) {
      auto text = ReadFile(dir + "/" + script + ".cypher");
      if (!text.ok()) return "setup failed: unknown graph '" + name + "': " + text.status().message();
      ExecResult r = backend_.ExecuteScript(*text);
      if (!r.ok()) return "setup failed: graph " + name + ": " + DescribeError(*r.error);
    }
    return std::nullopt;
  }

  std::optional<std::string> SetParameters(const Step& step) {
    if (!step.table) return "malformed step: 'parameters are:' without a table";
    for (size_t r = 0; r < step.table->rows.size(); ++r) {
      const auto& row = step.table->rows[r];
      if (row.size() != 2) return "malformed step: a parameter row has two cells";
      auto v = ParseTckValue(row[1]);
      if (!v.ok()) return "malformed step: parameter " + row[0] + ": " + v.status().message();
      auto value = ToEngineValue(*v);
      if (!value.ok()) return "malformed step: parameter " + row[0] + ": " + value.status().message();
      params_[row[0]] = std::move(value).value();
    }
    return std::nullopt;
  }

  std::optional<std::string> CheckResult(const Step& step, const CompareOptions& opts) {
    if (!step.table) return "malformed step: '" + step.text + "' without a table";
    auto expected = ParseExpectedTable(*step.table);
    if (!expected.ok()) return "malformed step: " + expected.status().message();
    Log("    expected:\n" + Indent(FormatTable(*expected, opts.ignore_list_order)));
    if (auto f = NeedSuccessfulQuery()) return f;
    auto actual = TableFromResult(result_->result);
    if (!actual.ok()) return "malformed result: " + actual.status().message();
    if (auto diff = CompareTables(*expected, *actual, opts)) return "result differs: " + *diff;
    return std::nullopt;
  }

  std::optional<std::string> CheckError(const std::string& kind_name, const std::string& phase,
                                        const std::string& detail) {
    const std::string want = kind_name + "/" + detail + " at " + phase;
    if (!result_) return std::string("no query ran before this step");
    std::optional<QueryError::Kind> kind = KindFromTckName(kind_name);
    if (!result_->ok()) {
      const QueryError& e = *result_->error;
      const bool kind_ok = kind.has_value() && e.kind == *kind;
      const bool detail_ok = detail == "*" || e.detail == detail;
      const bool phase_ok = phase == "any time" || (phase == "compile time") == e.compile_time;
      if (kind_ok && detail_ok && phase_ok) return std::nullopt;
      std::string msg = "wrong error: expected " + want + ", got " + DescribeError(e);
      if (!kind) msg += " (Lodestone has no error kind " + kind_name + ")";
      return msg;
    }
    return "expected an error: " + want + ", but the query returned " +
           std::to_string(result_->result.rows.size()) +
           (result_->result.rows.size() == 1 ? " row" : " rows");
  }

  Backend& backend_;
  const RunOptions& options_;
  ValueMap params_;
  std::optional<ExecResult> result_;
  std::optional<SideEffects> effects_;
  std::string log_;
};

}  // namespace

StepType ClassifyStep(const std::string& t) {
  static const std::regex kNamedGraph(R"(^the (\S+) graph$)");
  static const std::regex kResult(
      R"(^the result should be(, in (any )?order)?( \(ignoring element order for lists\))?:$)");
  static const std::regex kError(R"(^an? (\w+) should be raised at (compile time|runtime|any time): (\S+)$)");
  using T = StepType::Type;
  StepType st;
  std::smatch m;
  if (t == "an empty graph" || t == "any graph") {
    st.type = T::kEmptyGraph;
  } else if (std::regex_match(t, m, kNamedGraph)) {
    st.type = T::kNamedGraph;
    st.arg = m[1].str();
  } else if (t == "having executed:") {
    st.type = T::kHavingExecuted;
  } else if (t == "parameters are:") {
    st.type = T::kParameters;
  } else if (t == "executing query:") {
    st.type = T::kQuery;
  } else if (t == "executing control query:") {
    st.type = T::kControlQuery;
  } else if (std::regex_match(t, m, kResult)) {
    st.type = T::kResult;
    st.in_order = m[1].matched && !m[2].matched;
    st.ignore_list_order = m[3].matched;
  } else if (t == "the result should be empty") {
    st.type = T::kResultEmpty;
  } else if (t == "no side effects") {
    st.type = T::kNoSideEffects;
  } else if (t == "the side effects should be:") {
    st.type = T::kSideEffects;
  } else if (std::regex_match(t, m, kError)) {
    st.type = T::kError;
    st.arg = m[1].str();
    st.phase = m[2].str();
    st.detail = m[3].str();
  } else if (t.rfind("there exists a procedure ", 0) == 0) {
    st.type = T::kProcedure;
    st.arg = t.substr(std::string_view("there exists a procedure ").size());
  }
  return st;
}

namespace {

// "(a :: INTEGER?, b :: STRING?)" -> fields; "()" -> none.
Result<std::vector<TestProcedure::Field>> ParseFields(std::string_view text) {
  text = util::Trim(text);
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') {
    return Status::InvalidArgument("expected a parenthesized field list, found '" + std::string(text) + "'");
  }
  text = util::Trim(text.substr(1, text.size() - 2));
  std::vector<TestProcedure::Field> fields;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view field = util::Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const size_t colons = field.find("::");
    if (colons == std::string_view::npos) {
      return Status::InvalidArgument("expected 'name :: TYPE' in a procedure signature, found '" +
                                     std::string(field) + "'");
    }
    std::string_view type = util::Trim(field.substr(colons + 2));
    if (!type.empty() && type.back() == '?') type.remove_suffix(1);
    fields.push_back({std::string(util::Trim(field.substr(0, colons))), std::string(type)});
  }
  return fields;
}

}  // namespace

Result<TestProcedure> ParseTestProcedure(std::string_view signature, const DataTable& table) {
  std::string_view s = util::Trim(signature);
  if (!s.empty() && s.back() == ':') s.remove_suffix(1);
  const size_t open = s.find('(');
  const size_t arrow = s.find("::", s.find(')'));
  if (open == std::string_view::npos || arrow == std::string_view::npos) {
    return Status::InvalidArgument("expected 'name(inputs) :: (outputs):', found '" + std::string(signature) +
                                   "'");
  }
  TestProcedure p;
  p.name = std::string(util::Trim(s.substr(0, open)));
  auto inputs = ParseFields(s.substr(open, arrow - open));
  if (!inputs.ok()) return inputs.status();
  auto outputs = ParseFields(s.substr(arrow + 2));
  if (!outputs.ok()) return outputs.status();
  p.inputs = std::move(inputs).value();
  p.outputs = std::move(outputs).value();
  const size_t width = p.inputs.size() + p.outputs.size();
  if (table.rows.empty()) return Status::InvalidArgument("procedure " + p.name + " has no header row");
  std::vector<std::string> header = table.rows[0];
  if (width == 0 && header.size() == 1 && header[0].empty()) header.clear();
  if (header.size() != width) {
    return Status::InvalidArgument("procedure " + p.name + ": the table has " +
                                   std::to_string(header.size()) + " columns for " + std::to_string(width) +
                                   " inputs and outputs");
  }
  for (size_t i = 0; i < width; ++i) {
    const std::string& declared =
        i < p.inputs.size() ? p.inputs[i].name : p.outputs[i - p.inputs.size()].name;
    if (header[i] != declared) {
      return Status::InvalidArgument("procedure " + p.name + ": table column " + std::to_string(i + 1) +
                                     " is '" + header[i] + "', the signature says '" + declared + "'");
    }
  }
  for (size_t r = 1; r < table.rows.size(); ++r) {
    std::vector<Value> row;
    for (const std::string& cell : table.rows[r]) {
      auto v = ParseTckValue(cell);
      if (!v.ok()) return v.status();
      auto value = ToEngineValue(*v);
      if (!value.ok()) return value.status();
      row.push_back(std::move(value).value());
    }
    p.rows.push_back(std::move(row));
  }
  return p;
}

ScenarioOutcome RunScenario(const Scenario& scenario, Backend& backend, const RunOptions& options) {
  return ScenarioRun(backend, options).Run(scenario);
}

}  // namespace lodestone::tck
