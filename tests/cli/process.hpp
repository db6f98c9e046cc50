// Runs a program as a child process (posix_spawn) with stdin from /dev/null and captures its
// stdout, stderr and exit status, for the CLI tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace qstate::test {

struct ProcessResult {
  int exit_code = -1;  // -1 when the process did not exit normally
  int signal = 0;      // the signal that ended it, or 0
  std::string out;
  std::string err;
};

// argv[0] is the program's path. `env` entries (NAME, value) are added to this process's
// environment, replacing variables of the same name.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::vector<std::pair<std::string, std::string>>& env = {});

}  // namespace qstate::test
