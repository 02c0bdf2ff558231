// The catalog: names of labels, relationship types and property keys, their ids, and declared
// indexes. Internal to store/.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/graph_store.h"

namespace lodestone::internal {

enum class NameKind { kLabel = 0, kRelType = 1, kPropKey = 2 };

char CatalogTag(NameKind kind);
std::string CatalogNameKey(NameKind kind, std::string_view name);
std::string CatalogIndexKey(LabelId label, PropKeyId key);

// NameResolver's typed lookups, in terms of lookups by kind.
class NameTable : public NameResolver {
 public:
  virtual std::optional<uint32_t> Find(NameKind kind, std::string_view name) const = 0;
  virtual std::string Name(NameKind kind, uint32_t id) const = 0;
  virtual std::vector<std::string> Names(NameKind kind) const = 0;

  std::optional<LabelId> FindLabel(std::string_view name) const final { return Find(NameKind::kLabel, name); }
  std::optional<RelTypeId> FindRelType(std::string_view name) const final {
    return Find(NameKind::kRelType, name);
  }
  std::optional<PropKeyId> FindPropKey(std::string_view name) const final {
    return Find(NameKind::kPropKey, name);
  }
  std::string LabelName(LabelId id) const final { return Name(NameKind::kLabel, id); }
  std::string RelTypeName(RelTypeId id) const final { return Name(NameKind::kRelType, id); }
  std::string PropKeyName(PropKeyId id) const final { return Name(NameKind::kPropKey, id); }
  std::vector<std::string> LabelNames() const final { return Names(NameKind::kLabel); }
  std::vector<std::string> RelTypeNames() const final { return Names(NameKind::kRelType); }
  std::vector<std::string> PropKeyNames() const final { return Names(NameKind::kPropKey); }
};

// The committed catalog. Thread-safe.
class Catalog final : public NameTable {
 public:
  // Loads an entry read from the catalog column family at open.
  void Load(NameKind kind, std::string name, uint32_t id);
  void LoadIndex(const IndexSpec& spec);

  std::optional<uint32_t> Find(NameKind kind, std::string_view name) const override;
  std::string Name(NameKind kind, uint32_t id) const override;
  std::vector<std::string> Names(NameKind kind) const override;
  uint32_t NextId(NameKind kind) const;

  // Publishes names and index changes of a committing transaction (ids must be fresh), and takes
  // them back if the commit fails.
  void Publish(const std::vector<std::tuple<NameKind, std::string, uint32_t>>& names);
  void Unpublish(const std::vector<std::tuple<NameKind, std::string, uint32_t>>& names);
  void SetIndex(const IndexSpec& spec);
  void RemoveIndex(LabelId label, PropKeyId key);

  std::optional<IndexSpec> FindIndex(LabelId label, PropKeyId key) const override;
  std::vector<IndexSpec> Indexes() const override;
  uint64_t generation() const override { return generation_.load(); }

 private:
  std::atomic<uint64_t> generation_{1};
  struct Table {
    std::unordered_map<std::string, uint32_t> by_name;
    std::vector<std::string> by_id;
  };
  mutable std::shared_mutex mu_;
  Table tables_[3];
  std::map<std::pair<LabelId, PropKeyId>, Value::Kind> indexes_;
};

// A write transaction's view of the catalog: the committed names plus the ones it added.
class PendingCatalog final : public NameTable {
 public:
  explicit PendingCatalog(const Catalog* base) : base_(base) {}

  // Returns the id of `name`, allocating one (recorded in added()) when it is new.
  uint32_t Intern(NameKind kind, std::string_view name, bool* created);
  const std::vector<std::tuple<NameKind, std::string, uint32_t>>& added() const { return added_; }

  void SetIndex(const IndexSpec& spec) { index_changes_[{spec.label, spec.key}] = spec.kind; }
  void RemoveIndex(LabelId label, PropKeyId key) { index_changes_[{label, key}] = std::nullopt; }
  const std::map<std::pair<LabelId, PropKeyId>, std::optional<Value::Kind>>& index_changes() const {
    return index_changes_;
  }

  std::optional<uint32_t> Find(NameKind kind, std::string_view name) const override;
  std::string Name(NameKind kind, uint32_t id) const override;
  std::vector<std::string> Names(NameKind kind) const override;

  std::optional<IndexSpec> FindIndex(LabelId label, PropKeyId key) const override;
  std::vector<IndexSpec> Indexes() const override;
  uint64_t generation() const override { return 0; }  // changes with every name the transaction adds

 private:
  const Catalog* base_;
  std::vector<std::tuple<NameKind, std::string, uint32_t>> added_;
  std::map<std::pair<LabelId, PropKeyId>, std::optional<Value::Kind>> index_changes_;
};

}  // namespace lodestone::internal
