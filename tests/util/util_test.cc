// The general helpers under every layer: strings, the thread fan-out, the task queue, the radix
// sort, huge-page buffers and the sharded record index.
#include <algorithm>
#include <atomic>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "util/big_memory.h"
#include "util/parallel.h"
#include "util/radix_sort.h"
#include "util/sharded_index.h"
#include "util/strings.h"
#include "util/task_queue.h"

namespace lodestone::util {
namespace {

TEST(Strings, TrimLowerJoinCount) {
  EXPECT_EQ(Trim("  \t a b \r\n"), "a b");
  EXPECT_EQ(Trim(" \t\r\n"), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Lower("ToLower ÄB"), "tolower Äb");  // ASCII only; UTF-8 bytes pass through
  EXPECT_TRUE(EqualsIgnoreCase("Content-Type", "content-TYPE"));
  EXPECT_FALSE(EqualsIgnoreCase("abc", "abcd"));
  EXPECT_EQ(Join({"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(Join({}, ", "), "");
  EXPECT_EQ(CountNewlines("a\nb\n\nc"), 3u);
  EXPECT_EQ(CountNewlines(""), 0u);
}

TEST(Strings, XmlEscapeKeepsOnlyWhatXmlCanCarry) {
  EXPECT_EQ(XmlEscape("a<b & 'c' > \"d\""), "a&lt;b &amp; &apos;c&apos; &gt; &quot;d&quot;");
  EXPECT_EQ(XmlEscape("tab\tline\nret\r"), "tab\tline\nret\r");
  EXPECT_EQ(XmlEscape("bell\x07"), "bell\xEF\xBF\xBD");
  EXPECT_EQ(XmlEscape("bell\x07", " "), "bell ");
  EXPECT_EQ(XmlEscape("caf\xC3\xA9 \xE2\x80\x93"), "caf\xC3\xA9 \xE2\x80\x93");  // UTF-8 kept
  EXPECT_EQ(XmlEscape("bad \xC3("), "bad \xEF\xBF\xBD(");                        // a broken sequence
  EXPECT_EQ(XmlEscape("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong
  EXPECT_EQ(XmlEscape("\xEF\xBF\xBF"), "\xEF\xBF\xBD");                          // U+FFFF
}

TEST(Parallel, SharesCoverEveryItemOnce) {
  for (size_t threads : {1, 2, 3, 4}) {
    for (size_t n : {0, 1, 5, 1000}) {
      std::vector<std::atomic<int>> seen(n);
      std::atomic<size_t> shares{0};
      OnShares(n, threads, [&](size_t, size_t begin, size_t end) {
        ++shares;
        for (size_t i = begin; i < end; ++i) ++seen[i];
      });
      EXPECT_EQ(shares.load(), threads);
      for (size_t i = 0; i < n; ++i)
        EXPECT_EQ(seen[i].load(), 1) << "item " << i << " of " << n << ", " << threads << " threads";
    }
  }
  EXPECT_EQ(ThreadsFor(10), 1u);
  EXPECT_GE(ThreadsFor(1'000'000), 1u);
  EXPECT_LE(ThreadsFor(1'000'000), 4u);
}

TEST(TaskQueue, RunsEveryTaskIncludingThoseAddedWhileRunning) {
  TaskQueue q;
  std::atomic<int> ran{0};
  for (int i = 0; i < 20; ++i) {
    q.Add(static_cast<size_t>(i), [&q, &ran, i] {
      ++ran;
      if (i % 5 == 0) q.Add(1, [&ran] { ++ran; });  // a task adding a task
    });
  }
  q.Run(3);
  EXPECT_EQ(ran.load(), 24);
}

TEST(RadixSort, SortsStablyLikeStableSort) {
  struct Item {
    uint64_t key;
    int order;
  };
  std::mt19937_64 rng(42);
  for (size_t n : {0, 1, 2, 100, 5000}) {
    std::vector<Item> items(n);
    for (size_t i = 0; i < n; ++i) {
      // Small keys (most bytes shared) and a few large ones, with duplicates.
      uint64_t k = rng() % 50;
      if (i % 17 == 0) k = rng();
      items[i] = {k, static_cast<int>(i)};
    }
    std::vector<Item> expected = items;
    std::stable_sort(expected.begin(), expected.end(),
                     [](const Item& a, const Item& b) { return a.key < b.key; });
    std::vector<Item> scratch(n);
    RadixSort(items.data(), items.data() + n, scratch.data(), [](const Item& it) { return it.key; });
    ASSERT_EQ(items.size(), expected.size());
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(items[i].key, expected[i].key) << i;
      EXPECT_EQ(items[i].order, expected[i].order) << i;
    }
  }
}

TEST(BigMemory, SmallAndHugeBuffersAreZeroedAndWritable) {
  for (size_t n : {size_t{16}, size_t{3} << 20}) {
    BigArray<uint64_t> a(n);
    ASSERT_EQ(a.size(), n);
    EXPECT_TRUE(std::all_of(a.begin(), a.end(), [](uint64_t v) { return v == 0; }));
    std::iota(a.begin(), a.end(), uint64_t{1});
    EXPECT_EQ(a[n - 1], n);
    BigArray<uint64_t> moved = std::move(a);
    EXPECT_EQ(moved[0], 1u);
  }
}

TEST(ShardedRecordIndex, FindsInsertsAndErases) {
  std::vector<std::string> keys;
  for (int i = 0; i < 2000; ++i) keys.push_back("node/" + std::to_string(i));
  ShardedRecordIndex index;
  index.Shards(3);
  for (size_t i = 0; i < keys.size(); ++i) {
    uint64_t h = HashKey(keys[i]);
    auto same = [&](size_t j) { return keys[j] == keys[i]; };
    EXPECT_FALSE(index.shard(index.ShardOf(h)).Insert(h, i, same).has_value());
  }
  // A second insert of a key finds the first.
  uint64_t h7 = HashKey(keys[7]);
  auto again = index.shard(index.ShardOf(h7)).Insert(h7, 99999, [&](size_t j) {
    return j < keys.size() && keys[j] == keys[7];
  });
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, 7u);
  for (size_t i = 0; i < keys.size(); i += 2)
    index.Erase(HashKey(keys[i]), [&](size_t j) { return keys[j] == keys[i]; });
  for (size_t i = 0; i < keys.size(); ++i) {
    auto found = index.Find(HashKey(keys[i]), [&](size_t j) { return keys[j] == keys[i]; });
    if (i % 2 == 0) {
      EXPECT_FALSE(found.has_value()) << keys[i];
    } else {
      ASSERT_TRUE(found.has_value()) << keys[i];
      EXPECT_EQ(*found, i);
    }
  }
  EXPECT_FALSE(index.Find(HashKey("absent"), [&](size_t j) { return keys[j] == "absent"; }).has_value());
}

}  // namespace
}  // namespace lodestone::util
