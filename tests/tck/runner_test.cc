#include "tests/tck/runner.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"

namespace lodestone::tck {
namespace {

// A backend with canned answers per statement, over a real store so that side effects are real.
class FakeBackend final : public Backend {
 public:
  using Handler = std::function<ExecResult(GraphStore&, const ValueMap&)>;

  explicit FakeBackend(const std::string& dir) {
    StoreOptions o;
    o.create_if_missing = true;
    store_ = std::move(GraphStore::Open(dir, o)).value();
  }

  void On(const std::string& statement, Handler h) { handlers_[statement] = std::move(h); }

  ExecResult Execute(std::string_view statement, const ValueMap& params) override {
    auto it = handlers_.find(std::string(statement));
    if (it == handlers_.end())
      return Error(QueryError::Kind::kInternalError, "", false, "fake: unknown statement");
    return it->second(*store_, params);
  }
  ExecResult ExecuteScript(std::string_view script) override {
    scripts_.emplace_back(script);
    return {};
  }
  Result<GraphState> Capture() override {
    auto view = store_->Read();
    return CaptureGraphState(*view);
  }

  static ExecResult Error(QueryError::Kind kind, std::string detail, bool compile_time,
                          std::string message = "boom") {
    ExecResult r;
    r.error = QueryError{};
    r.error->kind = kind;
    r.error->detail = std::move(detail);
    r.error->compile_time = compile_time;
    r.error->message = std::move(message);
    return r;
  }

  std::vector<std::string> scripts_;

 private:
  std::unique_ptr<GraphStore> store_;
  std::map<std::string, Handler> handlers_;
};

NodeId CreateNode(GraphStore& store, const std::string& label, const std::string& key, Value v) {
  auto t = std::move(store.BeginWrite("fake")).value();
  NodeRecord r;
  r.labels.push_back(*t->InternLabel(label));
  SetProperty(&r.props, *t->InternPropKey(key), std::move(v));
  NodeId id = *t->CreateNode(r);
  EXPECT_TRUE(t->Commit().ok());
  return id;
}

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    backend_ = std::make_unique<FakeBackend>(dir_.Sub("db"));
    // CREATE (:A {name: 'a'})
    backend_->On("CREATE (:A {name: 'a'})", [](GraphStore& s, const ValueMap&) {
      CreateNode(s, "A", "name", Value("a"));
      return ExecResult{};
    });
    // MATCH (n) SET n.x = 1 RETURN n
    backend_->On("MATCH (n) SET n.x = 1 RETURN n", [](GraphStore& s, const ValueMap&) {
      auto t = std::move(s.BeginWrite("fake")).value();
      auto nodes = t->view().ScanAllNodes();
      ExecResult r;
      r.result.columns = {"n"};
      std::vector<NodeId> ids;
      for (; nodes->Valid(); nodes->Next()) ids.push_back(nodes->entry().id);
      for (NodeId id : ids) {
        NodeRecord rec;
        EXPECT_TRUE(*t->view().GetNode(id, &rec));
        SetProperty(&rec.props, *t->InternPropKey("x"), Value(1));
        EXPECT_TRUE(t->UpdateNode(id, rec).ok());
        r.result.rows.push_back({Value(NodeRef{id})});
        r.result.nodes[id] = NodeData{"", {"A"}, {{"name", Value("a")}, {"x", Value(1)}}, {}, false};
      }
      EXPECT_TRUE(t->Commit().ok());
      return r;
    });
    backend_->On("RETURN $x AS x", [](GraphStore&, const ValueMap& params) {
      ExecResult r;
      r.result.columns = {"x"};
      auto it = params.find("x");
      r.result.rows.push_back({it == params.end() ? Value() : it->second});
      return r;
    });
    backend_->On("RETURN [3, 1, 2] AS l", [](GraphStore&, const ValueMap&) {
      ExecResult r;
      r.result.columns = {"l"};
      r.result.rows.push_back({Value(ValueList{Value(3), Value(1), Value(2)})});
      return r;
    });
    backend_->On("RETURN missing", [](GraphStore&, const ValueMap&) {
      return FakeBackend::Error(QueryError::Kind::kSyntaxError, "UndefinedVariable", true,
                                "missing is not defined");
    });
    backend_->On("RETURN 1 / 0", [](GraphStore&, const ValueMap&) {
      return FakeBackend::Error(QueryError::Kind::kArgumentError, "DivisionByZero", false);
    });
  }

