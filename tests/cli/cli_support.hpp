// Shared pieces of the CLI tests: running the built qstate binary, the test data folder, a
// temporary folder per test, and the checks every failing run must pass.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/cli/process.hpp"

namespace qstate::test {

// Exit codes the CLI promises.
inline constexpr int kRunError = 1;
inline constexpr int kUsageError = 2;

// tests/data/cli/<name>
std::string cli_data(const std::string& name);

// Runs the qstate binary under test with these arguments.
ProcessResult run_qstate(const std::vector<std::string>& args,
                         const std::vector<std::pair<std::string, std::string>>& env = {});

// Parses a run's stdout as JSON; fails the test (with the text) when it is not.
nlohmann::json parse_json(const std::string& text);

// A fresh empty folder, removed with its contents at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // Names of everything in the folder (hidden files too), sorted.
  std::vector<std::string> entries() const;

 private:
  std::string path_;
};

std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& text);

// A failed run: the expected exit code (non-zero, below 128, not a signal), nothing on stdout,
// and exactly one "qstate: error: " message on stderr, at its start.
void check_clean_failure(const ProcessResult& r, int expected_exit_code);

}  // namespace qstate::test
