// lodestone_tck: runs the compatibility suite's scenarios (tests/tck/features) against the query
// engine and checks the outcome against tests/tck/expected-failures.txt.
//
// Each scenario runs on a fresh, empty database in its own directory (a copy of an empty database
// made once per run, which is faster than creating one; --no-template creates each from nothing),
// in a child process of its own (so a crash or a hang of the engine fails that scenario only;
// --no-fork runs in-process, for a debugger). Prints one line per failing scenario with its first difference,
// then pass counts for tier 1 (the features listed in tier1.txt), tier 2 (the others) and all. Exits non-zero
// on a failure not listed as expected, a listed scenario that passes, or a listed id that names no scenario.
// --update-expected rewrites the list from this run instead.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/tck/engine_backend.h"
#include "tests/tck/expected.h"
#include "tests/tck/gherkin.h"
#include "tests/tck/runner.h"

#ifndef LODESTONE_TCK_DIR
#define LODESTONE_TCK_DIR "tests/tck"
#endif

namespace lodestone::tck {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string tck_dir = LODESTONE_TCK_DIR;
  std::string expected_file;  // default: <tck_dir>/expected-failures.txt
  std::vector<std::string> filters;
  bool verbose = false;
  bool quiet = false;
  bool update_expected = false;
  bool no_fork = false;
  bool list = false;
  int jobs = 1;
  int timeout_seconds = 120;  // per scenario
  std::string tmp_dir;
  bool no_template = false;
  std::string template_dir;  // set by Main: an empty database that each scenario's is a copy of
};

struct Suite {
  std::vector<Scenario> scenarios;
  std::set<std::string> tier1_features;
  std::vector<std::string> errors;
};

std::string Trim(std::string s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && blank(s.back())) s.pop_back();
  size_t k = 0;
  while (k < s.size() && blank(s[k])) ++k;
  return s.substr(k);
}

bool ReadFile(const fs::path& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return true;
}

Suite LoadSuite(const Options& opts) {
  Suite suite;
  const fs::path root = opts.tck_dir;
  std::vector<std::string> paths;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root / "features", ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".feature") {
      paths.push_back(fs::relative(it->path(), root).generic_string());
    }
  }
  if (ec) suite.errors.push_back("cannot list " + (root / "features").string() + ": " + ec.message());
  if (paths.empty()) suite.errors.push_back("no feature files under " + (root / "features").string());
  std::sort(paths.begin(), paths.end());
  std::set<std::string> ids;
  for (const std::string& path : paths) {
    std::string text;
    if (!ReadFile(root / path, &text)) {
      suite.errors.push_back("cannot read " + path);
      continue;
    }
    auto feature = ParseFeature(text, path);
    if (!feature.ok()) {
      suite.errors.push_back(feature.status().message());
      continue;
    }
    for (Scenario& s : feature->scenarios) {
      if (!ids.insert(s.id).second) suite.errors.push_back("two scenarios have the id " + s.id);
      suite.scenarios.push_back(std::move(s));
    }
  }
  std::string tier1;
  if (!ReadFile(root / "tier1.txt", &tier1)) {
    suite.errors.push_back("cannot read " + (root / "tier1.txt").string());
  }
  std::istringstream lines(tier1);
  std::string line;
  const std::set<std::string> known(paths.begin(), paths.end());
  while (std::getline(lines, line)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#') continue;
    if (known.count(line) == 0)
      suite.errors.push_back("tier1.txt lists a feature that does not exist: " + line);
    suite.tier1_features.insert(line);
  }
  return suite;
}

bool Selected(const Scenario& s, const Options& opts) {
  if (opts.filters.empty()) return true;
  for (const std::string& f : opts.filters) {
    if (s.id.find(f) != std::string::npos) return true;
  }
  return false;
}

QueryOptions EngineOptions(const Options& opts) {
  QueryOptions q;
  q.timeout = std::chrono::milliseconds(int64_t{opts.timeout_seconds} * 1000 / 2);
  q.origin = "tck";
  return q;
}

ScenarioOutcome RunInProcess(const Scenario& scenario, const std::string& dir, const Options& opts) {
  auto backend = EngineBackend::Create(dir, EngineOptions(opts), opts.template_dir);
  if (!backend.ok()) return {false, "cannot create the database: " + backend.status().ToString(), ""};
  RunOptions run;
  run.graphs_dir = (fs::path(opts.tck_dir) / "graphs").string();
  run.verbose = opts.verbose;
  return RunScenario(scenario, **backend, run);
}

