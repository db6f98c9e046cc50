// Ranks with and without MPI (the only place in apps/ that depends on the build flag). MPI is
// started only when an MPI launcher started this process (mpirun, mpiexec, srun): a plain
// `qstate run` is one process and does not pay MPI's start-up.
#include "apps/ranks.hpp"

#include <qstate/config.hpp>

#include <bit>
#include <cstdlib>
#include <iostream>

#include "circuits/passes/distribute.hpp"

#include "mpi/launcher.hpp"
#if QSTATE_WITH_MPI
#include "mpi/backend.hpp"
#include "mpi/communicator.hpp"
#endif

namespace qstate::cli {
namespace {

using mpi::launched_by_mpi;

}  // namespace

#if QSTATE_WITH_MPI

struct Ranks::Impl {
  Impl(int* argc, char*** argv) : world(argc, argv), collective(world) {}
  mpi::Communicator world;
  mpi::MpiCollective collective;
  bool warned = false;  // about ranks left out
};

#else

struct Ranks::Impl {
  Impl(int*, char***) {}
};

#endif

Ranks::Ranks(int* argc, char*** argv) {
  if (QSTATE_WITH_MPI && launched_by_mpi()) impl_ = std::make_unique<Impl>(argc, argv);
}

Ranks::~Ranks() = default;

#if QSTATE_WITH_MPI

bool Ranks::root() const {
  return !impl_ || impl_->world.is_root();
}
int Ranks::rank() const {
  return impl_ ? impl_->world.rank() : 0;
}
int Ranks::size() const {
  return impl_ ? impl_->world.size() : 1;
}

void Ranks::abort_all(int code) const {
  if (impl_) impl_->world.abort(code);
  std::exit(code);
}

void Ranks::agree(const std::string& error) const {
  if (impl_) impl_->collective.agree(error);
  if (!error.empty()) throw Error(error);
}

std::uint64_t Ranks::share_seed(std::uint64_t seed) const {
  if (impl_) impl_->world.broadcast(&seed, sizeof seed, 0);
  return seed;
}

void Ranks::warn_unused_ranks(int usable) const {
  if (usable >= size() || !root() || impl_->warned) return;
  impl_->warned = true;
  const bool circuit_limit =
      usable < static_cast<int>(std::bit_floor(static_cast<unsigned>(size())));
  std::cerr << "qstate: warning: running on " << usable << " of " << size() << " ranks: "
            << (circuit_limit ? "this circuit cannot use more (each rank needs at least as "
                                "many local qubits as its widest gate)"
                              : "a run needs a power-of-two number of ranks")
            << "; the other ranks wait\n";
}

std::optional<Result> Ranks::run(const Circuit& circuit, const RunOptions& options,
                                 std::uint64_t exchange_buffer_bytes) const {
  if (!impl_) return run_circuit(circuit, options);
  const int usable = usable_ranks(plan_program(circuit), size());
  warn_unused_ranks(usable);
  const mpi::Communicator active = impl_->world.first(usable);
  if (!active.valid()) return std::nullopt;
  const mpi::MpiBackend backend(active, exchange_buffer_bytes);
  return run_circuit(circuit, options, backend.backend());
}

std::optional<Result> Ranks::run_program(const Program& program, const RunOptions& options,
                                         std::uint64_t exchange_buffer_bytes) const {
  if (!impl_) return qstate::run_program(program, options);
  const int usable = usable_ranks(program, size());
  warn_unused_ranks(usable);
  const mpi::Communicator active = impl_->world.first(usable);
  if (!active.valid()) return std::nullopt;
  const mpi::MpiBackend backend(active, exchange_buffer_bytes);
  return qstate::run_program(program, options, backend.backend());
}

#else

bool Ranks::root() const {
  return true;
}
int Ranks::rank() const {
  return 0;
}
int Ranks::size() const {
  return 1;
}
void Ranks::abort_all(int code) const {
  std::exit(code);
}
void Ranks::agree(const std::string& error) const {
  if (!error.empty()) throw Error(error);
}
std::uint64_t Ranks::share_seed(std::uint64_t seed) const {
  return seed;
}
void Ranks::warn_unused_ranks(int) const {}
std::optional<Result> Ranks::run(const Circuit& circuit, const RunOptions& options,
                                 std::uint64_t) const {
  return run_circuit(circuit, options);
}
std::optional<Result> Ranks::run_program(const Program& program, const RunOptions& options,
                                         std::uint64_t) const {
  return qstate::run_program(program, options);
}

#endif

}  // namespace qstate::cli