  ScenarioOutcome Run(const std::string& steps, bool verbose = false) {
    auto f = ParseFeature("Feature: F\n  Scenario: s\n" + steps, "features/F.feature");
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    if (!f.ok() || f->scenarios.empty()) return {};
    RunOptions o;
    o.graphs_dir = dir_.Sub("graphs");
    o.verbose = verbose;
    return RunScenario(f->scenarios[0], *backend_, o);
  }

  static std::string Query(const std::string& keyword, const std::string& text) {
    return "    " + keyword + ":\n      \"\"\"\n      " + text + "\n      \"\"\"\n";
  }

  testing::TempDir dir_;
  std::unique_ptr<FakeBackend> backend_;
};

TEST_F(RunnerTest, ResultAndSideEffectsPass) {
  ScenarioOutcome o =
      Run("    Given an empty graph\n" + Query("And having executed", "CREATE (:A {name: 'a'})") +
          Query("When executing query", "MATCH (n) SET n.x = 1 RETURN n") +
          "    Then the result should be, in any order:\n"
          "      | n                      |\n"
          "      | (:A {name: 'a', x: 1}) |\n"
          "    And the side effects should be:\n"
          "      | +properties | 1 |\n");
  EXPECT_TRUE(o.passed) << o.reason;
}

TEST_F(RunnerTest, SideEffectsAreChecked) {
  ScenarioOutcome o = Run(Query("Given having executed", "CREATE (:A {name: 'a'})") +
                          Query("When executing query", "MATCH (n) SET n.x = 1 RETURN n") +
                          "    Then the result should be, in order:\n"
                          "      | n                      |\n"
                          "      | (:A {name: 'a', x: 1}) |\n"
                          "    And no side effects\n");
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.reason, "side effects differ: +properties: expected 0, got 1");
}

TEST_F(RunnerTest, ResultDifference) {
  ScenarioOutcome o = Run(Query("Given having executed", "CREATE (:A {name: 'a'})") +
                          Query("When executing query", "MATCH (n) SET n.x = 1 RETURN n") +
                          "    Then the result should be, in any order:\n"
                          "      | n                        |\n"
                          "      | (:A {name: 'a', x: 1.0}) |\n");
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.reason,
            "result differs: expected 1 row, got 1; missing | (:A {name: 'a', x: 1.0}) |; "
            "unexpected | (:A {name: 'a', x: 1}) |");
}

TEST_F(RunnerTest, ListOrderAndParameters) {
  const std::string q = Query("When executing query", "RETURN [3, 1, 2] AS l");
  EXPECT_FALSE(
      Run(q + "    Then the result should be, in any order:\n      | l |\n      | [1, 2, 3] |\n").passed);
  EXPECT_TRUE(Run(q + "    Then the result should be (ignoring element order for lists):\n"
                      "      | l |\n      | [1, 2, 3] |\n")
                  .passed);
  EXPECT_TRUE(Run(q + "    Then the result should be, in order (ignoring element order for lists):\n"
                      "      | l |\n      | [2, 3, 1] |\n")
                  .passed);

  ScenarioOutcome o =
      Run("    Given any graph\n    And parameters are:\n      | x | [1, {a: 'b'}] |\n" +
          Query("When executing query", "RETURN $x AS x") +
          "    Then the result should be, in any order:\n      | x |\n      | [1, {a: 'b'}] |\n"
          "    And no side effects\n");
  EXPECT_TRUE(o.passed) << o.reason;
}

