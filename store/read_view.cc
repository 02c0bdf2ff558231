#include "store/read_view.h"

#include <algorithm>

namespace lodestone::internal {
namespace {

using layout::GetU32;
using layout::GetU64;

std::string Successor(std::string_view prefix) { return layout::PrefixSuccessor(prefix); }

class ErrorNodeCursor final : public NodeCursor {
 public:
  explicit ErrorNodeCursor(Status s) : status_(std::move(s)) {}
  bool Valid() const override { return false; }
  void Next() override {}
  const NodeEntry& entry() const override { return entry_; }
  Status status() const override { return status_; }

 private:
  Status status_;
  NodeEntry entry_{};
};

// Node ids from keys of one column family: the id sits at a fixed offset from the key's end or start.
class KeyNodeCursor final : public NodeCursor {
 public:
  enum class Source { kNodeCf, kLabelCf, kPropIdxCf };
  KeyNodeCursor(std::unique_ptr<KvIter> it, Source source) : it_(std::move(it)), source_(source) { Load(); }
  bool Valid() const override { return it_->Valid() && ok_; }
  void Next() override {
    it_->Next();
    Load();
  }
  const NodeEntry& entry() const override { return entry_; }
  Status status() const override { return ok_ ? it_->status() : Status::Corruption("malformed index key"); }

 private:
  void Load() {
    if (!it_->Valid()) return;
    std::string_view k = it_->key();
    if (k.size() < 8) {
      ok_ = false;
      return;
    }
    entry_.id = GetU64(k.data() + k.size() - 8);
    entry_.validity = nullptr;
    if (source_ == Source::kLabelCf) {
      std::string_view v = it_->value();
      if (v.empty()) {
        validity_.clear();
      } else if (!codec::DecodeValidity(&v, &validity_)) {
        ok_ = false;
        return;
      }
      entry_.validity = &validity_;
    }
  }
  std::unique_ptr<KvIter> it_;
  Source source_;
  NodeEntry entry_{};
  Validity validity_;
  bool ok_ = true;
};

class AdjCursorImpl final : public AdjCursor {
 public:
  // all_rels: scanning the whole adjacency family; incoming entries are skipped.
  AdjCursorImpl(std::unique_ptr<KvIter> it, KvSource* source, bool all_rels, bool skip_self_loop_in)
      : it_(std::move(it)), source_(source), all_rels_(all_rels), skip_self_loop_in_(skip_self_loop_in) {
    Load();
  }
  bool Valid() const override { return it_->Valid() && ok_; }
  void Next() override {
    it_->Next();
    Load();
  }
  const AdjEntry& entry() const override { return entry_; }
  Status record(RelRecord* out) override {
    if (entry_.dir == Direction::kOut) return codec::DecodeRel(it_->value(), out);
    std::string key = layout::EncodeAdjKey(
        {entry_.rel.src, Direction::kOut, entry_.rel.type, entry_.rel.dst, entry_.rel.id});
    bool found;
    RETURN_IF_ERROR(source_->Get(Cf::kAdj, key, &scratch_, &found));
    if (!found)
      return Status::Corruption("relationship " + std::to_string(entry_.rel.id) + " has no outgoing entry");
    return codec::DecodeRel(scratch_, out);
  }
  Status status() const override {
    return ok_ ? it_->status() : Status::Corruption("malformed adjacency key");
  }

