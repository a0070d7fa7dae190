#include "mail/test_support.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <thread>
#include <utility>

extern char** environ;

namespace ah::mail::testing {
namespace {

using Clock = std::chrono::steady_clock;

int milliseconds_left(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

// Reads what is available from `fd` into `out` once it is readable before `deadline`.
// Returns false on end of output, error or timeout.
bool read_some(int fd, std::string& out, Clock::time_point deadline) {
  pollfd p{fd, POLLIN, 0};
  int ready = ::poll(&p, 1, milliseconds_left(deadline));
  if (ready <= 0) return false;
  char buffer[4096];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  if (n <= 0) return false;
  out.append(buffer, static_cast<std::size_t>(n));
  return true;
}

}  // namespace

std::optional<ChildProcess> ChildProcess::start(const std::vector<std::string>& argv) {
  int to_child[2];
  int from_child[2];
  if (::pipe2(to_child, O_CLOEXEC) != 0) return std::nullopt;
  if (::pipe2(from_child, O_CLOEXEC) != 0) {
    ::close(to_child[0]);
    ::close(to_child[1]);
    return std::nullopt;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, to_child[0], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, from_child[1], STDOUT_FILENO);
  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int spawned = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(to_child[0]);
  ::close(from_child[1]);
  if (spawned != 0) {
    ::close(to_child[1]);
    ::close(from_child[0]);
    return std::nullopt;
  }
  return ChildProcess(pid, to_child[1], from_child[0]);
}

ChildProcess::ChildProcess(pid_t pid, int stdin_fd, int stdout_fd)
    : pid_(pid), stdin_fd_(stdin_fd), stdout_fd_(stdout_fd) {}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)),
      stdin_fd_(std::exchange(other.stdin_fd_, -1)),
      stdout_fd_(std::exchange(other.stdout_fd_, -1)),
      buffered_(std::move(other.buffered_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    kill_and_reap();
    pid_ = std::exchange(other.pid_, -1);
    stdin_fd_ = std::exchange(other.stdin_fd_, -1);
    stdout_fd_ = std::exchange(other.stdout_fd_, -1);
    buffered_ = std::move(other.buffered_);
  }
  return *this;
}

ChildProcess::~ChildProcess() { kill_and_reap(); }

void ChildProcess::kill_and_reap() {
  if (stdin_fd_ >= 0) ::close(std::exchange(stdin_fd_, -1));
  if (stdout_fd_ >= 0) ::close(std::exchange(stdout_fd_, -1));
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
}

std::optional<std::string> ChildProcess::read_line(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    if (auto newline = buffered_.find('\n'); newline != std::string::npos) {
      std::string line = buffered_.substr(0, newline);
      buffered_.erase(0, newline + 1);
      return line;
    }
    if (!read_some(stdout_fd_, buffered_, deadline)) return std::nullopt;
  }
}

std::optional<std::string> ChildProcess::read_all(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (true) {
    pollfd p{stdout_fd_, POLLIN, 0};
    if (::poll(&p, 1, milliseconds_left(deadline)) <= 0) return std::nullopt;
    char buffer[4096];
    ssize_t n = ::read(stdout_fd_, buffer, sizeof buffer);
    if (n < 0) return std::nullopt;
    if (n == 0) return std::exchange(buffered_, {});
    buffered_.append(buffer, static_cast<std::size_t>(n));
  }
}

std::optional<int> ChildProcess::finish(std::chrono::milliseconds timeout) {
  if (stdin_fd_ >= 0) ::close(std::exchange(stdin_fd_, -1));
  auto deadline = Clock::now() + timeout;
  while (pid_ > 0) {
    int status = 0;
    pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill_and_reap();
  return std::nullopt;
}

std::optional<std::string> run(const std::vector<std::string>& argv,
                               std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  auto child = ChildProcess::start(argv);
  if (!child) return std::nullopt;
  auto output = child->read_all(timeout);
  auto status = child->finish(std::chrono::milliseconds(milliseconds_left(deadline)));
  if (!output || status != 0) return std::nullopt;
  return output;
}

std::optional<std::string> python_with_aiosmtpd() {
  std::vector<std::string> candidates;
  if (const char* configured = std::getenv("AH_PYTHON3")) candidates.emplace_back(configured);
  candidates.emplace_back("/usr/bin/python3");
  candidates.emplace_back("python3");
  for (const auto& python : candidates) {
    if (run({python, "-c", "import aiosmtpd"}, std::chrono::seconds(20))) return python;
  }
  return std::nullopt;
}

nlohmann::json decode_eml(const std::string& python, const std::filesystem::path& path) {
  auto output = run({python, std::string(AH_MAIL_TESTDATA) + "/decode_eml.py", path.string()},
                    std::chrono::seconds(20));
  if (!output) return nullptr;
  return nlohmann::json::parse(*output, nullptr, /*allow_exceptions=*/false);
}

std::filesystem::path fresh_test_directory(const std::string& prefix) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  auto dir =
      std::filesystem::temp_directory_path() / (prefix + "-" + std::to_string(::getpid()) + "-" +
                                                test->test_suite_name() + "-" + test->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace ah::mail::testing
