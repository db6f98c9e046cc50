// SIMD kernels against the plain kernels of gate_kernels.hpp: for every kind, width, target and
// control placement on a 7-qubit state (so targets inside a vector, at its edge and above it all
// occur), the entry points (vector code where it applies) must give exactly the plain kernel's
// bits, in both precisions and whichever SIMD target runs (ctest runs the suite under each
// QSTATE_SIMD value in scripts/test.sh). Also checks that the vector code is in fact used.
#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <complex>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "simulator/kernels/gate_kernels.hpp"
#include "simulator/kernels/simd_kernels.hpp"
#include "simulator/simd.hpp"
#include "tests/support/reference.hpp"

namespace {

using qstate::kernels::Placement;

constexpr unsigned kQubits = 7;

template <class Real>
std::vector<std::complex<Real>> random_state(std::mt19937_64& rng) {
  std::normal_distribution<double> g;
  std::vector<std::complex<Real>> v(std::size_t{1} << kQubits);
  for (auto& a : v) a = {static_cast<Real>(g(rng)), static_cast<Real>(g(rng))};
  return v;
}

template <class Real>
std::vector<std::complex<Real>> random_entries(std::mt19937_64& rng, std::size_t n) {
  std::normal_distribution<double> g;
  std::vector<std::complex<Real>> v(n);
  for (auto& a : v) a = {static_cast<Real>(g(rng)), static_cast<Real>(g(rng))};
  return v;
}

template <class Real>
bool same_bits(const std::vector<std::complex<Real>>& a, const std::vector<std::complex<Real>>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(a[0])) == 0;
}

struct Shape {
  std::vector<unsigned> targets;
  std::vector<unsigned> controls;
  std::uint64_t values;
};

// Every choice of `k` distinct targets (ordered) and up to two controls, sampled.
std::vector<Shape> shapes(unsigned k, std::mt19937_64& rng, int count) {
  std::vector<Shape> out;
  for (int i = 0; i < count; ++i) {
    std::vector<unsigned> pos(kQubits);
    std::iota(pos.begin(), pos.end(), 0U);
    std::shuffle(pos.begin(), pos.end(), rng);
    const unsigned c = static_cast<unsigned>(rng() % 3);
    Shape s;
    s.targets.assign(pos.begin(), pos.begin() + k);
    s.controls.assign(pos.begin() + k, pos.begin() + k + c);
    s.values = rng() & 3U;
    out.push_back(s);
  }
  // Each single position as the target, without controls (the in-vector cases).
  if (k == 1)
    for (unsigned t = 0; t < kQubits; ++t) out.push_back({{t}, {}, 0});
  if (k == 2)
    for (unsigned t = 0; t < kQubits; ++t)
      for (unsigned u = 0; u < kQubits; ++u)
        if (t != u) out.push_back({{t, u}, {}, 0});
  return out;
}

// Runs `vector` and `plain` on the same state over the groups in two halves (as two threads
// would) and in one range; all must agree bit for bit.
template <class Real, class F, class G>
void check_same(std::mt19937_64& rng, const Placement& pl, F&& vector, G&& plain) {
  const auto start = random_state<Real>(rng);
  const std::uint64_t groups = pl.num_groups(kQubits);
  auto want = start;
  plain(want.data(), std::uint64_t{0}, groups);
  auto got = start;
  vector(got.data(), std::uint64_t{0}, groups);
  CHECK(same_bits(got, want));
  auto halves = start;
  vector(halves.data(), std::uint64_t{0}, groups / 2);
  vector(halves.data(), groups / 2, groups);
  CHECK(same_bits(halves, want));
}

