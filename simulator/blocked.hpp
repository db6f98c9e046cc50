// Cache blocking: a run of gates whose non-diagonal targets all sit in the positions of one
// "block set" of `block_qubits` positions is applied block by block — every gate of the run to
// one block of 2^block_qubits amplitudes while it sits in the core's L2, then the next block — so
// one pass over memory serves the whole run. Positions outside the block set are fixed within a
// block, exactly like global positions on a rank: controls there become per-block conditions and
// diagonal targets there pick a per-block part of the diagonal.
//
// The block set always holds the lowest `chunk` positions (pinned), so a block is made of
// 2^(block_qubits - chunk) contiguous chunks of 2^chunk amplitudes. When the set is exactly the
// low positions, a block is contiguous and the gates run in place; otherwise each thread gathers
// the block's chunks into a buffer of its own, runs the gates there and scatters the chunks back
// (streaming stores). The distribution planner (circuits/passes/distribute, the same one MPI
// uses) decides where a run ends and which high qubits join the block set next; such a "remap"
// moves no data, it only changes the set the next run gathers.
#pragma once

#include <complex>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/passes/layout.hpp"
#include "simulator/kernels/placement.hpp"

namespace qstate {

// One gate of a blocked run, prepared once for all blocks.
template <class Real>
struct BlockGate {
  MatrixKind kind = MatrixKind::kDense;
  kernels::Placement low;                   // targets and in-block controls, as block positions
  std::uint64_t groups = 0;                 // groups of `low` in one block
  std::uint64_t high_mask = 0;              // state-index bits of controls outside the block...
  std::uint64_t high_value = 0;             // ...and the values they must hold
  std::vector<std::complex<Real>> entries;  // dense / permutation matrix, or diagonal tables
  std::vector<std::uint32_t> perm;
  bool unit_phases = false;
  // Diagonal: state-index bit of each target outside the block; entries holds one table of
  // dim_low entries per pattern of those bits.
  std::vector<unsigned> diag_high_bits;
  std::size_t dim_low = 1;
  // Diagonal: block positions of the targets inside the block (low's targets, ascending); each
  // table is indexed by a block index's bits there (kernels::diagonal_indexed, or a link of
  // kernels::diagonal_chain with low's controls). A diagonal without controls in the block may be
  // applied with the dense gate after it, in one sweep.
  std::uint64_t diag_mask = 0;
  double flops_per_block = 0;
  // An affine move (kind kPermutation): the source tables of kernels::affine_move, 4 x 256
  // entries; empty for every other gate.
  std::vector<std::uint32_t> affine;
};

// Prepares `op` (targets and controls given as positions of the state; non-diagonal targets in
// `block_mask`, the set of positions a block spans) for blocked application. Position p of the
// state is bit popcount(block_mask & (2^p - 1)) of the index inside a block.
template <class Real>
BlockGate<Real> prepare_block_gate(const GateOp& op, std::uint64_t block_mask);

// Merges runs of consecutive unit-phase permutations (x, cx, ccx, swap, ... with every target
// and control in the block, at block positions of whole vectors) into one permutation of up to
// max_positions positions each (gates given as state positions, `block_mask` the block set).
// They only move amplitudes, so the merged gate gives the same bits, in one sweep of a block
// instead of one per gate. Other gates are returned as they are, in order.
inline constexpr unsigned kMaxMergedPermutation = 5;
std::vector<GateOp> merge_block_permutations(std::vector<GateOp> gates, std::uint64_t block_mask,
                                             unsigned max_positions = kMaxMergedPermutation);

// The widest merged move for the selected SIMD target: the permutation kernel keeps a group's
// 2^m amplitudes in registers, 5 positions with AVX-512's 32 registers; with 16 (AVX2 and
// below) a group of 5 spills, and 3 is fastest (AMD Zen 3, ghz_28 double, 1 MiB blocks:
// 2.14-2.21 s with 5, 1.38-1.63 s with 3; bench/RESULTS.md). Moves only: the bits do not depend
// on it.
unsigned max_merged_permutation();

// Affine moves. x, cx (open or closed control), swap and their products move the amplitude at
// block index y to A y ^ c, an affine map over GF(2) of the block index's bits (ccx does not). A
// run of such moves inside the block, however long, is then one map, applied as one gathered copy
// of the block through a second buffer (kernels::affine_move) and a copy back: the cx chain of a
// GHZ circuit on a block's 16 positions is one sweep instead of one per merged group of at most
// max_merged_permutation() positions (and one per gate inside a vector, where groups do not
// merge). A run becomes an affine move when its merged moves would take at least
// kMinAffineSweeps sweeps. Moves only: the bits cannot change.
inline constexpr std::size_t kMinAffineSweeps = 3;

// Whether g is a unit-phase move with every target and control in the block whose map is
// affine (see above).
bool affine_move_gate(const GateOp& g, std::uint64_t block_mask);

// For gates that are all affine_move_gate (state positions, in order): the tables of
// kernels::affine_move for a block of popcount(block_mask) <= 32 positions. After the gates,
// block index y holds what was at index S(y) before them.
std::vector<std::uint32_t> affine_source_tables(std::span<const GateOp> gates,
                                                std::uint64_t block_mask);

// The block gates of a run of gates (state positions; their non-diagonal targets in the block):
// runs of affine moves as affine moves where they save sweeps, the other moves merged
// (merge_block_permutations, at most merge_width positions), every gate prepared
// (prepare_block_gate). The gates' matrices move into the block gates.
template <class Real>
std::vector<BlockGate<Real>> prepare_block_gates(std::vector<GateOp> gates,
                                                 std::uint64_t block_mask, unsigned merge_width);

// Applies the gates to every block of the 2^num_positions amplitudes, in parallel over blocks.
// `block_mask` holds the positions of a block; its chunks are its runs of contiguous low
// positions 0 .. c-1 (c >= 0). Returns the flops done.
template <class Real>
double run_blocked(std::complex<Real>* amp, unsigned num_positions, std::uint64_t block_mask,
                   const std::vector<BlockGate<Real>>& gates);

// Moves of whole chunks. A group of unit-phase permutations (x, cx, ccx, swap, merged moves)
// whose targets and controls all lie at positions >= low maps every chunk of 2^low contiguous
// amplitudes onto a chunk, so it is applied by moving whole chunks along the cycles of that map:
// one pass at copy speed over the chunks that move (none over those that stay), where a gathered
// block pass costs 2.6-6x a pass in place (bench/RESULTS.md). The cx chain of a GHZ circuit on
// its high qubits is such a group. Only moves: the bits cannot change.
struct ChunkMoves {
  unsigned low = 0;                   // chunks of 2^low amplitudes
  std::uint64_t mask = 0;             // the positions the gates use (all >= low)
  std::vector<std::uint32_t> source;  // chunk u (numbered by its bits in mask) gets chunk source[u]
  std::uint64_t moved = 0;            // numbers u with source[u] != u
};

// At most this many positions in a ChunkMoves map (a table of 2^20 numbers).
inline constexpr unsigned kMaxChunkMovePositions = 20;

// The chunk moves that do `gates` (state positions) in order, or nothing when a gate is not a
// unit-phase permutation, uses a position below min_low, or the map would be too large.
std::optional<ChunkMoves> plan_chunk_moves(const std::vector<GateOp>& gates, unsigned min_low);

// Applies the moves to the 2^num_positions amplitudes, in pieces of at most 2^piece_qubits
// amplitudes (one thread's buffer), in parallel over cycles and pieces.
template <class Real>
void apply_chunk_moves(std::complex<Real>* amp, unsigned num_positions, const ChunkMoves& moves,
                       unsigned piece_qubits);

// The bytes of a cache block on a core with an L2 of l2_bytes and an L3 of
// l3_bytes shared by l3_sharing CPUs (0: unknown): half the L2, or, where the core's share of
// the L3 is large next to its L2 (AMD's 32 MiB L3 beside a 512 KiB L2), up to a quarter of that
// share and at most kDefaultBlockBytes. A block in L3 sweeps slower than one in L2, but a larger
// block set needs fewer remaps, and gathered passes to memory cost far more than the L3 sweeps
// (AMD EPYC, AVX2, 2 threads: rand_26 19 -> 11 passes and 10-25% faster with 1 MiB blocks than
// with 256 KiB; bench/RESULTS.md, "On AMD EPYC (Zen 3, AVX2)"). 1 MiB when nothing is known.
inline constexpr std::uint64_t kDefaultBlockBytes = std::uint64_t{1} << 20;
std::uint64_t cache_block_bytes(std::uint64_t l2_bytes, std::uint64_t l3_bytes,
                                unsigned l3_sharing);

// The number of CPUs in a Linux CPU list such as "0-7,64-71" (sysfs shared_cpu_list).
unsigned count_cpu_list(std::string_view list);

// Qubits per block for amplitudes of `amplitude_bytes`: cache_block_bytes of cpu0's caches
// (sysfs; sysconf for the L2 where sysfs has none); QSTATE_BLOCK_QUBITS overrides,
// QSTATE_BLOCKING=0 turns blocking off (returns 0).
unsigned default_block_qubits(std::size_t amplitude_bytes);

// The pinned low positions of a block set of `block_qubits` positions (the chunk size of a
// gathered block is 2^chunk_qubits amplitudes): about 1 KiB of amplitudes, but leaving at least
// `widest` (the most positions one gate needs in the block) and three quarters of the block free
// to change.
unsigned chunk_qubits(std::size_t amplitude_bytes, unsigned block_qubits, unsigned widest);

// Plans a run of ops (gates and remaps, state positions num_positions) for blocks of
// block_qubits positions starting in block layout `start` (plan_distribution with the chunk
// pinned), and returns the chunk it pinned: the largest, up to kMaxChunkBytes of amplitudes,
// whose plan moves the block set no more often than chunk_qubits' default. A gathered block
// reads its chunks at strides of up to the whole state, and short chunks stream badly (2
// threads, this machine: 128-byte chunks 9 GB/s, 256-byte 14, 1-4 KiB 18-22, a block in place
// 57; bench/RESULTS.md), so a longer chunk is worth having while it costs no pass. Runs above
// kMaxChunkSearchOps ops keep the default (the search plans the run up to six times).
inline constexpr std::size_t kMaxChunkBytes = 4096;
inline constexpr std::size_t kMaxChunkSearchOps = 100000;
unsigned plan_block_run(std::vector<Op>& ops, unsigned num_positions, unsigned block_qubits,
                        const Layout& start, std::size_t amplitude_bytes, unsigned widest);

}  // namespace qstate
