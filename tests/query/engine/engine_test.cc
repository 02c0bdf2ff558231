// The query engine end to end, through the Database/Connection facade.
#include <atomic>
#include <random>

#include <gtest/gtest.h>

#include "query/catalog/function_catalog.h"
#include "query/database.h"
#include "query/result_format.h"
#include "tests/support/query_test.h"

namespace lodestone {
namespace {

class EngineTest : public testing::QueryTest {
 protected:
  EngineTest() : QueryTest(1'700'000'000'000'000, /*tick=*/1000) {}  // each commit its own time

  // `edges` random relationships of each type R and S between the nodes (:A {i: 0 .. nodes - 1});
  // `skewed`: every other one starts in the lower half, which makes hubs.
  void RandomEdges(std::mt19937& rng, unsigned nodes, int edges, bool skewed = false) {
    for (const char* type : {"R", "S"}) {
      std::string list;
      for (int k = 0; k < edges; ++k) {
        list += (k ? ", " : "") + std::string("[") +
                std::to_string(rng() % nodes / (skewed ? k % 2 + 1 : 1)) + ", " +
                std::to_string(rng() % nodes) + "]";
      }
      Rows("UNWIND [" + list + "] AS e MATCH (a:A {i: e[0]}), (b:A {i: e[1]}) CREATE (a)-[:" + type +
           "]->(b)");
    }
  }

  void Seed() {
    ASSERT_TRUE(conn_
                    ->ExecuteScript(R"(
      CREATE (cn:Actor {key: 'actor/china', name: 'China'}),
             (us:Actor {key: 'actor/us', name: 'United States'}),
             (au:Actor {key: 'actor/australia', name: 'Australia'}),
             (my:Actor {key: 'actor/malaysia', name: 'Malaysia'}),
             (c1:Control {key: 'control/apr', name: 'April curbs', valid_from: date('2025-04-04')}),
             (c2:Control {key: 'control/oct', name: 'October curbs', valid_from: date('2025-10-09'), valid_to: date('2025-11')}),
             (e1:Event {key: 'event/busan', title: 'Busan meeting', date: date('2025-10-30')}),
             (e2:Event {key: 'event/g7', title: 'G7 ministerial', date: date('2026-01')}),
             (cn)-[:IMPOSED]->(c1), (cn)-[:IMPOSED]->(c2),
             (us)-[:PARTNERS_WITH]->(au), (us)-[:PARTNERS_WITH]->(my),
             (e1)-[:INVOLVES]->(us), (e1)-[:INVOLVES]->(cn), (e2)-[:INVOLVES]->(us);
    )")
                    .ok());
  }
};

TEST_F(EngineTest, MatchesPatternsInBothDirections) {
  Seed();
  EXPECT_EQ(Rows("MATCH (a:Actor {name: 'China'})-[:IMPOSED]->(c) RETURN c.name ORDER BY c.name"),
            (std::vector<std::string>{"April curbs", "October curbs"}));
  EXPECT_EQ(Rows("MATCH (c:Control)<-[:IMPOSED]-(a) RETURN DISTINCT a.name"),
            (std::vector<std::string>{"China"}));
  EXPECT_EQ(Rows("MATCH (a {key: 'actor/us'})-[:PARTNERS_WITH]-(b) RETURN b.name ORDER BY b.name"),
            (std::vector<std::string>{"Australia", "Malaysia"}));
  EXPECT_EQ(Rows("MATCH (e:Event)-[:INVOLVES]->(a:Actor) WITH a, count(e) AS n RETURN a.name, n ORDER BY n "
                 "DESC, a.name"),
            (std::vector<std::string>{"United States | 2", "China | 1"}));
}

TEST_F(EngineTest, OptionalMatchKeepsRowsWithNulls) {
  Seed();
  EXPECT_EQ(
      Rows("MATCH (a:Actor) OPTIONAL MATCH (a)-[:IMPOSED]->(c) RETURN a.name, count(c) ORDER BY a.name"),
      (std::vector<std::string>{"Australia | 0", "China | 2", "Malaysia | 0", "United States | 0"}));
}

TEST_F(EngineTest, ValidAtUsesEachEntitysValidTime) {
  Seed();
  EXPECT_EQ(Rows("MATCH (c:Control) VALID AT date('2025-12-01') RETURN c.name"),
            (std::vector<std::string>{"April curbs"}));
  EXPECT_EQ(Rows("MATCH (c:Control) VALID AT date('2025-10-20') RETURN c.name ORDER BY c.name"),
            (std::vector<std::string>{"April curbs", "October curbs"}));
  // The October curbs ended "in November": on a day in November it is not certain they still held.
  EXPECT_EQ(Rows("MATCH (c:Control) VALID AT date('2025-11-15') RETURN c.name"),
            (std::vector<std::string>{"April curbs"}));
  EXPECT_EQ(Rows("MATCH (c:Control) VALID AT date('2025-01-01') RETURN c.name"),
            (std::vector<std::string>{}));
  EXPECT_EQ(Rows("MATCH (c:Control) VALID DURING date('2025-01-01'), date('2025-05-01') RETURN c.name"),
            (std::vector<std::string>{"April curbs"}));
  // Through a relationship: every bound entity must be valid.
  EXPECT_EQ(Rows("MATCH (a:Actor)-[:IMPOSED]->(c) VALID AT date('2025-12-01') RETURN c.name"),
            (std::vector<std::string>{"April curbs"}));
}

TEST_F(EngineTest, DatesWithPrecisionCompareThreeValued) {
  Seed();
  EXPECT_EQ(Rows("MATCH (e:Event) WHERE e.date >= date('2026-01-01') RETURN e.title"),
            (std::vector<std::string>{"G7 ministerial"}));
  // January 2026 against the first quarter of 2026: some day in January against some day in the
  // quarter, so unknown, and the event is not returned either way.
  EXPECT_EQ(Rows("MATCH (e:Event) WHERE e.date >= date('2026-Q1') RETURN e.title"),
            (std::vector<std::string>{}));
  EXPECT_EQ(Rows("MATCH (e:Event) WHERE e.date < date('2026-Q1') RETURN e.title"),
            (std::vector<std::string>{"Busan meeting"}));
  EXPECT_EQ(Rows("MATCH (e:Event) WHERE within(e.date, date('2026-Q1')) RETURN e.title"),
            (std::vector<std::string>{"G7 ministerial"}));
  EXPECT_EQ(Rows("MATCH (e:Event) WHERE e.date < date('2026-01-15') RETURN e.title"),
            (std::vector<std::string>{"Busan meeting"}));
  EXPECT_EQ(Rows("RETURN date('2026-01') < date('2026-01-15') AS unknown, precision(date('2026-H1')) AS p, "
                 "date_start(date('2026-H1')) AS s, date_end(date('2026-H1')) AS e"),
            (std::vector<std::string>{"null | half | 2026-01-01 | 2026-07-01"}));
  EXPECT_EQ(Rows("MATCH (e:Event) RETURN truncate(e.date, 'year') AS y, count(*) ORDER BY y"),
            (std::vector<std::string>{"2025 | 1", "2026 | 1"}));
}

TEST_F(EngineTest, KnownAtReadsTheGraphAsRecorded) {
  Rows("CREATE (:Control {key: 'control/x', name: 'first'})");
  ExecResult r = Run("MATCH (c:Control) RETURN c.name");
  uint64_t after_first = r.result.read_record_time;
  Rows("MATCH (c:Control {key: 'control/x'}) SET c.name = 'second'");
  Rows("CREATE (:Control {key: 'control/y', name: 'other'})");
  ValueMap p{{"t", Value(DateTime{static_cast<int64_t>(after_first)})}};
  EXPECT_EQ(Rows("KNOWN AT $t MATCH (c:Control) RETURN c.name", p), (std::vector<std::string>{"first"}));
  EXPECT_EQ(Rows("MATCH (c:Control) RETURN c.name ORDER BY c.name"),
            (std::vector<std::string>{"other", "second"}));
  // A date means the end of that day, whether given as a date or as text (the commits share a day).
  const std::string day = DateTime{static_cast<int64_t>(after_first)}.ToString().substr(0, 10);
  EXPECT_EQ(Rows("KNOWN AT date('" + day + "') MATCH (c:Control) RETURN c.name ORDER BY c.name"),
            (std::vector<std::string>{"other", "second"}));
  EXPECT_EQ(Rows("KNOWN AT '" + day + "' MATCH (c:Control) RETURN c.name ORDER BY c.name"),
            (std::vector<std::string>{"other", "second"}));
  QueryError e = Error("KNOWN AT $t CREATE (:X)", p);
  EXPECT_EQ(e.kind, QueryError::Kind::kSemanticError);
  // A script that only reads (what the shell and `query -f` run) needs no transaction, so KNOWN AT
  // works in it; in a script that writes it is refused, as the script is one transaction.
  ExecResult read = conn_->ExecuteScript(
      "MATCH (c:Control) RETURN count(c); KNOWN AT $t MATCH (c:Control) RETURN c.name;", p);
  ASSERT_TRUE(read.ok()) << read.error->message;
  ASSERT_EQ(read.result.rows.size(), 1u);
  EXPECT_EQ(read.result.rows[0][0].as_string(), "first");
  ExecResult mixed = conn_->ExecuteScript("CREATE (:X); KNOWN AT $t MATCH (c:Control) RETURN c.name;", p);
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.error->kind, QueryError::Kind::kSemanticError);
  EXPECT_EQ(Rows("MATCH (x:X) RETURN count(x)"), (std::vector<std::string>{"0"}));
}

TEST_F(EngineTest, AFailedStatementWritesNothing) {
  Rows("CREATE (:Actor {key: 'actor/a'})");
  // The second node's key is taken: the whole statement fails, the first node is not created either.
  QueryError e = Error("CREATE (:Actor {key: 'actor/b'}) CREATE (:Actor {key: 'actor/a'})");
  EXPECT_EQ(e.kind, QueryError::Kind::kConstraintError);
  EXPECT_EQ(Rows("MATCH (n:Actor) RETURN n.key"), (std::vector<std::string>{"actor/a"}));
  // A script is one transaction too.
  ExecResult s = conn_->ExecuteScript("CREATE (:Actor {key: 'actor/c'}); MATCH (n) RETURN 1/0;");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Rows("MATCH (n:Actor) RETURN count(n)"), (std::vector<std::string>{"1"}));
}

TEST_F(EngineTest, DeletingAConnectedNodeNeedsDetach) {
  Seed();
  QueryError e = Error("MATCH (a:Actor {key: 'actor/us'}) DELETE a");
  EXPECT_EQ(e.kind, QueryError::Kind::kConstraintError);
  EXPECT_EQ(e.detail, "DeleteConnectedNode");
  // Deleting the node and its relationships in one statement is fine.
  EXPECT_TRUE(Run("MATCH (a:Actor {key: 'actor/australia'})-[r]-() DELETE a, r").ok());
  EXPECT_TRUE(Run("MATCH (a:Actor {key: 'actor/us'}) DETACH DELETE a").ok());
  EXPECT_EQ(Rows("MATCH ()-[r:PARTNERS_WITH]->() RETURN count(r)"), (std::vector<std::string>{"0"}));
}

TEST_F(EngineTest, MergeMatchesOrCreatesAndSetsAccordingly) {
  Rows("MERGE (a:Actor {key: 'actor/jp'}) ON CREATE SET a.created = true ON MATCH SET a.matched = true");
  Rows("MERGE (a:Actor {key: 'actor/jp'}) ON CREATE SET a.created2 = true ON MATCH SET a.matched = true");
  EXPECT_EQ(Rows("MATCH (a:Actor) RETURN a.key, a.created, a.created2, a.matched"),
            (std::vector<std::string>{"actor/jp | true | null | true"}));
  Rows("UNWIND [1, 2, 2, 3] AS i MERGE (:N {i: i})");
  EXPECT_EQ(Rows("MATCH (n:N) RETURN count(n)"), (std::vector<std::string>{"3"}));
}

TEST_F(EngineTest, ErrorsSayWhereAndWhat) {
  QueryError e = Error("MATCH (n)\nRETURN m.name");
  EXPECT_EQ(e.kind, QueryError::Kind::kSyntaxError);
  EXPECT_EQ(e.detail, "UndefinedVariable");
  EXPECT_EQ(e.line, 2);
  EXPECT_EQ(e.column, 8);
  EXPECT_NE(e.formatted.find("RETURN m.name\n         ^"), std::string::npos) << e.formatted;
  e = Error("RETURN nosuch(1)");
  EXPECT_EQ(e.detail, "UnknownFunction");
  EXPECT_NE(e.message.find("nosuch"), std::string::npos);
  e = Error("MATCH (n) WHERE count(n) > 1 RETURN n");
  EXPECT_EQ(e.detail, "InvalidAggregation");
  e = Error("RETURN 1 + 'a' - 2");  // '1a' - 2: the binder knows the left side is a string
  EXPECT_EQ(e.detail, "InvalidArgumentType");
  EXPECT_TRUE(e.compile_time);
  e = Error("RETURN $s - 2", {{"s", Value("a")}});  // known only when it runs
  EXPECT_EQ(e.kind, QueryError::Kind::kTypeError);
  EXPECT_FALSE(e.compile_time);
  e = Error("RETURN $missing");
  EXPECT_EQ(e.kind, QueryError::Kind::kParameterMissing);
  EXPECT_NE(e.message.find("$missing"), std::string::npos);
}

TEST_F(EngineTest, LimitsStopRunawayStatements) {
  QueryOptions o;
  o.max_rows = 10;
  QueryError e = Error("UNWIND range(1, 100) AS i RETURN i", {}, o);
  EXPECT_EQ(e.kind, QueryError::Kind::kLimitExceeded);
  QueryOptions t;
  t.timeout = std::chrono::milliseconds(50);
  e = Error("UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b WITH a, b WHERE a + b < 0 RETURN count(*)",
            {}, t);
  EXPECT_EQ(e.kind, QueryError::Kind::kTimeout);
  QueryOptions m;
  m.max_memory_bytes = 1 << 20;
  e = Error("UNWIND range(1, 100000) AS i RETURN collect(toString(i) + 'padding padding padding')", {}, m);
  EXPECT_EQ(e.kind, QueryError::Kind::kLimitExceeded);
  QueryOptions ro;
  ro.read_only = true;
  e = Error("CREATE (n)", {}, ro);
  EXPECT_EQ(e.kind, QueryError::Kind::kReadOnly);
}

TEST_F(EngineTest, ExplainShowsIndexSeeksAndProfileCountsRows) {
  Seed();
  ASSERT_TRUE(Run("CREATE INDEX ON :Actor(name)").ok());
  ExecResult r = Run("EXPLAIN MATCH (a:Actor {name: 'China'})-[:IMPOSED]->(c) RETURN c.name");
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r.result.plan.find("NodeIndexSeek (a)"), std::string::npos) << r.result.plan;
  EXPECT_NE(r.result.plan.find("Expand (a)-[:IMPOSED]->(c)"), std::string::npos) << r.result.plan;
  r = Run("EXPLAIN MATCH (a {key: 'actor/china'}) RETURN a");
  EXPECT_NE(r.result.plan.find("NodeByKey"), std::string::npos) << r.result.plan;
  r = Run("EXPLAIN MATCH (e:Event) WHERE e.date >= date('2026-01-01') RETURN e");
  EXPECT_NE(r.result.plan.find("NodeByTimeRange"), std::string::npos) << r.result.plan;
  r = Run("PROFILE MATCH (a:Actor {name: 'China'})-[:IMPOSED]->(c) RETURN c.name");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.result.rows.size(), 2u);
  EXPECT_NE(r.result.plan.find("rows=2"), std::string::npos) << r.result.plan;
  // Once an index exists, a wrong-typed value for it is refused.
  QueryError e = Error("CREATE (:Actor {name: 5})");
  EXPECT_EQ(e.kind, QueryError::Kind::kTypeError);
}

