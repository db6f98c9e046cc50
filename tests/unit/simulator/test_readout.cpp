// Read-out machinery: the one-pass layout restore (permute_positions) against a naive
// out-of-place reference for every permutation of small states; the vectorised exact sums
// against term-by-term quantisation and a long-double reference; thread-count independence of
// weights, Pauli terms and samples; Pauli terms against a dense reference; and the sampling
// distribution against the state's probabilities.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <complex>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "circuits/gates.hpp"
#include "simulator/exact_sum.hpp"
#include "simulator/parallel.hpp"
#include "simulator/permute.hpp"
#include "simulator/sampling.hpp"
#include "simulator/state_vector.hpp"

using qstate::ExactSum;
using qstate::StateVector;

namespace {

// out[i] = in[m(i)], m(i) = sum over q of bit q of i at position pos[q]: the definition.
template <class T>
std::vector<T> reference_permute(const std::vector<T>& in, unsigned n,
                                 const std::vector<unsigned>& pos) {
  std::vector<T> out(in.size());
  for (std::uint64_t i = 0; i < in.size(); ++i) {
    std::uint64_t m = 0;
    for (unsigned q = 0; q < n; ++q)
      if ((i >> q) & 1U) m |= std::uint64_t{1} << pos[q];
    out[i] = in[m];
  }
  return out;
}

std::vector<std::uint32_t> iota_data(unsigned n) {
  std::vector<std::uint32_t> v(std::size_t{1} << n);
  std::iota(v.begin(), v.end(), 0U);
  return v;
}

template <class Real>
void fill_random(StateVector<Real>& sv, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0, 1);
  double norm = 0;
  std::vector<std::complex<double>> a(sv.size());
  for (auto& x : a) {
    x = {g(rng), g(rng)};
    norm += std::norm(x);
  }
  for (std::uint64_t i = 0; i < sv.size(); ++i) {
    const auto x = a[i] / std::sqrt(norm);
    sv.data()[i] = {static_cast<Real>(x.real()), static_cast<Real>(x.imag())};
  }
}

// A random permutation of the qubits as relabellings (the data does not move).
template <class Real>
void relabel_randomly(StateVector<Real>& sv, std::mt19937_64& rng) {
  qstate::RemapOp r;
  r.relabel = true;
  for (unsigned i = sv.num_qubits() - 1; i > 0; --i) {
    const auto j = static_cast<unsigned>(rng() % (i + 1));
    if (j != i) r.pairs.emplace_back(i, j);
  }
  sv.apply(r);
}

struct Threads {
  explicit Threads(int n) { qstate::set_num_threads(n); }
  ~Threads() { qstate::set_num_threads(0); }
};

}  // namespace

TEST_CASE("permute_positions applies every permutation of up to 6 positions in one call",
          "[simulator][readout][permute]") {
  for (unsigned n = 1; n <= 6; ++n) {
    std::vector<unsigned> pos(n);
    std::iota(pos.begin(), pos.end(), 0U);
    const std::vector<std::uint32_t> in = iota_data(n);
    do {
      // Every tile size: 1 amplitude per tile (pure cycle following) up to the whole state.
      for (unsigned tile_bits = 0; tile_bits <= n; ++tile_bits) {
        std::vector<std::uint32_t> data = in;
        qstate::permute_positions(data.data(), n, std::span<const unsigned>(pos), tile_bits);
        INFO("n=" << n << " tile_bits=" << tile_bits);
        REQUIRE(data == reference_permute(in, n, pos));
      }
    } while (std::next_permutation(pos.begin(), pos.end()));
  }
}

