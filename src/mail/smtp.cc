#include "mail/smtp.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>

namespace ah::mail {
namespace {

// libcurl's global state is set up once per process, on first use, and left in place until
// exit: curl_global_init is not safe to race with other curl calls, and a function-local
// static is initialised exactly once even when several threads send at the same time.
Status ensure_curl_initialised() {
  static const CURLcode result = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (result != CURLE_OK) {
    return fail(ErrorCode::internal, "The e-mail could not be sent.",
                std::string("curl_global_init: ") + curl_easy_strerror(result));
  }
  return {};
}

struct CurlHandleDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct CurlListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

// The bytes curl still has to upload; advanced by read_upload.
struct Upload {
  std::string_view remaining;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user_data) {
  auto* upload = static_cast<Upload*>(user_data);
  std::size_t n = std::min(size * count, upload->remaining.size());
  std::memcpy(buffer, upload->remaining.data(), n);
  upload->remaining.remove_prefix(n);
  return n;
}

long curl_ssl_mode(StartTls mode) {
  switch (mode) {
    case StartTls::required:
      return CURLUSESSL_ALL;
    case StartTls::opportunistic:
      return CURLUSESSL_TRY;
    case StartTls::off:
      return CURLUSESSL_NONE;
  }
  return CURLUSESSL_ALL;
}

// Failures before the SMTP dialogue could start: the relay is down, unknown or too slow.
bool is_connection_failure(CURLcode code) {
  return code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST ||
         code == CURLE_COULDNT_RESOLVE_PROXY || code == CURLE_OPERATION_TIMEDOUT;
}

// `text` with every occurrence of `secret` replaced by "***", so that nothing a server or
// curl echoes can carry the password into a log. The detail never includes the password by
// construction (no credentials in the URL, no server reply text); this is the second line of
// defence. Short secrets are left alone: they match ordinary text by chance ("p" in "smtp"),
// and the stars would then reveal the secret instead of hiding it.
std::string without_secret(std::string text, std::string_view secret) {
  constexpr std::size_t kShortestScrubbedSecret = 6;
  if (secret.size() < kShortestScrubbedSecret) return text;
  for (std::size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + 3)) {
    text.replace(at, secret.size(), "***");
  }
  return text;
}

}  // namespace

SmtpMailer::SmtpMailer(SmtpOptions options) : options_(std::move(options)) {}

Status SmtpMailer::send(const Message& message) {
  AH_TRY(bytes, render_message(message, options_.from, std::chrono::system_clock::now(),
                               new_message_id(options_.from)));
  AH_TRY_STATUS(ensure_curl_initialised());
  std::unique_ptr<CURL, CurlHandleDeleter> curl(curl_easy_init());
  if (!curl) {
    return fail(ErrorCode::internal, "The e-mail could not be sent.", "curl_easy_init failed");
  }
  std::string mail_from = "<" + options_.from + ">";
  std::unique_ptr<curl_slist, CurlListDeleter> recipients(
      curl_slist_append(nullptr, ("<" + message.to + ">").c_str()));
  if (!recipients) {
    return fail(ErrorCode::internal, "The e-mail could not be sent.", "curl_slist_append failed");
  }
  Upload upload{bytes};
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* handle = curl.get();
  // Signals would be unsafe with several sending threads; timeouts then rely on curl's
  // threaded resolver, which Debian's libcurl uses.
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_URL, options_.url.c_str());
  // However the URL was configured, never let it make curl speak anything but SMTP.
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(handle, CURLOPT_USE_SSL, curl_ssl_mode(options_.starttls));
  if (!options_.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!options_.username.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, options_.password.c_str());
  }
  long timeout_ms = static_cast<long>(options_.timeout.count());
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);

  CURLcode result = curl_easy_perform(handle);
  if (result == CURLE_OK) return {};

  long reply_code = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply_code);
  std::string detail = "SMTP " + options_.url + ": curl error " + std::to_string(result) + " (" +
                       curl_easy_strerror(result) + ")";
  if (error_buffer[0] != '\0') detail += ": " + std::string(error_buffer);
  if (reply_code != 0) detail += "; last server reply " + std::to_string(reply_code);
  std::string person_message =
      is_connection_failure(result)
          ? "The e-mail could not be sent because the mail server cannot be reached. "
            "Please try again later."
          : "The e-mail could not be sent because the mail server did not accept it. "
            "Please try again later.";
  return fail(ErrorCode::unavailable, std::move(person_message),
              without_secret(std::move(detail), options_.password));
}

}  // namespace ah::mail
