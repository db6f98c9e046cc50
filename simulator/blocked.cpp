// Blocked application of gate runs, and the position-swap pass between runs.
#include "simulator/blocked.hpp"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <string>

#include "simulator/kernels/gate_kernels.hpp"
#include "simulator/parallel.hpp"

namespace qstate {
namespace {

template <class Real>
std::vector<std::complex<Real>> to_real(const std::vector<Complex>& in) {
  std::vector<std::complex<Real>> out(in.size());
  for (std::size_t i = 0; i < in.size(); ++i)
    out[i] = {static_cast<Real>(in[i].real()), static_cast<Real>(in[i].imag())};
  return out;
}

std::uint64_t bit(unsigned p) { return std::uint64_t{1} << p; }

}  // namespace

template <class Real>
BlockGate<Real> prepare_block_gate(const GateOp& op, unsigned b) {
  BlockGate<Real> g;
  const GateMatrix& m = op.matrix;
  g.kind = m.kind;
  std::vector<unsigned> low_controls;
  std::uint64_t low_values = 0;
  for (std::size_t j = 0; j < op.controls.size(); ++j) {
    const unsigned p = op.controls[j];
    if (p >= b) {
      g.high_mask |= bit(p - b);
      if (op.control_value(j)) g.high_value |= bit(p - b);
    } else {
      if (op.control_value(j)) low_values |= bit(static_cast<unsigned>(low_controls.size()));
      low_controls.push_back(p);
    }
  }
  std::vector<unsigned> low_targets;
  if (m.kind == MatrixKind::kDiagonal) {
    std::vector<unsigned> low_slot;   // matrix bit of each low target
    std::vector<unsigned> high_slot;  // matrix bit of each high target
    for (std::size_t j = 0; j < op.targets.size(); ++j) {
      if (op.targets[j] >= b) {
        high_slot.push_back(static_cast<unsigned>(j));
        g.diag_high_bits.push_back(op.targets[j] - b);
      } else {
        low_slot.push_back(static_cast<unsigned>(j));
        low_targets.push_back(op.targets[j]);
      }
    }
    g.dim_low = std::size_t{1} << low_slot.size();
    const std::size_t patterns = std::size_t{1} << high_slot.size();
    std::vector<Complex> tables(patterns * g.dim_low);
    for (std::size_t h = 0; h < patterns; ++h)
      for (std::size_t l = 0; l < g.dim_low; ++l) {
        std::size_t full = 0;
        for (std::size_t k = 0; k < high_slot.size(); ++k)
          if ((h >> k) & 1U) full |= std::size_t{1} << high_slot[k];
        for (std::size_t k = 0; k < low_slot.size(); ++k)
          if ((l >> k) & 1U) full |= std::size_t{1} << low_slot[k];
        tables[h * g.dim_low + l] = m.entries[full];
      }
    g.entries = to_real<Real>(tables);
  } else {
    low_targets.assign(op.targets.begin(), op.targets.end());
    g.entries = to_real<Real>(m.entries);
    g.perm = m.perm;
    g.unit_phases = m.kind == MatrixKind::kPermutation &&
                    std::all_of(m.entries.begin(), m.entries.end(),
                                [](const Complex& c) { return c == Complex(1.0, 0.0); });
  }
  g.low = kernels::Placement(low_targets, low_controls, low_values);
  g.groups = g.low.num_groups(b);
  const double touched = static_cast<double>(g.groups) * static_cast<double>(std::size_t{1} << low_targets.size());
  if (m.kind == MatrixKind::kDense) g.flops_per_block = touched * static_cast<double>(m.dim()) * 8.0;
  if (m.kind == MatrixKind::kDiagonal) g.flops_per_block = touched * 6.0;
  return g;
}

template <class Real>
double run_blocked(std::complex<Real>* amp, unsigned n, unsigned b,
                   const std::vector<BlockGate<Real>>& gates) {
  const std::uint64_t blocks = std::uint64_t{1} << (n - b);
  return parallel_reduce<double>(blocks, 1, [&](std::uint64_t begin, std::uint64_t end, double& flops) {
    for (std::uint64_t blk = begin; blk < end; ++blk) {
      std::complex<Real>* a = amp + (blk << b);
      for (const BlockGate<Real>& g : gates) {
        if ((blk & g.high_mask) != g.high_value) continue;
        flops += g.flops_per_block;
        switch (g.kind) {
          case MatrixKind::kDense:
            kernels::apply_dense(a, g.low, g.entries.data(), 0, g.groups);
            break;
          case MatrixKind::kPermutation:
            kernels::apply_permutation(a, g.low, g.perm.data(), g.entries.data(), g.unit_phases, 0,
                                       g.groups);
            break;
          case MatrixKind::kDiagonal: {
            std::size_t pattern = 0;
            for (std::size_t k = 0; k < g.diag_high_bits.size(); ++k)
              if ((blk >> g.diag_high_bits[k]) & 1U) pattern |= std::size_t{1} << k;
            kernels::apply_diagonal(a, g.low, g.entries.data() + pattern * g.dim_low, 0, g.groups);
            break;
          }
        }
      }
    }
  });
}

template <class Real>
void swap_positions(std::complex<Real>* amp, unsigned n,
                    const std::vector<std::pair<unsigned, unsigned>>& pairs) {
  // Index i pairs with j = i with each pair's bits exchanged; the lower of the two does the swap.
  parallel_for(std::uint64_t{1} << n, std::uint64_t{1} << 14, [&](std::uint64_t begin, std::uint64_t end) {
    for (std::uint64_t i = begin; i < end; ++i) {
      std::uint64_t j = i;
      for (const auto& [h, l] : pairs)
        if (((i >> h) ^ (i >> l)) & 1U) j ^= bit(h) | bit(l);
      if (i < j) std::swap(amp[i], amp[j]);
    }
  });
}

unsigned default_block_qubits(std::size_t amplitude_bytes) {
  if (const char* off = std::getenv("QSTATE_BLOCKING"); off != nullptr && std::string(off) == "0")
    return 0;
  if (const char* env = std::getenv("QSTATE_BLOCK_QUBITS"); env != nullptr && *env != '\0')
    return static_cast<unsigned>(std::atoi(env));
  long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
  if (l2 <= 0) l2 = 1L << 20;
  const auto amps = static_cast<std::uint64_t>(l2) / 2 / amplitude_bytes;
  return static_cast<unsigned>(std::bit_width(amps) - 1);
}

template BlockGate<float> prepare_block_gate<float>(const GateOp&, unsigned);
template BlockGate<double> prepare_block_gate<double>(const GateOp&, unsigned);
template double run_blocked<float>(std::complex<float>*, unsigned, unsigned,
                                   const std::vector<BlockGate<float>>&);
template double run_blocked<double>(std::complex<double>*, unsigned, unsigned,
                                    const std::vector<BlockGate<double>>&);
template void swap_positions<float>(std::complex<float>*, unsigned,
                                    const std::vector<std::pair<unsigned, unsigned>>&);
template void swap_positions<double>(std::complex<double>*, unsigned,
                                     const std::vector<std::pair<unsigned, unsigned>>&);

}  // namespace qstate
