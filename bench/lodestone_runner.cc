// Lodestone in the side-by-side benchmark: lodestone_bench_runner <dataDir> <dbPath> [reps]
// (reps 0: load only, without queries: for profiling the load)
//
// Loads the generator's CSV files through the store's bulk-load path (store/bulk_load.h, the path
// `lodestone import` takes for large imports of new data) into a fresh database, runs the eight
// benchmark queries in Lodestone's query language through the Database/Connection facade (parameters,
// cached plans), and prints one JSON line in the format of bench/README.md with "engine":"lodestone".
//
// The load bypasses the policy-event schema's validation (the generated graph is not in the domain's
// ontology: its kinds and RELATED relationships are the benchmark's own) and the per-record provenance
// the importer adds, as the peers load plain tables; everything else a Lodestone database keeps is
// there: keys, labels, typed adjacency in both directions, the label, key, property and time indexes,
// valid time, and the commit in the change log.
//
// Timing follows bench/peers/sqlite_runner.cc: one untimed pass (its answers are reported), then `reps`
// timed passes; each parameter set's time is the median, in milliseconds, including every row. Then
// the read throughput of 1, 2 and 8 threads running the same statements (THROUGHPUT_SECONDS each,
// default 3; 0 leaves it out), the peak memory of the load and of the queries, and the size of the
// topology cache (its budget: TOPOLOGY_CACHE_MIB, default the store's). STATEMENT_TIMEOUT_S sets the
// statements' time limit (default the engine's 30 s; 0: none).
#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <nlohmann/json.hpp>
#include <sys/mman.h>
#include <unistd.h>

#include "bench/runner_protocol.h"
#include "query/database.h"
#include "store/bulk_load.h"

namespace {

namespace fs = std::filesystem;
using namespace lodestone;
using bench::json;
using bench::NowMs;
using bench::Shape;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "lodestone_bench_runner: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what + ": " + r.status().ToString());
  return std::move(r).value();
}

void Must(const Status& s, const std::string& what) {
  if (!s.ok()) Die(what + ": " + s.ToString());
}

// A CSV file in memory, cut at line boundaries into one chunk per loading thread. The files hold no
// quotes or escaped commas: fields are split on commas.
class Csv {
 public:
  struct Chunk {
    std::string_view text;  // whole lines
    size_t first_row;       // the index of its first row in the file
  };

  Csv(const fs::path& path, size_t chunks) {
    // Mapped, with its pages read in at once: no buffer to zero and copy into (a tenth of the load's
    // time at 10M relationships when each file was read into a string).
    int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0) Die("cannot read " + path.string());
    size_ = fs::file_size(path);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (p == MAP_FAILED) Die("cannot map " + path.string());
      text_ = static_cast<const char*>(p);
    }
    ::close(fd);
    std::string_view body(text_, size_);
    body.remove_prefix(std::min(body.size(), body.find('\n') + 1));  // the header
    size_t row = 0;
    for (size_t c = 0; c < chunks; ++c) {
      size_t end = c + 1 == chunks ? body.size() : body.size() / (chunks - c);
      if (end < body.size()) end = std::min(body.size(), body.find('\n', end) + 1);
      std::string_view text = body.substr(0, end);
      chunks_.push_back({text, row});
      row += static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
      if (!text.empty() && text.back() != '\n') ++row;
      body.remove_prefix(end);
    }
    rows_ = row;
  }
  Csv(const Csv&) = delete;
  Csv& operator=(const Csv&) = delete;
  ~Csv() {
    if (size_ > 0) ::munmap(const_cast<char*>(text_), size_);
  }
  size_t rows() const { return rows_; }
  const Chunk& chunk(size_t i) const { return chunks_[i]; }

  // The fields of the next line of `text`, which it consumes; false at its end.
  static bool Next(std::string_view* text, std::vector<std::string_view>* fields) {
    if (text->empty()) return false;
    size_t end = std::min(text->find('\n'), text->size());
    std::string_view line = text->substr(0, end);
    text->remove_prefix(std::min(text->size(), end + 1));
    fields->clear();
    size_t start = 0;
    for (size_t i = 0; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == ',') {
        fields->push_back(line.substr(start, i - start));
        start = i + 1;
      }
    }
    return true;
  }

 private:
  const char* text_ = "";
  size_t size_ = 0;
  std::vector<Chunk> chunks_;
  size_t rows_ = 0;
};

int64_t Int(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) Die("not an integer: '" + std::string(s) + "'");
  return v;
}

