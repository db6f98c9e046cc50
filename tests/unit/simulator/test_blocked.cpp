// Cache blocking (simulator/blocked.hpp): a run of gates applied block by block, with blocks
// gathered from scattered chunks when the planner brings high qubits into the block set, must
// give exactly the bits of the same gates applied one by one over the whole state, at every
// block size (so every chunk size, including single amplitudes and the vector copy path), in
// both precisions; and the state must match the dense reference.
#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <complex>
#include <cstring>
#include <random>

#include "circuits/gates.hpp"
#include "circuits/passes/distribute.hpp"
#include "simulator/blocked.hpp"
#include "simulator/state_vector.hpp"
#include "tests/support/random_circuits.hpp"
#include "tests/support/reference.hpp"

using qstate::GateMatrix;
using qstate::GateOp;
using qstate::Op;
using qstate::StateVector;
using qstate::test::Cplx;

namespace {

// Random gates of the standard set plus random dense 3-qubit unitaries (like fused gates), on
// n qubits, with plain SWAPs (relabellings) among them.
std::vector<Op> random_ops(unsigned n, std::uint64_t seed) {
  qstate::test::RandomCircuitOptions o;
  o.num_qubits = n;
  o.depth = 80;
  o.final_measurements = false;
  o.gates = qstate::test::all_standard_gate_names();
  std::vector<Op> ops = qstate::test::random_circuit(seed, o).circuit.ops;
  qstate::test::SeededRandom rng(seed + 1000);
  for (int i = 0; i < 12; ++i) {
    const std::vector<std::uint32_t> q = rng.distinct(n, 3);
    const qstate::test::CMatrix u = qstate::test::random_unitary(3, seed + i);
    std::vector<qstate::Complex> m(64);
    for (int r = 0; r < 8; ++r)
      for (int c = 0; c < 8; ++c) m[static_cast<std::size_t>(r * 8 + c)] = u(r, c);
    GateOp g;
    g.name = "fused";
    g.targets = {q[0], q[1], q[2]};
    g.matrix = GateMatrix::dense(3, m);
    ops.insert(ops.begin() + static_cast<std::ptrdiff_t>(rng.below(ops.size())), g);
  }
  // Wide diagonals (like fused runs of phases), some right before a fused dense gate: the
  // bit-indexed diagonal, its high-bit tables and the diagonal folded into a dense sweep.
  for (int i = 0; i < 8; ++i) {
    const unsigned k = 4 + static_cast<unsigned>(i % 3);
    const std::vector<std::uint32_t> q = rng.distinct(n, k);
    std::vector<qstate::Complex> d(std::size_t{1} << k);
    for (std::size_t j = 0; j < d.size(); ++j)
      d[j] = std::polar(1.0, 0.37 * static_cast<double>(j * (i + 1)) + 0.1);
    GateOp g;
    g.name = "fused";
    g.targets.assign(q.begin(), q.end());
    g.matrix = GateMatrix::diagonal(k, d);
    ops.insert(ops.begin() + static_cast<std::ptrdiff_t>(rng.below(ops.size())), g);
  }
  // Runs of moves (cx chains as in a GHZ circuit, ccx with an open control, swap, x) that the
  // blocked run merges into one permutation per sweep.
  for (int i = 0; i < 6; ++i) {
    std::vector<Op> chain;
    const std::uint32_t first = 2 + static_cast<std::uint32_t>(rng.below(n - 4));
    for (std::uint32_t q = first; q + 1 < n && q < first + 4; ++q)
      chain.push_back(qstate::make_gate("cx", {}, {q, q + 1}));
    GateOp ccx = qstate::make_gate("ccx", {}, {first, n - 1, first + 1});
    ccx.open_controls = 1;
    chain.push_back(ccx);
    chain.push_back(qstate::make_gate("swap", {}, {first + 1, n - 1}));
    chain.push_back(qstate::make_gate("x", {}, {first}));
    ops.insert(ops.begin() + static_cast<std::ptrdiff_t>(rng.below(ops.size())), chain.begin(),
               chain.end());
  }
  // Long runs of affine moves (a cx chain over every qubit, one way or the other, an open-control
  // cx, x and swap): one affine move per block where merged moves would take several sweeps.
  for (std::uint32_t i = 0; i < 3; ++i) {
    std::vector<Op> chain;
    for (std::uint32_t q = 0; q + 1 < n; ++q)
      chain.push_back(i % 2 == 0 ? qstate::make_gate("cx", {}, {q, q + 1})
                                 : qstate::make_gate("cx", {}, {n - 1 - q, n - 2 - q}));
    GateOp open = qstate::make_gate("cx", {}, {n - 1, i});
    open.open_controls = 1;
    chain.push_back(open);
    chain.push_back(qstate::make_gate("x", {}, {i + 1}));
    chain.push_back(qstate::make_gate("swap", {}, {i, n / 2}));
    ops.insert(ops.begin() + static_cast<std::ptrdiff_t>(rng.below(ops.size())), chain.begin(),
               chain.end());
  }
  std::erase_if(ops, [](const Op& op) { return !std::holds_alternative<GateOp>(op); });
  return ops;
}

template <class Real>
std::vector<std::complex<Real>> run(const std::vector<Op>& ops, unsigned n, unsigned block,
                                    const qstate::test::CVector& start) {
  StateVector<Real> sv(n);
  for (std::uint64_t i = 0; i < sv.size(); ++i)
    sv.data()[i] = {static_cast<Real>(start[static_cast<Eigen::Index>(i)].real()),
                    static_cast<Real>(start[static_cast<Eigen::Index>(i)].imag())};
  sv.set_block_qubits(block);
  sv.apply_run(ops.data(), ops.data() + ops.size());
  sv.canonicalize();
  return {sv.data(), sv.data() + sv.size()};
}

template <class Real>
bool same_bits(const std::vector<std::complex<Real>>& a, const std::vector<std::complex<Real>>& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(std::complex<Real>)) == 0;
}

}  // namespace

