// The web API's views (web/server/views.h). Until the domain layer (domain/views.h, domain/import.h)
// is on main, only the schema is answered, from the store's catalogue; the rest say so.
#include "web/server/views.h"

namespace lodestone::web {

namespace {

using nlohmann::json;

class StoreOnlyViews final : public Views {
 public:
  Result<json> Timeline(ReadView&, const Params&) override { return Missing("timeline"); }
  Result<json> Entity(GraphStore&, ReadView&, std::string_view, Date) override { return Missing("entity"); }
  Result<json> Search(ReadView&, std::string_view, const std::vector<std::string>&, size_t) override {
    return Missing("search");
  }

  Result<json> Schema(ReadView& view) override {
    const NameResolver& names = view.names();
    json labels = json::array();
    auto label_names = names.LabelNames();
    for (size_t i = 0; i < label_names.size(); ++i) {
      if (label_names[i].empty()) continue;
      auto n = view.CountLabel(static_cast<LabelId>(i));
      if (!n.ok()) return n.status();
      if (*n) labels.push_back({{"name", label_names[i]}, {"count", *n}});
    }
    std::vector<uint64_t> type_counts(names.RelTypeNames().size());
    auto rels = view.ScanAllRels();
    for (; rels->Valid(); rels->Next()) {
      auto t = rels->entry().rel.type;
      if (t < type_counts.size()) ++type_counts[t];
    }
    if (!rels->status().ok()) return rels->status();
    json types = json::array();
    auto type_names = names.RelTypeNames();
    for (size_t i = 0; i < type_names.size(); ++i) {
      if (!type_names[i].empty() && type_counts[i]) types.push_back({{"name", type_names[i]}, {"count", type_counts[i]}});
    }
    json keys = json::array();
    auto key_names = names.PropKeyNames();
    std::sort(key_names.begin(), key_names.end());
    for (auto& k : key_names) {
      if (!k.empty()) keys.push_back(k);
    }
    json indexes = json::array();
    for (const IndexSpec& ix : names.Indexes()) {
      indexes.push_back({{"label", names.LabelName(ix.label)},
                         {"property", names.PropKeyName(ix.key)},
                         {"kind", std::string(Value::KindName(ix.kind))}});
    }
    return json{{"labels", labels}, {"relationship_types", types}, {"property_keys", keys}, {"indexes", indexes}};
  }

  ImportOutcome Import(Database&, std::string_view, const std::string&) override {
    return {503, json{{"error", {{"status", 503}, {"kind", "ServiceUnavailable"}, {"detail", "NoImporter"},
                                 {"message", "this build has no importer yet"}}}}};
  }

 private:
  static Status Missing(const char* what) {
    return Status::Unsupported(std::string("this build has no ") + what + " view yet (domain layer missing)");
  }
};

}  // namespace

std::unique_ptr<Views> DomainViews() { return std::make_unique<StoreOnlyViews>(); }

}  // namespace lodestone::web
