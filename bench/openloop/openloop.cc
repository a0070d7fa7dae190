// ah-openloop: an open-loop HTTP load generator for scripts/bench (issue 6).
//
// wrk keeps each of its connections busy back to back (a closed loop): at 1,000
// connections the latencies it reports are mostly the queue it makes itself (by Little's
// law about 1,000 / throughput, on any server). People do not behave like that: many are
// connected, each asks now and then. This tool keeps CONNECTIONS keep-alive connections
// open and sends RATE requests a second spread evenly over them, and measures every
// request from the moment it was due, not from the moment it could be sent, so a server
// that stalls is not flattered by the requests it delayed ("coordinated omission").
//
//   ah-openloop --url http://127.0.0.1:8080/beteiligung/1 --connections 1000
//               --rate 10000 --duration 10 [--header "Cookie: ..."]
//
// Prints one JSON object: offered and achieved rate, requests answered 200, errors,
// latency p50/p90/p99/max in ms. Exit status 1 when it could not connect or a request
// failed.

#include <CLI/CLI.hpp>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "latency.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Clock = std::chrono::steady_clock;

namespace {

struct Target {
  std::string host, port, path;
};

struct Totals {
  std::vector<double> latencies_ms;
  std::int64_t ok = 0, errors = 0;
  std::string first_error;
  void fail(const std::string& what) {
    if (errors++ == 0) first_error = what;
  }
};

// One connection: sends its share of the requests when they are due, one at a time.
asio::awaitable<void> run_connection(asio::ip::tcp::endpoint endpoint,
                                     const http::request<http::empty_body>& request,
                                     ah::bench::Schedule schedule, std::int64_t index,
                                     Clock::time_point start, Clock::time_point end,
                                     Totals& totals) {
  auto executor = co_await asio::this_coro::executor;
  beast::tcp_stream stream(executor);
  asio::steady_timer timer(executor);
  beast::flat_buffer buffer;
  try {
    co_await stream.async_connect(endpoint, asio::use_awaitable);
    for (std::int64_t k = 0;; ++k) {
      const Clock::time_point due = start + schedule.due(index, k);
      if (due >= end) break;
      if (due > Clock::now()) {
        timer.expires_at(due);
        co_await timer.async_wait(asio::use_awaitable);
      }
      co_await http::async_write(stream, request, asio::use_awaitable);
      http::response_parser<http::string_body> response;
      response.body_limit(64 * 1024 * 1024);
      co_await http::async_read(stream, buffer, response, asio::use_awaitable);
      const double ms = std::chrono::duration<double, std::milli>(Clock::now() - due).count();
      if (response.get().result_int() == 200) {
        ++totals.ok;
        totals.latencies_ms.push_back(ms);
      } else {
        totals.fail("status " + std::to_string(response.get().result_int()));
      }
      if (!response.keep_alive()) {
        totals.fail("the server closed the connection");
        break;
      }
    }
  } catch (const std::exception& e) {
    totals.fail(e.what());
  }
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Open-loop HTTP load: RATE requests a second over CONNECTIONS connections, "
      "latency measured from when each request was due"};
  std::string url;
  std::int64_t connections = 100;
  double rate = 1000, duration = 10;
  std::vector<std::string> headers;
  app.add_option("--url", url, "http://HOST:PORT/PATH")->required();
  app.add_option("--connections", connections, "keep-alive connections")
      ->check(CLI::Range(1, 100000));
  app.add_option("--rate", rate, "requests a second, all connections together")
      ->check(CLI::PositiveNumber);
  app.add_option("--duration", duration, "seconds")->check(CLI::PositiveNumber);
  app.add_option("--header", headers, "\"Name: value\", repeatable");
  CLI11_PARSE(app, argc, argv);

  static const std::regex kUrl(R"(http://([^/:]+):([0-9]+)(/.*)?)");
  std::smatch m;
  if (!std::regex_match(url, m, kUrl)) {
    std::cerr << "ah-openloop: --url must look like http://127.0.0.1:8080/path (got " << url
              << ")\n";
    return 2;
  }
  const Target target{m[1], m[2], m[3].matched ? std::string(m[3]) : "/"};

  http::request<http::empty_body> request{http::verb::get, target.path, 11};
  request.set(http::field::host, target.host + ":" + target.port);
  request.set(http::field::user_agent, "ah-openloop");
  for (const auto& header : headers) {
    const auto colon = header.find(':');
    if (colon == std::string::npos) {
      std::cerr << "ah-openloop: --header must be \"Name: value\" (got " << header << ")\n";
      return 2;
    }
    request.set(header.substr(0, colon), header.substr(header.find_first_not_of(' ', colon + 1)));
  }
  request.keep_alive(true);

  asio::io_context io(1);
  asio::ip::tcp::endpoint endpoint;
  try {
    endpoint = *asio::ip::tcp::resolver(io).resolve(target.host, target.port).begin();
  } catch (const std::exception& e) {
    std::cerr << "ah-openloop: cannot resolve " << target.host << ": " << e.what() << "\n";
    return 2;
  }

  Totals totals;
  const ah::bench::Schedule schedule{.connections = connections, .rate = rate};
  // A moment for the connections to open before the first request is due.
  const Clock::time_point start = Clock::now() + std::chrono::milliseconds(500);
  const Clock::time_point end =
      start + std::chrono::nanoseconds(static_cast<std::int64_t>(duration * 1e9));
  for (std::int64_t i = 0; i < connections; ++i)
    asio::co_spawn(io, run_connection(endpoint, request, schedule, i, start, end, totals),
                   asio::detached);
  io.run();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  auto& l = totals.latencies_ms;
  const double p50 = ah::bench::percentile(l, 50), p90 = ah::bench::percentile(l, 90),
               p99 = ah::bench::percentile(l, 99), max = l.empty() ? 0 : l.back();
  std::printf(
      "{\"connections\": %lld, \"offered_per_s\": %.0f, \"achieved_per_s\": %.1f, \"ok\": %lld,"
      " \"errors\": %lld, \"p50_ms\": %.2f, \"p90_ms\": %.2f, \"p99_ms\": %.2f, \"max_ms\": "
      "%.2f}\n",
      static_cast<long long>(connections), rate, static_cast<double>(totals.ok) / elapsed,
      static_cast<long long>(totals.ok), static_cast<long long>(totals.errors), p50, p90, p99, max);
  if (totals.errors > 0) {
    std::cerr << "ah-openloop: " << totals.errors
              << " requests failed, the first: " << totals.first_error << "\n";
    return 1;
  }
  return 0;
}
