// Many connections at once: slow clients must not starve quick ones, and a thousand
// keep-alive clients must all be served. These are functional deadlines from the issue
// (slowloris resistance), not benchmarks.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "test_support.h"

namespace ah::test {
namespace {

constexpr int kClients = 1000;

class LoadTest : public ServedTest {
 protected:
  void SetUp() override {
    // Each client connection costs one descriptor here and one in the server (which
    // inherits this limit), plus the server's own files.
    ASSERT_TRUE(raise_open_file_limit(2 * kClients + 1000))
        << "RLIMIT_NOFILE too low for " << kClients << " connections; raise the hard limit";
    ServedTest::SetUp();
  }

  std::vector<Connection> open_clients() {
    std::vector<Connection> clients;
    clients.reserve(kClients);
    for (int i = 0; i < kClients; ++i) {
      auto c = Connection::open(port());
      if (!c) {
        ADD_FAILURE() << "connection " << i << ": " << c.error();
        break;
      }
      clients.push_back(std::move(*c));
    }
    return clients;
  }

  // The server's own count of open client connections, from /metrics.
  double open_connections() {
    auto metrics = http_get(port(), "/metrics");
    if (!metrics || metrics->status != 200) return -1;
    static constexpr std::string_view name = "\naugenhoehe_http_open_connections ";
    auto at = metrics->body.find(name);
    return at == std::string::npos ? -1 : std::stod(metrics->body.substr(at + name.size()));
  }
};

// Sends one byte of a never-ending request header to every client, round-robin, once a
// second, until stopped.
class Trickler {
 public:
  explicit Trickler(std::vector<Connection>& clients)
      : clients_(clients), thread_([this] { run(); }) {}
  ~Trickler() { stop(); }

  void stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  int rounds() const { return rounds_; }
  int send_failures() const { return send_failures_; }

 private:
  void run() {
    static constexpr std::string_view prefix = "GET /healthz HTTP/1.1\r\nX-Slow: ";
    std::unique_lock lock(mutex_);
    for (std::size_t i = 0; !stopping_; ++i) {
      char next = i < prefix.size() ? prefix[i] : 'a';
      for (auto& c : clients_)
        if (!c.send(std::string_view(&next, 1), 1s)) ++send_failures_;
      ++rounds_;
      wake_.wait_for(lock, 1s, [this] { return stopping_; });
    }
  }

  std::vector<Connection>& clients_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::atomic<int> rounds_{0};
  std::atomic<int> send_failures_{0};
  std::thread thread_;
};

TEST_F(LoadTest, SlowClientsDoNotDelayOthers) {
  std::vector<Connection> slow = open_clients();
  ASSERT_EQ(slow.size(), static_cast<std::size_t>(kClients));
  Trickler trickler(slow);

  // Make sure the server really holds the slow connections (not just the kernel backlog).
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (open_connections() < kClients && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(20ms);
  ASSERT_GE(open_connections(), kClients);

  std::vector<double> latencies_ms;
  for (int i = 0; i < 10; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto r = http_get(port(), "/healthz");
    auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->status, 200);
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(elapsed).count());
    std::this_thread::sleep_for(300ms);  // spread the probes over several trickle rounds
  }
  trickler.stop();
  EXPECT_GE(trickler.rounds(), 3) << "the slow clients did not trickle during the probes";
  EXPECT_EQ(trickler.send_failures(), 0) << "the server dropped slow clients early";
  double worst = *std::ranges::max_element(latencies_ms);
  RecordProperty("worst_healthz_ms", std::to_string(worst));
  EXPECT_LT(worst, 100.0) << "slowest /healthz while " << kClients << " clients trickled: " << worst
                          << " ms";
  expect_still_serving();
}

TEST_F(LoadTest, AThousandKeepAliveClientsAreEachServedTwice) {
  std::vector<Connection> clients = open_clients();
  ASSERT_EQ(clients.size(), static_cast<std::size_t>(kClients));
  int ok = 0;
  for (int round = 0; round < 2; ++round) {
    // All requests go out before any answer is read, so they are in the server together.
    for (auto& c : clients) ASSERT_TRUE(c.send(get_request("/healthz")));
    for (std::size_t i = 0; i < clients.size(); ++i) {
      auto r = clients[i].read_response(Body::expected, 10s);
      ASSERT_TRUE(r) << "round " << round << ", client " << i << ": " << r.error();
      if (r->status == 200) ++ok;
    }
  }
  EXPECT_EQ(ok, 2 * kClients);
}

}  // namespace
}  // namespace ah::test