// The rows the first Project of a PROFILE's plan read: what ran below a Top that stopped early.
size_t ProjectedRows(const std::string& plan) {
  const size_t project = plan.find("+ Project");
  EXPECT_NE(project, std::string::npos) << plan;
  return project == std::string::npos ? 0 : std::stoul(plan.substr(plan.find("rows=", project) + 5));
}

// ORDER BY the far node's date [DESC] ... LIMIT k over one node's timeline: the Top stops reading once
// a row's date is past the k-th row's. Its answers are those of the whole sort cut to k, ties on the
// date (at several precisions) included; the rows read below it are fewer; where the rows do not come
// in date order (two timelines) it reads them all.
TEST_F(EngineTest, TopOverOneTimelineStopsPastTheKthDate) {
  // 60 events of actor a on 9 dates (so most dates are shared), ids in no order; a few of actor b.
  Rows(
      "CREATE (:Actor {key: 'actor/a'}), (:Actor {key: 'actor/b'}) WITH 1 AS one "
      "UNWIND range(0, 59) AS i "
      "WITH i, ['2021-03-04', '2021-03', '2021-Q1', '2022-07-01', '2020-12-31', '2021-03-04', '2023', "
      "'2022-07-01', '2021-03-05'][i % 9] AS d "
      "MATCH (a:Actor {key: 'actor/a'}) "
      "CREATE (e:Event {key: 'event/' + i, n: i, id: (i * 37) % 61, date: date(d)}), (a)-[:P]->(e)");
  Rows("MATCH (b:Actor {key: 'actor/b'}), (e:Event) WHERE e.n % 7 = 0 CREATE (b)-[:P]->(e)");
  // Oldest first, then newest first (the walk turned round).
  for (const std::string direction : {"", " DESC"}) {
    const std::string match =
        "MATCH (x:Actor {key: 'actor/a'})-[:P]->(e:Event) WHERE e.date >= date('2020-06-01') AND "
        "e.date < date('2024-01-01') RETURN e.id, e.date ORDER BY e.date" +
        direction + ", e.id";
    const std::vector<std::string> all = Rows(match);
    ASSERT_EQ(all.size(), 60u);
    for (size_t k : {1u, 5u, 6u, 7u, 20u, 59u, 60u, 100u}) {
      const std::string q = match + " LIMIT " + std::to_string(k);
      std::vector<std::string> want(all.begin(), all.begin() + std::min<size_t>(k, all.size()));
      EXPECT_EQ(Rows(q), want) << k << direction;
      ExecResult r = Run("PROFILE " + q);
      ASSERT_TRUE(r.ok()) << r.error->formatted;
      EXPECT_NE(r.result.plan.find("(input in order of (. e date))"), std::string::npos) << r.result.plan;
      EXPECT_EQ(r.result.plan.find("newest first") != std::string::npos, !direction.empty()) << r.result.plan;
      // The projection below the Top read the rows up to the first one past the k-th's date.
      auto date_of = [&](size_t i) { return all[i].substr(all[i].find('|')); };
      size_t through = std::min<size_t>(k, all.size());  // rows with a date up to the k-th's
      while (through < all.size() && date_of(through) == date_of(k - 1)) ++through;
      EXPECT_EQ(ProjectedRows(r.result.plan), std::min(through + 1, all.size())) << k << direction << "\n"
                                                                                 << r.result.plan;
    }
  }
  // Two timelines one after the other: not in order, so every row is read.
  const std::string two =
      "MATCH (x:Actor)-[:P]->(e:Event) WHERE x.key IN ['actor/a', 'actor/b'] AND e.date >= "
      "date('2020-06-01') AND e.date < date('2024-01-01') RETURN e.id, e.date ORDER BY e.date, e.id";
  std::vector<std::string> both = Rows(two);
  ASSERT_EQ(both.size(), 69u);
  ExecResult r = Run("EXPLAIN " + two + " LIMIT 4");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  EXPECT_EQ(r.result.plan.find("input in order"), std::string::npos) << r.result.plan;
  EXPECT_EQ(Rows(two + " LIMIT 4"), std::vector<std::string>(both.begin(), both.begin() + 4));
}

