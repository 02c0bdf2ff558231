// Side effects as the suite counts them, by comparing the graph before and after a query.
//
// The suite's counters are differences of graph state, not counts of operations:
//   +nodes / -nodes                 nodes (by id) present after but not before / before but not after
//   +relationships / -relationships the same for relationships
//   +labels / -labels               label NAMES in use by at least one node, after but not before /
//                                   before but not after (two new nodes of a new label: +labels 1)
//   +properties / -properties       (entity, key, value) triples present after but not before /
//                                   before but not after: setting a new key is +1, changing a value
//                                   is +1 and -1, setting the value a property already holds is 0,
//                                   removing one is -1; a deleted node's properties are each -1
// So the runner takes a GraphState of the whole graph (through the store's read API, not through a
// query) right before and right after the query and diffs the two. This is exact for any statement;
// Lodestone's QueryStats is not used for it, because its counts differ by design (labels_added
// counts per node; properties_set counts a write of an unchanged value; nothing counts removals).
// Entity ids are never reused by the store, so ids identify entities across the two states.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include "store/graph_store.h"
#include "store/status.h"
#include "tests/tck/gherkin.h"

namespace lodestone::tck {

struct GraphState {
  std::set<NodeId> nodes;
  std::set<RelId> rels;
  std::set<std::string> labels;      // names in use
  std::set<std::string> properties;  // one entry per (node or relationship, key, value), encoded
};

// Reads the whole present graph of `view`.
Result<GraphState> CaptureGraphState(ReadView& view);

struct SideEffects {
  int64_t plus_nodes = 0;
  int64_t minus_nodes = 0;
  int64_t plus_relationships = 0;
  int64_t minus_relationships = 0;
  int64_t plus_labels = 0;
  int64_t minus_labels = 0;
  int64_t plus_properties = 0;
  int64_t minus_properties = 0;
  friend bool operator==(const SideEffects&, const SideEffects&) = default;
};

SideEffects DiffGraphStates(const GraphState& before, const GraphState& after);

// The table of `And the side effects should be:` (rows `| +nodes | 1 |`); counters it leaves out
// are expected to be 0.
Result<SideEffects> ParseSideEffects(const DataTable& table);

// Nothing when equal; otherwise each differing counter, e.g. "+nodes: expected 1, got 2".
std::optional<std::string> CompareSideEffects(const SideEffects& expected, const SideEffects& actual);

// The non-zero counters, e.g. "+nodes 1, +properties 2", or "none".
std::string FormatSideEffects(const SideEffects& s);

}  // namespace lodestone::tck
