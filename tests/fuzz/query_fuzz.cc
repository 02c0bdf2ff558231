// Fuzz target: statement text -> parse, compile, run (docs/fuzzing.md).
//
// Each input is one statement, run against a small graph with small row, memory and time limits,
// inside a write transaction that is never committed: statements that write are exercised too, and
// every input sees the same graph. Errors are expected; crashes, sanitizer reports, hangs and results
// whose rows do not match their columns are not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_support.h"

namespace lodestone::fuzz {
namespace {

Database& Graph() {
  static std::unique_ptr<Database> db = [] {
    auto d = NewDatabase();
    auto conn = d->Connect();
    ExecResult r = conn->ExecuteScript(
        "CREATE (:Actor {key: 'actor/a', name: 'A', since: date('2020-01'), valid_from: date('2020-01'), "
        "valid_to: date('2030')}); "
        "CREATE (:Actor:State {name: 'B', n: 2, f: 1.5, tags: ['x', 'y']}); "
        "MATCH (a:Actor {name: 'A'}), (b:Actor {name: 'B'}) CREATE (a)-[:TRADES {weight: 3}]->(b); "
        "CREATE (:Event {date: date('2025-04-04'), kind: 'imposition'})");
    if (!r.ok()) {
      // The graph is a convenience; the language may change under it. An empty graph still works.
      std::fprintf(stderr, "query_fuzz: the starting graph was not created: %s\n",
                   r.error->formatted.c_str());
    }
    return d;
  }();
  return *db;
}

}  // namespace
}  // namespace lodestone::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lodestone;
  if (size > 4096) return -1;  // long statements only slow the search down; limits are tested elsewhere
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Database& db = fuzz::Graph();
  auto conn = db.Connect();
  auto txn = db.store().BeginWrite("fuzz");
  fuzz::Check(txn.ok(), "a write transaction begins");
  ExecResult r = conn->ExecuteInTransaction(**txn, text, {}, fuzz::SmallLimits());
  if (r.ok()) {
    for (const auto& row : r.result.rows) {
      fuzz::Check(row.size() == r.result.columns.size(), "every row has one value per column");
    }
    fuzz::Check(r.result.rows.size() <= fuzz::SmallLimits().max_rows, "the row limit holds");
  } else {
    fuzz::Check(!r.error->message.empty(), "an error has a message");
    fuzz::Check(!r.error->formatted.empty(), "an error is formatted");
  }
  return 0;  // the transaction is dropped: nothing is committed
}
