// Open-addressing indexes of records by a key the records themselves hold, whole or cut into shards
// that threads fill one each. The table stores (hash, record index) pairs only; the caller's `same`
// callable compares a candidate record with the key looked for.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace lodestone::util {

// Record indexes by a key the records themselves hold (a node key, a relationship's identity): an
// open-addressing table of (hash, index) pairs. Finding a key allocates nothing and touches one
// slot and the record it names; an import asks hundreds of thousands of times.
class RecordIndex {
 public:
  void Reserve(size_t n) {
    if (n * 2 > slots_.size()) Rehash(n * 2);
  }
  // The index of the record whose key `same(index)` accepts, if any.
  template <typename Same>
  std::optional<size_t> Find(uint64_t hash, Same same) const {
    if (slots_.empty()) return std::nullopt;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.index == kEmpty) return std::nullopt;
      if (s.index != kErased && s.hash == hash && same(s.index)) return s.index;
    }
  }
  // Adds `index` unless a record with the same key is there; returns that record's index then.
  template <typename Same>
  std::optional<size_t> Insert(uint64_t hash, size_t index, Same same) {
    if (auto have = Find(hash, same)) return have;
    if ((used_ + 1) * 2 > slots_.size()) Rehash(std::max<size_t>(16, (size_ + 1) * 4));
    size_t i = hash & mask_;
    while (slots_[i].index != kEmpty && slots_[i].index != kErased) i = (i + 1) & mask_;
    if (slots_[i].index == kEmpty) ++used_;
    slots_[i] = {hash, static_cast<uint32_t>(index)};
    ++size_;
    return std::nullopt;
  }
  template <typename Same>
  void Erase(uint64_t hash, Same same) {
    if (slots_.empty()) return;
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.index == kEmpty) return;
      if (s.index != kErased && s.hash == hash && same(s.index)) {
        s.index = kErased;  // a tombstone: later keys of the same probe sequence stay reachable
        --size_;
        return;
      }
    }
  }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  static constexpr uint32_t kErased = UINT32_MAX - 1;
  struct Slot {
    uint64_t hash = 0;
    uint32_t index = kEmpty;
  };
  void Rehash(size_t at_least) {
    size_t capacity = 16;
    while (capacity < at_least) capacity *= 2;
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    used_ = size_;
    for (const Slot& s : old) {
      if (s.index == kEmpty || s.index == kErased) continue;
      size_t i = s.hash & mask_;
      while (slots_[i].index != kEmpty) i = (i + 1) & mask_;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;  // keys
  size_t used_ = 0;  // slots not empty (keys and tombstones)
};

inline uint64_t HashKey(std::string_view key) { return std::hash<std::string_view>{}(key); }

// A RecordIndex cut into shards by hash, so that threads can fill one shard each.
class ShardedRecordIndex {
 public:
  void Shards(size_t n) { shards_.assign(n, RecordIndex()); }
  size_t shards() const { return shards_.size(); }
  // High bits choose the shard; the table inside uses the low ones.
  size_t ShardOf(uint64_t hash) const { return shards_.size() == 1 ? 0 : (hash >> 40) % shards_.size(); }
  RecordIndex& shard(size_t i) { return shards_[i]; }
  template <typename Same>
  std::optional<size_t> Find(uint64_t hash, Same same) const {
    return shards_.empty() ? std::nullopt : shards_[ShardOf(hash)].Find(hash, same);
  }
  template <typename Same>
  void Erase(uint64_t hash, Same same) {
    if (!shards_.empty()) shards_[ShardOf(hash)].Erase(hash, same);
  }

 private:
  std::vector<RecordIndex> shards_;
};

}  // namespace lodestone::util
