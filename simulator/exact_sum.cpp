// The vectorised exact sums of exact_sum.hpp. Compiled for AVX2 and for the x86-64 baseline
// (SSE2), chosen at load time; both compute the same integers.
#include "simulator/exact_sum.hpp"

#include <algorithm>
#include <bit>

namespace qstate {
namespace {

constexpr double kMagic = 0x1.8p52;  // x + kMagic rounds x to an integer for |x| <= 2^51
constexpr std::int64_t kMagicBits = std::bit_cast<std::int64_t>(kMagic);
constexpr double kFastBound = 0x1p10;  // |x| <= this: both limbs below 2^51
constexpr std::size_t kBlock = 2048;   // 2^11 limbs of at most 2^51 + 1 fit an int64

}  // namespace

__attribute__((target_clones("avx2", "default"))) ExactSum::Raw exact_sum_of(const double* x,
                                                                             std::size_t n) {
  ExactSum::Raw total = 0;
  for (std::size_t start = 0; start < n; start += kBlock) {
    const std::size_t end = std::min(n, start + kBlock);
    std::int64_t high = 0;
    std::int64_t low = 0;
    std::int64_t bad = 0;
    for (std::size_t k = start; k < end; ++k) {
      const double v = x[k];
      bad |= static_cast<std::int64_t>(!(std::fabs(v) <= kFastBound));
      const double scaled = v * 0x1p40;
      const double t = scaled + kMagic;  // round(scaled) + kMagic, exactly
      high += std::bit_cast<std::int64_t>(t) - kMagicBits;
      const double u = (scaled - (t - kMagic)) * 0x1p40 + kMagic;
      low += std::bit_cast<std::int64_t>(u) - kMagicBits;
    }
    if (bad != 0) {
      for (std::size_t k = start; k < end; ++k) total += ExactSum::quantize(x[k]);
    } else {
      total += (static_cast<ExactSum::Raw>(high) << 40) + low;
    }
  }
  return total;
}

__attribute__((target_clones("avx2", "default"))) bool quantize_limbs(const double* x,
                                                                      std::size_t n,
                                                                      std::int64_t* hi,
                                                                      std::int64_t* lo) {
  std::int64_t bad = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double v = x[k];
    bad |= static_cast<std::int64_t>(!(std::fabs(v) <= kFastBound));
    const double scaled = v * 0x1p40;
    const double t = scaled + kMagic;
    hi[k] = std::bit_cast<std::int64_t>(t) - kMagicBits;
    const double u = (scaled - (t - kMagic)) * 0x1p40 + kMagic;
    lo[k] = std::bit_cast<std::int64_t>(u) - kMagicBits;
  }
  return bad == 0;
}

}  // namespace qstate
