// What every response looks like: error formats and languages, security headers, static
// assets and caching, metrics, and the access log.
#include <sys/wait.h>
#include <zlib.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "test_support.h"

namespace ah::test {
namespace {

namespace fs = std::filesystem;
using ResponsesTest = ServedTest;

// The href of the KERN stylesheet on the home page, e.g. "/assets/kern.0123456789.css".
std::string kern_stylesheet(const std::string& html) {
  std::smatch match;
  static const std::regex href(R"re(href="(/assets/kern\.[0-9a-f]+\.css)")re");
  return std::regex_search(html, match, href) ? match[1].str() : std::string{};
}

std::string gunzip(const std::string& compressed) {
  z_stream z{};
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return {};
  std::string out;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    char chunk[65536];
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - z.avail_out);
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string{};
}

// Header fields of a response, minus those that differ per request.
std::map<std::string, std::string> stable_fields(const Response& r) {
  std::map<std::string, std::string> fields;
  for (const auto& [name, value] : r.headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower != "x-request-id" && lower != "date") fields[lower] = value;
  }
  return fields;
}

// ---------------------------------------------------------------------------------------
// Errors

TEST_F(ResponsesTest, ApiNotFoundIsProblemJson) {
  auto r = http_get(port(), "/api/v1/nope");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->header("Content-Type"), "application/problem+json");
  auto problem = nlohmann::json::parse(r->body, nullptr, false);
  ASSERT_TRUE(problem.is_object()) << r->body;
  EXPECT_EQ(problem.value("status", 0), 404);
  EXPECT_FALSE(problem.value("title", "").empty()) << r->body;
  EXPECT_FALSE(problem.value("detail", "").empty()) << r->body;
  expect_no_internals(*r);

  auto english = http_get(port(), "/api/v1/nope", {"Accept-Language: en"});
  ASSERT_TRUE(english) << english.error();
  auto english_problem = nlohmann::json::parse(english->body, nullptr, false);
  EXPECT_EQ(english_problem.value("title", ""), "Page not found") << english->body;
  EXPECT_NE(english_problem.value("title", ""), problem.value("title", ""));
}

TEST_F(ResponsesTest, PageNotFoundIsGermanHtmlByDefault) {
  auto r = http_get(port(), "/nope");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->status, 404);
  EXPECT_TRUE(r->header("Content-Type").starts_with("text/html")) << r->raw_header;
  EXPECT_NE(r->body.find("<html lang=\"de\""), std::string::npos);
  EXPECT_NE(r->body.find("Seite nicht gefunden"), std::string::npos);
  expect_no_internals(*r);
}

TEST_F(ResponsesTest, WrongMethodIs405WithAllow) {
  auto r = fetch(port(), get_request("/healthz", {}, "DELETE"));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->status, 405);
  EXPECT_EQ(r->header("Allow"), "GET, HEAD");
  expect_no_internals(*r);
}

// ---------------------------------------------------------------------------------------
// Security headers

TEST_F(ResponsesTest, SecurityHeadersOnEveryKindOfResponse) {
  auto home = http_get(port(), "/");
  ASSERT_TRUE(home) << home.error();
  std::string stylesheet = kern_stylesheet(home->body);
  ASSERT_FALSE(stylesheet.empty());
  auto asset = http_get(port(), stylesheet);
  ASSERT_TRUE(asset) << asset.error();

  std::vector<std::pair<int, std::expected<Response, std::string>>> cases;
  cases.emplace_back(200, std::move(home));
  cases.emplace_back(200, http_get(port(), "/healthz"));
  cases.emplace_back(404, http_get(port(), "/nope"));
  cases.emplace_back(404, http_get(port(), "/api/v1/nope"));
  cases.emplace_back(405, fetch(port(), get_request("/healthz", {}, "DELETE")));
  cases.emplace_back(400, fetch(port(), "GARBAGE\r\n\r\n"));
  cases.emplace_back(413, fetch(port(), get_request("/", {"Content-Length: 2097152"}, "POST")));
  cases.emplace_back(431, http_get(port(), "/", {"Cookie: c=" + std::string(20 * 1024, 'c')}));
  cases.emplace_back(200, http_get(port(), stylesheet));
  cases.emplace_back(304,
                     http_get(port(), stylesheet, {"If-None-Match: " + asset->header("ETag")}));
  for (const auto& [status, response] : cases) {
    ASSERT_TRUE(response) << "expected " << status << ": " << response.error();
    EXPECT_EQ(response->status, status);
    expect_security_headers(*response);
  }
}

TEST(SecurityHeaders, HstsOnlyWithHttps) {
  ServerProcess server({.args = {"--https"}});
  ASSERT_TRUE(server.running()) << server.start_error();
  for (const char* path : {"/", "/nope"}) {
    auto r = http_get(server.port(), path);
    ASSERT_TRUE(r) << r.error();
    expect_security_headers(*r, /*https=*/true);
  }
}

// ---------------------------------------------------------------------------------------
// Assets