TEST_F(EngineTest, TopByDateWithoutAWindowWalksEveryNeighbourUndatedFirst) {
  // 30 dated events of actor a on 6 dates, and 5 whose date is not a date: absent (twice), a string, an
  // integer, a list; a self-loop on a (dated itself). b has one dated event and c none.
  Rows(
      "CREATE (a:Actor {key: 'actor/a', date: date('2021-02')}), (:Actor {key: 'actor/b'}), "
      "(:Actor {key: 'actor/c'}) WITH a CREATE (a)-[:P]->(a) WITH a "
      "UNWIND range(0, 29) AS i "
      "WITH a, i, ['2021-03-04', '2021-03', '2021-Q1', '2022-07-01', '2020-12-31', '2023'][i % 6] AS d "
      "CREATE (e:Event {key: 'event/' + i, n: i, date: date(d)}), (a)-[:P]->(e)");
  Rows(
      "MATCH (a:Actor {key: 'actor/a'}) UNWIND [[30, null], [31, null], [32, '2021-03-04'], [33, 2021], "
      "[34, [1]]] AS p CREATE (e:Event {key: 'event/' + p[0], n: p[0], date: p[1]}), (a)-[:P]->(e)");
  Rows("MATCH (b:Actor {key: 'actor/b'}), (e:Event {n: 3}) CREATE (b)-[:P]->(e)");
  for (const std::string direction : {"", " DESC"}) {
    for (const std::string key : {"actor/a", "actor/b", "actor/c"}) {
      const std::string match = "MATCH (x:Actor {key: '" + key +
                                "'})-[:P]->(e) RETURN e.n, e.date ORDER BY e.date" + direction + ", e.n";
      // The same order over a column the pass does not follow: the whole sort.
      const std::vector<std::string> all = Rows("MATCH (x:Actor {key: '" + key +
                                                "'})-[:P]->(e) WITH e, [e.date][0] AS d RETURN e.n, e.date "
                                                "ORDER BY d" +
                                                direction + ", e.n");
      EXPECT_EQ(all.size(), key == "actor/a" ? 36u : key == "actor/b" ? 1u : 0u);
      for (size_t k : {1u, 2u, 3u, 6u, 7u, 20u, 35u, 36u, 50u}) {
        const std::string q = match + " LIMIT " + std::to_string(k);
        EXPECT_EQ(Rows(q), std::vector<std::string>(all.begin(), all.begin() + std::min(k, all.size()))) << q;
        ExecResult r = Run("PROFILE " + q);
        ASSERT_TRUE(r.ok()) << r.error->formatted;
        EXPECT_NE(r.result.plan.find("undated first"), std::string::npos) << r.result.plan;
        if (key == "actor/a" && k == 3) {
          // The Top stopped early: the undated rows, then a few dated ones.
          EXPECT_LT(ProjectedRows(r.result.plan), 20u) << r.result.plan;
        }
      }
    }
  }
}

