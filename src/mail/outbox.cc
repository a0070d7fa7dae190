#include "mail/outbox.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <system_error>
#include <utility>

namespace ah::mail {
namespace {

constexpr std::string_view kWriteFailed = "The e-mail could not be stored for sending.";

std::unexpected<Error> write_failed(const std::filesystem::path& path, std::string_view what,
                                    int error_number) {
  return fail(ErrorCode::internal, std::string(kWriteFailed),
              std::string(what) + " " + path.string() + ": " + std::strerror(error_number));
}

// "20261126T162530.123Z": sortable, and free of ':' for file systems that dislike it.
std::string file_time(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[80];  // room for any int the compiler cannot rule out
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

// Closes the descriptor it holds when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports close()'s errno (0 on success): on some file systems a failed
  // write only shows at close.
  int close_now() {
    int result = ::close(std::exchange(fd_, -1));
    return result == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

Status ensure_outbox(const std::filesystem::path& outbox) {
  std::error_code ec;
  std::filesystem::create_directories(outbox.parent_path(), ec);
  if (ec) {
    return fail(ErrorCode::internal, std::string(kWriteFailed),
                "create " + outbox.parent_path().string() + ": " + ec.message());
  }
  if (::mkdir(outbox.c_str(), 0700) != 0 && errno != EEXIST) {
    return write_failed(outbox, "create", errno);
  }
  return {};
}

Status write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return write_failed(path, "write", errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return {};
}

// Writes `bytes` to `temporary` (which must not exist), then renames it to `target`. On
// failure the temporary file is removed.
Status write_atomically(const std::filesystem::path& temporary, const std::filesystem::path& target,
                        std::string_view bytes) {
  FileDescriptor file(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (file.get() < 0) return write_failed(temporary, "create", errno);
  auto written = [&]() -> Status {
    // The umask may only have taken bits away; set exactly 0600 regardless.
    if (::fchmod(file.get(), 0600) != 0) return write_failed(temporary, "chmod", errno);
    AH_TRY_STATUS(write_all(file.get(), bytes, temporary));
    if (::fsync(file.get()) != 0) return write_failed(temporary, "fsync", errno);
    if (int error = file.close_now(); error != 0) {
      return write_failed(temporary, "close", error);
    }
    if (::rename(temporary.c_str(), target.c_str()) != 0) {
      return write_failed(target, "rename to", errno);
    }
    return {};
  }();
  if (!written) ::unlink(temporary.c_str());
  return written;
}

}  // namespace

OutboxMailer::OutboxMailer(std::filesystem::path data_dir, std::string from)
    : outbox_(std::move(data_dir) / "outbox"), from_(std::move(from)) {}

Status OutboxMailer::send(const Message& message) {
  auto now = std::chrono::system_clock::now();
  AH_TRY(bytes, render_message(message, from_, now, new_message_id(from_)));
  AH_TRY_STATUS(ensure_outbox(outbox_));
  std::string name = file_time(now) + "-" + unique_token() + ".eml";
  AH_TRY_STATUS(write_atomically(outbox_ / ("." + name + ".tmp"), outbox_ / name, bytes));
  // Make the rename itself durable; the message is complete either way, so a failure here
  // is not reported as a failed send.
  FileDescriptor directory(::open(outbox_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (directory.get() >= 0) ::fsync(directory.get());
  return {};
}

}  // namespace ah::mail
