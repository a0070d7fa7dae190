// Test support for ah_auth's stores: a fresh database of each backend with the auth
// migrations applied.
#pragma once

#include <gtest/gtest.h>

#include "auth/migrations.h"
#include "db/migrate.h"
#include "db/test_database.h"

namespace ah::auth::testing {

class AuthStoreTest : public db::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto migrated = db::migrate(*db, auth_migrations());
    ASSERT_TRUE(migrated) << migrated.error().message << " " << migrated.error().detail;
  }
};

}  // namespace ah::auth::testing
