#include "http/client_address.h"

#include <gtest/gtest.h>

namespace ah::http {
namespace {

std::string canonical(std::string_view text) {
  auto a = parse_ip(text);
  return a ? to_string(*a) : "(none)";
}

TrustedProxies proxies(std::string_view list) {
  auto p = TrustedProxies::parse(list);
  EXPECT_TRUE(p) << p.error().message;
  return p ? *p : TrustedProxies{};
}

bool in_range(std::string_view range, std::string_view address) {
  auto r = parse_ip_range(range);
  auto a = parse_ip(address);
  EXPECT_TRUE(r) << range;
  EXPECT_TRUE(a) << address;
  return r && a && r->contains(*a);
}

TEST(ParseIp, AcceptsIpv4AndIpv6InCanonicalForm) {
  EXPECT_EQ(canonical("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(canonical("2001:DB8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_EQ(canonical("::1"), "::1");
  EXPECT_EQ(canonical("::ffff:192.0.2.1"), "192.0.2.1") << "IPv4-mapped is the IPv4 address";
  EXPECT_EQ(canonical("::ffff:c000:0201"), "192.0.2.1");
}

TEST(ParseIp, RefusesWhatIsNoAddress) {
  for (std::string_view bad :
       {"", " 192.0.2.1", "192.0.2.1 ", "192.0.2", "192.0.2.256", "192.0.2.1.5", "1.2.3.4:80",
        "[::1]", "fe80::1%eth0", "2001:db8::1::2", "localhost", "unknown", "2001:db8:0:0:0:0:0:0:1",
        "0x7f.0.0.1"})
    EXPECT_FALSE(parse_ip(bad)) << bad;
  EXPECT_FALSE(parse_ip(std::string(100, '1')));
  EXPECT_FALSE(parse_ip(std::string_view("1.2.3.4\0", 8)))
      << "an embedded NUL must not end the text";
}

TEST(IpRange, PrefixEdges) {
  struct Case {
    std::string_view range, address;
    bool inside;
  };
  const Case cases[] = {
      {"10.0.0.0/8", "10.255.255.255", true},
      {"10.0.0.0/8", "11.0.0.0", false},
      {"10.0.0.0/8", "9.255.255.255", false},
      {"192.168.1.128/25", "192.168.1.128", true},
      {"192.168.1.128/25", "192.168.1.255", true},
      {"192.168.1.128/25", "192.168.1.127", false},
      {"0.0.0.0/0", "203.0.113.9", true},
      {"203.0.113.9/32", "203.0.113.9", true},
      {"203.0.113.9/32", "203.0.113.8", false},
      {"203.0.113.9", "203.0.113.9", true},  // an address is a range of one
      {"203.0.113.9", "203.0.113.10", false},
      {"10.1.2.3/8", "10.200.0.1", true},  // host bits are ignored
      {"2001:db8::/32", "2001:db8:ffff::1", true},
      {"2001:db8::/32", "2001:db9::1", false},
      {"fd00::/7", "fdff::1", true},
      {"fc00::/7", "fd00::1", true},
      {"fc00::/7", "fe00::1", false},
      {"::/0", "2001:db8::1", true},
      {"::1/128", "::1", true},
      {"::1/128", "::2", false},
      {"::/0", "192.0.2.1", false},  // families never mix
      {"0.0.0.0/0", "2001:db8::1", false},
      {"::ffff:10.0.0.0/104", "10.9.8.7", true},  // IPv4-mapped ranges are IPv4 ranges
      {"10.0.0.0/8", "::ffff:10.9.8.7", true},
  };
  for (const auto& c : cases)
    EXPECT_EQ(in_range(c.range, c.address), c.inside) << c.range << " " << c.address;
}

TEST(IpRange, RefusesBadPrefixes) {
  for (std::string_view bad :
       {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/8/8", "10.0.0.0/ 8",
        "10.0.0.0/0008", "10.0.0.300/8", "::/129", "/8", "10.0.0.0/x"})
    EXPECT_FALSE(parse_ip_range(bad)) << bad;
}

TEST(TrustedProxies, ParsesListsAndNamesTheBadEntry) {
  auto p = TrustedProxies::parse(" 127.0.0.1 , 10.0.0.0/8,,fd00::/8, ");
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->contains(*parse_ip("10.1.1.1")));
  EXPECT_TRUE(p->contains(*parse_ip("fd12::1")));
  EXPECT_FALSE(p->contains(*parse_ip("192.0.2.1")));
  EXPECT_TRUE(TrustedProxies::parse("")->empty());

  auto bad = TrustedProxies::parse("127.0.0.1, 10.0.0.300/8, ::1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(bad.error().message, "'10.0.0.300/8' is not an address or CIDR range");
  EXPECT_FALSE(TrustedProxies::parse("127.0.0.1 10.0.0.1")) << "a missing comma is an error";
}

TEST(ClientAddress, WithoutTrustedProxiesThePeerIsTheClient) {
  TrustedProxies none;
  EXPECT_EQ(none.client_address("203.0.113.5", {"198.51.100.1"}), "203.0.113.5");
  EXPECT_EQ(none.client_address("::ffff:203.0.113.5", {}), "203.0.113.5");
  EXPECT_EQ(none.client_address("2001:db8::5", {}), "2001:db8::5");
  EXPECT_EQ(none.client_address("garbage", {}), "");
}

TEST(ClientAddress, HeaderFromAnUntrustedPeerIsIgnored) {
  auto p = proxies("10.0.0.0/8");
  EXPECT_EQ(p.client_address("203.0.113.5", {"10.0.0.1"}), "203.0.113.5");
  EXPECT_EQ(p.client_address("203.0.113.5", {"198.51.100.1, 10.0.0.1"}), "203.0.113.5");
}

TEST(ClientAddress, RightMostUntrustedEntryIsTheClient) {
  auto p = proxies("127.0.0.1, 10.0.0.0/8");
  EXPECT_EQ(p.client_address("127.0.0.1", {"203.0.113.5"}), "203.0.113.5");
  EXPECT_EQ(p.client_address("127.0.0.1", {"203.0.113.5, 10.0.0.7"}), "203.0.113.5")
      << "trusted hops skipped";
  EXPECT_EQ(p.client_address("127.0.0.1", {"  203.0.113.5\t,10.0.0.7 "}), "203.0.113.5");
  EXPECT_EQ(p.client_address("127.0.0.1", {"203.0.113.5", "10.0.0.7"}), "203.0.113.5")
      << "fields form one list";
  EXPECT_EQ(p.client_address("::ffff:127.0.0.1", {"203.0.113.5"}), "203.0.113.5");
}

TEST(ClientAddress, SpoofedLeftEntriesAreNeverTaken) {
  auto p = proxies("127.0.0.1, 10.0.0.0/8");
  // The client sent "X-Forwarded-For: 1.1.1.1, 10.0.0.9"; the proxy appended the real peer.
  EXPECT_EQ(p.client_address("127.0.0.1", {"1.1.1.1, 10.0.0.9, 203.0.113.5"}), "203.0.113.5");
  EXPECT_EQ(p.client_address("127.0.0.1", {"1.1.1.1", "203.0.113.5"}), "203.0.113.5");
  // Garbage left of the real entry does not matter either.
  EXPECT_EQ(p.client_address("127.0.0.1", {"<script>, , 203.0.113.5"}), "203.0.113.5");
}

TEST(ClientAddress, MalformedOrExhaustedListsStopAtTheLastTrustedAddress) {
  auto p = proxies("127.0.0.1, 10.0.0.0/8");
  EXPECT_EQ(p.client_address("127.0.0.1", {"1.1.1.1, nonsense"}), "127.0.0.1");
  EXPECT_EQ(p.client_address("127.0.0.1", {"1.1.1.1, nonsense, 10.0.0.7"}), "10.0.0.7");
  EXPECT_EQ(p.client_address("127.0.0.1", {"1.1.1.1, unknown"}), "127.0.0.1");
  EXPECT_EQ(p.client_address("127.0.0.1", {"1.1.1.1, 203.0.113.5 203.0.113.6"}), "127.0.0.1");
  EXPECT_EQ(p.client_address("127.0.0.1", {"1.1.1.1, 203.0.113.300"}), "127.0.0.1");
  EXPECT_EQ(p.client_address("127.0.0.1", {}), "127.0.0.1") << "no header: the proxy itself";
  EXPECT_EQ(p.client_address("127.0.0.1", {""}), "127.0.0.1");
  EXPECT_EQ(p.client_address("127.0.0.1", {",,"}), "127.0.0.1");
  EXPECT_EQ(p.client_address("127.0.0.1", {"10.0.0.8, 10.0.0.7"}), "10.0.0.8") << "all trusted";
}

TEST(ClientAddress, Ipv6AndPortsInEntries) {
  auto p = proxies("::1, fd00::/8, 127.0.0.1");
  EXPECT_EQ(p.client_address("::1", {"2001:db8::5"}), "2001:db8::5");
  EXPECT_EQ(p.client_address("::1", {"2001:DB8:0::5, fd00::2"}), "2001:db8::5");
  EXPECT_EQ(p.client_address("::1", {"[2001:db8::5]"}), "2001:db8::5");
  EXPECT_EQ(p.client_address("::1", {"[2001:db8::5]:51234"}), "2001:db8::5");
  EXPECT_EQ(p.client_address("::1", {"203.0.113.5:51234"}), "203.0.113.5");
  EXPECT_EQ(p.client_address("127.0.0.1", {"2001:db8::5"}), "2001:db8::5");
  EXPECT_EQ(p.client_address("::1", {"[2001:db8::5"}), "::1");
  EXPECT_EQ(p.client_address("::1", {"[2001:db8::5]:port"}), "::1");
  EXPECT_EQ(p.client_address("::1", {"203.0.113.5:"}), "::1");
  EXPECT_EQ(p.client_address("::1", {"203.0.113.5:123456"}), "::1");
}

TEST(ClientNetwork, Ipv4ByAddressIpv6ByPrefix64) {
  EXPECT_EQ(client_network("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(client_network("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  EXPECT_EQ(client_network("2001:db8:1:2::ffff"), client_network("2001:db8:1:2:aaaa::1"));
  EXPECT_NE(client_network("2001:db8:1:2::1"), client_network("2001:db8:1:3::1"));
  EXPECT_EQ(client_network("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(client_network(""), "unknown");
  EXPECT_EQ(client_network("nonsense"), "unknown");
}

}  // namespace
}  // namespace ah::http