TEST_F(RunnerTest, ExpectedErrors) {
  const std::string compile = Query("When executing query", "RETURN missing");
  EXPECT_TRUE(
      Run(compile + "    Then a SyntaxError should be raised at compile time: UndefinedVariable\n").passed);
  EXPECT_TRUE(
      Run(compile + "    Then a SyntaxError should be raised at any time: UndefinedVariable\n").passed);
  EXPECT_TRUE(Run(compile + "    Then a SyntaxError should be raised at compile time: *\n").passed);

  ScenarioOutcome o =
      Run(compile + "    Then a SyntaxError should be raised at runtime: UndefinedVariable\n");
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(
      o.reason,
      "wrong error: expected SyntaxError/UndefinedVariable at runtime, got SyntaxError/UndefinedVariable at "
      "compile time: missing is not defined");
  o = Run(compile + "    Then a SyntaxError should be raised at compile time: VariableAlreadyBound\n");
  EXPECT_FALSE(o.passed);
  o = Run(compile + "    Then a TypeError should be raised at compile time: UndefinedVariable\n");
  EXPECT_FALSE(o.passed);
  o = Run(compile + "    Then a DatabaseError should be raised at compile time: UndefinedVariable\n");
  EXPECT_FALSE(o.passed);
  EXPECT_NE(o.reason.find("no error kind DatabaseError"), std::string::npos) << o.reason;

  EXPECT_TRUE(Run(Query("When executing query", "RETURN 1 / 0") +
                  "    Then an ArgumentError should be raised at runtime: DivisionByZero\n")
                  .passed);

  o = Run(Query("When executing query", "RETURN [3, 1, 2] AS l") +
          "    Then a SyntaxError should be raised at compile time: UndefinedVariable\n");
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.reason,
            "expected an error: SyntaxError/UndefinedVariable at compile time, but the query returned 1 row");
}

TEST_F(RunnerTest, QueryFailureFailsResultAndSideEffectChecks) {
  ScenarioOutcome o = Run(Query("When executing query", "RETURN missing") +
                          "    Then the result should be, in any order:\n      | x |\n");
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.reason, "query failed: SyntaxError/UndefinedVariable at compile time: missing is not defined");
  o = Run(Query("When executing query", "RETURN missing") + "    Then no side effects\n");
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.reason.rfind("query failed:", 0), 0u) << o.reason;
  o = Run(Query("When executing query", "RETURN missing") + "    Then the result should be empty\n");
  EXPECT_FALSE(o.passed);
  o = Run(Query("Given having executed", "RETURN missing") +
          Query("When executing query", "RETURN [3, 1, 2] AS l") + "    Then the result should be empty\n");
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.reason.rfind("setup failed:", 0), 0u) << o.reason;
}

TEST_F(RunnerTest, EmptyResult) {
  EXPECT_TRUE(Run(Query("When executing query", "CREATE (:A {name: 'a'})") +
                  "    Then the result should be empty\n"
                  "    And the side effects should be:\n      | +nodes | 1 |\n      | +labels | 1 |\n"
                  "      | +properties | 1 |\n")
                  .passed);
  ScenarioOutcome o =
      Run(Query("When executing query", "RETURN [3, 1, 2] AS l") + "    Then the result should be empty\n");
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.reason, "result differs: expected no rows, got 1; first | [3, 1, 2] |");
}

TEST_F(RunnerTest, ControlQueryResultIsChecked) {
  ScenarioOutcome o = Run(Query("When executing query", "CREATE (:A {name: 'a'})") +
                          "    Then the result should be empty\n"
                          "    And the side effects should be:\n      | +nodes | 1 |\n      | +labels | 1 |\n"
                          "      | +properties | 1 |\n" +
                          Query("When executing control query", "RETURN [3, 1, 2] AS l") +
                          "    Then the result should be, in any order:\n      | l |\n      | [3, 1, 2] |\n");
  EXPECT_TRUE(o.passed) << o.reason;
}