TEST_F(EngineTest, ExpansionByTimeMatchesSelfLoopsAsAPlainExpansionDoes) {
  // A dated node with two self-loops, one of them also reached from another node; an undated node with
  // one. The date window makes the expansion walk the node's timeline, which must still hold the loops.
  Rows(
      "CREATE (a:Actor {key: 'actor/a', date: date('2020-05-01')}), (b:Actor {key: 'actor/b'}), "
      "(c:Actor {key: 'actor/c', date: date('2021')}), (a)-[:P]->(a), (a)-[:P]->(a), (a)-[:P]->(c), "
      "(c)-[:P]->(a), (b)-[:P]->(b)");
  for (const std::string pattern : {"-[r:P]->", "<-[r:P]-", "-[r:P]-"}) {
    for (const std::string key : {"actor/a", "actor/b", "actor/c"}) {
      for (const std::string window : {"e.date >= date('2019')", "e.date < date('2020-06')"}) {
        const std::string match = "MATCH (x:Actor {key: '" + key + "'})" + pattern + "(e) ";
        const std::string by_time = match + "WHERE " + window + " RETURN e.key, id(r) ORDER BY e.key, id(r)";
        ExecResult plan = Run("EXPLAIN " + by_time);
        ASSERT_TRUE(plan.ok()) << plan.error->formatted;
        EXPECT_NE(plan.result.plan.find("ExpandByTime"), std::string::npos) << plan.result.plan;
        // The same comparison on a value carried through WITH: a plain expansion and a filter.
        const std::string plain = match + "WITH e, r, e.date AS d WHERE " +
                                  std::string(window).replace(0, 6, "d") +
                                  " RETURN e.key, id(r) ORDER BY e.key, id(r)";
        EXPECT_EQ(Rows(by_time), Rows(plain)) << by_time;
      }
    }
  }
  // a's loops are on its timeline: twice outwards, twice inwards, twice (not four times) either way.
  EXPECT_EQ(Rows("MATCH (x:Actor {key: 'actor/a'})-[:P]-(e) WHERE e.date >= date('2019') RETURN e.key "
                 "ORDER BY e.key"),
            (std::vector<std::string>{"actor/a", "actor/a", "actor/c", "actor/c"}));
}

TEST_F(EngineTest, TimeRangeScanDecidesDateComparisonsLikeTheFilter) {
  // Dates of every precision around the bounds: the time scan applies the comparisons itself (no
  // filter stays in the plan) and must agree with the filter, three-valued rule included.
  Rows(
      "UNWIND ['2025', '2025-H2', '2025-Q4', '2025-10', '2025-10-01', '2025-10-30', '2025-11', '2026-01', "
      "'2026-Q1', "
      "'2024-12-31'] AS d CREATE (:Event {key: 'event/' + d, date: date(d)})");
  Rows("CREATE (:Event {key: 'event/undated'}), (:Event {key: 'event/text', date: '2025-10-05'})");
  const std::vector<std::string> ops = {">=", ">", "<", "<="};
  const std::vector<std::string> bounds = {"2025-10", "2025-10-01", "2025-10-30",
                                           "2025-Q4", "2026",       "2025-H1"};
  for (const auto& op : ops) {
    for (const auto& b : bounds) {
      std::string where = "e.date " + op + " date('" + b + "')";
      ExecResult plan = Run("EXPLAIN MATCH (e:Event) WHERE " + where + " RETURN e.key");
      ASSERT_TRUE(plan.ok());
      EXPECT_NE(plan.result.plan.find("NodeByTimeRange"), std::string::npos) << plan.result.plan;
      EXPECT_EQ(plan.result.plan.find("Filter"), std::string::npos) << plan.result.plan;
      // The same comparison on a value carried through WITH is a plain filter over a label scan.
      EXPECT_EQ(Rows("MATCH (e:Event) WHERE " + where + " RETURN e.key ORDER BY e.key"),
                Rows("MATCH (e:Event) WITH e, e.date AS d WHERE d " + op + " date('" + b +
                     "') RETURN e.key ORDER BY e.key"))
          << where;
    }
  }
  // Two bounds at once, one of them exclusive.
  EXPECT_EQ(Rows("MATCH (e:Event) WHERE e.date > date('2025-10-01') AND e.date < date('2026-01') RETURN "
                 "e.key ORDER BY e.key"),
            (std::vector<std::string>{"event/2025-10-30", "event/2025-11"}));
  // A bound that is not a date compares as null: no rows, and no error.
  EXPECT_TRUE(Rows("MATCH (e:Event) WHERE e.date >= 5 RETURN e.key").empty());
  EXPECT_TRUE(Rows("MATCH (e:Event) WHERE e.date >= '2025-10-01' RETURN e.key").empty());
  EXPECT_TRUE(Rows("MATCH (e:Event) WHERE e.date < $d RETURN e.key", {{"d", Value()}}).empty());
}

