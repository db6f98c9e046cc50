// ExactSum: a fixed-point accumulator (resolution 2^-80, 128-bit) whose sums do not depend on the
// order of the additions. Every reduction over amplitudes (measurement probabilities, sampling,
// expectation values, norms) uses it, so results are bit-identical for any number of threads or
// ranks and any qubit layout. Terms must satisfy |x| < 2^23; the total error is below
// n * 2^-80 (about 1e-15 for 2^30 terms), far under double rounding of the totals involved.
#pragma once

#include <cmath>
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

  // Adds x truncated toward zero to a multiple of 2^-80. Each step below is exact in double:
  // scaling by powers of two, splitting off the integer part, and the remainder.
  void add(double x) { raw_ += quantize(x); }
  static Raw quantize(double x) {
    const double scaled = x * 0x1p40;
    const double high = std::trunc(scaled);
    const double low = (scaled - high) * 0x1p40;
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

}  // namespace qstate
