// A stable least-significant-digit radix sort by a 64-bit key, a byte per pass, skipping the bytes
// every element shares (small ids: most of their bytes are zero).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace lodestone::util {

// Sorts [begin, end) by key(element) (a uint64_t), stably. `scratch` holds at least end - begin
// elements.
template <typename T, typename Key>
void RadixSort(T* begin, T* end, T* scratch, Key key) {
  size_t n = static_cast<size_t>(end - begin);
  if (n < 2) return;
  std::array<std::array<size_t, 256>, 8> counts{};
  for (const T* e = begin; e != end; ++e) {
    uint64_t k = key(*e);
    for (size_t b = 0; b < 8; ++b) ++counts[b][(k >> (8 * b)) & 0xFF];
  }
  T* from = begin;
  T* to = scratch;
  for (size_t b = 0; b < 8; ++b) {
    auto& count = counts[b];
    if (count[(key(*begin) >> (8 * b)) & 0xFF] == n) continue;  // every element has this byte
    size_t at = 0;
    for (size_t& c : count) {
      size_t k = c;
      c = at;
      at += k;
    }
    for (const T* e = from; e != from + n; ++e) to[count[(key(*e) >> (8 * b)) & 0xFF]++] = *e;
    std::swap(from, to);
  }
  if (from != begin) std::copy(from, from + n, begin);
}

}  // namespace lodestone::util
