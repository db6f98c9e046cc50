// Ranks: the CLI's view of the processes it runs on. Built with MPI it starts MPI (one
// Communicator for the whole run), lets only rank 0 print, makes ranks agree on failures, and
// runs a circuit on the largest usable power-of-two number of ranks (saying so on stderr when
// that is fewer than were started). Built without MPI it is one process.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "circuits/circuit.hpp"
#include "circuits/error.hpp"
#include "circuits/passes/program.hpp"
#include "simulator/executor.hpp"

namespace qstate::cli {

class Ranks {
 public:
  Ranks(int* argc, char*** argv);
  ~Ranks();
  Ranks(const Ranks&) = delete;
  Ranks& operator=(const Ranks&) = delete;

  bool root() const;
  int rank() const;
  int size() const;
  // Ends every rank with this exit code (MPI_Abort); for failures that may leave ranks waiting.
  [[noreturn]] void abort_all(int code) const;

  // Runs f() on every rank; if it throws qstate::Error (or runs out of memory) on any rank,
  // every rank throws the same Error (the lowest failing rank's message).
  template <class F>
  auto agreed(F&& f) const -> decltype(f());

  // The seed rank 0 chose, on every rank.
  std::uint64_t share_seed(std::uint64_t seed) const;

  // Runs the circuit on the usable ranks (rank 0 warns on stderr when that is fewer than were
  // started). Ranks left out return nullopt at once.
  std::optional<Result> run(const Circuit& circuit, const RunOptions& options,
                            std::uint64_t exchange_buffer_bytes) const;

  // Runs a program planned once (a parameter sweep binds its inputs and runs it again for each
  // binding; every rank binds the same values), on the usable ranks as run() does. The warning
  // about unused ranks is given once per process.
  std::optional<Result> run_program(const Program& program, const RunOptions& options,
                                    std::uint64_t exchange_buffer_bytes) const;

 private:
  void agree(const std::string& error) const;
  void warn_unused_ranks(int usable) const;  // once, on rank 0
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

template <class F>
auto Ranks::agreed(F&& f) const -> decltype(f()) {
  using R = decltype(f());
  std::string error;
  // Every rank calls agree() exactly once, whatever happened, so collectives stay matched.
  auto attempt = [&](auto&& body) {
    try {
      body();
    } catch (const Error& e) {
      error = e.what();
    } catch (const std::bad_alloc&) {
      error = "out of memory";
    }
    agree(error);  // throws the same Error on every rank when any rank failed
  };
  if constexpr (std::is_void_v<R>) {
    attempt([&] { f(); });
  } else {
    std::optional<R> value;
    attempt([&] { value.emplace(f()); });
    return std::move(*value);
  }
}

}  // namespace qstate::cli
