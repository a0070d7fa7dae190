#include "http_client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace ah::test {

namespace {

using Clock = std::chrono::steady_clock;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

int remaining_ms(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::max<std::int64_t>(0, left.count()));
}

// Waits until `fd` is ready for `events`; false on timeout.
bool wait_ready(int fd, short events, Clock::time_point deadline) {
  pollfd p{fd, events, 0};
  for (;;) {
    int n = ::poll(&p, 1, remaining_ms(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// Parses the status line and fields of `head` (without the final empty line).
std::expected<Response, std::string> parse_head(std::string_view head) {
  Response r;
  r.raw_header = std::string(head);
  auto line_end = head.find("\r\n");
  std::string_view status_line = head.substr(0, line_end);
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12)
    return std::unexpected("not an HTTP status line: " + std::string(status_line.substr(0, 80)));
  auto code = status_line.substr(9, 3);
  if (std::from_chars(code.data(), code.data() + 3, r.status).ec != std::errc{})
    return std::unexpected("bad status code in: " + std::string(status_line));
  while (line_end != std::string_view::npos) {
    auto start = line_end + 2;
    line_end = head.find("\r\n", start);
    std::string_view line = head.substr(
        start, line_end == std::string_view::npos ? std::string_view::npos : line_end - start);
    auto colon = line.find(':');
    if (colon == std::string_view::npos)
      return std::unexpected("field without colon: " + std::string(line));
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }
  return r;
}

}  // namespace

bool Response::has(std::string_view name) const {
  return std::ranges::any_of(headers, [&](const auto& h) { return iequals(h.first, name); });
}

std::string Response::header(std::string_view name) const {
  for (const auto& [n, v] : headers)
    if (iequals(n, name)) return v;
  return {};
}

std::expected<Connection, std::string> Connection::open(std::uint16_t port,
                                                        std::chrono::milliseconds timeout) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return std::unexpected(errno_text("socket"));
  Connection c(fd);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    if (errno != EINPROGRESS) return std::unexpected(errno_text("connect"));
    if (!wait_ready(fd, POLLOUT, Clock::now() + timeout))
      return std::unexpected("connect: timed out");
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) return std::unexpected(std::string("connect: ") + std::strerror(error));
  }
  return c;
}

Connection::Connection(Connection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), buffer_(std::move(other.buffer_)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

Connection::~Connection() {
  if (fd_ >= 0) ::close(fd_);
}

std::expected<void, std::string> Connection::send(std::string_view bytes,
                                                  std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (!bytes.empty()) {
    ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_ready(fd_, POLLOUT, deadline)) return std::unexpected("send: timed out");
    } else if (n < 0 && errno != EINTR) {
      return std::unexpected(errno_text("send"));
    }
  }
  return {};
}

long Connection::receive_some(Clock::time_point deadline) {
  for (;;) {
    char chunk[65536];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(n));
      return n;
    }
    if (n == 0) return 0;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!wait_ready(fd_, POLLIN, deadline)) return -1;
    } else if (errno != EINTR) {
      return 0;  // reset: the connection is gone like on EOF
    }
  }
}

std::expected<Response, std::string> Connection::read_response(Body body,
                                                               std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::size_t head_end;
  while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    long n = receive_some(deadline);
    if (n == 0)
      return std::unexpected(buffer_.empty() ? "connection closed before a response"
                                             : "connection closed inside a response header");
    if (n < 0) return std::unexpected("timed out waiting for a response header");
  }
  auto response = parse_head(std::string_view(buffer_).substr(0, head_end));
  if (!response) return response;
  buffer_.erase(0, head_end + 4);

  if (response->has("Transfer-Encoding"))
    return std::unexpected("this client does not read chunked responses");
  bool bodyless = body == Body::none || response->status / 100 == 1 || response->status == 204 ||
                  response->status == 304;
  if (bodyless) return response;
  std::size_t length = 0;
  if (auto text = response->header("Content-Length"); !text.empty()) {
    if (std::from_chars(text.data(), text.data() + text.size(), length).ec != std::errc{})
      return std::unexpected("bad Content-Length: " + text);
  } else {
    return std::unexpected("response without Content-Length");
  }
  while (buffer_.size() < length) {
    long n = receive_some(deadline);
    if (n == 0) return std::unexpected("connection closed inside a response body");
    if (n < 0) return std::unexpected("timed out waiting for a response body");
  }
  response->body = buffer_.substr(0, length);
  buffer_.erase(0, length);
  return response;
}

bool Connection::wait_closed(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    long n = receive_some(deadline);
    if (n == 0) return true;
    if (n < 0) return false;
    buffer_.clear();
  }
}

std::string Connection::read_until_closed(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (receive_some(deadline) > 0) {
  }
  return std::exchange(buffer_, {});
}

void Connection::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

std::string get_request(std::string_view path, const std::vector<std::string>& extra,
                        std::string_view method) {
  std::string r = std::string(method) + " " + std::string(path) + " HTTP/1.1\r\nHost: test\r\n";
  for (const auto& line : extra) r += line + "\r\n";
  return r + "\r\n";
}

std::expected<Response, std::string> fetch(std::uint16_t port, std::string_view raw_request,
                                           Body body) {
  auto c = Connection::open(port);
  if (!c) return std::unexpected(c.error());
  if (auto sent = c->send(raw_request); !sent) return std::unexpected(sent.error());
  return c->read_response(body);
}

std::expected<Response, std::string> http_get(std::uint16_t port, std::string_view path,
                                              const std::vector<std::string>& extra) {
  return fetch(port, get_request(path, extra));
}

}  // namespace ah::test
