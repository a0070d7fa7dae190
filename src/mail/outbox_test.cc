#include "mail/outbox.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "base/files.h"
#include "mail/smtp.h"
#include "mail/test_support.h"

namespace ah::mail {
namespace {

namespace fs = std::filesystem;

// A text that exercises the encoding: umlauts, a paragraph longer than any line limit, lines
// that SMTP or mbox would alter if sent as is, trailing white space and '='.
const std::string kTricky =
    "Guten Tag Frau Müller,\n"
    "\n"
    "bitte bestätigen Sie Ihre E-Mail-Adresse: https://beteiligung.example/b?token=a1b2&x=1\n" +
    std::string(30, 'x') + " " + std::string(120, 'y') + " Größe\n" +
    ".\n"
    "..zwei Punkte\n"
    "From Augenhöhe\n"
    "Leerzeichen am Ende   \n"
    "Mit freundlichen Grüßen";

std::vector<fs::path> eml_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  return files;
}

class OutboxMailerTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::fresh_test_directory("ah-outbox"); }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(OutboxMailerTest, WritesAParseablePrivateEmlFile) {
  // Any python3 can decode; the one the SMTP tests use is the likeliest to be complete.
  auto python = testing::python_with_aiosmtpd();
  OutboxMailer mailer(dir_ / "data", "noreply@gemeinde.example");
  Message message{
      .to = "anna@example.org", .subject = "Bestätigen Sie Ihre E-Mail-Adresse", .text = kTricky};
  auto sent = mailer.send(message);
  ASSERT_TRUE(sent) << sent.error().message << " / " << sent.error().detail;

