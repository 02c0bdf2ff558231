// The importer, part 4b: writing in bulk through SST files.
#include "domain/import_run.h"

namespace lodestone::domain::import_internal {

Status Run::WriteBulkPath() {
  ASSIGN_OR_RETURN(auto load_ptr, BulkLoad::Begin(db_.store(), opt_.origin));
  BulkLoad& bulk = *load_ptr;
  CachingInterner<BulkLoad> names(bulk);
  report_.bulk = true;
  for (const auto& want : schema_.Indexes()) {
    ASSIGN_OR_RETURN(LabelId l, names.InternLabel(want.label));
    ASSIGN_OR_RETURN(PropKeyId p, names.InternPropKey(want.property));
    RETURN_IF_ERROR(bulk.DeclareIndex(l, p, want.kind));
  }
  ASSIGN_OR_RETURN(RelTypeId sourced_from, names.InternRelType("SOURCED_FROM"));
  // Controls are all new: their periods come from this import's events.
  std::map<std::string, std::vector<LifecycleEvent>> lifecycle;
  for (size_t i : naming_controls_) {
    const Record& r = records_[i];
    if (r.bad || r.kind != RecordKind::kEvent) continue;
    const Value* date = nullptr;
    for (const auto& [k, v] : r.props) {
      if (k == "date") date = &v;
    }
    for (const RelItem& item : r.rels) {
      if (item.type != "AFFECTS" || !date) continue;
      if (auto e = AffectsEvent(date->as_date(), item.props, r.key))
        lifecycle[item.to].push_back(std::move(*e));
    }
  }

  // Names, in the order the transaction path meets them (each node's labels and properties, then
  // each relationship's type and properties), so that both paths give them the same ids. Ids of
  // entities follow record order: nodes, then per record its SOURCED_FROM and its relationships.
  // Each share of the records lists the names it uses in the order of their first use there; the
  // lists, taken share after share, meet every name first where the whole import does.
  size_t n = records_.size();
  size_t threads = ThreadsFor(n);
  enum class NameKind { kLabel, kType, kProp };
  struct FirstUses {
    std::vector<std::pair<NameKind, std::string_view>> nodes, rels;  // from node records; from relationships
    uint64_t nodes_count = 0, rels_count = 0;
    uint64_t good = 0;  // records
  };
  std::vector<FirstUses> uses(threads);
  OnShares(n, threads, [&](size_t t, size_t begin, size_t end) {
    FirstUses& u = uses[t];
    std::array<std::unordered_set<std::string_view>, 3> seen;
    auto use = [&](auto* list, NameKind kind, std::string_view name) {
      if (seen[static_cast<size_t>(kind)].insert(name).second) list->emplace_back(kind, name);
    };
    for (size_t i = begin; i < end; ++i) {
      const Record& r = records_[i];
      if (r.bad) continue;
      ++u.good;
      if (r.kind == RecordKind::kNode || r.kind == RecordKind::kEvent) {
        ++u.nodes_count;
        u.rels_count += r.sources.size();
        for (const auto& l : r.labels) use(&u.nodes, NameKind::kLabel, l);
        for (const auto& p : r.props) use(&u.nodes, NameKind::kProp, p.first);
      }
      u.rels_count += r.rels.size();
      for (const RelItem& item : r.rels) {
        use(&u.rels, NameKind::kType, item.type);
        for (const auto& p : item.props) use(&u.rels, NameKind::kProp, p.first);
      }
    }
  });
  for (auto list : {&FirstUses::nodes, &FirstUses::rels}) {
    for (const FirstUses& u : uses) {
      for (const auto& [kind, name] : u.*list) {
        Status s = kind == NameKind::kLabel  ? names.InternLabel(name).status()
                   : kind == NameKind::kType ? names.InternRelType(name).status()
                                             : names.InternPropKey(name).status();
        RETURN_IF_ERROR(s);
      }
    }
  }
  uint64_t nodes = 0, rels = 0;
  for (const FirstUses& u : uses) {
    nodes += u.nodes_count;
    rels += u.rels_count;
  }
  NodeId first_node = bulk.ReserveNodes(nodes);
  RelId first_rel = bulk.ReserveRels(rels);
  bulk.LetCommitRenumberRels();  // nothing keeps the ids given below

  // Encoding on every core: each thread takes a contiguous share of the records and fills a part of
  // the load. Nodes first (a relationship's entries need the dates of its ends), then relationships.
  typename CachingInterner<BulkLoad>::Frozen frozen(names);
  // Ids by record: the nodes and relationships before each record (ids follow record order, so a
  // share starts from the counts of the shares before it).
  std::vector<uint64_t> nodes_before(n + 1), rels_before(n + 1);
  OnShares(n, threads, [&](size_t t, size_t begin, size_t end) {
    uint64_t node = 0, rel = 0;
    for (size_t s = 0; s < t; ++s) {
      node += uses[s].nodes_count;
      rel += uses[s].rels_count;
    }
    for (size_t i = begin; i < end; ++i) {
      nodes_before[i] = node;
      rels_before[i] = rel;
      const Record& r = records_[i];
      if (r.bad) continue;
      bool is_node = r.kind == RecordKind::kNode || r.kind == RecordKind::kEvent;
      node += is_node;
      rel += (is_node ? r.sources.size() : 0) + r.rels.size();
    }
  });
  nodes_before[n] = nodes;
  rels_before[n] = rels;
  auto node_of = [&](size_t i) { return first_node + nodes_before[i]; };
  auto lookup_node_id = [&](const std::string& key) -> Result<NodeId> {
    if (auto i = Defined(key)) return node_of(*i);
    // Resolve() looked every other key up in the database.
    if (const DbNode* node = db_keys_->Cached(key)) return node->id;
    return Status::Internal(key + " vanished during the import");
  };
  std::vector<BulkLoad::Part*> parts;
  for (size_t t = 0; t < threads; ++t) parts.push_back(&bulk.NewPart());
  // Shares with as many entities each: records are not alike (a file may hold its nodes first).
  auto share = [&](const std::vector<uint64_t>& before, size_t t) {
    auto at = [&](size_t k) {
      uint64_t want = before[n] * k / threads;
      return k == threads ? n
                          : static_cast<size_t>(std::lower_bound(before.begin(), before.end() - 1, want) -
                                                before.begin());
    };
    return std::make_pair(at(t), at(t + 1));
  };
  auto add_nodes = [&](size_t t) -> Status {
    BulkLoad::Part& part = *parts[t];
    auto [begin, end] = share(nodes_before, t);
    for (size_t i = begin; i < end; ++i) {
      Record& r = records_[i];
      if (r.bad || (r.kind != RecordKind::kNode && r.kind != RecordKind::kEvent)) continue;
      if (t == 0 && (i & 4095) == 0) Progress("writing", i, 2 * end);
      std::optional<Validity> control_validity;
      if (!r.labels.empty() && r.labels[0] == "Control") {
        std::optional<Date> announced;
        for (const auto& [k, v] : r.props) {
          if (k == "announced" && v.is_date()) announced = v.as_date();
        }
        auto it = lifecycle.find(r.key);
        Lifecycle lc = ComputeLifecycle(it == lifecycle.end() ? std::vector<LifecycleEvent>{} : it->second,
                                        announced, r.key);
        control_validity = PeriodsAsValidity(lc);
      }
      ASSIGN_OR_RETURN(NodeRecord rec, Encoder::Node(std::move(r), frozen));
      if (control_validity) rec.validity = std::move(*control_validity);
      RETURN_IF_ERROR(part.AddNode(node_of(i), std::move(rec)));
    }
    return Status::OK();
  };
  auto add_rels = [&](size_t t) -> Status {
    BulkLoad::Part& part = *parts[t];
    auto [begin, end] = share(rels_before, t);
    RelId id = first_rel + rels_before[begin];
    // Consecutive records tend to cite the same sources: the last key looked up is remembered.
    std::string_view last_key;
    NodeId last_id = 0;
    auto node_id = [&](const std::string& key) -> Result<NodeId> {
      if (key == last_key) return last_id;
      ASSIGN_OR_RETURN(last_id, lookup_node_id(key));
      last_key = key;
      return last_id;
    };
    for (size_t i = begin; i < end; ++i) {
      Record& r = records_[i];
      if (r.bad) continue;
      if (t == 0 && (i & 4095) == 0) Progress("writing", end + i, 2 * end);
      if (r.kind == RecordKind::kNode || r.kind == RecordKind::kEvent) {
        NodeId self = node_of(i);
        for (const auto& s : r.sources) {
          ASSIGN_OR_RETURN(NodeId sid, node_id(s));
          RETURN_IF_ERROR(part.AddRel(id++, self, sourced_from, sid, {}));
        }
      }
      for (RelItem& item : r.rels) {
        ASSIGN_OR_RETURN(RelTypeId type, frozen.InternRelType(item.type));
        ASSIGN_OR_RETURN(NodeId src, node_id(item.from));
        ASSIGN_OR_RETURN(NodeId dst, node_id(item.to));
        ASSIGN_OR_RETURN(RelRecord rec, Encoder::Rel(std::move(item), frozen));
        RETURN_IF_ERROR(part.AddRel(id++, src, type, dst, std::move(rec)));
      }
    }
    return Status::OK();
  };
  auto on_all_threads = [&](const std::function<Status(size_t)>& work) -> Status {
    std::vector<Status> results(threads);
    std::vector<std::thread> helpers;
    for (size_t t = 1; t < threads; ++t) helpers.emplace_back([&, t] { results[t] = work(t); });
    results[0] = work(0);
    for (auto& h : helpers) h.join();
    for (const Status& s : results) RETURN_IF_ERROR(s);
    return Status::OK();
  };
  RETURN_IF_ERROR(on_all_threads(add_nodes));
  RETURN_IF_ERROR(on_all_threads(add_rels));

  if (opt_.collect_changes) {
    for (const auto& r : records_) Outcome(r, r.bad ? Change::Kind::kRejected : Change::Kind::kCreated);
  } else {
    uint64_t good = 0;
    for (const FirstUses& u : uses) good += u.good;
    report_.created += good;
    report_.rejected += records_.size() - good;
  }
  report_.controls_recomputed = 0;
  Phase("write");
  Progress("committing", 1, 1);
  RETURN_IF_ERROR(StampDomainVersion(db_.store(), bulk));
  RETURN_IF_ERROR(bulk.Commit());
  report_.committed = true;
  report_.record_time = bulk.record_time();
  return Status::OK();
}

}  // namespace lodestone::domain::import_internal
