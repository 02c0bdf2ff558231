#include "tests/fuzz/fuzz_support.h"

#include <atomic>
#include <system_error>

#include <unistd.h>

#include "domain/functions.h"
#include "domain/import.h"

namespace lodestone::fuzz {

const std::filesystem::path& ScratchDir() {
  static const std::filesystem::path dir = [] {
    auto p = std::filesystem::temp_directory_path() / ("lodestone-fuzz-" + std::to_string(::getpid()));
    std::error_code ec;
    std::filesystem::remove_all(p, ec);
    std::filesystem::create_directories(p);
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(ScratchDir(), ignored);
    });
    return p;
  }();
  return dir;
}

std::unique_ptr<Database> NewDatabase() {
  static std::atomic<uint64_t> counter{0};
  auto path = ScratchDir() / ("db-" + std::to_string(counter++));
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  StoreOptions options;
  options.create_if_missing = true;
  // Small caches: fuzz targets open many databases.
  options.block_cache_bytes = size_t{4} << 20;
  options.row_cache_bytes = 0;
  options.topology_cache_bytes = size_t{16} << 20;
  auto db = Database::Open(path.string(), options);
  Check(db.ok(), "a scratch database opens");
  Check(domain::RegisterDomainFunctions((*db)->functions()).ok(), "the domain's functions register");
  return std::move(db).value();
}

Database& SeedDatabase() {
  static std::unique_ptr<Database> db = [] {
    auto d = NewDatabase();
    domain::ImportReport r = domain::LoadSeed(*d, "fuzz seed");
    Check(!r.failed, "the seed loads");
    return d;
  }();
  return *db;
}

QueryOptions SmallLimits() {
  QueryOptions o;
  o.timeout = std::chrono::milliseconds(250);
  o.max_rows = 1000;
  o.max_memory_bytes = uint64_t{16} << 20;
  o.origin = "fuzz";
  return o;
}

}  // namespace lodestone::fuzz