TEST_CASE("permute_positions on larger states with many tiles and threads",
          "[simulator][readout][permute]") {
  std::mt19937_64 rng(3);
  for (int threads : {1, 2}) {
    Threads t(threads);
    for (unsigned n : {9U, 12U, 16U}) {
      for (int trial = 0; trial < 6; ++trial) {
        std::vector<unsigned> pos(n);
        std::iota(pos.begin(), pos.end(), 0U);
        std::shuffle(pos.begin(), pos.end(), rng);
        const std::vector<std::uint32_t> in = iota_data(n);
        for (unsigned tile_bits : {0U, 2U, 5U, 8U}) {
          std::vector<std::uint32_t> data = in;
          qstate::permute_positions(data.data(), n, std::span<const unsigned>(pos), tile_bits);
          INFO("n=" << n << " tile_bits=" << tile_bits << " threads=" << threads);
          REQUIRE(data == reference_permute(in, n, pos));
        }
        // The default tile size, on amplitudes.
        std::vector<std::complex<double>> amps(in.size());
        for (std::size_t i = 0; i < amps.size(); ++i) amps[i] = {double(i), -double(i)};
        const auto expected = reference_permute(amps, n, pos);
        qstate::permute_positions(amps.data(), n, std::span<const unsigned>(pos));
        REQUIRE(amps == expected);
      }
    }
  }
}

TEMPLATE_TEST_CASE("StateVector::canonicalize restores the logical order in one pass",
                   "[simulator][readout][permute]", float, double) {
  std::mt19937_64 rng(11);
  for (unsigned n : {3U, 8U, 13U}) {
    StateVector<TestType> sv(n);
    fill_random(sv, n);
    const std::vector<std::complex<TestType>> before(sv.data(), sv.data() + sv.size());
    relabel_randomly(sv, rng);
    std::vector<unsigned> pos = sv.layout().positions();
    const double passes = sv.work().passes;
    sv.canonicalize();
    CHECK(sv.layout().is_identity());
    const std::vector<std::complex<TestType>> after(sv.data(), sv.data() + sv.size());
    CHECK(after == reference_permute(before, n, pos));
    CHECK(sv.work().passes <= passes + 1 + 3);  // one tiled pass (+ at most 3 SWAP passes)
  }
}

TEST_CASE("exact_sum_of equals term-by-term quantisation", "[simulator][readout][exact_sum]") {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(-1, 1);
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{2048},
                        std::size_t{2049}, std::size_t{10000}}) {
    std::vector<double> x(n);
    for (double& v : x) v = u(rng) * std::ldexp(1.0, -static_cast<int>(rng() % 60));
    ExactSum::Raw expected = 0;
    for (double v : x) expected += ExactSum::quantize(v);
    CHECK(qstate::exact_sum_of(x.data(), n) == expected);
    // Any split into parts gives the same integer.
    if (n > 3) {
      CHECK(qstate::exact_sum_of(x.data(), 3) + qstate::exact_sum_of(x.data() + 3, n - 3) ==
            expected);
    }
    std::vector<std::int64_t> hi(n);
    std::vector<std::int64_t> lo(n);
    REQUIRE(qstate::quantize_limbs(x.data(), n, hi.data(), lo.data()));
    for (std::size_t k = 0; k < n; ++k)
      CHECK(((static_cast<ExactSum::Raw>(hi[k]) << 40) + lo[k]) == ExactSum::quantize(x[k]));
  }
  // Terms beyond the fast path's bound, ties and tiny values take the plain path / round alike.
  std::vector<double> big = {3.0e5, -1.0, 0.5, 1.5 * 0x1p-80, 2.5 * 0x1p-80, 1e-30, 4096.0};
  ExactSum::Raw expected = 0;
  for (double v : big) expected += ExactSum::quantize(v);
  CHECK(qstate::exact_sum_of(big.data(), big.size()) == expected);
  std::vector<std::int64_t> hi(big.size());
  std::vector<std::int64_t> lo(big.size());
  CHECK_FALSE(qstate::quantize_limbs(big.data(), big.size(), hi.data(), lo.data()));
}

