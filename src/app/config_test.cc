#include "app/config.h"

#include <gtest/gtest.h>

namespace ah::app {
namespace {

TEST(Config, FileValuesApplied) {
  auto values = parse_config_text("# comment\nlisten = 0.0.0.0:9000\n\ndemo = true\ndata-dir=\"/srv/ah\"\n", "t.conf");
  ASSERT_TRUE(values) << values.error().message;
  Config c;
  ASSERT_TRUE(apply_settings(c, *values));
  EXPECT_EQ(c.listen, "0.0.0.0:9000");
  EXPECT_TRUE(c.demo);
  EXPECT_EQ(c.data_dir, "/srv/ah");
  EXPECT_EQ(c.database_url(), "sqlite:/srv/ah/augenhoehe.db");
}

TEST(Config, ErrorsNameFileAndLine) {
  auto unknown = parse_config_text("listen = x\nlisen = y\n", "site.conf");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "site.conf line 2: unknown key 'lisen'");
  auto malformed = parse_config_text("listen\n", "site.conf");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().message, "site.conf line 1: expected 'key = value'");
  Config c;
  auto bad_bool = apply_setting(c, "demo", "vielleicht");
  ASSERT_FALSE(bad_bool);
  EXPECT_NE(bad_bool.error().message.find("demo"), std::string::npos);
}

TEST(Config, TrustedProxies) {
  Config c;
  ASSERT_TRUE(c.trusted_proxy_list());
  EXPECT_TRUE(c.trusted_proxy_list()->empty()) << "none by default";
  ASSERT_TRUE(apply_setting(c, "trusted-proxies", "127.0.0.1, ::1, 10.0.0.0/8"));
  EXPECT_TRUE(c.trusted_proxy_list()->contains(*http::parse_ip("10.2.3.4")));
  auto bad = apply_setting(c, "trusted-proxies", "127.0.0.1, 10.0.0.300/8");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "trusted-proxies: '10.0.0.300/8' is not an address or CIDR range");
  // Set from the command line or the environment, the value is checked when serve or check use it.
  c.trusted_proxies = "proxy.example";
  ASSERT_FALSE(c.trusted_proxy_list());
  EXPECT_EQ(c.trusted_proxy_list().error().message,
            "trusted-proxies: 'proxy.example' is not an address or CIDR range");
  bool shown = false;
  for (const auto& [k, v] : describe(c))
    shown = shown || (k == "trusted-proxies" && v == "proxy.example");
  EXPECT_TRUE(shown);
}

TEST(Config, PurgeInterval) {
  Config c;
  EXPECT_EQ(c.purge_interval, 10);
  ASSERT_TRUE(apply_setting(c, "purge-interval", "3"));
  EXPECT_EQ(c.purge_interval, 3);
  auto zero = apply_setting(c, "purge-interval", "0");
  ASSERT_FALSE(zero);
  EXPECT_NE(zero.error().message.find("purge-interval: '0'"), std::string::npos)
      << zero.error().message;
  EXPECT_FALSE(apply_setting(c, "purge-interval", "oft"));
  EXPECT_TRUE(parse_config_text("trusted-proxies = 127.0.0.1\npurge-interval = 5\n", "t.conf"));
}

// Handlers on PostgreSQL mostly wait (round trips, commits), on SQLite they mostly compute:
// the defaults differ, and what the operator sets wins.
TEST(Config, ThreadsAndConnectionsFollowTheDatabase) {
  Config c;
  EXPECT_EQ(c.worker_thread_count(2), 4);
  EXPECT_EQ(c.database_connections(2), 8);
  c.database = "postgresql://augenhoehe@db.example/augenhoehe";
  EXPECT_EQ(c.worker_thread_count(2), 16);
  EXPECT_EQ(c.worker_thread_count(4), 32);
  EXPECT_EQ(c.database_connections(2), 8);
  EXPECT_EQ(c.database_connections(4), 16);
  ASSERT_TRUE(apply_setting(c, "worker-threads", "6"));
  ASSERT_TRUE(apply_setting(c, "db-connections", "3"));
  EXPECT_EQ(c.worker_thread_count(4), 6);
  EXPECT_EQ(c.database_connections(4), 3);
  auto bad = apply_setting(c, "db-connections", "viele");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "db-connections: 'viele' is not a whole number");
}

TEST(Config, ListenAddress) {
  Config c;
  c.listen = "127.0.0.1:8080";
  auto a = c.listen_address();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->first, "127.0.0.1");
  EXPECT_EQ(a->second, 8080);
  c.listen = "[::1]:80";
  EXPECT_EQ(c.listen_address()->first, "::1");
  c.listen = "localhost";
  EXPECT_FALSE(c.listen_address());
  c.listen = "1.2.3.4:99999";
  EXPECT_FALSE(c.listen_address());
}

TEST(Config, SecretsMasked) {
  EXPECT_EQ(mask_secrets("postgresql://app:geheim@db:5432/ah"), "postgresql://app:***@db:5432/ah");
  EXPECT_EQ(mask_secrets("postgresql://db/ah?password=geheim&x=1"), "postgresql://db/ah?password=***&x=1");
  EXPECT_EQ(mask_secrets("sqlite:/srv/a.db"), "sqlite:/srv/a.db");
  Config c;
  c.database = "postgresql://u:pw@h/d";
  for (const auto& [k, v] : describe(c)) EXPECT_EQ(v.find("pw@"), std::string::npos) << k;
}

}  // namespace
}  // namespace ah::app
