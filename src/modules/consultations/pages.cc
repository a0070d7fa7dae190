#include "modules/consultations/routes.h"
// Skeleton: the pages are being written (session 6).
namespace ah::modules::consultations {
void register_pages(http::Router&, web::Services&) {}
}  // namespace ah::modules::consultations