Date Day(std::string_view s) { return Must(Date::Parse(s), "date"); }

// Runs `work(t)` for t = 0 .. threads - 1, each on its own thread.
template <typename Work>
void OnThreads(size_t threads, Work work) {
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work, t);
  work(0);
  for (auto& h : helpers) h.join();
}

// Loads every CSV file of `dir` on `threads` threads, each filling a part of the load with its share
// of every file's rows: first every node (ids reserved per file, so a row's id is the first id plus
// its row id), then every relationship.
void Load(GraphStore& store, const fs::path& dir, size_t threads) {
  const double t0 = NowMs();
  auto load = Must(BulkLoad::Begin(store, "benchmark load of " + dir.filename().string()), "begin the load");
  auto label = [&](const char* n) { return Must(load->InternLabel(n), n); };
  auto type = [&](const char* n) { return Must(load->InternRelType(n), n); };
  auto key = [&](const char* n) { return Must(load->InternPropKey(n), n); };
  LabelId actor = label("Actor"), event = label("Event"), control = label("Control"),
          agreement = label("Agreement"), project = label("Project");
  PropKeyId id = key("id"), name = key("name"), kind = key("kind"), date = key("date"), etype = key("etype"),
            signed_ = key("signed"), start = key("start"), role = key("role"), since = key("since");
  Must(load->DeclareIndex(actor, name, Value::Kind::kString), "index :Actor(name)");

  // A row's fields, as a part adds them.
  using NodeFill = std::function<void(const std::vector<std::string_view>&, NodeRecord&)>;
  using RelFill = std::function<void(const std::vector<std::string_view>&, RelRecord&)>;
  struct NodeFile {
    const char* file;
    const char* prefix;
    LabelId label;
    NodeFill fill;
    std::unique_ptr<Csv> csv{};
    NodeId first{};
  };
  std::vector<NodeFile> node_files;
  node_files.push_back({"actor.csv", "actor/", actor,
                        [&](const auto& f, NodeRecord& r) { r.props.emplace_back(kind, Value(f[2])); }});
  node_files.push_back({"event.csv", "event/", event, [&](const auto& f, NodeRecord& r) {
                          r.props.emplace_back(date, Value(Day(f[2])));
                          r.props.emplace_back(etype, Value(f[3]));
                        }});
  node_files.push_back({"control.csv", "control/", control, [&](const auto& f, NodeRecord& r) {
                          // In force from valid_from until valid_to (exclusive), or open-ended: the
                          // control's valid time.
                          Period p;
                          p.from = Day(f[2]);
                          if (!f[3].empty()) p.to = Day(f[3]);
                          r.validity = {p};
                        }});
  node_files.push_back({"agreement.csv", "agreement/", agreement, [&](const auto& f, NodeRecord& r) {
                          r.props.emplace_back(signed_, Value(Day(f[2])));
                        }});
  node_files.push_back({"project.csv", "project/", project, [&](const auto& f, NodeRecord& r) {
                          r.props.emplace_back(start, Value(Day(f[2])));
                        }});

  // The first node id and the number of rows of a node file.
  auto first_of = [&](const char* file) {
    for (const NodeFile& nf : node_files) {
      if (std::string_view(nf.file) == file) return std::pair{nf.first, nf.csv->rows()};
    }
    Die(std::string("no node file ") + file);
  };

  struct RelFile {
    const char* file;
    RelTypeId type;
    const char* from;
    const char* to;
    RelFill fill;
    std::unique_ptr<Csv> csv{};
    RelId first{};
  };
  RelFill none = [](const auto&, RelRecord&) {};
  std::vector<RelFile> rel_files;
  rel_files.push_back({"participated.csv", type("PARTICIPATED"), "actor.csv", "event.csv",
                       [&](const auto& f, RelRecord& r) { r.props.emplace_back(role, Value(f[2])); }});
  rel_files.push_back(
      {"related.csv", type("RELATED"), "actor.csv", "actor.csv", [&](const auto& f, RelRecord& r) {
         r.props.reserve(2);
         r.props.emplace_back(since, Value(Day(f[2])));
         r.props.emplace_back(kind, Value(f[3]));
       }});
  rel_files.push_back({"about_control.csv", type("ABOUT_CONTROL"), "event.csv", "control.csv", none});
  rel_files.push_back({"about_agreement.csv", type("ABOUT_AGREEMENT"), "event.csv", "agreement.csv", none});
  rel_files.push_back({"about_project.csv", type("ABOUT_PROJECT"), "event.csv", "project.csv", none});
  rel_files.push_back({"imposes.csv", type("IMPOSES"), "actor.csv", "control.csv", none});
  rel_files.push_back({"targets.csv", type("TARGETS"), "control.csv", "actor.csv", none});
  rel_files.push_back({"party_to.csv", type("PARTY_TO"), "actor.csv", "agreement.csv", none});
  rel_files.push_back({"funds.csv", type("FUNDS"), "actor.csv", "project.csv", none});

  // Every file is read (and its lines counted) on the threads, biggest first; then ids are reserved.
  struct Read {
    uintmax_t bytes;
    const char* file;
    std::unique_ptr<Csv>* csv;
  };
  std::vector<Read> reads;
  for (NodeFile& nf : node_files) reads.push_back({fs::file_size(dir / nf.file), nf.file, &nf.csv});
  for (RelFile& rf : rel_files) reads.push_back({fs::file_size(dir / rf.file), rf.file, &rf.csv});
  std::sort(reads.begin(), reads.end(), [](const Read& a, const Read& b) { return a.bytes > b.bytes; });
  std::atomic<size_t> next{0};
  OnThreads(threads, [&](size_t) {
    for (size_t i; (i = next.fetch_add(1)) < reads.size();)
      *reads[i].csv = std::make_unique<Csv>(dir / reads[i].file, threads);
  });
  for (NodeFile& nf : node_files) nf.first = load->ReserveNodes(nf.csv->rows());
  for (RelFile& rf : rel_files) rf.first = load->ReserveRels(rf.csv->rows());
  load->LetCommitRenumberRels();  // the ids given below are kept nowhere

  std::vector<BulkLoad::Part*> parts;
  for (size_t t = 0; t < threads; ++t) parts.push_back(&load->NewPart());
  const double t_read = NowMs();
  OnThreads(threads, [&](size_t t) {
    std::vector<std::string_view> f;
    for (const NodeFile& nf : node_files) {
      const Csv::Chunk& chunk = nf.csv->chunk(t);
      std::string_view text = chunk.text;
      for (size_t row = chunk.first_row; Csv::Next(&text, &f); ++row) {
        if (Int(f[0]) != static_cast<int64_t>(row))
          Die(std::string(nf.file) + ": row " + std::to_string(row) + " has id " + std::string(f[0]));
        NodeRecord r;
        r.props.reserve(4);
        r.key = std::string(nf.prefix) + std::string(f[0]);
        r.labels = {nf.label};
        r.props.emplace_back(id, Value(static_cast<int64_t>(row)));
        r.props.emplace_back(name, Value(f[1]));
        nf.fill(f, r);
        Must(parts[t]->AddNode(nf.first + row, std::move(r)), nf.file);
      }
    }
  });
  OnThreads(threads, [&](size_t t) {
    std::vector<std::string_view> f;
    for (const RelFile& rf : rel_files) {
      auto [from, from_rows] = first_of(rf.from);
      auto [to, to_rows] = first_of(rf.to);
      auto node = [&](std::string_view field, NodeId first, size_t rows) {
        int64_t row = Int(field);
        if (row < 0 || static_cast<size_t>(row) >= rows)
          Die(std::string(rf.file) + ": no node " + std::string(field));
        return first + static_cast<NodeId>(row);
      };
      const Csv::Chunk& chunk = rf.csv->chunk(t);
      std::string_view text = chunk.text;
      for (size_t row = chunk.first_row; Csv::Next(&text, &f); ++row) {
        RelRecord r;
        rf.fill(f, r);
        Must(parts[t]->AddRel(rf.first + row, node(f[0], from, from_rows), rf.type, node(f[1], to, to_rows),
                              std::move(r)),
             rf.file);
      }
    }
  });
  // The text is encoded now: its memory goes back before the commit needs its own.
  for (NodeFile& nf : node_files) nf.csv.reset();
  for (RelFile& rf : rel_files) rf.csv.reset();
  const double t_encoded = NowMs();
  Must(load->Commit(), "commit the load");
  std::fprintf(stderr,
               "lodestone_bench_runner: load of %s on %zu threads: reading %.0f ms, encoding %.0f ms, "
               "committing %.0f ms\n",
               dir.filename().c_str(), threads, t_read - t0, t_encoded - t_read, NowMs() - t_encoded);
}