  EXPECT_EQ(mailer.directory(), dir_ / "data" / "outbox");
  EXPECT_EQ(fs::status(mailer.directory()).permissions() & fs::perms::all, fs::perms::owner_all);
  auto files = eml_files(mailer.directory());
  ASSERT_EQ(files.size(), 1U) << "exactly one file, no temporary left behind";
  std::regex name(R"(\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{32}\.eml)");
  EXPECT_TRUE(std::regex_match(files[0].filename().string(), name)) << files[0];
  struct stat info {};
  ASSERT_EQ(::stat(files[0].c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0600U);

  auto bytes = read_file(files[0]);
  ASSERT_TRUE(bytes);
  EXPECT_EQ(bytes->find('\n'), bytes->find("\r\n") + 1) << "CRLF line ends";

  // Python's email package, not our code, decides what the file says.
  auto decoded = testing::decode_eml(python.value_or("python3"), files[0]);
  ASSERT_TRUE(decoded.is_object()) << "decode_eml.py failed";
  EXPECT_EQ(decoded["defects"], nlohmann::json::array());
  EXPECT_EQ(decoded["headers"]["Subject"], "Bestätigen Sie Ihre E-Mail-Adresse");
  EXPECT_EQ(decoded["headers"]["To"], "anna@example.org");
  EXPECT_EQ(decoded["headers"]["From"], "noreply@gemeinde.example");
  EXPECT_EQ(decoded["headers"]["MIME-Version"], "1.0");
  EXPECT_TRUE(decoded["date_ok"].get<bool>());
  EXPECT_EQ(decoded["content_type"], "text/plain");
  EXPECT_EQ(decoded["charset"], "utf-8");
  EXPECT_EQ(decoded["transfer_encoding"], "quoted-printable");
  EXPECT_EQ(decoded["body"], kTricky + "\n");
}

TEST_F(OutboxMailerTest, ConcurrentSendsProduceDistinctCompleteFiles) {
  OutboxMailer mailer(dir_, "noreply@example.org");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::thread> workers;
  std::atomic<int> failures = 0;
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        Message message{.to = "user" + std::to_string(t * kPerThread + i) + "@example.org",
                        .subject = "Nachricht",
                        .text = "Hallo"};
        if (!mailer.send(message)) ++failures;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  EXPECT_EQ(failures, 0);

  std::set<std::string> recipients;
  auto files = eml_files(mailer.directory());
  ASSERT_EQ(files.size(), static_cast<std::size_t>(kThreads * kPerThread));
  for (const auto& file : files) {
    auto bytes = read_file(file);
    ASSERT_TRUE(bytes);
    std::smatch to;
    ASSERT_TRUE(std::regex_search(*bytes, to, std::regex("\r\nTo: (\\S+)\r\n"))) << file;
    recipients.insert(to[1]);
    EXPECT_TRUE(bytes->ends_with("\r\n\r\nHallo\r\n")) << file;
  }
  EXPECT_EQ(recipients.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST_F(OutboxMailerTest, RejectedMessagesLeaveNoFile) {
  OutboxMailer mailer(dir_, "noreply@example.org");
  auto injected = mailer.send(
      {.to = "anna@example.org", .subject = "Hallo\r\nBcc: everyone@example.org", .text = "x"});
  ASSERT_FALSE(injected);
  EXPECT_EQ(injected.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(injected.error().message, "The e-mail subject must not contain line breaks.");
  EXPECT_FALSE(fs::exists(mailer.directory()));

  OutboxMailer bad_sender(dir_, "not an address");
  auto sender = bad_sender.send({.to = "anna@example.org", .subject = "s", .text = "x"});
  ASSERT_FALSE(sender);
  EXPECT_EQ(sender.error().code, ErrorCode::invalid_input);
}

TEST_F(OutboxMailerTest, UnwritableOutboxIsAnInternalErrorNamingThePath) {
  std::ofstream(dir_ / "outbox") << "a file where the folder should be";
  OutboxMailer mailer(dir_, "noreply@example.org");
  auto sent = mailer.send({.to = "anna@example.org", .subject = "s", .text = "x"});
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code, ErrorCode::internal);
  EXPECT_EQ(sent.error().message, "The e-mail could not be stored for sending.");
  EXPECT_NE(sent.error().detail.find((dir_ / "outbox").string()), std::string::npos)
      << sent.error().detail;
}

TEST(MakeMailerTest, PicksTheOutboxWithoutUrlAndSmtpWithOne) {
  auto outbox = make_mailer({.from = "noreply@example.org"}, "/nonexistent/data");
  ASSERT_TRUE(outbox) << outbox.error().message;
  auto* as_outbox = dynamic_cast<OutboxMailer*>(outbox->get());
  ASSERT_NE(as_outbox, nullptr);
  EXPECT_EQ(as_outbox->directory(), fs::path("/nonexistent/data/outbox"));

  auto smtp = make_mailer({.url = "smtp://127.0.0.1:2525", .from = "noreply@example.org"}, "/x");
  ASSERT_TRUE(smtp) << smtp.error().message;
  EXPECT_NE(dynamic_cast<SmtpMailer*>(smtp->get()), nullptr);
}

TEST(MakeMailerTest, RejectsUnusableConfiguration) {
  struct Case {
    SmtpOptions options;
    std::string message_start;
  };
  std::vector<Case> cases = {
      {{.from = ""}, "The sender address is missing"},
      {{.url = "http://mail.example.org", .from = "a@example.org"}, "The SMTP URL must start"},
      {{.url = "smtp://", .from = "a@example.org"}, "The SMTP URL names no host"},
      {{.url = "smtp://:25", .from = "a@example.org"}, "The SMTP URL names no host"},
      {{.url = "smtps://user:secret@mail.example.org", .from = "a@example.org"},
       "The SMTP URL must not contain a user name"},
      {{.url = "smtp://mail.example.org\r\n", .from = "a@example.org"},
       "The SMTP URL must not contain spaces"},
      {{.url = "smtp://mail.example.org", .from = "a@example.org\nBcc: b@example.org"},
       "The sender address must not contain line breaks"},
      {{.url = "smtp://mail.example.org",
        .from = "a@example.org",
        .timeout = std::chrono::milliseconds(0)},
       "The SMTP timeout must be positive"},
  };
  for (const auto& c : cases) {
    auto mailer = make_mailer(c.options, "/data");
    ASSERT_FALSE(mailer) << c.options.url;
    EXPECT_EQ(mailer.error().code, ErrorCode::invalid_input);
    EXPECT_TRUE(mailer.error().message.starts_with(c.message_start)) << mailer.error().message;
  }
}

TEST(StartTlsSettingTest, ParsesTheThreeModesAndNothingElse) {
  for (StartTls mode : {StartTls::required, StartTls::opportunistic, StartTls::off}) {
    auto parsed = parse_starttls(to_string(mode));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, mode);
  }
  EXPECT_FALSE(parse_starttls("yes"));
  EXPECT_FALSE(parse_starttls("Required"));
}

}  // namespace
}  // namespace ah::mail
