// Plans and operators.
//
// A plan is a tree of PlanNodes: immutable descriptions built by the mapper from the optimized
// logical plan (query/planner/logical_plan.h), cached with the statement and shared by its
// runs, each of which instantiates its own Operators from them. Operators pull rows: Next() fills the
// slots it binds in the shared Row and returns false when exhausted. Most operators have one input
// (child 0); a scan under an input runs once per input row, so a scan over a plan that already bound
// variables is a cartesian product and a scan over Start is a plain scan.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "query/catalog/procedure_catalog.h"
#include "query/exec/expr.h"

namespace lodestone::query {

class Operator {
 public:
  virtual ~Operator() = default;
  // (Re)starts the operator for the bindings in `row` (the outer row of an Optional or a subquery).
  virtual void Open(ExecContext& ctx, Row& row) = 0;
  virtual bool Next(ExecContext& ctx, Row& row) = 0;
};

struct ProfileCounters {
  uint64_t rows = 0;
  std::chrono::nanoseconds time{0};
};

class PlanNode {
 public:
  virtual ~PlanNode() = default;
  // A fresh operator tree for one run. With `profile`, each operator counts its rows and time into
  // profile[node index] (nodes numbered in pre-order by Number()).
  std::unique_ptr<Operator> Instantiate(std::vector<ProfileCounters>* profile) const;
  // One line describing this node, e.g. "Expand (a)-[:IMPOSED]->(c)".
  virtual std::string Describe() const = 0;
  // The plan as an indented tree, with per-operator counters when given.
  std::string Explain(const std::vector<ProfileCounters>* profile = nullptr) const;
  // Numbers the nodes of the tree in pre-order; returns the count.
  int Number(int first = 0);

  std::vector<std::shared_ptr<PlanNode>> children;
  int index = 0;

