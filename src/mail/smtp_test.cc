#include "mail/smtp.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <regex>
#include <thread>

#include "base/files.h"
#include "mail/test_support.h"

namespace ah::mail {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::string_view kPassword = "Pa55-w0rd!geheim";

// A TCP socket bound to a kernel-chosen loopback port. With `listen`, connections complete
// (into the backlog) but nobody ever speaks: an SMTP server that hangs.
class LoopbackSocket {
 public:
  explicit LoopbackSocket(bool listen) : fd_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    EXPECT_EQ(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length), 0);
    port_ = ntohs(address.sin_port);
    if (listen) {
      EXPECT_EQ(::listen(fd_, 8), 0);
    }
  }
  ~LoopbackSocket() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

// Replaces the values of the headers that differ on every rendering, so that two renderings
// of one message compare equal byte for byte.
std::string without_date_and_message_id(std::string bytes) {
  bytes = std::regex_replace(bytes, std::regex("Date: [^\r]*\r\n"), "Date: *\r\n");
  return std::regex_replace(bytes, std::regex("Message-ID: [^\r]*\r\n"), "Message-ID: *\r\n");
}

struct ServerOptions {
  bool tls = false;               // offer STARTTLS with a self-signed certificate
  bool require_starttls = false;  // refuse everything but EHLO/STARTTLS before TLS
  bool login = false;             // require AUTH as "augenhoehe" with kPassword
};

// Runs testdata/smtp_server.py on loopback for one test. Received messages land in
// spool_dir() as <n>.eml and <n>.json.
class SmtpMailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::fresh_test_directory("ah-smtp");
    fs::create_directories(spool_dir());
    python_ = testing::python_with_aiosmtpd();
    ASSERT_TRUE(python_) << "no python3 with aiosmtpd: install Debian's python3-aiosmtpd or set "
                            "AH_PYTHON3";
  }

  void TearDown() override {
    if (server_) server_->finish(5s);  // closing stdin stops it; killed if it lingers
    server_.reset();
    fs::remove_all(dir_);
  }

  fs::path spool_dir() const { return dir_ / "spool"; }
  fs::path ca_file() const { return dir_ / "cert.pem"; }

  void start_server(ServerOptions options) {
    std::vector<std::string> argv = {
        *python_,     std::string(AH_MAIL_TESTDATA) + "/smtp_server.py",
        "--dir",      spool_dir().string(),
        "--lifetime", "120"};
    if (options.tls) {
      // A certificate for 127.0.0.1, made fresh: the mailer must verify it against ca_file.
      auto made =
          testing::run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                        "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj",
                        "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                        "-keyout", (dir_ / "key.pem").string(), "-out", ca_file().string()},
                       30s);
      ASSERT_TRUE(made) << "openssl could not make a test certificate";
      argv.insert(argv.end(),
                  {"--tls-cert", ca_file().string(), "--tls-key", (dir_ / "key.pem").string()});
    }
    if (options.require_starttls) argv.emplace_back("--require-starttls");
    if (options.login) argv.insert(argv.end(), {"--login", "augenhoehe:" + std::string(kPassword)});
    server_ = testing::ChildProcess::start(argv);
    ASSERT_TRUE(server_) << "could not start " << argv[1];
    auto line = server_->read_line(20s);
    ASSERT_TRUE(line && line->starts_with("PORT ")) << "the SMTP test server did not start";
    url_ = "smtp://127.0.0.1:" + line->substr(5);
  }

  SmtpOptions options(StartTls starttls) const {
    return {.url = url_, .from = "noreply@gemeinde.example", .starttls = starttls, .timeout = 10s};
  }

  // Options for a server started with tls, require_starttls and login: STARTTLS required,
  // the test certificate trusted, logging in as "augenhoehe" with `password`.
  SmtpOptions login_options(std::string password) const {
    SmtpOptions settings = options(StartTls::required);
    settings.username = "augenhoehe";
    settings.password = std::move(password);
    settings.ca_file = ca_file().string();
    return settings;
  }

  // The n-th message the server accepted: its bytes and the facts about its session.
  std::pair<std::string, nlohmann::json> received(int n) const {
    auto bytes = read_file(spool_dir() / (std::to_string(n) + ".eml"));
    auto facts = read_file(spool_dir() / (std::to_string(n) + ".json"));
    EXPECT_TRUE(bytes && facts) << "message " << n << " did not arrive";
    if (!bytes || !facts) return {};
    return {*bytes, nlohmann::json::parse(*facts)};
  }

  std::size_t received_count() const {
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(spool_dir())) {
      count += entry.path().extension() == ".eml";
    }
    return count;
  }

  fs::path dir_;
  std::optional<std::string> python_;
  std::optional<testing::ChildProcess> server_;
  std::string url_;
};