TEST_F(ResponsesTest, HashedAssetsAreImmutableRevalidatableAndCompressed) {
  auto home = http_get(port(), "/");
  ASSERT_TRUE(home) << home.error();
  std::string stylesheet = kern_stylesheet(home->body);
  ASSERT_FALSE(stylesheet.empty()) << "no KERN stylesheet link on the home page";

  auto css = http_get(port(), stylesheet);
  ASSERT_TRUE(css) << css.error();
  EXPECT_EQ(css->status, 200);
  EXPECT_TRUE(css->header("Content-Type").starts_with("text/css")) << css->raw_header;
  EXPECT_NE(css->header("Cache-Control").find("immutable"), std::string::npos);
  std::string etag = css->header("ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_FALSE(css->body.empty());

  // 304 carries no body (the next response on the connection must follow at once) and no
  // Content-Length other than the full one (RFC 9110 8.6).
  auto c = Connection::open(port());
  ASSERT_TRUE(c) << c.error();
  ASSERT_TRUE(
      c->send(get_request(stylesheet, {"If-None-Match: " + etag}) + get_request("/healthz")));
  auto not_modified = c->read_response();
  ASSERT_TRUE(not_modified) << not_modified.error();
  EXPECT_EQ(not_modified->status, 304);
  if (not_modified->has("Content-Length")) {
    EXPECT_EQ(not_modified->header("Content-Length"), std::to_string(css->body.size()))
        << "a 304 must not announce a different length than the 200";
  }
  auto next = c->read_response();
  ASSERT_TRUE(next) << "after the 304: " << next.error();
  EXPECT_EQ(next->status, 200);

  auto gzipped = http_get(port(), stylesheet, {"Accept-Encoding: gzip"});
  ASSERT_TRUE(gzipped) << gzipped.error();
  EXPECT_EQ(gzipped->header("Content-Encoding"), "gzip");
  EXPECT_LT(gzipped->body.size(), css->body.size());
  EXPECT_EQ(gunzip(gzipped->body), css->body);
}

TEST_F(ResponsesTest, HeadHasTheHeadersOfGetButNoBody) {
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{}, std::vector<std::string>{"Accept-Encoding: gzip"}}) {
    SCOPED_TRACE(extra.empty() ? "identity" : "gzip");
    auto get = http_get(port(), "/", extra);
    ASSERT_TRUE(get) << get.error();
    auto c = Connection::open(port());
    ASSERT_TRUE(c) << c.error();
    // A body after the HEAD response would be read as the next status line.
    ASSERT_TRUE(c->send(get_request("/", extra, "HEAD") + get_request("/healthz")));
    auto head = c->read_response(Body::none);
    ASSERT_TRUE(head) << head.error();
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->header("Content-Length"), std::to_string(get->body.size()));
    EXPECT_EQ(stable_fields(*head), stable_fields(*get));
    auto next = c->read_response();
    ASSERT_TRUE(next) << "after HEAD: " << next.error();
    EXPECT_EQ(next->status, 200);
  }
}

// ---------------------------------------------------------------------------------------
// Metrics

constexpr const char* kPromtool = "/usr/bin/promtool";

// Runs `promtool check metrics` on `text`; returns its exit status and output.
std::pair<int, std::string> promtool_check(const std::string& text, const fs::path& dir) {
  fs::path file = dir / "metrics.txt";
  std::ofstream(file) << text;
  std::string command = std::string(kPromtool) + " check metrics < '" + file.string() + "' 2>&1";
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::string output;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  int status = ::pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST_F(ResponsesTest, MetricsCountRequestsAndPassPromtool) {
  ASSERT_TRUE(fs::exists(kPromtool))
      << "promtool is missing: install Debian's 'prometheus' package (scripts/test does)";
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(http_get(port(), "/healthz"));
  ASSERT_TRUE(http_get(port(), "/nope"));
  auto r = http_get(port(), "/metrics");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->header("Content-Type").starts_with("text/plain")) << r->raw_header;
  const std::string& text = r->body;
  // At least the three before this one (SetUp's health probes add more).
  std::smatch count;
  ASSERT_TRUE(std::regex_search(
      text, count,
      std::regex(
          R"re(augenhoehe_http_requests_total\{route="/healthz",method="GET",status="200"\} (\d+))re")))
      << text;
  EXPECT_GE(std::stoi(count[1]), 3);
  EXPECT_NE(text.find("# TYPE augenhoehe_http_request_duration_seconds histogram"),
            std::string::npos);
  EXPECT_NE(
      text.find("augenhoehe_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"}"),
      std::string::npos);

  auto [status, output] = promtool_check(text, server_->data_dir());
  EXPECT_EQ(status, 0) << "promtool check metrics:\n" << output;
}

// ---------------------------------------------------------------------------------------
// Access log

TEST_F(ResponsesTest, AccessLogIsJsonWithoutClientAddressOrQuery) {
  ASSERT_TRUE(http_get(port(), "/?secret=x"));
  ASSERT_TRUE(http_get(port(), "/nope?secret=y"));
  ASSERT_TRUE(fetch(port(), "GARBAGE\r\n\r\n"));

  std::istringstream log(server_->stdout_text());
  int lines = 0;
  bool home_logged = false;
  for (std::string line; std::getline(log, line);) {
    if (line.empty()) continue;
    ++lines;
    SCOPED_TRACE(line);
    auto entry = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(entry.is_object()) << "not a JSON object: stdout must hold only the access log";
    EXPECT_TRUE(entry.contains("request_id"));
    EXPECT_TRUE(entry.contains("route"));
    EXPECT_TRUE(entry.contains("status"));
    EXPECT_EQ(line.find("127.0.0.1"), std::string::npos) << "client address logged";
    EXPECT_EQ(line.find("secret"), std::string::npos) << "query string logged";
    if (entry.value("route", "") == "/" && entry.value("status", 0) == 200) home_logged = true;
  }
  EXPECT_GE(lines, 3);
  EXPECT_TRUE(home_logged) << "GET /?secret=x is not in the log";
}

}  // namespace
}  // namespace ah::test
