// Blocked application of gate runs, in place or gathered (see blocked.hpp).
#include "simulator/blocked.hpp"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>

#include "circuits/error.hpp"
#include "circuits/passes/distribute.hpp"
#include "simulator/aligned_buffer.hpp"
#include "simulator/diagonal_controls.hpp"
#include "simulator/fused_matrix.hpp"
#include "simulator/kernels/affine_move.hpp"
#include "simulator/kernels/diagonal_chain.hpp"
#include "simulator/kernels/gather.hpp"
#include "simulator/kernels/simd_kernels.hpp"
#include "simulator/parallel.hpp"
#include "simulator/simd.hpp"

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

// Bit of the index inside a block that state position p (in the block set) becomes.
unsigned block_position(std::uint64_t block_mask, unsigned p) {
  return static_cast<unsigned>(std::popcount(block_mask & (bit(p) - 1)));
}

// Scatters the low bits of `value` to the set bits of `mask`, lowest first.
std::uint64_t deposit(std::uint64_t value, std::uint64_t mask) {
  std::uint64_t out = 0;
  for (std::uint64_t m = mask; m != 0 && value != 0; m &= m - 1, value >>= 1)
    if (value & 1U) out |= m & (~m + 1);
  return out;
}

// A thread's buffer for gathered blocks, kept for the thread's lifetime (at most one block:
// 2^block_qubits amplitudes, see cache_block_bytes).
template <class Real>
std::complex<Real>* block_buffer(std::uint64_t amplitudes) {
  thread_local AlignedBuffer<std::complex<Real>> buffer;
  if (buffer.size() < amplitudes) buffer = AlignedBuffer<std::complex<Real>>(amplitudes);
  return buffer.data();
}

// A thread's second block buffer: the target of an affine move's gathered copy (the first may
// hold the block itself).
template <class Real>
std::complex<Real>* move_buffer(std::uint64_t amplitudes) {
  thread_local AlignedBuffer<std::complex<Real>> buffer;
  if (buffer.size() < amplitudes) buffer = AlignedBuffer<std::complex<Real>>(amplitudes);
  return buffer.data();
}

template <class Real>
const std::complex<Real>* diagonal_table(const BlockGate<Real>& g, std::uint64_t base) {
  std::size_t pattern = 0;
  for (std::size_t k = 0; k < g.diag_high_bits.size(); ++k)
    if ((base >> g.diag_high_bits[k]) & 1U) pattern |= std::size_t{1} << k;
  return g.entries.data() + pattern * g.dim_low;
}

template <class Real>
bool active(const BlockGate<Real>& g, std::uint64_t base) {
  return (base & g.high_mask) == g.high_value;
}

// The diagonals from gates[i] on that run in this block, as a chain (at most
// kMaxChainDiagonals); `next` is set to the first gate after them.
template <class Real>
std::size_t diagonal_run(const std::vector<BlockGate<Real>>& gates, std::size_t i,
                         std::uint64_t base, kernels::ChainDiagonal<Real>* chain, double& flops,
                         std::size_t& next) {
  std::size_t count = 0;
  for (; i < gates.size() && gates[i].kind == MatrixKind::kDiagonal; ++i) {
    const BlockGate<Real>& g = gates[i];
    if (!active(g, base)) continue;
    if (count == kernels::kMaxChainDiagonals) break;
    chain[count++] = {diagonal_table(g, base), g.diag_mask, g.low.fixed_mask() & ~g.diag_mask,
                      g.low.control_bits()};
    flops += g.flops_per_block;
  }
  next = i;
  return count;
}