const Message kConfirmation{
    .to = "anna.schmidt@example.org",
    .subject = "Bestätigen Sie Ihre E-Mail-Adresse",
    .text = "Guten Tag,\n.\n.. Punkte am Anfang bleiben\nFrom: keine Kopfzeile\n" +
            std::string(100, 'z') + " Grüße\n"};

TEST_F(SmtpMailerTest, DeliversTheRenderedMessageByteForByte) {
  ASSERT_NO_FATAL_FAILURE(start_server({}));
  SmtpMailer mailer(options(StartTls::off));
  auto sent = mailer.send(kConfirmation);
  ASSERT_TRUE(sent) << sent.error().message << " / " << sent.error().detail;

  auto [bytes, facts] = received(1);
  EXPECT_EQ(facts["mail_from"], "noreply@gemeinde.example");
  EXPECT_EQ(facts["rcpt_tos"], nlohmann::json::array({"anna.schmidt@example.org"}));
  EXPECT_FALSE(facts["tls"].get<bool>());
  auto expected = render_message(kConfirmation, "noreply@gemeinde.example",
                                 std::chrono::system_clock::now(), "<x@gemeinde.example>");
  ASSERT_TRUE(expected);
  EXPECT_EQ(without_date_and_message_id(bytes), without_date_and_message_id(*expected));

  auto decoded = testing::decode_eml(*python_, spool_dir() / "1.eml");
  ASSERT_TRUE(decoded.is_object());
  EXPECT_EQ(decoded["defects"], nlohmann::json::array());
  EXPECT_EQ(decoded["headers"]["Subject"], kConfirmation.subject);
  EXPECT_EQ(decoded["body"], kConfirmation.text);
}

TEST_F(SmtpMailerTest, OpportunisticSendsInPlainWhenTlsIsNotOffered) {
  ASSERT_NO_FATAL_FAILURE(start_server({}));
  SmtpMailer mailer(options(StartTls::opportunistic));
  auto sent = mailer.send(kConfirmation);
  ASSERT_TRUE(sent) << sent.error().detail;
  EXPECT_FALSE(received(1).second["tls"].get<bool>());
}

TEST_F(SmtpMailerTest, RequiredStartTlsRefusesAServerWithoutIt) {
  ASSERT_NO_FATAL_FAILURE(start_server({}));
  SmtpMailer mailer(options(StartTls::required));
  auto sent = mailer.send(kConfirmation);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::unavailable);
  EXPECT_EQ(received_count(), 0U);
}

