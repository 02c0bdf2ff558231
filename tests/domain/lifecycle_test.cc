#include <gtest/gtest.h>

#include "domain/lifecycle.h"

namespace lodestone::domain {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

std::optional<std::string> S(const char* s) { return std::string(s); }

TEST(Lifecycle, SeedOctoberControls) {
  Lifecycle lc = ComputeLifecycle({{D("2025-11"), "suspends", "event/b"}, {D("2025-10-09"), "imposes", "event/a"}},
                                  D("2025-10-09"), "control/oct");
  ASSERT_EQ(lc.periods.size(), 1u);
  EXPECT_EQ(lc.periods[0].from, D("2025-10-09"));
  EXPECT_EQ(lc.periods[0].to, D("2025-11"));
  EXPECT_TRUE(lc.problems.empty());
  EXPECT_EQ(StatusAt(lc, D("2025-10-20")), S("in_force"));
  EXPECT_EQ(StatusAt(lc, D("2025-10-31")), S("in_force"));
  EXPECT_EQ(StatusAt(lc, D("2025-11-15")), std::nullopt);
  EXPECT_TRUE(StatusUnknownAt(lc, D("2025-11-15")));
  EXPECT_EQ(StatusAt(lc, D("2025-12-01")), S("suspended"));
  EXPECT_EQ(StatusAt(lc, D("2025-10")), std::nullopt);  // a month that only partly lies in force
  EXPECT_EQ(StatusAt(lc, D("2025-10-08")), std::nullopt);  // before anything, nothing announced earlier
  EXPECT_FALSE(StatusUnknownAt(lc, D("2025-10-08")));
  Validity v = PeriodsAsValidity(lc);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].from, D("2025-10-09"));
  EXPECT_EQ(v[0].to, D("2025-11"));
  auto segs = Segments(lc);
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].status, "in_force");
  EXPECT_EQ(segs[1].status, "suspended");
  EXPECT_EQ(segs[1].from, D("2025-11"));
  EXPECT_EQ(segs[1].to, std::nullopt);
}

TEST(Lifecycle, AnnouncedProposedReinstatedLifted) {
  Lifecycle lc = ComputeLifecycle({{D("2025-03"), "proposes", "event/p"},
                                   {D("2025-06-01"), "imposes", "event/i"},
                                   {D("2025-07-01"), "eases", "event/e"},
                                   {D("2025-08-01"), "suspends", "event/s"},
                                   {D("2025-09-01"), "reinstates", "event/r"},
                                   {D("2026-01-01"), "lifts", "event/l"}},
                                  D("2025-05-10"), "control/x");
  EXPECT_TRUE(lc.problems.empty());
  ASSERT_EQ(lc.periods.size(), 2u);
  EXPECT_EQ(StatusAt(lc, D("2025-04-01")), S("proposed"));
  EXPECT_EQ(StatusAt(lc, D("2025-03-15")), std::nullopt);  // the proposal's month overlaps
  EXPECT_EQ(StatusAt(lc, D("2025-05-20")), S("announced"));
  EXPECT_EQ(StatusAt(lc, D("2025-07-15")), S("in_force"));
  EXPECT_EQ(StatusAt(lc, D("2025-08-15")), S("suspended"));
  EXPECT_EQ(StatusAt(lc, D("2025-10-01")), S("in_force"));
  EXPECT_EQ(StatusAt(lc, D("2026-02-01")), S("lifted"));
  auto segs = Segments(lc);
  std::vector<std::string> statuses;
  for (const auto& s : segs) statuses.push_back(s.status);
  EXPECT_EQ(statuses, (std::vector<std::string>{"proposed", "announced", "in_force", "suspended", "in_force", "lifted"}));
  EXPECT_EQ(segs[0].to, D("2025-05-10"));
  EXPECT_EQ(segs[3].to, D("2025-09-01"));
}

TEST(Lifecycle, InconsistenciesAreReportedAndIgnored) {
  Lifecycle lc = ComputeLifecycle({{D("2025-01-01"), "suspends", "event/early"},
                                   {D("2025-02-01"), "imposes", "event/a"},
                                   {D("2025-03-01"), "imposes", "event/again"}},
                                  std::nullopt, "control/x");
  ASSERT_EQ(lc.problems.size(), 2u);
  EXPECT_EQ(lc.problems[0].event_key, "event/early");
  EXPECT_NE(lc.problems[0].message.find("not in force"), std::string::npos);
  EXPECT_EQ(lc.problems[1].event_key, "event/again");
  EXPECT_NE(lc.problems[1].message.find("in force already since 2025-02-01"), std::string::npos);
  ASSERT_EQ(lc.periods.size(), 1u);
  EXPECT_EQ(lc.periods[0].from, D("2025-02-01"));
}

TEST(Lifecycle, ProposedOnlyIsTheG7PriceFloor) {
  Lifecycle lc = ComputeLifecycle({{D("2026-01"), "proposes", "event/g7"}}, std::nullopt);
  EXPECT_TRUE(lc.periods.empty());
  EXPECT_EQ(StatusAt(lc, D("2025-12-01")), std::nullopt);
  EXPECT_FALSE(StatusUnknownAt(lc, D("2025-12-01")));
  EXPECT_EQ(StatusAt(lc, D("2026-02-01")), S("proposed"));
  auto segs = Segments(lc);
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].status, "proposed");
  EXPECT_EQ(segs[0].to, std::nullopt);
}

}  // namespace
}  // namespace lodestone::domain
