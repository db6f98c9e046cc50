// ExactSum: the fixed-point accumulator behind every reduction. Checks exact quantization of
// representable values, independence from the order of additions, exact cancellation, merging of
// partial sums, truncation toward zero, and the documented error bound.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "simulator/exact_sum.hpp"

using qstate::ExactSum;

namespace {

std::vector<double> random_terms(std::size_t n, std::uint64_t seed, double scale) {
  std::mt19937_64 rng(seed);
  std::vector<double> v(n);
  for (double& x : v) x = scale * (static_cast<double>(rng() >> 11) * 0x1p-53 - 0.5);
  return v;
}

ExactSum sum_of(const std::vector<double>& v) {
  ExactSum s;
  for (double x : v) s.add(x);
  return s;
}

}  // namespace

TEST_CASE("ExactSum quantizes multiples of 2^-80 exactly", "[simulator][exact_sum]") {
  CHECK(ExactSum::quantize(0.0) == 0);
  CHECK(ExactSum::quantize(1.0) == (ExactSum::Raw{1} << 80));
  CHECK(ExactSum::quantize(0.5) == (ExactSum::Raw{1} << 79));
  CHECK(ExactSum::quantize(0x1p-80) == 1);
  CHECK(ExactSum::quantize(3.0 * 0x1p-80) == 3);
  CHECK(ExactSum::quantize(-0.25) == -(ExactSum::Raw{1} << 78));
  CHECK(ExactSum::quantize(0x1p22) == (ExactSum::Raw{1} << 102));
  // A double with bits spanning the integer and fraction parts: 1 + 2^-52.
  CHECK(ExactSum::quantize(1.0 + 0x1p-52) == (ExactSum::Raw{1} << 80) + (ExactSum::Raw{1} << 28));
  ExactSum s;
  s.add(0.75);
  CHECK(s.value() == 0.75);
}

TEST_CASE("ExactSum rounds to the nearest quantum symmetrically", "[simulator][exact_sum]") {
  // 1e-30 is far below the 2^-80 (~8.3e-25) resolution: it vanishes, whatever its sign.
  CHECK(ExactSum::quantize(1e-30) == 0);
  CHECK(ExactSum::quantize(-1e-30) == 0);
  for (double x : random_terms(1000, 5, 2.0))
    CHECK(ExactSum::quantize(-x) == -ExactSum::quantize(x));
  // Ties go to the even quantum; otherwise to the nearest.
  CHECK(ExactSum::quantize(1.5 * 0x1p-80) == 2);
  CHECK(ExactSum::quantize(-1.5 * 0x1p-80) == -2);
  CHECK(ExactSum::quantize(2.5 * 0x1p-80) == 2);
  CHECK(ExactSum::quantize(1.25 * 0x1p-80) == 1);
  CHECK(ExactSum::quantize(1.75 * 0x1p-80) == 2);
  // A value with bits on both sides of the 2^-40 limb split (exact in double: 52 bits).
  CHECK(ExactSum::quantize(0x1p-30 + 1.5 * 0x1p-80) == (ExactSum::Raw{1} << 50) + 2);
  CHECK(ExactSum::quantize(-(0x1p-30 + 1.5 * 0x1p-80)) == -((ExactSum::Raw{1} << 50) + 2));
}

TEST_CASE("ExactSum does not depend on the order of additions", "[simulator][exact_sum]") {
  std::vector<double> v = random_terms(20000, 42, 1.0);
  const ExactSum forward = sum_of(v);
  std::reverse(v.begin(), v.end());
  const ExactSum backward = sum_of(v);
  std::mt19937_64 rng(7);
  std::shuffle(v.begin(), v.end(), rng);
  const ExactSum shuffled = sum_of(v);
  CHECK(forward.raw() == backward.raw());
  CHECK(forward.raw() == shuffled.raw());

  // Split into uneven partial sums merged with += (as threads and ranks do).
  for (std::size_t parts : {2U, 3U, 7U, 64U}) {
    ExactSum merged;
    const std::size_t step = v.size() / parts + 1;
    for (std::size_t begin = 0; begin < v.size(); begin += step) {
      ExactSum part;
      for (std::size_t i = begin; i < std::min(v.size(), begin + step); ++i) part.add(v[i]);
      merged += part;
    }
    CHECK(merged.raw() == forward.raw());
  }
}

TEST_CASE("ExactSum cancels exactly where double addition does not", "[simulator][exact_sum]") {
  // In double, (1 + 1e-17) - 1 == 0; the exact sum keeps 1e-17 to within 2^-80.
  ExactSum s;
  s.add(1.0);
  s.add(1e-17);
  s.add(-1.0);
  CHECK(std::abs(s.value() - 1e-17) <= 0x1p-80);

  // Adding every term and then its negation, in any interleaving, is exactly zero.
  const std::vector<double> v = random_terms(5000, 11, 100.0);
  ExactSum z;
  for (double x : v) z.add(x);
  for (double x : v) z.add(-x);
  CHECK(z.raw() == 0);

  ExactSum a = sum_of(v);
  ExactSum b = sum_of(v);
  a -= b;
  CHECK(a.raw() == 0);
}

TEST_CASE("ExactSum error is below n times 2^-80", "[simulator][exact_sum]") {
  // 2^16 terms of 1/3: the exact total is 2^16 / 3.
  const std::size_t n = std::size_t{1} << 16;
  ExactSum s;
  for (std::size_t i = 0; i < n; ++i) s.add(1.0 / 3.0);
  const double exact_of_rounded_terms = static_cast<double>(n) * (1.0 / 3.0);  // exact: n is 2^16
  CHECK(std::abs(s.value() - exact_of_rounded_terms) <= static_cast<double>(n) * 0x1p-80 + 0x1p-60);

  // Naive double summation of many small terms drifts; the exact sum matches a long-double
  // Kahan reference far more tightly.
  const std::vector<double> v = random_terms(100000, 3, 1e-3);
  long double kahan = 0, comp = 0;
  for (double x : v) {
    const long double y = x - comp;
    const long double t = kahan + y;
    comp = (t - kahan) - y;
    kahan = t;
  }
  CHECK(std::abs(sum_of(v).value() - static_cast<double>(kahan)) <= 1e-15);
}
