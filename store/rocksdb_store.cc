#include "store/rocksdb_store.h"

#include <chrono>
#include <filesystem>
#include <map>
#include <system_error>

#include <rocksdb/cache.h>
#include <rocksdb/convenience.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/transaction_log.h>

#include "store/index_entries.h"
#include "store/read_view.h"

namespace lodestone {

Result<std::unique_ptr<GraphStore>> GraphStore::Open(const std::string& path, const StoreOptions& options) {
  return internal::RocksStore::OpenImpl(path, options);
}

namespace {

bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t j = 1; j < n; ++j) {
      if ((static_cast<unsigned char>(s[i + j]) >> 6) != 0x2) return false;
    }
    i += n;
  }
  return true;
}

}  // namespace

Status ValidateNodeKey(std::string_view key) {
  constexpr size_t kMaxKeyBytes = 512;
  if (key.empty()) return Status::InvalidArgument("a node key must not be empty");
  if (key.size() > kMaxKeyBytes) {
    return Status::InvalidArgument("node key '" + std::string(key.substr(0, 40)) + "...' is " +
                                   std::to_string(key.size()) + " bytes; keys are at most " +
                                   std::to_string(kMaxKeyBytes));
  }
  for (char c : key) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == ' ') {
      return Status::InvalidArgument("node key '" + std::string(key) +
                                     "' contains a space or control character; keys look like 'actor/china'");
    }
  }
  if (!ValidUtf8(key)) return Status::InvalidArgument("node key is not valid UTF-8");
  return Status::OK();
}

Status ValidateName(std::string_view what, std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("a " + std::string(what) + " name must not be empty");
  if (name.size() > 256)
    return Status::InvalidArgument("a " + std::string(what) + " name is at most 256 bytes");
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      return Status::InvalidArgument("the " + std::string(what) + " name '" + std::string(name) +
                                     "' contains a control character");
    }
  }
  if (!ValidUtf8(name)) return Status::InvalidArgument("a " + std::string(what) + " name is not valid UTF-8");
  return Status::OK();
}

Status ValidateValidity(const Validity& v) {
  for (size_t i = 0; i < v.size(); ++i) {
    const Period& p = v[i];
    if (p.from && p.to && p.from->start_day() > p.to->start_day()) {
      return Status::InvalidArgument("valid time ends (" + p.to->ToString() + ") before it starts (" +
                                     p.from->ToString() + ")");
    }
    if (i > 0) {
      const Period& prev = v[i - 1];
      if (!prev.to || !p.from || p.from->start_day() < prev.to->start_day()) {
        return Status::InvalidArgument("valid-time periods must be in order and must not overlap");
      }
    }
  }
  return Status::OK();
}

