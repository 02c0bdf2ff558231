// The SQLite peer, in process: lodestone_bench_sqlite <dataDir> <dbFile> [reps]
//
// Loads the generator's CSV files into a fresh database file (one transaction, secondary indexes built
// after the load, ANALYZE, WAL checkpoint), runs the eight benchmark queries with the parameters of
// <dataDir>/params.json and prints one JSON line (the format is described in bench/README.md):
//   {"engine":"sqlite","version":...,"data":...,"load_ms":...,"disk_bytes":...,
//    "queries":{"q1_lookup_name":[median ms per parameter set],...},
//    "results":{"q1_lookup_name":[canonical answer per parameter set],...}}
//
// Timing: one untimed pass over every parameter set (its answers are the reported ones), then `reps`
// timed passes (default 5; fewer for queries whose first pass took seconds); each parameter set's time
// is the median of its timed runs, in milliseconds, including stepping through every row.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <sys/stat.h>

#include "bench/runner_protocol.h"

namespace {

namespace fs = std::filesystem;
using lodestone::bench::json;
using lodestone::bench::NowMs;
using lodestone::bench::Shape;

sqlite3* g_db = nullptr;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "lodestone_bench_sqlite: %s\n", what.c_str());
  std::exit(1);
}

void Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(g_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "?";
    sqlite3_free(err);
    Die(sql + ": " + msg);
  }
}

sqlite3_stmt* Prepare(const std::string& sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(g_db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
    Die(sql + ": " + sqlite3_errmsg(g_db));
  return st;
}

// One table: its CSV file's columns in order, each INTEGER or TEXT (an empty field is NULL).
struct Table {
  std::string name;
  std::vector<std::pair<std::string, std::string>> columns;  // name, type
  std::string key;                                           // PRIMARY KEY columns
  bool without_rowid = false;
};

std::vector<Table> Tables() {
  std::vector<Table> t = {
      {"actor", {{"id", "INTEGER"}, {"name", "TEXT"}, {"kind", "TEXT"}}, "id", false},
      {"event", {{"id", "INTEGER"}, {"name", "TEXT"}, {"date", "TEXT"}, {"etype", "TEXT"}}, "id", false},
      {"control",
       {{"id", "INTEGER"}, {"name", "TEXT"}, {"valid_from", "TEXT"}, {"valid_to", "TEXT"}},
       "id",
       false},
      {"agreement", {{"id", "INTEGER"}, {"name", "TEXT"}, {"signed", "TEXT"}}, "id", false},
      {"project", {{"id", "INTEGER"}, {"name", "TEXT"}, {"start", "TEXT"}}, "id", false},
      {"participated", {{"src", "INTEGER"}, {"dst", "INTEGER"}, {"role", "TEXT"}}, "src,dst", true},
      {"related",
       {{"src", "INTEGER"}, {"dst", "INTEGER"}, {"since", "TEXT"}, {"kind", "TEXT"}},
       "src,dst",
       true},
  };
  for (const char* e :
       {"about_control", "about_agreement", "about_project", "imposes", "targets", "party_to", "funds"}) {
    t.push_back({e, {{"src", "INTEGER"}, {"dst", "INTEGER"}}, "src,dst", true});
  }
  return t;
}

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',') {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

void Load(const fs::path& dir) {
  Exec("BEGIN");
  for (const Table& t : Tables()) {
    std::string ddl = "CREATE TABLE " + t.name + "(";
    for (const auto& [c, type] : t.columns) ddl += c + " " + type + ", ";
    ddl += "PRIMARY KEY(" + t.key + "))" + (t.without_rowid ? " WITHOUT ROWID" : "");
    Exec(ddl);
    std::string ins = "INSERT INTO " + t.name + " VALUES(";
    for (size_t i = 0; i < t.columns.size(); ++i) ins += i ? ",?" : "?";
    ins += ")";
    sqlite3_stmt* st = Prepare(ins);
    std::ifstream in(dir / (t.name + ".csv"));
    if (!in) Die("cannot read " + (dir / (t.name + ".csv")).string());
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::vector<std::string> f = SplitCsv(line);
      if (f.size() != t.columns.size()) Die(t.name + ".csv: malformed line '" + line + "'");
      for (size_t i = 0; i < f.size(); ++i) {
        int col = static_cast<int>(i) + 1;
        if (f[i].empty()) {
          sqlite3_bind_null(st, col);
        } else if (t.columns[i].second == "INTEGER") {
          sqlite3_bind_int64(st, col, std::stoll(f[i]));
        } else {
          sqlite3_bind_text(st, col, f[i].c_str(), static_cast<int>(f[i].size()), SQLITE_TRANSIENT);
        }
      }
      if (sqlite3_step(st) != SQLITE_DONE) Die("insert into " + t.name + ": " + sqlite3_errmsg(g_db));
      sqlite3_reset(st);
    }
    sqlite3_finalize(st);
  }
  // Secondary indexes after the load: by name, by date, and every relationship table by (dst, src).
  Exec("CREATE UNIQUE INDEX actor_name ON actor(name)");
  Exec("CREATE INDEX event_date ON event(date)");
  for (const Table& t : Tables()) {
    if (t.without_rowid) Exec("CREATE INDEX " + t.name + "_dst ON " + t.name + "(dst, src)");
  }
  Exec("COMMIT");
  Exec("ANALYZE");
  Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

// A parameter value: an integer or a text.
struct Arg {
  bool is_int;
  long long i;
  std::string s;
};
Arg I(long long v) { return {true, v, {}}; }
Arg S(std::string v) { return {false, 0, std::move(v)}; }

struct Query {
  std::string name;
  std::string sql;
  Shape shape;
  std::vector<std::vector<Arg>> params;
};

json ColumnValue(sqlite3_stmt* st, int c) {
  switch (sqlite3_column_type(st, c)) {
    case SQLITE_NULL:
      return nullptr;
    case SQLITE_INTEGER:
      return sqlite3_column_int64(st, c);
    case SQLITE_FLOAT:
      return sqlite3_column_double(st, c);
    default:
      return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, c)));
  }
}

