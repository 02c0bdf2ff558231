// The importer, part 2: checks against the schema, duplicates, references, variants and lifecycles.
#include "domain/import_run.h"

namespace lodestone::domain::import_internal {

bool Run::LoadSchema() {
  auto s = Schema::ForView(*view_);
  if (!s.ok()) {
    report_.problems.push_back({"", 0, "", s.status().message()});
    return false;
  }
  schema_ = std::move(s).value();
  bool ok = true;
  auto extend = [&](const std::string& name, int line, const json& doc) {
    auto problems = schema_.Extend(doc);
    for (const auto& p : problems) report_.problems.push_back({name, line, "schema." + p.path, p.message});
    if (!problems.empty()) ok = false;
    schema_changed_ = true;
  };
  for (const auto& [name, text] : opt_.schema_extensions) {
    json doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
      report_.problems.push_back(
          {name, 0, "",
           "a schema extension file is one JSON object (see docs/schema.md, \"Extending the schema\")"});
      ok = false;
      continue;
    }
    extend(name, 0, doc);
  }
  // Schema records inside JSON Lines files apply to the whole import: find them first.
  for (size_t f = 0; f < inputs_.size(); ++f) {
    if (inputs_[f].kind != InputKind::kJsonLines) continue;
    std::string_view text = inputs_[f].text;
    // From one line that mentions "schema" to the next (few files have any).
    size_t counted = 0;  // the start of line `line`
    int line = 1;
    // memmem, not string_view::find: find() stops at every '"' of the text, memmem skips ahead.
    auto next = [&](size_t from) -> size_t {
      constexpr std::string_view kNeedle = "\"schema\"";
      const void* p = memmem(text.data() + from, text.size() - from, kNeedle.data(), kNeedle.size());
      return p ? static_cast<size_t>(static_cast<const char*>(p) - text.data()) : std::string_view::npos;
    };
    for (size_t hit, from = 0; from < text.size() && (hit = next(from)) != std::string_view::npos;) {
      size_t start = text.rfind('\n', hit);
      start = start == std::string_view::npos ? 0 : start + 1;
      line += static_cast<int>(std::count(text.begin() + static_cast<ptrdiff_t>(counted),
                                          text.begin() + static_cast<ptrdiff_t>(start), '\n'));
      counted = start;
      size_t nl = text.find('\n', hit);
      if (nl == std::string_view::npos) nl = text.size();
      from = nl + 1;
      std::string_view l = text.substr(start, nl - start);
      json j = json::parse(l, nullptr, false);
      if (j.is_discarded() || !j.is_object() || !j.contains("schema") || j.contains("node") ||
          j.contains("rel") || j.contains("event")) {
        continue;  // reported in the main pass
      }
      if (!j["schema"].is_object()) continue;
      extend(inputs_[f].name, line, j["schema"]);
    }
  }
  if (ok && schema_changed_) {
    // Unchanged if the stored extensions already hold everything.
    Schema stored = Schema::ForView(*view_).value();
    schema_changed_ = stored.extensions() != schema_.extensions();
  }
  return ok;
}

