// StateVector<Real> on known analytic states: Bell and GHZ states, qubit weights, collapse and
// reset, expectation values (against the dense reference), probabilities, clone/assign, and
// sampling: exact outcomes for chosen draws at the cumulative-weight boundaries, agreement shot by
// shot with a brute-force walk of the documented rule, and a chi-square check of the distribution
// (fixed seeds: deterministic, never flaky). Also a global-phase gate under 3 threads.
#include <catch2/catch.hpp>
#include <cmath>
#include <numbers>
#include <random>

#include "circuits/error.hpp"
#include "circuits/gates.hpp"
#include "simulator/parallel.hpp"
#include "simulator/sampling.hpp"
#include "simulator/state_vector.hpp"
#include "tests/support/engine_io.hpp"
#include "tests/support/finishes.hpp"
#include "tests/support/reference.hpp"

using qstate::ExactSum;
using qstate::GateMatrix;
using qstate::GateOp;
using qstate::make_gate;
using qstate::StateVector;
using qstate::test::Cplx;

namespace {

const double kR2 = 1 / std::sqrt(2.0);

template <class Real>
void ghz(StateVector<Real>& sv) {
  sv.apply(make_gate("h", {}, {0}));
  for (qstate::Qubit q = 1; q < sv.num_qubits(); ++q) sv.apply(make_gate("cx", {}, {q - 1, q}));
}

qstate::kernels::PauliMasks masks_of(const std::string& label) {
  qstate::kernels::PauliMasks m;
  const std::size_t n = label.size();
  for (std::size_t k = 0; k < n; ++k) {
    const char c = label[n - 1 - k];
    if (c == 'X' || c == 'Y') m.x_mask |= std::uint64_t{1} << k;
    if (c == 'Z' || c == 'Y') m.z_mask |= std::uint64_t{1} << k;
    if (c == 'Y') ++m.num_y;
  }
  return m;
}

// The documented sampling rule, walked naively: the first index whose inclusive cumulative
// (quantized) weight exceeds floor(total * d / 2^53).
template <class Real>
std::uint64_t brute_force_sample(const StateVector<Real>& sv, std::uint64_t draw) {
  ExactSum::Raw total = 0;
  for (std::uint64_t i = 0; i < sv.size(); ++i)
    total += ExactSum::quantize(qstate::kernels::norm2(sv.data()[i]));
  // floor(total * d / 2^53) with 128-bit arithmetic split to avoid overflow.
  const ExactSum::Raw high = total >> 53;
  const ExactSum::Raw low = total & ((ExactSum::Raw{1} << 53) - 1);
  const ExactSum::Raw d = draw;
  const ExactSum::Raw target = high * d + ((low * d) >> 53);
  ExactSum::Raw running = 0;
  for (std::uint64_t i = 0; i < sv.size(); ++i) {
    running += ExactSum::quantize(qstate::kernels::norm2(sv.data()[i]));
    if (running > target) return i;
  }
  return ~std::uint64_t{0};
}

}  // namespace

TEMPLATE_TEST_CASE("StateVector prepares Bell and GHZ states", "[simulator][state_vector]", float,
                   double) {
  const double tol = sizeof(TestType) == 4 ? 1e-6 : 1e-15;
  SECTION("new state is |0...0>") {
    StateVector<TestType> sv(3);
    const auto a = sv.amplitudes();
    REQUIRE(a.size() == 8);
    CHECK(a[0] == Cplx(1, 0));
    for (std::size_t i = 1; i < 8; ++i) CHECK(a[i] == Cplx(0, 0));
    CHECK(sv.memory_bytes() == 8 * 2 * sizeof(TestType));
  }
  SECTION("Bell state") {
    StateVector<TestType> sv(2);
    ghz(sv);
    const auto a = sv.amplitudes();
    CHECK(std::abs(a[0] - kR2) < tol);
    CHECK(std::abs(a[1]) == 0.0);
    CHECK(std::abs(a[2]) == 0.0);
    CHECK(std::abs(a[3] - kR2) < tol);
  }
  SECTION("GHZ on 6 qubits, probabilities and weights") {
    StateVector<TestType> sv(6);
    ghz(sv);
    const auto p = sv.probabilities();
    for (std::size_t i = 0; i < p.size(); ++i)
      CHECK(p[i] == Approx(i == 0 || i == 63 ? 0.5 : 0.0).margin(tol));
    for (qstate::Qubit q = 0; q < 6; ++q) {
      const auto w = sv.qubit_weights(q);
      CHECK(w[0].value() == Approx(0.5).margin(tol));
      CHECK(w[1].value() == Approx(0.5).margin(tol));
      // The two halves of one state are the same numbers: exactly equal sums.
      CHECK(w[0].raw() == w[1].raw());
    }
    // <ZZZZZZ> = 1, <XXXXXX> = 1, <ZIIIII> = 0, <YYXXXX> = -1 for GHZ.
    CHECK(sv.expectation(masks_of("ZZZZZZ")) == Approx(1).margin(tol));
    CHECK(sv.expectation(masks_of("XXXXXX")) == Approx(1).margin(tol));
    CHECK(sv.expectation(masks_of("ZIIIII")) == Approx(0).margin(tol));
    CHECK(sv.expectation(masks_of("YYXXXX")) == Approx(-1).margin(tol));
  }
  SECTION("set_zero_state, clone and assign") {
    StateVector<TestType> sv(4);
    ghz(sv);
    auto copy = sv.clone();
    sv.set_zero_state();
    CHECK(sv.amplitudes()[0] == Cplx(1, 0));
    CHECK(std::abs(copy->amplitudes()[15] - kR2) < tol);
    sv.assign(*copy);
    CHECK(sv.amplitudes() == copy->amplitudes());
  }
}

