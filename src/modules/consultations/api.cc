#include "modules/consultations/routes.h"
// Skeleton: the API is being written (session 6).
namespace ah::modules::consultations {
void register_api(http::Router&, web::Services&) {}
void describe_api(nlohmann::json&) {}
}  // namespace ah::modules::consultations
