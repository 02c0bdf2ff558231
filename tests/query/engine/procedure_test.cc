// CALL and the procedure catalog, end to end through the Database/Connection facade.
#include <gtest/gtest.h>

#include "query/catalog/procedure_catalog.h"
#include "query/database.h"
#include "query/result_format.h"
#include "tests/support/query_test.h"

namespace lodestone {
namespace {

using query::ProcedureCall;
using query::ProcedureInfo;
using query::ProcedureType;

class ProcedureTest : public testing::QueryTest {
 protected:
  void SetUp() override {
    QueryTest::SetUp();
    if (HasFatalFailure()) return;

    // repeat(value :: INTEGER, times :: INTEGER = 2) :: (value :: INTEGER, i :: INTEGER): `times` rows.
    ProcedureInfo repeat;
    repeat.name = "test.repeat";
    repeat.inputs = {{"value", ProcedureType::kInteger, std::nullopt},
                     {"times", ProcedureType::kInteger, Value(2)}};
    repeat.outputs = {{"value", ProcedureType::kInteger, std::nullopt},
                      {"i", ProcedureType::kInteger, std::nullopt}};
    repeat.summary = "The value, `times` times.";
    repeat.fn = [](ProcedureCall& call) {
      if (call.args()[0].is_null()) return;
      for (int64_t i = 0; i < call.args()[1].as_int(); ++i) call.Emit({call.args()[0], Value(i)});
    };
    ASSERT_TRUE(db_->procedures().Register(std::move(repeat)).ok());

    ProcedureInfo nothing;
    nothing.name = "test.nothing";
    nothing.fn = [this](ProcedureCall&) { ++void_calls_; };
    ASSERT_TRUE(db_->procedures().Register(std::move(nothing)).ok());

    ProcedureInfo half;
    half.name = "test.half";
    half.inputs = {{"x", ProcedureType::kFloat, std::nullopt}};
    half.outputs = {{"y", ProcedureType::kAny, std::nullopt}};
    half.fn = [](ProcedureCall& call) {
      call.Emit({call.args()[0].is_null() ? Value() : Value(call.args()[0].as_float() / 2)});
    };
    ASSERT_TRUE(db_->procedures().Register(std::move(half)).ok());
  }

