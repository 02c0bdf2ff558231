#include "tests/tck/expected.h"

#include <map>

namespace lodestone::tck {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The feature path of an id: what precedes the first ": ".
std::string_view FeatureOf(std::string_view id) { return id.substr(0, id.find(": ")); }

}  // namespace

Result<std::set<std::string>> ParseExpectedFailures(std::string_view text) {
  std::set<std::string> ids;
  int lineno = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++lineno;
    std::string_view line = Trim(text.substr(start, end - start));
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    if (!ids.emplace(line).second) {
      return Status::InvalidArgument("line " + std::to_string(lineno) +
                                     ": listed twice: " + std::string(line));
    }
  }
  return ids;
}

Verdict Judge(const std::vector<ScenarioResult>& ran, const std::set<std::string>& expected,
              const std::set<std::string>& all_ids) {
  Verdict v;
  for (const ScenarioResult& r : ran) {
    const bool listed = expected.count(r.id) > 0;
    if (!r.passed && !listed) v.unexpected_failures.push_back(r.id);
    if (r.passed && listed) v.unexpected_passes.push_back(r.id);
  }
  for (const std::string& id : expected) {
    if (all_ids.count(id) == 0) v.stale.push_back(id);
  }
  return v;
}

std::string FormatExpectedFailures(const std::vector<std::string>& all_ids_in_order,
                                   const std::vector<ScenarioResult>& ran,
                                   const std::set<std::string>& expected) {
  std::map<std::string, bool> passed;
  for (const ScenarioResult& r : ran) passed[r.id] = r.passed;
  std::string out =
      "# Scenarios of the compatibility suite that Lodestone is known to fail: one id per line.\n"
      "# The TCK run fails on a failure not listed here and on a pass listed here.\n"
      "# Regenerate deliberately with: lodestone_tck --update-expected\n";
  std::string_view last_feature;
  for (const std::string& id : all_ids_in_order) {
    auto it = passed.find(id);
    const bool failing = it != passed.end() ? !it->second : expected.count(id) > 0;
    if (!failing) continue;
    std::string_view feature = FeatureOf(id);
    if (feature != last_feature) out += '\n';
    last_feature = feature;
    out += id;
    out += '\n';
  }
  return out;
}

}  // namespace lodestone::tck