 protected:
  virtual std::unique_ptr<Operator> Make(std::vector<ProfileCounters>* profile) const = 0;
  std::unique_ptr<Operator> Child(size_t i, std::vector<ProfileCounters>* profile) const {
    return children[i]->Instantiate(profile);
  }
};

using PlanPtr = std::shared_ptr<PlanNode>;

enum class Dir { kOut, kIn, kBoth };

// ---- leaves and scans ----

// Yields the incoming row once per Open().
PlanPtr MakeStart();

struct ScanSpec {
  enum class Kind {
    kAll,        // every node
    kLabel,      // nodes with label_symbol
    kIndexSeek,  // nodes with label_symbol whose prop_symbol lies in [lower, upper]
    kKey,        // the node whose key equals `key`
    kTime,       // dated nodes (date property) compared with lower and upper, with label_symbol if set
    kSlot,       // the node already in `slot` (checked to be a node; null ends the row)
  } kind = Kind::kAll;
  uint32_t label_symbol = 0;
  bool has_label = false;
  uint32_t prop_symbol = 0;
  ExprPtr lower, upper;  // kIndexSeek, kTime: nullable bounds
  bool lower_inclusive = true, upper_inclusive = true;
  // kTime applies the bounds' comparisons itself (e.date >= lower, e.date < upper, with the
  // three-valued rule for dates of different precisions) to the date each index entry holds, so the
  // planner keeps no filter for them. kIndexSeek's bounds are as exact for every kind of value but
  // dates, where the seek only narrows to a window and a filter decides.
  ExprPtr key;  // kKey
  // VALID AT for the scanned node, checked from the label index where it holds the validity.
  ExprPtr valid_at;
};
// Binds `slot` to each node the spec finds, once per input row. `label` and `prop` name the scan's
// label and property for EXPLAIN.
PlanPtr MakeNodeScan(int slot, std::string var, ScanSpec spec, std::string label, std::string prop,
                     PlanPtr input);

// ---- traversal ----

struct ExpandSpec {
  int from = -1;
  int rel = -1;  // slot of the relationship (always bound; anonymous ones get a hidden slot)
  int to = -1;
  bool into = false;  // `to` is bound already: keep the relationships that reach it
  Dir dir = Dir::kOut;
  std::vector<uint32_t> type_symbols;  // any of them; empty: every type
  std::vector<int> distinct_from;  // relationship (or relationship-list) slots the new one must differ from
  std::string description;
  // Variable length: rel holds the list of relationships.
  bool var_length = false;
  int64_t min_hops = 1, max_hops = 1;
  // Only the set of distinct end nodes matters (not each path): search breadth-first, visiting each
  // node once. Valid when min_hops <= 1, the relationships are not used, and the start node is
  // excluded from the results.
  bool distinct_ends = false;
  // The pattern was written from `to` towards `from`: the relationship list is reversed so that it
  // reads in the pattern's order.
  bool reverse_list = false;
  ExprPtr valid_at;  // VALID AT for the relationships
  // The far node's date lies in a window (from comparisons on its `date` property): read the near
  // node's timeline (ReadView::ScanSubjectTime) for that window. Yields in date order and knows each
  // far node's date, so the filters read no record.
  bool by_time = false;
  ExprPtr time_lower, time_upper;
  bool time_lower_inclusive = true, time_upper_inclusive = false;
  uint32_t date_symbol = 0;
  // The timeline in reverse date order (for a top-k by the date, descending: OrderedTopPass).
  bool newest_first = false;
  // Every far node, not only the dated ones: those whose date is not a date come first (a top-k by the
  // date without a window: OrderedTopPass).
  bool with_undated = false;
};
PlanPtr MakeExpand(ExpandSpec spec, PlanPtr input);

struct ShortestPathSpec {
  int from = -1, to = -1;
  int path = -1;  // slot for the path value (or -1)
  int rels = -1;  // slot for the list of relationships (or -1)
  Dir dir = Dir::kBoth;
  std::vector<uint32_t> type_symbols;
  int64_t min_hops = 1, max_hops = 15;
  bool all = false;  // allShortestPaths
  std::string description;
};
PlanPtr MakeShortestPath(ShortestPathSpec spec, PlanPtr input);

// Rows counted without producing them (query/optimizer/count_pushdown.cc), as the aggregate it
// replaces would count them, over every input row:
//   kHop          count(*) / count(x) of the relationships of one hop from a bound node whose far
//                 node carries some labels: one row;
//   kLabel        the members of a label (VALID AT included): one row;
//   kDistinctEnds count(DISTINCT x) of the distinct ends of a variable-length pattern (`expand`,
//                 ExpandSpec::distinct_ends) that carry some labels: one row;
//   kTime         count(*) / count(x) of a time-index scan (`scan`, kTime) grouped by `keys`,
//                 expressions of the scanned node's date alone: a row per group, in the order of
//                 the first date of each.
struct CountSpec {
  enum class Source { kHop, kLabel, kDistinctEnds, kTime } source = Source::kHop;
  ExpandSpec expand;                            // kHop: one hop in one direction; kDistinctEnds
  std::vector<uint32_t> to_labels;              // kHop, kDistinctEnds: labels the far node must carry
  std::vector<std::string> label_names;         // for EXPLAIN
  ScanSpec scan;                                // kLabel: a label scan, with its VALID AT; kTime: a time scan
  int scan_slot = -1;                           // kTime: the scanned node's slot, which the keys read
  std::string scan_var, scan_label, scan_prop;  // for EXPLAIN
  std::vector<std::pair<int, ExprPtr>> keys;    // kTime: grouping keys (slot, expression)
  std::vector<int> slots;                       // where each count goes
};
PlanPtr MakeCount(CountSpec spec, PlanPtr input);
// "Count ()-[:T]->(x:L)", "Count (x:L) VALID AT d" and the like: one line for EXPLAIN, logical and
// physical.
std::string DescribeCount(const CountSpec& spec);

// ---- relational ----

PlanPtr MakeFilter(ExprPtr predicate, PlanPtr input);
// Evaluates each expression into its slot.
PlanPtr MakeProject(std::vector<std::pair<int, ExprPtr>> items, PlanPtr input);

enum class AggKind {
  kCount,
  kCountStar,
  kSum,
  kAvg,
  kMin,
  kMax,
  kCollect,
  kStDev,
  kStDevP,
  kPercentileCont,
  kPercentileDisc
};
struct AggregateSpec {
  int slot;
  AggKind kind;
  bool distinct = false;
  ExprPtr arg;    // null for count(*)
  ExprPtr param;  // percentile
  std::string description;
};
// Groups by the key expressions (into their slots) and computes the aggregates per group.
PlanPtr MakeAggregate(std::vector<std::pair<int, ExprPtr>> keys, std::vector<AggregateSpec> aggs,
                      PlanPtr input);
PlanPtr MakeDistinct(std::vector<int> slots, PlanPtr input);

struct SortKey {
  ExprPtr expr;
  bool descending = false;
};
// Sorts; with `limit`, keeps only the first skip+limit rows (a top-k heap), and with `input_ordered`
// (the input comes in order of the first key, in that key's direction, after any rows whose key is
// not a date) stops reading once a dated key is past the k-th row's.
PlanPtr MakeSort(std::vector<SortKey> keys, ExprPtr skip, ExprPtr limit, PlanPtr input,
                 bool input_ordered = false);
// What EXPLAIN shows of a sort after its name, for the logical and the physical plan alike:
// " a, b DESC LIMIT k (input in order of a)".
std::string DescribeSort(const std::vector<SortKey>& keys, const ExprPtr& skip, const ExprPtr& limit,
                         bool input_ordered);
PlanPtr MakeSkip(ExprPtr count, PlanPtr input);
// With `drain_writes`, the rows past the limit are still pulled (and the writes below them done).
PlanPtr MakeLimit(ExprPtr count, PlanPtr input, bool drain_writes = false);
PlanPtr MakeUnwind(int slot, std::string var, ExprPtr list, PlanPtr input);
// For each input row runs `inner` (whose leaf is Start); when it yields nothing, emits the input row
// with `null_slots` set to null.
PlanPtr MakeOptional(PlanPtr inner, std::vector<int> null_slots, PlanPtr input);
// Runs each part, copying its `from` slots to the shared output slots; `distinct` removes duplicates.
PlanPtr MakeUnion(std::vector<PlanPtr> parts, std::vector<std::vector<int>> from_slots,
                  std::vector<int> out_slots, bool distinct);
// Reads every input row before yielding the first: reads finish before writes start.
PlanPtr MakeEager(PlanPtr input);

// ---- procedures ----

// CALL proc(args) YIELD ...: for each input row evaluates the arguments, runs the procedure and
// yields one row per output row it emits, with the yielded columns in their slots. A VOID procedure
// (no outputs) passes each input row through once.
struct ProcedureYield {
  size_t column = 0;  // index into the procedure's outputs
  int slot = -1;
  std::string variable;
};
struct ProcedureCallSpec {
  std::shared_ptr<const ProcedureInfo> procedure;
  std::vector<ExprPtr> args;  // one per declared input, defaults filled in as constants
  std::vector<ProcedureYield> yields;
  ast::SourceLocation loc;  // the procedure's name
};
PlanPtr MakeProcedureCall(ProcedureCallSpec spec, PlanPtr input);
// "ProcedureCall db.labels() YIELD label AS l"
std::string DescribeProcedureCall(const ProcedureCallSpec& spec);

// ---- writes ----

struct CreateNodeSpec {
  int slot;
  std::vector<uint32_t> label_symbols;
  ExprPtr properties;  // a map expression, nullable
  bool bound = false;  // the variable exists already (CREATE (a)-[:T]->(b) with a bound)
};
struct CreateRelSpec {
  int slot;
  int from, to;
  uint32_t type_symbol;
  ExprPtr properties;
};
struct CreateSpec {
  std::vector<CreateNodeSpec> nodes;
  std::vector<CreateRelSpec> rels;
  std::vector<std::pair<int, ExprPtr>> paths;  // named paths built after creation
};
PlanPtr MakeCreate(CreateSpec spec, PlanPtr input);

struct SetSpec {
  enum class Kind { kProperty, kReplace, kMerge, kLabels, kRemoveProperty, kRemoveLabels } kind;
  ExprPtr target;  // the entity (node or relationship) expression
  uint32_t prop_symbol = 0;
  std::string prop_name;
  std::vector<uint32_t> label_symbols;
  ExprPtr value;
  ast::SourceLocation loc;
};
PlanPtr MakeSet(std::vector<SetSpec> items, PlanPtr input);
PlanPtr MakeDelete(std::vector<ExprPtr> targets, bool detach, PlanPtr input);
// MERGE: for each input row, runs `match` (leaf Start); if it yields rows, applies on_match to each;
// otherwise creates `create` and applies on_create. Rows created by one input row are visible to the
// next (merge is evaluated row by row against the transaction's own writes).
PlanPtr MakeMerge(PlanPtr match, CreateSpec create, std::vector<SetSpec> on_create,
                  std::vector<SetSpec> on_match, PlanPtr input);

// For EXPLAIN: an arrow like -[:A|:B]->.
std::string DescribeArrow(Dir d, const std::vector<std::string>& type_names);

// Applies SET items to a node or relationship; shared by SET and MERGE.
void ApplySet(ExecContext& ctx, Row& row, const SetSpec& item);
// Creates the pattern's entities for one row.
void ApplyCreate(ExecContext& ctx, Row& row, const CreateSpec& spec);

}  // namespace lodestone::query