namespace internal {
namespace {

rocksdb::ColumnFamilyOptions CfOptions(Cf cf, const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions o;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = cache;
  t.format_version = 5;
  // Filters serve point reads (whole keys) and prefix seeks (prefix_extractor below). The time index
  // and the property indexes are only ever scanned: the first needs no filter, the others only their
  // prefixes' (a tenth of the entries, or less).
  if (cf != Cf::kTime) t.filter_policy.reset(rocksdb::NewRibbonFilterPolicy(10));
  t.whole_key_filtering = cf != Cf::kPropIdx;
  // A filter only saves work on a lookup that finds nothing. In the bottom level, where most of the
  // data sits, that is worth its cost only where lookups are expected to miss and are not answered
  // from memory: a node key (every import checks its new keys). A label test on a node without the
  // label misses too, but the present graph's label tests are answered from the topology cache's
  // bitmaps; only past views and a cache over its budget ask RocksDB, where a miss then costs a read
  // of a block the cache mostly holds. Its filter cost a load of 10M relationships about 0.7 s of
  // CPU and 3.4 MB of disk. Elsewhere lookups hit (nodes and relationships by id) or scan prefixes
  // that nearly every node has (its adjacency, its time entries). So bottom-level files go without
  // filters but the node keys'; upper levels keep theirs, where they let reads skip the many small
  // files that do not hold a key.
  o.optimize_filters_for_hits = cf != Cf::kNodeKey;
  // 16 KiB blocks rather than 4: they compress better (about 12% less on disk) and cost less to
  // build and index; a point lookup finds its entry in a block by hash (below) or by binary search.
  t.block_size = 16 * 1024;
  // Point lookups (nodes by id, keys, a label's membership) find their entry inside a data block by
  // hash instead of a binary search. Not the adjacency: it is read by prefix scans (and from the
  // topology cache); a relationship's record is its one point lookup, and there the hash index would
  // cost a byte per entry that does not compress (about a tenth of the adjacency on disk) to save
  // under a tenth of that lookup's time.
  if (cf == Cf::kNode || cf == Cf::kNodeKey || cf == Cf::kLabel) {
    t.data_block_index_type = rocksdb::BlockBasedTableOptions::kDataBlockBinaryAndHash;
  }
  size_t prefix = 0;
  switch (cf) {
    case Cf::kLabel:
      prefix = 4;
      break;
    case Cf::kAdj:
    case Cf::kPropIdx:
      prefix = 8;
      break;
    case Cf::kHistory:
      prefix = 9;
      break;
    default:
      break;
  }
  if (prefix) {
    o.prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(prefix));
    o.memtable_prefix_bloom_size_ratio = 0.05;
  }
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  auto supported = rocksdb::GetSupportedCompressions();
  auto has = [&](rocksdb::CompressionType c) {
    return std::find(supported.begin(), supported.end(), c) != supported.end();
  };
  if (has(rocksdb::kLZ4Compression)) o.compression = rocksdb::kLZ4Compression;
  if (has(rocksdb::kZSTD)) o.bottommost_compression = rocksdb::kZSTD;
  o.level_compaction_dynamic_level_bytes = true;
  o.write_buffer_size = size_t{32} << 20;
  return o;
}

// The stored format version as a number; 0 when it is not one.
uint32_t ParseFormatVersion(const std::string& text) {
  bool digits =
      !text.empty() && text.size() <= 9 && text.find_first_not_of("0123456789") == std::string::npos;
  return digits ? static_cast<uint32_t>(std::stoul(text)) : 0;
}

// The stored format version as a number, when this build reads it (layout::kFormatVersion).
Result<uint32_t> CheckFormat(const std::string& path, const std::string& version) {
  uint32_t v = ParseFormatVersion(version);
  if (v >= layout::kOldestFormatVersion && v <= layout::kFormatVersion) return v;
  return Status::Unsupported("the database at " + path + " has format version " + version +
                             "; this build of lodestone reads format versions " +
                             std::to_string(layout::kOldestFormatVersion) + " to " +
                             std::to_string(layout::kFormatVersion) +
                             (v > layout::kFormatVersion ? " (a newer lodestone wrote it)" : ""));
}

// The format version of a database that lacks a column family this build expects, read through its
// meta family alone; empty when it has none (then it is not a Lodestone database).
std::string FormatVersionOf(const rocksdb::DBOptions& dbo, const std::string& path) {
  std::vector<rocksdb::ColumnFamilyDescriptor> meta = {{layout::kCfMeta, rocksdb::ColumnFamilyOptions()}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  std::string version;
  if (!rocksdb::DB::OpenForReadOnly(dbo, path, meta, &handles, &raw).ok()) return version;
  if (!raw->Get(rocksdb::ReadOptions(), handles[0], std::string(layout::kMetaFormatVersion), &version).ok())
    version.clear();
  for (auto* h : handles) raw->DestroyColumnFamilyHandle(h);
  delete raw;
  return version;
}

// Why an open failed; for damaged files, also what to do about it.
Status OpenFailed(const rocksdb::Status& s, const std::string& path) {
  Status st = FromRocks(s, "opening " + path);
  if (st.code() != Status::Code::kCorruption) return st;
  return Status::Corruption(st.message() +
                            ". The database's files are damaged (a disk fault, or a file changed by "
                            "something other than lodestone); nothing was changed. Restore the latest "
                            "backup into a new directory (`lodestone --db NEW_DIR restore BACKUP_DIR`, "
                            "docs/operations.md) and keep the damaged directory for inspection");
}

bool IsRocksDbDir(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::exists(p / "CURRENT", ec);
}

}  // namespace

RocksStore::~RocksStore() {
  if (warmer_.joinable()) {
    {
      std::lock_guard lock(warm_mu_);  // a warmer between its test and its wait sees it
      closing_ = true;
    }
    warm_cv_.notify_one();
    {
      std::lock_guard lock(topology_mu_);  // a cache made after this sees closing_ (TopologyFor)
      if (topology_) topology_->Abandon();
    }
    warmer_.join();
  }
  if (db_) {
    for (auto* h : cfs_) {
      if (h) db_->DestroyColumnFamilyHandle(h);
    }
    if (retired_cf_) db_->DestroyColumnFamilyHandle(retired_cf_);
    db_->Close();
  }
  db_.reset();
  if (!scratch_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(scratch_dir_, ec);
  }
}

uint64_t RocksStore::Now() const {
  if (options_.clock) return options_.clock();
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

Result<std::unique_ptr<GraphStore>> RocksStore::OpenImpl(const std::string& path, const StoreOptions& options,
                                                         rocksdb::Env* env) {
  namespace fs = std::filesystem;
  std::error_code ec;
  bool exists = fs::exists(path, ec);
  bool is_db = exists && IsRocksDbDir(path);
  if (!exists && !options.create_if_missing) {
    return Status::NotFound("there is no database at " + path + "; create one with `lodestone --db " + path +
                            " init`");
  }
  if (exists && !fs::is_directory(path, ec)) {
    return Status::InvalidArgument(path + " is a file, not a database directory");
  }
  if (exists && !is_db && !fs::is_empty(path, ec)) {
    return Status::InvalidArgument(path + " is a directory that holds other files, not a Lodestone database");
  }
  bool creating = !is_db;
  if (creating && (options.read_only || options.secondary)) {
    return Status::NotFound("there is no database at " + path);
  }

  std::unique_ptr<RocksStore> store(new RocksStore());
  store->path_ = path;
  store->options_ = options;
  if (options.secondary) store->options_.read_only = true;

  rocksdb::DBOptions dbo;
  if (env) dbo.env = env;
  dbo.create_if_missing = creating;
  // A write-ahead log damaged in its middle is an error at open (RocksDB's default would replay up to
  // the damage and silently drop every later commit); only an incomplete last record, which a power
  // loss before the log was synced leaves, is tolerated and dropped (tests/store/disk_fault_test.cc).
  dbo.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  dbo.create_missing_column_families = creating;
  dbo.max_background_jobs = 2;
  dbo.keep_log_file_num = 3;
  dbo.max_open_files = 512;
  dbo.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  // Point reads of hot entries (nodes by id, keys) skip the block search with RocksDB's row cache.
  // Not on a read-only open: there, RocksDB 7.8 answers point reads that go through the row cache
  // with "not found" (tests/store: ReadOnlyOpenReadsEverything).
  if (options.row_cache_bytes > 0 && !store->options_.read_only) {
    dbo.row_cache = rocksdb::NewLRUCache(options.row_cache_bytes);
  }
  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  for (int i = 0; i < kCfCount; ++i) {
    descs.emplace_back(CfName(static_cast<Cf>(i)), CfOptions(static_cast<Cf>(i), cache));
  }
  if (!creating) {
    std::vector<std::string> present;
    rocksdb::Status ls = rocksdb::DB::ListColumnFamilies(dbo, path, &present);
    if (!ls.ok()) return OpenFailed(ls, path);
    for (const auto& d : descs) {
      if (std::find(present.begin(), present.end(), d.name) == present.end()) {
        // A newer format may have retired that family: say so rather than "not a Lodestone database".
        std::string version = FormatVersionOf(dbo, path);
        if (!version.empty()) RETURN_IF_ERROR(CheckFormat(path, version).status());
        return Status::InvalidArgument(path + " is a RocksDB database but not a Lodestone one (it has no '" +
                                       d.name + "' column family)");
      }
    }
    // A format-1 database (or one whose upgrade stopped before dropping it) has a family that format 2
    // retired. An open that writes must open every family, and drops it in Load(); one that only reads
    // leaves it out.
    bool retired = std::find(present.begin(), present.end(), layout::kCfRetiredSubjectTime) != present.end();
    if (retired && !store->options_.read_only) {
      descs.emplace_back(layout::kCfRetiredSubjectTime, rocksdb::ColumnFamilyOptions());
    }
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = options.secondary   ? store->OpenSecondary(dbo, descs, &handles, &raw)
                      : options.read_only ? rocksdb::DB::OpenForReadOnly(dbo, path, descs, &handles, &raw)
                                          : rocksdb::DB::Open(dbo, path, descs, &handles, &raw);
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
      return Status::Busy(
          "the database at " + path +
          " is in use by another lodestone process (for example `lodestone serve`); commands "
          "that read work beside it, imports go to a server with `lodestone import FILE --server "
          "URL --token-file FILE`, other writes need it stopped");
    }
    return OpenFailed(s, path);
  }
  store->db_.reset(raw);
  for (size_t i = 0; i < handles.size(); ++i) {
    if (i < store->cfs_.size()) {
      store->cfs_[i] = handles[i];
    } else {
      store->retired_cf_ = handles[i];
    }
  }

  if (creating) {
    rocksdb::WriteBatch b;
    b.Put(store->cfs_[0], std::string(layout::kMetaFormatVersion), std::to_string(layout::kFormatVersion));
    b.Put(store->cfs_[0], std::string(layout::kMetaDatedProperty),
          options.dated_property.value_or(std::string(layout::kDefaultDatedProperty)));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    RETURN_IF_ERROR(FromRocks(store->db_->Write(wo, &b), "creating " + path));
  }
  RETURN_IF_ERROR(store->Load());
  if (!store->options_.read_only) store->RemoveEmptyOldLogs();
  if (store->options_.topology_cache_in_background && store->options_.topology_cache_bytes > 0 &&
      !store->options_.secondary) {
    store->warming_ = true;
    store->warmer_ = std::thread([s = store.get()] { s->WarmLoop(); });
  }
  return std::unique_ptr<GraphStore>(std::move(store));
}

// Every open creates a write-ahead log; RocksDB 7.8 keeps the empty ones of earlier opens for good
// (fixed upstream in 8.3), so a database opened once per CLI command would collect an empty file per
// command. Those logs hold no record to recover; they are removed once this process holds the
// database's lock. The log this open writes to is newer than all of them and stays.
void RocksStore::RemoveEmptyOldLogs() {
  std::unique_ptr<rocksdb::LogFile> current;
  if (!db_->GetCurrentWalFile(&current).ok() || !current) return;
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::directory_iterator it(path_, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::directory_entry& e = *it;
    // Log files are named by their number: 000123.log.
    const std::string name = e.path().filename().string();
    if (name.size() < 5 || name.size() > 23) continue;  // 1 to 19 digits, then ".log"
    const size_t digits = name.size() - 4;
    if (name.compare(digits, 4, ".log") != 0 || name.find_first_not_of("0123456789") != digits) continue;
    uint64_t number = std::stoull(name.substr(0, digits));
    std::error_code size_ec;
    if (number < current->LogNumber() && e.is_regular_file(size_ec) && e.file_size(size_ec) == 0 &&
        !size_ec) {
      fs::remove(e.path(), size_ec);
    }
  }
}

Status RocksStore::Upgrade(uint32_t v) {
  if (options_.read_only) return Status::OK();  // what an upgrade removes, this build never reads
  auto raise_to = [&](uint32_t to) {
    rocksdb::WriteBatch b;
    b.Put(cfs_[0], std::string(layout::kMetaFormatVersion), std::to_string(to));
    rocksdb::WriteOptions wo;
    wo.sync = true;
    return FromRocks(db_->Write(wo, &b), "upgrading " + path_ + " to format version " + std::to_string(to));
  };
  // 1 to 2: the subject_time family goes. The version is raised first, so that a stop between the two
  // steps leaves a format-2 database with a family that the next open drops (and that an older build
  // refuses rather than reads without its timelines).
  if (v < 2) RETURN_IF_ERROR(raise_to(2));
  if (retired_cf_) {
    RETURN_IF_ERROR(FromRocks(db_->DropColumnFamily(retired_cf_),
                              "dropping format 1's subject_time column family of " + path_));
    db_->DestroyColumnFamilyHandle(retired_cf_);
    retired_cf_ = nullptr;
  }
  // 2 to 3: a format-2 database is a format-3 one without adjacency chunks. The version is raised so
  // that builds that do not read chunks refuse it once a bulk load may have written some.
  if (v < 3) RETURN_IF_ERROR(raise_to(3));
  return Status::OK();
}

Status RocksStore::Load() {
  SnapshotSource src(db_.get(), &cfs_, nullptr);
  std::string format_version;
  bool found;
  RETURN_IF_ERROR(src.Get(Cf::kMeta, layout::kMetaFormatVersion, &format_version, &found));
  if (!found)
    return Status::InvalidArgument(path_ +
                                   " is a RocksDB database but not a Lodestone one (no format version)");
  ASSIGN_OR_RETURN(const uint32_t format, CheckFormat(path_, format_version));
  auto read_u64 = [&](std::string_view name, uint64_t* out) -> Status {
    std::string value;
    bool f;
    RETURN_IF_ERROR(src.Get(Cf::kMeta, name, &value, &f));
    if (!f) return Status::OK();
    if (value.size() != 8) return Status::Corruption("meta value '" + std::string(name) + "' is malformed");
    *out = layout::GetU64(value.data());
    return Status::OK();
  };
  RETURN_IF_ERROR(src.Get(Cf::kMeta, layout::kMetaDatedProperty, &dated_property_, &found));
  if (!found) dated_property_ = std::string(layout::kDefaultDatedProperty);
  if (options_.dated_property && *options_.dated_property != dated_property_) {
    return Status::InvalidArgument("the database at " + path_ + " was created with the dated property '" +
                                   dated_property_ + "'; it cannot be opened with '" +
                                   *options_.dated_property + "'");
  }
  RETURN_IF_ERROR(read_u64(layout::kMetaNextNodeId, &counters_.next_node_id));
  RETURN_IF_ERROR(read_u64(layout::kMetaNextRelId, &counters_.next_rel_id));
  RETURN_IF_ERROR(read_u64(layout::kMetaLastRecordTime, &counters_.last_record_time));
  RETURN_IF_ERROR(read_u64(kMetaNodeCount, &counters_.node_count));
  RETURN_IF_ERROR(read_u64(kMetaRelCount, &counters_.rel_count));
  committed_rt_.store(counters_.last_record_time);
  node_bound_.store(counters_.next_node_id);

  auto it = src.Scan(Cf::kCatalog, "", "");
  for (; it->Valid(); it->Next()) {
    std::string_view k = it->key(), val = it->value();
    if (k.empty()) return Status::Corruption("empty catalog key");
    char tag = k[0];
    if (tag == layout::kCatalogIndex) {
      if (k.size() != 9 || val.size() != 1) return Status::Corruption("malformed index declaration");
      catalog_.LoadIndex({layout::GetU32(k.data() + 1), layout::GetU32(k.data() + 5),
                          static_cast<Value::Kind>(static_cast<uint8_t>(val[0]))});
      continue;
    }
    if (val.size() != 4) return Status::Corruption("malformed catalog entry");
    NameKind kind;
    if (tag == layout::kCatalogLabel) {
      kind = NameKind::kLabel;
    } else if (tag == layout::kCatalogRelType) {
      kind = NameKind::kRelType;
    } else if (tag == layout::kCatalogPropKey) {
      kind = NameKind::kPropKey;
    } else {
      return Status::Corruption("unknown catalog entry kind");
    }
    catalog_.Load(kind, std::string(k.substr(1)), layout::GetU32(val.data()));
  }
  RETURN_IF_ERROR(it->status());
  // Only once everything else checked out: an open that fails changes nothing.
  return Upgrade(format);
}

std::unique_ptr<SnapshotSource> RocksStore::Present(uint64_t* rt, uint64_t* bound) {
  const rocksdb::Snapshot* snapshot;
  auto pin = PinForRead();
  {
    std::shared_lock lock(commit_mu_);
    *rt = committed_rt_.load();
    *bound = node_bound_.load();
    snapshot = TakeSnapshot();
  }
  auto source = std::make_unique<SnapshotSource>(db_.get(), &cfs_, snapshot);
  source->set_pin(std::move(pin));
  return source;
}

std::shared_ptr<TopologyCache> RocksStore::TopologyFor(uint64_t rt, uint64_t bound) {
  if (options_.topology_cache_bytes == 0) return nullptr;
  std::lock_guard lock(topology_mu_);
  if ((!topology_ || topology_->version() != rt) && rt == committed_rt_.load()) {
    TopologyCache::Estimates estimates;
    // Two adjacency entries a relationship, as last committed (the family's key count is no measure
    // since chunks hold many entries under one key).
    std::string rels;
    if (db_->Get(rocksdb::ReadOptions(), cfs_[static_cast<size_t>(Cf::kMeta)], std::string(kMetaRelCount),
                 &rels)
            .ok() &&
        rels.size() == 8) {
      estimates.adj_entries = 2 * layout::GetU64(rels.data());
    }
    db_->GetIntProperty(cfs_[static_cast<size_t>(Cf::kNodeKey)], rocksdb::DB::Properties::kEstimateNumKeys,
                        &estimates.keys);
    if (topology_) topology_->Abandon();  // stale: builds still running for it stop
    topology_ =
        std::make_shared<TopologyCache>(rt, bound, options_.topology_cache_bytes, estimates, warming_);
    if (closing_) topology_->Abandon();  // the warming thread is stopping: it builds nothing more
  }
  return topology_ && topology_->version() == rt ? topology_ : nullptr;
}

std::unique_ptr<ReadView> RocksStore::Read() {
  uint64_t rt, bound;
  auto source = Present(&rt, &bound);
  auto view = std::make_unique<GraphReadView>(std::move(source), &catalog_, dated_property_, rt);
  if (auto topology = TopologyFor(rt, bound)) view->set_topology(std::move(topology));
  return view;
}

void RocksStore::WarmTopologyCache() {
  uint64_t rt, bound;
  auto source = Present(&rt, &bound);
  auto topology = TopologyFor(rt, bound);
  if (!topology) return;
  std::vector<LabelId> labels(catalog_.LabelNames().size());
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<LabelId>(i);
  topology->Warm(source.get(), labels);
}

void RocksStore::Published() {
  if (!warming_) return;
  { std::lock_guard lock(warm_mu_); }  // a warmer between its test and its wait sees the new time
  warm_cv_.notify_one();
}

void RocksStore::WarmLoop() {
  uint64_t warmed = UINT64_MAX;
  std::unique_lock lock(warm_mu_);
  for (;;) {
    warm_cv_.wait(lock, [&] { return closing_.load() || committed_rt_.load() != warmed; });
    if (closing_.load()) return;
    warmed = committed_rt_.load();
    lock.unlock();
    WarmTopologyCache();
    lock.lock();
  }
}

size_t RocksStore::topology_cache_bytes() const {
  std::lock_guard lock(topology_mu_);
  return topology_ ? topology_->bytes() : 0;
}

Result<std::shared_ptr<const Overlay>> RocksStore::BuildOverlay(uint64_t as_of,
                                                                std::unique_ptr<SnapshotSource>* base) {
  auto pin = PinForRead();
  *base = std::make_unique<SnapshotSource>(db_.get(), &cfs_, TakeSnapshot());
  (*base)->set_pin(std::move(pin));
  SnapshotSource& src = **base;
  GraphReadView present(&src, &catalog_, dated_property_, committed_rt_.load());
  auto overlay = std::make_shared<Overlay>();
  overlay->as_of = as_of;

  // Which entities changed after as_of.
  auto log = src.Scan(Cf::kLog, layout::LogKey(as_of + 1), "");
  for (; log->Valid(); log->Next()) {
    ChangeRecord c;
    RETURN_IF_ERROR(codec::DecodeChange(log->value(), &c));
    overlay->changed_nodes.insert(c.nodes.begin(), c.nodes.end());
    overlay->changed_rels.insert(c.rels.begin(), c.rels.end());
  }
  RETURN_IF_ERROR(log->status());

  // The version of an entity that was current at as_of, from history: the newest version recorded at
  // or before as_of, if it had not ended by then.
  auto version_then = [&](char kind, uint64_t id, std::string* bytes) -> Result<bool> {
    std::string prefix = layout::HistoryPrefix(kind, id);
    auto it = src.Scan(Cf::kHistory, layout::HistoryKey(kind, id, as_of), layout::PrefixSuccessor(prefix));
    if (!it->Valid()) {
      RETURN_IF_ERROR(it->status());
      return false;
    }
    std::string_view v = it->value();
    if (v.size() < 8) return Status::Corruption("malformed history entry");
    if (layout::GetU64(v.data()) <= as_of) return false;  // ended (deleted) by as_of
    bytes->assign(v.substr(8));
    return true;
  };

  auto date_key = catalog_.FindPropKey(dated_property_);
  auto date_of = [&](const NodeRecord& r) { return layout::DateOf(r, date_key); };
  auto indexed = [&](LabelId l, PropKeyId k) { return catalog_.FindIndex(l, k).has_value(); };
  auto& entries = overlay->entries;
  auto put = [&](Cf cf, std::string_view key, std::string_view value) {
    entries[static_cast<int>(cf)].insert_or_assign(std::string(key), std::string(value));
  };

  for (NodeId id : overlay->changed_nodes) {
    std::string bytes;
    ASSIGN_OR_RETURN(bool existed, version_then(layout::kHistoryNode, id, &bytes));
    NodeRecord now;
    ASSIGN_OR_RETURN(bool exists_now, present.GetNode(id, &now));
    if (exists_now && now.record_time <= as_of) {
      existed = true;
      bytes = codec::EncodeNode(now);
    }
    if (!existed) continue;
    NodeRecord r;
    RETURN_IF_ERROR(codec::DecodeNode(bytes, &r));
    put(Cf::kNode, layout::NodeKey(id), bytes);
    layout::ForEachNodeEntry(id, r, date_of(r), indexed, put);
  }

  for (RelId id : overlay->changed_rels) {
    std::string bytes;
    ASSIGN_OR_RETURN(bool existed, version_then(layout::kHistoryRel, id, &bytes));
    if (!existed) continue;
    if (bytes.size() < 20) return Status::Corruption("malformed relationship history entry");
    RelRef rel{id, layout::GetU64(bytes.data()), layout::GetU64(bytes.data() + 12),
               layout::GetU32(bytes.data() + 8)};
    layout::ForEachRelEntry(rel, std::string_view(bytes).substr(20), put);
  }
  return std::shared_ptr<const Overlay>(std::move(overlay));
}

Result<std::unique_ptr<ReadView>> RocksStore::ReadAsOf(uint64_t record_time) {
  if (record_time >= committed_rt_.load()) return Read();
  std::unique_ptr<SnapshotSource> base;
  ASSIGN_OR_RETURN(auto overlay, BuildOverlay(record_time, &base));
  auto source = std::make_unique<PastSource>(std::move(base), std::move(overlay));
  return std::unique_ptr<ReadView>(
      std::make_unique<GraphReadView>(std::move(source), &catalog_, dated_property_, record_time));
}

Result<std::unique_ptr<WriteTxn>> RocksStore::BeginWrite(std::string origin) {
  if (options_.secondary) {
    return Status::Busy(
        "the database at " + path_ +
        " is in use by another lodestone process, and this one only reads beside it; send the "
        "data to that server (`lodestone import FILE --server URL --token-file FILE`), or stop "
        "it and write again");
  }
  return NewWriteTxn(this, std::move(origin));
}

Result<std::string> RocksStore::OriginAt(uint64_t record_time) {
  std::string v;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), cfs_[static_cast<int>(Cf::kLog)], layout::LogKey(record_time), &v);
  if (s.IsNotFound()) return std::string();
  RETURN_IF_ERROR(FromRocks(s, "reading the change log"));
  ChangeRecord c;
  RETURN_IF_ERROR(codec::DecodeChange(v, &c));
  return c.origin;
}

