#include "tests/tck/side_effects.h"

#include <charconv>
#include <utility>

#include "store/record.h"

namespace lodestone::tck {
namespace {

// (entity, key, value) as bytes: 'N' or 'R', the id, the key name, then the value's exact encoding
// (which tells 1 from 1.0, and lists and maps element by element).
std::string PropertyEntry(char entity, uint64_t id, const std::string& key, const Value& value) {
  std::string out(1, entity);
  out += std::to_string(id);
  out += '\0';
  out += key;
  out += '\0';
  codec::AppendValue(&out, value);
  return out;
}

template <typename T>
int64_t CountMissing(const std::set<T>& from, const std::set<T>& in) {
  int64_t n = 0;
  for (const T& x : from) n += in.count(x) == 0 ? 1 : 0;
  return n;
}

struct Counter {
  std::string_view name;
  int64_t SideEffects::*field;
};
constexpr Counter kCounters[] = {
    {"+nodes", &SideEffects::plus_nodes},
    {"-nodes", &SideEffects::minus_nodes},
    {"+relationships", &SideEffects::plus_relationships},
    {"-relationships", &SideEffects::minus_relationships},
    {"+labels", &SideEffects::plus_labels},
    {"-labels", &SideEffects::minus_labels},
    {"+properties", &SideEffects::plus_properties},
    {"-properties", &SideEffects::minus_properties},
};

}  // namespace

Result<GraphState> CaptureGraphState(ReadView& view) {
  GraphState state;
  const NameResolver& names = view.names();
  auto nodes = view.ScanAllNodes();
  for (; nodes->Valid(); nodes->Next()) {
    const NodeId id = nodes->entry().id;
    NodeRecord rec;
    auto found = view.GetNode(id, &rec);
    if (!found.ok()) return found.status();
    if (!*found) return Status::Internal("node " + std::to_string(id) + " is scanned but cannot be read");
    state.nodes.insert(id);
    for (LabelId l : rec.labels) state.labels.insert(names.LabelName(l));
    for (const auto& [key, value] : rec.props) {
      state.properties.insert(PropertyEntry('N', id, names.PropKeyName(key), value));
    }
  }
  RETURN_IF_ERROR(nodes->status());
  auto rels = view.ScanAllRels();
  for (; rels->Valid(); rels->Next()) {
    const RelId id = rels->entry().rel.id;
    RelRecord rec;
    RETURN_IF_ERROR(rels->record(&rec));
    state.rels.insert(id);
    for (const auto& [key, value] : rec.props) {
      state.properties.insert(PropertyEntry('R', id, names.PropKeyName(key), value));
    }
  }
  RETURN_IF_ERROR(rels->status());
  return state;
}

SideEffects DiffGraphStates(const GraphState& before, const GraphState& after) {
  SideEffects s;
  s.plus_nodes = CountMissing(after.nodes, before.nodes);
  s.minus_nodes = CountMissing(before.nodes, after.nodes);
  s.plus_relationships = CountMissing(after.rels, before.rels);
  s.minus_relationships = CountMissing(before.rels, after.rels);
  s.plus_labels = CountMissing(after.labels, before.labels);
  s.minus_labels = CountMissing(before.labels, after.labels);
  s.plus_properties = CountMissing(after.properties, before.properties);
  s.minus_properties = CountMissing(before.properties, after.properties);
  return s;
}

Result<SideEffects> ParseSideEffects(const DataTable& table) {
  SideEffects s;
  std::set<std::string> seen;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const std::string where = "line " + std::to_string(table.line + static_cast<int>(r)) + ": ";
    if (row.size() != 2) return Status::InvalidArgument(where + "a side effect row has two cells");
    const Counter* counter = nullptr;
    for (const Counter& c : kCounters) {
      if (row[0] == c.name) counter = &c;
    }
    if (counter == nullptr) return Status::InvalidArgument(where + "unknown side effect '" + row[0] + "'");
    if (!seen.insert(row[0]).second) return Status::InvalidArgument(where + "'" + row[0] + "' twice");
    int64_t n = 0;
    const std::string& text = row[1];
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || ptr != text.data() + text.size() || n < 0) {
      return Status::InvalidArgument(where + "a side effect count is a non-negative integer, not '" + text +
                                     "'");
    }
    s.*(counter->field) = n;
  }
  return s;
}

std::optional<std::string> CompareSideEffects(const SideEffects& expected, const SideEffects& actual) {
  std::string msg;
  for (const Counter& c : kCounters) {
    if (expected.*(c.field) != actual.*(c.field)) {
      if (!msg.empty()) msg += "; ";
      msg += std::string(c.name) + ": expected " + std::to_string(expected.*(c.field)) + ", got " +
             std::to_string(actual.*(c.field));
    }
  }
  if (msg.empty()) return std::nullopt;
  return "side effects differ: " + msg;
}

std::string FormatSideEffects(const SideEffects& s) {
  std::string out;
  for (const Counter& c : kCounters) {
    if (s.*(c.field) == 0) continue;
    if (!out.empty()) out += ", ";
    out += std::string(c.name) + " " + std::to_string(s.*(c.field));
  }
  return out.empty() ? "none" : out;
}

}  // namespace lodestone::tck