TEST_CASE("exact_sum_of is within n * 2^-81 of a long-double reference",
          "[simulator][readout][exact_sum]") {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> u(0, 1);
  const std::size_t n = 100000;
  std::vector<double> x(n);
  long double reference = 0;  // 64-bit mantissa: exact enough for this bound
  for (double& v : x) {
    v = u(rng) / static_cast<double>(n);
    reference += v;
  }
  const double got = ExactSum::from_raw(qstate::exact_sum_of(x.data(), n)).value();
  CHECK(std::abs(static_cast<long double>(got) - reference) <=
        static_cast<long double>(n) * 0x1p-81L + 4 * static_cast<long double>(0x1p-53));
}

TEMPLATE_TEST_CASE("Read-out sums are bit-identical for 1 and 2 threads and match a reference",
                   "[simulator][readout]", float, double) {
  const unsigned n = 17;  // enough blocks and chunks for parallel_reduce to split the work
  StateVector<TestType> sv(n);
  fill_random(sv, 21);
  std::mt19937_64 rng(4);
  relabel_randomly(sv, rng);  // read-outs in a permuted layout
  std::vector<qstate::kernels::PauliMasks> strings;
  for (int t = 0; t < 24; ++t) {
    qstate::kernels::PauliMasks m;
    for (unsigned q = 0; q < n; ++q) {
      const unsigned letter = static_cast<unsigned>(rng() % 4);
      if (letter == 1 || letter == 2) m.x_mask |= std::uint64_t{1} << q;
      if (letter == 2 || letter == 3) m.z_mask |= std::uint64_t{1} << q;
      if (letter == 2) ++m.num_y;
    }
    strings.push_back(m);
  }
  strings.push_back({0, 0, 0});                       // identity
  strings.push_back({std::uint64_t{1} << 16, 0, 0});  // X on the top qubit only
  strings.push_back({1, 1, 1});                       // Y on qubit 0
  std::vector<std::uint64_t> draws(5000);
  qstate::Rng r(17);
  for (auto& d : draws) d = r.draw53();

  // Reference in logical order, long double.
  std::vector<std::complex<long double>> psi(sv.size());
  {
    auto copy = sv.clone();
    const auto amps = copy->amplitudes();
    for (std::size_t i = 0; i < psi.size(); ++i) psi[i] = {amps[i].real(), amps[i].imag()};
  }

  std::vector<ExactSum::Raw> raw_1;
  std::vector<std::uint64_t> samples_1;
  for (int threads : {1, 2}) {
    Threads t(threads);
    std::vector<ExactSum::Raw> raw;
    for (const auto& m : strings) raw.push_back(sv.expectation_sum(m).raw());
    for (unsigned q : {0U, 5U, 16U}) {
      const auto w = sv.qubit_weights(q);
      raw.push_back(w[0].raw());
      raw.push_back(w[1].raw());
    }
    auto copy = sv.clone();
    auto& c = dynamic_cast<StateVector<TestType>&>(*copy);
    const std::vector<std::uint64_t> samples = c.sample(draws);
    if (threads == 1) {
      raw_1 = raw;
      samples_1 = samples;
      // Values against the dense reference.
      for (std::size_t s = 0; s < strings.size(); ++s) {
        const auto& m = strings[s];
        std::complex<long double> e = 0;
        for (std::uint64_t i = 0; i < psi.size(); ++i) {
          const std::uint64_t j = i ^ m.x_mask;
          // <psi| P |psi> = sum_i conj(psi[j]) i^ny (-1)^{popcount(i & z)} psi[i]
          std::complex<long double> phase(1, 0);
          for (unsigned k = 0; k < (m.num_y & 3U); ++k) phase *= std::complex<long double>(0, 1);
          const long double sign = (std::popcount(i & m.z_mask) & 1) ? -1 : 1;
          e += std::conj(psi[j]) * phase * sign * psi[i];
        }
        INFO("string " << s);
        CHECK(std::abs(ExactSum::from_raw(raw[s]).value() - static_cast<double>(e.real())) < 1e-12);
      }
      long double w12 = 0;
      for (std::uint64_t i = 0; i < psi.size(); ++i)
        if ((i >> 16) & 1U) w12 += std::norm(psi[i]);
      CHECK(std::abs(ExactSum::from_raw(raw.back()).value() - static_cast<double>(w12)) < 1e-12);
    } else {
      CHECK(raw == raw_1);
      CHECK(samples == samples_1);
    }
  }
}

