// permute_positions: the tiled, cycle-following permutation of permute.hpp.
#include "simulator/permute.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <complex>
#include <cstring>
#include <vector>

#include "simulator/parallel.hpp"

namespace qstate {
namespace {

// A bit permutation / bit scatter of up to 64 bits as eight byte tables: f(x) = OR of
// table[k][byte k of x]. `image[j]` is where bit j goes.
class BitMap {
 public:
  explicit BitMap(const std::vector<unsigned>& image) {
    bytes_ = static_cast<unsigned>((image.size() + 7) / 8);
    for (unsigned k = 0; k < bytes_; ++k)
      for (unsigned v = 0; v < 256; ++v) {
        std::uint64_t out = 0;
        for (unsigned b = 0; b < 8; ++b)
          if (((v >> b) & 1U) != 0 && 8 * k + b < image.size())
            out |= std::uint64_t{1} << image[8 * k + b];
        table_[k][v] = out;
      }
  }
  std::uint64_t operator()(std::uint64_t x) const {
    std::uint64_t out = 0;
    for (unsigned k = 0; k < bytes_; ++k) out |= table_[k][(x >> (8 * k)) & 255U];
    return out;
  }

 private:
  unsigned bytes_ = 0;
  std::array<std::array<std::uint64_t, 256>, 8> table_{};
};

// T: the closure of {0, ..., c-1} under the permutation, for the largest c that fits.
std::vector<bool> tile_positions(unsigned n, std::span<const unsigned> pos, unsigned max_bits) {
  std::vector<bool> in_t(n, false);
  unsigned t_size = 0;
  for (unsigned c = 0; c < n; ++c) {
    if (in_t[c]) continue;
    unsigned cycle = 0;
    for (unsigned p = c;;) {
      ++cycle;
      p = pos[p];
      if (p == c) break;
    }
    if (t_size + cycle > max_bits) break;
    for (unsigned p = c; !in_t[p]; p = pos[p]) in_t[p] = true;
    t_size += cycle;
  }
  return in_t;
}

unsigned run_of(const std::vector<bool>& in_t) {
  unsigned run = 0;
  while (run < in_t.size() && in_t[run]) ++run;
  return run;
}

// Exchanges memory positions a and b (one pass over the amplitudes whose bits there differ).
template <class T>
void swap_positions(T* data, unsigned n, unsigned a, unsigned b) {
  if (a > b) std::swap(a, b);
  const std::uint64_t low_a = (std::uint64_t{1} << a) - 1;
  const std::uint64_t low_b = (std::uint64_t{1} << b) - 1;
  const std::uint64_t bit_a = std::uint64_t{1} << a;
  const std::uint64_t bit_b = std::uint64_t{1} << b;
  parallel_for(std::uint64_t{1} << (n - 2), kParallelGrain,
               [&](std::uint64_t first, std::uint64_t last) {
                 for (std::uint64_t g = first; g < last; ++g) {
                   std::uint64_t i = (g & low_a) | ((g & ~low_a) << 1);
                   i = (i & low_b) | ((i & ~low_b) << 1);
                   std::swap(data[i | bit_a], data[i | bit_b]);
                 }
               });
}

// Runs shorter than this many positions (2^3 amplitudes: 128 bytes in double) make the tile
// gathers cache-unfriendly; a few SWAP passes first fix the lowest positions instead.
constexpr unsigned kMinRun = 3;

template <class T>
void permute_tiled(T* data, unsigned n, std::span<const unsigned> pos, unsigned max_tile_bits) {
  const std::vector<bool> in_t = tile_positions(n, pos, max_tile_bits);
  const unsigned run = run_of(in_t);  // positions 0..run-1 are in T: runs of 2^run amplitudes
  std::vector<unsigned> upper;        // T's positions above the run
  std::vector<unsigned> rest;         // R
  for (unsigned p = 0; p < n; ++p) {
    if (in_t[p] && p >= run) upper.push_back(p);
    if (!in_t[p]) rest.push_back(p);
  }
  const std::uint64_t run_len = std::uint64_t{1} << run;
  const auto t_size = static_cast<unsigned>(std::count(in_t.begin(), in_t.end(), true));
  const std::uint64_t tile = std::uint64_t{1} << t_size;
  const std::uint64_t runs = tile >> run;

  // Within a tile, amplitudes are numbered u: low `run` bits, then the upper T positions in
  // order. offset[j] = memory offset of run j; src[u] = the number, in the same tile numbering,
  // of the amplitude that lands at u (the permutation is linear over bits: src is built from
  // single bits).
  std::vector<std::uint64_t> offset(runs, 0);
  for (std::uint64_t j = 1; j < runs; ++j) {
    const auto b = static_cast<unsigned>(std::countr_zero(j));
    offset[j] = offset[j & (j - 1)] | (std::uint64_t{1} << upper[b]);
  }
  std::vector<unsigned> number_of(n, 0);  // T position -> bit of the tile numbering
  for (unsigned p = 0; p < run; ++p) number_of[p] = p;
  for (std::size_t k = 0; k < upper.size(); ++k)
    number_of[upper[k]] = run + static_cast<unsigned>(k);
  std::vector<std::uint32_t> src(tile, 0);
  for (std::uint64_t u = 1; u < tile; ++u) {
    const auto b = static_cast<unsigned>(std::countr_zero(u));
    const unsigned position = b < run ? b : upper[b - run];
    src[u] = src[u & (u - 1)] | (std::uint32_t{1} << number_of[pos[position]]);
  }

  // Tiles are numbered t by their R bits (in R's order); tile t receives tile next(t).
  std::vector<unsigned> rest_index(n, 0);
  for (std::size_t k = 0; k < rest.size(); ++k) rest_index[rest[k]] = static_cast<unsigned>(k);
  std::vector<unsigned> next_image(rest.size());
  for (std::size_t k = 0; k < rest.size(); ++k) next_image[k] = rest_index[pos[rest[k]]];
  const BitMap next(next_image);
  const BitMap base(rest);  // tile number -> memory offset of its first amplitude
  const std::uint64_t tiles = std::uint64_t{1} << rest.size();
  const bool permutes_inside =
      std::any_of(in_t.begin(), in_t.end(), [](bool b) { return b; }) && [&] {
        for (std::uint64_t u = 0; u < tile; u = u == 0 ? 1 : u << 1)
          if (src[u] != u) return true;
        return false;
      }();

  // Enough tiles per thread slice to share the cycles out; a slice allocates its two buffers.
  parallel_for(tiles, std::max<std::uint64_t>(1, (std::uint64_t{1} << 16) / tile),
               [&](std::uint64_t first, std::uint64_t last) {
                 std::vector<T> saved(tile);
                 std::vector<T> work(tile);
                 const auto gather = [&](std::uint64_t t, T* buf) {
                   const T* from = data + base(t);
                   for (std::uint64_t j = 0; j < runs; ++j)
                     std::memcpy(static_cast<void*>(buf + (j << run)), from + offset[j],
                                 run_len * sizeof(T));
                 };
                 const auto scatter = [&](const T* buf, std::uint64_t t) {
                   T* to = data + base(t);
                   for (std::uint64_t j = 0; j < runs; ++j) {
                     T* dst = to + offset[j];
                     const std::uint32_t* s = src.data() + (j << run);
                     for (std::uint64_t r = 0; r < run_len; ++r) dst[r] = buf[s[r]];
                   }
                 };
                 for (std::uint64_t t0 = first; t0 < last; ++t0) {
                   std::uint64_t t = next(t0);
                   if (t == t0) {
                     if (!permutes_inside) continue;
                     gather(t0, saved.data());
                     scatter(saved.data(), t0);
                     continue;
                   }
                   // Only the smallest tile of a cycle runs it.
                   bool leader = true;
                   for (; t != t0; t = next(t))
                     if (t < t0) {
                       leader = false;
                       break;
                     }
                   if (!leader) continue;
                   gather(t0, saved.data());
                   std::uint64_t cur = t0;
                   for (std::uint64_t from = next(t0); from != t0; from = next(from)) {
                     gather(from, work.data());
                     scatter(work.data(), cur);
                     cur = from;
                   }
                   scatter(saved.data(), cur);
                 }
               });
}

}  // namespace

template <class T>
void permute_positions(T* data, unsigned n, std::span<const unsigned> pos_in,
                       unsigned max_tile_bits) {
  std::vector<unsigned> pos(pos_in.begin(), pos_in.end());
  std::vector<unsigned> qubit_at(n);
  for (unsigned q = 0; q < n; ++q) qubit_at[pos[q]] = q;
  // Where the cycles through the lowest positions are longer than a tile holds, SWAP passes put
  // those positions right first (at most kMinRun passes): what is left has runs of at least
  // 2^kMinRun amplitudes, or is small enough for a single tile.
  for (unsigned p = 0; p < std::min(n, kMinRun); ++p) {
    if (run_of(tile_positions(n, pos, max_tile_bits)) >= std::min(n, kMinRun)) break;
    if (pos[p] == p) continue;
    const unsigned where = pos[p];
    const unsigned other = qubit_at[p];
    swap_positions(data, n, p, where);
    std::swap(pos[p], pos[other]);
    qubit_at[p] = p;
    qubit_at[where] = other;
  }
  bool identity = true;
  for (unsigned q = 0; q < n; ++q) identity = identity && pos[q] == q;
  if (!identity) permute_tiled(data, n, std::span<const unsigned>(pos), max_tile_bits);
}

template <class T>
void permute_positions(T* data, unsigned n, std::span<const unsigned> pos) {
  // Two tile buffers of at most 512 KiB each stay in a 2 MiB L2 with the src table.
  const unsigned bits =
      static_cast<unsigned>(std::bit_width((std::size_t{1} << 19) / sizeof(T))) - 1;
  permute_positions(data, n, pos, bits);
}

template void permute_positions(std::complex<float>*, unsigned, std::span<const unsigned>);
template void permute_positions(std::complex<double>*, unsigned, std::span<const unsigned>);
template void permute_positions(std::complex<float>*, unsigned, std::span<const unsigned>,
                                unsigned);
template void permute_positions(std::complex<double>*, unsigned, std::span<const unsigned>,
                                unsigned);
template void permute_positions(std::uint32_t*, unsigned, std::span<const unsigned>, unsigned);

}  // namespace qstate