 private:
  void Load() {
    for (; it_->Valid(); it_->Next()) {
      std::string_view k = it_->key();
      if (k.size() != layout::kAdjKeyBytes) {
        ok_ = false;
        return;
      }
      layout::AdjKey a = layout::DecodeAdjKey(k);
      if (all_rels_ && a.dir == Direction::kIn) continue;
      // A self-loop has an outgoing and an incoming entry; a scan of both directions reports it once.
      if (skip_self_loop_in_ && a.dir == Direction::kIn && a.other == a.node) continue;
      entry_.dir = a.dir;
      entry_.other = a.other;
      entry_.rel = a.dir == Direction::kOut ? RelRef{a.rel, a.node, a.other, a.type}
                                            : RelRef{a.rel, a.other, a.node, a.type};
      return;
    }
  }
  std::unique_ptr<KvIter> it_;
  KvSource* source_;
  bool all_rels_;
  bool skip_self_loop_in_;
  AdjEntry entry_{};
  std::string scratch_;
  bool ok_ = true;
};

// The time index, read from RocksDB.
class DatedCursorImpl final : public DatedCursor {
 public:
  explicit DatedCursorImpl(std::unique_ptr<KvIter> it) : it_(std::move(it)) { Load(); }
  bool Valid() const override { return it_->Valid() && ok_; }
  void Next() override {
    it_->Next();
    Load();
  }
  const DatedEntry& entry() const override { return entry_; }
  Status status() const override {
    return ok_ ? it_->status() : Status::Corruption("malformed time index entry");
  }

 private:
  void Load() {
    if (!it_->Valid()) return;
    std::string_view k = it_->key();
    std::string_view v = it_->value();
    if (k.size() != layout::kDateBytes + 8) {
      ok_ = false;
      return;
    }
    entry_.date = layout::GetDateOrdered(k.data());
    entry_.node = GetU64(k.data() + layout::kDateBytes);
    labels_.clear();
    while (!v.empty()) {
      uint64_t l;
      if (!codec::GetVarint(&v, &l)) {
        ok_ = false;
        return;
      }
      labels_.push_back(static_cast<LabelId>(l));
    }
    entry_.labels = &labels_;
  }
  std::unique_ptr<KvIter> it_;
  DatedEntry entry_{};
  std::vector<LabelId> labels_;
  bool ok_ = true;
};

// A timeline gathered in memory (ScanSubjectTime).
class TimelineCursor final : public DatedCursor {
 public:
  TimelineCursor(std::vector<DatedEntry> entries, Status status)
      : entries_(std::move(entries)), status_(std::move(status)) {}
  bool Valid() const override { return status_.ok() && i_ < entries_.size(); }
  void Next() override { ++i_; }
  const DatedEntry& entry() const override { return entries_[i_]; }
  Status status() const override { return status_; }

 private:
  std::vector<DatedEntry> entries_;
  Status status_;
  size_t i_ = 0;
};

// Adjacency from the topology cache: one or two CSR ranges (out, then in).
class CsrAdjCursor final : public AdjCursor {
 public:
  struct Range {
    const Csr* csr;
    Direction dir;
  };
  CsrAdjCursor(NodeId node, RelTypeId type, std::vector<Range> ranges, std::optional<NodeId> other,
               KvSource* source)
      : node_(node), type_(type), ranges_(std::move(ranges)), other_(other), source_(source) {
    Enter(0);
    Settle();
  }
  bool Valid() const override { return r_ < ranges_.size(); }
  void Next() override {
    ++i_;
    Settle();
  }
  const AdjEntry& entry() const override { return entry_; }
  Status record(RelRecord* out) override {
    std::string key = layout::EncodeAdjKey(
        {entry_.rel.src, Direction::kOut, entry_.rel.type, entry_.rel.dst, entry_.rel.id});
    bool found;
    RETURN_IF_ERROR(source_->Get(Cf::kAdj, key, &scratch_, &found));
    if (!found)
      return Status::Corruption("relationship " + std::to_string(entry_.rel.id) + " has no outgoing entry");
    return codec::DecodeRel(scratch_, out);
  }
  Status status() const override { return Status::OK(); }

