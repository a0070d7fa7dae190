#include "modules/orgs/module.h"

#include <spdlog/spdlog.h>

#include <charconv>

#include "base/files.h"
#include "http/url.h"
#include "modules/orgs/kreis_map.h"
#include "modules/orgs/reference_data.h"
#include "modules/orgs/store.h"
#include "web/api.h"
#include "web/errors.h"
#include "web/format.h"

namespace ah::modules {

namespace {

using orgs::Organisation;
using orgs::OrgFilter;
using orgs::OrgStore;
using orgs::OrgType;
using web::json_response;

constexpr int kPageSize = 50;
constexpr int kMaxPageSize = 100;
constexpr std::size_t kMaxQueryLength = 100;

bool is_digits(std::string_view s, std::size_t length) {
  return s.size() == length && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// The filter of a request's query, or the catalogue key of what is wrong with it.
struct ParsedFilter {
  OrgFilter filter;
  std::string cursor;
  int limit = kPageSize;
  std::string error_key;  // "" when the query is fine
};

ParsedFilter parse_filter(const http::Request& request) {
  ParsedFilter out;
  auto query = http::parse_query(request.query);
  if (!query) {
    out.error_key = "orgs_error_query";
    return out;
  }
  if (auto type = query->get("type"); !type.empty()) {
    if (!orgs::org_type_from_string(type)) out.error_key = "orgs_error_type";
    out.filter.type = std::string(type);
  }
  out.filter.kreis_ags = std::string(query->get("kreis"));
  if (!out.filter.kreis_ags.empty() && !is_digits(out.filter.kreis_ags, 5))
    out.error_key = "orgs_error_kreis";
  out.filter.query = std::string(query->get("q"));
  if (out.filter.query.size() > kMaxQueryLength) out.error_key = "orgs_error_q";
  out.cursor = std::string(query->get("cursor"));
  if (auto limit = query->get("limit"); !limit.empty()) {
    int n = 0;
    auto [end, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), n);
    if (ec != std::errc{} || end != limit.data() + limit.size() || n < 1 || n > kMaxPageSize)
      out.error_key = "orgs_error_limit";
    else
      out.limit = n;
  }
  return out;
}

nlohmann::json to_json(const Organisation& o) {
  nlohmann::json j = {
      {"key", o.key()},
      {"ags", o.ags.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.ags)},
      {"name", o.name},
      {"type", std::string(orgs::to_string(o.type))},
      {"kreis_ags", o.kreis_ags.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.kreis_ags)},
      {"population", o.population ? nlohmann::json(*o.population) : nlohmann::json(nullptr)},
      {"lat", o.lat ? nlohmann::json(*o.lat) : nlohmann::json(nullptr)},
      {"lon", o.lon ? nlohmann::json(*o.lon) : nlohmann::json(nullptr)}};
  return j;
}

class OrgsModule : public web::Module {
 public:
  explicit OrgsModule(std::filesystem::path data_dir) : data_dir_(std::move(data_dir)) {}

  std::string_view name() const override { return "orgs"; }

  std::vector<db::Migration> migrations() const override {
    auto data_dir = data_dir_;
    return {
        {1000, "organisations",
         "CREATE TABLE organisations ("
         " id {{id}},"
         " ags TEXT UNIQUE,"
         " name TEXT NOT NULL,"
         " name_key TEXT NOT NULL,"
         " type TEXT NOT NULL CHECK (type IN ('land', 'kreis', 'kreisfreie_stadt', 'gemeinde',"
         "   'zweckverband', 'it_dienstleister', 'verband', 'landesbehoerde')),"
         " kreis_ags TEXT,"
         " population BIGINT,"
         " lat DOUBLE PRECISION,"
         " lon DOUBLE PRECISION);"
         "CREATE INDEX organisations_by_name ON organisations (name_key, id);"
         "CREATE INDEX organisations_by_type ON organisations (type, name_key, id);"
         "CREATE INDEX organisations_by_kreis ON organisations (kreis_ags, name_key, id);"},
        {1001, "reference_data_sachsen_anhalt", "",
         [data_dir](db::Connection& c) { return orgs::load_sachsen_anhalt(c, data_dir); }},
    };
  }

