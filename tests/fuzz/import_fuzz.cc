// Fuzz targets: import text -> check -> write (docs/fuzzing.md). One source, three targets:
//
//   import_record_fuzz   one JSON Lines record, checked (dry run) against a database holding the seed;
//   import_jsonl_fuzz    a whole JSON Lines file: checked against the seed database, and when the
//                        check passes, written to a fresh scratch database, then imported again there;
//   import_csv_fuzz      a CSV file with a mapping file, checked against the seed database; the input
//                        is the mapping, a line "====", then the CSV (no such line: event CSV).
//
// Problems are expected; crashes, sanitizer reports and broken guarantees are not: a failed import
// writes nothing, and importing the same file twice changes nothing the second time.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/import.h"
#include "tests/fuzz/fuzz_support.h"

namespace lodestone::fuzz {
namespace {

domain::ImportOptions DryRun() {
  domain::ImportOptions o;
  o.dry_run = true;
  o.origin = "fuzz";
  o.allow_bulk = false;
  return o;
}

void CheckReport(const domain::ImportReport& r, bool dry_run) {
  if (dry_run) Check(!r.committed, "a dry run writes nothing");
  if (r.failed) {
    Check(!r.committed, "a failed import writes nothing");
    Check(!r.problems.empty(), "a failed import says why");
  }
  for (const auto& p : r.problems) Check(!p.message.empty(), "every problem has a message");
}

#if defined(LODESTONE_FUZZ_RECORD)
int One(std::string_view in) {
  if (in.size() > 4096 || in.find('\n') != std::string_view::npos) return -1;
  domain::ImportInput input{"record.jsonl", std::string(in), domain::InputKind::kJsonLines, {}, {}};
  CheckReport(domain::Import(SeedDatabase(), {input}, DryRun()), true);
  return 0;
}
#elif defined(LODESTONE_FUZZ_JSONL)
int One(std::string_view in) {
  if (in.size() > 16384) return -1;
  domain::ImportInput input{"file.jsonl", std::string(in), domain::InputKind::kJsonLines, {}, {}};
  domain::ImportReport checked = domain::Import(SeedDatabase(), {input}, DryRun());
  CheckReport(checked, true);
  if (checked.failed || !checked.problems.empty() || checked.created + checked.updated == 0) return 0;
  // A clean check: write it to a database of its own, then import it again.
  auto db = NewDatabase();
  domain::ImportOptions write;
  write.origin = "fuzz";
  write.allow_bulk = false;
  domain::ImportReport first = domain::Import(*db, {input}, write);
  CheckReport(first, false);
  if (first.failed) return 0;  // references to the seed resolve there, not here
  domain::ImportReport second = domain::Import(*db, {input}, write);
  CheckReport(second, false);
  Check(!second.failed, "a file that imported once imports again");
  Check(second.created == 0 && second.updated == 0, "importing the same file twice changes nothing");
  return 0;
}
#elif defined(LODESTONE_FUZZ_CSV)
int One(std::string_view in) {
  if (in.size() > 16384) return -1;
  domain::ImportInput input{"file.csv", "", domain::InputKind::kCsv, {}, {}};
  constexpr std::string_view kSeparator = "\n====\n";
  size_t sep = in.find(kSeparator);
  if (sep == std::string_view::npos) {
    input.text = std::string(in);
  } else {
    input.mapping = std::string(in.substr(0, sep));
    input.mapping_name = "file.mapping.json";
    input.text = std::string(in.substr(sep + kSeparator.size()));
  }
  CheckReport(domain::Import(SeedDatabase(), {input}, DryRun()), true);
  return 0;
}
#else
#error "define LODESTONE_FUZZ_RECORD, LODESTONE_FUZZ_JSONL or LODESTONE_FUZZ_CSV"
#endif

}  // namespace
}  // namespace lodestone::fuzz

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  lodestone::fuzz::SeedDatabase();  // load the seed before the clock of the first input starts
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return lodestone::fuzz::One(std::string_view(reinterpret_cast<const char*>(data), size));
}