template <class Real>
void check_all_kernels() {
  using C = std::complex<Real>;
  std::mt19937_64 rng(7);
  for (unsigned k = 1; k <= 4; ++k) {
    for (const Shape& s : shapes(k, rng, 40)) {
      INFO("targets " << k << ", first " << s.targets[0] << ", controls " << s.controls.size());
      const Placement pl(s.targets, s.controls, s.values);
      const std::size_t dim = std::size_t{1} << k;
      const auto m = random_entries<Real>(rng, dim * dim);
      check_same<Real>(
          rng, pl,
          [&](C* a, std::uint64_t b, std::uint64_t e) {
            qstate::kernels::dense(a, pl, m.data(), b, e);
          },
          [&](C* a, std::uint64_t b, std::uint64_t e) {
            qstate::kernels::apply_dense(a, pl, m.data(), b, e);
          });
      const auto d = random_entries<Real>(rng, dim);
      check_same<Real>(
          rng, pl,
          [&](C* a, std::uint64_t b, std::uint64_t e) {
            qstate::kernels::diagonal(a, pl, d.data(), b, e);
          },
          [&](C* a, std::uint64_t b, std::uint64_t e) {
            qstate::kernels::apply_diagonal(a, pl, d.data(), b, e);
          });
      std::vector<std::uint32_t> perm(dim);
      std::iota(perm.begin(), perm.end(), 0U);
      std::shuffle(perm.begin(), perm.end(), rng);
      if (k == 1) perm = {1, 0};
      if (k == 2 && (rng() & 1U)) perm = {0, 2, 1, 3};  // SWAP
      const std::vector<C> ones(dim, C(1, 0));
      check_same<Real>(
          rng, pl,
          [&](C* a, std::uint64_t b, std::uint64_t e) {
            qstate::kernels::permutation(a, pl, perm.data(), ones.data(), true, b, e);
          },
          [&](C* a, std::uint64_t b, std::uint64_t e) {
            qstate::kernels::apply_permutation(a, pl, perm.data(), ones.data(), true, b, e);
          });
    }
  }
}

}  // namespace

TEST_CASE("simd kernels: the same bits as the plain kernels at every placement, double", "[simd]") {
  qstate::select_simd_target();
  INFO("SIMD target " << qstate::simd_target_name());
  check_all_kernels<double>();
}

TEST_CASE("simd kernels: the same bits as the plain kernels at every placement, float", "[simd]") {
  qstate::select_simd_target();
  INFO("SIMD target " << qstate::simd_target_name());
  check_all_kernels<float>();
}

