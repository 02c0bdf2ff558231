// ReadView over a key-value source: the same code reads the present, a transaction's own writes, and
// the past. Internal to store/.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "store/graph_store.h"
#include "store/kv.h"
#include "store/topology.h"

namespace lodestone::internal {

class GraphReadView final : public ReadView {
 public:
  // `source`, `names` and `dated_property` (the store's, StoreOptions::dated_property) must outlive the
  // view; `source` unless owned (owned_source).
  GraphReadView(KvSource* source, const NameResolver* names, std::string_view dated_property, uint64_t as_of)
      : source_(source), names_(names), dated_property_(dated_property), as_of_(as_of) {}
  GraphReadView(std::unique_ptr<KvSource> owned_source, const NameResolver* names,
                std::string_view dated_property, uint64_t as_of)
      : owned_(std::move(owned_source)),
        source_(owned_.get()),
        names_(names),
        dated_property_(dated_property),
        as_of_(as_of) {}

  uint64_t as_of() const override { return as_of_; }
  const NameResolver& names() const override { return *names_; }

  Result<std::optional<NodeId>> FindNode(std::string_view key) override;
  Result<bool> GetNode(NodeId id, NodeRecord* out) override;
  Result<Value> GetNodeProperty(NodeId id, PropKeyId key) override;
  Result<bool> NodeExists(NodeId id) override;
  Result<bool> GetRel(const RelRef& rel, RelRecord* out) override;

  std::unique_ptr<NodeCursor> ScanAllNodes() override;
  std::unique_ptr<NodeCursor> ScanLabel(LabelId label) override;
  std::unique_ptr<NodeCursor> SeekIndex(LabelId label, PropKeyId key, const IndexRange& range) override;
  std::unique_ptr<AdjCursor> ScanAdj(NodeId node, const ScanOptions& opts) override;
  std::unique_ptr<AdjCursor> ScanAllRels() override;
  std::unique_ptr<DatedCursor> ScanTime(const DateRange& range) override;
  std::unique_ptr<DatedCursor> ScanSubjectTime(NodeId subject, const DateRange& range,
                                               const TimelineFilter& follow, TimeOrder order) override;
  Result<uint64_t> CountLabel(LabelId label) override;
  Result<bool> HasLabel(NodeId id, LabelId label) override;
  std::optional<AdjacencyArrays> CachedAdjacency(RelTypeId type, Direction dir) override;
  const std::vector<uint64_t>* CachedLabelBits(LabelId label) override;
  const ValidityIndex* CachedValidityIndex(LabelId label) override;

  KvSource* source() { return source_; }
  // Present-time views of the store's latest commit get the topology cache of that commit.
  void set_topology(std::shared_ptr<TopologyCache> topology) {
    topology_ = std::move(topology);
    label_bits_.clear();
  }

 private:
  // An entity's timeline (ScanSubjectTime) from the topology cache; false when it cannot answer.
  template <typename InRange>
  bool CachedTimeline(NodeId subject, const InRange& in_range, const TimelineFilter& follow,
                      std::vector<DatedEntry>* out);
  // The same from RocksDB.
  template <typename InRange>
  Status ReadTimeline(NodeId subject, const InRange& in_range, const TimelineFilter& follow,
                      std::vector<DatedEntry>* out);

  std::unique_ptr<KvSource> owned_;
  KvSource* source_;
  const NameResolver* names_;
  std::string_view dated_property_;
  uint64_t as_of_;
  std::string scratch_;
  std::shared_ptr<TopologyCache> topology_;
  // The topology cache's label bitmaps this view has asked for (null: the cache has none), so that a
  // label test per row takes neither the cache's lock nor a hash lookup. A view serves one reader.
  std::vector<std::pair<LabelId, const std::vector<uint64_t>*>> label_bits_;
};

// The order-preserving bounds of an index range within the (label, key) prefix: [lower, upper).
// Fails when a bound is not of the index's kind.
Status IndexBounds(LabelId label, PropKeyId key, Value::Kind kind, const IndexRange& range,
                   std::string* lower, std::string* upper);

}  // namespace lodestone::internal