// ---- child processes ----

// Runs `fn` in a child process (so this one never starts RocksDB's threads before forking) and
// says whether it returned OK.
bool InChild(const std::function<Status()>& fn) {
  std::cout.flush();
  pid_t pid = ::fork();
  if (pid < 0) return false;
  if (pid == 0) {
    Status s = fn();
    if (!s.ok()) std::cout << "note: " << s.ToString() << "\n";
    std::cout.flush();
    ::_exit(s.ok() ? 0 : 1);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::string Serialize(const ScenarioOutcome& o) {
  std::string out(1, o.passed ? 'P' : 'F');
  out += o.reason;
  out += '\0';
  out += o.log;
  return out;
}

bool Deserialize(const std::string& data, ScenarioOutcome* o) {
  if (data.empty() || (data[0] != 'P' && data[0] != 'F')) return false;
  const size_t nul = data.find('\0');
  if (nul == std::string::npos) return false;
  o->passed = data[0] == 'P';
  o->reason = data.substr(1, nul - 1);
  o->log = data.substr(nul + 1);
  return true;
}

struct Child {
  pid_t pid = -1;
  int fd = -1;
  size_t index = 0;
  std::string dir;
  std::string data;
  Clock::time_point start;
  bool timed_out = false;
};

[[noreturn]] void ChildMain(const Scenario& scenario, const std::string& dir, const Options& opts, int fd) {
  ScenarioOutcome o = RunInProcess(scenario, dir, opts);
  const std::string data = Serialize(o);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  std::fflush(nullptr);
  ::_exit(0);
}

ScenarioOutcome Finish(Child& c, int timeout_seconds) {
  int status = 0;
  while (::waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  ::close(c.fd);
  std::error_code ec;
  fs::remove_all(c.dir, ec);
  ScenarioOutcome o;
  if (c.timed_out) {
    o.reason = "timed out after " + std::to_string(timeout_seconds) + " s";
    return o;
  }
  if (WIFSIGNALED(status)) {
    o.reason =
        "crashed: signal " + std::to_string(WTERMSIG(status)) + " (" + ::strsignal(WTERMSIG(status)) + ")";
    return o;
  }
  if (!Deserialize(c.data, &o)) {
    o = {};
    o.reason =
        "the scenario's process exited (status " + std::to_string(WEXITSTATUS(status)) + ") without a result";
  }
  return o;
}

// Runs the selected scenarios, up to opts.jobs at a time, calling `done(index, outcome)` in order.
template <typename Done>
void RunAll(const std::vector<const Scenario*>& todo, const Options& opts, const std::string& run_dir,
            Done done) {
  if (opts.no_fork) {
    for (size_t k = 0; k < todo.size(); ++k)
      done(k, RunInProcess(*todo[k], run_dir + "/" + std::to_string(k), opts));
    return;
  }
  std::vector<Child> running;
  std::map<size_t, ScenarioOutcome> finished;
  size_t next = 0;
  size_t next_to_report = 0;
  std::cout.flush();
  std::cerr.flush();
  while (next_to_report < todo.size()) {
    while (next < todo.size() && running.size() < static_cast<size_t>(std::max(1, opts.jobs))) {
      int fds[2];
      if (::pipe(fds) != 0) {
        std::perror("pipe");
        std::exit(2);
      }
      Child c;
      c.index = next;
      c.dir = run_dir + "/" + std::to_string(next);
      c.start = Clock::now();
      c.pid = ::fork();
      if (c.pid < 0) {
        std::perror("fork");
        std::exit(2);
      }
      if (c.pid == 0) {
        ::close(fds[0]);
        ChildMain(*todo[next], c.dir, opts, fds[1]);
      }
      ::close(fds[1]);
      c.fd = fds[0];
      running.push_back(std::move(c));
      ++next;
    }
    std::vector<pollfd> pfds;
    for (const Child& c : running) pfds.push_back({c.fd, POLLIN, 0});
    ::poll(pfds.data(), pfds.size(), 200);
    for (size_t k = 0; k < running.size();) {
      Child& c = running[k];
      bool eof = false;
      if (pfds[k].revents & (POLLIN | POLLHUP | POLLERR)) {
        char buf[65536];
        ssize_t n = ::read(c.fd, buf, sizeof(buf));
        if (n > 0) {
          c.data.append(buf, static_cast<size_t>(n));
        } else if (n == 0 || errno != EINTR) {
          eof = true;
        }
      }
      if (!eof && !c.timed_out && Clock::now() - c.start > std::chrono::seconds(opts.timeout_seconds)) {
        ::kill(c.pid, SIGKILL);
        c.timed_out = true;
      }
      if (eof) {
        finished[c.index] = Finish(c, opts.timeout_seconds);
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(k));
        pfds.erase(pfds.begin() + static_cast<std::ptrdiff_t>(k));
      } else {
        ++k;
      }
    }
    while (finished.count(next_to_report) > 0) {
      done(next_to_report, finished[next_to_report]);
      finished.erase(next_to_report);
      ++next_to_report;
    }
  }
}

struct Tally {
  int passed = 0;
  int failed = 0;
  std::string Line(const std::string& name) const {
    const int total = passed + failed;
    char pct[32];
    std::snprintf(pct, sizeof(pct), "%.1f%%", total == 0 ? 0.0 : 100.0 * passed / total);
    return name + ": " + std::to_string(passed) + " passed, " + std::to_string(failed) + " failed (" + pct +
           " of " + std::to_string(total) + " pass)";
  }
};

int Main(Options opts) {
  Suite suite = LoadSuite(opts);
  for (const std::string& e : suite.errors) std::cout << "ERROR " << e << "\n";

  std::vector<const Scenario*> todo;
  std::vector<std::string> all_ids;
  std::set<std::string> all_id_set;
  for (const Scenario& s : suite.scenarios) {
    all_ids.push_back(s.id);
    all_id_set.insert(s.id);
    if (Selected(s, opts)) todo.push_back(&s);
  }
  if (opts.list) {
    for (const Scenario* s : todo) std::cout << s->id << "\n";
    return suite.errors.empty() ? 0 : 1;
  }

  const std::string expected_path = opts.expected_file.empty()
                                        ? (fs::path(opts.tck_dir) / "expected-failures.txt").string()
                                        : opts.expected_file;
  std::set<std::string> expected;
  {
    std::string text;
    if (ReadFile(expected_path, &text)) {
      auto parsed = ParseExpectedFailures(text);
      if (!parsed.ok()) {
        std::cout << "ERROR " << expected_path << ": " << parsed.status().message() << "\n";
        return 2;
      }
      expected = std::move(parsed).value();
    } else if (!opts.update_expected) {
      std::cout << "note: no expected-failures list at " << expected_path
                << "; every failure is unexpected\n";
    }
  }

  std::string base = opts.tmp_dir.empty() ? fs::temp_directory_path().string() : opts.tmp_dir;
  std::string pattern = base + "/lodestone-tck-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    return 2;
  }
  const std::string run_dir = pattern;
  if (!opts.no_template && !todo.empty()) {
    const std::string dir = run_dir + "/template";
    auto make = [&] { return EngineBackend::CreateTemplate(dir); };
    if (opts.no_fork ? make().ok() : InChild(make)) {
      opts.template_dir = dir;
    } else {
      std::cout << "note: cannot make a template database; each scenario creates its own from nothing\n";
    }
  }

  Tally tier1;
  Tally tier2;
  Tally all;
  std::vector<ScenarioResult> results;
  std::vector<std::pair<std::string, std::string>> unexpected_failures;  // id, reason
  const auto start = Clock::now();
  RunAll(todo, opts, run_dir, [&](size_t k, const ScenarioOutcome& o) {
    const Scenario& s = *todo[k];
    const bool listed = expected.count(s.id) > 0;
    Tally& tier = suite.tier1_features.count(s.feature_path) > 0 ? tier1 : tier2;
    (o.passed ? tier.passed : tier.failed)++;
    (o.passed ? all.passed : all.failed)++;
    results.push_back({s.id, o.passed});
    if (opts.verbose) {
      std::cout << "=== " << s.id << "\n"
                << (s.expanded_name != s.name ? "    (" + s.expanded_name + ")\n" : "") << o.log;
    }
    if (!o.passed) {
      if (!listed) unexpected_failures.emplace_back(s.id, o.reason);
      if (!listed || !opts.quiet)
        std::cout << (listed ? "xfail " : "FAIL  ") << s.id << ": " << o.reason << "\n";
    } else if (listed) {
      std::cout << "XPASS " << s.id << "\n";
    } else if (opts.verbose) {
      std::cout << "pass  " << s.id << "\n";
    }
    std::cout.flush();
  });
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::error_code ec;
  fs::remove_all(run_dir, ec);

  std::cout << "\n"
            << tier1.Line("tier 1") << "\n"
            << tier2.Line("tier 2") << "\n"
            << all.Line("all") << "\n";
  char timing[128];
  std::snprintf(timing, sizeof(timing), "%zu scenarios in %.1f s (%.1f ms each, %d job%s)\n", todo.size(),
                seconds, todo.empty() ? 0.0 : 1000.0 * seconds / static_cast<double>(todo.size()), opts.jobs,
                opts.jobs == 1 ? "" : "s");
  std::cout << timing;

  if (opts.update_expected) {
    std::ofstream out(expected_path, std::ios::binary | std::ios::trunc);
    out << FormatExpectedFailures(all_ids, results, expected);
    if (!out) {
      std::cout << "ERROR cannot write " << expected_path << "\n";
      return 2;
    }
    std::cout << "wrote " << expected_path << "\n";
    return suite.errors.empty() ? 0 : 1;
  }

  Verdict verdict = Judge(results, expected, all_id_set);
  if (!opts.filters.empty()) verdict.stale.clear();  // a filtered run does not see every scenario
  std::cout << "expected failures listed: " << expected.size()
            << "; unexpected failures: " << verdict.unexpected_failures.size()
            << "; unexpected passes: " << verdict.unexpected_passes.size()
            << "; stale entries: " << verdict.stale.size() << "\n";
  // Repeated at the end of a long log, up to a point.
  constexpr size_t kRepeat = 50;
  for (size_t k = 0; k < unexpected_failures.size() && k < kRepeat; ++k) {
    std::cout << "unexpected failure: " << unexpected_failures[k].first << ": "
              << unexpected_failures[k].second << "\n";
  }
  if (unexpected_failures.size() > kRepeat) {
    std::cout << "... and " << unexpected_failures.size() - kRepeat
              << " more unexpected failures (lines FAIL above)\n";
  }
  for (const std::string& id : verdict.unexpected_passes) std::cout << "unexpected pass: " << id << "\n";
  for (const std::string& id : verdict.stale) std::cout << "stale entry (no such scenario): " << id << "\n";
  if (!verdict.ok()) {
    std::cout
        << "TCK run FAILED: fix the engine, or if the change is intended, rerun with --update-expected\n";
  }
  return verdict.ok() && suite.errors.empty() ? 0 : 1;
}

}  // namespace
}  // namespace lodestone::tck