TEMPLATE_TEST_CASE("blocked runs give the unblocked bits at every block size", "[blocked]", float,
                   double) {
  const unsigned n = 9;
  for (std::uint64_t seed : {1U, 2U, 3U}) {
    const std::vector<Op> ops = random_ops(n, seed);
    const qstate::test::CVector start = qstate::test::random_state(n, seed);
    const auto plain = run<TestType>(ops, n, 0, start);
    for (unsigned block : {3U, 4U, 5U, 6U, 7U}) {
      INFO("seed " << seed << ", block qubits " << block);
      CHECK(same_bits(run<TestType>(ops, n, block, start), plain));
    }
  }
}

TEMPLATE_TEST_CASE("blocked runs match the dense reference", "[blocked]", float, double) {
  const unsigned n = 7;
  const std::vector<Op> ops = random_ops(n, 4);
  const qstate::test::CVector start = qstate::test::random_state(n, 4);
  qstate::test::Reference ref(n, start);
  for (const Op& op : ops) ref.apply_op_matrix(std::get<GateOp>(op));
  const double tol = sizeof(TestType) == sizeof(float) ? 1e-4 : 1e-12;
  for (unsigned block : {3U, 4U, 5U}) {
    const auto got = run<TestType>(ops, n, block, start);
    const std::vector<Cplx> wide(got.begin(), got.end());
    CHECK(qstate::test::max_abs_diff(wide, ref.amplitudes()) < tol);
  }
}

TEST_CASE("a blocked run over a gathered block set costs one pass", "[blocked]") {
  // Gates on qubits 0 and 9 of 10 with blocks of 4: the planner brings qubit 9 into the block
  // set; no data moves for that, so the run is two passes (before and after), not three.
  StateVector<double> sv(10);
  sv.set_block_qubits(4);
  std::vector<Op> ops = {qstate::make_gate("h", {}, {0}), qstate::make_gate("h", {}, {1}),
                         qstate::make_gate("h", {}, {9}), qstate::make_gate("cx", {}, {9, 0})};
  sv.apply_run(ops.data(), ops.data() + ops.size());
  CHECK(sv.work().passes == 2);
  CHECK(sv.layout().is_identity());
}