TEST_F(SmtpMailerTest, StartTlsWithLoginVerifiesTheCertificate) {
  ASSERT_NO_FATAL_FAILURE(start_server({.tls = true, .require_starttls = true, .login = true}));
  SmtpOptions settings = login_options(std::string(kPassword));
  SmtpMailer mailer(settings);
  auto sent = mailer.send(kConfirmation);
  ASSERT_TRUE(sent) << sent.error().message << " / " << sent.error().detail;
  auto [bytes, facts] = received(1);
  EXPECT_TRUE(facts["tls"].get<bool>());
  EXPECT_EQ(facts["login"], "augenhoehe");
  auto decoded = testing::decode_eml(*python_, spool_dir() / "1.eml");
  EXPECT_EQ(decoded["headers"]["Subject"], kConfirmation.subject);

  // The same server with the system's CAs: the self-signed certificate must be refused.
  settings.ca_file.clear();
  auto untrusted = SmtpMailer(settings).send(kConfirmation);
  ASSERT_FALSE(untrusted);
  EXPECT_EQ(untrusted.error().code, ErrorCode::unavailable);
  EXPECT_EQ(received_count(), 1U);
}

TEST_F(SmtpMailerTest, RefusedLoginIsUnavailableAndNeverShowsThePassword) {
  ASSERT_NO_FATAL_FAILURE(start_server({.tls = true, .require_starttls = true, .login = true}));
  auto sent = SmtpMailer(login_options("wrong-" + std::string(kPassword))).send(kConfirmation);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::unavailable);
  EXPECT_FALSE(sent.error().detail.empty());
  for (const std::string& text : {sent.error().message, sent.error().detail}) {
    EXPECT_EQ(text.find(kPassword), std::string::npos) << text;
  }
  EXPECT_EQ(received_count(), 0U);
}

TEST_F(SmtpMailerTest, ConcurrentSendsAllArrive) {
  ASSERT_NO_FATAL_FAILURE(start_server({}));
  SmtpMailer mailer(options(StartTls::off));
  std::atomic<int> failures = 0;
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        if (!mailer.send(kConfirmation)) ++failures;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(received_count(), 20U);
}

TEST_F(SmtpMailerTest, InvalidMessageIsRejectedBeforeConnecting) {
  SmtpMailer mailer({.url = "smtp://127.0.0.1:1", .from = "noreply@example.org"});
  auto sent = mailer.send(
      {.to = "anna@example.org\r\nRCPT TO:<everyone@example.org>", .subject = "s", .text = "x"});
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::invalid_input);
}

// The result of one send and how long it took.
struct TimedSend {
  Status sent;
  std::chrono::steady_clock::duration took;
};

TimedSend send_timed(SmtpMailer& mailer, const Message& message) {
  auto started = std::chrono::steady_clock::now();
  auto sent = mailer.send(message);
  return {std::move(sent), std::chrono::steady_clock::now() - started};
}

TEST(SmtpMailerFailureTest, UnreachableServerIsUnavailable) {
  // Bound, then released at once: nobody listens there.
  int closed_port = LoopbackSocket(/*listen=*/false).port();
  SmtpMailer mailer({.url = "smtp://127.0.0.1:" + std::to_string(closed_port),
                     .password = std::string(kPassword),
                     .from = "noreply@example.org",
                     .timeout = 5s});
  auto [sent, took] = send_timed(mailer, kConfirmation);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::unavailable);
  EXPECT_EQ(sent.error().message,
            "The e-mail could not be sent because the mail server cannot be reached. Please try "
            "again later.");
  EXPECT_NE(sent.error().detail.find("curl error 7"), std::string::npos) << sent.error().detail;
  EXPECT_EQ(sent.error().detail.find(kPassword), std::string::npos);
  EXPECT_LT(took, 5s);
}

TEST(SmtpMailerFailureTest, SilentServerTimesOutWithinTheBound) {
  LoopbackSocket silent(/*listen=*/true);
  SmtpMailer mailer({.url = "smtp://127.0.0.1:" + std::to_string(silent.port()),
                     .from = "noreply@example.org",
                     .starttls = StartTls::off,
                     .timeout = 1s});
  auto [sent, took] = send_timed(mailer, kConfirmation);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::unavailable);
  EXPECT_NE(sent.error().detail.find("curl error 28"), std::string::npos) << sent.error().detail;
  EXPECT_GE(took, 900ms);
  EXPECT_LT(took, 5s);
}

}  // namespace
}  // namespace ah::mail
