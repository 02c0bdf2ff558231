#include "store/catalog.h"

#include <algorithm>

#include "store/key_codec.h"

namespace lodestone::internal {

char CatalogTag(NameKind kind) {
  switch (kind) {
    case NameKind::kLabel:
      return layout::kCatalogLabel;
    case NameKind::kRelType:
      return layout::kCatalogRelType;
    case NameKind::kPropKey:
      return layout::kCatalogPropKey;
  }
  return '?';
}

std::string CatalogNameKey(NameKind kind, std::string_view name) {
  std::string k(1, CatalogTag(kind));
  k.append(name);
  return k;
}

std::string CatalogIndexKey(LabelId label, PropKeyId key) {
  std::string k(1, layout::kCatalogIndex);
  layout::PutU32(&k, label);
  layout::PutU32(&k, key);
  return k;
}

void Catalog::Load(NameKind kind, std::string name, uint32_t id) {
  std::unique_lock lock(mu_);
  Table& t = tables_[static_cast<int>(kind)];
  if (t.by_id.size() <= id) t.by_id.resize(id + 1);
  t.by_id[id] = name;
  t.by_name.emplace(std::move(name), id);
  generation_++;
}

void Catalog::LoadIndex(const IndexSpec& spec) { SetIndex(spec); }

std::optional<uint32_t> Catalog::Find(NameKind kind, std::string_view name) const {
  std::shared_lock lock(mu_);
  const Table& t = tables_[static_cast<int>(kind)];
  auto it = t.by_name.find(std::string(name));
  if (it == t.by_name.end()) return std::nullopt;
  return it->second;
}

std::string Catalog::Name(NameKind kind, uint32_t id) const {
  std::shared_lock lock(mu_);
  const Table& t = tables_[static_cast<int>(kind)];
  return id < t.by_id.size() ? t.by_id[id] : std::string();
}

std::vector<std::string> Catalog::Names(NameKind kind) const {
  std::shared_lock lock(mu_);
  return tables_[static_cast<int>(kind)].by_id;
}

uint32_t Catalog::NextId(NameKind kind) const {
  std::shared_lock lock(mu_);
  return static_cast<uint32_t>(tables_[static_cast<int>(kind)].by_id.size());
}

void Catalog::Publish(const std::vector<std::tuple<NameKind, std::string, uint32_t>>& names) {
  for (const auto& [kind, name, id] : names) Load(kind, name, id);
}

void Catalog::Unpublish(const std::vector<std::tuple<NameKind, std::string, uint32_t>>& names) {
  std::unique_lock lock(mu_);
  for (const auto& [kind, name, id] : names) {
    Table& t = tables_[static_cast<int>(kind)];
    t.by_name.erase(name);
    if (id + 1 == t.by_id.size()) t.by_id.pop_back();
  }
  generation_++;
}

void Catalog::SetIndex(const IndexSpec& spec) {
  std::unique_lock lock(mu_);
  indexes_[{spec.label, spec.key}] = spec.kind;
  generation_++;
}

void Catalog::RemoveIndex(LabelId label, PropKeyId key) {
  std::unique_lock lock(mu_);
  indexes_.erase({label, key});
  generation_++;
}

std::optional<IndexSpec> Catalog::FindIndex(LabelId label, PropKeyId key) const {
  std::shared_lock lock(mu_);
  auto it = indexes_.find({label, key});
  if (it == indexes_.end()) return std::nullopt;
  return IndexSpec{label, key, it->second};
}

std::vector<IndexSpec> Catalog::Indexes() const {
  std::shared_lock lock(mu_);
  std::vector<IndexSpec> out;
  for (const auto& [k, kind] : indexes_) out.push_back({k.first, k.second, kind});
  return out;
}

uint32_t PendingCatalog::Intern(NameKind kind, std::string_view name, bool* created) {
  if (auto id = Find(kind, name)) {
    *created = false;
    return *id;
  }
  uint32_t next = base_->NextId(kind);
  for (const auto& [k, n, id] : added_) {
    if (k == kind) next = std::max(next, id + 1);
  }
  added_.emplace_back(kind, std::string(name), next);
  *created = true;
  return next;
}

std::optional<uint32_t> PendingCatalog::Find(NameKind kind, std::string_view name) const {
  if (auto id = base_->Find(kind, name)) return id;
  for (const auto& [k, n, id] : added_) {
    if (k == kind && n == name) return id;
  }
  return std::nullopt;
}

std::string PendingCatalog::Name(NameKind kind, uint32_t id) const {
  for (const auto& [k, n, i] : added_) {
    if (k == kind && i == id) return n;
  }
  return base_->Name(kind, id);
}

std::vector<std::string> PendingCatalog::Names(NameKind kind) const {
  std::vector<std::string> names = base_->Names(kind);
  for (const auto& [k, n, id] : added_) {
    if (k != kind) continue;
    if (names.size() <= id) names.resize(id + 1);
    names[id] = n;
  }
  return names;
}

std::optional<IndexSpec> PendingCatalog::FindIndex(LabelId label, PropKeyId key) const {
  auto it = index_changes_.find({label, key});
  if (it != index_changes_.end()) {
    if (!it->second) return std::nullopt;
    return IndexSpec{label, key, *it->second};
  }
  return base_->FindIndex(label, key);
}

std::vector<IndexSpec> PendingCatalog::Indexes() const {
  std::map<std::pair<LabelId, PropKeyId>, Value::Kind> all;
  for (const IndexSpec& s : base_->Indexes()) all[{s.label, s.key}] = s.kind;
  for (const auto& [k, kind] : index_changes_) {
    if (kind) {
      all[k] = *kind;
    } else {
      all.erase(k);
    }
  }
  std::vector<IndexSpec> out;
  for (const auto& [k, kind] : all) out.push_back({k.first, k.second, kind});
  return out;
}

}  // namespace lodestone::internal