namespace {

constexpr unsigned kWide = 9;  // room for 6 targets above a vector of 8 floats, plus controls

// A 9-qubit state with exact +0 and -0 in some real and imaginary parts, so that zero signs (the
// part of the canonical arithmetic easiest to get wrong) are exercised.
template <class Real>
std::vector<std::complex<Real>> signed_zero_state(std::mt19937_64& rng) {
  std::normal_distribution<double> g;
  std::vector<std::complex<Real>> v(std::size_t{1} << kWide);
  for (auto& a : v) {
    Real re = static_cast<Real>(g(rng)), im = static_cast<Real>(g(rng));
    const auto pick = rng() % 8;
    if (pick == 0) re = Real(0);
    if (pick == 1) re = -Real(0);
    if (pick == 2) im = Real(0);
    if (pick == 3) im = -Real(0);
    if (pick == 4) re = im = -Real(0);
    a = {re, im};
  }
  return v;
}

// Matrices: 0 complex, 1 real, 2 with exact zero (+0 and -0) entries and parts.
template <class Real>
std::vector<std::complex<Real>> matrix(std::mt19937_64& rng, std::size_t n, int flavour) {
  std::normal_distribution<double> g;
  std::vector<std::complex<Real>> v(n);
  for (auto& a : v) {
    Real re = static_cast<Real>(g(rng)), im = static_cast<Real>(g(rng));
    if (flavour == 1) im = Real(0);
    if (flavour == 2) {
      const auto pick = rng() % 6;
      if (pick == 0) re = im = Real(0);
      if (pick == 1) re = -Real(0);
      if (pick == 2) im = -Real(0);
      if (pick == 3) im = Real(0);
    }
    a = {re, im};
  }
  return v;
}

// Placements on 9 qubits: random targets and up to two controls, plus all targets contiguous
// from each start position (every case of inside / at the edge of / above a vector).
std::vector<Shape> wide_shapes(unsigned k, std::mt19937_64& rng, int count) {
  std::vector<Shape> out;
  for (int i = 0; i < count; ++i) {
    std::vector<unsigned> pos(kWide);
    std::iota(pos.begin(), pos.end(), 0U);
    std::shuffle(pos.begin(), pos.end(), rng);
    const unsigned c = std::min<unsigned>(static_cast<unsigned>(rng() % 3), kWide - k);
    Shape s;
    s.targets.assign(pos.begin(), pos.begin() + k);
    s.controls.assign(pos.begin() + k, pos.begin() + k + c);
    s.values = rng() & 3U;
    out.push_back(s);
  }
  for (unsigned start = 0; start + k <= kWide; ++start) {
    Shape s;
    for (unsigned j = 0; j < k; ++j) s.targets.push_back(start + j);
    out.push_back(s);
  }
  return out;
}

// The independent dense reference (tests/support, full 2^9 x 2^9 operator in double).
template <class Real>
std::vector<std::complex<double>> reference_apply(const Shape& s,
                                                  const std::vector<std::complex<Real>>& m,
                                                  const std::vector<std::complex<Real>>& state) {
  const std::size_t dim = std::size_t{1} << s.targets.size();
  qstate::test::CMatrix u(dim, dim);
  for (std::size_t r = 0; r < dim; ++r)
    for (std::size_t c = 0; c < dim; ++c) u(r, c) = std::complex<double>(m[r * dim + c]);
  const std::vector<qstate::Qubit> controls(s.controls.begin(), s.controls.end());
  const std::vector<qstate::Qubit> targets(s.targets.begin(), s.targets.end());
  const qstate::test::CMatrix op = qstate::test::controlled(u, controls, s.values, targets, kWide);
  qstate::test::CVector v(state.size());
  for (std::size_t i = 0; i < state.size(); ++i) v(i) = std::complex<double>(state[i]);
  const qstate::test::CVector out = op * v;
  return {out.data(), out.data() + out.size()};
}

template <class Real>
void check_wide_dense() {
  std::mt19937_64 rng(11);
  const double tol = sizeof(Real) == 8 ? 1e-12 : 2e-5;
  for (unsigned k = 1; k <= 6; ++k) {
    const auto all = wide_shapes(k, rng, 12);
    for (std::size_t si = 0; si < all.size(); ++si) {
      const Shape& s = all[si];
      const Placement pl(s.targets, s.controls, s.values);
      const std::size_t dim = std::size_t{1} << k;
      const std::uint64_t groups = pl.num_groups(kWide);
      for (int flavour = 0; flavour < 3; ++flavour) {
        INFO("targets " << k << ", first at " << s.targets[0] << ", controls " << s.controls.size()
                        << ", matrix flavour " << flavour);
        const auto m = matrix<Real>(rng, dim * dim, flavour);
        const auto start = signed_zero_state<Real>(rng);
        auto want = start;
        qstate::kernels::apply_dense(want.data(), pl, m.data(), 0, groups);
        auto got = start;
        qstate::kernels::dense(got.data(), pl, m.data(), 0, groups);
        CHECK(same_bits(got, want));
        auto parts = start;  // three uneven ranges, as threads and blocks split the groups
        const std::uint64_t a = groups / 4, b = groups / 2 + groups / 8;
        qstate::kernels::dense(parts.data(), pl, m.data(), 0, a);
        qstate::kernels::dense(parts.data(), pl, m.data(), a, b);
        qstate::kernels::dense(parts.data(), pl, m.data(), b, groups);
        CHECK(same_bits(parts, want));
        // The full-operator reference is slow: random placements (controls too) and the
        // contiguous ones starting inside, at and above a vector, one matrix each.
        const bool contiguous = si >= 12;
        if (flavour != static_cast<int>(si % 3) || (!contiguous && si >= 3) ||
            (contiguous && s.targets[0] > 4))
          continue;
        const auto ref = reference_apply<Real>(s, m, start);
        double err = 0, scale = 0;
        for (std::size_t i = 0; i < ref.size(); ++i) {
          err = std::max(err, std::abs(std::complex<double>(got[i]) - ref[i]));
          scale = std::max(scale, std::abs(ref[i]));
        }
        CHECK(err <= tol * std::max(1.0, scale) * static_cast<double>(dim));
      }
    }
  }
}

template <class Real>
void check_wide_diagonal_permutation() {
  std::mt19937_64 rng(13);
  for (unsigned k = 0; k <= 8; ++k) {
    for (const Shape& s : wide_shapes(k, rng, 8)) {
      const Placement pl(s.targets, s.controls, s.values);
      const std::size_t dim = std::size_t{1} << k;
      const std::uint64_t groups = pl.num_groups(kWide);
      INFO("targets " << k << ", controls " << s.controls.size());
      const auto dg = matrix<Real>(rng, dim, 2);
      const auto start = signed_zero_state<Real>(rng);
      auto want = start;
      qstate::kernels::apply_diagonal(want.data(), pl, dg.data(), 0, groups);
      auto got = start;
      qstate::kernels::diagonal(got.data(), pl, dg.data(), 0, groups);
      CHECK(same_bits(got, want));
      if (k == 0 || k > 4) continue;
      std::vector<std::uint32_t> perm(dim);
      std::iota(perm.begin(), perm.end(), 0U);
      std::shuffle(perm.begin(), perm.end(), rng);
      const auto phase = matrix<Real>(rng, dim, 2);
      for (bool unit : {true, false}) {
        auto pw = start;
        qstate::kernels::apply_permutation(pw.data(), pl, perm.data(), phase.data(), unit, 0,
                                           groups);
        auto pg = start;
        qstate::kernels::permutation(pg.data(), pl, perm.data(), phase.data(), unit, 0, groups);
        CHECK(same_bits(pg, pw));
      }
    }
  }
}

}  // namespace