TEMPLATE_TEST_CASE("StateVector collapse and reset", "[simulator][state_vector]", float, double) {
  const double tol = sizeof(TestType) == 4 ? 1e-6 : 1e-15;
  SECTION("measuring one qubit of a Bell pair collapses both") {
    StateVector<TestType> sv(2);
    ghz(sv);
    sv.collapse(0, true, std::sqrt(2.0), false);
    const auto a = sv.amplitudes();
    CHECK(std::abs(a[3] - 1.0) < 2 * tol);
    CHECK(std::abs(a[0]) == 0.0);
    CHECK(std::abs(a[1]) == 0.0);
    CHECK(std::abs(a[2]) == 0.0);
  }
  SECTION("outcome 0 keeps the zero half") {
    StateVector<TestType> sv(2);
    ghz(sv);
    sv.collapse(1, false, std::sqrt(2.0), false);
    const auto a = sv.amplitudes();
    CHECK(std::abs(a[0] - 1.0) < 2 * tol);
    CHECK(std::abs(a[3]) == 0.0);
  }
  SECTION("reset after outcome 1 moves the kept half to |0> on that qubit") {
    // |psi> = (|01> + |11>)/sqrt(2) on (q1 q0); reset q0 with outcome 1 -> (|00> + |10>)/sqrt(2).
    StateVector<TestType> sv(2);
    sv.apply(make_gate("x", {}, {0}));
    sv.apply(make_gate("h", {}, {1}));
    sv.collapse(0, true, 1.0, true);
    const auto a = sv.amplitudes();
    CHECK(std::abs(a[0] - kR2) < tol);
    CHECK(std::abs(a[2] - kR2) < tol);
    CHECK(std::abs(a[1]) == 0.0);
    CHECK(std::abs(a[3]) == 0.0);
  }
  SECTION("collapse of a random state matches the reference projection") {
    const auto psi = qstate::test::random_state(5, 17);
    for (qstate::Qubit q = 0; q < 5; ++q) {
      for (bool outcome : {false, true}) {
        StateVector<TestType> sv(5);
        qstate::test::load_state(sv, psi);
        const auto w = sv.qubit_weights(q);
        qstate::test::Reference ref(5, psi);
        CHECK(w[1].value() == Approx(ref.probability_one(q)).margin(10 * tol));
        sv.collapse(q, outcome, 1.0 / std::sqrt(w[outcome ? 1 : 0].value()), false);
        ref.collapse(q, outcome);
        CHECK(qstate::test::max_abs_diff(sv.amplitudes(), ref.amplitudes()) < 10 * tol);
      }
    }
  }
}

TEST_CASE("StateVector expectation values match the dense reference", "[simulator][state_vector]") {
  const unsigned n = 5;
  const auto psi = qstate::test::random_state(n, 99);
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 60; ++trial) {
    std::string label;
    for (unsigned k = 0; k < n; ++k) label.push_back("IXYZ"[rng() % 4]);
    StateVector<double> sv(n);
    qstate::test::load_state(sv, psi);
    StateVector<float> sf(n);
    qstate::test::load_state(sf, psi);
    const qstate::test::Reference ref(n, psi);
    INFO(label);
    if (label == std::string(n, 'I')) continue;  // the executor handles the identity term itself
    CHECK(sv.expectation(masks_of(label)) == Approx(ref.expectation(label)).margin(1e-12));
    CHECK(sf.expectation(masks_of(label)) == Approx(ref.expectation(label)).margin(1e-5));
  }
}