namespace {

// Fills from/to/deleted of history versions listed newest first after an optional current version.
void LinkVersions(std::vector<Version>* versions) {
  for (size_t i = 0; i < versions->size(); ++i) {
    Version& v = (*versions)[i];
    if (!v.to_record_time) continue;
    v.deleted_after = i == 0 || (*versions)[i - 1].from_record_time != *v.to_record_time;
  }
}

}  // namespace

Result<std::vector<Version>> RocksStore::NodeHistory(NodeId id) {
  SnapshotSource src(db_.get(), &cfs_, TakeSnapshot());
  src.set_pin(PinForRead());
  GraphReadView view(&src, &catalog_, dated_property_, committed_rt_.load());
  std::vector<Version> out;
  NodeRecord cur;
  ASSIGN_OR_RETURN(bool exists, view.GetNode(id, &cur));
  if (exists) {
    Version v;
    v.from_record_time = cur.record_time;
    v.node = std::move(cur);
    out.push_back(std::move(v));
  }
  std::string prefix = layout::HistoryPrefix(layout::kHistoryNode, id);
  auto it = src.Scan(Cf::kHistory, prefix, layout::PrefixSuccessor(prefix));
  for (; it->Valid(); it->Next()) {
    std::string_view k = it->key(), val = it->value();
    if (k.size() != 17 || val.size() < 8) return Status::Corruption("malformed history entry");
    Version v;
    v.from_record_time = ~layout::GetU64(k.data() + 9);
    v.to_record_time = layout::GetU64(val.data());
    NodeRecord r;
    RETURN_IF_ERROR(codec::DecodeNode(val.substr(8), &r));
    v.node = std::move(r);
    out.push_back(std::move(v));
  }
  RETURN_IF_ERROR(it->status());
  LinkVersions(&out);
  for (Version& v : out) {
    ASSIGN_OR_RETURN(v.origin, OriginAt(v.from_record_time));
  }
  return out;
}