TEST_CASE("simd kernels: dense 1-6 targets on 9 qubits with signed zeros, every placement",
          "[simd]") {
  qstate::select_simd_target();
  INFO("SIMD target " << qstate::simd_target_name());
  check_wide_dense<double>();
  check_wide_dense<float>();
}

TEST_CASE("simd kernels: diagonals 0-8 targets and permutations with phases on 9 qubits",
          "[simd]") {
  qstate::select_simd_target();
  INFO("SIMD target " << qstate::simd_target_name());
  check_wide_diagonal_permutation<double>();
  check_wide_diagonal_permutation<float>();
}

TEST_CASE("simd kernels: vector code runs where it applies", "[simd]") {
  qstate::select_simd_target();
  std::vector<std::complex<double>> a(std::size_t{1} << kQubits, {1.0, 0.0});
  const std::vector<std::complex<double>> h(4, {0.5, 0.0});
  const std::vector<unsigned> high{5};
  const std::vector<unsigned> low{0};
  const Placement at_high(high, {}, 0);
  const Placement at_low(low, {}, 0);
  const std::uint64_t groups = at_high.num_groups(kQubits);
  const std::string target = qstate::simd_target_name();
  const bool vector =
      target == "AVX2" || target == "AVX3" || target == "AVX3_DL" || target == "AVX3_ZEN4";
  INFO("SIMD target " << qstate::simd_target_name());
  CHECK(qstate::kernels::simd_dense_applies(a.data(), at_high, h.data(), 0, groups) == vector);
  CHECK(qstate::kernels::simd_dense_applies(a.data(), at_low, h.data(), 0, groups) == vector);
}