TEST_CASE("cache blocks: half the L2, or a quarter of a large L3 share up to 1 MiB", "[blocked]") {
  constexpr std::uint64_t KiB = 1024;
  constexpr std::uint64_t MiB = 1024 * KiB;
  CHECK(qstate::cache_block_bytes(0, 0, 1) == MiB);                  // nothing known
  CHECK(qstate::cache_block_bytes(2 * MiB, 60 * MiB, 32) == MiB);    // Sapphire Rapids: half L2
  CHECK(qstate::cache_block_bytes(MiB, 22 * MiB, 16) == 512 * KiB);  // small L3 share: half L2
  CHECK(qstate::cache_block_bytes(512 * KiB, 32 * MiB, 8) == MiB);   // Zen 3: a quarter of 4 MiB
  CHECK(qstate::cache_block_bytes(512 * KiB, 32 * MiB, 2) == MiB);   // at most 1 MiB
  CHECK(qstate::cache_block_bytes(512 * KiB, 32 * MiB, 32) == 256 * KiB);
  CHECK(qstate::cache_block_bytes(512 * KiB, 8 * MiB, 4) == 512 * KiB);
  CHECK(qstate::cache_block_bytes(512 * KiB, 32 * MiB, 0) == MiB);  // sharing unknown: 1
}

TEST_CASE("count_cpu_list reads sysfs CPU lists", "[blocked]") {
  CHECK(qstate::count_cpu_list("0") == 1);
  CHECK(qstate::count_cpu_list("0-1") == 2);
  CHECK(qstate::count_cpu_list("0-7,64-71") == 16);
  CHECK(qstate::count_cpu_list("3,5,9-10") == 4);
  CHECK(qstate::count_cpu_list("") == 0);
  CHECK(qstate::count_cpu_list("x") == 0);
  CHECK(qstate::count_cpu_list("0-") == 0);
}

TEST_CASE("chunk_qubits leaves room for the widest gate and most of the block", "[blocked]") {
  CHECK(qstate::chunk_qubits(16, 24, 3) == 6);   // 1 KiB of complex<double>
  CHECK(qstate::chunk_qubits(8, 28, 3) == 7);    // 1 KiB of complex<float>
  CHECK(qstate::chunk_qubits(16, 16, 3) == 4);   // a quarter of the block
  CHECK(qstate::chunk_qubits(16, 12, 10) == 2);  // the widest gate's room
  CHECK(qstate::chunk_qubits(16, 3, 3) == 0);
}

namespace {

// The moves of the block set a plan makes (the non-relabelling remaps).
std::size_t block_moves(const std::vector<Op>& planned) {
  std::size_t moves = 0;
  for (const Op& op : planned)
    if (const auto* r = std::get_if<qstate::RemapOp>(&op); r != nullptr && !r->relabel) ++moves;
  return moves;
}

// The pairs of every remap of a plan, in order.
std::vector<std::pair<qstate::Qubit, qstate::Qubit>> remap_pairs(const std::vector<Op>& planned) {
  std::vector<std::pair<qstate::Qubit, qstate::Qubit>> pairs;
  for (const Op& op : planned)
    if (const auto* r = std::get_if<qstate::RemapOp>(&op))
      pairs.insert(pairs.end(), r->pairs.begin(), r->pairs.end());
  return pairs;
}

// h(0) and a chain of cx(k, k+1): a GHZ state on n qubits.
std::vector<Op> ghz_ops(unsigned n) {
  std::vector<Op> ops = {qstate::make_gate("h", {}, {0})};
  for (unsigned k = 0; k + 1 < n; ++k) ops.push_back(qstate::make_gate("cx", {}, {k, k + 1}));
  return ops;
}

}  // namespace

TEST_CASE("plan_block_run pins the longest chunk that costs no extra pass", "[blocked]") {
  const unsigned n = 28;
  const qstate::Layout start(n);
  for (const std::size_t bytes : {std::size_t{8}, std::size_t{16}}) {
    const unsigned b = bytes == 8 ? 17 : 16;
    CAPTURE(bytes);
    const unsigned c0 = qstate::chunk_qubits(bytes, b, 2);
    std::vector<Op> at_default = ghz_ops(n);
    qstate::plan_distribution(at_default, n, b, &start, c0);
    std::vector<Op> chosen = ghz_ops(n);
    const unsigned c = qstate::plan_block_run(chosen, n, b, start, bytes, 2);
    CHECK(c >= c0);
    CHECK(block_moves(chosen) <= block_moves(at_default));
    std::vector<Op> at_c = ghz_ops(n);  // the ops come back planned at the chunk returned
    qstate::plan_distribution(at_c, n, b, &start, c);
    CHECK(remap_pairs(chosen) == remap_pairs(at_c));
    // Pinning one chunk qubit more moves the block set more often (or is not allowed).
    const auto longest = static_cast<unsigned>(std::bit_width(qstate::kMaxChunkBytes / bytes) - 1);
    if (c < longest) {
      std::vector<Op> longer = ghz_ops(n);
      qstate::plan_distribution(longer, n, b, &start, c + 1);
      CHECK(block_moves(longer) > block_moves(at_default));
    }
    // The GHZ chain: one move of the block set at both precisions; floats keep 64-amplitude
    // chunks (512 bytes) there, doubles the default 16 (256 bytes), where 32 would cost a move.
    CHECK(block_moves(chosen) == 1);
    CHECK(c == (bytes == 8 ? 6U : 4U));
  }
  // Above kMaxChunkSearchOps ops the default is kept without a search.
  std::vector<Op> many(qstate::kMaxChunkSearchOps + 1, qstate::make_gate("h", {}, {0}));
  CHECK(qstate::plan_block_run(many, 20, 16, qstate::Layout(20), 16, 1) ==
        qstate::chunk_qubits(16, 16, 1));
}

