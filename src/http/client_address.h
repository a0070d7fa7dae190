// Client addresses: who sent a request, also behind a reverse proxy; and the network a
// client controls, for rate limits. Pure functions, no sockets (the server hands in the
// peer address it got from the connection).
//
//   AH_TRY(proxies, TrustedProxies::parse("127.0.0.1, 10.0.0.0/8, fd00::/8"));
//   request.client_address = proxies.client_address(peer, forwarded_for_values);
//   limiter.check_and_count("login:client:" + client_network(request.client_address), ...);
//
// X-Forwarded-For is written by the client first and by each proxy after it, each proxy
// appending the address it was contacted from; everything left of the nearest proxy's entry
// is whatever the client chose to send. So the header is read only when the peer is a
// trusted proxy, and then from the right: entries of trusted proxies are skipped, and the
// first one that is not trusted is the client. Should the walk meet an entry that is not an
// address (a proxy that passes on the client's header without appending, say), or run out
// of entries (a request from inside the proxies' network), the client is the last trusted
// address reached: never an address the client could have chosen.
//
// Addresses come out in one canonical text form: IPv4 dotted ("192.0.2.1"), IPv6 as
// inet_ntop writes it ("2001:db8::1"); IPv4-mapped IPv6 ("::ffff:192.0.2.1", what a
// dual-stack socket reports for IPv4 peers) counts as the IPv4 address.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ah::http {

struct IpAddress {
  bool v6 = false;
  // Network byte order; IPv4 uses the first 4 bytes.
  std::array<std::uint8_t, 16> bytes{};

  int bits() const { return v6 ? 128 : 32; }
  bool operator==(const IpAddress&) const = default;
};

// An IPv4 or IPv6 address in text form, without brackets, port or zone; nullopt otherwise.
std::optional<IpAddress> parse_ip(std::string_view text);
// The canonical text form (see above).
std::string to_string(const IpAddress& address);

// An address range in CIDR notation ("10.0.0.0/8", "2001:db8::/32"); a single address is a
// range of one. Bits below the prefix are ignored ("10.1.2.3/8" is 10.0.0.0/8), as an
// operator writing them most likely means the network.
struct IpRange {
  IpAddress base;
  int prefix = 0;
  bool contains(const IpAddress& address) const;
};
std::optional<IpRange> parse_ip_range(std::string_view text);

// The proxies whose X-Forwarded-For entries are believed. Empty: none, the peer is the client.
class TrustedProxies {
 public:
  // A comma-separated list of addresses and CIDR ranges; spaces and empty entries are
  // ignored. invalid_input naming the first bad entry, e.g.
  // "'10.0.0.300/8' is not an address or CIDR range".
  static Result<TrustedProxies> parse(std::string_view list);

  bool empty() const { return ranges_.empty(); }
  bool contains(const IpAddress& address) const;

  // The client's address (canonical text) for a connection from `peer` that carried the
  // X-Forwarded-For field values `forwarded_for` (in the order received; several fields
  // count as one list). `peer` as the socket reports it; "" if it is not an address.
  std::string client_address(std::string_view peer,
                             const std::vector<std::string_view>& forwarded_for) const;

 private:
  std::vector<IpRange> ranges_;
};

// What a rate limit per client counts: the address for IPv4, the /64 for IPv6 (the
// smallest network handed to a subscriber, so one client has all of it), e.g.
// "2001:db8:1:2::/64". "unknown" when `client_address` is not an address, so that requests
// without one share a limit instead of escaping it.
std::string client_network(std::string_view client_address);

}  // namespace ah::http
