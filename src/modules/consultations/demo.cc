#include "modules/consultations/demo.h"
// Skeleton: the demo is being written (session 6).
namespace ah::modules::consultations {
Status seed_demo(web::Services&) { return {}; }
}  // namespace ah::modules::consultations