 private:
  void Enter(size_t r) {
    r_ = r;
    if (r_ >= ranges_.size()) return;
    const Csr* c = ranges_[r_].csr;
    if (node_ + 1 < c->offsets.size()) {
      i_ = c->offsets[node_];
      end_ = c->offsets[node_ + 1];
    } else {
      i_ = end_ = 0;
    }
  }
  // Moves to the first acceptable entry at or after i_.
  void Settle() {
    while (r_ < ranges_.size()) {
      const Range& range = ranges_[r_];
      for (; i_ < end_; ++i_) {
        NodeId o = range.csr->other[i_];
        if (other_ && o != *other_) continue;
        // A self-loop seen from both directions is reported once (from its outgoing entry).
        if (range.dir == Direction::kIn && ranges_.size() == 2 && o == node_) continue;
        RelId rel = range.csr->rel[i_];
        entry_.dir = range.dir;
        entry_.other = o;
        entry_.rel =
            range.dir == Direction::kOut ? RelRef{rel, node_, o, type_} : RelRef{rel, o, node_, type_};
        return;
      }
      Enter(r_ + 1);
    }
  }
  NodeId node_;
  RelTypeId type_;
  std::vector<Range> ranges_;
  std::optional<NodeId> other_;
  KvSource* source_;
  size_t r_ = 0;
  uint32_t i_ = 0, end_ = 0;
  AdjEntry entry_{};
  std::string scratch_;
};

std::string DayKey(int32_t day) {
  std::string k;
  layout::PutDateOrdered(&k, Date::Containing(day, DatePrecision::kDay));
  return k;
}

}  // namespace

Status IndexBounds(LabelId label, PropKeyId key, Value::Kind kind, const IndexRange& range,
                   std::string* lower, std::string* upper) {
  std::string prefix = layout::PropIdxPrefix(label, key);
  auto encode = [&](const Value& v, std::string* out) -> Status {
    if (v.kind() != kind) {
      return Status::InvalidArgument("an index of " + std::string(Value::KindName(kind)) +
                                     " values cannot be searched for " +
                                     std::string(Value::KindName(v.kind())) + " " + v.ToString());
    }
    *out = prefix;
    layout::AppendOrderedValue(out, v);
    return Status::OK();
  };
  if (range.lower) {
    RETURN_IF_ERROR(encode(*range.lower, lower));
    if (!range.lower_inclusive) *lower = Successor(*lower);
  } else {
    *lower = prefix;
  }
  if (range.upper) {
    RETURN_IF_ERROR(encode(*range.upper, upper));
    if (range.upper_inclusive) *upper = Successor(*upper);
  } else {
    *upper = Successor(prefix);
  }
  return Status::OK();
}

Result<std::optional<NodeId>> GraphReadView::FindNode(std::string_view key) {
  if (topology_) {
    std::optional<NodeId> id;
    if (topology_->FindKey(key, source_, &id)) return id;
  }
  bool found;
  RETURN_IF_ERROR(source_->Get(Cf::kNodeKey, key, &scratch_, &found));
  if (!found) return std::optional<NodeId>();
  if (scratch_.size() != 8)
    return Status::Corruption("malformed key index entry for '" + std::string(key) + "'");
  return std::optional<NodeId>(GetU64(scratch_.data()));
}

Result<bool> GraphReadView::GetNode(NodeId id, NodeRecord* out) {
  bool found;
  RETURN_IF_ERROR(source_->Get(Cf::kNode, layout::NodeKey(id), &scratch_, &found));
  if (!found) return false;
  RETURN_IF_ERROR(codec::DecodeNode(scratch_, out));
  return true;
}

Result<Value> GraphReadView::GetNodeProperty(NodeId id, PropKeyId key) {
  bool found;
  RETURN_IF_ERROR(source_->Get(Cf::kNode, layout::NodeKey(id), &scratch_, &found));
  Value v;
  if (!found) return v;
  auto r = codec::FindNodeProperty(scratch_, key, &v);
  if (!r.ok()) return r.status();
  return v;
}

Result<bool> GraphReadView::NodeExists(NodeId id) {
  bool found;
  RETURN_IF_ERROR(source_->Get(Cf::kNode, layout::NodeKey(id), &scratch_, &found));
  return found;
}

Result<bool> GraphReadView::GetRel(const RelRef& rel, RelRecord* out) {
  bool found;
  RETURN_IF_ERROR(source_->Get(Cf::kAdj,
                               layout::EncodeAdjKey({rel.src, Direction::kOut, rel.type, rel.dst, rel.id}),
                               &scratch_, &found));
  if (!found) return false;
  RETURN_IF_ERROR(codec::DecodeRel(scratch_, out));
  return true;
}

std::unique_ptr<NodeCursor> GraphReadView::ScanAllNodes() {
  return std::make_unique<KeyNodeCursor>(source_->Scan(Cf::kNode, "", ""), KeyNodeCursor::Source::kNodeCf);
}

namespace {

// Node ids held in memory by the topology cache: a label's members, with their validity (none kept:
// every member is always valid), or an index equality's answer (`validity` null: not known here).
class IdsCursor final : public NodeCursor {
 public:
  IdsCursor(const std::vector<NodeId>* ids, const std::vector<Validity>* validity)
      : ids_(ids), validity_(validity) {
    Load();
  }
  bool Valid() const override { return i_ < ids_->size(); }
  void Next() override {
    ++i_;
    Load();
  }
  const NodeEntry& entry() const override { return entry_; }
  Status status() const override { return Status::OK(); }

