#include "http/compression.h"

#include <zlib.h>

#include <cstdlib>

namespace ah::http {

std::optional<std::string> gzip(std::string_view data, int level) {
  z_stream zs{};
  // windowBits 15 + 16 selects the gzip wrapper.
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return std::nullopt;
  std::string out;
  out.resize(deflateBound(&zs, static_cast<uLong>(data.size())));
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&zs, Z_FINISH);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) return std::nullopt;
  out.resize(zs.total_out);
  return out;
}

bool is_compressible(std::string_view type) {
  return type.starts_with("text/") || type.starts_with("application/json") ||
         type.starts_with("application/problem+json") ||
         type.starts_with("application/javascript") || type.starts_with("image/svg+xml") ||
         type.starts_with("application/xml") || type.starts_with("application/atom+xml") ||
         type.starts_with("application/openmetrics-text");
}

bool accepts_gzip(std::string_view header) {
  // Walk the comma-separated list; "gzip;q=0" refuses it explicitly.
  while (!header.empty()) {
    auto comma = header.find(',');
    auto item = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    auto semi = item.find(';');
    auto coding = item.substr(0, semi);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (!iequals(coding, "gzip") && coding != "*") continue;
    if (semi == std::string_view::npos) return true;
    auto params = item.substr(semi + 1);
    auto q = params.find("q=");
    if (q == std::string_view::npos) return true;
    return std::strtod(std::string(params.substr(q + 2)).c_str(), nullptr) > 0.0;
  }
  return false;
}

namespace {
// Compressible text large enough to gain and not encoded yet.
bool worth_compressing(const Response& response) {
  constexpr std::size_t kMinimum = 1024;  // below this the header overhead eats the gain
  return response.body.size() >= kMinimum && !response.headers.has("Content-Encoding") &&
         is_compressible(response.headers.get("Content-Type"));
}
}  // namespace

void maybe_gzip(const Request& request, Response& response) {
  if (!worth_compressing(response)) return;
  response.headers.add("Vary", "Accept-Encoding");
  if (!accepts_gzip(request.headers.get("Accept-Encoding"))) return;
  if (auto z = gzip(response.body, 5); z && z->size() < response.body.size()) {
    response.body = std::move(*z);
    response.headers.set("Content-Encoding", "gzip");
  }
}

std::optional<Response> gzip_variant(const Response& response) {
  if (!worth_compressing(response)) return std::nullopt;
  auto z = gzip(response.body, 5);
  if (!z || z->size() >= response.body.size()) return std::nullopt;
  Response out{response.status, response.headers, std::move(*z)};
  out.headers.add("Vary", "Accept-Encoding");
  out.headers.set("Content-Encoding", "gzip");
  return out;
}

}  // namespace ah::http