TEST_F(EngineTest, TruncateWithALiteralPrecisionBehavesAsTheFunction) {
  // truncate(x, 'month') with a literal precision takes a faster path for dates; every other input
  // must still get the function's answer or error.
  Rows(
      "UNWIND ['2025-10-17', '2025-10', '2025-Q4', '2025'] AS d CREATE (:Event {key: 'event/' + d, date: "
      "date(d)})");
  Rows("CREATE (:Event {key: 'event/none'})");
  EXPECT_EQ(
      Rows("MATCH (e:Event) RETURN e.key, truncate(e.date, 'Month') ORDER BY e.key"),
      (std::vector<std::string>{"event/2025 | 2025", "event/2025-10 | 2025-10", "event/2025-10-17 | 2025-10",
                                "event/2025-Q4 | 2025-Q4", "event/none | null"}));
  EXPECT_EQ(Rows("MATCH (e:Event) WHERE e.key = 'event/2025-10-17' RETURN truncate(e.date, 'quarter'), "
                 "truncate(e.date, 'half'), truncate(e.date, 'year'), truncate(e.date, 'day')"),
            (std::vector<std::string>{"2025-Q4 | 2025-H2 | 2025 | 2025-10-17"}));
  EXPECT_EQ(Rows("WITH datetime('2026-02-03T10:00:00Z') AS t RETURN truncate(t, 'month')"),
            (std::vector<std::string>{"2026-02"}));
  // Days on both sides of month ends, in order and out of it (the fast path reuses the period of
  // the day before when it holds the next one).
  EXPECT_EQ(
      Rows("UNWIND ['2025-10-31', '2025-11-01', '2025-11-30', '2025-12-01', '2024-02-29', '2024-03-01', "
           "'2025-11-15', '2025-10-01'] AS d RETURN truncate(date(d), 'month') AS m, truncate(date(d), "
           "'quarter')"),
      (std::vector<std::string>{"2025-10 | 2025-Q4", "2025-11 | 2025-Q4", "2025-11 | 2025-Q4",
                                "2025-12 | 2025-Q4", "2024-02 | 2024-Q1", "2024-03 | 2024-Q1",
                                "2025-11 | 2025-Q4", "2025-10 | 2025-Q4"}));
  EXPECT_EQ(Error("WITH 'x' AS t RETURN truncate(t, 'month')").kind, QueryError::Kind::kTypeError);
  EXPECT_EQ(Error("MATCH (e:Event) RETURN truncate(e.date, 'week')").kind, QueryError::Kind::kArgumentError);
}