 private:
  void Load() {
    if (i_ >= ids_->size()) return;
    static const Validity kAlways;
    entry_.id = (*ids_)[i_];
    if (validity_) entry_.validity = validity_->empty() ? &kAlways : &(*validity_)[i_];
  }
  const std::vector<NodeId>* ids_;
  const std::vector<Validity>* validity_;
  size_t i_ = 0;
  NodeEntry entry_{};
};

}  // namespace

std::unique_ptr<NodeCursor> GraphReadView::ScanLabel(LabelId label) {
  if (topology_) {
    if (const LabelMembers* m = topology_->Members(label, source_))
      return std::make_unique<IdsCursor>(&m->ids, &m->validity);
  }
  std::string prefix = layout::LabelPrefix(label);
  std::string upper = Successor(prefix);
  return std::make_unique<KeyNodeCursor>(source_->Scan(Cf::kLabel, std::move(prefix), std::move(upper)),
                                         KeyNodeCursor::Source::kLabelCf);
}

std::unique_ptr<NodeCursor> GraphReadView::SeekIndex(LabelId label, PropKeyId key, const IndexRange& range) {
  auto spec = names_->FindIndex(label, key);
  if (!spec) {
    return std::make_unique<ErrorNodeCursor>(
        Status::NotFound("no index on :" + names_->LabelName(label) + "(" + names_->PropKeyName(key) + ")"));
  }
  if (topology_ && range.lower && range.upper && range.lower_inclusive && range.upper_inclusive &&
      range.lower->kind() == spec->kind && Identical(*range.lower, *range.upper)) {
    // Equality: the topology cache's map of the index answers without a seek.
    std::string value;
    const std::vector<NodeId>* ids = nullptr;
    if (layout::AppendOrderedValue(&value, *range.lower) &&
        topology_->IndexEquals(label, key, value, source_, &ids)) {
      return std::make_unique<IdsCursor>(ids, nullptr);
    }
  }
  std::string lower, upper;
  Status s = IndexBounds(label, key, spec->kind, range, &lower, &upper);
  if (!s.ok()) return std::make_unique<ErrorNodeCursor>(s);
  if (lower >= upper) upper = lower;  // an empty range
  return std::make_unique<KeyNodeCursor>(source_->Scan(Cf::kPropIdx, std::move(lower), std::move(upper)),
                                         KeyNodeCursor::Source::kPropIdxCf);
}

std::optional<ReadView::AdjacencyArrays> GraphReadView::CachedAdjacency(RelTypeId type, Direction dir) {
  if (!topology_) return std::nullopt;
  const Csr* csr = topology_->Adjacency(type, dir, source_);
  if (!csr) return std::nullopt;
  if (csr->offsets.empty()) return AdjacencyArrays{};  // no relationship of this type and direction
  return AdjacencyArrays{csr->offsets.data(), csr->other.data(), csr->offsets.size() - 1};
}

std::unique_ptr<AdjCursor> GraphReadView::ScanAdj(NodeId node, const ScanOptions& opts) {
  if (topology_ && opts.type) {
    std::vector<CsrAdjCursor::Range> ranges;
    bool ok = true;
    for (Direction d : {Direction::kOut, Direction::kIn}) {
      if (opts.dir && *opts.dir != d) continue;
      const Csr* csr = topology_->Adjacency(*opts.type, d, source_);
      if (csr && csr->offsets.empty()) continue;  // no relationship of this type and direction
      if (!csr) {
        ok = false;
        break;
      }
      ranges.push_back({csr, d});
    }
    if (ok) {
      std::optional<NodeId> other = opts.dir ? opts.other : std::nullopt;
      if (!opts.dir && opts.other) other = opts.other;
      return std::make_unique<CsrAdjCursor>(node, *opts.type, std::move(ranges), other, source_);
    }
  }
  std::string prefix;
  if (opts.dir && opts.type && opts.other) {
    prefix = layout::AdjPrefix(node, *opts.dir, *opts.type, *opts.other);
  } else if (opts.dir && opts.type) {
    prefix = layout::AdjPrefix(node, *opts.dir, *opts.type);
  } else if (opts.dir) {
    prefix = layout::AdjPrefix(node, *opts.dir);
  } else {
    prefix = layout::AdjPrefix(node);
  }
  std::string upper = Successor(prefix);
  bool both = !opts.dir.has_value();
  if (both && opts.type) {
    // Both directions of one type: two ranges. Scan the node's whole adjacency and filter; the type
    // filter keeps other types out of the result, and typed scans of one direction stay tight.
    class TypeFilter final : public AdjCursor {
     public:
      TypeFilter(std::unique_ptr<AdjCursor> inner, RelTypeId type, std::optional<NodeId> other)
          : inner_(std::move(inner)), type_(type), other_(other) {
        Skip();
      }
      bool Valid() const override { return inner_->Valid(); }
      void Next() override {
        inner_->Next();
        Skip();
      }
      const AdjEntry& entry() const override { return inner_->entry(); }
      Status record(RelRecord* out) override { return inner_->record(out); }
      Status status() const override { return inner_->status(); }

     private:
      void Skip() {
        while (inner_->Valid() &&
               (inner_->entry().rel.type != type_ || (other_ && inner_->entry().other != *other_))) {
          inner_->Next();
        }
      }
      std::unique_ptr<AdjCursor> inner_;
      RelTypeId type_;
      std::optional<NodeId> other_;
    };
    auto inner = std::make_unique<AdjCursorImpl>(source_->Scan(Cf::kAdj, std::move(prefix), std::move(upper)),
                                                 source_, false, true);
    return std::make_unique<TypeFilter>(std::move(inner), *opts.type, opts.other);
  }
  return std::make_unique<AdjCursorImpl>(source_->Scan(Cf::kAdj, std::move(prefix), std::move(upper)),
                                         source_, false, both);
}

std::unique_ptr<AdjCursor> GraphReadView::ScanAllRels() {
  return std::make_unique<AdjCursorImpl>(source_->Scan(Cf::kAdj, "", ""), source_, true, false);
}

namespace {

class CachedTimeCursor final : public DatedCursor {
 public:
  CachedTimeCursor(const std::vector<TimeEntry>* t, const DateRange& range) : t_(t) {
    if (range.from_day) {
      i_ = static_cast<size_t>(
          std::lower_bound(t_->begin(), t_->end(), *range.from_day,
                           [](const TimeEntry& e, int32_t day) { return e.date.start_day() < day; }) -
          t_->begin());
    }
    end_ = t_->size();
    if (range.to_day) {
      end_ = static_cast<size_t>(
          std::lower_bound(t_->begin(), t_->end(), *range.to_day,
                           [](const TimeEntry& e, int32_t day) { return e.date.start_day() < day; }) -
          t_->begin());
    }
    Load();
  }
  bool Valid() const override { return i_ < end_; }
  void Next() override {
    ++i_;
    Load();
  }
  const DatedEntry& entry() const override { return entry_; }
  Status status() const override { return Status::OK(); }

