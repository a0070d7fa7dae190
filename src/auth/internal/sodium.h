// Internal to ah_auth: libsodium must be initialised once before its random number
// generator and hash functions are used.
#pragma once

namespace ah::auth::internal {

// Initialises libsodium exactly once per process; safe to call from any thread, any number
// of times (a function-local static runs sodium_init() under the compiler's once-guard).
// If libsodium cannot initialise (no usable kernel entropy source), the process aborts:
// libsodium's own random generator does the same, and no security code may run without it.
void ensure_sodium();

}  // namespace ah::auth::internal
