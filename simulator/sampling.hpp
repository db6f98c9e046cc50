// Shared pieces of shot sampling: turning uniform draws into exact targets on the cumulative
// weight, and random streams. Every state (local or distributed) samples by walking its
// amplitudes in index order against these sorted targets, so one pass serves all shots and the
// outcome of each shot depends only on the seed.
#pragma once

#include <algorithm>
#include <bit>
#include <complex>
#include <cstdint>
#include <random>
#include <span>
#include <utility>
#include <vector>

#include "simulator/exact_sum.hpp"
#include "simulator/kernels/reductions.hpp"
#include "simulator/parallel.hpp"

namespace qstate {

struct SampleTarget {
  ExactSum::Raw target;  // the shot's outcome is the first index whose inclusive cumsum > target
  std::uint64_t shot;
};

// floor(total * draw / 2^53) for each draw, sorted by target (ties in any order: they land on
// the same index). total >= 0. The target is non-decreasing in the draw, so sorting the 64-bit
// draws sorts the targets.
inline std::vector<SampleTarget> sample_targets(ExactSum::Raw total,
                                                std::span<const std::uint64_t> draws) {
  const ExactSum::Raw high = total >> 53;
  const ExactSum::Raw low = total & ((ExactSum::Raw{1} << 53) - 1);
  // Draws are uniform in [0, 2^53): a counting sort on their top 16 bits (a table that stays in
  // cache), then each bucket sorted on its own.
  const std::size_t n = draws.size();
  const unsigned bucket_bits =
      std::min(16U, static_cast<unsigned>(std::bit_width(std::max<std::size_t>(n, 1))));
  const std::size_t buckets = std::size_t{1} << bucket_bits;
  const auto bucket_of = [&](std::uint64_t d) {
    return std::min<std::size_t>(static_cast<std::size_t>(d >> (53 - bucket_bits)), buckets - 1);
  };
  std::vector<std::uint32_t> first(buckets + 1, 0);
  for (std::uint64_t d : draws) ++first[bucket_of(d) + 1];
  for (std::size_t b = 0; b < buckets; ++b) first[b + 1] += first[b];
  std::vector<std::pair<std::uint64_t, std::uint64_t>> order(n);
  {
    std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
    for (std::size_t s = 0; s < n; ++s) order[fill[bucket_of(draws[s])]++] = {draws[s], s};
  }
  for (std::size_t b = 0; b < buckets; ++b)
    if (first[b + 1] - first[b] > 1)
      std::sort(order.begin() + first[b], order.begin() + first[b + 1]);
  std::vector<SampleTarget> out(draws.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    const auto d = static_cast<ExactSum::Raw>(order[k].first);
    out[k] = SampleTarget{high * d + ((low * d) >> 53), order[k].second};
  }
  return out;
}

// Sampling over one contiguous array of amplitudes in index order (a whole state, or a rank's
// slice in canonical layout). Construction is the one read pass over the state: the exact weight
// of every chunk of 2^12 amplitudes. assign() then walks, for the sorted targets that fall in
// [start, start + total()), only the chunks that hold targets, and inside them only the blocks
// of kReadBlock amplitudes that hold targets (a block's weight comes from its quantised terms in
// two int64 limbs; the walk adds them one by one only there).
template <class Real>
class SliceSampler {
 public:
  SliceSampler(const std::complex<Real>* amp, std::uint64_t size)
      : amp_(amp),
        chunk_(std::min<std::uint64_t>(size, std::uint64_t{1} << 12)),
        prefix_(size / chunk_ + 1, 0) {
    const std::uint64_t chunks = size / chunk_;
    parallel_for(chunks, 16, [&](std::uint64_t begin, std::uint64_t end) {
      for (std::uint64_t c = begin; c < end; ++c)
        prefix_[c + 1] = kernels::weight_of_range(amp_, c * chunk_, (c + 1) * chunk_);
    });
    for (std::uint64_t c = 0; c < chunks; ++c) prefix_[c + 1] += prefix_[c];
  }

  ExactSum::Raw total() const { return prefix_.back(); }