int main(int argc, char** argv) {
  lodestone::tck::Options opts;
  CLI::App app{"Runs the compatibility suite's scenarios against Lodestone's query engine."};
  app.add_option("--tck-dir", opts.tck_dir, "The suite's directory (features/, graphs/, tier1.txt)");
  app.add_option("--expected", opts.expected_file,
                 "The expected-failures list (default <tck-dir>/expected-failures.txt)");
  // Taken literally: without these, CLI11 would read "[1]" as a list holding "1".
  app.add_option("--filter", opts.filters, "Run only scenarios whose id contains this (repeatable)")
      ->allow_extra_args(false)
      ->delimiter('\0');
  app.add_flag("--verbose,-v", opts.verbose, "Print every step, query, expected and actual table");
  app.add_flag("--quiet,-q", opts.quiet, "Do not print expected failures");
  app.add_flag("--update-expected", opts.update_expected, "Rewrite the expected-failures list from this run");
  app.add_flag("--no-fork", opts.no_fork, "Run scenarios in this process (for a debugger)");
  app.add_flag("--list", opts.list, "List the (selected) scenario ids and exit");
  app.add_option("--jobs,-j", opts.jobs, "Scenarios run at once")->check(CLI::Range(1, 64));
  app.add_option("--timeout", opts.timeout_seconds, "Seconds per scenario before it is killed")
      ->check(CLI::Range(1, 3600));
  app.add_flag("--no-template", opts.no_template,
               "Create each scenario's database from nothing instead of copying an empty one");
  app.add_option("--tmp-dir", opts.tmp_dir,
                 "Where the scenarios' databases go (default: the system's temp dir)");
  CLI11_PARSE(app, argc, argv);
  return lodestone::tck::Main(opts);
}
