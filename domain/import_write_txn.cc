// The importer, part 4a: writing through one transaction.
#include "domain/import_run.h"

namespace lodestone::domain::import_internal {

Status Run::WriteTxnPath() {
  GraphStore& store = db_.store();
  ASSIGN_OR_RETURN(auto txn_ptr, store.BeginWrite(opt_.origin));
  WriteTxn& txn = *txn_ptr;
  ReadView& view = txn.view();
  RETURN_IF_ERROR(EnsureIndexes(txn, schema_));
  RETURN_IF_ERROR(StampDomainVersion(store, txn));
  CachingInterner<WriteTxn> names(txn);
  ASSIGN_OR_RETURN(RelTypeId sourced_from, txn.InternRelType("SOURCED_FROM"));

  // The schema extensions travel with the data, in the node schema/extensions.
  if (schema_changed_) {
    NodeRecord rec;
    rec.key = std::string(kSchemaNodeKey);
    ASSIGN_OR_RETURN(LabelId l, txn.InternLabel(kSchemaLabel));
    ASSIGN_OR_RETURN(PropKeyId p, txn.InternPropKey(kSchemaDefinitionProp));
    rec.labels = {l};
    rec.props = {{p, Value(schema_.extensions().dump())}};
    ASSIGN_OR_RETURN(auto id, view.FindNode(kSchemaNodeKey));
    if (id) {
      RETURN_IF_ERROR(txn.UpdateNode(*id, rec));
    } else {
      RETURN_IF_ERROR(txn.CreateNode(rec).status());
    }
    report_.schema_extended = true;
  }

  std::unordered_map<std::string, NodeId> ids;
  auto find = [&](const std::string& key) -> Result<std::optional<NodeId>> {
    auto it = ids.find(key);
    if (it != ids.end()) return std::optional<NodeId>(it->second);
    ASSIGN_OR_RETURN(auto id, view.FindNode(key));
    if (id) ids.emplace(key, *id);
    return id;
  };
  auto control_label = txn.view().names().FindLabel("Control");

  // Nodes and events first, so that relationships find both ends.
  std::vector<Change::Kind> outcome(records_.size(), Change::Kind::kUnchanged);
  std::unordered_set<std::string> created_keys;
  std::vector<std::vector<std::string>> details(records_.size());
  size_t n = records_.size();
  for (size_t i = 0; i < n; ++i) {
    Record& r = records_[i];
    if (r.bad || (r.kind != RecordKind::kNode && r.kind != RecordKind::kEvent)) continue;
    Progress("writing", i, 2 * n);
    ASSIGN_OR_RETURN(NodeRecord rec, Encoder::Node(r, names));
    ASSIGN_OR_RETURN(auto existing, find(r.key));
    if (!existing) {
      ASSIGN_OR_RETURN(NodeId id, txn.CreateNode(rec));
      ids[r.key] = id;
      created_keys.insert(r.key);
      outcome[i] = Change::Kind::kCreated;
      continue;
    }
    NodeRecord old;
    ASSIGN_OR_RETURN(bool found, view.GetNode(*existing, &old));
    if (!found) return Status::Internal("node " + r.key + " vanished during the import");
    // A control's validity is derived: keep what is stored; it is recomputed below.
    if (control_label && std::binary_search(rec.labels.begin(), rec.labels.end(), *control_label))
      rec.validity = old.validity;
    std::vector<std::string>& d = details[i];
    if (old.labels != rec.labels) d.push_back("labels");
    if (old.validity != rec.validity)
      d.push_back("validity: " + ValidityText(old.validity) + " -> " + ValidityText(rec.validity));
    if (!SameProps(old.props, rec.props)) {
      auto diff = PropDiff(old.props, rec.props, view.names());
      d.insert(d.end(), diff.begin(), diff.end());
    }
    if (!d.empty()) {
      RETURN_IF_ERROR(txn.UpdateNode(*existing, rec));
      outcome[i] = Change::Kind::kUpdated;
    }
  }

  // SOURCED_FROM: each node's set of sources equals its record's.
  for (size_t i = 0; i < n; ++i) {
    Record& r = records_[i];
    if (r.bad || (r.kind != RecordKind::kNode && r.kind != RecordKind::kEvent)) continue;
    NodeId id = ids.at(r.key);
    std::set<NodeId> want;
    for (const auto& s : r.sources) {
      ASSIGN_OR_RETURN(auto sid, find(s));
      if (!sid) return Status::Internal("source " + s + " vanished during the import");
      want.insert(*sid);
    }
    std::vector<RelRef> extra;
    std::set<NodeId> have;
    if (outcome[i] != Change::Kind::kCreated) {
      ScanOptions so;
      so.dir = Direction::kOut;
      so.type = sourced_from;
      auto cur = view.ScanAdj(id, so);
      for (; cur->Valid(); cur->Next()) {
        NodeId other = cur->entry().other;
        if (want.count(other) && have.insert(other).second) continue;
        extra.push_back(cur->entry().rel);
      }
      RETURN_IF_ERROR(cur->status());
    }
    bool changed = !extra.empty();
    for (const RelRef& e : extra) RETURN_IF_ERROR(txn.DeleteRel(e));
    for (NodeId s : want) {
      if (have.count(s)) continue;
      RETURN_IF_ERROR(txn.CreateRel(id, sourced_from, s, {}).status());
      changed = true;
    }
    if (changed && outcome[i] == Change::Kind::kUnchanged) {
      outcome[i] = Change::Kind::kUpdated;
      details[i].push_back("sources");
    }
  }

  // Relationships: rel records and the relationships events own.
  std::set<std::string> affected_before;  // controls an event's old AFFECTS pointed at
  for (size_t i = 0; i < n; ++i) {
    Record& r = records_[i];
    if (r.bad || r.rels.empty()) continue;
    Progress("writing", n + i, 2 * n);
    std::set<std::pair<RelTypeId, std::pair<NodeId, std::string>>> keep;
    for (const RelItem& item : r.rels) {
      const RelSpec* spec = schema_.FindRel(item.type);
      ASSIGN_OR_RETURN(RelTypeId type, names.InternRelType(item.type));
      ASSIGN_OR_RETURN(auto src, find(item.from));
      ASSIGN_OR_RETURN(auto dst, find(item.to));
      if (!src || !dst)
        return Status::Internal("an end of " + DescribeRel(item) + " vanished during the import");
      keep.insert({type, {*dst, item.key}});
      ASSIGN_OR_RETURN(RelRecord rec, Encoder::Rel(item, names));
      std::optional<RelRef> found;
      RelRecord old;
      auto look = [&](NodeId a, NodeId b) -> Status {
        ScanOptions so;
        so.dir = Direction::kOut;
        so.type = type;
        so.other = b;
        auto cur = view.ScanAdj(a, so);
        for (; cur->Valid() && !found; cur->Next()) {
          RelRecord rr;
          RETURN_IF_ERROR(cur->record(&rr));
          if (rr.key == item.key) {
            found = cur->entry().rel;
            old = std::move(rr);
          }
        }
        return cur->status();
      };
      RETURN_IF_ERROR(look(*src, *dst));
      if (!found && spec && spec->symmetric) RETURN_IF_ERROR(look(*dst, *src));
      if (!found) {
        RETURN_IF_ERROR(txn.CreateRel(*src, type, *dst, rec).status());
        if (r.kind == RecordKind::kRel) {
          outcome[i] = Change::Kind::kCreated;
        } else if (outcome[i] == Change::Kind::kUnchanged) {
          outcome[i] = Change::Kind::kUpdated;
          details[i].push_back(item.field + " added");
        }
        continue;
      }
      bool same = old.validity == rec.validity && SameProps(old.props, rec.props);
      if (!same) {
        RETURN_IF_ERROR(txn.UpdateRel(*found, rec));
        if (outcome[i] != Change::Kind::kCreated) outcome[i] = Change::Kind::kUpdated;
        std::string prefix = item.field.empty() ? "" : item.field + ": ";
        if (old.validity != rec.validity)
          details[i].push_back(prefix + "validity: " + ValidityText(old.validity) + " -> " +
                               ValidityText(rec.validity));
        for (auto& d : PropDiff(old.props, rec.props, view.names())) details[i].push_back(prefix + d);
      }
    }
    if (r.kind != RecordKind::kEvent || outcome[i] == Change::Kind::kCreated) continue;
    // An event record owns its INVOLVES, AFFECTS and CONCERNS: drop those it no longer lists (unless a
    // rel record of this import writes them).
    NodeId id = ids.at(r.key);
    std::vector<RelRef> drop;
    auto cur = view.ScanAdj(id, ScanOptions{Direction::kOut, std::nullopt, std::nullopt});
    for (; cur->Valid(); cur->Next()) {
      const AdjEntry& e = cur->entry();
      std::string type = view.names().RelTypeName(e.rel.type);
      if (type != "INVOLVES" && type != "AFFECTS" && type != "CONCERNS") continue;
      RelRecord rr;
      RETURN_IF_ERROR(cur->record(&rr));
      if (keep.count({e.rel.type, {e.other, rr.key}})) continue;
      NodeRecord other;
      ASSIGN_OR_RETURN(bool exists, view.GetNode(e.other, &other));
      RelItem probe{type, r.key, exists ? other.key : "", rr.key, {}, {}, ""};
      if (HasRelRecord(probe)) continue;
      drop.push_back(e.rel);
      if (type == "AFFECTS" && exists) touched_controls_.insert(other.key);
      details[i].push_back(type + " " + (exists ? other.key : std::to_string(e.other)) + " removed");
    }
    RETURN_IF_ERROR(cur->status());
    for (const RelRef& d : drop) RETURN_IF_ERROR(txn.DeleteRel(d));
    if (!drop.empty() && outcome[i] == Change::Kind::kUnchanged) outcome[i] = Change::Kind::kUpdated;
  }

  // Query scripts, in order, in the same transaction.
  if (!scripts_.empty()) {
    auto conn = db_.Connect();
    QueryOptions qo;
    qo.origin = opt_.origin;
    qo.timeout = std::chrono::milliseconds(0);
    for (const auto& [file, script] : scripts_) {
      for (const auto& st : script->statements) {
        ExecResult er = conn->ExecuteInTransaction(txn, st->text, {}, qo);
        ++report_.statements;
        if (!er.ok()) {
          int line = static_cast<int>(st->location.line) + std::max(er.error->line, 1) - 1;
          AddProblem(file, line, "", er.error->message);
          return Status::InvalidArgument("the query script " + inputs_[static_cast<size_t>(file)].name +
                                         " failed; nothing was written");
        }
      }
    }
    // A script may have changed any control or event: recompute every control.
    if (control_label) {
      auto cur = view.ScanLabel(*control_label);
      std::vector<NodeId> all;
      for (; cur->Valid(); cur->Next()) all.push_back(cur->entry().id);
      RETURN_IF_ERROR(cur->status());
      for (NodeId c : all) {
        NodeRecord rec;
        ASSIGN_OR_RETURN(bool found, view.GetNode(c, &rec));
        if (found && !rec.key.empty()) touched_controls_.insert(rec.key);
      }
    }
  }

  // Lifecycles: every touched control's periods become its validity.
  for (const std::string& key : touched_controls_) {
    ASSIGN_OR_RETURN(auto id, view.FindNode(key));
    if (!id) continue;
    NodeRecord rec;
    ASSIGN_OR_RETURN(bool found, view.GetNode(*id, &rec));
    if (!found || !control_label || !rec.HasLabel(*control_label)) continue;
    ASSIGN_OR_RETURN(Lifecycle lc, ReadLifecycle(view, *id));
    Validity v = PeriodsAsValidity(lc);
    if (v == rec.validity) continue;
    rec.validity = std::move(v);
    RETURN_IF_ERROR(txn.UpdateNode(*id, rec));
    if (!created_keys.count(key)) ++report_.controls_recomputed;
  }

  for (size_t i = 0; i < n; ++i)
    Outcome(records_[i], records_[i].bad ? Change::Kind::kRejected : outcome[i], std::move(details[i]));
  if (opt_.dry_run) return Status::OK();
  Progress("committing", 1, 1);
  RETURN_IF_ERROR(txn.Commit());
  report_.committed = txn.dirty();
  report_.record_time = txn.dirty() ? txn.record_time() : 0;
  return Status::OK();
}

}  // namespace lodestone::domain::import_internal
