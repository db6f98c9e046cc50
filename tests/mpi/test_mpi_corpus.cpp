// The corpus crosscheck again under MPI: every manifest row with a reference result (at most 16
// qubits) runs through run_circuit on the MPI backend, on as many ranks as the circuit can use
// (usable_ranks and Communicator::first, as the CLI does; ranks beyond skip), with
// probabilities, and must match the reference to 1e-9 and the single-process engine bit for bit.
// Files invalid as written (the corpus README) run without their measure lines, as the
// reference did.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "circuits/error.hpp"
#include "circuits/qasm/qasm.hpp"
#include "simulator/executor.hpp"
#include "tests/mpi/mpi_support.hpp"
#include "tests/support/corpus.hpp"
#include "tests/support/reference.hpp"

namespace {

// The circuit of a row as the reference ran it; false when this front end rejects it (the
// OPENQASM 2.6 file, which either outcome satisfies; see tests/crosscheck/test_corpus.cpp).
bool load(const qstate::test::CorpusRow& row, qstate::Circuit& out) {
  const std::string path = (qstate::test::corpus_dir() / row.circuit).string();
  try {
    if (qstate::test::corpus_must_be_rejected(row.circuit))
      out = qstate::qasm::parse_string(
          qstate::test::without_measure_lines(qstate::test::read_text_file(path)), path);
    else
      out = qstate::qasm::parse_file(path);
    return true;
  } catch (const qstate::Error&) {
    if (qstate::test::corpus_file_name(row.circuit) == "example_minor_version_fail.qasm")
      return false;
    throw;
  }
}

}  // namespace

TEST_CASE("mpi: corpus circuits match their reference probabilities", "[mpi][corpus]") {
  const qstate::mpi::Communicator& comm = qstate::test::world();
  int checked = 0;
  int on_all_ranks = 0;
  for (const qstate::test::CorpusRow& row : qstate::test::corpus_manifest()) {
    if (row.status != "reference") continue;
    if (row.circuit.rfind("circuits/openqasm3/", 0) == 0) continue;
    qstate::Circuit c;
    if (!load(row, c)) continue;  // the same on every rank: they read the same file
    const std::vector<double> want = qstate::test::corpus_reference_probabilities(row);
    qstate::RunOptions o;
    o.shots = 0;
    o.probabilities = true;
    o.precision = qstate::Precision::kDouble;
    const qstate::test::MpiRun run = qstate::test::run_distributed(c, o);
    ++checked;
    if (run.ranks == comm.size()) ++on_all_ranks;
    if (!comm.is_root()) continue;
    INFO(row.circuit << " (" << c.num_qubits << " qubits) on " << run.ranks << " ranks");
    CHECK(run.result.probabilities.has_value());
    if (!run.result.probabilities) continue;
    const std::vector<double>& got = *run.result.probabilities;
    CHECK(got.size() == want.size());
    if (got.size() != want.size()) continue;
    CHECK(qstate::test::max_abs_diff(got, want) <= 1e-9);
    const qstate::Result single = qstate::run_circuit(c, o);
    CHECK(got == *single.probabilities);
  }
  CHECK(checked >= 100);
  // Most circuits have enough qubits for every rank count registered (4 at most).
  CHECK(on_all_ranks >= checked * 8 / 10);
}
