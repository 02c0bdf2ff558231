#include "domain/lifecycle.h"

#include <gtest/gtest.h>

namespace lodestone::domain {
namespace {

Date D(const char* s) { return *Date::Parse(s); }

std::optional<std::string> S(const char* s) { return std::string(s); }

TEST(Lifecycle, SeedOctoberControls) {
  Lifecycle lc =
      ComputeLifecycle({{D("2025-11"), "suspends", "event/b"}, {D("2025-10-09"), "imposes", "event/a"}},
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
  EXPECT_EQ(StatusAt(lc, D("2025-10")), std::nullopt);     // a month that only partly lies in force
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
  EXPECT_EQ(statuses, (std::vector<std::string>{"proposed", "announced", "in_force", "suspended", "in_force",
                                                "lifted"}));
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

LifecycleEvent E(const char* date, const char* effect, const char* key,
                 std::optional<Date> effective = std::nullopt, std::optional<Date> until = std::nullopt) {
  return LifecycleEvent{D(date), effect, key, effective, until};
}

// The seed's five further rare earths: announced on 9 October 2025 to take effect on 8 November,
// suspended on 7 November until 10 November 2026. Never in force.
TEST(Lifecycle, SuspendedBeforeEntryIntoForceIsNeverInForce) {
  Lifecycle lc =
      ComputeLifecycle({E("2025-10-09", "imposes", "event/announced", D("2025-11-08")),
                        E("2025-11-07", "suspends", "event/suspended", std::nullopt, D("2026-11-10"))},
                       D("2025-10-09"), "control/holmium");
  EXPECT_TRUE(lc.problems.empty()) << lc.problems[0].message;
  EXPECT_TRUE(lc.periods.empty());
  ASSERT_EQ(lc.held_back.size(), 1u);
  EXPECT_EQ(lc.held_back[0].entry, D("2025-11-08"));
  EXPECT_EQ(lc.held_back[0].stopped_by, "event/suspended");
  EXPECT_EQ(StatusAt(lc, D("2025-10-20")), S("announced"));
  EXPECT_EQ(StatusAt(lc, D("2025-11-06")), S("announced"));
  EXPECT_EQ(StatusAt(lc, D("2025-11-07")), S("suspended"));
  EXPECT_EQ(StatusAt(lc, D("2025-11-08")), S("suspended"));
  EXPECT_EQ(StatusAt(lc, D("2026-11-09")), S("suspended"));
  // After the suspension's end nothing is recorded: unknown, not in force.
  EXPECT_EQ(StatusAt(lc, D("2026-11-10")), std::nullopt);
  EXPECT_TRUE(StatusUnknownAt(lc, D("2026-11-10")));
  Validity v = PeriodsAsValidity(lc);
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].from, v[0].to);  // empty: VALID AT never matches
  auto segs = Segments(lc);
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].status, "announced");
  EXPECT_EQ(segs[0].to, D("2025-11-07"));
  EXPECT_EQ(segs[1].status, "suspended");
  EXPECT_EQ(segs[1].to, D("2026-11-10"));
}

// Parts of the package in force on the day of issue, then suspended with an end date.
TEST(Lifecycle, InForceThenSuspendedUntil) {
  Lifecycle lc = ComputeLifecycle({E("2025-10-09", "imposes", "event/a"),
                                   E("2025-11-07", "suspends", "event/s", std::nullopt, D("2026-11-10"))},
                                  D("2025-10-09"), "control/technology");
  EXPECT_TRUE(lc.problems.empty());
  ASSERT_EQ(lc.periods.size(), 1u);
  EXPECT_EQ(lc.periods[0].to, D("2025-11-07"));
  EXPECT_EQ(lc.periods[0].suspended_until, D("2026-11-10"));
  EXPECT_EQ(StatusAt(lc, D("2025-10-20")), S("in_force"));
  EXPECT_EQ(StatusAt(lc, D("2025-12-01")), S("suspended"));
  EXPECT_EQ(StatusAt(lc, D("2026-12-01")), std::nullopt);
  // An event at the end of the suspension decides what followed.
  Lifecycle back = ComputeLifecycle({E("2025-10-09", "imposes", "event/a"),
                                     E("2025-11-07", "suspends", "event/s", std::nullopt, D("2026-11-10")),
                                     E("2026-11-10", "reinstates", "event/r")},
                                    D("2025-10-09"), "control/technology");
  EXPECT_TRUE(back.problems.empty());
  EXPECT_EQ(StatusAt(back, D("2026-12-01")), S("in_force"));
}