  void register_routes(http::Router& router, web::Services& services) override {
    if (auto geojson = read_file(data_dir_ / "sachsen-anhalt-kreise.geojson")) {
      if (auto map = orgs::build_kreis_map(*geojson)) {
        map_ = std::move(*map);
      } else {
        spdlog::warn("state map not drawn: {}", map.error().message);
      }
    } else {
      spdlog::warn("state map not drawn: {} missing",
                   (data_dir_ / "sachsen-anhalt-kreise.geojson").string());
    }
    router.add(http::Method::get, "/organisationen",
               [this, &services](http::Request& r) { return list_page(services, r); });
    router.add(http::Method::get, "/organisationen/{ags}",
               [this, &services](http::Request& r) { return detail_page(services, r); });
    router.add(http::Method::get, "/api/v1/organisations",
               [&services](http::Request& r) { return list_api(services, r); });
    router.add(http::Method::get, "/api/v1/organisations/{ags}",
               [&services](http::Request& r) { return detail_api(services, r); });
  }

  void describe_api(nlohmann::json& doc) const override;

 private:
  static http::Response list_api(web::Services& s, http::Request& request) {
    auto parsed = parse_filter(request);
    if (!parsed.error_key.empty())
      return web::error_response(s.view, request, 400,
                                 s.view.catalog().text(request.lang, parsed.error_key));
    OrgStore store(s.db);
    auto page = store.list(parsed.filter, parsed.cursor, parsed.limit);
    if (!page) {
      if (page.error().code == ErrorCode::invalid_input)
        return web::error_response(s.view, request, 400,
                                   s.view.catalog().text(request.lang, "orgs_error_cursor"));
      return web::error_response(s.view, request, page.error());
    }
    nlohmann::json items = nlohmann::json::array();
    for (const auto& o : page->items) items.push_back(to_json(o));
    return json_response(
        {{"items", items},
         {"next_cursor", page->next_cursor.empty() ? nlohmann::json(nullptr)
                                                   : nlohmann::json(page->next_cursor)}});
  }

  static http::Response detail_api(web::Services& s, http::Request& request) {
    auto org = OrgStore(s.db).find(request.param("ags"));
    if (!org)
      return web::error_response(s.view, request,
                                 org.error().code == ErrorCode::not_found ? 404 : 500);
    return json_response(to_json(*org));
  }

  // Kreise by key, for names in lists and the filter's choices.
  static Result<std::vector<Organisation>> kreise(web::Services& s) {
    OrgFilter filter;
    filter.type = "kreis";
    AH_TRY(page, OrgStore(s.db).list(filter, "", kMaxPageSize));
    return page.items;
  }

  static std::string type_label(const web::Catalog& c, std::string_view lang, OrgType type) {
    return c.text(lang, "orgs_type_" + std::string(orgs::to_string(type)));
  }

  static web::Data org_data(const web::Catalog& c, std::string_view lang, const Organisation& o,
                            const std::vector<Organisation>& kreise) {
    web::Data d{web::Data::type::object};
    d.set("name", o.name);
    d.set("ags", o.ags);
    d.set("href", "/organisationen/" + http::percent_encode(o.key()));
    d.set("key", o.key());
    d.set("type_label", type_label(c, lang, o.type));
    if (o.population) d.set("population", web::format_integer(*o.population, lang));
    for (const auto& k : kreise) {
      if (o.type == OrgType::gemeinde && k.ags == o.kreis_ags) {
        d.set("kreis_name", k.name);
        d.set("kreis_href", "/organisationen/" + k.ags);
      }
    }
    return d;
  }