TEST_CASE("plan_block_run plans wide fused gates as a copy would, matrices intact", "[blocked]") {
  // Wide fused gates (entries beyond a SmallVector's inline room) on qubits all over a 24-qubit
  // state: the chunk search plans on a skeleton without those entries, so the returned plan must
  // be the one plan_distribution makes of the whole ops at that chunk, every entry kept.
  const unsigned n = 24, b = 12;
  std::mt19937_64 rng(5);
  std::vector<Op> ops;
  for (int k = 0; k < 60; ++k) {
    std::vector<qstate::Qubit> targets;
    while (targets.size() < 3) {
      const auto q = static_cast<qstate::Qubit>(rng() % n);
      if (std::find(targets.begin(), targets.end(), q) == targets.end()) targets.push_back(q);
    }
    GateOp g;
    g.name = "fused";
    g.targets = targets;
    std::vector<qstate::Complex> e(k % 2 == 0 ? 64 : 8);
    for (std::size_t j = 0; j < e.size(); ++j) e[j] = {std::cos(0.1 * k + j), std::sin(0.3 * j)};
    g.matrix = k % 2 == 0 ? GateMatrix::dense(3, e) : GateMatrix::diagonal(3, e);
    ops.emplace_back(std::move(g));
  }
  const qstate::Layout start(n);
  std::vector<Op> planned = ops;
  const unsigned c = qstate::plan_block_run(planned, n, b, start, 16, 3);
  std::vector<Op> want = ops;
  qstate::plan_distribution(want, n, b, &start, c);
  REQUIRE(planned.size() == want.size());
  CHECK(block_moves(planned) > 0);
  for (std::size_t i = 0; i < want.size(); ++i) {
    REQUIRE(planned[i].index() == want[i].index());
    if (const auto* w = std::get_if<GateOp>(&want[i])) {
      const auto& g = std::get<GateOp>(planned[i]);
      CHECK(std::vector<qstate::Qubit>(g.targets) == std::vector<qstate::Qubit>(w->targets));
      CHECK(std::vector<qstate::Complex>(g.matrix.entries) ==
            std::vector<qstate::Complex>(w->matrix.entries));
    } else if (const auto* r = std::get_if<qstate::RemapOp>(&want[i])) {
      CHECK(std::get<qstate::RemapOp>(planned[i]).pairs == r->pairs);
    }
  }
}

