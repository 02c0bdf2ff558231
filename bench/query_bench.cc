// The query pipeline's costs (Google Benchmark; a measurement, not a test):
//
//   build/bench/query_bench --benchmark_counters_tabular=true
//
// BM_ParsePlan/<query>: text -> parse tree -> AST -> checks -> plan, without the plan cache (what a
// query costs the first time; after that the cache serves the plan by its text).
// BM_Execute/<query>: the same queries run through a Connection with parameters and cached plans, on a
// generated graph: 2,000 actors, 20,000 dated events, 60,000 PARTICIPATED relationships from actors
// chosen with a skew (a few hubs, a long tail) and 4,000 RELATED relationships between actors. The
// graph is built once per process, through Cypher statements with list parameters.
//
// The side-by-side comparison with SQLite, DuckDB and Kùzu on larger graphs is lodestone_bench_runner
// (bench/README.md).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>
#include <unistd.h>

#include "query/database.h"
#include "query/parser/parser.h"
#include "query/planner/compiler.h"

namespace {

using namespace lodestone;

constexpr int kActors = 2000, kEvents = 20000, kParticipations = 60000, kRelated = 4000;

struct Query {
  const char* name;
  const char* text;
};

// Typical questions, from a key lookup to an aggregation over a date range.
const Query kQueries[] = {
    {"point_lookup", "MATCH (a:Actor {key: $a}) RETURN a.name"},
    {"one_hop", "MATCH (a:Actor {key: $a})-[:PARTICIPATED]->(e:Event) RETURN count(e)"},
    {"two_hop",
     "MATCH (a:Actor {key: $a})-[:PARTICIPATED]->(:Event)<-[:PARTICIPATED]-(b:Actor) WHERE b <> a "
     "RETURN count(DISTINCT b)"},
    {"var_length",
     "MATCH (a:Actor {key: $a})-[:RELATED*1..3]-(b:Actor) WHERE b <> a RETURN count(DISTINCT b)"},
    {"aggregation",
     "MATCH (e:Event) WHERE e.date >= date('2018-01-01') AND e.date < date('2020-01-01') "
     "RETURN truncate(e.date, 'month') AS m, count(*) ORDER BY m"},
    // An actor's latest events: the top-k walks the actor's timeline newest first and stops after the
    // fifth date. The same question sorted by a column the optimizer does not follow reads every
    // event's record and sorts them all: the ratio of the two is what the ordered walk saves.
    {"latest_five",
     "MATCH (a:Actor {key: $a})-[:PARTICIPATED]->(e:Event) RETURN e.key, e.date ORDER BY e.date DESC LIMIT "
     "5"},
    {"latest_five_full_sort",
     "MATCH (a:Actor {key: $a})-[:PARTICIPATED]->(e:Event) WITH e, [e.date][0] AS d RETURN e.key, e.date "
     "ORDER BY d DESC LIMIT 5"},
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "query_bench: %s\n", what.c_str());
  std::exit(1);
}

