// Lodestone in the side-by-side benchmark: lodestone_bench_runner <dataDir> <dbPath> [reps]
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
// timed passes; each parameter set's time is the median, in milliseconds, including every row.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

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

// The CSV files hold no quotes or escaped commas: split on commas.
class Csv {
 public:
  explicit Csv(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) Die("cannot read " + path.string());
    std::ostringstream ss;
    ss << in.rdbuf();
    text_ = ss.str();
    pos_ = text_.find('\n') + 1;  // header
  }
  bool Next(std::vector<std::string_view>* fields) {
    if (pos_ >= text_.size()) return false;
    size_t end = text_.find('\n', pos_);
    if (end == std::string::npos) end = text_.size();
    std::string_view line(text_.data() + pos_, end - pos_);
    pos_ = end + 1;
    if (line.empty()) return Next(fields);
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
  std::string text_;
  size_t pos_ = 0;
};

int64_t Int(std::string_view s) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) Die("not an integer: '" + std::string(s) + "'");
  return v;
}

Date Day(std::string_view s) { return Must(Date::Parse(s), "date"); }

// Loads every CSV file of `dir`. Returns the node ids of each table by its row id.
void Load(GraphStore& store, const fs::path& dir) {
  const double t0 = NowMs();
  auto load = Must(BulkLoad::Begin(store, "benchmark load of " + dir.filename().string()), "begin the load");
  auto label = [&](const char* n) { return Must(load->InternLabel(n), n); };
  auto type = [&](const char* n) { return Must(load->InternRelType(n), n); };
  auto key = [&](const char* n) { return Must(load->InternPropKey(n), n); };
  LabelId actor = label("Actor"), event = label("Event"), control = label("Control"), agreement = label("Agreement"),
          project = label("Project");
  PropKeyId id = key("id"), name = key("name"), kind = key("kind"), date = key("date"), etype = key("etype"),
            signed_ = key("signed"), start = key("start"), role = key("role"), since = key("since");
  Must(load->DeclareIndex(actor, name, Value::Kind::kString), "index :Actor(name)");

  std::vector<std::string_view> f;
  auto nodes = [&](const char* file, const char* prefix, LabelId l, auto fill) {
    std::vector<NodeId> ids;
    Csv csv(dir / file);
    while (csv.Next(&f)) {
      NodeRecord r;
      r.key = std::string(prefix) + std::string(f[0]);
      r.labels = {l};
      r.props.emplace_back(id, Value(Int(f[0])));
      r.props.emplace_back(name, Value(f[1]));
      fill(r);
      size_t row = static_cast<size_t>(Int(f[0]));
      if (ids.size() <= row) ids.resize(row + 1);
      ids[row] = Must(load->AddNode(std::move(r)), file);
    }
    return ids;
  };
  auto actors = nodes("actor.csv", "actor/", actor, [&](NodeRecord& r) { r.props.emplace_back(kind, Value(f[2])); });
  auto events = nodes("event.csv", "event/", event, [&](NodeRecord& r) {
    r.props.emplace_back(date, Value(Day(f[2])));
    r.props.emplace_back(etype, Value(f[3]));
  });
  auto controls = nodes("control.csv", "control/", control, [&](NodeRecord& r) {
    // In force from valid_from until valid_to (exclusive), or open-ended: the control's valid time.
    Period p;
    p.from = Day(f[2]);
    if (!f[3].empty()) p.to = Day(f[3]);
    r.validity = {p};
  });
  auto agreements = nodes("agreement.csv", "agreement/", agreement,
                          [&](NodeRecord& r) { r.props.emplace_back(signed_, Value(Day(f[2]))); });
  auto projects = nodes("project.csv", "project/", project,
                        [&](NodeRecord& r) { r.props.emplace_back(start, Value(Day(f[2]))); });

  auto rels = [&](const char* file, RelTypeId t, const std::vector<NodeId>& from, const std::vector<NodeId>& to,
                  auto fill) {
    Csv csv(dir / file);
    while (csv.Next(&f)) {
      RelRecord r;
      fill(r);
      Must(load->AddRel(from[static_cast<size_t>(Int(f[0]))], t, to[static_cast<size_t>(Int(f[1]))], std::move(r)), file);
    }
  };
  auto none = [](RelRecord&) {};
  rels("participated.csv", type("PARTICIPATED"), actors, events, [&](RelRecord& r) { r.props.emplace_back(role, Value(f[2])); });
  rels("related.csv", type("RELATED"), actors, actors, [&](RelRecord& r) {
    r.props.emplace_back(since, Value(Day(f[2])));
    r.props.emplace_back(kind, Value(f[3]));
  });
  rels("about_control.csv", type("ABOUT_CONTROL"), events, controls, none);
  rels("about_agreement.csv", type("ABOUT_AGREEMENT"), events, agreements, none);
  rels("about_project.csv", type("ABOUT_PROJECT"), events, projects, none);
  rels("imposes.csv", type("IMPOSES"), actors, controls, none);
  rels("targets.csv", type("TARGETS"), controls, actors, none);
  rels("party_to.csv", type("PARTY_TO"), actors, agreements, none);
  rels("funds.csv", type("FUNDS"), actors, projects, none);
  const double t_read = NowMs();
  Must(load->Commit(), "commit the load");
  std::fprintf(stderr, "lodestone_bench_runner: load of %s: reading %.0f ms, committing %.0f ms\n",
               dir.filename().c_str(), t_read - t0, NowMs() - t_read);
}

