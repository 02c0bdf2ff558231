// The page's files (web/app/dist): compiled into the binary at build time, or read from a directory
// (`lodestone serve --assets DIR`, for development).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace lodestone::web {

// One embedded file. The table is generated at build time (web/server/embed_assets.mjs).
struct EmbeddedAsset {
  const char* name;  // relative to dist/: "index.html", "assets/index-Ab12.js"
  const char* data;
  size_t size;
};
extern const EmbeddedAsset kEmbeddedAssets[];
extern const size_t kEmbeddedAssetCount;

struct AssetFile {
  std::string content_type;
  std::shared_ptr<const std::string> owned;  // set when read from disk
  std::string_view data;                     // the bytes (owned's, or the embedded table's)
};

class AssetSource {
 public:
  virtual ~AssetSource() = default;
  // `name` has passed AssetPath() (web/server/url.h). Nullopt when there is no such file.
  virtual std::optional<AssetFile> Find(const std::string& name) const = 0;
  // For error messages: where the files come from.
  virtual std::string Describe() const = 0;
};

// The files compiled into the binary (may be empty when the build had no npm).
std::unique_ptr<AssetSource> EmbeddedAssets();
// Files under `root`; a name resolving (through symlinks) outside the root is refused.
std::unique_ptr<AssetSource> DirectoryAssets(const std::string& root);

// "text/javascript; charset=utf-8" for "x.js", and so on; application/octet-stream when unknown.
std::string_view ContentTypeFor(std::string_view name);

}  // namespace lodestone::web