  http::Response list_page(web::Services& s, http::Request& request) const {
    const auto& c = s.view.catalog();
    auto parsed = parse_filter(request);
    if (!parsed.error_key.empty())
      return web::error_response(s.view, request, 400, c.text(request.lang, parsed.error_key));
    OrgStore store(s.db);
    auto page = store.list(parsed.filter, parsed.cursor, kPageSize);
    if (!page) {
      if (page.error().code == ErrorCode::invalid_input)
        return web::error_response(s.view, request, 400, c.text(request.lang, "orgs_error_cursor"));
      return web::error_response(s.view, request, page.error());
    }
    auto total = store.count(parsed.filter);
    auto all_kreise = kreise(s);
    if (!total || !all_kreise) return web::error_response(s.view, request, 500);

    web::Data data{web::Data::type::object};
    data.set("title", c.text(request.lang, "orgs_title"));
    data.set("nav_organisations", true);
    data.set("q", parsed.filter.query);
    data.set("total", web::format_integer(*total, request.lang));
    web::Data types{web::Data::type::list};
    for (std::string value : {"", "land", "kreis", "gemeinde", "zweckverband", "it_dienstleister",
                              "verband", "landesbehoerde"}) {
      web::Data option{web::Data::type::object};
      option.set("value", value);
      option.set("label", c.text(request.lang,
                                 value.empty() ? "orgs_type_all" : "orgs_type_filter_" + value));
      option.set("selected", parsed.filter.type.value_or("") == value);
      types.push_back(option);
    }
    data.set("types", types);
    web::Data kreis_options{web::Data::type::list};
    for (const auto& k : *all_kreise) {
      web::Data option{web::Data::type::object};
      option.set("value", k.ags.size() >= 5 ? k.ags.substr(0, 5) : k.ags);
      option.set("label", k.name);
      option.set("selected", parsed.filter.kreis_ags == option.get("value")->string_value());
      kreis_options.push_back(option);
    }
    data.set("kreis_options", kreis_options);
    web::Data items{web::Data::type::list};
    for (const auto& o : page->items) items.push_back(org_data(c, request.lang, o, *all_kreise));
    data.set("items", items);
    data.set("has_items", !page->items.empty());
    if (!page->next_cursor.empty()) {
      data.set("next_href",
               "/organisationen?" + http::build_query({{"q", parsed.filter.query},
                                                       {"type", parsed.filter.type.value_or("")},
                                                       {"kreis", parsed.filter.kreis_ags},
                                                       {"cursor", page->next_cursor}}));
    }
    if (map_) {
      web::Data map{web::Data::type::object};
      map.set("view_box", map_->view_box);
      web::Data shapes{web::Data::type::list};
      for (const auto& k : map_->kreise) {
        web::Data shape{web::Data::type::object};
        shape.set("ags", k.ags);
        shape.set("name", k.name);
        shape.set("d", k.d);
        shape.set("current", parsed.filter.kreis_ags == k.ags);
        shapes.push_back(shape);
      }
      map.set("kreise", shapes);
      data.set("map", map);
    }
    auto response = http::Response::html(s.view.render("orgs_list", data, request));
    response.headers.set("Cache-Control", "no-cache");
    return response;
  }

  http::Response detail_page(web::Services& s, http::Request& request) const {
    const auto& c = s.view.catalog();
    OrgStore store(s.db);
    auto org = store.find(request.param("ags"));
    if (!org)
      return web::error_response(s.view, request,
                                 org.error().code == ErrorCode::not_found ? 404 : 500);
    // A Kreis key of a kreisfreie Stadt (from the map) leads to the Stadt's own page.
    if (org->key() != request.param("ags"))
      return http::Response::redirect("/organisationen/" + org->key(), 301);
    auto all_kreise = kreise(s);
    if (!all_kreise) return web::error_response(s.view, request, 500);

    web::Data data = org_data(c, request.lang, *org, *all_kreise);
    data.set("title", org->name);
    data.set("nav_organisations", true);
    if (org->lat && org->lon) {
      data.set("lat", web::format_decimal(*org->lat, 4, request.lang));
      data.set("lon", web::format_decimal(*org->lon, 4, request.lang));
    }
    // Members of a Kreis (its Gemeinden) or of the Land (its Kreise).
    OrgFilter members;
    if (org->type == OrgType::kreis) members.kreis_ags = org->ags;
    if (org->type == OrgType::land) members.type = "kreis";
    if (org->type == OrgType::kreis || org->type == OrgType::land) {
      auto page = store.list(members, "", 500);
      if (!page) return web::error_response(s.view, request, page.error());
      web::Data list{web::Data::type::list};
      for (const auto& m : page->items) list.push_back(org_data(c, request.lang, m, *all_kreise));
      data.set("members", list);
      data.set("members_heading",
               c.text(request.lang, org->type == OrgType::land ? "orgs_kreise_heading"
                                                               : "orgs_gemeinden_heading"));
    }
    auto response = http::Response::html(s.view.render("orgs_detail", data, request));
    response.headers.set("Cache-Control", "no-cache");
    return response;
  }

