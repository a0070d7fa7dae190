// ServerProcess: the real `augenhoehe serve` binary as a child process, for tests that talk
// to it over loopback sockets exactly as a client would.
//
//   ServerProcess server;                       // fresh temp data dir, free port
//   ASSERT_TRUE(server.running()) << server.start_error();
//   auto reply = http_get(server.port(), "/healthz");
//   ...
//   EXPECT_TRUE(server.stop().clean());         // SIGTERM, exit status 0 within 10 s
//
// Contract:
// - The constructor returns once /healthz answered 200, or fails (start_error()) after 10 s
//   or when the child exits early. The port is chosen by the server itself (--listen
//   127.0.0.1:0) and read from its start-up log line, so parallel tests never race for one.
// - The child's stdout (the access log, `--access-log -`) and stderr go to files in the
//   data dir's sibling folder; stdout_text()/stderr_text() read them at any time.
// - The child gets SIGKILL if the test process dies (PR_SET_PDEATHSIG), and AUGENHOEHE_*
//   variables from the environment are not passed on, so a developer's settings cannot
//   change what a test sees.
// - The destructor stops a still-running server with SIGTERM and records a test failure if
//   it did not end with status 0 (a crash, or a hang on shutdown, is a bug, too).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ah::test {

using namespace std::chrono_literals;

// The augenhoehe binary under test (from the AH_SERVER_BINARY compile definition).
std::string server_binary();

// A fresh folder under TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// How a child process ended.
struct ExitStatus {
  bool exited = false;  // normal exit; `code` is valid
  int code = -1;
  int signal = 0;          // killed by this signal
  bool timed_out = false;  // did not end in time (and was killed)
  bool clean() const { return exited && code == 0; }
  std::string describe() const;
};

// Starts `argv` (argv[0] is the program path) with stdin from /dev/null and stdout/stderr
// redirected to the given files. Returns the pid, or -1 if fork failed.
pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& stdout_file,
            const std::filesystem::path& stderr_file);

// Waits up to `timeout` for `pid` to end; nullopt if it is still running.
std::optional<ExitStatus> try_wait(pid_t pid, std::chrono::milliseconds timeout);
// Like try_wait, but kills a process still running after `timeout` (then timed_out).
ExitStatus wait_or_kill(pid_t pid, std::chrono::milliseconds timeout);

struct CommandResult {
  ExitStatus status;
  std::string out;
  std::string err;
};

// Runs the augenhoehe binary with `args` (no tty on stdin) to completion.
CommandResult run_augenhoehe(const std::vector<std::string>& args,
                             std::chrono::milliseconds timeout = std::chrono::seconds(20));

// Raises the soft RLIMIT_NOFILE of this process (and so of children started later) to at
// least `wanted`. False if the hard limit is lower.
bool raise_open_file_limit(std::uint64_t wanted);

std::string read_file(const std::filesystem::path& file);

struct ServerOptions {
  // Extra `serve` arguments, e.g. {"--https"} or {"--database", url}.
  std::vector<std::string> args;
  // Serve this data dir instead of a fresh one (it must outlive the server).
  std::optional<std::filesystem::path> data_dir;
};

class ServerProcess {
 public:
  explicit ServerProcess(ServerOptions options = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // False once the process has ended (for whatever reason).
  bool running() { return pid_ > 0 && !wait(0ms); }
  // Why the server did not start; empty when it did.
  const std::string& start_error() const { return start_error_; }
  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  std::filesystem::path database_file() const { return data_dir_ / "augenhoehe.db"; }

  std::string stdout_text() const { return read_file(logs_.path() / "stdout"); }
  std::string stderr_text() const { return read_file(logs_.path() / "stderr"); }

  void send_signal(int signal);
  // Waits up to `timeout` for the process to end by itself; nullopt if it is still running.
  std::optional<ExitStatus> wait(std::chrono::milliseconds timeout);
  // SIGTERM, then wait; SIGKILL after `timeout`. Idempotent: returns the recorded status.
  ExitStatus stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  void start(const ServerOptions& options);

  TempDir logs_;
  std::optional<TempDir> own_data_;
  std::filesystem::path data_dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::string start_error_;
  std::optional<ExitStatus> exit_;
};

}  // namespace ah::test