struct Query {
  std::string name;
  std::string text;
  Shape shape;
  std::vector<ValueMap> params;
};

json Canonical(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return nullptr;
    case Value::Kind::kInt:
      return v.as_int();
    case Value::Kind::kFloat:
      return v.as_float();
    case Value::Kind::kString:
      return v.as_string();
    case Value::Kind::kDate: {
      // Days as YYYY-MM-DD, months as YYYY-MM, as the peers write them.
      return v.as_date().ToString();
    }
    default:
      return v.ToString();
  }
}

// The statements' options: the default time limit unless STATEMENT_TIMEOUT_S says otherwise (0: none;
// at 100M relationships with a cache budget that cannot hold the adjacency, three hops from the hub
// over RocksDB take longer than 30 s).
const QueryOptions& Options() {
  static const QueryOptions options = [] {
    QueryOptions o;
    if (const char* s = std::getenv("STATEMENT_TIMEOUT_S")) o.timeout = std::chrono::seconds(std::atoll(s));
    return o;
  }();
  return options;
}

json RunOnce(Connection& conn, const Query& q, const ValueMap& params) {
  ExecResult r = conn.Execute(q.text, params, Options());
  if (!r.ok()) Die(q.name + ": " + r.error->formatted);
  json rows = json::array();
  for (const auto& row : r.result.rows) {
    json jr = json::array();
    for (const auto& v : row) jr.push_back(Canonical(v));
    rows.push_back(std::move(jr));
  }
  return bench::Shaped(std::move(rows), q.shape);
}