// Runs the gates on one block of `size` amplitudes (state index of its first amplitude: base).
// A run of diagonals goes into the stores of the whole-vector dense gate before it when there is
// one, else into the loads of the dense gate after it (a single diagonal without controls in the
// block), else is applied as one chain: one sweep of the block each way, same bits.
template <class Real>
void apply_block(std::complex<Real>* a, std::uint64_t base, std::uint64_t size,
                 const std::vector<BlockGate<Real>>& gates, double& flops) {
  kernels::ChainDiagonal<Real> chain[kernels::kMaxChainDiagonals];
  for (std::size_t i = 0; i < gates.size(); ++i) {
    const BlockGate<Real>& g = gates[i];
    if (!active(g, base)) continue;
    switch (g.kind) {
      case MatrixKind::kDense: {
        flops += g.flops_per_block;
        double chain_flops = 0;
        std::size_t next = i + 1;
        const std::size_t count = diagonal_run(gates, i + 1, base, chain, chain_flops, next);
        if (count > 0 &&
            kernels::dense_then_diagonals(a, g.low, g.entries.data(), chain, count, 0, g.groups)) {
          flops += chain_flops;
          i = next - 1;
          break;
        }
        kernels::dense(a, g.low, g.entries.data(), 0, g.groups);
        break;
      }
      case MatrixKind::kPermutation:
        if (!g.affine.empty()) {
          std::complex<Real>* moved = move_buffer<Real>(size);
          kernels::affine_move(a, moved, size, g.affine.data());
          std::memcpy(static_cast<void*>(a), moved, size * sizeof(std::complex<Real>));
          break;
        }
        flops += g.flops_per_block;
        kernels::permutation(a, g.low, g.perm.data(), g.entries.data(), g.unit_phases, 0, g.groups);
        break;
      case MatrixKind::kDiagonal: {
        std::size_t next = i;
        const std::size_t count = diagonal_run(gates, i, base, chain, flops, next);
        i = next - 1;
        if (count == 1 && g.low.num_fixed() == g.low.num_targets()) {  // no control in the block
          // Followed by an uncontrolled dense gate: both in one sweep of the block, when the
          // vector code covers the pair.
          if (next < gates.size()) {
            const BlockGate<Real>& dense = gates[next];
            if (dense.kind == MatrixKind::kDense && dense.high_mask == 0 &&
                kernels::dense_after_diagonal(a, dense.low, dense.entries.data(), chain[0].table,
                                              g.diag_mask, 0, dense.groups)) {
              flops += dense.flops_per_block;
              i = next;
              break;
            }
          }
          kernels::diagonal_indexed(a, chain[0].table, g.diag_mask, 0, size);
          break;
        }
        kernels::diagonal_chain(a, chain, count, 0, size);
        break;
      }
    }
  }
}

}  // namespace

