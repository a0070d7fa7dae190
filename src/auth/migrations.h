// The tables of ah_auth: sessions, rate_limits and api_tokens.
//
// Versions 2000–2099 are reserved for auth; the application appends this list to its
// others in ascending order before calling db::migrate().
//
// account_id columns deliberately have no FOREIGN KEY: the accounts table belongs to the
// accounts module (versions 3000+), which is migrated after these tables exist. That
// module deletes an account's sessions and API tokens itself when it erases the account
// (SessionStore::destroy_all_for, and DELETE FROM api_tokens in the same transaction).
#pragma once

#include <vector>

#include "db/migrate.h"

namespace ah::auth {

inline constexpr int kFirstMigrationVersion = 2000;
inline constexpr int kLastMigrationVersion = 2099;

std::vector<db::Migration> auth_migrations();

}  // namespace ah::auth
