#include "tests/tck/expected.h"

#include <gtest/gtest.h>

namespace lodestone::tck {
namespace {

TEST(ExpectedFailures, Parse) {
  auto ids = ParseExpectedFailures(
      "# header\n"
      "\n"
      "features/a/A1.feature: [1] one\n"
      "  features/a/A1.feature: [2] two #hash kept [example 3]  \r\n"
      "   # indented comment\n"
      "features/b/B1.feature: [1] x");
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  EXPECT_EQ(*ids, (std::set<std::string>{"features/a/A1.feature: [1] one",
                                         "features/a/A1.feature: [2] two #hash kept [example 3]",
                                         "features/b/B1.feature: [1] x"}));
  auto twice = ParseExpectedFailures("a\nb\na\n");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("line 3"), std::string::npos);
}

TEST(ExpectedFailures, Judge) {
  const std::set<std::string> all = {"f: a", "f: b", "f: c", "f: d"};
  const std::set<std::string> expected = {"f: b", "f: c", "f: gone"};
  const std::vector<ScenarioResult> ran = {{"f: a", false}, {"f: b", false}, {"f: c", true}, {"f: d", true}};
  Verdict v = Judge(ran, expected, all);
  EXPECT_EQ(v.unexpected_failures, std::vector<std::string>{"f: a"});
  EXPECT_EQ(v.unexpected_passes, std::vector<std::string>{"f: c"});
  EXPECT_EQ(v.stale, std::vector<std::string>{"f: gone"});
  EXPECT_FALSE(v.ok());

  Verdict good = Judge({{"f: a", true}, {"f: b", false}}, {"f: b"}, all);
  EXPECT_TRUE(good.ok());
}

TEST(ExpectedFailures, FormatKeepsWhatDidNotRun) {
  const std::vector<std::string> all = {"features/a/A.feature: 1", "features/a/A.feature: 2",
                                        "features/b/B.feature: 1", "features/b/B.feature: 2"};
  // Only A ran: A1 fails now, A2 passes now (listed before); B1 did not run and stays listed.
  const std::vector<ScenarioResult> ran = {{"features/a/A.feature: 1", false},
                                           {"features/a/A.feature: 2", true}};
  const std::set<std::string> old = {"features/a/A.feature: 2", "features/b/B.feature: 1", "stale"};
  const std::string text = FormatExpectedFailures(all, ran, old);
  auto ids = ParseExpectedFailures(text);
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, (std::set<std::string>{"features/a/A.feature: 1", "features/b/B.feature: 1"}));
  EXPECT_NE(text.find("features/a/A.feature: 1\n\nfeatures/b/B.feature: 1\n"), std::string::npos) << text;
  EXPECT_EQ(text.front(), '#');
}

}  // namespace
}  // namespace lodestone::tck
