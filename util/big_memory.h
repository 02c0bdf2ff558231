// Large buffers that are filled once and read a few times (the bulk loader's entries: hundreds of
// megabytes at a million relationships), backed by transparent huge pages on Linux, and values kept
// in chunks of them (the bulk loader's rows, the topology cache's adjacency while it is read).
#pragma once

#ifdef __linux__
#include <sys/mman.h>
#endif

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace lodestone::util {

// Memory a load fills once and reads a few times: hundreds of megabytes at a million relationships.
// With 4 KiB pages a load spent a tenth of its time in page faults (143,000 of them) and its sorts
// and writes in TLB misses over entries that point all over memory, so on Linux the memory asks for
// transparent huge pages (which the system grants in "madvise" mode). Zero-filled, like any new
// anonymous memory.
class BigMemory {
 public:
  BigMemory() = default;
  explicit BigMemory(size_t bytes) {
#if defined(__linux__) && !defined(__SANITIZE_ADDRESS__)  // AddressSanitizer checks heap memory only
    if (bytes >= kHuge) {
      mapped_ = (bytes + 2 * kHuge - 1) / kHuge * kHuge;  // room to align the start
      void* p = mmap(nullptr, mapped_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) throw std::bad_alloc();
      base_ = static_cast<char*>(p);
      data_ = base_ + (kHuge - reinterpret_cast<uintptr_t>(base_) % kHuge) % kHuge;
      madvise(data_, bytes, MADV_HUGEPAGE);  // advice: without it the memory still works
      return;
    }
#endif
    owned_ = std::make_unique<char[]>(bytes);  // small: a huge page would cost more than it saves
    data_ = owned_.get();
  }
  BigMemory(BigMemory&& o) noexcept { *this = std::move(o); }
  BigMemory& operator=(BigMemory&& o) noexcept {
    std::swap(base_, o.base_);
    std::swap(mapped_, o.mapped_);
    std::swap(data_, o.data_);
    std::swap(owned_, o.owned_);
    return *this;
  }
  ~BigMemory() {
#if defined(__linux__) && !defined(__SANITIZE_ADDRESS__)
    if (base_) munmap(base_, mapped_);
#endif
  }
  char* data() const { return data_; }

 private:
  static constexpr size_t kHuge = size_t{2} << 20;
  char* base_ = nullptr;  // what mmap returned, when it was used
  size_t mapped_ = 0;
  char* data_ = nullptr;
  std::unique_ptr<char[]> owned_;
};

// Asks Linux to back the memory at [p, p + bytes), already filled, with huge pages now (MADV_COLLAPSE,
// Linux 6.1 and later; elsewhere, or when the system declines, nothing changes). For large arrays
// read at random (the topology cache's), where each read would otherwise also miss the TLB.
inline void CollapseToHugePages(const void* p, size_t bytes) {
#if defined(__linux__) && !defined(__SANITIZE_ADDRESS__)
  constexpr uintptr_t kHuge = uintptr_t{2} << 20;
  constexpr int kCollapse = 25;  // MADV_COLLAPSE, which older headers do not name
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(p) + kHuge - 1) / kHuge * kHuge;
  const uintptr_t end = (reinterpret_cast<uintptr_t>(p) + bytes) / kHuge * kHuge;
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, kCollapse);
#else
  (void)p;
  (void)bytes;
#endif
}
// The same for a whole array: a vector's elements, a string's bytes.
template <typename Array>
void CollapseArrayToHugePages(const Array& a) {
  CollapseToHugePages(a.data(), a.size() * sizeof(a[0]));
}

// An array of trivially copyable values in BigMemory.
template <typename T>
class BigArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  BigArray() = default;
  explicit BigArray(size_t n) : memory_(n * sizeof(T)), size_(n) {}
  T* data() const { return reinterpret_cast<T*>(memory_.data()); }
  size_t size() const { return size_; }
  T& operator[](size_t i) const { return data()[i]; }
  T* begin() const { return data(); }
  T* end() const { return data() + size_; }

 private:
  BigMemory memory_;
  size_t size_ = 0;
};

// Values kept in chunks, so that growing never copies them and their addresses stay put.
template <typename T>
class Chunked {
 public:
  void Add(const T& v) {
    if (chunks_.empty() || chunks_.back().size() == last_size_) {
      // Each chunk twice the size of the one before, up to a huge page's worth.
      chunks_.emplace_back(chunks_.empty() ? kFirstChunk : std::min(2 * chunks_.back().size(), kMaxChunk));
      last_size_ = 0;
    }
    ++size_;
    chunks_.back()[last_size_++] = v;
  }
  size_t size() const { return size_; }
  // Calls fn(const T* begin, size_t n) for each chunk, in the order added.
  template <typename Fn>
  void ForEachChunk(Fn fn) const {
    for (size_t c = 0; c < chunks_.size(); ++c) fn(chunks_[c].data(), ChunkSize(c));
  }
  template <typename Fn>
  void ForEach(Fn fn) const {
    ForEachChunk([&](const T* begin, size_t n) { std::for_each(begin, begin + n, fn); });
  }
  template <typename Fn>
  void ForEachMutable(Fn fn) {
    for (size_t c = 0; c < chunks_.size(); ++c)
      std::for_each(chunks_[c].data(), chunks_[c].data() + ChunkSize(c), fn);
  }
  void Release() {
    std::vector<BigArray<T>>().swap(chunks_);
    last_size_ = size_ = 0;
  }

 private:
  size_t ChunkSize(size_t c) const { return c + 1 == chunks_.size() ? last_size_ : chunks_[c].size(); }
  static constexpr size_t kFirstChunk = 256;
  static constexpr size_t kMaxChunk = (size_t{4} << 20) / sizeof(T);
  std::vector<BigArray<T>> chunks_;
  size_t last_size_ = 0;  // values in the last chunk
  size_t size_ = 0;
};

}  // namespace lodestone::util
