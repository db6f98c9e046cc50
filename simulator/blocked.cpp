// Blocked application of gate runs, and the position-swap pass between runs.
#include "simulator/blocked.hpp"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <string>

#include "simulator/diagonal_controls.hpp"
#include "simulator/kernels/simd_kernels.hpp"
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

std::uint64_t bit(unsigned p) {
  return std::uint64_t{1} << p;
}

}  // namespace

template <class Real>
BlockGate<Real> prepare_block_gate(const GateOp& given, unsigned b) {
  const GateOp op = diagonal_with_controls(given);
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
  const double touched =
      static_cast<double>(g.groups) * static_cast<double>(std::size_t{1} << low_targets.size());
  if (m.kind == MatrixKind::kDense)
    g.flops_per_block = touched * static_cast<double>(m.dim()) * 8.0;
  if (m.kind == MatrixKind::kDiagonal) g.flops_per_block = touched * 6.0;
  return g;
}

template <class Real>
double run_blocked(std::complex<Real>* amp, unsigned n, unsigned b,
                   const std::vector<BlockGate<Real>>& gates) {
  const std::uint64_t blocks = std::uint64_t{1} << (n - b);
  return parallel_reduce<double>(
      blocks, 1, [&](std::uint64_t begin, std::uint64_t end, double& flops) {
        for (std::uint64_t blk = begin; blk < end; ++blk) {
          std::complex<Real>* a = amp + (blk << b);
          for (const BlockGate<Real>& g : gates) {
            if ((blk & g.high_mask) != g.high_value) continue;
            flops += g.flops_per_block;
            switch (g.kind) {
              case MatrixKind::kDense:
                kernels::dense(a, g.low, g.entries.data(), 0, g.groups);
                break;
              case MatrixKind::kPermutation:
                kernels::permutation(a, g.low, g.perm.data(), g.entries.data(), g.unit_phases, 0,
                                     g.groups);
                break;
              case MatrixKind::kDiagonal: {
                std::size_t pattern = 0;
                for (std::size_t k = 0; k < g.diag_high_bits.size(); ++k)
                  if ((blk >> g.diag_high_bits[k]) & 1U) pattern |= std::size_t{1} << k;
                kernels::diagonal(a, g.low, g.entries.data() + pattern * g.dim_low, 0, g.groups);
                break;
              }
            }
          }
        }
      });
}

template <class Real>
void swap_high_with_top(std::complex<Real>* amp, unsigned n, unsigned b,
                        const std::vector<unsigned>& high) {
  // Index = [other block bits | high bits x (block index)] [chunk bits y | inner bits]. The
  // amplitude at (x, y) moves to (y, x): for x != y, chunk y of block x trades places with chunk
  // x of block y. Work is split over the groups of blocks that share their other bits, and within
  // a group over x.
  const auto k = static_cast<unsigned>(high.size());
  const unsigned inner_bits = b - k;
  const std::uint64_t chunk = std::uint64_t{1} << inner_bits;
  const std::uint64_t patterns = std::uint64_t{1} << k;
  std::vector<unsigned> high_block_bits;  // bit of the block index for pair i
  for (unsigned h : high) high_block_bits.push_back(h - b);
  const kernels::Placement groups_of(high_block_bits, {}, 0);
  const std::uint64_t groups = groups_of.num_groups(n - b);
  const auto block_of = [&](std::uint64_t group_base, std::uint64_t x) {
    std::uint64_t blk = group_base;
    for (unsigned i = 0; i < k; ++i)
      if ((x >> i) & 1U) blk |= bit(high_block_bits[i]);
    return blk;
  };
  parallel_for(groups * patterns, 1, [&](std::uint64_t begin, std::uint64_t end) {
    for (std::uint64_t w = begin; w < end; ++w) {
      const std::uint64_t group_base = groups_of.base(w >> k);
      const std::uint64_t x = w & (patterns - 1);
      std::complex<Real>* bx = amp + (block_of(group_base, x) << b);
      // Each unordered pair {x, y} once, the same number of pairs for every x (so a split over x
      // balances): y = x + d (mod 2^k) for d = 1 .. 2^k / 2, the last d only from the lower half.
      for (std::uint64_t dist = 1; dist <= patterns / 2; ++dist) {
        if (2 * dist == patterns && x >= patterns / 2) break;
        const std::uint64_t y = (x + dist) & (patterns - 1);
        std::complex<Real>* by = amp + (block_of(group_base, y) << b);
        std::swap_ranges(bx + y * chunk, bx + (y + 1) * chunk, by + x * chunk);
      }
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
template void swap_high_with_top<float>(std::complex<float>*, unsigned, unsigned,
                                        const std::vector<unsigned>&);
template void swap_high_with_top<double>(std::complex<double>*, unsigned, unsigned,
                                         const std::vector<unsigned>&);

}  // namespace qstate
