// main() of mpi_tests: starts MPI once per process (a qstate::mpi::Communicator), then runs the
// same Catch2 session on every rank. Only rank 0 prints: its own Catch report, then the reports of
// the other ranks that had a failure (they write theirs to a temporary file and send it). The
// failure counts are combined across ranks: a failure on any rank makes every rank return non-zero.
// A watchdog ends the job with a message naming the test case when one test case runs far longer
// than it should (a rank waiting in a collective that another rank skipped), so a broken test fails
// instead of hanging until the ctest timeout.
#define CATCH_CONFIG_RUNNER
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include "mpi/communicator.hpp"
#include "tests/mpi/mpi_support.hpp"

namespace {

// What the watchdog reports: the test case and section running now.
std::mutex g_progress_mutex;
std::string g_test_case;
std::string g_section;
std::chrono::steady_clock::time_point g_case_started = std::chrono::steady_clock::now();

class ProgressListener : public Catch::TestEventListenerBase {
 public:
  using TestEventListenerBase::TestEventListenerBase;
  void testCaseStarting(Catch::TestCaseInfo const& info) override {
    TestEventListenerBase::testCaseStarting(info);
    const std::lock_guard<std::mutex> lock(g_progress_mutex);
    g_test_case = info.name;
    g_section.clear();
    g_case_started = std::chrono::steady_clock::now();
  }
  void sectionStarting(Catch::SectionInfo const& info) override {
    TestEventListenerBase::sectionStarting(info);
    const std::lock_guard<std::mutex> lock(g_progress_mutex);
    g_section = info.name;
  }
};

// Ends the process (and so, through mpiexec, the job) when one test case runs longer than
// `limit_seconds`. From a helper thread MPI may not be called: it exits without finalising,
// which mpiexec reports and answers by ending the other ranks.
class Watchdog {
 public:
  Watchdog(int rank, double limit_seconds) : rank_(rank), limit_(limit_seconds) {
    if (limit_ > 0) thread_ = std::thread([this] { watch(); });
  }
  ~Watchdog() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  void watch() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return done_; })) {
      std::string name, section;
      double elapsed = 0;
      {
        const std::lock_guard<std::mutex> progress(g_progress_mutex);
        name = g_test_case;
        section = g_section;
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - g_case_started)
                      .count();
      }
      if (elapsed <= limit_) continue;
      std::fprintf(stderr,
                   "mpi_tests rank %d: test case \"%s\" (section \"%s\") has run for %.0f s, "
                   "over the watchdog limit of %.0f s (QSTATE_MPI_TEST_WATCHDOG): probably a "
                   "rank waits in a collective that another rank skipped. Ending the job.\n",
                   rank_, name.c_str(), section.c_str(), elapsed, limit_);
      std::fflush(stderr);
      std::_Exit(124);
    }
  }

  int rank_;
  double limit_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

double watchdog_limit() {
  if (const char* env = std::getenv("QSTATE_MPI_TEST_WATCHDOG"); env != nullptr && *env != '\0')
    return std::atof(env);
  return 150.0;
}

}  // namespace

CATCH_REGISTER_LISTENER(ProgressListener)

int main(int argc, char** argv) {
  qstate::mpi::Communicator comm(&argc, &argv);
  qstate::test::set_world(&comm);

  Catch::Session session;
  const int parse = session.applyCommandLine(argc, argv);
  if (parse != 0) return parse;  // the same arguments on every rank: the same verdict

  // Listing: rank 0 prints, nothing runs (Catch returns the number listed, not failures).
  Catch::ConfigData& config = session.configData();
  if (config.listTests || config.listTestNamesOnly || config.listTags || config.listReporters) {
    if (comm.is_root()) session.run();
    return 0;
  }
  // mpiexec may hand ranks a terminal: no colour codes unless asked for (they end up in logs).
  if (config.useColour == Catch::UseColour::Auto) config.useColour = Catch::UseColour::No;

  // Ranks other than 0 keep their report in a file and show it only when it has a failure.
  std::string own_report;
  if (!comm.is_root()) {
    own_report = (std::filesystem::temp_directory_path() /
                  ("qstate_mpi_tests." + std::to_string(::getpid()) + ".rank" +
                   std::to_string(comm.rank()) + ".txt"))
                     .string();
    config.outputFilename = own_report;
  }

  int failures = 0;
  {
    const Watchdog watchdog(comm.rank(), watchdog_limit());
    failures = session.run();
  }

  const std::vector<qstate::ExactSum::Raw> per_rank = comm.all_gather(failures);
  std::string report;
  if (!own_report.empty()) {
    std::ifstream in(own_report);
    std::stringstream ss;
    ss << in.rdbuf();
    report = ss.str();
    std::filesystem::remove(own_report);
  }
  // Rank 0 prints the reports of failing ranks other than 0 (its own went to stdout), in rank
  // order; every rank takes part in each broadcast.
  for (int r = 1; r < comm.size(); ++r) {
    if (per_rank[static_cast<std::size_t>(r)] == 0) continue;
    const std::string text = comm.broadcast(comm.rank() == r ? report : std::string(), r);
    if (comm.is_root())
      std::cout << "==== mpi_tests: report of rank " << r << " of " << comm.size() << " ====\n"
                << text << "==== end of rank " << r << " ====" << std::endl;
  }
  bool any_failed = false;
  std::string failing;
  for (int r = 0; r < comm.size(); ++r) {
    if (per_rank[static_cast<std::size_t>(r)] == 0) continue;
    any_failed = true;
    failing += (failing.empty() ? "" : ", ") + std::to_string(r) + " (" +
               std::to_string(static_cast<long long>(per_rank[static_cast<std::size_t>(r)])) + ")";
  }
  if (comm.is_root()) {
    if (any_failed)
      std::cout << "mpi_tests on " << comm.size()
                << " ranks: FAILED on rank (failed assertions): " << failing << std::endl;
    else
      std::cout << "mpi_tests on " << comm.size() << " ranks: every rank passed" << std::endl;
  }
  qstate::test::set_world(nullptr);
  return any_failed ? 1 : 0;
}
