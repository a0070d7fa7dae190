// Helpers for ah_export_test: outside tools that read what the library wrote (python3 with
// openpyxl, xmllint), so the tests check the files with somebody else's parser.
//
// A missing tool skips the test with a message that names the Debian package, unless
// AUGENHOEHE_REQUIRE_TOOLS is set (as in CI), where it fails it. Not part of ah_export.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace ah::exports::testing {

// True when AUGENHOEHE_REQUIRE_TOOLS is set to anything but "" or "0".
bool tools_required();

// Runs argv (argv[0] searched in PATH) to completion; its exit status and stdout, or
// std::nullopt when it cannot be started. stderr goes to the test log.
struct RunResult {
  int status = -1;  // the exit code, or 128 + signal
  std::string output;
};
std::optional<RunResult> run(const std::vector<std::string>& argv);

// A python3 that can import `module`: $AH_PYTHON3, /usr/bin/python3 or python3 from PATH,
// the first that works (a pyenv python3 earlier in PATH usually lacks Debian's modules).
std::optional<std::string> python_with(const std::string& module);

// Whether `xml` is a well-formed XML document: std::nullopt when it is, else the parser's
// complaint. Uses xmllint, or python3's xml.dom.minidom when xmllint is missing; "no XML
// parser" as the complaint when there is neither (callers skip or fail on it).
inline constexpr const char* kNoXmlParser = "no XML parser";
std::optional<std::string> xml_problem(const std::string& xml);

// A fresh empty directory under the system temp dir, named after the running test; removed
// by the caller.
std::filesystem::path fresh_directory();

// `bytes` written to `path`.
void write_file(const std::filesystem::path& path, const std::string& bytes);

}  // namespace ah::exports::testing

// Skips the test (or fails it under AUGENHOEHE_REQUIRE_TOOLS) when `available` is false.
#define AH_REQUIRE_TOOL(available, what)                                                 \
  do {                                                                                   \
    if (!(available)) {                                                                  \
      if (::ah::exports::testing::tools_required()) FAIL() << "missing " << what;        \
      GTEST_SKIP() << "missing " << what << " (set AUGENHOEHE_REQUIRE_TOOLS=1 to fail)"; \
    }                                                                                    \
  } while (0)
