// Small pieces every JSON API handler needs, kept in one place.
//
//   auto id = web::parse_id(request.param("id"));          // nullopt -> 404
//   std::string title = web::string_field(body, "title");  // "" when absent or not a string
//   return web::json_response(document, 201);
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace ah::web {

// A positive decimal id from a path segment; nullopt for anything else.
std::optional<std::int64_t> parse_id(std::string_view text);

// The string member `name` of a JSON object; "" when it is absent or not a string.
std::string string_field(const nlohmann::json& body, const char* name);
// The boolean member `name`; false when it is absent or not a boolean (never throws).
bool bool_field(const nlohmann::json& body, const char* name);

// The page size a client asked for with ?limit=: `fallback` for none, the number when it
// is 1–`max`, -1 (a 400 for the caller) for anything else.
int page_limit(std::string_view text, int fallback, int max = 100);

// `body` as application/json (invalid UTF-8 replaced, never thrown), revalidated by caches.
http::Response json_response(const nlohmann::json& body, int status = 200);

}  // namespace ah::web
