#include "auth/internal/sodium.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace ah::auth::internal {

void ensure_sodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fputs("augenhoehe: libsodium failed to initialise; refusing to continue\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

}  // namespace ah::auth::internal