  int void_calls_ = 0;
};

using Lines = std::vector<std::string>;

TEST_F(ProcedureTest, IntrospectionProceduresDescribeTheGraph) {
  ASSERT_TRUE(Run("CREATE (:Zebra {stripes: 3})-[:EATS]->(:Grass {height: 1}), (:Temp)").ok());
  ASSERT_TRUE(Run("MATCH (t:Temp) DELETE t").ok());
  // Labels in use only: no node has :Temp any more.
  EXPECT_EQ(Rows("CALL db.labels()"), (Lines{"Grass", "Zebra"}));
  EXPECT_EQ(Rows("CALL db.relationshipTypes() YIELD relationshipType RETURN relationshipType"),
            (Lines{"EATS"}));
  EXPECT_EQ(Rows("CALL db.propertyKeys() YIELD propertyKey WHERE propertyKey IN ['stripes', 'height'] "
                 "RETURN propertyKey"),
            (Lines{"height", "stripes"}));
  ASSERT_TRUE(Run("CREATE INDEX ON :Zebra(stripes)").ok());
  EXPECT_EQ(Rows("CALL db.indexes()"), (Lines{"Zebra | ['stripes'] | INTEGER"}));
  EXPECT_EQ(
      Rows("CALL dbms.procedures() YIELD name, signature WHERE name = 'test.repeat' RETURN signature"),
      (Lines{"test.repeat(value :: INTEGER, times :: INTEGER = 2) :: (value :: INTEGER, i :: INTEGER)"}));
  EXPECT_EQ(Rows("CALL dbms.procedures() YIELD name, mode WHERE name STARTS WITH 'db.' RETURN name, mode"),
            (Lines{"db.indexes | READ", "db.labels | READ", "db.propertyKeys | READ",
                   "db.relationshipTypes | READ"}));
}

TEST_F(ProcedureTest, StandaloneCallReturnsEveryOutput) {
  ExecResult r = Run("CALL test.repeat(7, 3)");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  EXPECT_EQ(r.result.columns, (std::vector<std::string>{"value", "i"}));
  EXPECT_EQ(Rows("CALL test.repeat(7, 3)"), (Lines{"7 | 0", "7 | 1", "7 | 2"}));
  // The default fills the left-out argument; YIELD picks and renames columns.
  EXPECT_EQ(Rows("CALL test.repeat(7) YIELD i AS n"), (Lines{"0", "1"}));
  EXPECT_EQ(Rows("CALL test.repeat(7) YIELD *"), (Lines{"7 | 0", "7 | 1"}));
  // Without parentheses the arguments are the parameters of the same names.
  EXPECT_EQ(Rows("CALL test.repeat", {{"value", Value(5)}, {"times", Value(1)}}), (Lines{"5 | 0"}));
  QueryError e = Error("CALL test.repeat", {{"value", Value(5)}});
  EXPECT_EQ(e.kind, QueryError::Kind::kParameterMissing);
  EXPECT_TRUE(e.compile_time);
  EXPECT_NE(e.message.find("$times"), std::string::npos) << e.message;
  // A VOID procedure returns no columns and no rows, and runs.
  r = Run("CALL test.nothing()");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.result.columns.empty());
  EXPECT_TRUE(r.result.rows.empty());
  EXPECT_EQ(void_calls_, 1);
}

TEST_F(ProcedureTest, InQueryCallRunsOncePerRow) {
  EXPECT_EQ(Rows("UNWIND [1, 2] AS x CALL test.repeat(x * 10, x) YIELD value, i RETURN x, value, i"),
            (Lines{"1 | 10 | 0", "2 | 20 | 0", "2 | 20 | 1"}));
  EXPECT_EQ(Rows("UNWIND [1, 2, 3] AS x CALL test.repeat(x, 3) YIELD i WHERE i > x RETURN x, i"),
            (Lines{"1 | 2"}));
  EXPECT_EQ(Rows("UNWIND [1, 2, 3] AS x CALL test.repeat(x) YIELD i WITH x, count(i) AS n RETURN x, n"),
            (Lines{"1 | 2", "2 | 2", "3 | 2"}));
  // A VOID procedure passes each row through once.
  EXPECT_EQ(Rows("UNWIND [1, 2, 3] AS x CALL test.nothing() RETURN x"), (Lines{"1", "2", "3"}));
  EXPECT_EQ(void_calls_, 3);
  // FLOAT inputs take integers, widened.
  EXPECT_EQ(Rows("CALL test.half(3) YIELD y RETURN y"), (Lines{"1.5"}));
  EXPECT_EQ(Rows("CALL test.half(null) YIELD y RETURN y"), (Lines{"null"}));
}

TEST_F(ProcedureTest, ExplainShowsTheCall) {
  ExecResult r = Run("EXPLAIN UNWIND [1] AS x CALL test.repeat(x) YIELD i AS n RETURN n");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  EXPECT_NE(r.result.plan.find("Logical plan:"), std::string::npos) << r.result.plan;
  // Once in the logical plan, once in the physical one, with the default filled in.
  const std::string call = "ProcedureCall test.repeat(x, 2) YIELD i AS n";
  const size_t first = r.result.plan.find(call);
  ASSERT_NE(first, std::string::npos) << r.result.plan;
  EXPECT_NE(r.result.plan.find(call, first + 1), std::string::npos) << r.result.plan;
  // EXPLAIN runs nothing: a procedure it names is not called.
  r = Run("EXPLAIN UNWIND [1] AS x CALL test.nothing() RETURN x");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  EXPECT_EQ(void_calls_, 0);
}

TEST_F(ProcedureTest, ErrorsSayWhatIsWrong) {
  QueryError e = Error("CALL test.nope()");
  EXPECT_EQ(e.kind, QueryError::Kind::kProcedureError);
  EXPECT_EQ(e.detail, "ProcedureNotFound");
  EXPECT_TRUE(e.compile_time);
  e = Error("CALL db.Labels()");
  EXPECT_NE(e.message.find("did you mean db.labels"), std::string::npos) << e.message;

  e = Error("CALL test.repeat()");
  EXPECT_EQ(e.detail, "InvalidNumberOfArguments");
  EXPECT_NE(e.message.find("takes 1 to 2 arguments, not 0"), std::string::npos) << e.message;
  EXPECT_EQ(Error("CALL test.repeat(1, 2, 3)").detail, "InvalidNumberOfArguments");

  e = Error("CALL test.repeat('seven')");
  EXPECT_EQ(e.kind, QueryError::Kind::kSyntaxError);
  EXPECT_EQ(e.detail, "InvalidArgumentType");
  EXPECT_TRUE(e.compile_time);
  // A type the binder cannot see is checked when the call runs.
  e = Error("CALL test.repeat($v)", {{"v", Value("seven")}});
  EXPECT_EQ(e.kind, QueryError::Kind::kTypeError);
  EXPECT_EQ(e.detail, "InvalidArgumentType");
  EXPECT_NE(e.message.find("argument 'value' of test.repeat must be INTEGER"), std::string::npos)
      << e.message;

  e = Error("CALL test.repeat(1) YIELD nope RETURN nope");
  EXPECT_NE(e.message.find("its outputs are: value, i"), std::string::npos) << e.message;
  EXPECT_EQ(Error("WITH 1 AS i CALL test.repeat(1) YIELD i RETURN i").detail, "VariableAlreadyBound");
  EXPECT_EQ(Error("CALL test.repeat(1) YIELD value AS v, i AS v RETURN v").detail, "VariableAlreadyBound");
  EXPECT_EQ(Error("CALL test.nothing() YIELD x RETURN x").detail, "InvalidYield");
  EXPECT_EQ(Error("CALL test.repeat(1) YIELD * RETURN value").detail, "UnexpectedSyntax");
  EXPECT_EQ(Error("CALL test.repeat YIELD value RETURN value").detail, "InvalidArgumentPassingMode");
  EXPECT_EQ(Error("MATCH (n) CALL test.repeat(count(n)) YIELD i RETURN i").detail, "InvalidAggregation");
  // Without YIELD an in-query call binds nothing.
  EXPECT_EQ(Error("CALL test.repeat(1) RETURN value").detail, "UndefinedVariable");
  EXPECT_EQ(Error("UNWIND [1] AS x CALL test.repeat(x)").detail, "InvalidClauseComposition");
}

TEST_F(ProcedureTest, RegisterRefusesBadDeclarations) {
  ProcedureInfo p;
  p.name = "test.bad";
  EXPECT_FALSE(db_->procedures().Register(p).ok());  // no implementation
  p.fn = [](ProcedureCall&) {};
  p.inputs = {{"a", ProcedureType::kInteger, Value(1)}, {"b", ProcedureType::kInteger, std::nullopt}};
  EXPECT_FALSE(db_->procedures().Register(p).ok());  // a required input after an optional one
  p.inputs = {};
  p.outputs = {{"x", ProcedureType::kInteger, std::nullopt}, {"x", ProcedureType::kString, std::nullopt}};
  EXPECT_FALSE(db_->procedures().Register(p).ok());  // two outputs of one name
  p.outputs = {{"x", ProcedureType::kInteger, std::nullopt}};
  EXPECT_TRUE(db_->procedures().Register(p).ok());
  // Registering replaces a cached plan's procedure: the statement now sees the new declaration.
  p.outputs = {{"y", ProcedureType::kInteger, std::nullopt}};
  p.fn = [](ProcedureCall& call) { call.Emit({Value(42)}); };
  EXPECT_EQ(Rows("CALL test.bad()"), Lines{});
  ASSERT_TRUE(db_->procedures().Register(p).ok());
  ExecResult r = Run("CALL test.bad()");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.result.columns, (std::vector<std::string>{"y"}));
}