TEST_CASE("StateVector sampling follows the cumulative-weight rule exactly",
          "[simulator][sampling]") {
  SECTION("boundaries of a uniform 2-qubit state") {
    // Amplitudes 1/2 each: weights exactly 1/4, total exactly 1.
    StateVector<double> sv(2);
    sv.apply(make_gate("h", {}, {0}));
    sv.apply(make_gate("h", {}, {1}));
    const std::uint64_t quarter = std::uint64_t{1} << 51;
    const std::vector<std::uint64_t> draws = {
        0, quarter - 1, quarter, 2 * quarter - 1, 2 * quarter, 3 * quarter, 4 * quarter - 1};
    const auto got = sv.sample(draws);
    CHECK(got == std::vector<std::uint64_t>{0, 0, 1, 1, 2, 3, 3});
  }
  SECTION("zero-weight indices are never drawn") {
    // |psi> = (|0> + |3>)/sqrt(2): indices 1 and 2 have weight 0.
    StateVector<double> sv(2);
    ghz(sv);
    std::vector<std::uint64_t> draws;
    for (std::uint64_t d = 0; d < 64; ++d) draws.push_back(d << 47);
    draws.push_back((std::uint64_t{1} << 53) - 1);
    for (std::uint64_t outcome : sv.sample(draws)) CHECK((outcome == 0 || outcome == 3));
  }
  SECTION("shot by shot equal to a brute-force walk, on a state of several chunks") {
    // 14 qubits = 4 chunks of 4096 amplitudes; random state, random draws.
    const unsigned n = 14;
    StateVector<double> sv(n);
    qstate::test::load_state(sv, qstate::test::random_state(n, 123));
    qstate::Rng rng(2024);
    std::vector<std::uint64_t> draws(3000);
    for (auto& d : draws) d = rng.draw53();
    draws.push_back(0);
    draws.push_back((std::uint64_t{1} << 53) - 1);
    const auto got = sv.sample(draws);
    REQUIRE(got.size() == draws.size());
    for (std::size_t s = 0; s < draws.size(); ++s) {
      if (got[s] != brute_force_sample(sv, draws[s])) {
        INFO("shot " << s << " draw " << draws[s]);
        CHECK(got[s] == brute_force_sample(sv, draws[s]));
      }
    }
  }
  SECTION("distribution: chi-square over 16 outcomes") {
    // Probabilities from a fixed random 4-qubit state; 200000 shots; with 15 degrees of freedom
    // the 1e-9 quantile of chi-square is about 72. Deterministic for this seed.
    StateVector<double> sv(4);
    qstate::test::load_state(sv, qstate::test::random_state(4, 8));
    const auto p = sv.probabilities();
    qstate::Rng rng(77);
    std::vector<std::uint64_t> draws(200000);
    for (auto& d : draws) d = rng.draw53();
    std::vector<double> counts(16, 0);
    for (std::uint64_t o : sv.sample(draws)) counts[o] += 1;
    double chi2 = 0;
    for (std::size_t i = 0; i < 16; ++i) {
      const double expected = p[i] * static_cast<double>(draws.size());
      chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
    }
    CHECK(chi2 < 72.0);
  }
  SECTION("float state samples like the double state at clear draws") {
    StateVector<float> sf(3);
    ghz(sf);
    const auto got = sf.sample(
        std::vector<std::uint64_t>{1, std::uint64_t{1} << 50, (std::uint64_t{1} << 53) - 2});
    CHECK(got == std::vector<std::uint64_t>{0, 0, 7});
  }
  SECTION("a zero state cannot be sampled") {
    StateVector<double> sv(2);
    sv.collapse(0, true, 1.0, false);  // |0> has no weight on q0 = 1: everything is zeroed
    const std::vector<std::uint64_t> draws = {0};
    CHECK_THROWS_AS(sv.sample(draws), qstate::Error);
  }
}

// Hidden: run in a child process by the test below (a hang must not stall the suite).
TEST_CASE("global phase gate under 3 threads (child)", "[.][child]") {
  qstate::set_num_threads(3);
  StateVector<double> sv(15);
  GateOp op;
  op.name = "gphase";
  op.matrix = GateMatrix::diagonal(0, {Cplx(0, 1)});
  sv.apply(op);
  const auto a = sv.amplitudes();
  CHECK(a[0] == Cplx(0, 1));
  for (std::size_t i = 1; i < a.size(); ++i) REQUIRE(a[i] == Cplx(0, 0));
}

TEST_CASE("a global-phase gate runs under any thread count", "[simulator][state_vector]") {
  // A 0-target diagonal without controls on 15 qubits: 2^15 groups split over 3 threads, so a
  // thread's range starts at an odd group.
  CHECK(qstate::test::run_test_case_in_child("global phase gate under 3 threads (child)") ==
        qstate::test::ChildOutcome::kPassed);
}