TEST_CASE("merge_block_permutations merges runs of moves at whole-vector block positions",
          "[blocked]") {
  using qstate::make_gate;
  // State positions 0, 1 and 4-9 make the block (block positions 0-7); 2 and 3 lie outside.
  // Block positions 0-2 are inside a vector: gates there are not merged.
  const std::uint64_t block = 0x3F3;
  const std::vector<GateOp> gates = {
      make_gate("cx", {}, {5, 6}), make_gate("cx", {}, {6, 7}), make_gate("swap", {}, {7, 8}),
      make_gate("cx", {}, {8, 9}), make_gate("h", {}, {5}),     make_gate("cx", {}, {6, 7}),
      make_gate("x", {}, {7}),     make_gate("cx", {}, {4, 5}), make_gate("cx", {}, {5, 2}),
      make_gate("x", {}, {9}),     make_gate("rz", {0.3}, {6})};
  const std::vector<GateOp> out = qstate::merge_block_permutations(gates, block);
  std::vector<std::string> names;
  for (const GateOp& g : out) names.push_back(g.name + ":" + std::to_string(g.num_qubits()));
  const std::vector<std::string> want = {"fused:5", "h:1", "fused:2", "cx:2",
                                         "cx:2",    "x:1", "rz:1"};
  CHECK(names == want);
  // The merged gates move amplitudes as the gates did, exactly.
  const qstate::test::CVector start = qstate::test::random_state(10, 7);
  qstate::test::Reference a(10, start), b(10, start);
  for (const GateOp& g : gates) a.apply_op_matrix(g);
  for (const GateOp& g : out) b.apply_op_matrix(g);
  CHECK(a.state() == b.state());
  // Narrower merges (AVX2's width): at most 3 positions each, the same moves.
  const std::vector<GateOp> narrow = qstate::merge_block_permutations(gates, block, 3);
  names.clear();
  for (const GateOp& g : narrow) names.push_back(g.name + ":" + std::to_string(g.num_qubits()));
  const std::vector<std::string> want_narrow = {"fused:3", "fused:3", "h:1", "fused:2",
                                                "cx:2",    "cx:2",    "x:1", "rz:1"};
  CHECK(names == want_narrow);
  qstate::test::Reference c(10, start);
  for (const GateOp& g : narrow) c.apply_op_matrix(g);
  CHECK(a.state() == c.state());
  const unsigned width = qstate::max_merged_permutation();
  CHECK((width == 3 || width == 5));
}

TEST_CASE("affine_move_gate takes x, cx and swap in the block, not ccx or phases", "[blocked]") {
  using qstate::make_gate;
  const std::uint64_t block = 0x3B7;  // positions 0-2, 4, 5, 7-9
  GateOp open = make_gate("cx", {}, {9, 0});
  open.open_controls = 1;
  for (const GateOp& g :
       {make_gate("x", {}, {4}), make_gate("cx", {}, {0, 9}), open, make_gate("swap", {}, {1, 8})})
    CHECK(qstate::affine_move_gate(g, block));
  // A merged group of cx is affine; one with a ccx is not.
  const std::vector<GateOp> cx_run = {make_gate("cx", {}, {4, 5}), make_gate("cx", {}, {5, 7})};
  const std::vector<GateOp> ccx_run = {make_gate("cx", {}, {4, 5}),
                                       make_gate("ccx", {}, {4, 5, 7})};
  CHECK(qstate::affine_move_gate(qstate::merge_block_permutations(cx_run, block).at(0), block));
  CHECK_FALSE(
      qstate::affine_move_gate(qstate::merge_block_permutations(ccx_run, block).at(0), block));
  CHECK_FALSE(qstate::affine_move_gate(make_gate("ccx", {}, {0, 1, 2}), block));
  CHECK_FALSE(qstate::affine_move_gate(make_gate("cx", {}, {3, 4}), block));  // 3 is outside
  CHECK_FALSE(qstate::affine_move_gate(make_gate("cz", {}, {0, 1}), block));
  CHECK_FALSE(qstate::affine_move_gate(make_gate("y", {}, {0}), block));
  CHECK_FALSE(qstate::affine_move_gate(make_gate("h", {}, {0}), block));
}