TEST_F(ProcedureTest, WriteProceduresAreRefusedReadOnly) {
  ProcedureInfo p;
  p.name = "test.touch";
  p.mode = query::ProcedureMode::kWrite;
  p.fn = [](ProcedureCall&) {};
  ASSERT_TRUE(db_->procedures().Register(std::move(p)).ok());
  QueryOptions ro;
  ro.read_only = true;
  EXPECT_EQ(Error("CALL test.touch()", {}, ro).kind, QueryError::Kind::kReadOnly);
  EXPECT_TRUE(Run("CALL test.touch()").ok());
}

// Subqueries and the binder's static types live beside CALL because they came with it.
TEST_F(ProcedureTest, ExistsAndCountSubqueries) {
  ASSERT_TRUE(Run("CREATE (a:A {name: 'a'})-[:R]->(:B), (a)-[:R]->(:B), (:A {name: 'lonely'})").ok());
  EXPECT_EQ(Rows("MATCH (n:A) RETURN n.name, COUNT { (n)-[:R]->() } AS c ORDER BY n.name"),
            (Lines{"a | 2", "lonely | 0"}));
  EXPECT_EQ(Rows("MATCH (n:A) WHERE EXISTS { MATCH (n)-->(m) WITH count(m) AS k WHERE k > 1 RETURN k } "
                 "RETURN n.name"),
            (Lines{"a"}));
  EXPECT_EQ(Rows("MATCH (n:A) RETURN n.name, COUNT { MATCH (n)-->(m:B) RETURN m UNION ALL MATCH (n)-->(m) "
                 "RETURN m } AS c ORDER BY n.name"),
            (Lines{"a | 4", "lonely | 0"}));
  EXPECT_EQ(Error("MATCH (n) RETURN COUNT { MATCH (n)-->(m) SET m.x = 1 } AS c").detail,
            "InvalidClauseComposition");
}

TEST_F(ProcedureTest, KnownTypesOfVariablesAreCheckedBeforeRunning) {
  QueryError e = Error("WITH 'text' AS s RETURN s.name");
  EXPECT_EQ(e.kind, QueryError::Kind::kTypeError);
  EXPECT_TRUE(e.compile_time);
  e = Error("RETURN any(x IN ['a', 'b'] WHERE x % 2 = 0)");
  EXPECT_EQ(e.detail, "InvalidArgumentType");
  EXPECT_TRUE(e.compile_time);
  EXPECT_EQ(Error("RETURN 1 IN 'abc'").detail, "InvalidArgumentType");
  EXPECT_EQ(Error("MATCH (n) WHERE (n) RETURN n").detail, "InvalidArgumentType");
  EXPECT_EQ(Error("MATCH (n) WHERE (n)-[r]->() RETURN n").detail, "UndefinedVariable");
  // Unknown types still run, and mixed lists are not judged.
  EXPECT_EQ(Rows("RETURN any(x IN [1, 'a'] WHERE x = 1) AS y"), (Lines{"true"}));
  EXPECT_EQ(Rows("UNWIND [1, 2] AS x WITH x * 2 AS y RETURN y - 1"), (Lines{"1", "3"}));
}

}  // namespace
}  // namespace lodestone
