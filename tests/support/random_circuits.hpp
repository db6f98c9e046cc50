// Seeded random circuits for crosscheck and (later) MPI tests: the same seed and options give the
// same circuit on every machine and every rank, as OpenQASM 2 text and as the equivalent
// qstate::Circuit built with make_gate (so tests need not go through the parser). Gates are drawn
// from the standard set with random parameters (a share of them special angles such as 0, pi,
// pi/2, -pi/4) on random, distinct qubits in random order; optionally with mid-circuit
// measurements, resets, barriers and `if (creg == value)` conditions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"

namespace qstate::test {

struct RandomCircuitOptions {
  unsigned num_qubits = 5;
  unsigned depth = 20;  // number of operations drawn (gates, measurements, resets, barriers)
  // Gate names to draw from; empty: every standard gate visible in OpenQASM 2 with
  // include "qelib1.inc" (the qelib1 set plus U and CX).
  std::vector<std::string> gates;
  unsigned num_qregs = 1;          // the qubits are split over registers q, r, s, t
  unsigned num_cregs = 1;          // num_qubits clbits split over registers c, m, k, w
  bool final_measurements = true;  // measure qubit i into clbit i at the end
  double mid_measure_rate = 0.0;   // share of operations that are mid-circuit measurements
  double reset_rate = 0.0;         // share of operations that are resets
  double barrier_rate = 0.0;       // share of operations that are barriers
  double conditional_rate = 0.0;   // share of gates conditioned on a classical register
  double special_angle_rate = 0.25;
};

struct RandomCircuit {
  std::string qasm;  // OPENQASM 2.0 text with include "qelib1.inc"
  Circuit circuit;   // the same program, built directly
};

// Deterministic in (seed, options).
RandomCircuit random_circuit(std::uint64_t seed, const RandomCircuitOptions& options);

// The default gate list (see RandomCircuitOptions::gates).
std::vector<std::string> qelib1_gate_names();
// Every name of qstate::standard_gates() (includes the stdgates-only names phase and cphase,
// which OpenQASM 2 text cannot use: give these only when using the Circuit form).
std::vector<std::string> all_standard_gate_names();

// A small deterministic random source (mt19937_64 with its own, fully specified mappings to
// integers and reals, unlike std::uniform_*_distribution).
class SeededRandom {
 public:
  explicit SeededRandom(std::uint64_t seed);
  std::uint64_t next();
  double uniform();                      // [0, 1)
  double uniform(double lo, double hi);  // [lo, hi)
  std::uint64_t below(std::uint64_t n);  // [0, n), n > 0
  bool chance(double p) { return uniform() < p; }
  // k distinct values of [0, n) in random order.
  std::vector<std::uint32_t> distinct(std::uint32_t n, std::uint32_t k);

 private:
  std::uint64_t state_[4];
};

}  // namespace qstate::test