  // outcome[target.shot] = index_offset + the index at which the inclusive cumulative weight,
  // counted from `start`, first exceeds target.target.
  void assign(std::span<const SampleTarget> targets, ExactSum::Raw start,
              std::uint64_t index_offset, std::span<std::uint64_t> outcome) const {
    const std::uint64_t chunks = prefix_.size() - 1;
    const std::uint64_t block = std::min(chunk_, kernels::kReadBlock);
    parallel_for(chunks, 16, [&](std::uint64_t begin, std::uint64_t end) {
      double w[kernels::kReadBlock];
      std::int64_t hi[kernels::kReadBlock];
      std::int64_t lo[kernels::kReadBlock];
      const ExactSum::Raw from = start + prefix_[begin];
      auto k = static_cast<std::size_t>(
          std::lower_bound(targets.begin(), targets.end(), from,
                           [](const SampleTarget& t, ExactSum::Raw v) { return t.target < v; }) -
          targets.begin());
      for (std::uint64_t c = begin; c < end && k < targets.size(); ++c) {
        if (targets[k].target >= start + prefix_[c + 1]) continue;  // no shot lands here
        ExactSum::Raw running = start + prefix_[c];
        for (std::uint64_t b = c * chunk_; b < (c + 1) * chunk_ && k < targets.size(); b += block) {
          kernels::norm2_block(amp_ + b, block, w);
          if (!quantize_limbs(w, block, hi, lo)) {  // a term too large for the limbs
            for (std::uint64_t r = 0; r < block && k < targets.size(); ++r) {
              running += ExactSum::quantize(w[r]);
              while (k < targets.size() && targets[k].target < running)
                outcome[targets[k++].shot] = index_offset + b + r;
            }
            continue;
          }
          // Inclusive prefix sums of the limbs (each below 2^61 for 2^10 terms): the block's
          // weight, and each target's index by a binary search, the first r whose cumulative
          // weight exceeds it (the same index as adding the terms one by one).
          std::int64_t h = 0;
          std::int64_t l = 0;
          for (std::uint64_t r = 0; r < block; ++r) {
            h += hi[r];
            l += lo[r];
            hi[r] = h;
            lo[r] = l;
          }
          const ExactSum::Raw end_weight = running + (static_cast<ExactSum::Raw>(h) << 40) + l;
          std::uint64_t r = 0;
          while (k < targets.size() && targets[k].target < end_weight) {
            const ExactSum::Raw t = targets[k].target - running;
            std::uint64_t lo_r = r;
            std::uint64_t hi_r = block - 1;  // cum(block - 1) > t
            while (lo_r < hi_r) {
              const std::uint64_t mid = (lo_r + hi_r) / 2;
              if ((static_cast<ExactSum::Raw>(hi[mid]) << 40) + lo[mid] > t) {
                hi_r = mid;
              } else {
                lo_r = mid + 1;
              }
            }
            r = lo_r;
            outcome[targets[k++].shot] = index_offset + b + r;
          }
          running = end_weight;
        }
      }
    });
  }

 private:
  const std::complex<Real>* amp_;
  std::uint64_t chunk_;
  std::vector<ExactSum::Raw> prefix_;  // prefix_[c] = weight of chunks before c
};

// SplitMix64: decorrelates seeds (used to derive one stream per shot).
inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A fresh seed for runs that were given none: below 2^53, so that JSON readers that hold numbers
// as doubles read back the exact seed that repeats the run.
inline std::uint64_t random_seed() {
  std::random_device device;
  const std::uint64_t bits = (static_cast<std::uint64_t>(device()) << 32) ^ device();
  return bits & ((std::uint64_t{1} << 53) - 1);
}

// A random stream; mt19937_64 is specified bit for bit by the C++ standard, so a seed gives the
// same draws on every platform.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  // Stream for one shot of a dynamic circuit: independent of the order shots are run in.
  static Rng for_shot(std::uint64_t seed, std::uint64_t shot) {
    return Rng(splitmix64(seed ^ splitmix64(shot + 1)));
  }
  std::uint64_t draw53() { return engine_() >> 11; }  // uniform in [0, 2^53)
  double uniform() { return static_cast<double>(draw53()) * 0x1p-53; }

 private:
  std::mt19937_64 engine_;
};

}  // namespace qstate
