// The page compiled into the binary: the table web/server/embed_assets.mjs generates at build time.
#include "web/server/assets.h"

namespace lodestone::web {

namespace {

class Embedded final : public AssetSource {
 public:
  std::optional<AssetFile> Find(const std::string& name) const override {
    for (size_t i = 0; i < kEmbeddedAssetCount; ++i) {
      const EmbeddedAsset& a = kEmbeddedAssets[i];
      if (name == a.name)
        return AssetFile{std::string(ContentTypeFor(name)), nullptr, std::string_view(a.data, a.size)};
    }
    return std::nullopt;
  }
  std::string Describe() const override {
    return kEmbeddedAssetCount == 0
               ? "the page compiled into this binary (none: it was built without npm; use --assets DIR)"
               : "the page compiled into this binary";
  }
};

}  // namespace

std::unique_ptr<AssetSource> EmbeddedAssets() { return std::make_unique<Embedded>(); }

}  // namespace lodestone::web
