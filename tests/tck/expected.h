// The expected-failures list: the scenarios known to fail, so that a run fails on any change,
// whether a new failure or a new pass.
//
// File format: one scenario id per line (see gherkin.h for ids). Blank lines and lines whose first
// non-blank character is '#' are ignored; there are no trailing comments (scenario names may hold
// '#'). Surrounding blanks of a line are trimmed.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/status.h"

namespace lodestone::tck {

// Refuses an id listed twice.
Result<std::set<std::string>> ParseExpectedFailures(std::string_view text);

struct ScenarioResult {
  std::string id;
  bool passed = false;
};

struct Verdict {
  std::vector<std::string> unexpected_failures;  // failed, not listed
  std::vector<std::string> unexpected_passes;    // passed, listed
  std::vector<std::string> stale;                // listed, but no scenario has the id
  bool ok() const { return unexpected_failures.empty() && unexpected_passes.empty() && stale.empty(); }
};

// `ran` are the scenarios of this run (all, or those a filter selected); `all_ids` every scenario of
// the suite, to find stale entries.
Verdict Judge(const std::vector<ScenarioResult>& ran, const std::set<std::string>& expected,
              const std::set<std::string>& all_ids);

// The new list: for scenarios that ran, whether they failed now; for the others, whether they were
// listed. Stale entries are dropped. In the order of `all_ids_in_order`, with a blank line between
// feature files.
std::string FormatExpectedFailures(const std::vector<std::string>& all_ids_in_order,
                                   const std::vector<ScenarioResult>& ran,
                                   const std::set<std::string>& expected);

}  // namespace lodestone::tck