// A second suspension extends the first; lifting a suspended measure ends it.
TEST(Lifecycle, SuspensionExtendedThenLifted) {
  Lifecycle lc = ComputeLifecycle({E("2025-01-01", "imposes", "event/a"),
                                   E("2025-06-01", "suspends", "event/s1", std::nullopt, D("2025-12-01")),
                                   E("2025-11-20", "suspends", "event/s2", std::nullopt, D("2026-06-01")),
                                   E("2026-03-01", "lifts", "event/l")},
                                  std::nullopt, "control/x");
  EXPECT_TRUE(lc.problems.empty()) << lc.problems[0].message;
  EXPECT_EQ(StatusAt(lc, D("2025-12-15")), S("suspended"));
  EXPECT_EQ(StatusAt(lc, D("2026-04-01")), S("lifted"));
  std::vector<std::string> statuses;
  for (const auto& s : Segments(lc)) statuses.push_back(s.status);
  EXPECT_EQ(statuses, (std::vector<std::string>{"in_force", "suspended", "lifted"}));
}

// An entry into force decided after a suspension re-opens the measure, as `imposes` always has.
TEST(Lifecycle, ImposedAgainAfterASuspension) {
  Lifecycle lc = ComputeLifecycle({E("2024-03-15", "imposes", "event/a"), E("2024-09", "suspends", "event/s"),
                                   E("2025-02-01", "imposes", "event/again")},
                                  std::nullopt, "control/x");
  EXPECT_TRUE(lc.problems.empty());
  ASSERT_EQ(lc.periods.size(), 2u);
  EXPECT_EQ(StatusAt(lc, D("2025-06-01")), S("in_force"));
}

TEST(Lifecycle, BadDatesAreProblems) {
  // Entry into force before the announcement.
  Lifecycle early = ComputeLifecycle({E("2025-03-01", "imposes", "event/a")}, D("2025-04-04"), "control/x");
  ASSERT_EQ(early.problems.size(), 1u);
  EXPECT_NE(early.problems[0].message.find("before it was announced (2025-04-04)"), std::string::npos);
  // until on an effect other than a suspension, and a suspension that ends before it begins.
  Lifecycle until = ComputeLifecycle({E("2025-01-01", "imposes", "event/a", std::nullopt, D("2026-01-01")),
                                      E("2025-02-01", "imposes", "event/b"),
                                      E("2025-03-01", "suspends", "event/s", std::nullopt, D("2025-02-01"))},
                                     std::nullopt, "control/x");
  ASSERT_EQ(until.problems.size(), 2u);
  EXPECT_NE(until.problems[0].message.find("only a suspension"), std::string::npos);
  EXPECT_NE(until.problems[1].message.find("not after the suspension takes hold"), std::string::npos);
  // A suspension of a measure never announced or imposed.
  Lifecycle never = ComputeLifecycle({E("2025-03-01", "suspends", "event/s")}, std::nullopt, "control/x");
  ASSERT_EQ(never.problems.size(), 1u);
  EXPECT_NE(never.problems[0].message.find("no entry into force announced"), std::string::npos);
}

TEST(Lifecycle, PackageStatus) {
  using Statuses = std::vector<std::optional<std::string>>;
  EXPECT_EQ(PackageStatus(Statuses{S("in_force"), S("in_force")}), S("in_force"));
  EXPECT_EQ(PackageStatus(Statuses{S("in_force"), S("announced")}), S("partly_in_force"));
  EXPECT_EQ(PackageStatus(Statuses{S("suspended"), S("announced")}), S("mixed"));
  EXPECT_EQ(PackageStatus(Statuses{S("in_force"), std::nullopt}), std::nullopt);
  EXPECT_EQ(PackageStatus(Statuses{}), std::nullopt);
}

}  // namespace
}  // namespace lodestone::domain