namespace {

// A bit-indexed diagonal (entry index = the amplitude index's bits at `mask`, lowest first) is
// the placement diagonal whose targets are the mask's positions in ascending order.
std::vector<unsigned> mask_positions(std::uint64_t mask) {
  std::vector<unsigned> out;
  for (unsigned p = 0; p < kWide; ++p)
    if ((mask >> p) & 1U) out.push_back(p);
  return out;
}

// Masks on 9 qubits: none, each lane pattern with and without high bits, and random ones of up
// to 8 positions.
std::vector<std::uint64_t> diagonal_masks(std::mt19937_64& rng) {
  std::vector<std::uint64_t> out = {0, 1, 2, 3, 7, 0x1F0, 0x1FF, 0x101, 0x0F8, 0x080, 0x104};
  for (int i = 0; i < 40; ++i) {
    std::uint64_t m = rng() & 0x1FF;
    if (std::popcount(m) > 8) m &= m - 1;
    out.push_back(m);
  }
  return out;
}

// Up to k distinct random targets on kWide positions in random order; with whole_vectors all at or
// above lane_bits (the widest vector's).
std::vector<unsigned> dense_targets(std::mt19937_64& rng, unsigned k, bool whole_vectors,
                                    unsigned lane_bits) {
  std::vector<unsigned> all(kWide);
  std::iota(all.begin(), all.end(), 0U);
  std::shuffle(all.begin(), all.end(), rng);
  std::vector<unsigned> targets(all.begin(), all.begin() + k);
  if (whole_vectors)
    for (unsigned& t : targets) t = lane_bits + (t % (kWide - lane_bits));
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  std::shuffle(targets.begin(), targets.end(), rng);
  return targets;
}

template <class Real>
void check_indexed_diagonal() {
  std::mt19937_64 rng(31);
  const std::uint64_t size = std::uint64_t{1} << kWide;
  for (std::uint64_t mask : diagonal_masks(rng)) {
    INFO("mask " << mask);
    const std::vector<unsigned> pos = mask_positions(mask);
    const Placement pl(pos, {}, 0);
    const auto d = matrix<Real>(rng, std::size_t{1} << pos.size(), static_cast<int>(rng() % 3));
    const auto start = signed_zero_state<Real>(rng);
    auto want = start;
    qstate::kernels::apply_diagonal(want.data(), pl, d.data(), 0, pl.num_groups(kWide));
    auto got = start;
    qstate::kernels::diagonal_indexed(got.data(), d.data(), mask, 0, size);
    CHECK(same_bits(got, want));
    auto parts = start;  // split where a thread's range would end, vector aligned or not
    qstate::kernels::diagonal_indexed(parts.data(), d.data(), mask, 0, 64);
    qstate::kernels::diagonal_indexed(parts.data(), d.data(), mask, 64, 67);
    qstate::kernels::diagonal_indexed(parts.data(), d.data(), mask, 67, size);
    CHECK(same_bits(parts, want));
  }
}

// dense_after_diagonal against the plain diagonal, then the plain dense kernel: the same bits
// where it runs, the state untouched where it declines, and it runs on every case it covers.
template <class Real>
void check_dense_after_diagonal(bool vector) {
  std::mt19937_64 rng(37);
  const unsigned lane_bits = sizeof(Real) == 8 ? 2 : 3;  // AVX-512; AVX2 has one fewer
  int ran = 0;
  for (unsigned k = 1; k <= 6; ++k)
    for (int i = 0; i < 30; ++i) {
      const std::vector<unsigned> targets = dense_targets(rng, k, i % 2 == 0, lane_bits);
      const Placement pl(targets, {}, 0);
      const std::size_t dim = std::size_t{1} << targets.size();
      const auto m = matrix<Real>(rng, dim * dim, static_cast<int>(rng() % 3));
      const auto masks = diagonal_masks(rng);
      const std::uint64_t mask = masks[static_cast<std::size_t>(i) % masks.size()];
      const std::vector<unsigned> pos = mask_positions(mask);
      const Placement dpl(pos, {}, 0);
      const auto d = matrix<Real>(rng, std::size_t{1} << pos.size(), static_cast<int>(rng() % 3));
      const auto start = signed_zero_state<Real>(rng);
      INFO("targets " << targets.size() << ", first " << targets[0] << ", mask " << mask);
      auto want = start;
      qstate::kernels::apply_diagonal(want.data(), dpl, d.data(), 0, dpl.num_groups(kWide));
      qstate::kernels::apply_dense(want.data(), pl, m.data(), 0, pl.num_groups(kWide));
      auto got = start;
      const bool done = qstate::kernels::dense_after_diagonal(got.data(), pl, m.data(), d.data(),
                                                              mask, 0, pl.num_groups(kWide));
      if (done) {
        ++ran;
        CHECK(same_bits(got, want));
      } else {
        CHECK(same_bits(got, start));
      }
      unsigned lowest = kWide;
      for (unsigned t : targets) lowest = std::min(lowest, t);
      const std::uint64_t lanes = mask & ((std::uint64_t{1} << lane_bits) - 1);
      const bool covered = lowest >= lane_bits && targets.size() <= 6 &&
                           (lanes == 0 || lanes == (std::uint64_t{1} << lane_bits) - 1);
      if (vector && covered) CHECK(done);  // then covered for AVX2 and AVX-512 alike
    }
  if (vector) CHECK(ran > 20);
}

// A random chain of 1 to 6 diagonals on kWide positions: masks of diagonal_masks, up to two
// controls off the mask (open or closed, inside a vector or above it), tables with signed
// zeros, padded as the chain kernels require.
template <class Real>
struct RandomChain {
  std::vector<std::vector<std::complex<Real>>> tables;
  std::vector<qstate::kernels::ChainDiagonal<Real>> links;
  std::vector<Placement> placements;  // the same diagonals for the plain kernel
};

template <class Real>
RandomChain<Real> random_chain(std::mt19937_64& rng) {
  RandomChain<Real> c;
  const auto masks = diagonal_masks(rng);
  const std::size_t count = 1 + rng() % 6;
  c.tables.reserve(count);
  for (std::size_t k = 0; k < count; ++k) {
    const std::uint64_t mask = masks[rng() % masks.size()];
    std::vector<unsigned> controls;
    std::uint64_t control_mask = 0;
    std::uint64_t control_value = 0;
    std::uint64_t values = 0;
    const std::size_t wanted = rng() % 3;
    for (std::size_t tries = 0; tries < 20 && controls.size() < wanted; ++tries) {
      const unsigned p = static_cast<unsigned>(rng() % kWide);
      const std::uint64_t b = std::uint64_t{1} << p;
      if ((mask | control_mask) & b) continue;
      const bool one = rng() % 2 == 0;
      if (one) {
        control_value |= b;
        values |= std::uint64_t{1} << controls.size();
      }
      control_mask |= b;
      controls.push_back(p);
    }
    const std::vector<unsigned> targets = mask_positions(mask);
    auto table = matrix<Real>(rng, std::size_t{1} << targets.size(), static_cast<int>(rng() % 3));
    table.resize(table.size() + qstate::kernels::kChainTablePadding);
    c.tables.push_back(std::move(table));
    c.links.push_back({c.tables.back().data(), mask, control_mask, control_value});
    c.placements.emplace_back(targets, controls, values);
  }
  return c;
}

// diagonal_chain against one plain diagonal kernel per link, and dense_then_diagonals against
// the plain dense kernel and then those: the same bits (signed zeros included), over whole
// arrays and split ranges, and the dense fold runs on every case it covers.
template <class Real>
void check_diagonal_chains(bool vector) {
  std::mt19937_64 rng(41);
  const std::uint64_t size = std::uint64_t{1} << kWide;
  const unsigned lane_bits = sizeof(Real) == 8 ? 2 : 3;  // AVX-512; AVX2 has one fewer
  int folded = 0;
  for (int round = 0; round < 120; ++round) {
    const RandomChain<Real> c = random_chain<Real>(rng);
    const auto start = signed_zero_state<Real>(rng);
    INFO("round " << round << ", " << c.links.size() << " links, first mask " << c.links[0].mask
                  << ", controls " << c.links[0].control_mask);
    auto want = start;
    for (std::size_t k = 0; k < c.links.size(); ++k)
      qstate::kernels::apply_diagonal(want.data(), c.placements[k], c.tables[k].data(), 0,
                                      c.placements[k].num_groups(kWide));
    auto got = start;
    qstate::kernels::diagonal_chain(got.data(), c.links.data(), c.links.size(), 0, size);
    CHECK(same_bits(got, want));
    auto parts = start;  // split where a thread's range would end, vector aligned or not
    qstate::kernels::diagonal_chain(parts.data(), c.links.data(), c.links.size(), 0, 64);
    qstate::kernels::diagonal_chain(parts.data(), c.links.data(), c.links.size(), 64, 67);
    qstate::kernels::diagonal_chain(parts.data(), c.links.data(), c.links.size(), 67, size);
    CHECK(same_bits(parts, want));
    // Vector-aligned ranges that are not whole tiles of vectors (the kernel's remainder path).
    auto tiles = start;
    qstate::kernels::diagonal_chain(tiles.data(), c.links.data(), c.links.size(), 0, 72);
    qstate::kernels::diagonal_chain(tiles.data(), c.links.data(), c.links.size(), 72, size);
    CHECK(same_bits(tiles, want));

    // A dense gate first, folded.
    const unsigned k = 1 + static_cast<unsigned>(rng() % 6);
    const std::vector<unsigned> targets = dense_targets(rng, k, round % 3 != 0, lane_bits);
    const Placement pl(targets, {}, 0);
    const std::size_t dim = std::size_t{1} << targets.size();
    const auto m = matrix<Real>(rng, dim * dim, static_cast<int>(rng() % 3));
    auto want_dense = start;
    qstate::kernels::apply_dense(want_dense.data(), pl, m.data(), 0, pl.num_groups(kWide));
    for (std::size_t j = 0; j < c.links.size(); ++j)
      qstate::kernels::apply_diagonal(want_dense.data(), c.placements[j], c.tables[j].data(), 0,
                                      c.placements[j].num_groups(kWide));
    auto got_dense = start;
    const bool done = qstate::kernels::dense_then_diagonals(
        got_dense.data(), pl, m.data(), c.links.data(), c.links.size(), 0, pl.num_groups(kWide));
    CHECK(same_bits(got_dense, done ? want_dense : start));
    unsigned lowest = kWide;
    for (unsigned t : targets) lowest = std::min(lowest, t);
    if (vector && lowest >= lane_bits && targets.size() <= 6) CHECK(done);
    if (done) ++folded;
  }
  if (vector) CHECK(folded > 40);
}

}  // namespace

TEST_CASE("simd kernels: bit-indexed diagonals, and a diagonal fused into a dense gate's loads",
          "[simd]") {
  qstate::select_simd_target();
  const std::string target = qstate::simd_target_name();
  const bool vector =
      target == "AVX2" || target == "AVX3" || target == "AVX3_DL" || target == "AVX3_ZEN4";
  INFO("SIMD target " << target);
  check_indexed_diagonal<double>();
  check_indexed_diagonal<float>();
  check_dense_after_diagonal<double>(vector);
  check_dense_after_diagonal<float>(vector);
}

TEST_CASE("simd kernels: chains of controlled diagonals, alone and after a dense gate", "[simd]") {
  qstate::select_simd_target();
  const std::string target = qstate::simd_target_name();
  const bool vector =
      target == "AVX2" || target == "AVX3" || target == "AVX3_DL" || target == "AVX3_ZEN4";
  INFO("SIMD target " << target);
  check_diagonal_chains<double>(vector);
  check_diagonal_chains<float>(vector);
}