class Graph {
 public:
  Graph()
      : dir_(std::filesystem::temp_directory_path() / ("lodestone-query-bench-" + std::to_string(getpid()))) {
    std::filesystem::remove_all(dir_);
    StoreOptions o;
    o.create_if_missing = true;
    auto db = Database::Open(dir_.string(), o);
    if (!db.ok()) Die(db.status().ToString());
    db_ = std::move(db).value();
    conn_ = db_->Connect();
    Build();
  }
  ~Graph() {
    conn_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  Connection& conn() { return *conn_; }
  Database& db() { return *db_; }
  // The actor with the most participations, and one of the least.
  const std::string& hub() const { return hub_; }
  const std::string& tail() const { return tail_; }

 private:
  void Run(const std::string& text, ValueMap params = {}) {
    ExecResult r = conn_->Execute(text, params);
    if (!r.ok()) Die(text + ": " + r.error->formatted);
  }
  void Build() {
    std::mt19937_64 rng(42);
    auto actor = [&] {
      // Skewed: the square of a uniform number puts many participations on low-numbered actors.
      double u = std::uniform_real_distribution<double>(0, 1)(rng);
      return static_cast<int>(u * u * kActors);
    };
    Run("UNWIND range(0, $n - 1) AS i CREATE (:Actor {key: 'actor/' + toString(i), name: 'Actor ' + "
        "toString(i)})",
        {{"n", Value(int64_t{kActors})}});
    ValueList dates;
    for (int i = 0; i < kEvents; ++i) {
      char d[16];
      std::snprintf(d, sizeof d, "%04d-%02d-%02d", 2015 + i % 10, 1 + (i / 10) % 12, 1 + (i / 120) % 28);
      dates.emplace_back(std::string(d));
    }
    Run("UNWIND range(0, size($dates) - 1) AS i CREATE (:Event {key: 'event/' + toString(i), date: "
        "date($dates[i])})",
        {{"dates", Value(std::move(dates))}});
    std::vector<int> degree(kActors, 0);
    ValueList pairs;
    for (int i = 0; i < kParticipations; ++i) {
      int a = actor();
      ++degree[static_cast<size_t>(a)];
      pairs.emplace_back(ValueList{Value("actor/" + std::to_string(a)),
                                   Value("event/" + std::to_string(static_cast<int>(rng() % kEvents)))});
    }
    Run("UNWIND $pairs AS p MATCH (a:Actor {key: p[0]}), (e:Event {key: p[1]}) CREATE "
        "(a)-[:PARTICIPATED]->(e)",
        {{"pairs", Value(std::move(pairs))}});
    ValueList related;
    for (int i = 0; i < kRelated; ++i) {
      related.emplace_back(ValueList{Value("actor/" + std::to_string(actor())),
                                     Value("actor/" + std::to_string(static_cast<int>(rng() % kActors)))});
    }
    Run("UNWIND $pairs AS p MATCH (a:Actor {key: p[0]}), (b:Actor {key: p[1]}) CREATE (a)-[:RELATED]->(b)",
        {{"pairs", Value(std::move(related))}});
    size_t most = 0, least = 0;
    for (size_t i = 0; i < degree.size(); ++i) {
      if (degree[i] > degree[most]) most = i;
      if (degree[i] > 0 && (degree[least] == 0 || degree[i] < degree[least])) least = i;
    }
    hub_ = "actor/" + std::to_string(most);
    tail_ = "actor/" + std::to_string(least);
  }

  std::filesystem::path dir_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Connection> conn_;
  std::string hub_, tail_;
};

Graph& TheGraph() {
  static Graph* g = new Graph();  // built on first use, kept for the process
  return *g;
}

void BM_ParsePlan(benchmark::State& state, const Query& q) {
  Graph& g = TheGraph();
  query::PlannerCatalog catalog;
  catalog.names = &g.db().store().names();
  for (auto _ : state) {
    query::ParseResult p = query::ParseStatement(q.text);
    if (!p.ok()) {
      state.SkipWithError(p.error->formatted.c_str());
      return;
    }
    query::CompileResult c = query::Compile(*p.statement, catalog);
    if (c.error) {
      state.SkipWithError(c.error->message.c_str());
      return;
    }
    benchmark::DoNotOptimize(c.statement);
  }
}

void BM_Execute(benchmark::State& state, const Query& q, bool hub) {
  Graph& g = TheGraph();
  ValueMap params{{"a", Value(hub ? g.hub() : g.tail())}};
  size_t rows = 0;
  // One untimed run first: it compiles the plan and builds the in-memory topology cache on first use.
  if (ExecResult w = g.conn().Execute(q.text, params); !w.ok()) {
    state.SkipWithError(w.error->formatted.c_str());
    return;
  }
  for (auto _ : state) {
    ExecResult r = g.conn().Execute(q.text, params);
    if (!r.ok()) {
      state.SkipWithError(r.error->formatted.c_str());
      return;
    }
    rows = r.result.rows.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["rows"] = static_cast<double>(rows);
}

[[maybe_unused]] const bool kRegistered = [] {
  for (const Query& q : kQueries) {
    benchmark::RegisterBenchmark((std::string("BM_ParsePlan/") + q.name).c_str(), BM_ParsePlan, q)
        ->Unit(benchmark::kMicrosecond);
    bool per_actor = std::string(q.text).find("$a") != std::string::npos;
    benchmark::RegisterBenchmark((std::string("BM_Execute/") + q.name + (per_actor ? "/hub" : "")).c_str(),
                                 BM_Execute, q, true)
        ->Unit(benchmark::kMicrosecond);
    if (per_actor) {
      benchmark::RegisterBenchmark((std::string("BM_Execute/") + q.name + "/tail").c_str(), BM_Execute, q,
                                   false)
          ->Unit(benchmark::kMicrosecond);
    }
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
