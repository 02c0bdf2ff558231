#include "tests/tck/gherkin.h"

#include <map>
#include <utility>

namespace lodestone::tck {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

Status LineError(const std::string& path, int line, const std::string& what) {
  return Status::InvalidArgument(path + ":" + std::to_string(line) + ": " + what);
}

// Replaces each "<name>" whose name is a column of the example table with the row's cell. One pass,
// so a substituted value is never itself searched for placeholders.
std::string Substitute(std::string_view text, const std::vector<std::string>& header,
                       const std::vector<std::string>& row) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '<') {
      bool replaced = false;
      for (size_t c = 0; c < header.size(); ++c) {
        const std::string& h = header[c];
        if (text.compare(i + 1, h.size(), h) == 0 && i + 1 + h.size() < text.size() &&
            text[i + 1 + h.size()] == '>') {
          out += row[c];
          i += h.size() + 2;
          replaced = true;
          break;
        }
      }
      if (replaced) continue;
    }
    out += text[i++];
  }
  return out;
}

struct ExamplesBlock {
  std::vector<std::string> tags;
  std::optional<DataTable> table;
  int line = 0;
};

struct RawScenario {
  bool outline = false;
  std::string name;
  std::vector<std::string> tags;
  std::vector<Step> steps;
  std::vector<ExamplesBlock> examples;
  int line = 0;
};

enum class Section { kNone, kFeature, kBackground, kScenario, kExamples };
// What the last meaningful line was, to decide what a doc string, table or free line attaches to.
enum class Last { kHeader, kDescription, kStep, kDocString, kTable };

struct Header {
  std::string_view keyword;
  Section section;
  bool outline;
};
constexpr Header kHeaders[] = {
    {"Feature:", Section::kFeature, false},          {"Background:", Section::kBackground, false},
    {"Scenario Outline:", Section::kScenario, true}, {"Scenario Template:", Section::kScenario, true},
    {"Scenario:", Section::kScenario, false},        {"Example:", Section::kScenario, false},
    {"Examples:", Section::kExamples, false},        {"Scenarios:", Section::kExamples, false},
};

struct StepKeyword {
  std::string_view keyword;
  std::optional<Step::Kind> kind;  // absent: the kind of the step before
};
constexpr StepKeyword kStepKeywords[] = {
    {"Given", Step::Kind::kGiven}, {"When", Step::Kind::kWhen}, {"Then", Step::Kind::kThen},
    {"And", std::nullopt},         {"But", std::nullopt},       {"*", std::nullopt},
};

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

}  // namespace

Result<std::vector<std::string>> SplitTableRow(std::string_view line) {
  std::string_view s = Trim(line);
  if (s.empty() || s.front() != '|') return Status::InvalidArgument("a table row starts with '|'");
  std::vector<std::string> cells;
  std::string cur;
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      char next = s[i + 1];
      if (next == '|') {
        cur += '|';
        ++i;
        continue;
      }
      if (next == '\\') {
        cur += '\\';
        ++i;
        continue;
      }
      if (next == 'n') {
        cur += '\n';
        ++i;
        continue;
      }
      cur += c;
    } else if (c == '|') {
      cells.emplace_back(Trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!Trim(cur).empty()) return Status::InvalidArgument("a table row ends with '|'");
  return cells;
}

std::string ScenarioId(std::string_view feature_path, std::string_view name, int example) {
  std::string id = std::string(feature_path) + ": " + std::string(name);
  if (example > 0) id += " [example " + std::to_string(example) + "]";
  return id;
}

