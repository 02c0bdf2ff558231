// lodestone-bench-gen <targetEdges> [outDir] [seed]: writes the benchmark's CSV files, params.json and
// counts.json (see generator.h), the same bytes as `node bench/peers/gen.mjs` with the same arguments.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/gen/generator.h"

int main(int argc, char** argv) {
  using lodestone::bench::GenOptions;
  if (argc > 1 && (std::string(argv[1]) == "-h" || std::string(argv[1]) == "--help")) {
    std::puts(
        "usage: lodestone-bench-gen <targetEdges> [outDir (default data_<target>)] [seed (default 42)]");
    return 0;
  }
  GenOptions o;
  std::string target = argc > 1 && argv[1][0] ? argv[1] : "10000";
  char* end = nullptr;
  o.target = std::strtod(target.c_str(), &end);
  if (end == target.c_str() || *end != '\0' || !(o.target >= 0)) {
    std::fprintf(stderr, "lodestone-bench-gen: target '%s' is not a number\n", target.c_str());
    return 2;
  }
  o.out_dir = argc > 2 && argv[2][0] ? argv[2] : "data_" + target;
  if (argc > 3 && argv[3][0]) o.seed = lodestone::bench::JsToUint32(std::strtod(argv[3], nullptr));
  lodestone::bench::GenSummary summary;
  std::string error;
  if (!lodestone::bench::Generate(o, &summary, &error)) {
    std::fprintf(stderr, "lodestone-bench-gen: %s\n", error.c_str());
    return 1;
  }
  std::puts(summary.json.c_str());
  return 0;
}
