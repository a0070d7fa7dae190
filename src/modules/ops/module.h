// The ops module: what an operator's monitoring reads.
//   GET /healthz  200 {"status":"ok","version":…,"database":{"status":"ok",…}}, or 503 with
//                 "unavailable" when the database does not answer.
//   GET /metrics  Prometheus text format (see http/metrics.h).
//   GET /api/v1/openapi.json  the OpenAPI 3.1 document of every module's API.
#pragma once

#include <memory>

#include "web/module.h"

namespace ah::modules {

std::unique_ptr<web::Module> make_ops_module();

}  // namespace ah::modules