TEST_F(EngineTest, ShortestPathAndVariableLength) {
  Rows("UNWIND range(0, 9) AS i CREATE (:P {i: i})");
  Rows("MATCH (a:P), (b:P) WHERE b.i = a.i + 1 CREATE (a)-[:NEXT]->(b)");
  Rows("MATCH (a:P {i: 0}), (b:P {i: 5}) CREATE (a)-[:JUMP]->(b)");
  EXPECT_EQ(Rows("MATCH p = shortestPath((a:P {i: 0})-[*]-(b:P {i: 9})) RETURN length(p)"),
            (std::vector<std::string>{"5"}));
  EXPECT_EQ(Rows("MATCH p = shortestPath((a:P {i: 0})-[:NEXT*]->(b:P {i: 9})) RETURN length(p)"),
            (std::vector<std::string>{"9"}));
  EXPECT_EQ(Rows("MATCH (a:P {i: 0})-[:NEXT*2..3]->(b) RETURN b.i ORDER BY b.i"),
            (std::vector<std::string>{"2", "3"}));
  EXPECT_EQ(Rows("MATCH p = (a:P {i: 8})-[:NEXT*0..]->(b) RETURN length(p) ORDER BY length(p)"),
            (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(Rows("MATCH p = allShortestPaths((a:P {i: 4})-[*]-(b:P {i: 6})) RETURN count(p)"),
            (std::vector<std::string>{"1"}));
  Rows("MATCH (a:P {i: 4}), (b:P {i: 6}) CREATE (a)-[:ALT]->(:Q)-[:ALT]->(b)");
  EXPECT_EQ(Rows("MATCH p = allShortestPaths((a:P {i: 4})-[*]-(b:P {i: 6})) RETURN count(p)"),
            (std::vector<std::string>{"2"}));
  EXPECT_EQ(Rows("MATCH p = shortestPath((a:P {i: 4})-[*]-(b:P {i: 6})) RETURN count(p)"),
            (std::vector<std::string>{"1"}));
}

// The breadth-first "distinct ends" expansion must give the same answers as enumerating every path,
// both over the topology cache's arrays (the present) and through RocksDB (a KNOWN AT view has no
// cache), in each direction and over several types.
TEST_F(EngineTest, DistinctEndsSearchMatchesPathEnumeration) {
  std::mt19937 rng(7);
  Rows("UNWIND range(0, 59) AS i CREATE (:A {i: i})");
  RandomEdges(rng, 60, 100);
  for (std::string arrow : {"-[:R*1..3]-", "-[:R*1..3]->", "<-[:R|S*1..2]-", "-[:S|R*..3]-"}) {
    std::string named = arrow;
    named.insert(named.find('[') + 1, "rs");
    for (int start : {0, 7, 33}) {
      std::string a = "MATCH (a:A {i: " + std::to_string(start) + "})";
      const std::string ends =
          "(b:A) WHERE b <> a WITH DISTINCT b ORDER BY b.i RETURN count(b), collect(b.i)";
      std::string q = a + arrow + ends;
      ExecResult plan = Run("EXPLAIN " + q);
      ASSERT_NE(plan.result.plan.find("distinct ends"), std::string::npos) << plan.result.plan;
      auto cached = Rows(q);
      auto rocks = Rows("KNOWN AT '2100-01-01' " + q);
      // Naming the relationships keeps every path (the rewrite does not apply).
      auto paths = Rows(a + named + "(b:A) WHERE b <> a AND size(rs) > 0 WITH DISTINCT b ORDER BY b.i " +
                        "RETURN count(b), collect(b.i)");
      ASSERT_EQ(cached.size(), 1u);
      EXPECT_NE(cached[0].rfind("0 |", 0), 0u) << arrow << " from " << start << " reaches nothing";
      EXPECT_EQ(cached, paths) << arrow << " from " << start;
      EXPECT_EQ(rocks, paths) << arrow << " from " << start;
    }
  }
  // A relationship bound elsewhere in the MATCH may not be walked again: the breadth-first search
  // cannot know that, so it does not apply (it once did, and counted an end reached only over r).
  Rows("CREATE (:Z {key: 'z/a'})-[:T]->(:Z {key: 'z/x'})");
  const std::string both = "MATCH (a {key: 'z/a'})-[r:T]->(x), (a)-[:T*1..3]-(b) WHERE b <> a ";
  EXPECT_EQ(Run("EXPLAIN " + both + "RETURN count(DISTINCT b)").result.plan.find("distinct ends"),
            std::string::npos);
  EXPECT_EQ(Rows(both + "RETURN count(DISTINCT b)"), (std::vector<std::string>{"0"}));
  EXPECT_EQ(Rows(both + "RETURN b.key"), (std::vector<std::string>{}));
}

// count(*) of one hop or of a label's members is counted without its rows (count pushdown), over
// the topology cache and through RocksDB (KNOWN AT), and gives what counting the rows gives.
TEST_F(EngineTest, CountPushdownMatchesCountingRows) {
  std::mt19937 rng(11);
  Rows("UNWIND range(0, 79) AS i CREATE (:A {i: i, from: date('2020-01-01') + duration({days: i * 10})})");
  Rows("MATCH (a:A) WHERE a.i % 3 = 0 SET a:B");
  Rows("MATCH (a:A) WHERE a.i % 4 = 0 SET a.valid_from = a.from");
  Rows("MATCH (a:A) WHERE a.i % 8 = 0 SET a.valid_to = a.from + duration('P100D')");
  RandomEdges(rng, 80, 300, /*skewed=*/true);
  struct Case {
    std::string counted;  // a query the pushdown applies to
    std::string rows;     // the same count over rows (count(x.i) of a node that has i is never null)
  };
  std::vector<Case> cases;
  for (int start : {0, 3, 40, 79}) {
    std::string a = "MATCH (a:A {i: " + std::to_string(start) + "})";
    for (std::string hop : {"-[:R]->", "<-[:R]-", "-[:R|S]->", "-->", "<-[:S|Nope]-"}) {
      for (std::string far : {"(b)", "(b:B)", "(b:A:B)", "(b:Nope)"}) {
        cases.push_back(
            {a + hop + far + " RETURN count(b), count(*)", a + hop + far + " RETURN count(b.i), count(*)"});
      }
    }
  }
  cases.push_back({"MATCH (a:A) WHERE a.i < 20 MATCH (a)-[:R]->(b:B) RETURN count(*)",
                   "MATCH (a:A) WHERE a.i < 20 MATCH (a)-[:R]->(b:B) RETURN count(b.i)"});
  cases.push_back(
      {"MATCH (a:A {i: 999})-[:R]->(b) RETURN count(*)", "MATCH (a:A {i: 999})-[:R]->(b) RETURN count(b.i)"});
  for (const char* day : {"2019-01-01", "2020-03-01", "2020-06", "2021-01-01"}) {
    std::string at = std::string(" VALID AT date('") + day + "') ";
    cases.push_back({"MATCH (c:A)" + at + "RETURN count(c)", "MATCH (c:A)" + at + "RETURN count(c.i)"});
    cases.push_back({"MATCH (c:B)" + at + "RETURN count(*)", "MATCH (c:B)" + at + "RETURN count(c.i)"});
  }
  cases.push_back({"MATCH (c:Nope) RETURN count(c)", "MATCH (c:Nope) RETURN count(c.i)"});
  int nonzero = 0;
  for (const Case& c : cases) {
    ExecResult plan = Run("EXPLAIN " + c.counted);
    ASSERT_TRUE(plan.ok()) << c.counted;
    EXPECT_NE(plan.result.plan.find("Count "), std::string::npos) << c.counted << "\n" << plan.result.plan;
    auto rows = Rows(c.rows);
    ASSERT_EQ(rows.size(), 1u) << c.rows;
    EXPECT_EQ(Rows(c.counted), rows) << c.counted;
    EXPECT_EQ(Rows("KNOWN AT '2100-01-01' " + c.counted), Rows(c.counted)) << c.counted;
    if (rows[0][0] != '0') ++nonzero;
  }
  EXPECT_GT(nonzero, static_cast<int>(cases.size()) / 2);
  // Not pushed down: a distinct count, a hop in both directions, a relationship that is read.
  for (std::string q :
       {"MATCH (a:A {i: 0})-[:R]->(b) RETURN count(DISTINCT b)",
        "MATCH (a:A {i: 0})-[:R]-(b) RETURN count(b)", "MATCH (a:A {i: 0})-[r:R]->(b) RETURN count(r)"}) {
    EXPECT_EQ(Run("EXPLAIN " + q).result.plan.find("Count "), std::string::npos) << q;
  }
}

// Each pushed-down count against the same count over rows (an aggregate the pass leaves alone), over
// the topology cache (the present) and through RocksDB (KNOWN AT): counts of distinct ends, and
// counts of a time scan grouped by expressions of the date.
TEST_F(EngineTest, DistinctEndsAndTimeGroupsAreCountedLikeRows) {
  std::mt19937 rng(5);
  Rows("UNWIND range(0, 119) AS i CREATE (:A {i: i})");
  Rows("MATCH (a:A) WHERE a.i % 3 = 0 SET a:B");
  RandomEdges(rng, 120, 150);
  // Dated nodes of three precisions, some with a second label, some valid only for a while.
  std::string dates;
  for (int k = 0; k < 400; ++k) {
    int year = 2019 + static_cast<int>(rng() % 4), month = 1 + static_cast<int>(rng() % 12),
        day = 1 + static_cast<int>(rng() % 28);
    char text[16];
    switch (rng() % 5) {
      case 0:
        std::snprintf(text, sizeof text, "%d", year);
        break;
      case 1:
        std::snprintf(text, sizeof text, "%d-%02d", year, month);
        break;
      default:
        std::snprintf(text, sizeof text, "%d-%02d-%02d", year, month, day);
    }
    dates += (k ? ", " : "") + std::string("'") + text + "'";
  }
  Rows("UNWIND range(0, 399) AS k WITH k, [" + dates +
       "][k] AS d CREATE (:E {i: k, date: date(d), title: 't' + toString(k % 7)})");
  Rows("MATCH (e:E) WHERE e.i % 4 = 0 SET e:F");
  Rows("MATCH (e:E) WHERE e.i % 5 = 0 SET e.valid_from = date('2020-06-01')");
  Rows("CREATE (:G {i: 1000, date: date('2020-02-02')})");

  struct Case {
    std::string counted;  // a query the pushdown applies to
    std::string rows;     // the same count over rows
  };
  std::vector<Case> cases;
  for (int start : {0, 3, 40, 119}) {
    std::string a = "MATCH (a:A {i: " + std::to_string(start) + "})";
    for (std::string hop :
         {"-[:R*1..3]-", "-[:R*1..2]->", "<-[:R|S*..4]-", "-[:S*0..2]-", "-[:Nope*1..3]-"}) {
      for (std::string far : {"(b)", "(b:B)", "(b:A:B)", "(b:Nope)"}) {
        cases.push_back({a + hop + far + " WHERE b <> a RETURN count(DISTINCT b)",
                         a + hop + far + " WHERE b <> a RETURN count(DISTINCT b.i)"});
      }
    }
  }
  // Several starts: an end reached from two of them is counted once.
  cases.push_back(
      {"MATCH (a:A) WHERE a.i < 30 MATCH (a)-[:R*1..2]->(b:B) WHERE a <> b RETURN count(DISTINCT b)",
       "MATCH (a:A) WHERE a.i < 30 MATCH (a)-[:R*1..2]->(b:B) WHERE a <> b "
       "RETURN count(DISTINCT b.i)"});
  const std::string window = " WHERE e.date >= date('2019-03-01') AND e.date < date('2022-07-01') ";
  for (std::string key : {"truncate(e.date, 'month')", "e.date.year", "truncate(e.date, 'quarter')", "e.date",
                          "e.date.year, e.date.month", "toString(e.date) + '!'"}) {
    for (std::string scan :
         std::vector<std::string>{"MATCH (e:E)" + window, "MATCH (e:F)" + window, "MATCH (e)" + window,
                                  "MATCH (e:E) WHERE e.date > date('2020') ",
                                  "MATCH (e:E) VALID AT date('2021-01-01')" + window}) {
      cases.push_back({scan + "RETURN " + key + ", count(*) AS n, count(e) AS m ORDER BY " + key,
                       scan + "RETURN " + key + ", count(e.i) AS n, count(e.i) AS m ORDER BY " + key});
    }
  }
  int nonzero = 0;
  for (const Case& c : cases) {
    ExecResult plan = Run("EXPLAIN " + c.counted);
    ASSERT_TRUE(plan.ok()) << c.counted;
    EXPECT_NE(plan.result.plan.find("Count"), std::string::npos) << c.counted << "\n" << plan.result.plan;
    auto rows = Rows(c.rows);
    EXPECT_EQ(Rows(c.counted), rows) << c.counted;
    EXPECT_EQ(Rows("KNOWN AT '2100-01-01' " + c.counted), rows) << c.counted;
    if (!rows.empty() && rows[0] != "0") ++nonzero;
  }
  EXPECT_GT(nonzero, static_cast<int>(cases.size()) / 2);
  // Not pushed down: a key that reads something besides the date, or differs between rows of one
  // date; a count of something else; distinct ends that keep the start.
  for (std::string q : std::vector<std::string>{
           "MATCH (e:E)" + window + "RETURN e.title, count(*)", "MATCH (e:E)" + window + "RETURN e, count(*)",
           "MATCH (e:E)" + window + "RETURN e.date.year + e.i, count(*)",
           "MATCH (e:E)" + window + "RETURN truncate(e.date, 'month') AS m, rand() < 2.0, count(*)",
           "MATCH (e:E)" + window + "RETURN truncate(e.date, 'month') AS m, count(e.title)",
           "MATCH (a:A {i: 0})-[:R*1..3]-(b) RETURN count(DISTINCT b)",
           "MATCH (a:A {i: 0})-[:R*1..3]-(b) WHERE b <> a RETURN count(DISTINCT b), count(*)"}) {
    ExecResult plan = Run("EXPLAIN " + q);
    ASSERT_TRUE(plan.ok()) << q;
    EXPECT_EQ(plan.result.plan.find("Count"), std::string::npos) << q << "\n" << plan.result.plan;
  }
}

// VALID AT counts of a label's members from the topology cache's validity index, against a test of
// each member (count(c.i) over rows) and the label index in RocksDB (KNOWN AT): members without a
// valid time, of one period with dates of any precision and open ends, of a period certain on no
// day, and of several periods; asked at dates of every precision.
TEST_F(EngineTest, ValidAtCountsFromTheValidityIndexMatchATestOfEachMember) {
  std::mt19937 rng(23);
  auto random_date = [&]() {
    int32_t day = Date::FromYmd(2018, 1, 1)->start_day() + static_cast<int32_t>(rng() % (5 * 365));
    return Date::Containing(day, static_cast<DatePrecision>(rng() % 5));
  };
  {
    auto txn = db_->store().BeginWrite("test");
    ASSERT_TRUE(txn.ok());
    LabelId label = *(*txn)->InternLabel("C");
    PropKeyId i = *(*txn)->InternPropKey("i");
    for (int k = 0; k < 600; ++k) {
      NodeRecord rec;
      rec.labels = {label};
      rec.props = {{i, Value(int64_t{k})}};
      // Periods in order, without overlap (as the store requires), of random dates: with dates of
      // different precisions, some single periods are certain on no day ("2020" to "2020-03-01").
      int periods = k % 6 == 0 ? 0 : k % 6 == 1 ? 2 + static_cast<int>(rng() % 2) : 1;
      std::vector<Date> ends;
      for (int p = 0; p < 2 * periods; ++p) ends.push_back(random_date());
      std::sort(ends.begin(), ends.end(), [](Date a, Date b) { return a.start_day() < b.start_day(); });
      for (int p = 0; p < periods; ++p) rec.validity.push_back(Period{ends[2 * p], ends[2 * p + 1]});
      if (periods > 0 && rng() % 8 == 0) rec.validity.front().from.reset();
      if (periods > 0 && rng() % 4 == 0) rec.validity.back().to.reset();
      ASSERT_TRUE((*txn)->CreateNode(std::move(rec)).ok());
    }
    ASSERT_TRUE((*txn)->Commit().ok());
  }
  int nonzero = 0, cases = 0;
  for (const char* at : {"2017-06-01", "2018-01-01", "2019-02-14", "2019-07", "2020", "2020-Q3", "2021-03-31",
                         "2021-H2", "2022-12-31", "2024"}) {
    std::string q = std::string("MATCH (c:C) VALID AT date('") + at + "') RETURN ";
    ASSERT_NE(Run("EXPLAIN " + q + "count(c)").result.plan.find("Count :C"), std::string::npos);
    auto rows = Rows(q + "count(c.i)");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(Rows(q + "count(c)"), rows) << at;
    EXPECT_EQ(Rows("KNOWN AT '2100-01-01' " + q + "count(c)"), rows) << at;
    ++cases;
    if (rows[0] != "0") ++nonzero;
  }
  EXPECT_GT(nonzero, cases / 2);
}

TEST_F(EngineTest, UnionAndUnwindAndComprehensions) {
  EXPECT_EQ(Rows("RETURN 1 AS x UNION RETURN 1 AS x UNION RETURN 2 AS x"),
            (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(Rows("RETURN 1 AS x UNION ALL RETURN 1 AS x"), (std::vector<std::string>{"1", "1"}));
  EXPECT_EQ(Rows("UNWIND [3, 1, 2] AS x WITH x ORDER BY x DESC RETURN collect(x)"),
            (std::vector<std::string>{"[3, 2, 1]"}));
  EXPECT_EQ(Rows("RETURN [x IN range(1, 5) WHERE x % 2 = 1 | x * 10] AS l, reduce(s = 0, x IN [1, 2, 3] | s "
                 "+ x) AS s"),
            (std::vector<std::string>{"[10, 30, 50] | 6"}));
  EXPECT_EQ(Rows("RETURN any(x IN [1, null] WHERE x = 1), all(x IN [1, null] WHERE x = 1), [1, 2, 3][1..], "
                 "CASE WHEN 1 > 2 THEN 'a' ELSE 'b' END"),
            (std::vector<std::string>{"true | null | [2, 3] | b"}));
}

TEST_F(EngineTest, PlansAreCachedByText) {
  Seed();
  std::string q = "MATCH (a:Actor {key: $k}) RETURN a.name";
  for (const char* k : {"actor/china", "actor/us", "actor/china"}) {
    auto rows = Rows(q, {{"k", Value(k)}});
    ASSERT_EQ(rows.size(), 1u);
  }
  EXPECT_EQ(Rows(q, {{"k", Value("actor/us")}}), (std::vector<std::string>{"United States"}));
}

// Functions live in each database's catalog, and their metadata decides how calls behave.
std::atomic<int> calls{0};
Value CountingDouble(query::ExecContext&, std::vector<Value>& args, ast::SourceLocation) {
  ++calls;
  return args[0].is_null() ? Value("saw null") : Value(args[0].as_int() * 2);
}

TEST_F(EngineTest, FunctionMetadataDecidesFoldingAndNulls) {
  query::FunctionInfo f{"twice", CountingDouble, 1, 1, "twice(n) :: INTEGER", "n doubled"};
  ASSERT_TRUE(db_->functions().Register(f).ok());
  // Immutable: a call of a constant is computed once per plan, however many rows.
  calls = 0;
  EXPECT_EQ(Rows("UNWIND range(1, 5) AS i RETURN twice(21) AS x"), std::vector<std::string>(5, "42"));
  EXPECT_EQ(calls.load(), 1);
  // Volatile: called for every row. Registering again replaces the function and drops cached plans.
  f.volatility = query::Volatility::kVolatile;
  ASSERT_TRUE(db_->functions().Register(f).ok());
  calls = 0;
  EXPECT_EQ(Rows("UNWIND range(1, 5) AS i RETURN twice(21) AS x"), std::vector<std::string>(5, "42"));
  EXPECT_EQ(calls.load(), 5);
  // Custom null behaviour: the function sees the null; null-in-null-out: it is not called.
  EXPECT_EQ(Rows("RETURN twice(null) AS x"), std::vector<std::string>{"saw null"});
  f.nulls = query::NullBehavior::kNullInNullOut;
  ASSERT_TRUE(db_->functions().Register(f).ok());
  calls = 0;
  EXPECT_EQ(Rows("RETURN twice(null) AS x"), std::vector<std::string>{"null"});
  EXPECT_EQ(calls.load(), 0);
  // Another database does not see it.
  testing::ScratchDatabase other;
  ASSERT_TRUE(other.Open().ok());
  ExecResult r = other->Connect()->Execute("RETURN twice(1)");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error->detail, "UnknownFunction");
  // Nonsense is refused.
  EXPECT_FALSE(db_->functions().Register({"", CountingDouble, 1, 1, "", ""}).ok());
  EXPECT_FALSE(db_->functions().Register({"broken", nullptr, 1, 1, "", ""}).ok());
  EXPECT_FALSE(db_->functions().Register({"backwards", CountingDouble, 2, 1, "", ""}).ok());
}

TEST_F(EngineTest, ExplainPrintsTheLogicalPlanAboveThePhysical) {
  ExecResult r =
      Run("EXPLAIN MATCH (a:Actor {key: 'actor/china'})-[:INVOLVES]-(e) WHERE e.date >= date('2025-01') "
          "RETURN e");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  const std::string& plan = r.result.plan;
  size_t logical = plan.find("Logical plan:"), physical = plan.find("Physical plan:");
  ASSERT_NE(logical, std::string::npos) << plan;
  ASSERT_NE(physical, std::string::npos) << plan;
  EXPECT_LT(logical, physical);
  // The time-window pass chose the timeline walk; the mapper made it an ExpandByTime.
  EXPECT_NE(plan.find("(by time)"), std::string::npos) << plan;
  EXPECT_GT(plan.find("ExpandByTime"), physical) << plan;
}

TEST_F(EngineTest, ExplainOfAnIndexCommandChangesNothing) {
  ExecResult r = Run("EXPLAIN CREATE INDEX ON :Actor(name)");
  ASSERT_TRUE(r.ok()) << r.error->formatted;
  EXPECT_EQ(r.result.plan, "CreateIndex :Actor(name)\n");
  EXPECT_TRUE(db_->store().names().Indexes().empty());
  QueryOptions read_only;
  read_only.read_only = true;
  r = Run("EXPLAIN CREATE INDEX ON :Actor(name)", {}, read_only);
  EXPECT_TRUE(r.ok()) << "EXPLAIN writes nothing, so it runs read-only too";
  ASSERT_TRUE(Run("CREATE INDEX ON :Actor(name)").ok());
  EXPECT_EQ(db_->store().names().Indexes().size(), 1u);
}

}  // namespace
}  // namespace lodestone
