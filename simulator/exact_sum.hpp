// ExactSum: a fixed-point accumulator (resolution 2^-80, 128-bit) whose sums do not depend on the
// order of the additions. Every reduction over amplitudes (measurement probabilities, sampling,
// expectation values, norms) uses it, so results are bit-identical for any number of threads or
// ranks and any qubit layout.
//
// Each term x contributes quantize(x) = round(x * 2^80) (to nearest, ties to even), and a sum is
// the exact integer sum of its terms' quantised values. Integer addition is associative, so the
// total is the same whatever the order and grouping of the additions: per thread, per chunk, per
// rank, in any layout. Terms must satisfy |x| < 2^40 (|x| < 2^23 where 2^40 terms are summed);
// the total error is below n * 2^-81 (about 5e-16 for 2^30 terms), far under double rounding of
// the totals involved.
//
// Speed (exact_sum_of, exact_sum.cpp): quantize splits x * 2^40 into a high integer part h and a
// low part l = round((x * 2^40 - h) * 2^40), so that quantize(x) = h * 2^40 + l exactly. When
// |x| <= 2^10 (every read-out term of a normalised state: |a|^2 <= 1, a Pauli pair term <= 1),
// h and l fit 52 bits and both come out of one double addition of a "magic" constant
// (1.5 * 2^52) each, which rounds to the nearest integer and leaves it in the low mantissa bits;
// a block of up to 2^11 terms then sums h and l in two int64 lanes without overflow
// (2^11 * 2^51 < 2^63), vectorised, and the block's two limbs are combined in 128 bits once.
// That is the same integer as summing quantize() term by term (each step is exact), so the fast
// and the plain path, every SIMD width and every thread/rank split give identical bits; a block
// holding a larger (or non-finite) term is summed by the plain path.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace qstate {

class ExactSum {
 public:
  __extension__ typedef __int128 Raw;  // GCC/Clang 128-bit integer
  static constexpr int kFractionBits = 80;

  ExactSum() = default;
  static ExactSum from_raw(Raw raw) {
    ExactSum s;
    s.raw_ = raw;
    return s;
  }

  void add(double x) { raw_ += quantize(x); }
  // round(x * 2^80), ties to even. Each step is exact in double: scaling by powers of two,
  // rounding to an integer, and the remainder (|scaled - high| <= 1/2 is representable).
  static Raw quantize(double x) {
    const double scaled = x * 0x1p40;
    const double high = std::nearbyint(scaled);
    const double low = std::nearbyint((scaled - high) * 0x1p40);
    return (static_cast<Raw>(static_cast<std::int64_t>(high)) << 40) +
           static_cast<std::int64_t>(low);
  }

  ExactSum& operator+=(const ExactSum& other) {
    raw_ += other.raw_;
    return *this;
  }
  ExactSum& operator-=(const ExactSum& other) {
    raw_ -= other.raw_;
    return *this;
  }

  Raw raw() const { return raw_; }
  double value() const { return static_cast<double>(raw_) * 0x1p-80; }

 private:
  Raw raw_ = 0;
};

// Sum of ExactSum::quantize(x[k]) for k < n: the same integer, vectorised (see above).
ExactSum::Raw exact_sum_of(const double* x, std::size_t n);

// The same split for every term, for prefix walks: quantize(x[k]) == (Raw{hi[k]} << 40) + lo[k].
// Requires |x[k]| <= 2^10; returns false (and leaves hi/lo unspecified) when a term is larger.
bool quantize_limbs(const double* x, std::size_t n, std::int64_t* hi, std::int64_t* lo);

}  // namespace qstate
