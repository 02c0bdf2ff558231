// Atomicity of an import under SIGKILL: a child process imports a big generated file (through the
// transaction path and through the bulk-load path) and the parent kills it at a random moment. After
// reopening, the database holds all of the import or none of it: never a part.
#include <chrono>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/domain/test_util.h"

namespace lodestone::domain {
namespace {

constexpr int kActors = 20000;

std::string BigImport() {
  std::string text = R"({"node": "source/s", "labels": ["Source"], "props": {"title": "S"}})"
                     "\n";
  for (int i = 0; i < kActors; ++i) {
    text += R"({"node": "actor/a)" + std::to_string(i) +
            R"(", "labels": ["Actor"], "props": {"name": "Actor )" + std::to_string(i) +
            R"(", "actor_kind": "company"}, "sources": ["source/s"]})"
            "\n";
  }
  for (int i = 1; i < kActors; ++i) {
    text += R"({"rel": "PARTNERS_WITH", "from": "actor/a)" + std::to_string(i - 1) + R"(", "to": "actor/a)" +
            std::to_string(i) +
            R"(", "sources": ["source/s"]})"
            "\n";
  }
  return text;
}

// Imports in a loop into fresh keys? No: one import, then the child writes its acknowledgement.
[[noreturn]] void ImportThenAck(const std::string& path, const std::string& text, bool bulk, int ack_fd) {
  StoreOptions o;
  auto db = Database::Open(path, o);
  if (!db.ok()) _exit(3);
  ImportInput in{"big.jsonl", text, InputKind::kJsonLines, std::nullopt, ""};
  ImportOptions opt;
  opt.allow_bulk = bulk;
  opt.bulk_min_records = 1000;
  ImportReport r = Import(**db, {in}, opt);
  if (r.failed) _exit(4);
  if (write(ack_fd, "done\n", 5) != 5) _exit(5);
  pause();
  _exit(0);
}

void KillDuringImport(bool bulk) {
  std::string text = BigImport();
  std::mt19937 rng(bulk ? 11 : 12);
  int complete = 0, empty = 0;
  // How long a whole import takes, to spread the kills over it.
  testing::TempDir dir;
  auto t0 = std::chrono::steady_clock::now();
  {
    StoreOptions o;
    o.create_if_missing = true;
    auto db = Database::Open(dir.Sub("timing"), o);
    ASSERT_TRUE(db.ok());
    ImportInput in{"big.jsonl", text, InputKind::kJsonLines, std::nullopt, ""};
    ImportOptions opt;
    opt.allow_bulk = bulk;
    opt.bulk_min_records = 1000;
    ImportReport r = Import(**db, {in}, opt);
    ASSERT_FALSE(r.failed) << testing::ProblemsText(r);
    ASSERT_EQ(r.bulk, bulk);
  }
  auto full =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  for (int round = 0; round < 8; ++round) {
    std::string path = dir.Sub("db" + std::to_string(round));
    {
      StoreOptions o;
      o.create_if_missing = true;
      ASSERT_TRUE(GraphStore::Open(path, o).ok());
    }
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      ImportThenAck(path, text, bulk, fds[1]);
    }
    close(fds[1]);
    // Kill somewhere between the start and a little after the expected end.
    auto wait_ms = static_cast<long>(rng() % static_cast<unsigned>(full * 12 / 10 + 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    kill(pid, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    char buf[16];
    bool acked = read(fds[0], buf, sizeof buf) > 0;
    close(fds[0]);

    auto store = GraphStore::Open(path, {});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    auto stats = *(*store)->Stats();
    if (stats.nodes == 0) {
      EXPECT_FALSE(acked) << "the import said it was done, but nothing is there";
      EXPECT_EQ(stats.relationships, 0u);
      ++empty;
    } else {
      EXPECT_EQ(stats.nodes, static_cast<uint64_t>(kActors + 1))
          << "round " << round << ": part of the import is there";
      EXPECT_EQ(stats.relationships, static_cast<uint64_t>(kActors - 1 + kActors)) << "round " << round;
      EXPECT_EQ(stats.commits, 1u);
      // Every relationship's ends exist, and the key index agrees.
      auto view = (*store)->Read();
      EXPECT_TRUE(view->FindNode("actor/a" + std::to_string(kActors - 1))->has_value());
      ++complete;
    }
  }
  std::printf("%s path: %d kills left the whole import, %d left nothing (an import takes %lld ms)\n",
              bulk ? "bulk" : "transaction", complete, empty, static_cast<long long>(full));
}

TEST(ImportKill, TransactionPathIsAllOrNothing) { KillDuringImport(false); }
TEST(ImportKill, BulkPathIsAllOrNothing) { KillDuringImport(true); }

}  // namespace
}  // namespace lodestone::domain
