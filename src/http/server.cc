#include "http/server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include "http/url.h"

namespace ah::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

class Session;

// What the sessions share with the server: the dispatcher, options, worker pool, and the
// registry used to drain connections on shutdown.
struct Shared {
  ServerOptions options;
  Dispatcher& dispatcher;
  asio::thread_pool workers;
  std::atomic<bool> stopping{false};
  std::atomic<std::int64_t> in_flight{0};
  std::mutex mutex;
  std::unordered_set<Session*> sessions;  // guarded by mutex

  Shared(ServerOptions o, Dispatcher& d)
      : options(std::move(o)), dispatcher(d), workers(std::max(1, options.worker_threads)) {}
};

// The peer's address as text, without an IPv6 zone ("%eth0"), which is no part of who the
// client is; "" when the socket no longer knows it.
std::string peer_address(const tcp::socket& socket) {
  beast::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return {};
  auto address = endpoint.address();
  if (!address.is_v6()) return address.to_string();
  auto v6 = address.to_v6();
  v6.scope_id(0);
  return v6.to_string();
}

int status_for_parse_error(const beast::error_code& ec) {
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::body_limit) return 413;
  return 400;
}

// One TCP connection. Lives as long as an async operation holds a shared_ptr to it.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared)
      : peer_(peer_address(socket)), stream_(std::move(socket)), shared_(shared) {
    std::lock_guard lock(shared_.mutex);
    shared_.sessions.insert(this);
  }
  ~Session() {
    std::lock_guard lock(shared_.mutex);
    shared_.sessions.erase(this);
  }

  void start() {
    asio::dispatch(stream_.get_executor(),
                   [self = shared_from_this()] { self->read_header(); });
  }

  // Called on shutdown from any thread: closes the connection if it is waiting for a
  // request's header (idle, or a client still trickling one in); a request whose header
  // has arrived is read, handled and answered first (see write).
  void drain() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->awaiting_header_) self->close();
    });
  }

 private:
  void read_header() {
    if (shared_.stopping) return close();
    header_parser_.emplace();
    header_parser_->header_limit(static_cast<std::uint32_t>(shared_.options.header_limit));
    // Not Beast's 1 MiB default, which would refuse bodies a route allows. (Not boost::none
    // either: Boost 1.74 compares the length against it and refuses every body.)
    header_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    // The body limit is decided per route once the header is known (read_body).
    awaiting_header_ = true;
    stream_.expires_after(shared_.options.header_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *header_parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) {
          self->on_header(ec);
        });
  }

  void on_header(beast::error_code ec) {
    awaiting_header_ = false;
    if (ec) {
      if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
          ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
          ec == asio::error::eof)
        return close();
      // Partial data that isn't HTTP: answer once, then close.
      return refuse(status_for_parse_error(ec));
    }
    const auto& header = header_parser_->get();
    body_parser_.emplace(std::move(*header_parser_));
    header_parser_.reset();
    const auto& h = body_parser_->get();
    std::size_t limit = shared_.dispatcher.body_limit(
        method_from_string(std::string_view(h.method_string().data(), h.method_string().size())),
        std::string_view(h.target().data(), h.target().size()));
    (void)header;
    body_parser_->body_limit(limit);
    if (auto length = body_parser_->content_length(); length && *length > limit)
      return refuse(413);
    if (body_parser_->is_done()) return dispatch();
    if (bhttp::token_list(h[bhttp::field::expect]).exists("100-continue")) {
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                       h.version());
      bhttp::async_write(stream_, *cont,
                         [self = shared_from_this(), cont](beast::error_code ec, std::size_t) {
                           if (ec) return self->close();
                           self->read_body();
                         });
      return;
    }
    read_body();
  }

  void read_body() {
    stream_.expires_after(shared_.options.body_timeout);
    bhttp::async_read(stream_, buffer_, *body_parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) {
                          if (ec == beast::error::timeout || ec == bhttp::error::end_of_stream ||
                              ec == asio::error::connection_reset || ec == asio::error::eof)
                            return self->close();
                          return self->refuse(status_for_parse_error(ec));
                        }
                        self->dispatch();
                      });
  }

  // Fills a Request from what Beast parsed.
  Request to_request(bhttp::request<bhttp::string_body>&& message) {
    Request request;
    request.received_at = std::chrono::steady_clock::now();
    request.method = method_from_string(
        std::string_view(message.method_string().data(), message.method_string().size()));
    request.target = std::string(message.target());
    auto split = parse_target(request.target);
    if (split) {
      request.path = std::move(split->path);
      request.query = std::move(split->query);
    }
    for (const auto& field : message)
      request.headers.add(std::string(field.name_string()), std::string(field.value()));
    set_client_address(request);
    request.body = std::move(message.body());
    request.keep_alive = message.keep_alive();
    return request;
  }

  void set_client_address(Request& request) const {
    std::vector<std::string_view> forwarded_for;
    for (const auto& [name, value] : request.headers.all())
      if (iequals(name, "X-Forwarded-For")) forwarded_for.push_back(value);
    request.client_address = shared_.options.trusted_proxies.client_address(peer_, forwarded_for);
  }

  void dispatch() {
    auto message = body_parser_->release();
    body_parser_.reset();
    version_ = message.version();
    auto request = std::make_shared<Request>(to_request(std::move(message)));
    keep_alive_ = request->keep_alive;
    if (auto at_once = shared_.dispatcher.answer_at_once(*request))
      return write(std::move(*at_once), request->method == Method::head);
    stream_.expires_never();  // the handler's time is not the client's fault
    shared_.in_flight++;
    asio::post(shared_.workers, [self = shared_from_this(), request] {
      Response response = self->shared_.dispatcher.handle(*request);
      bool head = request->method == Method::head;
      asio::post(self->stream_.get_executor(),
                 [self, response = std::move(response), head]() mutable {
                   self->shared_.in_flight--;
                   self->write(std::move(response), head);
                 });
    });
  }

  void refuse(int status) {
    Request request;
    request.received_at = std::chrono::steady_clock::now();
    auto copy_header = [&request](const auto& h) {
      request.target = std::string(h.target());
      if (auto split = parse_target(request.target)) request.path = split->path;
      for (const auto& field : h)
        request.headers.add(std::string(field.name_string()), std::string(field.value()));
    };
    if (body_parser_) copy_header(body_parser_->get());
    else if (header_parser_ && header_parser_->is_header_done()) copy_header(header_parser_->get());
    set_client_address(request);
    header_parser_.reset();
    body_parser_.reset();
    keep_alive_ = false;
    write(shared_.dispatcher.refuse(status, request), false);
  }

  void write(Response response, bool head) {
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
    message->version(version_ ? version_ : 11);
    message->result(static_cast<unsigned>(response.status));
    for (const auto& [name, value] : response.headers.all()) message->insert(name, value);
    bool keep = keep_alive_ && !shared_.stopping && response.status < 500;
    message->keep_alive(keep);
    bool bodyless = response.status / 100 == 1 || response.status == 204 || response.status == 304;
    if (head) {
      message->content_length(response.body.size());
    } else if (bodyless) {
      // RFC 9110 6.4.1 and 8.6: no content, and no Content-Length that is not the 200's.
      // (prepare_payload would set "0", and throw on a non-empty body.)
    } else {
      message->body() = std::move(response.body);
      message->prepare_payload();
    }
    stream_.expires_after(shared_.options.body_timeout);
    bhttp::async_write(stream_, *message,
                       [self = shared_from_this(), message, keep](beast::error_code ec,
                                                                  std::size_t) {
                         if (ec || !keep) return self->close();
                         self->read_header();
                       });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  const std::string peer_;
  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::empty_body>> header_parser_;
  std::optional<bhttp::request_parser<bhttp::string_body>> body_parser_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool awaiting_header_ = true;  // no request of this connection is being read or handled
};

}  // namespace

