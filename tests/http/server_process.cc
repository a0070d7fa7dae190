#include "server_process.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "http_client.h"

extern char** environ;

#ifndef AH_SERVER_BINARY
#error "AH_SERVER_BINARY must name the augenhoehe binary (see tests/http/CMakeLists.txt)"
#endif

namespace ah::test {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr auto kStartTimeout = 10s;
constexpr auto kPollInterval = 5ms;

// The environment for a child: ours, minus AUGENHOEHE_* settings (see the header).
std::vector<std::string> child_environment() {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (!std::string_view(*e).starts_with("AUGENHOEHE_")) env.emplace_back(*e);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> p;
  for (auto& s : strings) p.push_back(s.data());
  p.push_back(nullptr);
  return p;
}

// The port from the server's start-up line "... serving http://127.0.0.1:PORT ...".
std::optional<std::uint16_t> announced_port(const std::string& log) {
  static constexpr std::string_view marker = "serving http://127.0.0.1:";
  auto at = log.find(marker);
  if (at == std::string::npos) return std::nullopt;
  const char* begin = log.data() + at + marker.size();
  std::uint16_t port = 0;
  auto [end, ec] = std::from_chars(begin, log.data() + log.size(), port);
  if (ec != std::errc{} || end == begin) return std::nullopt;
  return port;
}

}  // namespace

std::string server_binary() { return AH_SERVER_BINARY; }

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/ah-http-test.XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

std::string ExitStatus::describe() const {
  if (timed_out) return "did not exit in time (killed)";
  if (exited) return "exit status " + std::to_string(code);
  return std::string("killed by signal ") + std::to_string(signal) + " (" + strsignal(signal) + ")";
}

pid_t spawn(const std::vector<std::string>& argv, const fs::path& stdout_file,
            const fs::path& stderr_file) {
  // Everything the child needs is prepared here: after fork() in a threaded process only
  // async-signal-safe calls are allowed (no malloc, no setenv).
  std::vector<std::string> args = argv;
  std::vector<std::string> env = child_environment();
  auto arg_pointers = pointers(args);
  auto env_pointers = pointers(env);
  std::string out = stdout_file.string();
  std::string err = stderr_file.string();
  pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid != 0) return pid;
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
  int in_fd = ::open("/dev/null", O_RDONLY);
  int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (in_fd < 0 || out_fd < 0 || err_fd < 0) ::_exit(127);
  ::dup2(in_fd, 0);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  ::execve(arg_pointers[0], arg_pointers.data(), env_pointers.data());
  ::_exit(127);
}

std::optional<ExitStatus> try_wait(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    int raw = 0;
    pid_t done = ::waitpid(pid, &raw, WNOHANG);
    if (done == pid) {
      ExitStatus status;
      status.exited = WIFEXITED(raw);
      if (status.exited) status.code = WEXITSTATUS(raw);
      if (WIFSIGNALED(raw)) status.signal = WTERMSIG(raw);
      return status;
    }
    if (done < 0) return ExitStatus{};  // not our child (any more): nothing to wait for
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPollInterval);
  }
}

ExitStatus wait_or_kill(pid_t pid, std::chrono::milliseconds timeout) {
  if (auto status = try_wait(pid, timeout)) return *status;
  ::kill(pid, SIGKILL);
  ExitStatus status = try_wait(pid, 10s).value_or(ExitStatus{});
  status.timed_out = true;
  return status;
}

CommandResult run_augenhoehe(const std::vector<std::string>& args,
                             std::chrono::milliseconds timeout) {
  TempDir output;
  std::vector<std::string> argv{server_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  CommandResult result;
  pid_t pid = spawn(argv, output.path() / "stdout", output.path() / "stderr");
  if (pid < 0) {
    result.err = "fork failed";
    return result;
  }
  result.status = wait_or_kill(pid, timeout);
  result.out = read_file(output.path() / "stdout");
  result.err = read_file(output.path() / "stderr");
  return result;
}

bool raise_open_file_limit(std::uint64_t wanted) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur >= wanted) return true;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < wanted) return false;
  limit.rlim_cur = wanted;
  return ::setrlimit(RLIMIT_NOFILE, &limit) == 0;
}

ServerProcess::ServerProcess(ServerOptions options) { start(options); }

void ServerProcess::start(const ServerOptions& options) {
  if (options.data_dir) {
    data_dir_ = *options.data_dir;
  } else {
    own_data_.emplace();
    data_dir_ = own_data_->path();
  }
  // Fixed thread counts: the same server on every machine, whatever its core count.
  std::vector<std::string> argv{server_binary(),    "serve",
                                "--listen",         "127.0.0.1:0",
                                "--data-dir",       data_dir_.string(),
                                "--access-log",     "-",
                                "--io-threads",     "2",
                                "--worker-threads", "4"};
  argv.insert(argv.end(), options.args.begin(), options.args.end());
  pid_ = spawn(argv, logs_.path() / "stdout", logs_.path() / "stderr");
  if (pid_ < 0) {
    start_error_ = "fork failed";
    return;
  }

  auto deadline = Clock::now() + kStartTimeout;
  for (;;) {
    // The start-up line goes to the operational log, stdout or stderr.
    if (auto port = announced_port(stdout_text() + stderr_text())) {
      port_ = *port;
      break;
    }
    if (auto ended = wait(0ms)) {
      start_error_ =
          "the server ended before serving (" + ended->describe() + "); stderr:\n" + stderr_text();
      return;
    }
    if (Clock::now() >= deadline) {
      start_error_ = "the server did not announce its port within 10 s; stderr:\n" + stderr_text();
      stop();
      return;
    }
    std::this_thread::sleep_for(kPollInterval);
  }
  std::string last_error;
  while (Clock::now() < deadline) {
    auto health = http_get(port_, "/healthz");
    if (health && health->status == 200) return;
    last_error = health ? "status " + std::to_string(health->status) : health.error();
    std::this_thread::sleep_for(kPollInterval);
  }
  start_error_ = "/healthz did not answer 200 within 10 s: " + last_error;
  stop();
}

ServerProcess::~ServerProcess() {
  if (pid_ <= 0) return;
  ExitStatus status = stop();
  // A crash at any time, or a shutdown that fails or hangs, is a bug worth a failure.
  if (start_error_.empty() && !status.clean())
    ADD_FAILURE() << "the server did not end cleanly: " << status.describe();
  if (::testing::Test::HasFailure())
    std::cerr << "--- server stderr ---\n" << stderr_text() << "--- end ---\n";
}

void ServerProcess::send_signal(int signal) {
  if (running()) ::kill(pid_, signal);
}

std::optional<ExitStatus> ServerProcess::wait(std::chrono::milliseconds timeout) {
  if (!exit_ && pid_ > 0) exit_ = try_wait(pid_, timeout);
  return exit_;
}

ExitStatus ServerProcess::stop(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return ExitStatus{};
  send_signal(SIGTERM);
  if (!exit_) exit_ = wait_or_kill(pid_, timeout);
  return *exit_;
}

}  // namespace ah::test
