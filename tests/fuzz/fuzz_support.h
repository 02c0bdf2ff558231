// What the fuzz targets of the upper layers share: a scratch directory removed at exit, and databases
// in it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "query/database.h"
#include "tests/fuzz/fuzz_check.h"

namespace lodestone::fuzz {

// The scratch directory of this process (created on first use, removed at exit).
const std::filesystem::path& ScratchDir();
// A new, empty database in the scratch directory. Aborts if it cannot be created.
std::unique_ptr<Database> NewDatabase();
// A database holding the seed, the commodities and the dataset, created once per process.
Database& SeedDatabase();
// The options every statement run by a fuzz target gets: small row, memory and time limits.
QueryOptions SmallLimits();

}  // namespace lodestone::fuzz
