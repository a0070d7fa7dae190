// Helpers for the mail tests: child processes with bounded waits (the loopback SMTP server,
// openssl, Python's email parser) and an independent reading of .eml files.
//
// Not part of ah_mail; linked into ah_mail_test only. Scripts live in AH_MAIL_TESTDATA.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ah::mail::testing {

// A child process whose stdin and stdout are pipes to us (stderr is inherited, so its
// complaints show in the test log). The destructor kills it (SIGKILL) and reaps it, so no
// test leaves a process behind; closing its stdin is how a cooperating child learns to quit.
class ChildProcess {
 public:
  // Starts argv[0] (searched in PATH) with argv; std::nullopt when it cannot be started.
  static std::optional<ChildProcess> start(const std::vector<std::string>& argv);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;  // ends the child it held
  ~ChildProcess();

  // The next line of stdout without its "\n"; std::nullopt on end of output or when none
  // arrives within `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // Everything up to end of output; std::nullopt when it does not end within `timeout`.
  std::optional<std::string> read_all(std::chrono::milliseconds timeout);
  // Closes stdin and waits up to `timeout` for the exit status (the code, or 128+signal);
  // kills the child when it takes longer and returns std::nullopt.
  std::optional<int> finish(std::chrono::milliseconds timeout);

 private:
  ChildProcess(pid_t pid, int stdin_fd, int stdout_fd);
  void kill_and_reap();

  pid_t pid_;
  int stdin_fd_;
  int stdout_fd_;
  std::string buffered_;  // read from stdout, not yet returned
};

// A python3 that can import aiosmtpd: $AH_PYTHON3, /usr/bin/python3 or python3 from PATH,
// the first that works (a pyenv python3 earlier in PATH usually lacks Debian's modules).
// std::nullopt when none does.
std::optional<std::string> python_with_aiosmtpd();

// Runs a command to completion within `timeout`; its stdout, or std::nullopt when it could
// not start, failed or took too long.
std::optional<std::string> run(const std::vector<std::string>& argv,
                               std::chrono::milliseconds timeout);

// `path` read by Python's email package (testdata/decode_eml.py): the decoded headers, body,
// content type and any defects found. A JSON null when decoding failed.
nlohmann::json decode_eml(const std::string& python, const std::filesystem::path& path);

// A fresh empty directory under the system temp dir, named after the running test.
std::filesystem::path fresh_test_directory(const std::string& prefix);

}  // namespace ah::mail::testing
