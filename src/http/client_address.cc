#include "http/client_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>

namespace ah::http {

namespace {

constexpr std::array<std::uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_v4_mapped(const IpAddress& a) {
  return a.v6 && std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), a.bytes.begin());
}

IpAddress unmapped(const IpAddress& a) {
  IpAddress v4;
  std::copy(a.bytes.begin() + 12, a.bytes.end(), v4.bytes.begin());
  return v4;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_port(std::string_view s) {
  return !s.empty() && s.size() <= 5 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// One X-Forwarded-For entry: an address, also "[v6]", "[v6]:port" or "v4:port" as some
// proxies write them.
std::optional<IpAddress> parse_forwarded_entry(std::string_view entry) {
  if (entry.starts_with('[')) {
    auto close = entry.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    auto rest = entry.substr(close + 1);
    if (!rest.empty() && !(rest.front() == ':' && is_port(rest.substr(1)))) return std::nullopt;
    return parse_ip(entry.substr(1, close - 1));
  }
  auto colon = entry.find(':');
  if (colon != std::string_view::npos && entry.find(':', colon + 1) == std::string_view::npos) {
    // One colon: IPv4 with a port (an IPv6 address has at least two).
    if (!is_port(entry.substr(colon + 1))) return std::nullopt;
    auto address = parse_ip(entry.substr(0, colon));
    if (!address || address->v6) return std::nullopt;
    return address;
  }
  return parse_ip(entry);
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
  // inet_pton needs a terminated string (so no NUL inside); longer text is no address anyway.
  if (text.empty() || text.size() > INET6_ADDRSTRLEN || text.find('\0') != std::string_view::npos)
    return std::nullopt;
  std::string s(text);
  IpAddress a;
  if (s.find(':') == std::string::npos) {
    if (::inet_pton(AF_INET, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
    return a;
  }
  a.v6 = true;
  if (::inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
  return is_v4_mapped(a) ? unmapped(a) : a;
}

std::string to_string(const IpAddress& address) {
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(address.v6 ? AF_INET6 : AF_INET, address.bytes.data(), text, sizeof text);
  return text;
}

bool IpRange::contains(const IpAddress& address) const {
  if (address.v6 != base.v6) return false;
  int full = prefix / 8, rest = prefix % 8;
  if (!std::equal(base.bytes.begin(), base.bytes.begin() + full, address.bytes.begin()))
    return false;
  if (rest == 0) return true;
  auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (base.bytes[full] & mask) == (address.bytes[full] & mask);
}

std::optional<IpRange> parse_ip_range(std::string_view text) {
  auto slash = text.find('/');
  auto address_text = text.substr(0, slash);
  // Parsed by hand rather than by parse_ip, which would turn ::ffff:a.b.c.d into IPv4 and
  // leave the prefix counting 128 bits.
  IpRange range;
  std::string s(address_text);
  bool v6 = s.find(':') != std::string::npos;
  if (s.empty() || s.size() > INET6_ADDRSTRLEN || s.find('\0') != std::string::npos ||
      ::inet_pton(v6 ? AF_INET6 : AF_INET, s.c_str(), range.base.bytes.data()) != 1)
    return std::nullopt;
  range.base.v6 = v6;
  range.prefix = range.base.bits();
  if (slash != std::string_view::npos) {
    auto digits = text.substr(slash + 1);
    int prefix = -1;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (digits.empty() || digits.size() > 3 || ec != std::errc{} ||
        end != digits.data() + digits.size() || prefix < 0 || prefix > range.base.bits())
      return std::nullopt;
    range.prefix = prefix;
  }
  // ::ffff:10.0.0.0/104 is 10.0.0.0/8: addresses are compared in their IPv4 form.
  if (is_v4_mapped(range.base) && range.prefix >= 96) {
    range.base = unmapped(range.base);
    range.prefix -= 96;
  }
  // Clear the bits below the prefix, so that contains() compares networks only.
  for (int bit = range.prefix; bit < range.base.bits(); ++bit)
    range.base.bytes[bit / 8] &= static_cast<std::uint8_t>(~(0x80 >> (bit % 8)));
  return range;
}

Result<TrustedProxies> TrustedProxies::parse(std::string_view list) {
  TrustedProxies proxies;
  while (!list.empty()) {
    auto comma = list.find(',');
    auto entry = trim(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    if (entry.empty()) continue;
    auto range = parse_ip_range(entry);
    if (!range)
      return fail(ErrorCode::invalid_input,
                  "'" + std::string(entry) + "' is not an address or CIDR range");
    proxies.ranges_.push_back(*range);
  }
  return proxies;
}

bool TrustedProxies::contains(const IpAddress& address) const {
  return std::any_of(ranges_.begin(), ranges_.end(),
                     [&](const IpRange& r) { return r.contains(address); });
}

std::string TrustedProxies::client_address(
    std::string_view peer, const std::vector<std::string_view>& forwarded_for) const {
  auto peer_address = parse_ip(peer);
  if (!peer_address) return {};
  IpAddress client = *peer_address;
  if (!contains(client)) return to_string(client);
  // Right to left over every entry of every field; empty list elements are allowed (RFC
  // 9110 5.6.1).
  for (auto field = forwarded_for.rbegin(); field != forwarded_for.rend(); ++field) {
    std::string_view rest = *field;
    while (!rest.empty()) {
      auto comma = rest.rfind(',');
      auto entry = trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(0, comma);
      if (entry.empty()) continue;
      auto hop = parse_forwarded_entry(entry);
      if (!hop) return to_string(client);
      client = *hop;
      if (!contains(client)) return to_string(client);
    }
  }
  return to_string(client);
}

std::string client_network(std::string_view client_address) {
  auto address = parse_ip(client_address);
  if (!address) return "unknown";
  if (!address->v6) return to_string(*address);
  std::fill(address->bytes.begin() + 8, address->bytes.end(), 0);
  return to_string(*address) + "/64";
}

}  // namespace ah::http