TEMPLATE_TEST_CASE("affine moves move amplitudes as the gates do", "[blocked]", float, double) {
  using qstate::make_gate;
  const unsigned n = 12;
  qstate::test::SeededRandom rng(31);
  // Random x, cx (open or closed control) and swap on the block's positions; the block set
  // is the low positions (blocks in place) or scattered (gathered blocks of 8 or 64-amplitude
  // chunks); blocks of 2^10 amplitudes use the second table.
  for (const std::uint64_t block :
       {std::uint64_t{0xFF}, std::uint64_t{0x3B7}, std::uint64_t{0x3FF}, std::uint64_t{0xDBF}}) {
    CAPTURE(block);
    std::vector<unsigned> inside;
    for (unsigned p = 0; p < n; ++p)
      if ((block >> p) & 1U) inside.push_back(p);
    std::vector<GateOp> gates;
    for (int i = 0; i < 40; ++i) {
      const unsigned a = inside[rng.below(inside.size())];
      unsigned c = inside[rng.below(inside.size())];
      while (c == a) c = inside[rng.below(inside.size())];
      const std::uint64_t kind = rng.below(4);
      GateOp g = kind == 0   ? make_gate("x", {}, {a})
                 : kind == 3 ? make_gate("swap", {}, {a, c})
                             : make_gate("cx", {}, {c, a});
      if (kind == 2) g.open_controls = 1;
      gates.push_back(g);
    }
    const qstate::test::CVector start = qstate::test::random_state(n, 32);
    // Where each gate sends a basis index, from the gates' names (not their tables): a reference
    // for moves that needs no 2^n x 2^n operator.
    const auto flip = [](std::uint64_t x, unsigned p) { return x ^ (std::uint64_t{1} << p); };
    const auto bit_of = [](std::uint64_t x, unsigned p) { return (x >> p) & 1U; };
    std::vector<Cplx> ref(start.size());
    for (std::uint64_t x = 0; x < start.size(); ++x) {
      std::uint64_t y = x;
      for (const GateOp& g : gates) {
        if (g.name == "x") y = flip(y, g.targets[0]);
        if (g.name == "cx" && bit_of(y, g.controls[0]) == (g.open_controls == 0 ? 1U : 0U))
          y = flip(y, g.targets[0]);
        if (g.name == "swap" && bit_of(y, g.targets[0]) != bit_of(y, g.targets[1]))
          y = flip(flip(y, g.targets[0]), g.targets[1]);
      }
      ref[y] = start[static_cast<Eigen::Index>(x)];
    }
    const auto prepared = qstate::prepare_block_gates<TestType>(gates, block, 3);
    REQUIRE(prepared.size() == 1);
    CHECK(prepared[0].affine.size() == 1024);
    std::vector<std::complex<TestType>> amp(start.size());
    for (std::size_t i = 0; i < amp.size(); ++i)
      amp[i] = {static_cast<TestType>(start[static_cast<Eigen::Index>(i)].real()),
                static_cast<TestType>(start[static_cast<Eigen::Index>(i)].imag())};
    qstate::run_blocked(amp.data(), n, block, prepared);
    std::vector<std::complex<TestType>> want(start.size());
    for (std::size_t i = 0; i < want.size(); ++i)
      want[i] = {static_cast<TestType>(ref[i].real()), static_cast<TestType>(ref[i].imag())};
    CHECK(same_bits(amp, want));  // moves only: exactly the values
  }
}

TEST_CASE("prepare_block_gates makes long runs of moves affine moves, short ones merged",
          "[blocked]") {
  using qstate::make_gate;
  const std::uint64_t block = 0xFF;
  // cx(0, 1) .. cx(6, 7): three gates inside a vector and two merged groups: one affine move.
  // cx(3, 4) cx(4, 5): one merged group. A Hadamard ends a run.
  std::vector<GateOp> gates;
  for (unsigned q = 0; q + 1 < 8; ++q) gates.push_back(make_gate("cx", {}, {q, q + 1}));
  gates.push_back(make_gate("h", {}, {2}));
  gates.push_back(make_gate("cx", {}, {3, 4}));
  gates.push_back(make_gate("cx", {}, {4, 5}));
  const auto out = qstate::prepare_block_gates<double>(gates, block, 3);
  REQUIRE(out.size() == 3);
  CHECK(out[0].affine.size() == 1024);
  CHECK(out[1].kind == qstate::MatrixKind::kDense);
  CHECK(out[2].kind == qstate::MatrixKind::kPermutation);
  CHECK(out[2].affine.empty());
  CHECK(out[2].low.num_targets() == 3);
  // The tables of the chain: after it, index y holds what was at y ^ (y << 1) (bits 0-7).
  const std::vector<GateOp> chain(gates.begin(), gates.begin() + 7);
  const std::vector<std::uint32_t> t = qstate::affine_source_tables(chain, block);
  for (std::uint32_t y = 0; y < 256; ++y) CHECK(t[y] == ((y ^ (y << 1)) & 0xFFU));
}

