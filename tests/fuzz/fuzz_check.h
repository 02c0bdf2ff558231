// The fuzz targets' check: stops the run with a message when an invariant breaks (libFuzzer then saves
// the input as a crash). Header-only, so that a target links only the layer it fuzzes.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace lodestone::fuzz {

inline void Check(bool ok, std::string_view what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

}  // namespace lodestone::fuzz
