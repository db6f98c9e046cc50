// Self-tests of the MPI test harness (mpi_main.cpp), hidden from normal runs and started by their
// own ctest entries, which expect them to fail in a particular way: a failed assertion on a rank
// other than 0 must fail the whole run and show up in rank 0's output; a rank that skips a
// collective (a hang) must be ended by the watchdog with a message naming the test case.
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "tests/mpi/mpi_support.hpp"

TEST_CASE("mpi harness: a failure on the last rank only fails the run", "[.][harness-failure]") {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  comm.barrier();
  CHECK(comm.rank() != comm.size() - 1);  // fails on the last rank only (rank 0 alone at 1)
}

TEST_CASE("mpi harness: a rank that skips a collective is ended by the watchdog",
          "[.][harness-hang]") {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  // Rank 0 waits for a barrier the others never enter (alone, it waits for itself forever).
  if (comm.is_root()) {
    if (comm.size() > 1)
      comm.barrier();
    else
      while (true) comm.any(false), std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(true);
}
