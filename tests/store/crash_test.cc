// Crash safety: a child process commits batches and reports each one after Commit() returns; the
// parent kills it with SIGKILL at a random moment, reopens the database, and checks that every
// acknowledged batch is there whole and that no batch is there in part.
#include <chrono>
#include <cstdio>
#include <map>
#include <random>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/graph_store.h"
#include "tests/support/temp_dir.h"

namespace lodestone {
namespace {

constexpr int kRounds = 24;
constexpr int kNodesPerBatch = 25;

// Runs in the child: commits batches first, first+1, ... until killed.
[[noreturn]] void WriteBatchesForever(const std::string& path, int first, int ack_fd) {
  StoreOptions o;
  auto store = GraphStore::Open(path, o);
  if (!store.ok()) _exit(3);
  for (int batch = first;; ++batch) {
    auto t = (*store)->BeginWrite("crash test");
    if (!t.ok()) _exit(4);
    auto& txn = **t;
    LabelId label = *txn.InternLabel("Item");
    PropKeyId bkey = *txn.InternPropKey("batch");
    std::optional<NodeId> prev;
    for (int i = 0; i < kNodesPerBatch; ++i) {
      NodeRecord r;
      r.key = "item/" + std::to_string(batch) + "/" + std::to_string(i);
      r.labels = {label};
      r.props = {{bkey, Value(int64_t{batch})}};
      auto id = txn.CreateNode(r);
      if (!id.ok()) _exit(5);
      // Relationships too, so that a torn batch would also show as a dangling adjacency entry.
      if (prev && !txn.CreateRel(*prev, *txn.InternRelType("NEXT"), *id, {}).ok()) _exit(6);
      prev = *id;
    }
    if (!txn.Commit().ok()) _exit(7);
    char line[32];
    int n = std::snprintf(line, sizeof line, "%d\n", batch);
    if (write(ack_fd, line, static_cast<size_t>(n)) != n) _exit(8);
  }
}

TEST(CrashTest, KilledWriterLeavesWholeBatchesOnly) {
  testing::TempDir dir;
  std::string path = dir.Sub("db");
  {
    StoreOptions o;
    o.create_if_missing = true;
    ASSERT_TRUE(GraphStore::Open(path, o).ok());
  }
  std::mt19937 rng(20251030);
  std::set<int> acknowledged;
  int next_batch = 0;
  int rounds_with_progress = 0;
  for (int round = 0; round < kRounds; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      WriteBatchesForever(path, next_batch, fds[1]);
    }
    close(fds[1]);
    // Wait until the writer has committed its first batch (however loaded the machine is), then let
    // it run 0 to 50 ms more and kill it wherever it is.
    std::string acks;
    char buf[4096];
    pollfd pfd{fds[0], POLLIN, 0};
    while (acks.find('\n') == std::string::npos && poll(&pfd, 1, 30000) > 0) {
      ssize_t n = read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      acks.append(buf, static_cast<size_t>(n));
    }
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 50000));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the writer exited by itself with status " << WEXITSTATUS(status);
    for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) acks.append(buf, static_cast<size_t>(n));
    close(fds[0]);
    size_t before = acknowledged.size();
    for (size_t pos = 0, nl; (nl = acks.find('\n', pos)) != std::string::npos; pos = nl + 1) {
      acknowledged.insert(std::stoi(acks.substr(pos, nl - pos)));
    }
    if (acknowledged.size() > before) ++rounds_with_progress;

    // Reopen and check.
    auto store = GraphStore::Open(path, {});
    ASSERT_TRUE(store.ok()) << "round " << round << ": " << store.status().ToString();
    auto v = (*store)->Read();
    std::map<int64_t, int> per_batch;
    if (auto label = v->names().FindLabel("Item")) {
      PropKeyId bkey = *v->names().FindPropKey("batch");
      auto cur = v->ScanLabel(*label);
      for (; cur->Valid(); cur->Next()) per_batch[v->GetNodeProperty(cur->entry().id, bkey)->as_int()]++;
      ASSERT_TRUE(cur->status().ok());
      RelTypeId next = *v->names().FindRelType("NEXT");
      auto rels = v->ScanAllRels();
      int rel_count = 0;
      for (; rels->Valid(); rels->Next()) {
        ++rel_count;
        ASSERT_EQ(rels->entry().rel.type, next);
        ASSERT_TRUE(*v->NodeExists(rels->entry().rel.dst)) << "a relationship to a missing node";
      }
      EXPECT_EQ(rel_count, static_cast<int>(per_batch.size()) * (kNodesPerBatch - 1));
    }
    for (const auto& [batch, count] : per_batch) {
      EXPECT_EQ(count, kNodesPerBatch) << "round " << round << ": batch " << batch << " is there in part";
    }
    for (int b : acknowledged) {
      EXPECT_EQ(per_batch.count(b), 1u) << "round " << round << ": acknowledged batch " << b << " is missing";
    }
    EXPECT_EQ((*store)->Stats()->nodes, per_batch.size() * kNodesPerBatch);
    next_batch = per_batch.empty() ? next_batch : static_cast<int>(per_batch.rbegin()->first) + 1;
  }
  EXPECT_EQ(rounds_with_progress, kRounds)
      << "every round waits for a first commit, so every round makes progress";
}

}  // namespace
}  // namespace lodestone