Result<std::vector<Version>> RocksStore::RelHistory(RelId id) {
  SnapshotSource src(db_.get(), &cfs_, TakeSnapshot());
  src.set_pin(PinForRead());
  std::vector<Version> out;
  std::string prefix = layout::HistoryPrefix(layout::kHistoryRel, id);
  auto it = src.Scan(Cf::kHistory, prefix, layout::PrefixSuccessor(prefix));
  std::optional<RelRef> ref;
  for (; it->Valid(); it->Next()) {
    std::string_view k = it->key(), val = it->value();
    if (k.size() != 17 || val.size() < 28) return Status::Corruption("malformed history entry");
    Version v;
    v.from_record_time = ~layout::GetU64(k.data() + 9);
    v.to_record_time = layout::GetU64(val.data());
    v.rel_ref = {id, layout::GetU64(val.data() + 8), layout::GetU64(val.data() + 20),
                 layout::GetU32(val.data() + 16)};
    ref = v.rel_ref;
    RelRecord r;
    RETURN_IF_ERROR(codec::DecodeRel(val.substr(28), &r));
    v.rel = std::move(r);
    out.push_back(std::move(v));
  }
  RETURN_IF_ERROR(it->status());
  return out;  // the caller adds the current version (it knows the relationship's ends)
}

