// Pauli observables as users write them on the command line: "0.5*ZZI - 1.2*XIX". Labels follow
// Qiskit: the rightmost letter acts on qubit 0. The expectation value of such a sum is computed
// on the final state without measuring (observables.cpp and the State implementations).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "circuits/passes/program.hpp"
#include "simulator/kernels/reductions.hpp"

namespace qstate {

struct PauliTerm {
  double coefficient = 1.0;
  std::string label;  // letters I, X, Y, Z; label[size-1-k] acts on qubit k
};

struct PauliSum {
  std::string text;  // as given, used as the key in results
  std::vector<PauliTerm> terms;
  unsigned num_qubits() const {
    return terms.empty() ? 0 : static_cast<unsigned>(terms[0].label.size());
  }
};

// Parses "c1*P1 + c2*P2 - P3 ...": optional real coefficients (with or without '*'), labels of
// equal length over IXYZ. Throws qstate::Error naming the column of the problem.
PauliSum parse_pauli_sum(std::string_view text);

// A Pauli sum mapped onto a program's simulated qubits, ready for State::expectation. Labels
// speak of the declared qubits; a term with X or Y on an idle qubit (always |0>) has
// expectation 0 and is dropped; Z or I there contributes a factor 1. A term with empty masks is
// the identity (value 1).
struct CompiledObservable {
  std::string text;
  std::vector<std::pair<double, kernels::PauliMasks>> terms;
};

// Parses and maps each expression; throws qstate::Error for a malformed one or one whose labels
// do not have one letter per declared qubit.
std::vector<CompiledObservable> compile_observables(const Program& program,
                                                    const std::vector<std::string>& texts);

}  // namespace qstate
