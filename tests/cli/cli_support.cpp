// Running the qstate binary under test, temporary folders, and the common failure checks.
#include "tests/cli/cli_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace qstate::test {

std::string cli_data(const std::string& name) {
  return std::string(QSTATE_CLI_DATA_DIR) + "/" + name;
}

ProcessResult run_qstate(const std::vector<std::string>& args,
                         const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::string> argv{QSTATE_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, env);
}

nlohmann::json parse_json(const std::string& text) {
  INFO("output: " << text.substr(0, 2000));
  nlohmann::json parsed;
  REQUIRE_NOTHROW(parsed = nlohmann::json::parse(text));
  return parsed;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "qstate-cli-XXXXXX").string();
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::vector<std::string> TempDir::entries() const {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(path_))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  REQUIRE(out.good());
}

void check_clean_failure(const ProcessResult& r, int expected_exit_code) {
  INFO("stderr: " << r.err);
  INFO("stdout: " << r.out.substr(0, 2000));
  CHECK(r.signal == 0);
  CHECK(r.exit_code == expected_exit_code);
  CHECK(r.exit_code > 0);
  CHECK(r.exit_code < 128);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("qstate: error: ", 0) == 0);
  std::size_t messages = 0;
  for (std::size_t at = r.err.find("qstate: error:"); at != std::string::npos;
       at = r.err.find("qstate: error:", at + 1))
    ++messages;
  CHECK(messages == 1);
}

}  // namespace qstate::test
