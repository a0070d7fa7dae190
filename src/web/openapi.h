// Pieces of the OpenAPI 3.1 document every module's describe_api builds from, so that all
// operations say the same things the same way.
//
//   namespace oa = web::openapi;
//   doc["paths"]["/api/v1/groups/{id}"]["get"] = {
//       {"operationId", "getGroup"}, {"tags", {"Arbeitsgruppen"}},
//       {"parameters", {oa::param("id", "path", "group id", "1")}},
//       {"responses", {{"200", oa::ok(oa::ref("Group"))}, {"404", oa::problem()}}}};
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace ah::web::openapi {

// {"$ref": "#/components/schemas/NAME"}
nlohmann::json ref(std::string_view schema);

// The shared problem response (RFC 9457), #/components/responses/Problem.
nlohmann::json problem();

// A 2xx response with a JSON body of `schema`.
nlohmann::json ok(const nlohmann::json& schema, std::string_view description = "OK");

// A page of `schema` items: {"items": [...], "next_cursor": string|null}; without
// `paged`, only the items.
nlohmann::json list_of(std::string_view schema, bool paged = true);

// A string parameter `in` "path" (then required) or "query". The example is what the
// OpenAPI check (tests/e2e/openapi.test.mjs) fills in when it calls the operation.
nlohmann::json param(std::string_view name, std::string_view in, std::string_view description,
                     const nlohmann::json& example = nullptr);

// The ?cursor= and ?limit= parameters of a keyset-paginated list.
nlohmann::json paging();

// Who may call a write: a signed-in session or a personal API token.
nlohmann::json security();

// A POST that creates something: a JSON body in, 201 with the new `created` schema out,
// and the refusals every such operation can give (400, 401, 403, 404, 409, 422).
nlohmann::json create_op(std::string_view operation_id, std::string_view summary,
                         std::string_view tag, nlohmann::json parameters, nlohmann::json body,
                         std::string_view created);

// Moves the examples `param` noted on parameters to their operation (x-example:
// {name: value}), where clients and tests/e2e/openapi.test.mjs look for them. The app
// calls it once, after every module has described its operations.
void lift_examples(nlohmann::json& doc);

}  // namespace ah::web::openapi