struct Server::Impl {
  asio::io_context ioc;
  tcp::acceptor acceptor{asio::make_strand(ioc)};
  asio::signal_set signals{ioc};
  asio::steady_timer drain_timer{ioc};
  Shared shared;
  std::chrono::steady_clock::time_point drain_deadline;

  Impl(ServerOptions options, Dispatcher& dispatcher)
      : ioc(std::max(1, options.io_threads)), shared(std::move(options), dispatcher) {}

  void accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (ec) {
        // Out of file descriptors or similar: back off instead of spinning.
        auto timer = std::make_shared<asio::steady_timer>(ioc, std::chrono::milliseconds(50));
        timer->async_wait([this, timer](beast::error_code) { accept(); });
        return;
      }
      s.set_option(tcp::no_delay(true));
      std::make_shared<Session>(std::move(s), shared)->start();
      accept();
    });
  }

  void begin_shutdown() {
    if (shared.stopping.exchange(true)) return;
    beast::error_code ignored;
    acceptor.close(ignored);
    signals.cancel(ignored);
    drain_deadline = std::chrono::steady_clock::now() + shared.options.shutdown_grace;
    drain();
  }

  // Asks idle sessions to close, then checks every 20 ms until none is left or the grace
  // period is over; then stops the io_context so run() returns.
  void drain() {
    std::vector<std::shared_ptr<Session>> alive;
    {
      std::lock_guard lock(shared.mutex);
      for (Session* s : shared.sessions) {
        // A session being destroyed may still be listed; weak_from_this tells.
        if (auto p = s->weak_from_this().lock()) alive.push_back(std::move(p));
      }
    }
    if (alive.empty() || std::chrono::steady_clock::now() >= drain_deadline) {
      ioc.stop();
      return;
    }
    for (auto& s : alive) s->drain();
    alive.clear();
    drain_timer.expires_after(std::chrono::milliseconds(20));
    drain_timer.async_wait([this](beast::error_code ec) {
      if (!ec) drain();
    });
  }
};