// Statements per second when `threads` threads, each with its own connection, run every parameter set
// of every query in turn (each thread starting at another place in the list) for `seconds`.
double Throughput(Database& db, const std::vector<Query>& qs, int threads, double seconds) {
  std::vector<std::pair<const Query*, const ValueMap*>> work;
  for (const Query& q : qs) {
    for (const ValueMap& p : q.params) work.emplace_back(&q, &p);
  }
  std::atomic<long long> done{0};
  const double start = NowMs();
  const double until = start + seconds * 1000;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto conn = db.Connect();
      long long mine = 0;
      for (size_t i = t * work.size() / threads; NowMs() < until; i = (i + 1) % work.size()) {
        ExecResult r = conn->Execute(work[i].first->text, *work[i].second, Options());
        if (!r.ok()) Die(work[i].first->name + ": " + r.error->formatted);
        ++mine;
      }
      done += mine;
    });
  }
  for (auto& th : pool) th.join();
  return static_cast<double>(done.load()) * 1000 / (NowMs() - start);
}

uint64_t DirBytes(const fs::path& p) {
  uint64_t n = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(p, ec)) {
    if (e.is_regular_file(ec)) n += e.file_size(ec);
  }
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: lodestone_bench_runner <dataDir> <dbPath> [reps]   (reps 0: load only)\n");
    return 2;
  }
  const fs::path dir = fs::absolute(argv[1]);
  const fs::path path = argv[2];
  const int reps = argc > 3 ? std::max(0, std::atoi(argv[3])) : 5;
  // As many as DuckDB uses (its default: one per core).
  const size_t threads = std::max(1u, std::thread::hardware_concurrency());
  fs::remove_all(path);

  json out;
  {
    StoreOptions o;
    o.create_if_missing = true;
    // The topology cache's budget (lodestone --cache-mib); unset: the store's default.
    if (const char* mib = std::getenv("TOPOLOGY_CACHE_MIB")) o.topology_cache_bytes = std::stoull(mib) << 20;
    auto db = Must(Database::Open(path.string(), o), "open " + path.string());
    const double t0 = NowMs();
    Load(db->store(), dir, threads);
    const double load_ms = NowMs() - t0;
    const long long rss_load = bench::PeakRssBytes();
    bench::ResetPeakRss();
    // The topology cache, built before the queries (a server builds it in the background after each
    // commit), and timed: what the first statement after a commit would otherwise wait for.
    const double t1 = NowMs();
    db->store().WarmTopologyCache();
    const double cache_build_ms = NowMs() - t1;

    json params;
    {
      std::ifstream in(dir / "params.json");
      params = json::parse(in);
    }
    auto actor_key = [](const json& id) { return Value("actor/" + std::to_string(id.get<long long>())); };
    std::vector<Value> actors = {actor_key(params["hub"]), actor_key(params["mid"]),
                                 actor_key(params["tail"])};
    auto per_actor = [&](ValueMap extra = {}) {
      std::vector<ValueMap> v;
      for (const Value& a : actors) {
        ValueMap m = extra;
        m["a"] = a;
        v.push_back(std::move(m));
      }
      return v;
    };
    std::vector<Query> qs;
    {
      Query q{"q1_lookup_name", "MATCH (a:Actor {name: $name}) RETURN a.id, a.kind", Shape::kRowsSorted, {}};
      for (int i = 0; i < 10; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "actor_%07lld", params["names"][i].get<long long>());
        q.params.push_back({{"name", Value(name)}});
      }
      qs.push_back(q);
    }
    qs.push_back({"q2_1hop", "MATCH (:Actor {key: $a})-[:PARTICIPATED]->(e:Event) RETURN count(e)",
                  Shape::kScalar, per_actor()});
    qs.push_back(
        {"q3_2hop_coparticipants",
         "MATCH (a:Actor {key: $a})-[:PARTICIPATED]->(:Event)<-[:PARTICIPATED]-(b:Actor) WHERE b <> a "
         "RETURN count(DISTINCT b)",
         Shape::kScalar, per_actor()});
    qs.push_back({"q4_varlen_1_3",
                  "MATCH (a:Actor {key: $a})-[:RELATED*1..3]-(b:Actor) WHERE b <> a RETURN count(DISTINCT b)",
                  Shape::kScalar, per_actor()});
    qs.push_back(
        {"q5_timeline",
         "MATCH (:Actor {key: $a})-[:PARTICIPATED]->(e:Event) WHERE e.date >= $from AND e.date < $to "
         "RETURN e.id, e.date ORDER BY e.date, e.id LIMIT 50",
         Shape::kRowsOrdered,
         per_actor({{"from", Value(Day("2015-01-01"))}, {"to", Value(Day("2020-01-01"))}})});
    {
      Query q{"q6_controls_in_force", "MATCH (c:Control) VALID AT $d RETURN count(c)", Shape::kScalar, {}};
      for (const auto& d : params["dates"]) q.params.push_back({{"d", Value(Day(d.get<std::string>()))}});
      qs.push_back(q);
    }
    qs.push_back({"q7_events_per_month",
                  "MATCH (e:Event) WHERE e.date >= date('2020-01-01') AND e.date < date('2025-01-01') "
                  "RETURN truncate(e.date, 'month') AS m, count(*) ORDER BY m",
                  Shape::kRowsOrdered,
                  {{}}});
    {
      Query q{
          "q8_shortest_path",
          "MATCH p = shortestPath((a:Actor {key: $a})-[:RELATED*0..6]-(b:Actor {key: $b})) RETURN length(p)",
          Shape::kScalar,
          {}};
      for (const auto& pair : params["pathPairs"])
        q.params.push_back({{"a", actor_key(pair[0])}, {"b", actor_key(pair[1])}});
      qs.push_back(q);
    }

    out["engine"] = "lodestone";
    out["version"] = "0.1.0";
    out["data"] = dir.filename().string();
    {
      std::ifstream in(dir / "counts.json");
      json counts = json::parse(in);
      out["nodes"] = counts["nodes"];
      out["edges"] = counts["edges"];
    }
    out["threads"] = threads;
    out["load_ms"] = static_cast<long long>(std::llround(load_ms));
    out["cache_build_ms"] = static_cast<long long>(std::llround(cache_build_ms));
    out["reps"] = reps;
    out["queries"] = json::object();
    out["results"] = json::object();
    auto conn = db->Connect();
    for (const Query& q : qs) {
      if (reps == 0) break;
      auto timed =
          bench::TimeQuery(q.params.size(), reps, [&](size_t i) { return RunOnce(*conn, q, q.params[i]); });
      out["queries"][q.name] = timed.ms;
      out["results"][q.name] = timed.answers;
    }
    const char* seconds_env = std::getenv("THROUGHPUT_SECONDS");
    const double seconds = seconds_env ? std::atof(seconds_env) : 3;
    if (reps > 0 && seconds > 0) {
      out["throughput_seconds"] = seconds;
      for (int n : {1, 2, 8}) {
        out["throughput"][std::to_string(n)] = std::round(Throughput(*db, qs, n, seconds) * 10) / 10;
      }
    }
    out["rss_peak_load_bytes"] = rss_load;
    out["rss_peak_query_bytes"] = bench::PeakRssBytes();
    out["topology_cache_bytes"] = db->store().topology_cache_bytes();
    out["topology_cache_budget_bytes"] = o.topology_cache_bytes;
  }
  out["disk_bytes"] = DirBytes(path);
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