TEST_CASE("plan_chunk_moves maps whole chunks for moves on high positions", "[blocked]") {
  using qstate::make_gate;
  // x moves every chunk; cx only those whose control bit is 1.
  const auto x = qstate::plan_chunk_moves({make_gate("x", {}, {9})}, 4);
  REQUIRE(x.has_value());
  CHECK(x->low == 9);
  CHECK(x->mask == 0x200);
  CHECK(x->source == std::vector<std::uint32_t>{1, 0});
  CHECK(x->moved == 2);
  const auto cx = qstate::plan_chunk_moves({make_gate("cx", {}, {8, 6})}, 4);
  REQUIRE(cx.has_value());
  CHECK(cx->low == 6);
  CHECK(cx->mask == 0x140);
  // Numbers: bit 0 = position 6 (target), bit 1 = position 8 (control).
  CHECK(cx->source == std::vector<std::uint32_t>{0, 1, 3, 2});
  CHECK(cx->moved == 2);
  // Phases, non-moves and positions below the chunk are refused.
  CHECK_FALSE(qstate::plan_chunk_moves({make_gate("y", {}, {9})}, 4).has_value());
  CHECK_FALSE(qstate::plan_chunk_moves({make_gate("cz", {}, {8, 9})}, 4).has_value());
  CHECK_FALSE(qstate::plan_chunk_moves({make_gate("h", {}, {9})}, 4).has_value());
  CHECK_FALSE(qstate::plan_chunk_moves({make_gate("cx", {}, {9, 3})}, 4).has_value());
  CHECK_FALSE(qstate::plan_chunk_moves({}, 4).has_value());
}

TEST_CASE("apply_chunk_moves moves chunks as the gates do", "[blocked]") {
  using qstate::make_gate;
  const unsigned n = 11;
  // A cx chain (long cycles), a ccx with an open control, a swap, an x and a merged move on
  // positions 4-10; position 7 is a spectator of the first group.
  GateOp ccx = make_gate("ccx", {}, {5, 10, 6});
  ccx.open_controls = 1;
  std::vector<GateOp> chain = {
      make_gate("cx", {}, {4, 5}), make_gate("cx", {}, {5, 6}),   ccx,
      make_gate("cx", {}, {6, 8}), make_gate("swap", {}, {9, 4}), make_gate("cx", {}, {8, 9}),
      make_gate("x", {}, {10}),    make_gate("cx", {}, {9, 10})};
  const std::vector<GateOp> merged = qstate::merge_block_permutations(chain, 0x7F0);
  REQUIRE(merged.size() < chain.size());
  const qstate::test::CVector start = qstate::test::random_state(n, 11);
  qstate::test::Reference ref(n, start);
  for (const GateOp& g : chain) ref.apply_op_matrix(g);
  const std::vector<GateOp>* const groups[] = {&chain, &merged};
  for (const std::vector<GateOp>* gates : groups) {
    const auto moves = qstate::plan_chunk_moves(*gates, 3);
    REQUIRE(moves.has_value());
    CHECK(moves->low == 4);
    for (unsigned piece : {0U, 2U, 4U, 8U}) {  // pieces of 1, 4 and 16 amplitudes
      CAPTURE(gates->size(), piece);
      std::vector<std::complex<double>> amp(start.data(), start.data() + start.size());
      qstate::apply_chunk_moves(amp.data(), n, *moves, piece);
      const qstate::test::CVector got = Eigen::Map<const qstate::test::CVector>(
          amp.data(), static_cast<Eigen::Index>(amp.size()));
      CHECK(got == ref.state());  // moves only: exactly the same values
    }
  }
}

TEMPLATE_TEST_CASE("a run of moves on high qubits moves chunks: same bits, fewer passes",
                   "[blocked]", float, double) {
  // GHZ on 12 qubits with blocks of 8: h and cx(0, 1) .. cx(6, 7) run in place, cx(7, 8) ..
  // cx(10, 11) move chunks of 2^7 amplitudes (at least a sixteenth of a block); the bits are
  // those of the unblocked run.
  const unsigned n = 12;
  const std::vector<Op> ops = ghz_ops(n);
  const qstate::test::CVector start = qstate::test::random_state(n, 5);
  CHECK(same_bits(run<TestType>(ops, n, 8, start), run<TestType>(ops, n, 0, start)));
  StateVector<TestType> sv(n);
  sv.set_block_qubits(8);
  sv.apply_run(ops.data(), ops.data() + ops.size());
  // One pass in place, then the chunks that move: all but the two the chain leaves in place
  // (positions 7-10 all 0).
  CHECK(sv.work().passes == Approx(1.0 + 30.0 / 32.0));
}