TEST_CASE("Sampling follows the documented rule and the state's distribution",
          "[simulator][readout][sampling]") {
  const unsigned n = 14;
  StateVector<double> sv(n);
  fill_random(sv, 31);
  // Skew the distribution so that weights differ by orders of magnitude.
  for (std::uint64_t i = 0; i < sv.size(); ++i) sv.data()[i] *= (i % 7 == 0) ? 8.0 : 1.0;
  ExactSum::Raw total = 0;
  std::vector<double> p(sv.size());
  for (std::uint64_t i = 0; i < sv.size(); ++i) {
    total += ExactSum::quantize(qstate::kernels::norm2(sv.data()[i]));
    p[i] = qstate::kernels::norm2(sv.data()[i]);
  }
  std::vector<std::uint64_t> draws(200000);
  qstate::Rng r(99);
  for (auto& d : draws) d = r.draw53();
  draws[0] = 0;                             // the first index with weight
  draws[1] = (std::uint64_t{1} << 53) - 1;  // the last
  const std::vector<std::uint64_t> got = sv.sample(draws);
  // Few shots: most chunks and blocks hold no target and are skipped by the walk.
  const std::vector<std::uint64_t> few_draws(draws.begin() + 2, draws.begin() + 12);
  const std::vector<std::uint64_t> few = sv.sample(few_draws);

  // The rule, walked naively for a subset of the shots.
  const ExactSum::Raw high = total >> 53;
  const ExactSum::Raw low = total & ((ExactSum::Raw{1} << 53) - 1);
  for (std::size_t s = 0; s < 300; ++s) {
    const ExactSum::Raw d = draws[s];
    const ExactSum::Raw target = high * d + ((low * d) >> 53);
    ExactSum::Raw running = 0;
    std::uint64_t expected = 0;
    for (std::uint64_t i = 0; i < sv.size(); ++i) {
      running += ExactSum::quantize(qstate::kernels::norm2(sv.data()[i]));
      if (running > target) {
        expected = i;
        break;
      }
    }
    INFO("shot " << s);
    REQUIRE(got[s] == expected);
    if (s >= 2 && s < 12) REQUIRE(few[s - 2] == expected);
  }
  CHECK(got[1] == sv.size() - 1);

  // Distribution: chi-square over 64 bins of consecutive indices against the probabilities.
  const double norm = std::accumulate(p.begin(), p.end(), 0.0);
  const std::size_t bins = 64;
  std::vector<double> expected(bins, 0.0);
  std::vector<double> seen(bins, 0.0);
  for (std::uint64_t i = 0; i < sv.size(); ++i) expected[i * bins / sv.size()] += p[i] / norm;
  for (std::uint64_t o : got) seen[o * bins / sv.size()] += 1;
  double chi2 = 0;
  for (std::size_t b = 0; b < bins; ++b) {
    const double e = expected[b] * static_cast<double>(draws.size());
    chi2 += (seen[b] - e) * (seen[b] - e) / e;
  }
  // 63 degrees of freedom: the 99.9% quantile is about 104.
  CHECK(chi2 < 104);
  // And per index class (i % 7 == 0 carries 64x the weight of the others on average).
  double heavy = 0;
  double heavy_p = 0;
  for (std::uint64_t o : got) heavy += (o % 7 == 0) ? 1 : 0;
  for (std::uint64_t i = 0; i < sv.size(); i += 7) heavy_p += p[i] / norm;
  const double sd = std::sqrt(heavy_p * (1 - heavy_p) / static_cast<double>(draws.size()));
  CHECK(std::abs(heavy / static_cast<double>(draws.size()) - heavy_p) < 5 * sd);
}
