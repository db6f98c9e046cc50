// SIMD kernels against the plain kernels of gate_kernels.hpp: for every kind, width, target and
// control placement on a 7-qubit state (so targets inside a vector, at its edge and above it all
// occur), the entry points (vector code where it applies) must give exactly the plain kernel's
// bits, in both precisions and whichever SIMD target runs (ctest runs the suite under each
// QSTATE_SIMD value in scripts/test.sh). Also checks that the vector code is in fact used.
#include <algorithm>
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