  std::filesystem::path data_dir_;
  std::optional<orgs::KreisMap> map_;
};

void OrgsModule::describe_api(nlohmann::json& doc) const {
  using nlohmann::json;
  doc["components"]["schemas"]["Organisation"] = {
      {"type", "object"},
      {"required", {"key", "ags", "name", "type", "kreis_ags", "population", "lat", "lon"}},
      {"properties",
       {{"key",
         {{"type", "string"}, {"description", "how URLs name it: the AGS, or o<id> without one"}}},
        {"ags",
         {{"type", {"string", "null"}},
          {"description", "Amtlicher Gemeindeschlüssel (2, 5 or 8 digits)"}}},
        {"name", {{"type", "string"}}},
        {"type",
         {{"type", "string"},
          {"enum",
           {"land", "kreis", "kreisfreie_stadt", "gemeinde", "zweckverband", "it_dienstleister",
            "verband", "landesbehoerde"}}}},
        {"kreis_ags", {{"type", {"string", "null"}}}},
        {"population", {{"type", {"integer", "null"}}}},
        {"lat", {{"type", {"number", "null"}}}},
        {"lon", {{"type", {"number", "null"}}}}}}};
  json problem = {{"$ref", "#/components/responses/Problem"}};
  auto query_param = [](const char* name, const char* description, json schema) {
    return json{{"name", name},
                {"in", "query"},
                {"required", false},
                {"description", description},
                {"schema", schema}};
  };
  doc["paths"]["/api/v1/organisations"]["get"] = {
      {"operationId", "listOrganisations"},
      {"summary", "Organisations by name, filtered, in keyset pages"},
      {"tags", {"organisations"}},
      {"parameters",
       {query_param("type",
                    "land, kreis (includes kreisfreie Städte), gemeinde (too), or another type",
                    {{"type", "string"}}),
        query_param("kreis", "Gemeinden of this Kreis (5-digit key)",
                    {{"type", "string"}, {"pattern", "^[0-9]{5}$"}}),
        query_param("q", "part of the name; case and umlauts do not matter",
                    {{"type", "string"}, {"maxLength", 100}}),
        query_param("cursor", "next_cursor of the previous page", {{"type", "string"}}),
        query_param("limit", "page size",
                    {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}, {"default", 50}})}},
      {"responses",
       {{"200",
         {{"description", "A page of organisations"},
          {"content",
           {{"application/json",
             {{"schema",
               {{"type", "object"},
                {"required", {"items", "next_cursor"}},
                {"properties",
                 {{"items",
                   {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Organisation"}}}}},
                  {"next_cursor", {{"type", {"string", "null"}}}}}}}}}}}}}},
        {"400", problem}}}};
  doc["paths"]["/api/v1/organisations/{ags}"]["get"] = {
      {"operationId", "getOrganisation"},
      {"summary", "One organisation by its key (AGS, or o<id>)"},
      {"tags", {"organisations"}},
      {"x-example", {{"ags", "15091375"}}},
      {"parameters",
       {{{"name", "ags"}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}}}},
      {"responses",
       {{"200",
         {{"description", "The organisation"},
          {"content",
           {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Organisation"}}}}}}}}},
        {"404", problem}}}};
}

}  // namespace

std::unique_ptr<web::Module> make_orgs_module(std::filesystem::path data_dir) {
  return std::make_unique<OrgsModule>(std::move(data_dir));
}

}  // namespace ah::modules