void Run::CheckDuplicates() {
  for (size_t i = 0; i < records_.size(); ++i) {
    if (records_[i].bad && !records_[i].key.empty()) rejected_keys_.emplace(records_[i].key, i);
  }
  // The keys are cut into shards by hash; each thread reads all records in order and fills one
  // shard, so that "first at" is the first record in the file, as on one thread.
  size_t n = records_.size();
  size_t threads = ThreadsFor(n);
  defined_.Shards(threads);
  rel_records_.Shards(threads);
  struct Duplicate {
    size_t record, first;
  };
  std::vector<std::vector<Duplicate>> nodes(threads), rels(threads);
  std::vector<std::thread> helpers;
  auto work = [&](size_t t) {
    RecordIndex& keys = defined_.shard(t);
    RecordIndex& ids = rel_records_.shard(t);
    keys.Reserve(n / threads);
    for (size_t i = 0; i < n; ++i) {
      const Record& r = records_[i];
      if (r.bad) continue;
      if (r.kind == RecordKind::kNode || r.kind == RecordKind::kEvent) {
        uint64_t hash = HashKey(r.key);
        if (defined_.ShardOf(hash) != t) continue;
        auto first = keys.Insert(hash, i, [&](size_t j) { return records_[j].key == r.key; });
        if (first) nodes[t].push_back({i, *first});
      } else if (r.kind == RecordKind::kRel) {
        const RelItem& item = r.rels[0];
        const RelSpec* spec = schema_.FindRel(item.type);
        RelIdentity id(spec, item);
        uint64_t hash = id.Hash();
        if (rel_records_.ShardOf(hash) != t) continue;
        auto first =
            ids.Insert(hash, i, [&](size_t j) { return RelIdentity(spec, records_[j].rels[0]) == id; });
        if (first) rels[t].push_back({i, *first});
      }
    }
  };
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work, t);
  work(0);
  for (auto& h : helpers) h.join();
  for (size_t t = 0; t < threads; ++t) {
    for (const Duplicate& d : nodes[t]) {
      Record& r = records_[d.record];
      Reject(r, r.kind == RecordKind::kEvent ? "event" : "node",
             r.key + " is defined twice; first at " + WhereDefined(d.first) +
                 " (one record per key; edit that one)");
    }
    for (const Duplicate& d : rels[t]) {
      Record& r = records_[d.record];
      Reject(r, "rel",
             "duplicate " + DescribeRel(r.rels[0]) + "; first at " + WhereDefined(d.first) +
                 " (give parallel relationships different \"key\" values)");
    }
  }
}

bool Run::ReferenceProblems(size_t index, bool look_in_db, std::vector<Problem>* problems, Status* status) {
  const Record& r = records_[index];
  auto problem = [&](const std::string& field, std::string message) {
    problems->push_back({inputs_[static_cast<size_t>(r.file)].name, r.line, field, std::move(message)});
  };
  bool deferred = false;
  // The labels of a node the record refers to; null (and a problem) when there is none.
  auto refer = [&](const std::string& key, const auto& field,
                   const char* what) -> const std::vector<std::string>* {
    if (auto i = Defined(key)) return &records_[*i].labels;
    if (!look_in_db && !db_keys_->empty()) {
      deferred = true;
      return nullptr;
    }
    auto found = db_keys_->Find(key);
    if (!found.ok()) {
      *status = found.status();
      return nullptr;
    }
    if (*found) return &(*found)->labels;
    auto bad = rejected_keys_.find(key);
    if (bad != rejected_keys_.end()) {
      problem(field(), std::string(what) + " " + key + " is defined at " + WhereDefined(bad->second) +
                           ", which has problems");
    } else if (const LabelSpec* spec = schema_.FindLabelByKey(key);
               spec && !spec->CheckKeySlug(key).empty()) {
      problem(field(), std::string(what) + " " + key + " is not a valid " + spec->name + " key: after " +
                           spec->prefix + " comes " + spec->CheckKeySlug(key));
    } else {
      problem(field(),
              std::string(what) + " " + key +
                  " is not defined: no record of this import defines it and the database has no such node");
    }
    return nullptr;
  };
  for (size_t s = 0; s < r.sources.size(); ++s) {
    auto field = [&] { return "sources[" + std::to_string(s) + "]"; };
    const std::vector<std::string>* labels = refer(r.sources[s], field, "source");
    if (labels && std::find(labels->begin(), labels->end(), "Source") == labels->end()) {
      problem(field(), r.sources[s] + " is not a Source node");
    }
  }
  for (const RelItem& item : r.rels) {
    const RelSpec* spec = schema_.FindRel(item.type);
    auto from_field = [&] { return item.field.empty() ? std::string("from") : std::string("event"); };
    auto to_field = [&] { return item.field.empty() ? std::string("to") : item.field; };
    const std::vector<std::string>* fl =
        r.kind == RecordKind::kEvent ? &r.labels : refer(item.from, from_field, "node");
    const std::vector<std::string>* tl = refer(item.to, to_field, "node");
    if (!fl || !tl || !spec) continue;
    bool from_ok =
        std::any_of(fl->begin(), fl->end(), [&](const std::string& l) { return spec->AllowsFrom(l); });
    bool to_ok = std::any_of(tl->begin(), tl->end(), [&](const std::string& l) { return spec->AllowsTo(l); });
    if (!from_ok || !to_ok) {
      problem(from_ok ? to_field() : from_field(),
              item.type + " runs from " + JoinChoices(spec->from) + " to " + JoinChoices(spec->to) + "; " +
                  (from_ok ? item.to + " is " + WithArticle(tl->empty() ? "?" : (*tl)[0])
                           : item.from + " is " + WithArticle(fl->empty() ? "?" : (*fl)[0])));
    } else if (spec->same_label && !fl->empty() && !tl->empty() && (*fl)[0] != (*tl)[0]) {
      problem(to_field(), item.type + " joins two nodes with the same label; " + item.from + " is " +
                              WithArticle((*fl)[0]) + " and " + item.to + " is " + WithArticle((*tl)[0]));
    } else if (item.type == "VARIANT_OF") {
      // A disputed value must be one the node's property could hold (checked when the variant is in
      // this import).
      if (auto def = Defined(item.from)) {
        std::string why = VariantProblem(records_[*def], item.to, *tl);
        if (!why.empty()) problem(to_field(), why);
      }
    }
  }
  return !deferred;
}

