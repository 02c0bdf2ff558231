// The RocksDB implementation of GraphStore. Internal to store/.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <thread>

#include <rocksdb/db.h>

#include "store/catalog.h"
#include "store/graph_store.h"
#include "store/kv.h"
#include "store/topology.h"

namespace lodestone::internal {

// The counters kept in the meta column family; only the writer changes them.
struct Counters {
  uint64_t next_node_id = 1;
  uint64_t next_rel_id = 1;
  uint64_t last_record_time = 0;
  uint64_t node_count = 0;
  uint64_t rel_count = 0;
};

inline constexpr std::string_view kMetaNodeCount = "node_count";
inline constexpr std::string_view kMetaRelCount = "rel_count";

class RocksStore final : public GraphStore {
 public:
  ~RocksStore() override;
  // `env` (tests only, store/fault_injection.h): the file system to use instead of the default one;
  // it must outlive the store.
  static Result<std::unique_ptr<GraphStore>> OpenImpl(const std::string& path, const StoreOptions& options,
                                                      rocksdb::Env* env = nullptr);

  const std::string& path() const override { return path_; }
  const NameResolver& names() const override { return catalog_; }
  const std::string& dated_property() const override { return dated_property_; }
  std::unique_ptr<ReadView> Read() override;
  Result<std::unique_ptr<ReadView>> ReadAsOf(uint64_t record_time) override;
  Result<std::unique_ptr<WriteTxn>> BeginWrite(std::string origin) override;
  Result<std::vector<Version>> NodeHistory(NodeId id) override;
  Result<std::vector<Version>> RelHistory(RelId id) override;
  Result<std::optional<NodeId>> FindNodeEverywhere(std::string_view key) override;
  Result<std::vector<CommitInfo>> Commits(size_t limit) override;
  Result<std::vector<CommitChanges>> ChangeLog(uint64_t after, uint64_t until) override;
  Result<StoreCounts> Counts() override;
  Result<std::optional<std::string>> GetMeta(std::string_view name) override;
  Result<StoreStats> Stats() override;
  Status Compact() override;
  uint64_t last_commit_time() const override { return committed_rt_.load(); }
  size_t topology_cache_bytes() const override;
  void WarmTopologyCache() override;
  bool secondary() const override { return options_.secondary; }
  Result<uint64_t> CatchUp() override;  // store/secondary.cc

  // For the write transaction.
  rocksdb::DB* db() { return db_.get(); }
  const CfHandles* cfs() const { return &cfs_; }
  Catalog* catalog() { return &catalog_; }
  const StoreOptions& options() const { return options_; }
  uint64_t Now() const;
  // Under the writer lock only.
  Counters& counters() { return counters_; }
  std::mutex& writer_mutex() { return writer_mu_; }
  // Held exclusively while a commit is applied and published, shared while a reader takes its
  // snapshot: a snapshot and the record time it is stamped with always agree.
  std::shared_mutex& commit_mutex() { return commit_mu_; }
  std::atomic<uint64_t>& committed_record_time() { return committed_rt_; }
  std::atomic<uint64_t>& node_id_bound() { return node_bound_; }
  // Called by a commit once it is visible: wakes the thread that warms the topology cache.
  void Published();
  // A secondary reads the latest state it caught up to (RocksDB 7.8 has no snapshots there): every
  // read holds this pin, a shared lock that CatchUp() waits for. Null for a primary.
  std::shared_ptr<void> PinForRead();
  // A snapshot of the present; null for a secondary, whose state only moves under CatchUp().
  const rocksdb::Snapshot* TakeSnapshot() { return options_.secondary ? nullptr : db_->GetSnapshot(); }

 private:
  RocksStore() = default;
  Status Load();
  // On an open that may write, upgrades a database of format `version`, older than the build's (once
  // the rest of the open checked out).
  Status Upgrade(uint32_t version);
  // store/secondary.cc: opens `path_` as a secondary instance.
  rocksdb::Status OpenSecondary(const rocksdb::DBOptions& dbo,
                                const std::vector<rocksdb::ColumnFamilyDescriptor>& descs,
                                std::vector<rocksdb::ColumnFamilyHandle*>* handles, rocksdb::DB** db);
  // Forgets indexes that the primary dropped (Load() only adds).
  Status DropVanishedIndexes();
  void RemoveEmptyOldLogs();
  Result<std::shared_ptr<const Overlay>> BuildOverlay(uint64_t as_of, std::unique_ptr<SnapshotSource>* base);
  Result<std::string> OriginAt(uint64_t record_time);
  // A source over the present (a snapshot, or for a secondary its latest state under a pin), with the
  // record time and the node id bound it is of.
  std::unique_ptr<SnapshotSource> Present(uint64_t* rt, uint64_t* bound);
  // The topology cache of the present at record time `rt`: the current one, or a new, empty one when a
  // commit made that stale (the stale one is abandoned). Null when the cache is off or `rt` is no
  // longer the present.
  std::shared_ptr<TopologyCache> TopologyFor(uint64_t rt, uint64_t bound);
  // StoreOptions::topology_cache_in_background: warms each new present until the store closes.
  void WarmLoop();

  std::string path_;
  StoreOptions options_;
  std::string dated_property_;
  std::unique_ptr<rocksdb::DB> db_;
  CfHandles cfs_{};
  // Format 1's subject_time family, opened only to be dropped by Upgrade().
  rocksdb::ColumnFamilyHandle* retired_cf_ = nullptr;
  Catalog catalog_;
  std::mutex writer_mu_;
  Counters counters_;
  std::atomic<uint64_t> committed_rt_{0};
  std::shared_mutex commit_mu_;
  std::atomic<uint64_t> node_bound_{1};
  mutable std::mutex topology_mu_;
  std::shared_ptr<TopologyCache> topology_;
  bool warming_ = false;  // set once, before warmer_ starts
  std::thread warmer_;
  std::mutex warm_mu_;
  std::condition_variable warm_cv_;
  std::atomic<bool> closing_{false};  // set under warm_mu_: the warming thread stops
  std::shared_mutex catchup_mu_;      // secondary: shared by reads, exclusive while catching up
  std::string scratch_dir_;           // secondary: its own log directory, removed on close
  std::string files_seen_;            // secondary: the primary's logs and MANIFEST at the last CatchUp
};

// Starts a transaction on `store`; the caller holds no lock (the transaction takes the writer lock).
Result<std::unique_ptr<WriteTxn>> NewWriteTxn(RocksStore* store, std::string origin);

}  // namespace lodestone::internal
