// The lodestone binary next to a running `lodestone serve` on the same database: read commands work and
// see an import made through the server a moment before; writes are sent to the server or refused
// with a message saying how; backups are taken online, killed at random during imports, and every
// finished one restores to a database that answers as the original did at the backup's record time.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/cli/run_cli.h"
#include "tests/support/temp_dir.h"

namespace {

using Clock = std::chrono::steady_clock;

using lodestone::testing::Ran;
using lodestone::testing::Sh;

// Starts the binary with `args`, output to `log`; returns its pid.
pid_t Spawn(const std::vector<std::string>& args, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    FILE* f = std::freopen(log.c_str(), "w", stdout);
    if (!f || dup2(fileno(stdout), 2) < 0) _exit(127);
    std::vector<char*> argv;
    std::string bin = LODESTONE_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  return pid;
}

// Ends a process this test started: SIGTERM, then SIGKILL if it has not exited within 10 s.
void Stop(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    if (waitpid(pid, nullptr, WNOHANG) == pid) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class BesideServer : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.Sub("db");
    Ran init = Sh(Cli() + " init");
    ASSERT_EQ(init.status, 0) << init.out;
    std::ofstream(dir_.Sub("token")) << "s3cret-token\n";
    server_ = Spawn({"--db", db_, "serve", "--bind", "127.0.0.1", "--port", std::to_string(Port()),
                     "--token-file", dir_.Sub("token")},
                    dir_.Sub("serve.log"));
    // Up when /healthz answers; at most 20 s.
    auto deadline = Clock::now() + std::chrono::seconds(20);
    while (Sh("curl -sf " + Url() + "/healthz").status != 0) {
      ASSERT_LT(Clock::now(), deadline) << Slurp(dir_.Sub("serve.log"));
      ASSERT_EQ(waitpid(server_, nullptr, WNOHANG), 0)
          << "the server exited: " << Slurp(dir_.Sub("serve.log"));
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  void TearDown() override { Stop(server_); }

  virtual int Port() const = 0;
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(Port()); }
  std::string Cli(const std::string& db = "") const {
    return std::string(LODESTONE_BINARY) + " --db " + (db.empty() ? db_ : db);
  }
  std::string ServerArgs() const { return " --server " + Url() + " --token-file " + dir_.Sub("token"); }

  // Imports one actor through the server; returns its record time as the server reported it.
  std::string ImportActor(const std::string& slug) {
    std::string file = dir_.Sub(slug + ".jsonl");
    std::ofstream(file) << R"({"node": "actor/)" << slug
                        << R"(", "labels": ["Actor"], "props": {"name": "Actor )" << slug
                        << R"(", "actor_kind": "company"}, "sources": ["source/ref-general-background"]})"
                           "\n";
    Ran r = Sh(Cli() + " import " + file + ServerArgs());
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_NE(r.out.find("created 1,"), std::string::npos) << r.out;
    std::smatch m;
    std::regex_search(r.out, m, std::regex("recorded ([0-9T:.Z-]+)"));
    return m.size() > 1 ? m[1].str() : "";
  }

  lodestone::testing::TempDir dir_;
  std::string db_;
  pid_t server_ = -1;
};

class ReadersBeside : public BesideServer {
  int Port() const override { return 18131; }
};

