// Results in the shape Qiskit's Result.from_dict reads: one experiment per result, counts and
// per-shot memory as hexadecimal strings of the classical bits' value, a header with the registers
// (so Result.get_counts() formats keys exactly as qstate does), the seed, and metadata (MPI ranks,
// threads, precision, timings). Used by `qstate run --format qiskit` and by the Python module.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "circuits/circuit.hpp"
#include "simulator/result.hpp"

namespace qstate {

struct QiskitInfo {
  std::string experiment_name;  // header.name (default: the result's source)
  std::string backend_name = "qstate_simulator";
  std::string job_id;   // default: "qstate-<seed>"
  std::string qobj_id;  // default: the job id
  int indent = 2;       // JSON indentation; -1: one line
};

// The JSON text of a Result for a circuit with these registers.
std::string to_qiskit_json(const Result& result, const std::vector<Register>& qregs,
                           const std::vector<Register>& cregs, const QiskitInfo& info = {});

// Input values of a parameterised circuit, by name, in declaration order.
using ParameterValues = std::vector<std::pair<std::string, double>>;

// Several results of one circuit (a parameter sweep: one per binding) as one Qiskit Result with
// one experiment each, in order; experiment i's header.metadata.parameters holds parameters[i]
// (parameters empty, or one entry per result).
std::string to_qiskit_json(const std::vector<Result>& results, const std::vector<Register>& qregs,
                           const std::vector<Register>& cregs, const QiskitInfo& info,
                           const std::vector<ParameterValues>& parameters);

// A counts key ("10 011", registers separated by spaces) as Qiskit's hexadecimal form ("0x13").
std::string counts_key_to_hex(const std::string& key);

}  // namespace qstate