TEST(TestProcedureTest, ParsesSignatureAndTable) {
  DataTable table;
  table.rows = {{"name", "in", "out"}, {"'Stefan'", "1", "'Berlin'"}, {"null", "42.5", "null"}};
  auto p = ParseTestProcedure("test.my.proc(name :: STRING?, in :: INTEGER?) :: (out :: STRING?):", table);
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_EQ(p->name, "test.my.proc");
  ASSERT_EQ(p->inputs.size(), 2u);
  EXPECT_EQ(p->inputs[1].name, "in");
  EXPECT_EQ(p->inputs[1].type, "INTEGER");
  ASSERT_EQ(p->outputs.size(), 1u);
  EXPECT_EQ(p->outputs[0].type, "STRING");
  ASSERT_EQ(p->rows.size(), 2u);
  EXPECT_EQ(p->rows[0][0].as_string(), "Stefan");
  EXPECT_TRUE(p->rows[1][0].is_null());
  EXPECT_DOUBLE_EQ(p->rows[1][1].as_float(), 42.5);

  DataTable empty;
  empty.rows = {std::vector<std::string>{}};  // the row "|" of a procedure without fields
  auto v = ParseTestProcedure("test.doNothing() :: ():", empty);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_TRUE(v->inputs.empty());
  EXPECT_TRUE(v->outputs.empty());
  EXPECT_TRUE(v->rows.empty());

  // A space before the final colon, as some features write it.
  DataTable two;
  two.rows = {{"in", "a", "b"}, {"null", "1", "2"}};
  auto w = ParseTestProcedure("test.my.proc(in :: INTEGER?) :: (a :: INTEGER?, b :: INTEGER?) :", two);
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(w->outputs.size(), 2u);

  EXPECT_FALSE(ParseTestProcedure("test.my.proc(in INTEGER?) :: ():", empty).ok());
  EXPECT_FALSE(ParseTestProcedure("test.my.proc", empty).ok());
  DataTable wrong;
  wrong.rows = {{"out", "in"}};
  EXPECT_FALSE(ParseTestProcedure("test.my.proc(in :: INTEGER?) :: (out :: STRING?):", wrong).ok());
}

TEST_F(RunnerTest, UnsupportedAndMissingSteps) {
  ScenarioOutcome o = Run("    Given a graph of sheep\n    Then the result should be empty\n");
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.reason, "unsupported step: 'Given a graph of sheep'");
  // A backend that cannot register procedures says so.
  o =
      Run("    Given there exists a procedure test.my.proc() :: ():\n      |\n    Then the result should "
          "be empty\n");
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.reason.rfind("unsupported step:", 0), 0u) << o.reason;
  // A table that does not match the signature is malformed.
  o =
      Run("    Given there exists a procedure test.my.proc() :: ():\n      | a |\n    Then the result should "
          "be empty\n");
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.reason.rfind("malformed step:", 0), 0u) << o.reason;
  o = Run("    Given any graph\n    Then the result should be empty\n");
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.reason, "no query ran before this step");
  o = Run("    Given any graph\n" + Query("When executing query", "RETURN [3, 1, 2] AS l"));
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.reason, "scenario checks nothing: it has no Then step");
  o = Run("    Given any graph\n    When executing query:\n    Then the result should be empty\n");
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.reason, "malformed step: 'executing query:' without a doc string");
}

TEST_F(RunnerTest, NamedGraphs) {
  namespace fs = std::filesystem;
  fs::create_directories(dir_.path() / "graphs" / "tree");
  std::ofstream(dir_.path() / "graphs" / "tree" / "tree.json") << R"({"name": "tree", "scripts": ["tree"]})";
  std::ofstream(dir_.path() / "graphs" / "tree" / "tree.cypher") << "CREATE (:Root);\n";
  fs::create_directories(dir_.path() / "graphs" / "bare");
  std::ofstream(dir_.path() / "graphs" / "bare" / "bare.cypher") << "CREATE (:Bare);\n";

  const std::string rest = Query("When executing query", "RETURN [3, 1, 2] AS l") +
                           "    Then the result should be, in any order:\n      | l |\n      | [3, 1, 2] |\n";
  ScenarioOutcome o = Run("    Given the tree graph\n" + rest);
  EXPECT_TRUE(o.passed) << o.reason;
  o = Run("    Given the bare graph\n" + rest);
  EXPECT_TRUE(o.passed) << o.reason;
  EXPECT_EQ(backend_->scripts_, (std::vector<std::string>{"CREATE (:Root);\n", "CREATE (:Bare);\n"}));
  o = Run("    Given the missing graph\n" + rest);
  EXPECT_FALSE(o.passed);
  EXPECT_EQ(o.reason.rfind("setup failed: unknown graph 'missing'", 0), 0u) << o.reason;
}

