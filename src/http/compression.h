// gzip for responses (zlib). Used for static assets (compressed once at load) and for
// dynamic text responses when the client accepts it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace ah::http {

// gzip-compresses `data`; std::nullopt only if zlib fails (out of memory).
std::optional<std::string> gzip(std::string_view data, int level = 6);

// True for content types worth compressing (text, JSON, JS, SVG, XML).
bool is_compressible(std::string_view content_type);

// True when the Accept-Encoding header allows gzip (and does not set q=0 for it).
bool accepts_gzip(std::string_view accept_encoding);

// Compresses the body in place when the client accepts gzip, the type is compressible and
// the body is large enough to gain; sets Content-Encoding and Vary.
void maybe_gzip(const Request& request, Response& response);

// The gzip-compressed twin of `response` (Content-Encoding and Vary set) for a client that
// accepts gzip, when maybe_gzip would compress it; nullopt when it would not. For responses
// kept and served many times (the render cache), so they are compressed once.
std::optional<Response> gzip_variant(const Response& response);

}  // namespace ah::http
