#include "http/assets.h"

#include <openssl/evp.h>

#include <sstream>
#include <vector>

#include "base/files.h"
#include "http/compression.h"

namespace ah::http {

namespace fs = std::filesystem;

namespace {

std::string hash_hex(std::string_view data, std::size_t length) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(data.data(), data.size(), digest, &n, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < n && out.size() < length; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 15]);
  }
  return out.substr(0, length);
}

// "fonts/a.woff2" + hash -> "fonts/a.HASH.woff2"
std::string hashed_name(const std::string& name, const std::string& hash) {
  auto slash = name.rfind('/');
  auto dot = name.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
    return name + "." + hash;
  return name.substr(0, dot) + "." + hash + name.substr(dot);
}

// Resolves a relative reference from a file in `base_dir` ("css") to a store name.
std::string resolve(const std::string& base_dir, std::string_view ref) {
  std::vector<std::string> parts;
  std::string joined = base_dir.empty() ? std::string(ref) : base_dir + "/" + std::string(ref);
  std::stringstream ss(joined);
  for (std::string seg; std::getline(ss, seg, '/');) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else {
      parts.push_back(seg);
    }
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

// Rewrites url(x) in CSS to the hashed URL when x names a file of the store. References
// with a scheme, absolute paths and data: URIs stay as they are; ?query and #fragment are
// kept after the rewritten path.
std::string rewrite_css_urls(const std::string& css, const std::string& base_dir,
                             const std::map<std::string, std::string>& hashed_url_of) {
  std::string out;
  out.reserve(css.size());
  std::size_t pos = 0;
  while (true) {
    auto start = css.find("url(", pos);
    if (start == std::string::npos) break;
    auto close = css.find(')', start);
    if (close == std::string::npos) break;
    std::size_t a = start + 4, b = close;
    while (a < b && (css[a] == ' ' || css[a] == '"' || css[a] == '\'')) ++a;
    while (b > a && (css[b - 1] == ' ' || css[b - 1] == '"' || css[b - 1] == '\'')) --b;
    std::string ref = css.substr(a, b - a);
    std::string suffix;
    if (auto cut = ref.find_first_of("?#"); cut != std::string::npos) {
      suffix = ref.substr(cut);
      ref.resize(cut);
    }
    out.append(css, pos, start - pos);
    auto it = (ref.find(':') == std::string::npos && !ref.starts_with("/") && !ref.empty())
                  ? hashed_url_of.find(resolve(base_dir, ref))
                  : hashed_url_of.end();
    if (it != hashed_url_of.end()) {
      out += "url(\"" + it->second + suffix + "\")";
    } else {
      out.append(css, start, close + 1 - start);
    }
    pos = close + 1;
  }
  out.append(css, pos, std::string::npos);
  return out;
}

}  // namespace

std::string_view content_type_for(std::string_view name) {
  auto dot = name.rfind('.');
  auto ext = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "application/javascript; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "ttf") return "font/ttf";
  if (ext == "json") return "application/json";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "map") return "application/json";
  return "application/octet-stream";
}

Result<AssetStore> AssetStore::load(const fs::path& dir) {
  auto manifest = read_file(dir / "manifest.txt");
  if (!manifest)
    return fail(ErrorCode::unavailable, "asset manifest not found: " + (dir / "manifest.txt").string());
  struct Entry {
    std::string key, name, content;
  };
  std::vector<Entry> entries;
  std::istringstream lines(*manifest);
  int line_no = 0;
  for (std::string line; std::getline(lines, line);) {
    ++line_no;
    if (line.empty() || line.starts_with("#")) continue;
    std::istringstream fields(line);
    std::string key, source, target;
    if (!(fields >> key >> source >> target))
      return fail(ErrorCode::invalid_input,
                  "asset manifest line " + std::to_string(line_no) + ": expected KEY SOURCE TARGET");
    auto content = read_file(dir / target);
    if (!content)
      return fail(ErrorCode::unavailable, "asset listed in the manifest is missing: " +
                                              (dir / target).string());
    entries.push_back({key, target, std::move(*content)});
  }

  AssetStore store;
  std::map<std::string, std::string> hashed_url_of;  // store name -> hashed URL
  auto add = [&](Entry& e) {
    auto file = std::make_shared<File>();
    file->content_type = std::string(content_type_for(e.name));
    std::string hash = hash_hex(e.content, 10);
    file->etag = "\"" + hash + "\"";
    file->body = std::move(e.content);
    if (is_compressible(file->content_type)) {
      if (auto z = gzip(file->body, 9); z && z->size() < file->body.size()) file->gzipped = *z;
    }
    std::string hashed = "/assets/" + hashed_name(e.name, hash);
    auto mutable_copy = std::make_shared<File>(*file);
    file->immutable = true;
    store.files_[hashed] = file;
    store.files_["/assets/" + e.name] = mutable_copy;
    store.urls_by_key_[e.key] = hashed;
    hashed_url_of[e.name] = hashed;
  };
  // Everything but CSS first, so that CSS can point at the hashed names.
  for (auto& e : entries)
    if (!e.name.ends_with(".css")) add(e);
  for (auto& e : entries) {
    if (!e.name.ends_with(".css")) continue;
    auto slash = e.name.rfind('/');
    std::string base = slash == std::string::npos ? "" : e.name.substr(0, slash);
    e.content = rewrite_css_urls(e.content, base, hashed_url_of);
    add(e);
  }
  return store;
}

std::string AssetStore::url(std::string_view key) const {
  auto it = urls_by_key_.find(std::string(key));
  return it == urls_by_key_.end() ? std::string{} : it->second;
}

std::optional<Response> AssetStore::serve(const Request& request) const {
  auto it = files_.find(request.path);
  if (it == files_.end()) return std::nullopt;
  const File& f = *it->second;
  Response r;
  r.headers.set("ETag", f.etag);
  r.headers.set("Cache-Control", f.immutable ? "public, max-age=31536000, immutable"
                                             : "public, max-age=0, must-revalidate");
  r.headers.set("Vary", "Accept-Encoding");
  auto inm = request.headers.get("If-None-Match");
  if (!inm.empty() && (inm == f.etag || inm.find(f.etag) != std::string_view::npos)) {
    r.status = 304;
    return r;
  }
  r.headers.set("Content-Type", f.content_type);
  if (!f.gzipped.empty() && accepts_gzip(request.headers.get("Accept-Encoding"))) {
    r.headers.set("Content-Encoding", "gzip");
    r.body = f.gzipped;
  } else {
    r.body = f.body;
  }
  return r;
}

}  // namespace ah::http