struct Query {
  std::string name;
  std::string text;
  Shape shape;
  std::vector<ValueMap> params;
};

json Canonical(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull: return nullptr;
    case Value::Kind::kInt: return v.as_int();
    case Value::Kind::kFloat: return v.as_float();
    case Value::Kind::kString: return v.as_string();
    case Value::Kind::kDate: {
      // Days as YYYY-MM-DD, months as YYYY-MM, as the peers write them.
      return v.as_date().ToString();
    }
    default: return v.ToString();
  }
}

json RunOnce(Connection& conn, const Query& q, const ValueMap& params) {
  ExecResult r = conn.Execute(q.text, params);
  if (!r.ok()) Die(q.name + ": " + r.error->formatted);
  json rows = json::array();
  for (const auto& row : r.result.rows) {
    json jr = json::array();
    for (const auto& v : row) jr.push_back(Canonical(v));
    rows.push_back(std::move(jr));
  }
  return bench::Shaped(std::move(rows), q.shape);
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
    std::fprintf(stderr, "usage: lodestone_bench_runner <dataDir> <dbPath> [reps]\n");
    return 2;
  }
  const fs::path dir = fs::absolute(argv[1]);
  const fs::path path = argv[2];
  const int reps = argc > 3 ? std::max(1, std::atoi(argv[3])) : 5;
  fs::remove_all(path);

  json out;
  {
    StoreOptions o;
    o.create_if_missing = true;
    auto db = Must(Database::Open(path.string(), o), "open " + path.string());
    const double t0 = NowMs();
    Load(db->store(), dir);
    const double load_ms = NowMs() - t0;

    json params;
    {
      std::ifstream in(dir / "params.json");
      params = json::parse(in);
    }
    auto actor_key = [](const json& id) { return Value("actor/" + std::to_string(id.get<long long>())); };
    std::vector<Value> actors = {actor_key(params["hub"]), actor_key(params["mid"]), actor_key(params["tail"])};
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
    qs.push_back({"q2_1hop", "MATCH (:Actor {key: $a})-[:PARTICIPATED]->(e:Event) RETURN count(e)", Shape::kScalar,
                  per_actor()});
    qs.push_back({"q3_2hop_coparticipants",
                  "MATCH (a:Actor {key: $a})-[:PARTICIPATED]->(:Event)<-[:PARTICIPATED]-(b:Actor) WHERE b <> a "
                  "RETURN count(DISTINCT b)",
                  Shape::kScalar, per_actor()});
    qs.push_back({"q4_varlen_1_3",
                  "MATCH (a:Actor {key: $a})-[:RELATED*1..3]-(b:Actor) WHERE b <> a RETURN count(DISTINCT b)",
                  Shape::kScalar, per_actor()});
    qs.push_back({"q5_timeline",
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
      Query q{"q8_shortest_path",
              "MATCH p = shortestPath((a:Actor {key: $a})-[:RELATED*0..6]-(b:Actor {key: $b})) RETURN length(p)",
              Shape::kScalar,
              {}};
      for (const auto& pair : params["pathPairs"]) q.params.push_back({{"a", actor_key(pair[0])}, {"b", actor_key(pair[1])}});
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
    out["threads"] = 1;
    out["load_ms"] = static_cast<long long>(std::llround(load_ms));
    out["reps"] = reps;
    out["queries"] = json::object();
    out["results"] = json::object();
    auto conn = db->Connect();
    for (const Query& q : qs) {
      auto timed = bench::TimeQuery(q.params.size(), reps, [&](size_t i) { return RunOnce(*conn, q, q.params[i]); });
      out["queries"][q.name] = timed.ms;
      out["results"][q.name] = timed.answers;
    }
  }
  out["disk_bytes"] = DirBytes(path);
  std::printf("%s\n", out.dump().c_str());
  return 0;
}