template <class Real>
BlockGate<Real> prepare_block_gate(const GateOp& given, std::uint64_t block_mask) {
  const GateOp op = diagonal_with_controls(given);
  const auto b = static_cast<unsigned>(std::popcount(block_mask));
  const auto inside = [block_mask](unsigned p) { return ((block_mask >> p) & 1U) != 0; };
  BlockGate<Real> g;
  const GateMatrix& m = op.matrix;
  g.kind = m.kind;
  std::vector<unsigned> low_controls;
  std::uint64_t low_values = 0;
  for (std::size_t j = 0; j < op.controls.size(); ++j) {
    const unsigned p = op.controls[j];
    if (!inside(p)) {
      g.high_mask |= bit(p);
      if (op.control_value(j)) g.high_value |= bit(p);
    } else {
      if (op.control_value(j)) low_values |= bit(static_cast<unsigned>(low_controls.size()));
      low_controls.push_back(block_position(block_mask, p));
    }
  }
  std::vector<unsigned> low_targets;
  if (m.kind == MatrixKind::kDiagonal) {
    // Targets inside the block by ascending position: a table index is the block index's bits
    // at diag_mask, in order (kernels::diagonal_indexed, when no control lies in the block).
    std::vector<unsigned> low_slot;   // matrix bit of each target in the block
    std::vector<unsigned> high_slot;  // matrix bit of each target outside it
    for (std::size_t j = 0; j < op.targets.size(); ++j) {
      if (!inside(op.targets[j])) {
        high_slot.push_back(static_cast<unsigned>(j));
        g.diag_high_bits.push_back(op.targets[j]);
      } else {
        low_slot.push_back(static_cast<unsigned>(j));
      }
    }
    std::sort(low_slot.begin(), low_slot.end(),
              [&](unsigned a, unsigned c) { return op.targets[a] < op.targets[c]; });
    for (unsigned j : low_slot) {
      low_targets.push_back(block_position(block_mask, op.targets[j]));
      g.diag_mask |= bit(low_targets.back());
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
    // Vector loads of a chain's entries may read past the last table.
    g.entries.resize(g.entries.size() + kernels::kChainTablePadding);
  } else {
    for (unsigned p : op.targets) {
      if (!inside(p)) throw Error("internal: a blocked gate's target lies outside the block");
      low_targets.push_back(block_position(block_mask, p));
    }
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
double run_blocked(std::complex<Real>* amp, unsigned n, std::uint64_t block_mask,
                   const std::vector<BlockGate<Real>>& gates) {
  const auto b = static_cast<unsigned>(std::popcount(block_mask));
  const std::uint64_t all = n >= 64 ? ~std::uint64_t{0} : bit(n) - 1;
  const std::uint64_t outside = all & ~block_mask;
  const std::uint64_t blocks = std::uint64_t{1} << (n - b);
  // The pinned low positions make the contiguous chunks.
  const auto c = static_cast<unsigned>(std::countr_one(block_mask));
  if (c == b) {  // the block set is the low positions: blocks are contiguous, run in place
    return parallel_reduce<double>(
        blocks, 1, [&](std::uint64_t begin, std::uint64_t end, double& flops) {
          for (std::uint64_t blk = begin; blk < end; ++blk)
            apply_block(amp + (blk << b), blk << b, bit(b), gates, flops);
        });
  }
  const std::uint64_t chunk = bit(c);
  const std::uint64_t chunks = bit(b - c);
  std::vector<std::uint64_t> offsets(chunks);
  for (std::uint64_t y = 0; y < chunks; ++y) offsets[y] = deposit(y << c, block_mask);
  return parallel_reduce<double>(
      blocks, 1, [&](std::uint64_t begin, std::uint64_t end, double& flops) {
        std::complex<Real>* buf = block_buffer<Real>(bit(b));
        for (std::uint64_t blk = begin; blk < end; ++blk) {
          const std::uint64_t base = deposit(blk, outside);
          kernels::gather_chunks(amp + base, offsets.data(), chunks, chunk, buf);
          apply_block(buf, base, bit(b), gates, flops);
          kernels::scatter_chunks(buf, offsets.data(), chunks, chunk, amp + base);
        }
      });
}

namespace {

// Block positions below this are inside a vector for some SIMD target (8 floats with AVX-512):
// a permutation there runs the plain kernel, so merging it would make it slower.
constexpr unsigned kLanePositions = 3;

// The state positions of g's targets and controls, as a mask.
std::uint64_t position_mask(const GateOp& g) {
  std::uint64_t m = 0;
  for (Qubit p : g.controls) m |= bit(p);
  for (Qubit p : g.targets) m |= bit(p);
  return m;
}

bool unit_permutation(const GateOp& g) {
  return g.matrix.kind == MatrixKind::kPermutation &&
         std::all_of(g.matrix.entries.begin(), g.matrix.entries.end(),
                     [](const Complex& c) { return c == Complex(1.0, 0.0); });
}

// State positions of g's targets and controls, when g may join a merged permutation.
std::uint64_t mergeable_positions(const GateOp& g, std::uint64_t block_mask) {
  if (!unit_permutation(g)) return 0;
  const std::uint64_t m = position_mask(g);
  if ((m & ~block_mask) != 0) return 0;
  for (std::uint64_t r = m; r != 0; r &= r - 1)
    if (block_position(block_mask, static_cast<unsigned>(std::countr_zero(r))) < kLanePositions)
      return 0;
  return m;
}

// One permutation on `positions` (ascending) that does gates [first, last) in order.
GateOp merged(const GateOp* first, const GateOp* last, std::uint64_t positions) {
  std::vector<Qubit> targets;
  for (std::uint64_t r = positions; r != 0; r &= r - 1)
    targets.push_back(static_cast<Qubit>(std::countr_zero(r)));
  const auto index = [&](Qubit p) {
    return static_cast<Qubit>(std::popcount(positions & (bit(p) - 1)));
  };
  std::vector<GateOp> local(first, last);
  for (GateOp& g : local) {
    for (Qubit& q : g.controls) q = index(q);
    for (Qubit& q : g.targets) q = index(q);
  }
  GateOp out;
  out.name = "fused";
  out.targets = targets;
  out.matrix = fused_matrix(static_cast<unsigned>(targets.size()), MatrixKind::kPermutation, local);
  out.may_relabel = false;
  return out;
}

}  // namespace

unsigned max_merged_permutation() {
  return simd_target_name().rfind("AVX3", 0) == 0 ? kMaxMergedPermutation : 3;
}

std::vector<GateOp> merge_block_permutations(std::vector<GateOp> gates, std::uint64_t block_mask,
                                             unsigned max_positions) {
  std::vector<GateOp> out;
  out.reserve(gates.size());
  std::size_t i = 0;
  while (i < gates.size()) {
    std::uint64_t positions = mergeable_positions(gates[i], block_mask);
    std::size_t j = i + 1;
    if (positions != 0) {
      for (; j < gates.size(); ++j) {
        const std::uint64_t m = mergeable_positions(gates[j], block_mask);
        if (m == 0 || std::popcount(positions | m) > static_cast<int>(max_positions)) break;
        positions |= m;
      }
    }
    if (j - i >= 2) {
      GateOp g = merged(gates.data() + i, gates.data() + j, positions);
      if (unit_permutation(g)) {
        out.push_back(std::move(g));
        i = j;
        continue;
      }
      j = i + 1;  // not expected: the product of moves is a move
    }
    for (; i < j; ++i) out.push_back(std::move(gates[i]));
  }
  return out;
}

namespace {

// Where g (a unit-phase move) sends the content at x, on its own bits: targets first (bit j =
// targets[j]), then controls.
std::uint32_t local_move(const GateOp& g, std::uint32_t x) {
  const auto t = static_cast<unsigned>(g.targets.size());
  for (std::size_t j = 0; j < g.controls.size(); ++j)
    if ((((x >> (t + j)) & 1U) != 0) != g.control_value(j)) return x;
  const std::uint32_t low = (std::uint32_t{1} << t) - 1;
  return (x & ~low) | g.matrix.perm[x & low];
}

// Gates on more bits are not checked (2^bits evaluations); none of x, cx, swap is that wide.
constexpr unsigned kMaxAffineGateBits = 12;

}  // namespace

bool affine_move_gate(const GateOp& g, std::uint64_t block_mask) {
  if (!unit_permutation(g)) return false;
  const std::uint64_t m = position_mask(g);
  const auto q = static_cast<unsigned>(g.controls.size() + g.targets.size());
  if ((m & ~block_mask) != 0 || q > kMaxAffineGateBits) return false;
  // Affine: f(x) = f(0) ^ (the XOR of f(e_i) ^ f(0) over the bits i of x), for every x.
  const std::uint32_t f0 = local_move(g, 0);
  for (std::uint32_t x = 1; x < (std::uint32_t{1} << q); ++x) {
    std::uint32_t want = f0;
    for (std::uint32_t r = x; r != 0; r &= r - 1) want ^= local_move(g, r & (~r + 1)) ^ f0;
    if (local_move(g, x) != want) return false;
  }
  return true;
}

std::vector<std::uint32_t> affine_source_tables(std::span<const GateOp> gates,
                                                std::uint64_t block_mask) {
  const auto b = static_cast<unsigned>(std::popcount(block_mask));
  if (b > 8 * kernels::kAffineTables) throw Error("internal: an affine move's block is too large");
  // Each gate's inverse on its own bits, and those bits' block positions.
  struct Step {
    std::vector<unsigned> bits;
    std::vector<std::uint32_t> inverse;
  };
  std::vector<Step> steps(gates.size());
  for (std::size_t s = 0; s < gates.size(); ++s) {
    const GateOp& g = gates[s];
    for (Qubit p : g.targets) steps[s].bits.push_back(block_position(block_mask, p));
    for (Qubit p : g.controls) steps[s].bits.push_back(block_position(block_mask, p));
    steps[s].inverse.resize(std::size_t{1} << steps[s].bits.size());
    for (std::uint32_t x = 0; x < steps[s].inverse.size(); ++x)
      steps[s].inverse[local_move(g, x)] = x;
  }
  // S(y): the last gate's inverse first.
  const auto source = [&](std::uint32_t y) {
    for (auto s = steps.rbegin(); s != steps.rend(); ++s) {
      std::uint32_t x = 0;
      for (std::size_t j = 0; j < s->bits.size(); ++j) x |= ((y >> s->bits[j]) & 1U) << j;
      const std::uint32_t from = s->inverse[x];
      for (std::size_t j = 0; j < s->bits.size(); ++j)
        y = (y & ~(std::uint32_t{1} << s->bits[j])) | (((from >> j) & 1U) << s->bits[j]);
    }
    return y;
  };
  const std::uint32_t s0 = source(0);
  std::vector<std::uint32_t> col(8 * kernels::kAffineTables, 0);
  for (unsigned j = 0; j < b; ++j) col[j] = source(std::uint32_t{1} << j) ^ s0;
  std::vector<std::uint32_t> tables(256 * kernels::kAffineTables, 0);
  for (unsigned k = 0; k < kernels::kAffineTables; ++k)
    for (unsigned v = 0; v < 256; ++v)
      for (unsigned i = 0; i < 8; ++i)
        if ((v >> i) & 1U) tables[256 * k + v] ^= col[8 * k + i];
  for (unsigned v = 0; v < 256; ++v) tables[v] ^= s0;
  return tables;
}

template <class Real>
std::vector<BlockGate<Real>> prepare_block_gates(std::vector<GateOp> gates,
                                                 std::uint64_t block_mask, unsigned merge_width) {
  std::vector<BlockGate<Real>> out;
  std::vector<GateOp> pending;  // gates to merge and prepare one by one
  const auto flush = [&] {
    for (GateOp& g : merge_block_permutations(std::move(pending), block_mask, merge_width)) {
      out.push_back(prepare_block_gate<Real>(g, block_mask));
      g = GateOp{};  // its matrix is in the block gate now: one copy at a time
    }
    pending.clear();
  };
  const bool fits = std::popcount(block_mask) <= static_cast<int>(8 * kernels::kAffineTables);
  std::size_t i = 0;
  while (i < gates.size()) {
    std::size_t j = i;
    while (fits && j < gates.size() && affine_move_gate(gates[j], block_mask)) ++j;
    if (j - i >= 2) {
      const std::vector<GateOp> run(gates.begin() + static_cast<std::ptrdiff_t>(i),
                                    gates.begin() + static_cast<std::ptrdiff_t>(j));
      if (merge_block_permutations(run, block_mask, merge_width).size() >= kMinAffineSweeps) {
        flush();
        BlockGate<Real>& g = out.emplace_back();
        g.kind = MatrixKind::kPermutation;
        g.affine = affine_source_tables(run, block_mask);
        i = j;
        continue;
      }
    }
    j = std::max(j, i + 1);
    for (; i < j; ++i) pending.push_back(std::move(gates[i]));
  }
  flush();
  return out;
}

template std::vector<BlockGate<float>> prepare_block_gates<float>(std::vector<GateOp>,
                                                                  std::uint64_t, unsigned);
template std::vector<BlockGate<double>> prepare_block_gates<double>(std::vector<GateOp>,
                                                                    std::uint64_t, unsigned);

std::optional<ChunkMoves> plan_chunk_moves(const std::vector<GateOp>& gates, unsigned min_low) {
  if (gates.empty()) return std::nullopt;
  std::uint64_t mask = 0;
  for (const GateOp& g : gates) {
    if (!unit_permutation(g)) return std::nullopt;
    mask |= position_mask(g);
  }
  const auto m = static_cast<unsigned>(std::popcount(mask));
  const auto low = static_cast<unsigned>(std::countr_zero(mask));
  if (low < min_low || m > kMaxChunkMovePositions ||
      (gates.size() << m) > (std::uint64_t{1} << 26))  // planning cost: gates x 2^m steps
    return std::nullopt;
  // Each gate on chunk numbers: its targets' bits, its controls' bits and values there.
  struct Move {
    std::vector<unsigned> targets;
    std::uint64_t target_mask = 0, control_mask = 0, control_value = 0;
    const std::uint32_t* perm = nullptr;
  };
  const auto number_bit = [mask](Qubit p) {
    return static_cast<unsigned>(std::popcount(mask & (bit(p) - 1)));
  };
  std::vector<Move> moves;
  moves.reserve(gates.size());
  for (const GateOp& g : gates) {
    Move& mv = moves.emplace_back();
    for (Qubit p : g.targets) {
      mv.targets.push_back(number_bit(p));
      mv.target_mask |= bit(number_bit(p));
    }
    for (std::size_t j = 0; j < g.controls.size(); ++j) {
      mv.control_mask |= bit(number_bit(g.controls[j]));
      if (g.control_value(j)) mv.control_value |= bit(number_bit(g.controls[j]));
    }
    mv.perm = g.matrix.perm.data();
  }
  ChunkMoves out;
  out.low = low;
  out.mask = mask;
  out.source.assign(std::size_t{1} << m, 0);
  for (std::uint64_t u = 0; u < bit(m); ++u) {
    std::uint64_t x = u;  // where the content of chunk u is after each gate
    for (const Move& mv : moves) {
      if ((x & mv.control_mask) != mv.control_value) continue;
      std::uint32_t col = 0;
      for (std::size_t j = 0; j < mv.targets.size(); ++j)
        col |= static_cast<std::uint32_t>((x >> mv.targets[j]) & 1U) << j;
      const std::uint32_t row = mv.perm[col];
      x &= ~mv.target_mask;
      for (std::size_t j = 0; j < mv.targets.size(); ++j)
        x |= static_cast<std::uint64_t>((row >> j) & 1U) << mv.targets[j];
    }
    out.source[x] = static_cast<std::uint32_t>(u);
    if (x != u) ++out.moved;
  }
  return out;
}

template <class Real>
void apply_chunk_moves(std::complex<Real>* amp, unsigned num_positions, const ChunkMoves& moves,
                       unsigned piece_qubits) {
  // The cycles of the map, each listed from its smallest number c0 along source (c0 receives
  // c1 = source[c0], c1 receives c2, ..., the last receives c0), as memory offsets.
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint64_t> starts = {0};
  std::vector<bool> seen(moves.source.size(), false);
  for (std::uint32_t u = 0; u < moves.source.size(); ++u) {
    if (seen[u] || moves.source[u] == u) continue;
    for (std::uint32_t c = u; !seen[c]; c = moves.source[c]) {
      seen[c] = true;
      offsets.push_back(deposit(c, moves.mask));
    }
    starts.push_back(offsets.size());
  }
  const std::uint64_t cycles = starts.size() - 1;
  if (cycles == 0) return;
  const unsigned piece_bits = std::min(moves.low, piece_qubits);
  const std::uint64_t piece = bit(piece_bits);
  const std::uint64_t pieces = bit(moves.low - piece_bits);
  const std::uint64_t others = (bit(num_positions) - 1) & ~(bit(moves.low) - 1) & ~moves.mask;
  const std::uint64_t spectators = bit(static_cast<unsigned>(std::popcount(others)));
  // Items: (piece, spectator bits, cycle), cycles fastest, so that threads share the pieces.
  parallel_for(pieces * spectators * cycles, 1, [&](std::uint64_t first, std::uint64_t last) {
    std::complex<Real>* buf = block_buffer<Real>(piece);
    for (std::uint64_t item = first; item < last; ++item) {
      const std::uint64_t k = item % cycles;
      const std::uint64_t v = (item / cycles) % spectators;
      const std::uint64_t q = item / cycles / spectators;
      std::complex<Real>* base = amp + deposit(v, others) + q * piece;
      const std::uint64_t* cycle = offsets.data() + starts[k];
      const std::uint64_t length = starts[k + 1] - starts[k];
      const std::uint64_t zero = 0;
      kernels::gather_chunks(base, cycle, 1, piece, buf);
      for (std::uint64_t j = 0; j + 1 < length; ++j)
        kernels::gather_chunks(base + cycle[j + 1], &zero, 1, piece, base + cycle[j]);
      kernels::gather_chunks(buf, &zero, 1, piece, base + cycle[length - 1]);
    }
  });
}

template void apply_chunk_moves<float>(std::complex<float>*, unsigned, const ChunkMoves&, unsigned);
template void apply_chunk_moves<double>(std::complex<double>*, unsigned, const ChunkMoves&,
                                        unsigned);

unsigned count_cpu_list(std::string_view list) {
  unsigned cpus = 0;
  std::size_t i = 0;
  const auto number = [&](unsigned long& value) {
    const std::size_t from = i;
    value = 0;
    while (i < list.size() && list[i] >= '0' && list[i] <= '9')
      value = value * 10 + (list[i++] - '0');
    return i > from;
  };
  while (i < list.size()) {
    unsigned long first = 0;
    if (!number(first)) break;
    unsigned long last = first;
    if (i < list.size() && list[i] == '-' && (++i, !number(last))) break;
    if (last >= first) cpus += static_cast<unsigned>(last - first + 1);
    if (i >= list.size() || list[i] != ',') break;
    ++i;
  }
  return cpus;
}

std::uint64_t cache_block_bytes(std::uint64_t l2_bytes, std::uint64_t l3_bytes,
                                unsigned l3_sharing) {
  if (l2_bytes == 0) return kDefaultBlockBytes;
  const std::uint64_t l3_share = l3_bytes / std::max(l3_sharing, 1U);
  return std::max(l2_bytes / 2, std::min(kDefaultBlockBytes, l3_share / 4));
}

namespace {

// The data or unified cache of `level` of cpu0 from sysfs: its bytes (0 when unknown) and how
// many CPUs share it.
std::pair<std::uint64_t, unsigned> read_cache_level(unsigned level) {
  for (unsigned index = 0; index < 8; ++index) {
    const std::string dir =
        "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/";
    unsigned l = 0;
    if (!(std::ifstream(dir + "level") >> l)) break;
    std::string type;
    std::ifstream(dir + "type") >> type;
    if (l != level || type == "Instruction") continue;
    std::string size;
    std::string list;
    std::ifstream(dir + "size") >> size;
    std::ifstream(dir + "shared_cpu_list") >> list;
    char* unit = nullptr;
    std::uint64_t bytes = std::strtoull(size.c_str(), &unit, 10);
    if (*unit == 'K') bytes <<= 10;
    if (*unit == 'M') bytes <<= 20;
    return {bytes, std::max(count_cpu_list(list), 1U)};
  }
  return {0, 1};
}

}  // namespace

unsigned default_block_qubits(std::size_t amplitude_bytes) {
  if (const char* off = std::getenv("QSTATE_BLOCKING"); off != nullptr && std::string(off) == "0")
    return 0;
  if (const char* env = std::getenv("QSTATE_BLOCK_QUBITS"); env != nullptr && *env != '\0')
    return static_cast<unsigned>(std::atoi(env));
  static const std::uint64_t bytes = [] {
    std::uint64_t l2 = read_cache_level(2).first;
    if (l2 == 0) l2 = static_cast<std::uint64_t>(std::max(sysconf(_SC_LEVEL2_CACHE_SIZE), 0L));
    const auto [l3, l3_sharing] = read_cache_level(3);
    return cache_block_bytes(l2, l3, l3_sharing);
  }();
  const std::uint64_t amps = bytes / amplitude_bytes;
  return static_cast<unsigned>(std::bit_width(amps) - 1);
}

unsigned chunk_qubits(std::size_t amplitude_bytes, unsigned block_qubits, unsigned widest) {
  constexpr std::size_t kChunkBytes = 1024;
  const auto want = static_cast<unsigned>(std::bit_width(kChunkBytes / amplitude_bytes) - 1);
  const unsigned free = block_qubits > widest ? block_qubits - widest : 0;
  return std::min({want, free, block_qubits / 4});
}

unsigned plan_block_run(std::vector<Op>& ops, unsigned num_positions, unsigned block_qubits,
                        const Layout& start, std::size_t amplitude_bytes, unsigned widest) {
  const unsigned b = block_qubits;
  const unsigned c0 = chunk_qubits(amplitude_bytes, b, widest);
  const auto longest = static_cast<unsigned>(std::bit_width(kMaxChunkBytes / amplitude_bytes) - 1);
  const unsigned top = std::min(longest, b > widest ? b - widest : 0U);
  if (ops.size() > kMaxChunkSearchOps || top <= c0) {
    plan_distribution(ops, num_positions, b, &start, c0);
    return c0;
  }
  // The candidates are planned on a skeleton of the run: its gates without the entries of
  // matrices wider than a SmallVector holds inline (the planner reads qubits, kinds and plain
  // SWAPs, never wide entries), so a run of large fused gates is not copied for every candidate.
  std::vector<Op> skeleton;
  skeleton.reserve(ops.size());
  for (const Op& op : ops) {
    Op& s = skeleton.emplace_back(op);
    if (auto* g = std::get_if<GateOp>(&s)) {
      if (g->matrix.entries.size() > MatrixEntries::inline_capacity())
        g->matrix.entries = MatrixEntries();
      if (g->matrix.perm.size() > MatrixPerm::inline_capacity()) g->matrix.perm = MatrixPerm();
    }
  }
  const auto remaps = [&](unsigned c) {
    std::vector<Op> trial = skeleton;
    return plan_distribution(trial, num_positions, b, &start, c).remaps;
  };
  const std::uint64_t moves = remaps(c0);
  unsigned chosen = c0;
  for (unsigned c = top; c > c0; --c)
    if (remaps(c) <= moves) {
      chosen = c;
      break;
    }
  plan_distribution(ops, num_positions, b, &start, chosen);
  return chosen;
}

template BlockGate<float> prepare_block_gate<float>(const GateOp&, std::uint64_t);
template BlockGate<double> prepare_block_gate<double>(const GateOp&, std::uint64_t);
template double run_blocked<float>(std::complex<float>*, unsigned, std::uint64_t,
                                   const std::vector<BlockGate<float>>&);
template double run_blocked<double>(std::complex<double>*, unsigned, std::uint64_t,
                                    const std::vector<BlockGate<double>>&);

}  // namespace qstate
