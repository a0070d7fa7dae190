#include "http/router.h"

#include <algorithm>
#include <cctype>
#include <span>
#include <stdexcept>
#include <unordered_map>

#include "http/url.h"

namespace ah::http {
namespace {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

struct PatternSegment {
  std::string text;  // literal text, or the parameter name
  bool is_param = false;
};

[[noreturn]] void throw_bad_pattern(std::string_view pattern, std::string_view why) {
  throw std::logic_error("Invalid route pattern '" + std::string(pattern) +
                         "': " + std::string(why));
}

bool is_param_name(std::string_view name) {
  const auto is_word_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  };
  return !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front())) &&
         std::all_of(name.begin(), name.end(), is_word_char);
}

// Literal segments are compared with decoded path segments, so they are written decoded
// too; '%', '?', '#' and braces would only ever be a mistake.
bool is_literal_segment(std::string_view segment) {
  constexpr std::string_view forbidden = "%?#{} ";
  return is_utf8_text(segment) && segment != "." && segment != ".." &&
         std::none_of(segment.begin(), segment.end(), [&](char c) {
           const auto u = static_cast<unsigned char>(c);
           return u < 0x20 || u == 0x7F || forbidden.find(c) != std::string_view::npos;
         });
}

std::vector<PatternSegment> parse_pattern(std::string_view pattern) {
  if (!pattern.starts_with('/')) throw_bad_pattern(pattern, "it must start with '/'");
  std::vector<PatternSegment> segments;
  for (const std::string_view segment : path_segments(pattern)) {
    if (segment.empty()) throw_bad_pattern(pattern, "it has an empty segment or ends in '/'");
    if (segment.starts_with('{') && segment.ends_with('}')) {
      const std::string_view name = segment.substr(1, segment.size() - 2);
      if (!is_param_name(name)) throw_bad_pattern(pattern, "bad parameter name");
      const bool repeated = std::any_of(segments.begin(), segments.end(), [&](const auto& s) {
        return s.is_param && s.text == name;
      });
      if (repeated) throw_bad_pattern(pattern, "a parameter name appears twice");
      segments.push_back({std::string(name), true});
    } else if (is_literal_segment(segment)) {
      segments.push_back({std::string(segment), false});
    } else {
      throw_bad_pattern(pattern, "a segment must be literal text or a whole {parameter}");
    }
  }
  return segments;
}

}  // namespace

struct Router::Node {
  std::unordered_map<std::string, std::unique_ptr<Node>, StringHash, std::equal_to<>>
      literal_children;
  std::unique_ptr<Node> param_child;
  std::vector<std::unique_ptr<Route>> routes;  // at most one per method

  const Route* route_for(Method method) const {
    for (const auto& route : routes)
      if (route->method == method) return route.get();
    return nullptr;
  }

  // Which route serves `method` here, with HEAD falling back to GET.
  const Route* route_serving(Method method) const {
    const Route* route = route_for(method);
    if (!route && method == Method::head) route = route_for(Method::get);
    return route;
  }

  // Visits, in priority order (literal before parameter), every node that has routes and
  // whose pattern matches `segments[depth..]`; `captures` holds the values of the parameter
  // segments on the way. Stops and returns true as soon as `visit` returns true.
  template <class Visit>
  bool walk(std::span<const std::string_view> segments, std::size_t depth,
            std::vector<std::string_view>& captures, Visit& visit) const {
    if (depth == segments.size()) return !routes.empty() && visit(*this, captures);
    const std::string_view segment = segments[depth];
    if (auto child = literal_children.find(segment); child != literal_children.end()) {
      if (child->second->walk(segments, depth + 1, captures, visit)) return true;
    }
    if (param_child && !segment.empty()) {
      captures.push_back(segment);
      if (param_child->walk(segments, depth + 1, captures, visit)) return true;
      captures.pop_back();
    }
    return false;
  }
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

const Route& Router::add(Method method, std::string_view pattern, Handler handler,
                         std::size_t body_limit) {
  if (method == Method::other) {
    throw std::logic_error("Route '" + std::string(pattern) + "' needs a concrete method");
  }
  if (!handler) throw std::logic_error("Route '" + std::string(pattern) + "' has no handler");

  auto route = std::make_unique<Route>();
  route->method = method;
  route->pattern = std::string(pattern);
  route->handler = std::move(handler);
  route->body_limit = body_limit;

  Node* node = root_.get();
  for (auto& segment : parse_pattern(pattern)) {
    std::unique_ptr<Node>* child = nullptr;
    if (segment.is_param) {
      child = &node->param_child;
      route->param_names.push_back(std::move(segment.text));
    } else {
      child = &node->literal_children[std::move(segment.text)];
    }
    if (!*child) *child = std::make_unique<Node>();
    node = child->get();
  }
  if (const Route* existing = node->route_for(method)) {
    throw std::logic_error("Route " + std::string(to_string(method)) + " '" + std::string(pattern) +
                           "' duplicates '" + existing->pattern + "'");
  }
  node->routes.push_back(std::move(route));
  return *node->routes.back();
}

MatchResult Router::match(Method method, std::string_view path) const {
  if (!path.starts_with('/')) return NotFound{};
  const std::vector<std::string_view> segments = path_segments(path);
  std::vector<std::string_view> captures;

  RouteMatch found;
  auto serve = [&](const Node& node, const std::vector<std::string_view>& values) {
    found.route = node.route_serving(method);
    if (!found.route) return false;
    for (std::size_t i = 0; i < values.size(); ++i)
      found.params.emplace(found.route->param_names[i], std::string(values[i]));
    return true;
  };
  if (root_->walk(segments, 0, captures, serve)) return found;

  MethodNotAllowed not_allowed;
  auto collect = [&](const Node& node, const std::vector<std::string_view>&) {
    for (const auto& route : node.routes) not_allowed.allowed.push_back(route->method);
    return false;
  };
  captures.clear();
  root_->walk(segments, 0, captures, collect);
  if (not_allowed.allowed.empty()) return NotFound{};

  auto& allowed = not_allowed.allowed;
  if (std::find(allowed.begin(), allowed.end(), Method::get) != allowed.end()) {
    allowed.push_back(Method::head);
  }
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  return not_allowed;
}

std::string MethodNotAllowed::allow_header() const {
  std::string header;
  for (const Method method : allowed) {
    if (!header.empty()) header += ", ";
    header += to_string(method);
  }
  return header;
}

}  // namespace ah::http