 private:
  void Load() {
    if (i_ >= end_) return;
    entry_.date = (*t_)[i_].date;
    entry_.node = (*t_)[i_].node;
    entry_.labels = nullptr;  // label tests go through the topology cache's label bitmaps
  }
  const std::vector<TimeEntry>* t_;
  size_t i_ = 0, end_ = 0;
  DatedEntry entry_{};
};

}  // namespace

std::unique_ptr<DatedCursor> GraphReadView::ScanTime(const DateRange& range) {
  if (topology_) {
    if (const TimeIndex* t = topology_->Times(source_))
      return std::make_unique<CachedTimeCursor>(&t->entries, range);
  }
  std::string lower = range.from_day ? DayKey(*range.from_day) : std::string();
  std::string upper = range.to_day ? DayKey(*range.to_day) : std::string();
  if (!upper.empty() && lower >= upper) upper = lower.empty() ? std::string(1, '\0') : lower;
  return std::make_unique<DatedCursorImpl>(source_->Scan(Cf::kTime, std::move(lower), std::move(upper)));
}

std::unique_ptr<DatedCursor> GraphReadView::ScanSubjectTime(NodeId subject, const DateRange& range,
                                                            const TimelineFilter& follow, TimeOrder order) {
  std::vector<DatedEntry> timeline;
  auto in_range = [&](const Date& d) {
    return (!range.from_day || d.start_day() >= *range.from_day) &&
           (!range.to_day || d.start_day() < *range.to_day);
  };
  Status status = Status::OK();
  if (!CachedTimeline(subject, in_range, follow, &timeline)) {
    timeline.clear();
    status = ReadTimeline(subject, in_range, follow, &timeline);
  }
  // Undated neighbours first (TimelineFilter::undated), then the dated ones in order.
  std::sort(timeline.begin(), timeline.end(), [](const DatedEntry& a, const DatedEntry& b) {
    if (a.dated != b.dated) return !a.dated;
    if (a.dated && a.date != b.date) return a.date < b.date;
    return a.node != b.node ? a.node < b.node : a.rel < b.rel;
  });
  if (order == TimeOrder::kNewestFirst) {
    auto dated = std::find_if(timeline.begin(), timeline.end(), [](const DatedEntry& e) { return e.dated; });
    std::reverse(dated, timeline.end());
  }
  return std::make_unique<TimelineCursor>(std::move(timeline), std::move(status));
}

// How many relationships ahead the cached timeline asks for a neighbour's time-index entry (and twice
// that for its place in the index): a hub's 28,000 relationships at 10M are each two dependent misses.
constexpr uint32_t kDateAhead = 32;

// From the topology cache: the followed types' adjacency, and the time index's dates.
template <typename InRange>
bool GraphReadView::CachedTimeline(NodeId subject, const InRange& in_range, const TimelineFilter& follow,
                                   std::vector<DatedEntry>* out) {
  if (!topology_) return false;
  const TimeIndex* times = topology_->Times(source_);
  if (!times) return false;
  auto scan = [&](RelTypeId type) {
    for (Direction dir : {Direction::kOut, Direction::kIn}) {
      if (follow.dir && *follow.dir != dir) continue;
      const Csr* csr = topology_->Adjacency(type, dir, source_);
      if (!csr) return false;
      if (subject + 1 >= csr->offsets.size())
        continue;  // no relationship of this type, or none of the node's
      const uint32_t begin = csr->offsets[subject], end = csr->offsets[subject + 1];
      for (uint32_t i = begin; i < end; ++i) {
        if (i + 2 * kDateAhead < end) times->PrefetchPlace(csr->other[i + 2 * kDateAhead]);
        if (i + kDateAhead < end) times->PrefetchEntry(csr->other[i + kDateAhead]);
        const NodeId other = csr->other[i];
        // A self-loop, when asked for, once: from its outgoing end unless only incoming ones are followed.
        if (other == subject && (!follow.self_loops || (dir == Direction::kIn && !follow.dir))) continue;
        const Date* date = times->DateOf(other);
        if (!date) {
          if (follow.undated) out->push_back({Date(), other, csr->rel[i], type, dir, nullptr, false});
          continue;
        }
        if (!in_range(*date)) continue;
        out->push_back({*date, other, csr->rel[i], type, dir, nullptr});
      }
    }
    return true;
  };
  if (!follow.types.empty()) {
    return std::all_of(follow.types.begin(), follow.types.end(), scan);
  }
  const size_t types = names_->RelTypeNames().size();
  for (size_t t = 0; t < types; ++t) {
    if (!scan(static_cast<RelTypeId>(t))) return false;
  }
  return true;
}

// From RocksDB: the subject's adjacency, and each neighbour's record for its date.
template <typename InRange>
Status GraphReadView::ReadTimeline(NodeId subject, const InRange& in_range, const TimelineFilter& follow,
                                   std::vector<DatedEntry>* out) {
  const std::optional<PropKeyId> date_key = names_->FindPropKey(dated_property_);
  if (!date_key) return Status::OK();  // no node has ever had a date
  std::vector<AdjEntry> adj;
  auto scan = [&](std::optional<RelTypeId> type) -> Status {
    auto cur = ScanAdj(subject, {follow.dir, type, std::nullopt});
    for (; cur->Valid(); cur->Next()) {
      // A scan of both directions reports a self-loop once already.
      if (cur->entry().other != subject || follow.self_loops) adj.push_back(cur->entry());
    }
    return cur->status();
  };
  if (follow.types.empty()) RETURN_IF_ERROR(scan(std::nullopt));
  for (RelTypeId t : follow.types) RETURN_IF_ERROR(scan(t));
  // A neighbour reached by several relationships is read once.
  std::sort(adj.begin(), adj.end(), [](const AdjEntry& a, const AdjEntry& b) { return a.other < b.other; });
  std::optional<Date> date;
  for (size_t i = 0; i < adj.size(); ++i) {
    const AdjEntry& e = adj[i];
    if (i == 0 || adj[i - 1].other != e.other) {
      ASSIGN_OR_RETURN(Value v, GetNodeProperty(e.other, *date_key));
      date = v.is_date() ? std::optional<Date>(v.as_date()) : std::nullopt;
    }
    if (!date) {
      if (follow.undated) out->push_back({Date(), e.other, e.rel.id, e.rel.type, e.dir, nullptr, false});
      continue;
    }
    if (!in_range(*date)) continue;
    out->push_back({*date, e.other, e.rel.id, e.rel.type, e.dir, nullptr});
  }
  return Status::OK();
}

const std::vector<uint64_t>* GraphReadView::CachedLabelBits(LabelId label) {
  if (!topology_) return nullptr;
  auto it =
      std::find_if(label_bits_.begin(), label_bits_.end(), [&](const auto& e) { return e.first == label; });
  if (it != label_bits_.end()) return it->second;
  const std::vector<uint64_t>* bits = topology_->LabelBits(label, source_);
  label_bits_.emplace_back(label, bits);
  return bits;
}

const ReadView::ValidityIndex* GraphReadView::CachedValidityIndex(LabelId label) {
  return topology_ ? topology_->Validities(label, source_) : nullptr;
}

Result<bool> GraphReadView::HasLabel(NodeId id, LabelId label) {
  if (const std::vector<uint64_t>* bits = CachedLabelBits(label)) {
    return id / 64 < bits->size() && ((*bits)[id / 64] >> (id % 64)) & 1;
  }
  bool found;
  RETURN_IF_ERROR(source_->Get(Cf::kLabel, layout::LabelKey(label, id), &scratch_, &found));
  return found;
}

Result<uint64_t> GraphReadView::CountLabel(LabelId label) {
  std::string prefix = layout::LabelPrefix(label);
  auto it = source_->Scan(Cf::kLabel, prefix, Successor(prefix));
  uint64_t n = 0;
  for (; it->Valid(); it->Next()) ++n;
  RETURN_IF_ERROR(it->status());
  return n;
}

}  // namespace lodestone::internal
