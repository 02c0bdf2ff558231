#include "web/server/assets.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace lodestone::web {

namespace {

class Directory final : public AssetSource {
 public:
  explicit Directory(std::filesystem::path root) : root_(std::move(root)) {}

  std::optional<AssetFile> Find(const std::string& name) const override {
    std::error_code ec;
    std::filesystem::path full = std::filesystem::weakly_canonical(root_ / name, ec);
    if (ec) return std::nullopt;
    // Refuse anything that a symlink leads out of the root.
    auto [r, f] = std::mismatch(root_.begin(), root_.end(), full.begin(), full.end());
    if (r != root_.end()) return std::nullopt;
    if (!std::filesystem::is_regular_file(full, ec)) return std::nullopt;
    std::ifstream in(full, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    auto data = std::make_shared<const std::string>(ss.str());
    return AssetFile{std::string(ContentTypeFor(name)), data, std::string_view(*data)};
  }
  std::string Describe() const override { return "the directory " + root_.string(); }

 private:
  std::filesystem::path root_;
};

}  // namespace

std::unique_ptr<AssetSource> DirectoryAssets(const std::string& root) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(std::filesystem::absolute(root), ec);
  return std::make_unique<Directory>(ec ? std::filesystem::path(root) : canonical);
}

std::string_view ContentTypeFor(std::string_view name) {
  struct Entry {
    std::string_view ext, type;
  };
  static constexpr Entry kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
      {".map", "application/json; charset=utf-8"},
  };
  for (const Entry& e : kTypes) {
    if (name.size() >= e.ext.size() && name.substr(name.size() - e.ext.size()) == e.ext) return e.type;
  }
  return "application/octet-stream";
}

}  // namespace lodestone::web