std::string Run::VariantProblem(const Record& variant, const std::string& target,
                                const std::vector<std::string>& labels) const {
  const Value* property = nullptr;
  const Value* value = nullptr;
  for (const auto& [k, v] : variant.props) {
    if (k == "property") property = &v;
    if (k == "value") value = &v;
  }
  if (!property || !value || !property->is_string()) return "";
  const std::string& name = property->as_string();
  const PropertySpec* spec = schema_.FindCommonNodeProp(name);
  for (const std::string& l : labels) {
    const LabelSpec* ls = schema_.FindLabel(l);
    if (!spec && ls) spec = ls->FindProp(name);
  }
  std::string what = variant.key + " gives a value of '" + name + "' for " + target;
  if (!spec)
    return what + ", which " +
           (labels.empty() ? std::string("that node") : WithArticle(labels[0]) + " node") + " does not have";
  bool ok = true;
  switch (spec->type) {
    case PropType::kDate:
      ok = value->is_string() && ParseDateText(value->as_string()).ok();
      break;
    case PropType::kNumber:
      ok = value->is_number();
      break;
    case PropType::kInteger:
      ok = value->is_int();
      break;
    case PropType::kConfidence:
      ok = value->is_number() && value->as_number() >= 0 && value->as_number() <= 1;
      break;
    case PropType::kBoolean:
      ok = value->is_bool();
      break;
    case PropType::kEnum:
      ok = value->is_string() &&
           std::find(spec->values.begin(), spec->values.end(), value->as_string()) != spec->values.end();
      break;
    case PropType::kHsCode:
      ok = value->is_string() && IsHsCode(value->as_string());
      break;
    case PropType::kMastCode:
      ok = value->is_string() && IsMastCode(value->as_string());
      break;
    case PropType::kString:
    case PropType::kList:
    case PropType::kScalar:
      ok = value->is_string();
      break;
  }
  return ok ? "" : what + ": " + value->ToString() + " is not " + spec->Expected();
}

