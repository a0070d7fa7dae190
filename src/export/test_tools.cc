#include "export/test_tools.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

extern char** environ;

namespace ah::exports::testing {

namespace fs = std::filesystem;

bool tools_required() {
  const char* value = std::getenv("AUGENHOEHE_REQUIRE_TOOLS");
  return value && *value && std::string_view(value) != "0";
}

std::optional<RunResult> run(const std::vector<std::string>& argv) {
  // stdout goes to an unlinked temp file, read after the child ends: no pipe to drain.
  char name[] = "/tmp/ah-export-run-XXXXXX";
  const int out = ::mkstemp(name);
  if (out < 0) return std::nullopt;
  ::unlink(name);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  const int spawned = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    ::close(out);
    return std::nullopt;
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  RunResult result;
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (result.status == 127) {  // posix_spawnp may report a missing program only this way
    ::close(out);
    return std::nullopt;
  }
  ::lseek(out, 0, SEEK_SET);
  char buf[4096];
  for (ssize_t n; (n = ::read(out, buf, sizeof buf)) > 0;) result.output.append(buf, n);
  ::close(out);
  return result;
}

std::optional<std::string> python_with(const std::string& module) {
  std::vector<std::string> candidates;
  if (const char* configured = std::getenv("AH_PYTHON3")) candidates.emplace_back(configured);
  candidates.emplace_back("/usr/bin/python3");
  candidates.emplace_back("python3");
  for (const auto& python : candidates) {
    auto r = run({python, "-c", "import " + module});
    if (r && r->status == 0) return python;
  }
  return std::nullopt;
}

std::optional<std::string> xml_problem(const std::string& xml) {
  const fs::path dir = fresh_directory();
  const fs::path file = dir / "document.xml";
  write_file(file, xml);
  std::optional<std::string> problem = kNoXmlParser;
  if (auto r = run({"xmllint", "--noout", file.string()})) {
    problem = r->status == 0 ? std::nullopt : std::optional<std::string>("xmllint refused it");
  } else if (auto python = python_with("xml.dom.minidom")) {
    auto p = run({*python, "-c", "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])",
                  file.string()});
    if (p)
      problem = p->status == 0 ? std::nullopt : std::optional<std::string>("minidom refused it");
  }
  fs::remove_all(dir);
  return problem;
}

fs::path fresh_directory() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  auto dir = fs::temp_directory_path() / ("ah-export-" + std::to_string(::getpid()) + "-" +
                                          test->test_suite_name() + "-" + test->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace ah::exports::testing
