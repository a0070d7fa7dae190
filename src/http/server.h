// Server: the HTTP/1.1 front door (Boost.Beast + Asio). The only file that knows Beast.
//
// Contract:
// - `io_threads` threads run the sockets; handlers run on a separate bounded pool of
//   `worker_threads` so that a slow database query never stalls reading or writing. What
//   the dispatcher can answer at once from memory (`answer_at_once`) is answered on the I/O
//   thread, without the two hand-offs.
// - Each connection handles one request at a time, in order (pipelined requests queue in
//   its read buffer), with keep-alive.
// - Deadlines: a request's header must arrive within `header_timeout` of the connection
//   becoming idle, its body within `body_timeout`. A client trickling bytes ties up only its
//   own connection, never a thread.
// - Limits: headers over `header_limit` bytes get 431; bodies over the route's limit
//   (`Dispatcher::body_limit`) get 413, also when chunked; anything malformed gets 400.
//   After such an error the connection is closed.
// - Request::client_address is the peer's address, or behind `trusted_proxies` the client
//   named in X-Forwarded-For (see client_address.h).
// - Shutdown (`shutdown()`, or SIGTERM/SIGINT when `handle_signals`): stop accepting, close
//   idle connections, let in-flight requests finish and be answered, then return from
//   `run()`; connections still busy after `shutdown_grace` are cut.
//
//   Server server(options, dispatcher);
//   if (auto bound = server.bind(); !bound) { ... bound.error().message ... }
//   server.run();   // blocks until shut down
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/error.h"
#include "http/client_address.h"
#include "http/message.h"

namespace ah::http {

// What the server calls for every request. Implementations must be thread-safe: `handle`
// runs concurrently on the worker threads.
class Dispatcher {
 public:
  virtual ~Dispatcher() = default;
  // The largest body accepted for this request (known after the header is read).
  virtual std::size_t body_limit(Method method, std::string_view target) const = 0;
  // Produces the response; must not throw.
  virtual Response handle(Request& request) noexcept = 0;
  // A response that needs no worker, given on the I/O thread that read the request: it must
  // be cheap and must never block (no database, no rendering) — a static file, a page from
  // memory. nullopt (the default): the request goes to `handle` on a worker.
  virtual std::optional<Response> answer_at_once(Request&) noexcept { return std::nullopt; }
  // The response for a request the server refused before routing (400, 413, 431),
  // e.g. a localised error page. `request` holds what could be parsed.
  virtual Response refuse(int status, Request& request) noexcept = 0;
};

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks a free port; see Server::port()
  int io_threads = 1;
  int worker_threads = 2;
  std::size_t header_limit = 16 * 1024;
  std::chrono::milliseconds header_timeout{15000};
  std::chrono::milliseconds body_timeout{30000};
  std::chrono::milliseconds shutdown_grace{8000};
  bool handle_signals = true;
  // Peers whose X-Forwarded-For is believed when filling Request::client_address.
  TrustedProxies trusted_proxies;
};

struct ServerStats {
  std::int64_t open_connections = 0;
  std::int64_t requests_in_flight = 0;
};

class Server {
 public:
  Server(ServerOptions options, Dispatcher& dispatcher);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. Errors name the address, e.g. when the port is taken.
  Status bind();
  // The port actually bound (useful with port 0).
  std::uint16_t port() const;
  // Serves until shutdown() or a signal; then drains as described above.
  void run();
  // Thread-safe; may be called from any thread, also before run().
  void shutdown();
  ServerStats stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ah::http