Result<std::optional<NodeId>> RocksStore::FindNodeEverywhere(std::string_view key) {
  SnapshotSource src(db_.get(), &cfs_, TakeSnapshot());
  src.set_pin(PinForRead());
  std::string v;
  bool found;
  RETURN_IF_ERROR(src.Get(Cf::kNodeKey, key, &v, &found));
  if (!found) RETURN_IF_ERROR(src.Get(Cf::kNodeKey, std::string(1, '\0') + std::string(key), &v, &found));
  if (!found) return std::optional<NodeId>();
  if (v.size() != 8) return Status::Corruption("malformed key index entry");
  return std::optional<NodeId>(layout::GetU64(v.data()));
}

Result<std::vector<CommitInfo>> RocksStore::Commits(size_t limit) {
  std::vector<CommitInfo> out;
  auto pin = PinForRead();
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), cfs_[static_cast<int>(Cf::kLog)]));
  for (it->SeekToLast(); it->Valid() && out.size() < limit; it->Prev()) {
    if (it->key().size() != 8) return Status::Corruption("malformed change log key");
    ChangeRecord c;
    RETURN_IF_ERROR(codec::DecodeChange(std::string_view(it->value().data(), it->value().size()), &c));
    out.push_back({layout::GetU64(it->key().data()), c.origin, c.nodes.size(), c.rels.size()});
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "reading the change log"));
  return out;
}

