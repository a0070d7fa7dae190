#include "modules/consultations/routes.h"
// Skeleton: the Abwägung pages are being written (session 6).
namespace ah::modules::consultations {
void register_abwaegung(http::Router&, web::Services&) {}
}  // namespace ah::modules::consultations
