// What every C++ engine runner shares (bench/README.md, "Timing protocol" and "Canonical answers"):
// the clock, how an answer is made comparable across engines, and how a query's parameter sets are
// timed. bench/peers/sqlite_runner.cc and bench/lodestone_runner.cc both follow it through here.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace lodestone::bench {

using json = nlohmann::ordered_json;

inline double NowMs() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// How a query's answer is made comparable across engines.
enum class Shape {
  kScalar,       // the first column of the first row; null when there is no row
  kRowsSorted,   // every row, sorted
  kRowsOrdered,  // every row, in the query's order
};

// The canonical answer of a query's rows (each a JSON array of canonical values).
inline json Shaped(json rows, Shape shape) {
  switch (shape) {
    case Shape::kScalar:
      return rows.empty() ? json(nullptr) : rows[0][0];
    case Shape::kRowsSorted:
      std::sort(rows.begin(), rows.end());
      return rows;
    case Shape::kRowsOrdered:
      return rows;
  }
  return rows;
}

struct Timed {
  json ms = json::array();       // the median milliseconds of each parameter set, to the microsecond
  json answers = json::array();  // the canonical answer of each parameter set, from the untimed pass
};

// Runs a query's parameter sets by the protocol: one untimed pass (its answers are reported), then
// `reps` timed passes (3 when the first pass took over a second, 1 over five seconds). `run(i)` runs
// parameter set i, reading every row, and returns its canonical answer.
template <typename Run>
Timed TimeQuery(size_t sets, int reps, Run run) {
  Timed out;
  double first_pass = NowMs();
  for (size_t i = 0; i < sets; ++i) out.answers.push_back(run(i));
  first_pass = NowMs() - first_pass;
  int n = first_pass > 5000 ? 1 : first_pass > 1000 ? std::min(reps, 3) : reps;
  std::vector<std::vector<double>> times(sets);
  for (int rep = 0; rep < n; ++rep) {
    for (size_t i = 0; i < sets; ++i) {
      double t = NowMs();
      run(i);
      times[i].push_back(NowMs() - t);
    }
  }
  for (auto& t : times) {
    std::sort(t.begin(), t.end());
    size_t k = t.size();
    double median = k % 2 ? t[k / 2] : (t[k / 2 - 1] + t[k / 2]) / 2;
    out.ms.push_back(std::round(median * 1000) / 1000);
  }
  return out;
}

// Memory, measured the same way by every runner (bench/README.md, "Memory"): the peak resident set
// of the process (VmHWM in /proc/self/status), in bytes; 0 where the system does not say.
inline long long PeakRssBytes() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;  // "VmHWM:  1234 kB"
  }
  return 0;
}

// Starts a new peak from what is resident now (Linux: writing 5 to /proc/self/clear_refs), so that
// the next PeakRssBytes() tells the queries' peak apart from the load's.
inline void ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
}

}  // namespace lodestone::bench
