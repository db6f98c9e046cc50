// Runs one hidden Catch2 test case of the current test executable in a fresh child process
// (fork + exec of /proc/self/exe, so no OpenMP thread pool is inherited) and reports whether it
// passed, failed, or did not finish within a generous time limit. For code that must not hang: a
// hang then fails the calling test instead of stalling the suite. Not a timing assertion: the
// code under test takes microseconds.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

namespace qstate::test {

enum class ChildOutcome { kPassed, kFailed, kTimedOut };

inline ChildOutcome run_test_case_in_child(const std::string& test_name,
                                           double limit_seconds = 10.0) {
  const pid_t pid = fork();
  if (pid < 0) return ChildOutcome::kFailed;
  if (pid == 0) {
    const int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, STDOUT_FILENO);
    execl("/proc/self/exe", "child", test_name.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::duration<double>(limit_seconds);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) != pid) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return ChildOutcome::kTimedOut;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? ChildOutcome::kPassed
                                                       : ChildOutcome::kFailed;
}

}  // namespace qstate::test
