// The benchmark's data generator: a deterministic policy-event graph written as CSV files.
//
// It is a C++ port of bench/peers/gen.mjs and writes byte for byte the same files for the same target
// and seed (tested by bench/gen/gen_test.cc against `node gen.mjs`):
//   actor.csv (id,name,kind)            event.csv (id,name,date,etype)
//   control.csv (id,name,valid_from,valid_to; valid_to empty = still in force)
//   agreement.csv (id,name,signed)      project.csv (id,name,start)
//   participated.csv (src actor,dst event,role)     related.csv (src actor,dst actor,since,kind)
//   about_control.csv / about_agreement.csv / about_project.csv (src event,dst)
//   imposes.csv (actor→control)  targets.csv (control→actor)  party_to.csv (actor→agreement)
//   funds.csv (actor→project)
//   params.json: the query parameters (hub/mid/tail actor ids, names, path pairs, dates)
//   counts.json: node and edge counts, and rows per file
//
// The number of relationships comes out close to `target`; the sizes of the node files follow from it
// (actors 5%, events 30%, controls 1%, agreements 0.5%, projects 1%, RELATED draws 12% of target).
#pragma once

#include <cstdint>
#include <string>

namespace lodestone::bench {

struct GenOptions {
  double target = 10000;  // target number of relationships (gen.mjs: argv[2])
  std::string out_dir;    // created if missing
  uint32_t seed = 42;     // gen.mjs: argv[4] >>> 0
};

struct GenSummary {
  int64_t nodes = 0;
  int64_t edges = 0;
  int64_t actors = 0;
  int64_t events = 0;
  int64_t related = 0;
  // The line gen.mjs prints on stdout, e.g. {"target":10000,"nodes":4850,...}.
  std::string json;
};

// Writes the files into options.out_dir. Returns false and sets *error when a file cannot be written.
bool Generate(const GenOptions& options, GenSummary* summary, std::string* error);

// JavaScript's ToUint32 (what `x >>> 0` does to a number), for seeds given on the command line.
uint32_t JsToUint32(double x);

}  // namespace lodestone::bench
