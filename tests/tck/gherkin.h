// A reader for the subset of Gherkin that the compatibility suite's feature files use.
//
// Understood: `Feature:`, `Background:`, `Scenario:` (or `Example:`), `Scenario Outline:` (or
// `Scenario Template:`) with one or more `Examples:` (or `Scenarios:`) tables, tags (`@name`, kept
// but not interpreted), comments (`#` as the first non-blank character, outside doc strings), free
// description lines under a header, steps (`Given`, `When`, `Then`, `And`, `But`, `*`), doc strings
// (`"""` or ``` fences, dedented by the fence's indentation) and data tables (`| a | b |`, with the
// cell escapes `\|`, `\\` and `\n`).
//
// Every example row of an outline becomes its own Scenario, with each `<placeholder>` replaced by the
// row's cell in the step texts, doc strings, data tables and the expanded name. A feature's
// Background steps are prepended to each of its scenarios.
//
// Scenario ids are stable and unique within a suite:
//   "<feature path>: <scenario name as written>"                     for a plain scenario
//   "<feature path>: <scenario name as written> [example N]"         for the Nth row of an outline
// where N counts the rows of all the outline's Examples tables, from 1, in file order. The name is
// the outline's own (placeholders left as written), so ids do not change when an example cell does.
// When a feature holds several scenarios of one name, the second and later ones get
// " [duplicate K]" (K = 2, 3, ...) after the name.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/status.h"

namespace lodestone::tck {

struct DataTable {
  std::vector<std::vector<std::string>> rows;  // cells unescaped and trimmed; every row equally long
  int line = 0;                                // of the first row
};

struct Step {
  // Given, When or Then: `And`, `But` and `*` take the kind of the step before them.
  enum class Kind { kGiven, kWhen, kThen };
  Kind kind = Kind::kGiven;
  std::string keyword;  // as written: "Given", "And", ...
  std::string text;     // after the keyword, e.g. "executing query:"
  std::optional<std::string> doc_string;
  std::optional<DataTable> table;
  int line = 0;
};

struct Scenario {
  std::string feature_path;       // as given to ParseFeature, e.g. "features/clauses/match/Match1.feature"
  std::string feature_name;       // e.g. "Match1 - Match nodes"
  std::string name;               // as written, placeholders left in (with " [duplicate K]" if needed)
  std::string expanded_name;      // with the example row's values substituted
  int example = 0;                // 1-based row number for outlines, 0 for plain scenarios
  std::string id;                 // see above
  std::vector<std::string> tags;  // the feature's, the scenario's and the Examples block's
  std::vector<Step> steps;        // the Background's first
  int line = 0;                   // the Scenario line, or for outlines the example row's line
};

struct Feature {
  std::string path;
  std::string name;
  std::vector<std::string> tags;
  std::vector<Scenario> scenarios;  // outlines expanded, in file order
};

// Parses one feature file. `path` is used for ids and messages. Errors name the line.
Result<Feature> ParseFeature(std::string_view text, const std::string& path);

// Splits one table line ("| a | b\|c |") into unescaped, trimmed cells. Exposed for tests.
Result<std::vector<std::string>> SplitTableRow(std::string_view line);

// Builds the id of a scenario from its parts (see above).
std::string ScenarioId(std::string_view feature_path, std::string_view name, int example);

}  // namespace lodestone::tck