Result<Feature> ParseFeature(std::string_view text, const std::string& path) {
  Feature feature;
  feature.path = path;
  std::vector<Step> background;
  std::vector<RawScenario> raw;
  std::vector<std::string> pending_tags;
  Section section = Section::kNone;
  Last last = Last::kHeader;
  bool have_feature = false;

  const std::vector<std::string_view> lines = SplitLines(text);
  auto current_steps = [&]() -> std::vector<Step>* {
    if (section == Section::kBackground) return &background;
    if (section == Section::kScenario) return &raw.back().steps;
    return nullptr;
  };

  for (size_t i = 0; i < lines.size(); ++i) {
    const int lineno = static_cast<int>(i) + 1;
    const std::string_view line = lines[i];
    const std::string_view t = Trim(line);
    if (t.empty() || t.front() == '#') continue;

    // Doc strings.
    if (StartsWith(t, "\"\"\"") || StartsWith(t, "```")) {
      const std::string_view fence = t.substr(0, 3);
      std::vector<Step>* steps = current_steps();
      if (steps == nullptr || steps->empty() || last != Last::kStep) {
        return LineError(path, lineno, "a doc string must follow a step");
      }
      const size_t indent = line.find_first_not_of(" \t");
      const std::string escaped_fence = fence == "```" ? "\\`\\`\\`" : "\\\"\\\"\\\"";
      std::string body;
      bool closed = false;
      bool first = true;
      for (++i; i < lines.size(); ++i) {
        std::string_view content = lines[i];
        if (Trim(content) == fence) {
          closed = true;
          break;
        }
        size_t drop = 0;
        while (drop < indent && drop < content.size() && IsBlank(content[drop])) ++drop;
        content.remove_prefix(drop);
        std::string unescaped(content);
        for (size_t p = unescaped.find(escaped_fence); p != std::string::npos;
             p = unescaped.find(escaped_fence, p + 3)) {
          unescaped.replace(p, escaped_fence.size(), fence);
        }
        if (!first) body += '\n';
        body += unescaped;
        first = false;
      }
      if (!closed) return LineError(path, lineno, "the doc string opened here is not closed");
      steps->back().doc_string = std::move(body);
      last = Last::kDocString;
      continue;
    }

    // Tables: a step's data table, or an Examples table.
    if (t.front() == '|') {
      auto cells = SplitTableRow(t);
      if (!cells.ok()) return LineError(path, lineno, cells.status().message());
      std::optional<DataTable>* table = nullptr;
      if (section == Section::kExamples) {
        table = &raw.back().examples.back().table;
      } else if (std::vector<Step>* steps = current_steps();
                 steps != nullptr && !steps->empty() && (last == Last::kStep || last == Last::kTable)) {
        table = &steps->back().table;
      } else {
        return LineError(path, lineno, "a table must follow a step or an Examples line");
      }
      if (!table->has_value()) {
        *table = DataTable{};
        (*table)->line = lineno;
      } else if (last != Last::kTable) {
        return LineError(path, lineno, "a second table for one step or Examples block");
      } else if ((*table)->rows.front().size() != cells->size()) {
        return LineError(path, lineno,
                         "this row has " + std::to_string(cells->size()) + " cells, the table's first row " +
                             std::to_string((*table)->rows.front().size()));
      }
      (*table)->rows.push_back(std::move(cells).value());
      last = Last::kTable;
      continue;
    }

    // Tags, for the next header.
    if (t.front() == '@') {
      size_t p = 0;
      while (p < t.size()) {
        while (p < t.size() && IsBlank(t[p])) ++p;
        if (p >= t.size() || t[p] == '#') break;
        size_t q = p;
        while (q < t.size() && !IsBlank(t[q])) ++q;
        std::string_view tag = t.substr(p, q - p);
        if (tag.front() != '@') return LineError(path, lineno, "a tag starts with '@'");
        pending_tags.emplace_back(tag);
        p = q;
      }
      continue;
    }

    // Headers.
    const Header* header = nullptr;
    for (const Header& h : kHeaders) {
      if (StartsWith(t, h.keyword)) {
        header = &h;
        break;
      }
    }
    if (header != nullptr) {
      std::string name(Trim(t.substr(header->keyword.size())));
      switch (header->section) {
        case Section::kFeature:
          if (have_feature) return LineError(path, lineno, "a second Feature");
          have_feature = true;
          feature.name = std::move(name);
          feature.tags = std::move(pending_tags);
          break;
        case Section::kBackground:
          if (!have_feature) return LineError(path, lineno, "Background before Feature");
          if (!raw.empty()) return LineError(path, lineno, "Background after a scenario");
          if (!background.empty()) return LineError(path, lineno, "a second Background");
          break;
        case Section::kScenario: {
          if (!have_feature) return LineError(path, lineno, "Scenario before Feature");
          RawScenario s;
          s.outline = header->outline;
          s.name = std::move(name);
          s.tags = std::move(pending_tags);
          s.line = lineno;
          raw.push_back(std::move(s));
          break;
        }
        case Section::kExamples: {
          if (raw.empty() || !raw.back().outline) {
            return LineError(path, lineno, "Examples outside a Scenario Outline");
          }
          ExamplesBlock block;
          block.tags = std::move(pending_tags);
          block.line = lineno;
          raw.back().examples.push_back(std::move(block));
          break;
        }
        case Section::kNone:
          break;
      }
      pending_tags.clear();
      section = header->section;
      last = Last::kHeader;
      continue;
    }

    // Steps.
    const StepKeyword* keyword = nullptr;
    for (const StepKeyword& k : kStepKeywords) {
      if (StartsWith(t, k.keyword) && t.size() > k.keyword.size() && IsBlank(t[k.keyword.size()])) {
        keyword = &k;
        break;
      }
    }
    if (keyword != nullptr) {
      std::vector<Step>* steps = current_steps();
      if (steps == nullptr) return LineError(path, lineno, "a step outside a Background or Scenario");
      Step step;
      step.keyword = std::string(keyword->keyword);
      step.text = std::string(Trim(t.substr(keyword->keyword.size())));
      step.line = lineno;
      if (keyword->kind.has_value()) {
        step.kind = *keyword->kind;
      } else if (!steps->empty()) {
        step.kind = steps->back().kind;
      } else if (section == Section::kScenario && !background.empty()) {
        step.kind = background.back().kind;
      } else {
        return LineError(path, lineno, "'" + step.keyword + "' as the first step");
      }
      steps->push_back(std::move(step));
      last = Last::kStep;
      continue;
    }

    // Free description text under a header.
    if (last == Last::kHeader || last == Last::kDescription) {
      last = Last::kDescription;
      continue;
    }
    return LineError(path, lineno, "unexpected line: " + std::string(t));
  }

  if (!have_feature) return LineError(path, 1, "no Feature");

  // Expand: names made unique, outlines into one scenario per example row, background prepended.
  std::map<std::string, int> seen;
  for (RawScenario& r : raw) {
    const int occurrence = ++seen[r.name];
    std::string name = r.name;
    if (occurrence > 1) name += " [duplicate " + std::to_string(occurrence) + "]";

    auto make = [&](int example, const std::vector<std::string>& extra_tags) {
      Scenario s;
      s.feature_path = path;
      s.feature_name = feature.name;
      s.name = name;
      s.expanded_name = name;
      s.example = example;
      s.id = ScenarioId(path, name, example);
      s.tags = feature.tags;
      s.tags.insert(s.tags.end(), r.tags.begin(), r.tags.end());
      s.tags.insert(s.tags.end(), extra_tags.begin(), extra_tags.end());
      s.steps = background;
      s.line = r.line;
      return s;
    };

    if (!r.outline) {
      Scenario s = make(0, {});
      s.steps.insert(s.steps.end(), r.steps.begin(), r.steps.end());
      feature.scenarios.push_back(std::move(s));
      continue;
    }
    if (r.examples.empty()) return LineError(path, r.line, "a Scenario Outline without Examples");
    int example = 0;
    for (const ExamplesBlock& block : r.examples) {
      if (!block.table.has_value()) return LineError(path, block.line, "Examples without a table");
      const std::vector<std::string>& header = block.table->rows.front();
      for (size_t row = 1; row < block.table->rows.size(); ++row) {
        const std::vector<std::string>& values = block.table->rows[row];
        Scenario s = make(++example, block.tags);
        s.expanded_name = Substitute(name, header, values);
        s.line = block.table->line + static_cast<int>(row);
        for (const Step& step : r.steps) {
          Step e = step;
          e.text = Substitute(step.text, header, values);
          if (e.doc_string) e.doc_string = Substitute(*step.doc_string, header, values);
          if (e.table) {
            for (auto& cells : e.table->rows) {
              for (auto& cell : cells) cell = Substitute(cell, header, values);
            }
          }
          s.steps.push_back(std::move(e));
        }
        feature.scenarios.push_back(std::move(s));
      }
    }
  }
  return feature;
}

}  // namespace lodestone::tck