Result<std::vector<CommitChanges>> RocksStore::ChangeLog(uint64_t after, uint64_t until) {
  std::vector<CommitChanges> out;
  if (until <= after) return out;
  SnapshotSource src(db_.get(), &cfs_, TakeSnapshot());
  src.set_pin(PinForRead());
  auto it = src.Scan(Cf::kLog, layout::LogKey(after + 1),
                     until == UINT64_MAX ? std::string() : layout::LogKey(until + 1));
  for (; it->Valid(); it->Next()) {
    if (it->key().size() != 8) return Status::Corruption("malformed change log key");
    ChangeRecord c;
    RETURN_IF_ERROR(codec::DecodeChange(it->value(), &c));
    out.push_back(
        {layout::GetU64(it->key().data()), std::move(c.origin), std::move(c.nodes), std::move(c.rels)});
  }
  RETURN_IF_ERROR(it->status());
  return out;
}

Result<StoreCounts> RocksStore::Counts() {
  StoreCounts c;
  SnapshotSource src(db_.get(), &cfs_, nullptr);
  src.set_pin(PinForRead());
  // The counters as last committed, read from disk: the writer's lock may be held for a long time.
  for (auto [name, out] : {std::pair{kMetaNodeCount, &c.nodes}, std::pair{kMetaRelCount, &c.relationships},
                           std::pair{layout::kMetaLastRecordTime, &c.last_record_time}}) {
    std::string v;
    bool found;
    RETURN_IF_ERROR(src.Get(Cf::kMeta, name, &v, &found));
    if (found && v.size() == 8) *out = layout::GetU64(v.data());
  }
  return c;
}