json RunOnce(sqlite3_stmt* st, const Query& q, const std::vector<Arg>& args) {
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  for (size_t k = 0; k < args.size(); ++k) {
    int idx = static_cast<int>(k) + 1;
    if (args[k].is_int) {
      sqlite3_bind_int64(st, idx, args[k].i);
    } else {
      sqlite3_bind_text(st, idx, args[k].s.c_str(), -1, SQLITE_TRANSIENT);
    }
  }
  json rows = json::array();
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    json row = json::array();
    for (int c = 0; c < sqlite3_column_count(st); ++c) row.push_back(ColumnValue(st, c));
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) Die(q.name + ": " + sqlite3_errmsg(g_db));
  return lodestone::bench::Shaped(std::move(rows), q.shape);
}

long long FileSize(const std::string& p) {
  struct stat sb;
  return stat(p.c_str(), &sb) == 0 ? static_cast<long long>(sb.st_size) : 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: lodestone_bench_sqlite <dataDir> <dbFile> [reps]\n");
    return 2;
  }
  const fs::path dir = fs::absolute(argv[1]);
  const std::string path = argv[2];
  const int reps = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix);

  if (sqlite3_open(path.c_str(), &g_db) != SQLITE_OK) Die("cannot open " + path);
  Exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144;");
  const double t0 = NowMs();
  Load(dir);
  const double load_ms = NowMs() - t0;
  const long long rss_load = lodestone::bench::PeakRssBytes();
  lodestone::bench::ResetPeakRss();

  json params;
  {
    std::ifstream in(dir / "params.json");
    params = json::parse(in);
  }
  const std::vector<long long> actors = {params["hub"].get<long long>(), params["mid"].get<long long>(),
                                         params["tail"].get<long long>()};
  std::vector<Query> qs;
  auto per_actor = [&](std::vector<Arg> extra = {}) {
    std::vector<std::vector<Arg>> v;
    for (long long a : actors) {
      std::vector<Arg> args = {I(a)};
      args.insert(args.end(), extra.begin(), extra.end());
      v.push_back(args);
    }
    return v;
  };
  {
    Query q{"q1_lookup_name", "SELECT id, kind FROM actor WHERE name = ?1", Shape::kRowsSorted, {}};
    for (int i = 0; i < 10; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "actor_%07lld", params["names"][i].get<long long>());
      q.params.push_back({S(name)});
    }
    qs.push_back(q);
  }
  qs.push_back({"q2_1hop", "SELECT count(*) FROM participated WHERE src = ?1", Shape::kScalar, per_actor()});
  qs.push_back({"q3_2hop_coparticipants",
                "SELECT count(DISTINCT p2.src) FROM participated p1 JOIN participated p2 ON p2.dst = p1.dst "
                "WHERE p1.src = ?1 AND p2.src <> ?1",
                Shape::kScalar, per_actor()});
  // Reachable set within 3 hops either way; UNION keeps one row per (node, depth), which bounds the work.
  qs.push_back({"q4_varlen_1_3",
                "WITH RECURSIVE r(id, d) AS (SELECT ?1, 0 "
                "UNION SELECT x.dst, r.d + 1 FROM r JOIN related x ON x.src = r.id WHERE r.d < 3 "
                "UNION SELECT x.src, r.d + 1 FROM r JOIN related x ON x.dst = r.id WHERE r.d < 3) "
                "SELECT count(DISTINCT id) FROM r WHERE id <> ?1",
                Shape::kScalar, per_actor()});
  qs.push_back({"q5_timeline",
                "SELECT e.id, e.date FROM participated p JOIN event e ON e.id = p.dst "
                "WHERE p.src = ?1 AND e.date >= ?2 AND e.date < ?3 ORDER BY e.date, e.id LIMIT 50",
                Shape::kRowsOrdered, per_actor({S("2015-01-01"), S("2020-01-01")})});
  {
    Query q{"q6_controls_in_force",
            "SELECT count(*) FROM control WHERE valid_from <= ?1 AND (valid_to IS NULL OR valid_to > ?1)",
            Shape::kScalar,
            {}};
    for (const auto& d : params["dates"]) q.params.push_back({S(d.get<std::string>())});
    qs.push_back(q);
  }
  qs.push_back({"q7_events_per_month",
                "SELECT substr(date, 1, 7) AS m, count(*) FROM event "
                "WHERE date >= '2020-01-01' AND date < '2025-01-01' GROUP BY m ORDER BY m",
                Shape::kRowsOrdered,
                {{}}});
  {
    Query q{"q8_shortest_path",
            "WITH RECURSIVE r(id, d) AS (SELECT ?1, 0 "
            "UNION SELECT x.dst, r.d + 1 FROM r JOIN related x ON x.src = r.id WHERE r.d < 6 "
            "UNION SELECT x.src, r.d + 1 FROM r JOIN related x ON x.dst = r.id WHERE r.d < 6) "
            "SELECT min(d) FROM r WHERE id = ?2",
            Shape::kScalar,
            {}};
    for (const auto& pair : params["pathPairs"])
      q.params.push_back({I(pair[0].get<long long>()), I(pair[1].get<long long>())});
    qs.push_back(q);
  }

  json out;
  out["engine"] = "sqlite";
  out["version"] = sqlite3_libversion();
  out["data"] = dir.filename().string();
  {
    std::ifstream in(dir / "counts.json");
    json counts = json::parse(in);
    out["nodes"] = counts["nodes"];
    out["edges"] = counts["edges"];
  }
  out["threads"] = 1;
  out["load_ms"] = static_cast<long long>(std::llround(load_ms));
  out["reps"] = reps;
  out["queries"] = json::object();
  out["results"] = json::object();
  for (const Query& q : qs) {
    sqlite3_stmt* st = Prepare(q.sql);
    auto timed = lodestone::bench::TimeQuery(q.params.size(), reps,
                                             [&](size_t i) { return RunOnce(st, q, q.params[i]); });
    sqlite3_finalize(st);
    out["queries"][q.name] = timed.ms;
    out["results"][q.name] = timed.answers;
  }
  out["rss_peak_load_bytes"] = rss_load;
  out["rss_peak_query_bytes"] = lodestone::bench::PeakRssBytes();
  sqlite3_close(g_db);
  out["disk_bytes"] = FileSize(path) + FileSize(path + "-wal");
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
