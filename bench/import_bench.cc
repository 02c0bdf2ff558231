// Import throughput: JSON Lines records per second, end to end (parse, check against the schema,
// resolve references, write, commit), into an empty database. The bulk-load path is what an import
// of new entities uses; the transaction path is what updates use.
//
//   build/bench/import_bench --benchmark_counters_tabular=true
//
// Records: 1 source; N actors (node records with sources); N-1 PARTNERS_WITH relationships with a
// validity; N/10 events (each involving two actors, with a role). Every record cites its source.
#include <filesystem>
#include <map>
#include <random>
#include <string>

#include <benchmark/benchmark.h>
#include <time.h>

#include "domain/import.h"
#include "query/database.h"

namespace {

using namespace lodestone;

std::string Generate(int n, uint64_t* records) {
  std::string text;
  text.reserve(static_cast<size_t>(n) * 420);
  text +=
      R"({"node": "source/bench", "labels": ["Source"], "props": {"title": "Benchmark source", "source_kind": "background"}})"
      "\n";
  uint64_t count = 1;
  const char* kinds[] = {"country", "company", "government_body", "organization"};
  for (int i = 0; i < n; ++i) {
    std::string k = std::to_string(i);
    text += R"({"node": "actor/a)" + k + R"(", "labels": ["Actor"], "props": {"name": "Actor number )" + k +
            R"(", "actor_kind": ")" + kinds[i % 4] + R"(", "aliases": ["A)" + k +
            R"("], "confidence": 0.9}, "valid_from": "2020-0)" + std::to_string(1 + i % 9) +
            R"(", "valid_to": null, "sources": ["source/bench"]})"
            "\n";
    ++count;
  }
  for (int i = 1; i < n; ++i) {
    text += R"({"rel": "PARTNERS_WITH", "from": "actor/a)" + std::to_string(i - 1) + R"(", "to": "actor/a)" +
            std::to_string(i) + R"(", "props": {"domain": "supply_chain"}, "valid_from": "2025-Q)" +
            std::to_string(1 + i % 4) +
            R"(", "sources": ["source/bench"]})"
            "\n";
    ++count;
  }
  for (int i = 0; i + 1 < n; i += 10) {
    std::string k = std::to_string(i);
    text += R"({"event": "event/2025-10-)" + std::to_string(10 + i % 18) + "-e" + k +
            R"(", "date": "2025-10-)" + std::to_string(10 + i % 18) + R"(", "title": "Meeting )" + k +
            R"(", "event_kind": "meeting", "involves": ["actor/a)" + k + R"(", {"actor": "actor/a)" +
            std::to_string(i + 1) +
            R"(", "role": "host"}], "sources": ["source/bench"], "summary": "Two actors meet."})"
            "\n";
    ++count;
  }
  *records = count;
  return text;
}

// CPU time of the whole process (every thread), in seconds.
double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

void Run(benchmark::State& state, bool bulk) {
  int n = static_cast<int>(state.range(0));
  uint64_t records = 0;
  std::string text = Generate(n, &records);
  domain::ImportInput in{"bench.jsonl", std::move(text), domain::InputKind::kJsonLines, std::nullopt, ""};
  std::string dir =
      (std::filesystem::temp_directory_path() / ("lodestone-import-bench-" + std::to_string(getpid())))
          .string();
  std::map<std::string, double> phase_seconds;
  double cpu_seconds = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::filesystem::remove_all(dir);
    StoreOptions o;
    o.create_if_missing = true;
    auto db = Database::Open(dir, o);
    if (!db.ok()) {
      state.SkipWithError(db.status().ToString().c_str());
      return;
    }
    domain::ImportOptions opt;
    opt.allow_bulk = bulk;
    state.ResumeTiming();
    double cpu_before = ProcessCpuSeconds();
    domain::ImportReport r = domain::Import(**db, {in}, opt);
    cpu_seconds += ProcessCpuSeconds() - cpu_before;
    state.PauseTiming();
    if (r.failed || r.bulk != bulk || r.created != records) {
      state.SkipWithError(r.problems.empty() ? "the import did not create every record"
                                             : r.problems[0].ToString().c_str());
      return;
    }
    for (const auto& [name, seconds] : r.phases) phase_seconds[name] += seconds;
    db->reset();
    state.ResumeTiming();
  }
  std::filesystem::remove_all(dir);
  state.counters["records"] = static_cast<double>(records);
  state.counters["records_per_second"] = benchmark::Counter(
      static_cast<double>(records) * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  // CPU seconds of all threads per import: with the wall time, how well the import uses the cores
  // (and, on a busy machine, what it would take on a quiet one).
  state.counters["cpu_s"] = cpu_seconds / static_cast<double>(state.iterations());
  for (const auto& [name, seconds] : phase_seconds) {
    state.counters["s_" + name.substr(0, name.find(' '))] = seconds / static_cast<double>(state.iterations());
  }
  state.SetBytesProcessed(static_cast<int64_t>(in.text.size()) * state.iterations());
}

void BM_ImportJsonLinesBulk(benchmark::State& state) { Run(state, true); }
void BM_ImportJsonLinesTransaction(benchmark::State& state) { Run(state, false); }

BENCHMARK(BM_ImportJsonLinesBulk)
    ->Arg(100'000)
    ->Arg(400'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);
BENCHMARK(BM_ImportJsonLinesTransaction)
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

}  // namespace

BENCHMARK_MAIN();
