// Results in the shape Qiskit's Result.from_dict reads: one experiment, counts and per-shot
// memory as hexadecimal strings of the classical bits' value, a header with the registers (so
// Result.get_counts() formats keys exactly as qstate does), the seed, and metadata (MPI ranks,
// threads, precision, timings). Used by `qstate run --format qiskit` and by the Python module.
#pragma once

#include <string>
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

// A counts key ("10 011", registers separated by spaces) as Qiskit's hexadecimal form ("0x13").
std::string counts_key_to_hex(const std::string& key);

}  // namespace qstate
