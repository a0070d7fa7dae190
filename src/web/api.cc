#include "web/api.h"

#include <charconv>

namespace ah::web {

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

int page_limit(std::string_view text, int fallback, int max) {
  if (text.empty()) return fallback;
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n < 1 || n > max) return -1;
  return n;
}

std::string string_field(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

bool bool_field(const nlohmann::json& body, const char* name) {
  auto it = body.find(name);
  return it != body.end() && it->is_boolean() && it->get<bool>();
}

http::Response json_response(const nlohmann::json& body, int status) {
  auto response = http::Response::json(
      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), status);
  response.headers.set("Cache-Control", "no-cache");
  return response;
}

}  // namespace ah::web