Status Run::CheckLifecycles() {
  // Which controls this import touches, with the import's lifecycle events for each.
  std::map<std::string, std::vector<std::pair<size_t, LifecycleEvent>>> by_control;
  // Only records that are controls or affect one matter here: found on every core, in order.
  size_t threads = ThreadsFor(records_.size());
  std::vector<std::vector<size_t>> found(threads);
  OnShares(records_.size(), threads, [&](size_t t, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const Record& r = records_[i];
      if (r.bad) continue;
      bool control = r.kind == RecordKind::kNode && !r.labels.empty() && r.labels[0] == "Control";
      bool affects = std::any_of(r.rels.begin(), r.rels.end(),
                                 [](const RelItem& item) { return item.type == "AFFECTS"; });
      if (control || affects) found[t].push_back(i);
    }
  });
  naming_controls_.clear();
  for (const auto& f : found) naming_controls_.insert(naming_controls_.end(), f.begin(), f.end());
  // Events of the database that this import redefines (only stored lifecycles ask).
  std::set<std::string> redefined_events;
  if (!db_keys_->empty()) {
    for (const Record& r : records_) {
      if (!r.bad && r.kind == RecordKind::kEvent) redefined_events.insert(r.key);
    }
  }
  for (size_t i : naming_controls_) {
    const Record& r = records_[i];
    if (r.kind == RecordKind::kNode && !r.labels.empty() && r.labels[0] == "Control")
      touched_controls_.insert(r.key);
    for (const RelItem& item : r.rels) {
      if (item.type != "AFFECTS") continue;
      touched_controls_.insert(item.to);
      if (r.kind != RecordKind::kEvent) continue;
      auto date =
          std::find_if(r.props.begin(), r.props.end(), [](const auto& p) { return p.first == "date"; });
      if (date == r.props.end()) continue;
      if (auto e = AffectsEvent(date->second.as_date(), item.props, r.key))
        by_control[item.to].push_back({i, std::move(*e)});
    }
  }
  // AFFECTS written as rel records: their event's date comes from the import or the database.
  for (size_t i : naming_controls_) {
    const Record& r = records_[i];
    if (r.bad || r.kind != RecordKind::kRel || r.rels[0].type != "AFFECTS") continue;
    const RelItem& item = r.rels[0];
    std::optional<Date> date;
    if (auto def = Defined(item.from)) {
      for (const auto& [k, v] : records_[*def].props) {
        if (k == "date" && v.is_date()) date = v.as_date();
      }
    } else {
      ASSIGN_OR_RETURN(const DbNode* n, db_keys_->Find(item.from));
      auto dk = view_->names().FindPropKey("date");
      if (n && dk) {
        ASSIGN_OR_RETURN(Value v, view_->GetNodeProperty(n->id, *dk));
        if (v.is_date()) date = v.as_date();
      }
    }
    if (!date) continue;
    if (auto e = AffectsEvent(*date, item.props, item.from))
      by_control[item.to].push_back({i, std::move(*e)});
  }
  for (const auto& [control, mine] : by_control) {
    std::vector<LifecycleEvent> events;
    std::optional<Date> announced;
    std::set<std::string> from_import;
    for (const auto& [i, e] : mine) {
      events.push_back(e);
      from_import.insert(e.event_key);
    }
    if (auto def = Defined(control)) {
      for (const auto& [k, v] : records_[*def].props) {
        if (k == "announced" && v.is_date()) announced = v.as_date();
      }
    }
    ASSIGN_OR_RETURN(const DbNode* n, db_keys_->Find(control));
    if (n) {
      ASSIGN_OR_RETURN(Lifecycle stored, ReadLifecycle(*view_, n->id));
      for (const auto& e : stored.events) {
        // An event this import redefines counts with its new effects only; an AFFECTS rel record
        // replaces the stored one of the same event.
        if (redefined_events.count(e.event_key) || from_import.count(e.event_key)) continue;
        events.push_back(e);
      }
      if (!Defined(control)) announced = stored.announced;
    }
    Lifecycle lc = ComputeLifecycle(events, announced, control);
    for (const auto& problem : lc.problems) {
      auto it = std::find_if(mine.begin(), mine.end(),
                             [&](const auto& m) { return m.second.event_key == problem.event_key; });
      size_t index = it != mine.end() ? it->first : mine.front().first;
      Record& r = records_[index];
      if (r.bad) continue;
      std::string field = "affects";
      for (const auto& item : r.rels) {
        if (item.type == "AFFECTS" && item.to == control && !item.field.empty()) field = item.field;
      }
      Reject(r, r.kind == RecordKind::kEvent ? field : "to",
             "inconsistent lifecycle of " + control + ": " + problem.message);
      if (opt_.skip_bad) Undefine(r.key);
    }
  }
  if (opt_.skip_bad) return Resolve();
  return Status::OK();
}

}  // namespace lodestone::domain::import_internal
