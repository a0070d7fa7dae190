// The server's I/O thread answers what the dispatcher can give at once (answer_at_once),
// without a worker: a cached page is served while every worker is busy with a slow request.
// In-process (http::Server with a test dispatcher), over loopback sockets.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "http/server.h"
#include "http_client.h"

namespace ah::test {
namespace {

class SlowAndQuick : public http::Dispatcher {
 public:
  std::size_t body_limit(http::Method, std::string_view) const override { return 1024; }
  http::Response handle(http::Request& request) noexcept override {
    ++handled;
    if (request.target == "/langsam") release.get_future().wait();
    return http::Response::text("vom Arbeiter " + request.target);
  }
  std::optional<http::Response> answer_at_once(http::Request& request) noexcept override {
    if (request.target != "/schnell") return std::nullopt;
    return http::Response::text("sofort");
  }
  http::Response refuse(int status, http::Request&) noexcept override {
    return http::Response::text("nein", status);
  }
  std::promise<void> release;
  std::atomic<int> handled{0};
};

TEST(AnswerAtOnce, IsServedOnTheIoThreadWhileEveryWorkerIsBusy) {
  SlowAndQuick dispatcher;
  http::Server server({.address = "127.0.0.1", .port = 0, .io_threads = 1, .worker_threads = 1,
                       .handle_signals = false},
                      dispatcher);
  ASSERT_TRUE(server.bind());
  std::thread running([&] { server.run(); });

  // The only worker waits in /langsam until released.
  auto slow = Connection::open(server.port());
  ASSERT_TRUE(slow) << slow.error();
  ASSERT_TRUE(slow->send(get_request("/langsam")));
  while (dispatcher.handled.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));

  auto quick = http_get(server.port(), "/schnell");
  ASSERT_TRUE(quick) << quick.error();
  EXPECT_EQ(quick->status, 200);
  EXPECT_EQ(quick->body, "sofort");
  EXPECT_EQ(dispatcher.handled.load(), 1) << "the quick answer must not need the worker";

  dispatcher.release.set_value();
  auto answered = slow->read_response();
  ASSERT_TRUE(answered) << answered.error();
  EXPECT_EQ(answered->body, "vom Arbeiter /langsam");
  // What answer_at_once declines goes to a worker as before.
  auto other = http_get(server.port(), "/anders");
  ASSERT_TRUE(other) << other.error();
  EXPECT_EQ(other->body, "vom Arbeiter /anders");

  server.shutdown();
  running.join();
}

}  // namespace
}  // namespace ah::test
