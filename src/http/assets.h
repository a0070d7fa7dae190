// AssetStore: the front-end files (KERN UX, htmx, Leaflet, our CSS), held in memory.
//
// Loaded once at start from DIR (the build copies the files listed in assets/manifest.txt
// there, with the manifest itself). Each file gets a content-hashed name
// ("kern.css" -> "kern.3f2a9c01be.css") served with a one-year immutable cache, an ETag and a
// precompressed gzip variant. Relative url(...) references inside CSS files are rewritten to
// the hashed names, so a changed font changes the CSS hash too. Unhashed names are served
// as well, with a revalidating cache, for files that scripts reference by name.
//
//   AH_TRY(assets, AssetStore::load("/usr/share/augenhoehe/assets"));
//   assets.url("kern_css");            // "/assets/kern.3f2a9c01be.css" (manifest key)
//   if (auto r = assets.serve(request)) return *r;   // for paths under /assets/
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/error.h"
#include "http/message.h"

namespace ah::http {

class AssetStore {
 public:
  // Reads DIR and DIR/manifest.txt ("KEY SOURCE TARGET" a line). A missing file listed in the
  // manifest is an error naming it.
  static Result<AssetStore> load(const std::filesystem::path& dir);

  // The public URL of the asset with manifest key `key`, or "" when unknown.
  std::string url(std::string_view key) const;
  // Every manifest key with its URL, e.g. for templates ({{assets.kern_css}}).
  const std::map<std::string, std::string>& urls() const { return urls_by_key_; }

  // A response for GET/HEAD /assets/...; std::nullopt when no such asset exists.
  std::optional<Response> serve(const Request& request) const;

  std::size_t size() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string body;
    std::string gzipped;  // empty when compression does not pay
    std::string etag;
    bool immutable = false;
  };
  std::unordered_map<std::string, std::shared_ptr<const File>> files_;  // by URL path
  std::map<std::string, std::string> urls_by_key_;
};

// The Content-Type for a file name, by extension ("application/octet-stream" when unknown).
std::string_view content_type_for(std::string_view filename);

}  // namespace ah::http
