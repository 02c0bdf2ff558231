// Running one scenario of the suite against a query backend.
//
// Steps understood (anything else fails the scenario as "unsupported step"):
//   Given an empty graph | Given any graph          (every scenario starts on a fresh empty graph)
//   Given the <name> graph                          (runs graphs/<name>/<script>.cypher, the scripts
//                                                    named by graphs/<name>/<name>.json, or <name>.cypher)
//   And having executed: """..."""                  (must succeed)
//   And parameters are: | name | value |            (values in the notation of tck_value.h)
//   When executing query: """..."""                 (side effects measured around it)
//   When executing control query: """..."""         (its result replaces the query's for later checks)
//   Then the result should be[, in any order | , in order][ (ignoring element order for lists)]:
//   Then the result should be empty
//   And no side effects | And the side effects should be: | +nodes | 1 | ...
//   Then a <Kind> should be raised at <compile time|runtime|any time>: <detail or *>
//   And there exists a procedure ns.name(in :: TYPE?, ...) :: (out :: TYPE?, ...): | in | out | ...
//                                                   (a test procedure whose table maps inputs to output rows)
// Error kinds map to QueryError kinds by name; ConstraintVerificationFailed is kConstraintError.
// "compile time" needs QueryError::compile_time, "runtime" needs it false; the detail must equal
// QueryError::detail unless it is "*".
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "query/database.h"
#include "store/status.h"
#include "tests/tck/gherkin.h"
#include "tests/tck/side_effects.h"

namespace lodestone::tck {

// A test procedure a scenario declares: "there exists a procedure test.my.proc(in :: INTEGER?) ::
// (out :: STRING?):" with a table whose columns are the inputs, then the outputs. Called with some
// arguments, it yields the outputs of the rows whose inputs equal them (null equals null, 42 equals
// 42.0), in table order.
struct TestProcedure {
  struct Field {
    std::string name;
    std::string type;  // as written, without the '?': "INTEGER", "NUMBER", ...
  };
  std::string name;  // "test.my.proc"
  std::vector<Field> inputs, outputs;
  std::vector<std::vector<Value>> rows;  // inputs.size() + outputs.size() values each
};
// Parses the step's text (after "there exists a procedure ") and table.
Result<TestProcedure> ParseTestProcedure(std::string_view signature, const DataTable& table);

// A fresh graph and a way to query it. The engine backend wraps Database and Connection; tests use fakes.
class Backend {
 public:
  virtual ~Backend() = default;
  // Makes a test procedure callable by the following queries.
  virtual Status RegisterProcedure(const TestProcedure& procedure) {
    return Status::Unsupported("this backend cannot register procedures (" + procedure.name + ")");
  }
  virtual ExecResult Execute(std::string_view statement, const ValueMap& params) = 0;
  virtual ExecResult ExecuteScript(std::string_view script) = 0;
  // The whole present graph, for side effects.
  virtual Result<GraphState> Capture() = 0;
};

struct RunOptions {
  std::string graphs_dir;  // holds <name>/<name>.json and the scripts of named graphs
  bool verbose = false;    // fill ScenarioOutcome::log
};

struct ScenarioOutcome {
  bool passed = false;
  std::string reason;  // the first failure, one line, starting with a category ("result differs: ...")
  std::string log;     // with verbose: each step, query, parameters, expected and actual tables
};

ScenarioOutcome RunScenario(const Scenario& scenario, Backend& backend, const RunOptions& options);

// What a step asks for, from its text alone.
struct StepType {
  enum class Type {
    kEmptyGraph,      // an empty graph | any graph
    kNamedGraph,      // the <name> graph                      (arg: the name)
    kHavingExecuted,  // having executed:
    kParameters,      // parameters are:
    kQuery,           // executing query:
    kControlQuery,    // executing control query:
    kResult,          // the result should be...:              (in_order, ignore_list_order)
    kResultEmpty,     // the result should be empty
    kNoSideEffects,   // no side effects
    kSideEffects,     // the side effects should be:
    kError,           // a <Kind> should be raised at <phase>: <detail>   (arg, phase, detail)
    kProcedure,       // there exists a procedure ...:         (arg: the signature)
    kUnknown,
  };
  Type type = Type::kUnknown;
  std::string arg;
  std::string phase;
  std::string detail;
  bool in_order = false;
  bool ignore_list_order = false;
};
StepType ClassifyStep(const std::string& text);

// The suite's name for an error kind ("SyntaxError", ... "ConstraintVerificationFailed").
std::string_view TckErrorName(QueryError::Kind kind);

}  // namespace lodestone::tck
