#include "web/openapi.h"

#include <string>

namespace ah::web::openapi {

using nlohmann::json;

json ref(std::string_view schema) {
  return {{"$ref", "#/components/schemas/" + std::string(schema)}};
}

json problem() { return {{"$ref", "#/components/responses/Problem"}}; }

json ok(const json& schema, std::string_view description) {
  return {{"description", std::string(description)},
          {"content", {{"application/json", {{"schema", schema}}}}}};
}

json list_of(std::string_view schema, bool paged) {
  json out = {{"type", "object"},
              {"required", paged ? json{"items", "next_cursor"} : json{"items"}},
              {"properties", {{"items", {{"type", "array"}, {"items", ref(schema)}}}}}};
  if (paged) out["properties"]["next_cursor"] = {{"type", {"string", "null"}}};
  return out;
}

json param(std::string_view name, std::string_view in, std::string_view description,
           const json& example) {
  json p = {{"name", std::string(name)},
            {"in", std::string(in)},
            {"required", in == "path"},
            {"description", std::string(description)},
            {"schema", {{"type", "string"}}}};
  if (!example.is_null()) p["x-example"] = example;
  return p;
}

json paging() {
  return json::array({param("cursor", "query", "next_cursor of the previous page"),
                      param("limit", "query", "1–100")});
}

json security() {
  return json::array(
      {json::object({{"session", json::array()}}), json::object({{"token", json::array()}})});
}

json create_op(std::string_view operation_id, std::string_view summary, std::string_view tag,
               json parameters, json body, std::string_view created) {
  return {{"operationId", std::string(operation_id)},
          {"summary", std::string(summary)},
          {"tags", {std::string(tag)}},
          {"security", security()},
          {"parameters", std::move(parameters)},
          {"requestBody",
           {{"required", true},
            {"content", {{"application/json", {{"schema", std::move(body)}}}}}}},
          {"responses",
           {{"201", ok(ref(created), "Created")},
            {"400", problem()},
            {"401", problem()},
            {"403", problem()},
            {"404", problem()},
            {"409", problem()},
            {"422", problem()}}}};
}

void lift_examples(json& doc) {
  if (!doc.contains("paths")) return;
  for (auto& [path, operations] : doc["paths"].items())
    for (auto& [method, operation] : operations.items()) {
      if (!operation.is_object() || !operation.contains("parameters")) continue;
      for (auto& parameter : operation["parameters"])
        if (parameter.contains("x-example")) {
          operation["x-example"][parameter["name"].get<std::string>()] = parameter["x-example"];
          parameter.erase("x-example");
        }
    }
}

}  // namespace ah::web::openapi
