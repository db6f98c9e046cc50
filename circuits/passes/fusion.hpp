// Gate fusion: runs of consecutive gates merged into fewer, wider gates, so that a memory pass
// over the state serves several gates. It runs on the logical program (before distribution and
// cache-blocking planning), the same on every rank. Gates commute only trivially here: a gate may
// move past gates on disjoint qubits (as qsim's fuser does), never past one that shares a qubit.
// Measurements, resets, conditionals (IfOp), barriers and remaps end a fusion window; IfOp bodies
// are fused on their own.
//
// Cost model (FusionCostModel). A gate applied to the state costs, per amplitude of the state,
//   cost = 2^-c * max(bytes_per_amplitude / bandwidth, flops_per_amplitude / peak)
// with c its controls (a controlled gate visits 2^-c of the groups), bytes_per_amplitude = 32 (a
// double amplitude read and written in place), and flops per amplitude 8 * 2^k for a dense
// k-target gate (one complex multiply-add per matrix column), 6 for a diagonal (one complex
// multiply) and 0 for a permutation (moves only). On this machine (~70 GFLOP/s and ~29 GB/s in
// place per core) a pass costs 1.1 ns per amplitude and a dense gate 0.11 ns * 2^k, so dense
// gates stay memory-bound up to k = floor(log2(4 * peak / bandwidth)) = 3: that is the widest
// dense fused gate (max_dense_width). Diagonal and permutation groups cost one pass whatever
// their width, so diagonals fuse up to max_diagonal_width (the table has 2^k entries).
// A gate joins a group when the fused gate stays within the width limits and costs no more than
// the group and the gate apart: cost(group + gate) <= cost(group) + cost(gate).
//
// Locality: a fused non-diagonal gate never needs a qubit in a local position (of an MPI rank or a
// cache block) that one of its non-diagonal gates did not need there already (h q0; cz q0,q1 stay
// apart: fused, q1 would have to be local where the diagonal cz needs nothing), so fusion never
// makes the distribution and blocking planners move more data. max_local_width caps the width.
//
// Controls: a group keeps the controls (with their values) shared by all its gates as controls,
// so a run of gates under one control stays a controlled gate; any other control becomes a
// target of the fused matrix (which the cost and width limits then account for).
//
// Parametric gates (GateOp::parametric) keep their ParametricGate only while unfused: by default
// they are left alone (a plan made before binding stays valid for every binding). The executor
// fuses at run time, after binding, on every run, and so sets fuse_parametric (the fused op is a
// fixed matrix of the values bound for that run).
//
// Layers: when a window ends, neighbouring groups that are dense, uncontrolled and on disjoint
// qubits merge (their tensor product) within the width limits and where the cost model accepts
// it. A transpiled layer `rz q; sx q; rz q` on every qubit is otherwise one 1-qubit gate per
// qubit, since each run's first gate, a diagonal, can join no dense group of another qubit.
//
// Plain SWAP gates are never fused: the states absorb them into their layout for free.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "circuits/circuit.hpp"

namespace qstate {

struct FusionCostModel {
  double flops_per_second = 70e9;   // per core, double precision (FMA peak)
  double bytes_per_second = 29e9;   // per core, in-place bandwidth (read + write)
  double bytes_per_amplitude = 32;  // one pass: a double amplitude read and written

  // Seconds per state amplitude for a gate of this kind, targets and controls (see above).
  double cost(MatrixKind kind, unsigned targets, unsigned controls) const;
  // The widest dense gate whose arithmetic still hides behind its memory pass (at least 1).
  unsigned max_dense_width() const;
};

struct FusionOptions {
  FusionCostModel model;
  unsigned max_dense_width = 0;      // dense and permutation groups; 0: model.max_dense_width()
  unsigned max_diagonal_width = 10;  // diagonal groups
  // Cap on the targets of any non-diagonal fused gate: the local qubits of a rank and of a
  // cache block (a fused gate's targets must all sit there).
  unsigned max_local_width = 64;
  bool fuse_parametric = false;  // see above
};

// Computes the matrix of a fused gate on `num_targets` targets: the product of `gates` (in order,
// first applied first) whose targets and controls are indices 0..num_targets-1 of the fused
// targets (controls shared by the whole group already removed). `kind` is kDiagonal when every
// gate is diagonal (the result must then be diagonal), else kDense or kPermutation (the builder
// may return any kind that represents the product exactly). Supplied by the simulator, which
// computes it with its kernels (simulator/fused_matrix.hpp).
using FusedMatrixBuilder =
    std::function<GateMatrix(unsigned num_targets, MatrixKind kind, std::span<const GateOp> gates)>;

struct FusionStats {
  std::uint64_t gates_in = 0;   // gates seen (IfOp bodies included)
  std::uint64_t gates_out = 0;  // gates after fusion
  std::uint64_t fused = 0;      // gates out that replace two or more gates in
  unsigned widest = 0;          // most targets of a fused gate
  FusionStats& operator+=(const FusionStats& o);
};

// The ops with gates fused (see above). Deterministic: the same ops and options give the same
// result on every rank.
std::vector<Op> fuse_gates(const std::vector<Op>& ops, const FusedMatrixBuilder& build,
                           const FusionOptions& options = {}, FusionStats* stats = nullptr);

}  // namespace qstate