TEST_F(RunnerTest, VerboseLog) {
  ScenarioOutcome o = Run("    Given any graph\n    And parameters are:\n      | x | 2 |\n" +
                              Query("When executing query", "RETURN $x AS x") +
                              "    Then the result should be, in any order:\n      | x |\n      | 1 |\n",
                          /*verbose=*/true);
  EXPECT_FALSE(o.passed);
  EXPECT_NE(o.log.find("RETURN $x AS x"), std::string::npos) << o.log;
  EXPECT_NE(o.log.find("parameters: {x: 2}"), std::string::npos) << o.log;
  EXPECT_NE(o.log.find("expected:\n      | x |\n      | 1 |\n"), std::string::npos) << o.log;
  EXPECT_NE(o.log.find("actual:\n      | x |\n      | 2 |\n"), std::string::npos) << o.log;
  EXPECT_NE(o.log.find("=> FAIL: result differs"), std::string::npos) << o.log;
  o = Run(Query("When executing query", "CREATE (:A {name: 'a'})") + "    Then the result should be empty\n",
          true);
  EXPECT_NE(o.log.find("actual:\n      (no columns, 0 rows)\n"), std::string::npos) << o.log;
  EXPECT_TRUE(Run("    Given any graph\n" + Query("When executing query", "RETURN missing") +
                  "    Then a SyntaxError should be raised at compile time: UndefinedVariable\n")
                  .log.empty());
}

TEST(ClassifyStep, Forms) {
  using T = StepType::Type;
  EXPECT_EQ(ClassifyStep("an empty graph").type, T::kEmptyGraph);
  EXPECT_EQ(ClassifyStep("any graph").type, T::kEmptyGraph);
  StepType g = ClassifyStep("the binary-tree-1 graph");
  EXPECT_EQ(g.type, T::kNamedGraph);
  EXPECT_EQ(g.arg, "binary-tree-1");

  StepType r = ClassifyStep("the result should be, in any order:");
  EXPECT_EQ(r.type, T::kResult);
  EXPECT_FALSE(r.in_order);
  EXPECT_FALSE(r.ignore_list_order);
  r = ClassifyStep("the result should be, in order:");
  EXPECT_TRUE(r.in_order);
  EXPECT_FALSE(r.ignore_list_order);
  r = ClassifyStep("the result should be (ignoring element order for lists):");
  EXPECT_FALSE(r.in_order);
  EXPECT_TRUE(r.ignore_list_order);
  r = ClassifyStep("the result should be, in order (ignoring element order for lists):");
  EXPECT_TRUE(r.in_order);
  EXPECT_TRUE(r.ignore_list_order);
  EXPECT_EQ(ClassifyStep("the result should be, in some order:").type, T::kUnknown);

  StepType e = ClassifyStep("a TypeError should be raised at any time: *");
  EXPECT_EQ(e.type, T::kError);
  EXPECT_EQ(e.arg, "TypeError");
  EXPECT_EQ(e.phase, "any time");
  EXPECT_EQ(e.detail, "*");
  EXPECT_EQ(ClassifyStep("a TypeError should be raised at lunch time: X").type, T::kUnknown);
  EXPECT_EQ(ClassifyStep("the result should be empty").type, T::kResultEmpty);
  EXPECT_EQ(ClassifyStep("no side effects").type, T::kNoSideEffects);
  EXPECT_EQ(ClassifyStep("the side effects should be:").type, T::kSideEffects);
  EXPECT_EQ(ClassifyStep("executing control query:").type, T::kControlQuery);
}

}  // namespace
}  // namespace lodestone::tck