Result<std::optional<std::string>> RocksStore::GetMeta(std::string_view name) {
  if (!layout::IsAppMetaName(name)) {
    return Status::InvalidArgument(
        "meta names of the layers above the store start with 'app.' (at most 64 bytes)");
  }
  SnapshotSource src(db_.get(), &cfs_, nullptr);
  src.set_pin(PinForRead());
  std::string v;
  bool found;
  RETURN_IF_ERROR(src.Get(Cf::kMeta, name, &v, &found));
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(std::move(v));
}

Result<StoreStats> RocksStore::Stats() {
  StoreStats st;
  ASSIGN_OR_RETURN(StoreCounts counts, Counts());
  st.nodes = counts.nodes;
  st.relationships = counts.relationships;
  st.last_record_time = counts.last_record_time;
  SnapshotSource src(db_.get(), &cfs_, nullptr);
  src.set_pin(PinForRead());
  auto non_empty = [](const std::vector<std::string>& v) {
    return static_cast<uint64_t>(
        std::count_if(v.begin(), v.end(), [](const std::string& s) { return !s.empty(); }));
  };
  st.labels = non_empty(catalog_.LabelNames());
  st.relationship_types = non_empty(catalog_.RelTypeNames());
  st.property_keys = non_empty(catalog_.PropKeyNames());
  st.indexes = catalog_.Indexes().size();
  for (auto [cf, counter] : {std::pair{Cf::kHistory, &st.versions}, std::pair{Cf::kLog, &st.commits}}) {
    auto it = src.Scan(cf, "", "");
    for (; it->Valid(); it->Next()) ++*counter;
    RETURN_IF_ERROR(it->status());
  }
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(path_, ec)) {
    if (e.is_regular_file(ec)) st.disk_bytes += e.file_size(ec);
  }
  return st;
}

Status RocksStore::Compact() {
  if (options_.read_only) return Status::OK();
  std::vector<rocksdb::ColumnFamilyHandle*> handles(cfs_.begin(), cfs_.end());
  RETURN_IF_ERROR(FromRocks(db_->Flush(rocksdb::FlushOptions(), handles), "flushing"));
  for (auto* h : handles) {
    rocksdb::CompactRangeOptions o;
    o.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    RETURN_IF_ERROR(FromRocks(db_->CompactRange(o, h, nullptr, nullptr), "compacting"));
  }
  return Status::OK();
}

}  // namespace internal
}  // namespace lodestone