TEST_F(ReadersBeside, ReadCommandsSeeAnImportMadeThroughTheServer) {
  // Without --server an import is refused, saying how.
  std::ofstream(dir_.Sub("one.jsonl"))
      << R"({"node": "actor/one", "labels": ["Actor"], "props": {"name": "One"}})"
         "\n";
  Ran refused = Sh(Cli() + " import " + dir_.Sub("one.jsonl"));
  EXPECT_EQ(refused.status, 1) << refused.out;
  EXPECT_NE(refused.out.find("is in use by another lodestone process"), std::string::npos) << refused.out;
  EXPECT_NE(refused.out.find("--server"), std::string::npos) << refused.out;

  std::string recorded = ImportActor("beside-a");
  ASSERT_FALSE(recorded.empty());
  Ran q = Sh(Cli() + " query --format csv \"MATCH (a:Actor) WHERE a.key = 'actor/beside-a' RETURN a.name\"");
  ASSERT_EQ(q.status, 0) << q.out;
  EXPECT_NE(q.out.find("Actor beside-a"), std::string::npos) << q.out;
  // KNOWN AT reads the past beside the server as it does in it.
  Ran before = Sh(Cli() +
                  " query --format csv \"KNOWN AT datetime('2000-01-01T00:00:00Z') MATCH (a:Actor) RETURN "
                  "count(a) AS n\"");
  ASSERT_EQ(before.status, 0) << before.out;
  EXPECT_NE(before.out.find("n\n0\n"), std::string::npos) << before.out;

  Ran stats = Sh(Cli() + " stats");
  ASSERT_EQ(stats.status, 0) << stats.out;
  EXPECT_NE(stats.out.find("last recorded:       " + recorded), std::string::npos) << stats.out;
  Ran history = Sh(Cli() + " history actor/beside-a");
  ASSERT_EQ(history.status, 0) << history.out;
  EXPECT_NE(history.out.find("origin: import via the web API"), std::string::npos) << history.out;
  Ran exported = Sh(Cli() + " export --query \"MATCH (a:Actor {key: 'actor/beside-a'}) RETURN a\"");
  ASSERT_EQ(exported.status, 0) << exported.out;
  EXPECT_NE(exported.out.find("\"actor/beside-a\""), std::string::npos) << exported.out;

  // The shell reads beside the server and sees, statement by statement, what it committed before.
  std::string shell_in = dir_.Sub("shell.in");
  ASSERT_EQ(mkfifo(shell_in.c_str(), 0600), 0);
  pid_t shell = fork();
  if (shell == 0) {
    std::string cmd = Cli() + " shell < " + shell_in + " > " + dir_.Sub("shell.out") + " 2>&1";
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  {
    std::ofstream in(shell_in);
    const std::string count =
        "MATCH (a:Actor) WHERE a.key STARTS WITH 'actor/beside-' RETURN count(a) AS beside;\n";
    in << ":format csv\n" << count << std::flush;
    // Wait for the first answer, import through the server, then ask again in the same shell.
    auto deadline = Clock::now() + std::chrono::seconds(20);
    while (Slurp(dir_.Sub("shell.out")).find(" ms)") == std::string::npos && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ImportActor("beside-b");
    in << count << "CREATE (:Actor {name: 'nope'});\n" << std::flush;
  }
  int st = 0;
  waitpid(shell, &st, 0);
  std::string out = Slurp(dir_.Sub("shell.out"));
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << out;
  std::smatch m;
  std::vector<std::string> counts;
  for (std::string rest = out; std::regex_search(rest, m, std::regex("beside\\n([0-9]+)\\n"));
       rest = m.suffix()) {
    counts.push_back(m[1].str());
  }
  EXPECT_EQ(counts, (std::vector<std::string>{"1", "2"})) << out;
  EXPECT_NE(out.find("only reads beside it"), std::string::npos) << out;  // the write was refused

  // A write statement from `query` is refused with the way to write.
  Ran write = Sh(Cli() + " query \"CREATE (:Actor {name: 'nope'})\"");
  EXPECT_EQ(write.status, 1) << write.out;
  EXPECT_NE(write.out.find("--server"), std::string::npos) << write.out;
  // Bad use of --server changes nothing and says what is expected.
  Ran csv = Sh(Cli() + " import " + dir_.Sub("x.csv") + ServerArgs());
  EXPECT_EQ(csv.status, 2) << csv.out;
  EXPECT_NE(csv.out.find("must be JSON Lines"), std::string::npos) << csv.out;
  Ran bad_url = Sh(Cli() + " import " + dir_.Sub("one.jsonl") + " --server 127.0.0.1 --token-file " +
                   dir_.Sub("token"));
  EXPECT_EQ(bad_url.status, 1) << bad_url.out;
  EXPECT_NE(bad_url.out.find("e.g. http://127.0.0.1:8080"), std::string::npos) << bad_url.out;
}

class BackupsBeside : public BesideServer {
  int Port() const override { return 18132; }
};

// The answers a database gives to `queries`, as of `known_at` (a record time) when given.
std::string Answers(const std::string& cli, const std::string& known_at = "") {
  const char* queries[] = {
      "MATCH (a:Actor) RETURN a.key, a.name ORDER BY a.key",
      "MATCH (c:Control) RETURN c.key, status(c, date('2025-12-01')) AS s ORDER BY c.key",
      "MATCH (n) RETURN count(n) AS nodes",
  };
  std::string out;
  for (const char* q : queries) {
    std::string text = known_at.empty() ? q : "KNOWN AT datetime('" + known_at + "') " + q;
    Ran r = Sh(cli + " query --format csv \"" + text + "\"");
    EXPECT_EQ(r.status, 0) << text << "\n" << r.out;
    out += r.out;
  }
  return out;
}

TEST_F(BackupsBeside, BackupsKilledAtRandomDuringImportsLeaveTheOthersRestorable) {
  std::string backups = dir_.Sub("backups");
  std::atomic<bool> stop{false};
  std::atomic<int> imported{0};
  std::thread importer([&] {
    while (!stop) ImportActor("imp-" + std::to_string(imported++));
  });
  // Stopped and joined however this test ends (a failed ASSERT returns early).
  struct Joiner {
    std::atomic<bool>& stop;
    std::thread& thread;
    ~Joiner() {
      stop = true;
      if (thread.joinable()) thread.join();
    }
  } joiner{stop, importer};
  std::mt19937 rng(std::random_device{}());
  int finished = 0, killed = 0;
  int took_ms = 0;  // how long the first backup took: the others are killed within that much time
  for (int i = 0; i < 9 || finished < 3; ++i) {
    auto started = Clock::now();
    pid_t b = Spawn({"--db", db_, "backup", backups}, dir_.Sub("backup-" + std::to_string(i) + ".log"));
    // Killed at a random moment of its run (some finish first): the sleep is the moment, not a wait.
    bool spare = i == 0 || i >= 9;
    if (!spare) {
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution<int>(0, took_ms)(rng)));
    }
    if (!spare && waitpid(b, nullptr, WNOHANG) == 0) {
      kill(b, SIGKILL);
      waitpid(b, nullptr, 0);
      ++killed;
      continue;
    }
    int st = 0;
    waitpid(b, &st, 0);
    ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0)
        << Slurp(dir_.Sub("backup-" + std::to_string(i) + ".log"));
    if (i == 0) {
      took_ms = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count() * 6 / 5);
    }
    ++finished;
  }
  stop = true;
  importer.join();
  EXPECT_GT(imported.load(), 0);
  std::cout << finished << " backups finished, " << killed << " killed, " << imported.load() << " imports\n";

  Ran verify = Sh(Cli() + " backup --verify " + backups);
  ASSERT_EQ(verify.status, 0) << verify.out;
  Ran list = Sh(Cli() + " backup --list " + backups);
  ASSERT_EQ(list.status, 0) << list.out;
  std::smatch m;
  std::vector<std::pair<std::string, std::string>> listed;  // id, record time
  for (std::string rest = list.out;
       std::regex_search(rest, m, std::regex("\\n +([0-9]+) +\\S+ +([0-9T:.Z-]+) ")); rest = m.suffix()) {
    listed.emplace_back(m[1].str(), m[2].str());
  }
  // Every finished backup is listed, and so is a killed one that had published itself before it died.
  ASSERT_GE(listed.size(), static_cast<size_t>(finished)) << list.out;
  ASSERT_LE(listed.size(), static_cast<size_t>(finished + killed)) << list.out;
  for (const auto& [id, record_time] : listed) {
    std::string target = dir_.Sub("restored-" + id);
    Ran restore = Sh(Cli(target) + " restore " + backups + " --backup-id " + id);
    ASSERT_EQ(restore.status, 0) << restore.out;
    EXPECT_EQ(Answers(Cli(target)), Answers(Cli(), record_time)) << "backup " << id << " at " << record_time;
  }
  // Restore never overwrites a database.
  Ran over = Sh(Cli() + " restore " + backups);
  EXPECT_EQ(over.status, 1) << over.out;
  EXPECT_NE(over.out.find("already exists"), std::string::npos) << over.out;
}

}  // namespace
