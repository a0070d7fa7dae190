// A deliberately dumb HTTP/1.1 client on raw POSIX sockets: it sends exactly the bytes a test
// gives it (malformed ones included) and parses responses by Content-Length. Every wait has
// a deadline, so a misbehaving server fails a test instead of hanging it.
//
//   auto c = Connection::open(port);
//   ASSERT_TRUE(c) << c.error();
//   ASSERT_TRUE(c->send(get_request("/healthz")));
//   auto r = c->read_response();
//   ASSERT_TRUE(r) << r.error();
//   EXPECT_EQ(r->status, 200);
#pragma once

#include <chrono>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ah::test {

using namespace std::chrono_literals;

inline constexpr std::chrono::milliseconds kReadTimeout = 5s;

struct Response {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // in order received
  std::string body;
  std::string raw_header;  // status line and header fields, as received

  bool has(std::string_view name) const;
  // The first field called `name` (case-insensitive), or "" if there is none.
  std::string header(std::string_view name) const;
};

// Whether the response to read carries a body (not for HEAD requests).
enum class Body { expected, none };

class Connection {
 public:
  // Connects to 127.0.0.1:port; the error says why not (e.g. "Connection refused").
  static std::expected<Connection, std::string> open(std::uint16_t port,
                                                     std::chrono::milliseconds timeout = 5s);
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  ~Connection();

  // Sends everything (or fails after `timeout`, e.g. when the server stopped reading).
  std::expected<void, std::string> send(std::string_view bytes,
                                        std::chrono::milliseconds timeout = kReadTimeout);
  // Reads one response. Bytes after it stay buffered for the next call (pipelining).
  std::expected<Response, std::string> read_response(
      Body body = Body::expected, std::chrono::milliseconds timeout = kReadTimeout);
  // True once the server has closed the connection (EOF or reset) within `timeout`;
  // anything the server sends meanwhile is discarded.
  bool wait_closed(std::chrono::milliseconds timeout = kReadTimeout);
  // Everything the server sends until it closes the connection or `timeout` passes.
  std::string read_until_closed(std::chrono::milliseconds timeout = kReadTimeout);
  void shutdown_write();
  int fd() const { return fd_; }

 private:
  explicit Connection(int fd) : fd_(fd) {}
  // Appends what arrives within the deadline to buffer_; 0 on EOF/reset, -1 on timeout.
  long receive_some(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  std::string buffer_;
};

// "GET path HTTP/1.1" with Host and the given extra header lines ("Name: value").
std::string get_request(std::string_view path, const std::vector<std::string>& extra = {},
                        std::string_view method = "GET");

// One request on a fresh connection.
std::expected<Response, std::string> fetch(std::uint16_t port, std::string_view raw_request,
                                           Body body = Body::expected);
std::expected<Response, std::string> http_get(std::uint16_t port, std::string_view path,
                                              const std::vector<std::string>& extra = {});

}  // namespace ah::test