Server::Server(ServerOptions options, Dispatcher& dispatcher)
    : impl_(std::make_unique<Impl>(std::move(options), dispatcher)) {}

Server::~Server() {
  impl_->ioc.stop();
  impl_->shared.workers.join();
}

Status Server::bind() {
  const auto& o = impl_->shared.options;
  beast::error_code ec;
  auto address = asio::ip::make_address(o.address, ec);
  if (ec) return fail(ErrorCode::invalid_input, "not an IP address: " + o.address);
  tcp::endpoint endpoint(address, o.port);
  auto& a = impl_->acceptor;
  a.open(endpoint.protocol(), ec);
  if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(endpoint, ec);
  if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return fail(ErrorCode::unavailable, "cannot listen on " + o.address + ":" +
                                            std::to_string(o.port) + ": " + ec.message());
  return {};
}

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::run() {
  auto& impl = *impl_;
  if (impl.shared.options.handle_signals) {
    impl.signals.add(SIGINT);
    impl.signals.add(SIGTERM);
    impl.signals.async_wait([&impl](beast::error_code ec, int) {
      if (!ec) impl.begin_shutdown();
    });
  }
  impl.accept();
  int n = std::max(1, impl.shared.options.io_threads);
  std::vector<std::thread> threads;
  for (int i = 1; i < n; ++i) threads.emplace_back([&impl] { impl.ioc.run(); });
  impl.ioc.run();
  for (auto& t : threads) t.join();
  impl.shared.workers.join();
}

void Server::shutdown() {
  asio::post(impl_->ioc, [impl = impl_.get()] { impl->begin_shutdown(); });
}

ServerStats Server::stats() const {
  ServerStats s;
  {
    std::lock_guard lock(impl_->shared.mutex);
    s.open_connections = static_cast<std::int64_t>(impl_->shared.sessions.size());
  }
  s.requests_in_flight = impl_->shared.in_flight.load();
  return s;
}

}  // namespace ah::http
