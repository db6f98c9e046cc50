// SIMD gate kernels, compiled once per Highway target (see simd_kernels.hpp for what they cover
// and why they give the plain kernels' bits). Amplitudes are interleaved complex numbers, so a
// vector of N lanes holds Nc = N/2 amplitudes; acc + m * a for a matrix entry m is
//   fmaddsub(re(m), a, fmaddsub(im(m), Reverse2(a), acc))
// (fmaddsub: a*b - c in real lanes, a*b + c in imaginary lanes), which is, lane by lane, the
// plain kernel's canonical cmac (plain_kernels.inc).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simulator/kernels/simd_kernels.cpp"
#include <hwy/aligned_allocator.h>
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <bit>
#include <cmath>
#include <complex>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "simulator/kernels/diagonal_chain.hpp"
#include "simulator/kernels/placement.hpp"

HWY_BEFORE_NAMESPACE();
namespace qstate::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// The plain kernels, compiled for this target (std::fma is one instruction where it has FMA).
#include "simulator/kernels/plain_kernels.inc"

#if HWY_TARGET == HWY_SCALAR || !HWY_NATIVE_FMA

// One lane, or no fused multiply-add (a vector MulAdd would round twice, unlike std::fma): the
// plain kernels run.
template <class T>
bool Dense(T*, const Placement&, const std::complex<T>*, std::uint64_t, std::uint64_t) {
  return false;
}
template <class T>
bool Diagonal(T*, const Placement&, const std::complex<T>*, std::uint64_t, std::uint64_t) {
  return false;
}
template <class T>
bool SwapPair(T*, const Placement&, std::uint64_t, std::uint64_t) {
  return false;
}
template <class T>
bool Permute(T*, const Placement&, const std::uint32_t*, std::uint64_t, std::uint64_t) {
  return false;
}
template <class T>
bool DiagonalIndexed(T*, const std::complex<T>*, std::uint64_t, std::uint64_t, std::uint64_t) {
  return false;
}
template <class T>
bool DiagonalThenDense(T*, const Placement&, const std::complex<T>*, const std::complex<T>*,
                       std::uint64_t, std::uint64_t, std::uint64_t) {
  return false;
}
template <class T>
bool DiagonalChain(T*, const ChainDiagonal<T>*, std::size_t, std::uint64_t, std::uint64_t) {
  return false;
}
template <class T>
bool DenseThenDiagonals(T*, const Placement&, const std::complex<T>*, const ChainDiagonal<T>*,
                        std::size_t, std::uint64_t, std::uint64_t) {
  return false;
}

#else

template <class T>
using D = hn::ScalableTag<T>;
template <class T>
using V = hn::Vec<D<T> >;

// fmaddsub(a, b, c): a*b - c in real (even) lanes, a*b + c in imaginary (odd) lanes, each
// rounded once. Highway 1.0 has no such op: the x86 instruction where there is one, else the
// same lane values from a fused multiply-add with c negated in the even lanes (exact).
template <class VT>
HWY_INLINE VT MulAddSub(VT a, VT b, VT c) {
  using T = hn::TFromV<VT>;
#if HWY_ARCH_X86 && (HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL)
  if constexpr (sizeof(T) == 8) {
    return V<T>{_mm512_fmaddsub_pd(a.raw, b.raw, c.raw)};
  } else {
    return V<T>{_mm512_fmaddsub_ps(a.raw, b.raw, c.raw)};
  }
#elif HWY_ARCH_X86 && HWY_TARGET == HWY_AVX2
  if constexpr (sizeof(T) == 8) {
    return V<T>{_mm256_fmaddsub_pd(a.raw, b.raw, c.raw)};
  } else {
    return V<T>{_mm256_fmaddsub_ps(a.raw, b.raw, c.raw)};
  }
#else
  const D<T> d;
  HWY_ALIGN T sign[hn::MaxLanes(d)];
  for (std::size_t j = 0; j < hn::Lanes(d); ++j) sign[j] = (j & 1) ? T(0) : T(-0.0);
  return hn::MulAdd(a, b, hn::Xor(c, hn::Load(d, sign)));
#endif
}

// A matrix entry (or one entry per amplitude of a vector) ready for complex products: its real
// and imaginary parts, each in both lanes of every amplitude.
template <class T>
struct Entry {
  V<T> re;
  V<T> im;
};

// Lane-wise entries: amplitude j of the vector takes e[j].
template <class T>
Entry<T> LaneEntries(const std::complex<T>* e) {
  const D<T> d;
  HWY_ALIGN T re[hn::MaxLanes(d)];
  HWY_ALIGN T im[hn::MaxLanes(d)];
  for (std::size_t j = 0; j < hn::Lanes(d) / 2; ++j) {
    re[2 * j] = re[2 * j + 1] = e[j].real();
    im[2 * j] = im[2 * j + 1] = e[j].imag();
  }
  return {hn::Load(d, re), hn::Load(d, im)};
}

template <class T>
Entry<T> Broadcast(std::complex<T> c) {
  const D<T> d;
  return {hn::Set(d, c.real()), hn::Set(d, c.imag())};
}

// m * a and acc + m * a in the plain kernels' canonical form (plain_kernels.inc), lane by lane;
// a_swapped = Reverse2(a) = (ai, ar) per amplitude.
template <class T>
HWY_INLINE V<T> CMul(const Entry<T>& e, V<T> a, V<T> a_swapped) {
  return MulAddSub(e.re, a, hn::Mul(e.im, a_swapped));
}

template <class T>
HWY_INLINE V<T> CMac(V<T> acc, const Entry<T>& e, V<T> a, V<T> a_swapped) {
  return MulAddSub(e.re, a, MulAddSub(e.im, a_swapped, acc));
}

template <class T>
HWY_INLINE V<T> CMul(const Entry<T>& e, V<T> a) {
  return CMul(e, a, hn::Reverse2(D<T>(), a));
}

// Table that maps each amplitude j of a vector to amplitude source(j) (lanes move in pairs).
template <class T, class F>
auto LaneTable(F&& source) {
  const D<T> d;
  using TI = hwy::MakeSigned<T>;
  HWY_ALIGN TI idx[hn::MaxLanes(d)];
  for (std::size_t j = 0; j < hn::Lanes(d) / 2; ++j) {
    idx[2 * j] = static_cast<TI>(2 * source(j));
    idx[2 * j + 1] = static_cast<TI>(2 * source(j) + 1);
  }
  return hn::SetTableIndices(d, idx);
}

template <class T>
auto PartnerTable(std::size_t flip) {
  return LaneTable<T>([flip](std::size_t j) { return j ^ flip; });
}

// Amplitudes per vector, and its log2.
template <class T>
std::uint64_t ComplexLanes() {
  return hn::Lanes(D<T>()) / 2;
}

// BMI2's pext where the target has it (AVX2 and better), else the portable loop.
HWY_INLINE std::uint64_t Extract(std::uint64_t value, std::uint64_t mask) {
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2
  return _pext_u64(value, mask);
#else
  return extract_bits(value, mask);
#endif
}

// The entries of one vector of a bit-indexed diagonal (apply_diagonal_indexed): lane j takes
// dg[h + extract(j, lane_mask)], h the index of the vector's first amplitude (whose lane bits
// are 0). With every lane bit in the mask the entries are consecutive: one load, the parts
// duplicated; with some, gathered lane by lane; with none, one broadcast.
template <class T>
HWY_INLINE Entry<T> IndexedEntries(const std::complex<T>* dg, std::uint64_t h,
                                   std::uint64_t lane_mask) {
  const D<T> d;
  const std::uint64_t nc = hn::Lanes(d) / 2;
  if (lane_mask == 0) return Broadcast(dg[h]);
  if (lane_mask == nc - 1) {
    const V<T> v = hn::LoadU(d, reinterpret_cast<const T*>(dg + h));
    return {hn::DupEven(v), hn::DupOdd(v)};
  }
  std::complex<T> lanes_of[hn::MaxLanes(d) / 2 + 1];
  for (std::size_t j = 0; j < nc; ++j) lanes_of[j] = dg[h + Extract(j, lane_mask)];
  return LaneEntries<T>(lanes_of);
}

// One diagonal of a chain (diagonal_chain.hpp), prepared for vectors: how a vector's entries
// come out of the table (one broadcast, one load, or a load and a lane permutation), and its
// controls split into those above the vector (one test per vector) and those among its lanes (a
// lane mask: the lanes where they fail keep their bits).
template <class T>
struct ChainStep {
  using Indices =
      decltype(hn::SetTableIndices(D<T>(), static_cast<const hwy::MakeSigned<T>*>(nullptr)));
  using Mask = decltype(hn::MaskFromVec(hn::Zero(D<T>())));
  const std::complex<T>* table = nullptr;
  std::uint64_t mask = 0;
  std::uint64_t high_control_mask = 0;
  std::uint64_t high_control_value = 0;
  int lanes = 0;  // 0: no lane in the mask (broadcast), 1: all (load), 2: some (load, permute)
  bool lane_control = false;
  Indices pick;  // lanes == 2: amplitude j of the vector takes loaded entry extract(j, lane mask)
  Mask keep;     // lane_control: the lanes whose controls hold
};

template <class T>
ChainStep<T> MakeChainStep(const ChainDiagonal<T>& c) {
  const D<T> d;
  const std::uint64_t nc = ComplexLanes<T>();
  ChainStep<T> s;
  s.table = c.table;
  s.mask = c.mask;
  s.high_control_mask = c.control_mask & ~(nc - 1);
  s.high_control_value = c.control_value & ~(nc - 1);
  const std::uint64_t lane_mask = c.mask & (nc - 1);
  s.lanes = lane_mask == 0 ? 0 : lane_mask == nc - 1 ? 1 : 2;
  s.pick = LaneTable<T>([lane_mask](std::size_t j) { return Extract(j, lane_mask); });
  const std::uint64_t lane_controls = c.control_mask & (nc - 1);
  s.lane_control = lane_controls != 0;
  HWY_ALIGN T holds[hn::MaxLanes(d)];
  for (std::size_t j = 0; j < hn::Lanes(d); ++j)
    holds[j] = ((j / 2) & lane_controls) == (c.control_value & lane_controls) ? T(1) : T(0);
  s.keep = hn::Gt(hn::Load(d, holds), hn::Zero(d));
  return s;
}

// One link of a chain on N vectors (vector j's first amplitude is idx[j], lane bits 0): where
// its controls hold, a[j] times the link's entries. The vectors are independent, so their
// products overlap instead of waiting on each other. What varies per link is decided outside
// the loop over vectors: how a vector's entries come out of the table (`entries`), whether the
// link has controls above the vector (kHigh) and among its lanes (kLanes).
template <class T, std::size_t N, bool kHigh, bool kLanes, class Entries>
HWY_INLINE void ChainLink(const ChainStep<T>& s, const std::uint64_t* idx, V<T>* a,
                          const Entries& entries) {
  HWY_UNROLL(16)
  for (std::size_t j = 0; j < N; ++j) {
    if (kHigh && (idx[j] & s.high_control_mask) != s.high_control_value) continue;
    const V<T> p = CMul(entries(s.table + Extract(idx[j], s.mask)), a[j]);
    a[j] = kLanes ? hn::IfThenElse(s.keep, p, a[j]) : p;
  }
}

template <class T, std::size_t N, class Entries>
HWY_INLINE void ChainLinkControls(const ChainStep<T>& s, const std::uint64_t* idx, V<T>* a,
                                  const Entries& entries) {
  if (s.high_control_mask == 0 && !s.lane_control)
    ChainLink<T, N, false, false>(s, idx, a, entries);
  else
    ChainLink<T, N, true, true>(s, idx, a, entries);  // keep is all-true without lane controls
}

// The chain on N vectors (vector j's first amplitude is idx[j]): link after link, each link on
// all N vectors, so every vector gets each link's entries in chain order, where the link's
// controls hold (the same products, in the same order, as one vector at a time).
template <class T, std::size_t N>
HWY_INLINE void ApplyChain(const ChainStep<T>* steps, std::size_t count, const std::uint64_t* idx,
                           V<T>* a) {
  const D<T> d;
  for (std::size_t k = 0; k < count; ++k) {
    const ChainStep<T>& s = steps[k];
    if (s.lanes == 0) {
      ChainLinkControls<T, N>(s, idx, a, [](const std::complex<T>* e) { return Broadcast(*e); });
    } else if (s.lanes == 1) {
      ChainLinkControls<T, N>(s, idx, a, [d](const std::complex<T>* e) {
        const V<T> v = hn::LoadU(d, reinterpret_cast<const T*>(e));
        return Entry<T>{hn::DupEven(v), hn::DupOdd(v)};
      });
    } else {
      ChainLinkControls<T, N>(s, idx, a, [d, &s](const std::complex<T>* e) {
        const V<T> v = hn::TableLookupLanes(hn::LoadU(d, reinterpret_cast<const T*>(e)), s.pick);
        return Entry<T>{hn::DupEven(v), hn::DupOdd(v)};
      });
    }
  }
}

// Vectors DiagonalChain takes through the chain together.
inline constexpr std::size_t kChainTile = 8;

// diagonal_chain on whole vectors [begin, end), kChainTile vectors at a time.
template <class T>
bool DiagonalChain(T* amp, const ChainDiagonal<T>* chain, std::size_t count, std::uint64_t begin,
                   std::uint64_t end) {
  const D<T> d;
  const std::uint64_t nc = ComplexLanes<T>();
  if (((begin | end) & (nc - 1)) != 0 || count > kMaxChainDiagonals) return false;
  ChainStep<T> steps[kMaxChainDiagonals];
  for (std::size_t k = 0; k < count; ++k) steps[k] = MakeChainStep(chain[k]);
  std::uint64_t i = begin;
  for (; i + kChainTile * nc <= end; i += kChainTile * nc) {
    std::uint64_t idx[kChainTile];
    V<T> a[kChainTile];
    HWY_UNROLL(16)
    for (std::size_t j = 0; j < kChainTile; ++j) {
      idx[j] = i + j * nc;
      a[j] = hn::LoadU(d, amp + 2 * idx[j]);
    }
    ApplyChain<T, kChainTile>(steps, count, idx, a);
    HWY_UNROLL(16)
    for (std::size_t j = 0; j < kChainTile; ++j) hn::StoreU(a[j], d, amp + 2 * idx[j]);
  }
  for (; i < end; i += nc) {
    V<T> a = hn::LoadU(d, amp + 2 * i);
    ApplyChain<T, 1>(steps, count, &i, &a);
    hn::StoreU(a, d, amp + 2 * i);
  }
  return true;
}

// All positions of the gate at or above log2(Nc), and [begin, end) whole vectors: every run of
// groups is a whole number of aligned vectors.
template <class T>
bool WholeVectors(const Placement& pl, std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t nc = ComplexLanes<T>();
  return nc >= 1 && pl.lowest_fixed() >= static_cast<unsigned>(std::countr_zero(nc)) &&
         ((begin | end) & (nc - 1)) == 0;
}

// The gate's lowest position is its only target, inside a vector, and everything else is at or
// above log2(Nc); [begin, end) whole vectors (Nc/2 groups each).
template <class T>
bool InVector(const Placement& pl, std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t nc = ComplexLanes<T>();
  const auto l = static_cast<unsigned>(std::countr_zero(nc));
  if (nc < 2 || pl.num_targets() != 1 || pl.lowest_fixed() >= l || pl.second_fixed() < l)
    return false;
  if (pl.offsets()[1] != (std::uint64_t{1} << pl.lowest_fixed())) return false;  // a control
  return ((begin | end) & (nc / 2 - 1)) == 0;
}

// What DenseMixed's inner loop reads: per column c its high pattern and lane table, per output
// vector h and column c the lane-wise entries e[h * dim + c].
template <class T, class Table>
struct MixedArgs {
  const std::uint64_t* high_offset;
  const std::size_t* c_high;
  const Table* tables;
  const std::size_t* table_of;
  const Entry<T>* e;
  std::size_t dim;
};

// H output vectors (the high patterns) for G vector groups at p[0..G), sums in registers,
// columns in increasing order.
template <class T, class Table, unsigned H, unsigned G>
HWY_INLINE void MixedGroups(T* const* p, const MixedArgs<T, Table>& a) {
  const D<T> d;
  V<T> acc[H][G];
  {
    V<T> o[G];
    V<T> sw[G];
    HWY_UNROLL(16)
    for (unsigned g = 0; g < G; ++g) {
      o[g] = hn::TableLookupLanes(hn::LoadU(d, p[g] + a.high_offset[a.c_high[0]]),
                                  a.tables[a.table_of[0]]);
      sw[g] = hn::Reverse2(d, o[g]);
    }
    HWY_UNROLL(16)
    for (unsigned h = 0; h < H; ++h) {
      const Entry<T>& en = a.e[h * a.dim];
      HWY_UNROLL(16)
      for (unsigned g = 0; g < G; ++g) acc[h][g] = CMul(en, o[g], sw[g]);
    }
  }
  for (std::size_t c = 1; c < a.dim; ++c) {
    V<T> o[G];
    V<T> sw[G];
    const auto table = a.tables[a.table_of[c]];
    const std::uint64_t from = a.high_offset[a.c_high[c]];
    HWY_UNROLL(16)
    for (unsigned g = 0; g < G; ++g) {
      o[g] = hn::TableLookupLanes(hn::LoadU(d, p[g] + from), table);
      sw[g] = hn::Reverse2(d, o[g]);
    }
    HWY_UNROLL(16)
    for (unsigned h = 0; h < H; ++h) {
      const Entry<T>& en = a.e[h * a.dim + c];
      HWY_UNROLL(16)
      for (unsigned g = 0; g < G; ++g) acc[h][g] = CMac(acc[h][g], en, o[g], sw[g]);
    }
  }
  HWY_UNROLL(16)
  for (unsigned h = 0; h < H; ++h) {
    HWY_UNROLL(16)
    for (unsigned g = 0; g < G; ++g) hn::StoreU(acc[h][g], d, p[g] + a.high_offset[h]);
  }
}

template <class T, class Table, unsigned H, unsigned G>
void MixedLoop(T* amp, const Placement& pl, const MixedArgs<T, Table>& a, std::uint64_t begin,
               std::uint64_t end, std::uint64_t per_vector) {
  T* pending[G];
  unsigned count = 0;
  for (std::uint64_t g = begin; g < end; g += per_vector) {
    pending[count++] = amp + 2 * pl.base(g);
    if (count == G) {
      MixedGroups<T, Table, H, G>(pending, a);
      count = 0;
    }
  }
  for (unsigned j = 0; j < count; ++j) MixedGroups<T, Table, H, 1>(pending + j, a);
}

// Dense gate of 2 to 4 targets with some or all targets inside a vector (positions below
// log2(Nc)) and everything else at or above. A group of vectors (one per pattern h of the high
// targets) holds whole groups of the gate: for column c (low part cl, high part ch) the operand of
// every lane is vector ch with the lane's low-target bits replaced by cl (a lane permutation), and
// lane j of output vector h takes the matrix row made of j's low-target bits and h. Columns are
// summed in increasing order, as in the plain kernel.
template <class T>
bool DenseMixed(T* amp, const Placement& pl, const std::complex<T>* m, std::uint64_t begin,
                std::uint64_t end) {
  const D<T> d;
  const std::uint64_t nc = ComplexLanes<T>();
  const unsigned k = pl.num_targets();
  if (nc < 2 || k < 2 || k > 4) return false;
  const auto l = static_cast<unsigned>(std::countr_zero(nc));
  unsigned pos[4];
  unsigned kl = 0;
  std::size_t lane_mask = 0;  // low-target bits of a lane index
  for (unsigned j = 0; j < k; ++j) {
    pos[j] = pl.target_position(j);
    if (pos[j] < l) {
      ++kl;
      lane_mask |= std::size_t{1} << pos[j];
    }
  }
  if (kl == 0 || pl.fixed_below(l) != kl) return false;
  const std::uint64_t per_vector = nc >> kl;  // gate groups per vector group
  if (((begin | end) & (per_vector - 1)) != 0) return false;
  const std::size_t dim = std::size_t{1} << k;
  const unsigned kh = k - kl;
  const std::size_t highs = std::size_t{1} << kh;
  // Column c split into its low-target lane bits and its high pattern (high targets in order).
  std::size_t c_lane[16];
  std::size_t c_high[16];
  std::uint64_t high_offset[8] = {0};
  for (std::size_t c = 0; c < dim; ++c) {
    std::size_t lane = 0, high = 0;
    unsigned hj = 0;
    for (unsigned j = 0; j < k; ++j) {
      const bool set = ((c >> j) & 1U) != 0;
      if (pos[j] < l) {
        if (set) lane |= std::size_t{1} << pos[j];
      } else {
        if (set) high |= std::size_t{1} << hj;
        ++hj;
      }
    }
    c_lane[c] = lane;
    c_high[c] = high;
    if (lane == 0) high_offset[high] = 2 * pl.offsets()[c];
  }
  // Lane tables: lane j reads lane (j without its low-target bits) | pattern.
  std::size_t patterns[16];
  std::size_t num_patterns = 0;
  for (std::size_t c = 0; c < dim; ++c)
    if (c_high[c] == 0) patterns[num_patterns++] = c_lane[c];
  using Table = decltype(LaneTable<T>([](std::size_t j) { return j; }));
  Table tables[16];
  std::size_t table_of[16];
  for (std::size_t t = 0; t < num_patterns; ++t) {
    const std::size_t pattern = patterns[t];
    tables[t] = LaneTable<T>([=](std::size_t j) { return (j & ~lane_mask) | pattern; });
  }
  for (std::size_t c = 0; c < dim; ++c)
    for (std::size_t t = 0; t < num_patterns; ++t)
      if (patterns[t] == c_lane[c]) table_of[c] = t;
  // Entries: output vector h, column c, lane j -> m[row(j, h)][c].
  Entry<T> e[8 * 16];
  for (std::size_t h = 0; h < highs; ++h)
    for (std::size_t c = 0; c < dim; ++c) {
      std::complex<T> lanes_of[hn::MaxLanes(d) / 2 + 1];
      for (std::size_t j = 0; j < nc; ++j) {
        std::size_t row = 0;
        unsigned hj = 0;
        for (unsigned t = 0; t < k; ++t) {
          bool set;
          if (pos[t] < l) {
            set = ((j >> pos[t]) & 1U) != 0;
          } else {
            set = ((h >> hj) & 1U) != 0;
            ++hj;
          }
          if (set) row |= std::size_t{1} << t;
        }
        lanes_of[j] = m[row * dim + c];
      }
      e[h * dim + c] = LaneEntries<T>(lanes_of);
    }
  MixedArgs<T, Table> args{high_offset, c_high, tables, table_of, e, dim};
  switch (highs) {
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
    case 1:
      MixedLoop<T, Table, 1, 4>(amp, pl, args, begin, end, per_vector);
      break;
    case 2:
      MixedLoop<T, Table, 2, 4>(amp, pl, args, begin, end, per_vector);
      break;
    case 4:
      MixedLoop<T, Table, 4, 4>(amp, pl, args, begin, end, per_vector);
      break;
    default:
      MixedLoop<T, Table, 8, 2>(amp, pl, args, begin, end, per_vector);
      break;
#else
    case 1:
      MixedLoop<T, Table, 1, 4>(amp, pl, args, begin, end, per_vector);
      break;
    case 2:
      MixedLoop<T, Table, 2, 2>(amp, pl, args, begin, end, per_vector);
      break;
    case 4:
      MixedLoop<T, Table, 4, 2>(amp, pl, args, begin, end, per_vector);
      break;
    default:
      MixedLoop<T, Table, 8, 1>(amp, pl, args, begin, end, per_vector);
      break;
#endif
  }
  return true;
}

// Dense gate on whole vectors (every position at or above log2(Nc)), register blocked like a
// matrix-multiply micro-kernel: the sums of R output rows for G vector positions stay in
// registers while the columns go by in increasing order (each input vector is loaded and
// swapped once per row block, each matrix entry is broadcast once per G vectors).
//
// Lanes each matrix entry of the register-blocked kernel fills in its table: 1 (broadcast when
// used) or, with kSpread, a whole vector (loaded when used).
template <class T, bool kSpread>
HWY_INLINE std::size_t EntryLanes() {
  return kSpread ? hn::Lanes(D<T>()) : 1;
}

// Rows<R, G>: rows r0 .. r0 + R - 1 for G vector positions. Column c of position g is read at
// src[g] + so[c], output row r is written at dst[g] + od[r]; re / im: the entries, column-major,
// already offset by r0 (entry (r0 + r, c) at [c * dim + r]; with kSpread each entry fills a
// vector, at [(c * dim + r) * lanes], and is loaded instead of broadcast).
template <class T, unsigned R, unsigned G, bool kSpread, class Pre>
HWY_INLINE void Rows(const T* const* src, const std::uint64_t* so, T* const* dst,
                     const std::uint64_t* od, const T* re, const T* im, std::size_t dim,
                     const Pre& pre) {
  const D<T> d;
  const auto entry = [&](const T* e, unsigned r) {
    if constexpr (kSpread)
      return hn::Load(d, e + r * hn::Lanes(d));
    else
      return hn::Set(d, e[r]);
  };
  const std::size_t stride = dim * EntryLanes<T, kSpread>();
  V<T> acc[R][G];
  {
    V<T> a[G];
    V<T> s[G];
    HWY_UNROLL(16)
    for (unsigned g = 0; g < G; ++g) {
      a[g] = pre.load(hn::LoadU(d, src[g] + so[0]), g, 0);
      s[g] = hn::Reverse2(d, a[g]);
    }
    HWY_UNROLL(16)
    for (unsigned r = 0; r < R; ++r) {
      const V<T> er = entry(re, r);
      const V<T> ei = entry(im, r);
      HWY_UNROLL(16)
      for (unsigned g = 0; g < G; ++g) acc[r][g] = MulAddSub(er, a[g], hn::Mul(ei, s[g]));
    }
  }
  for (std::size_t c = 1; c < dim; ++c) {
    const T* rc = re + c * stride;
    const T* ic = im + c * stride;
    V<T> a[G];
    V<T> s[G];
    HWY_UNROLL(16)
    for (unsigned g = 0; g < G; ++g) {
      a[g] = pre.load(hn::LoadU(d, src[g] + so[c]), g, c);
      s[g] = hn::Reverse2(d, a[g]);
    }
    HWY_UNROLL(16)
    for (unsigned r = 0; r < R; ++r) {
      const V<T> er = entry(rc, r);
      const V<T> ei = entry(ic, r);
      HWY_UNROLL(16)
      for (unsigned g = 0; g < G; ++g)
        acc[r][g] = MulAddSub(er, a[g], MulAddSub(ei, s[g], acc[r][g]));
    }
  }
  pre.template finish<R, G>(acc);
  HWY_UNROLL(16)
  for (unsigned r = 0; r < R; ++r) {
    HWY_UNROLL(16)
    for (unsigned g = 0; g < G; ++g) hn::StoreU(acc[r][g], d, dst[g] + od[r]);
  }
}

// What an input vector goes through as it is loaded (load) and a row block's outputs before they
// are stored (finish, on all R x G at once): nothing (NoFold), the product with a bit-indexed
// diagonal applied to the inputs, before the gate (DiagonalFold, with the diagonal gate's own
// arithmetic, CMul, on the entries IndexedEntries picks), or a chain of diagonals applied to the
// outputs, after it (ChainFold). at(g, i) tells the fold that vector
// position g starts at amplitude i; single(g) is the fold for position g alone.
struct NoFold {
  template <class VT>
  HWY_INLINE VT load(VT a, unsigned, std::size_t) const {
    return a;
  }
  template <unsigned R, unsigned G, class VT>
  HWY_INLINE void finish(VT (&)[R][G]) const {}
  HWY_INLINE void at(unsigned, std::uint64_t) {}
  NoFold single(unsigned) const { return {}; }
  NoFold rows_from(std::size_t) const { return {}; }
};

// h[g]: the diagonal index bits of vector position g's base; col[j]: those of offset j (disjoint
// bits, so the entry index of column j at position g is h[g] | col[j]).
template <class T, unsigned G>
struct DiagonalFold {
  const std::complex<T>* dg;
  const std::uint64_t* col;
  std::uint64_t mask;       // the diagonal's positions
  std::uint64_t lane_mask;  // those inside a vector
  std::uint64_t h[G];
  HWY_INLINE V<T> load(V<T> a, unsigned g, std::size_t c) const {
    return CMul(IndexedEntries(dg, h[g] | col[c], lane_mask), a);
  }
  template <unsigned R, unsigned G2>
  HWY_INLINE void finish(V<T> (&)[R][G2]) const {}
  HWY_INLINE void at(unsigned g, std::uint64_t i) { h[g] = Extract(i, mask); }
  DiagonalFold<T, 1> single(unsigned g) const { return {dg, col, mask, lane_mask, {h[g]}}; }
  // For the row block from r0, its inputs already loaded (through load) into a buffer.
  NoFold rows_from(std::size_t) const { return {}; }
};

// A chain of diagonals folded into the outputs: output row r of position g starts at amplitude
// base[g] + off[r] (the gate's offsets, amplitude units).
template <class T, unsigned G>
struct ChainFold {
  const ChainStep<T>* steps;
  std::size_t count;
  const std::uint64_t* off;
  std::uint64_t base[G];
  HWY_INLINE V<T> load(V<T> a, unsigned, std::size_t) const { return a; }
  // The chain on the R x G outputs of Rows (rows off[0..R), positions base[0..G)), all at once.
  template <unsigned R, unsigned G2>
  HWY_INLINE void finish(V<T> (&acc)[R][G2]) const {
    static_assert(G2 == G);
    std::uint64_t idx[R * G];
    HWY_UNROLL(16)
    for (unsigned r = 0; r < R; ++r) {
      HWY_UNROLL(16)
      for (unsigned g = 0; g < G; ++g) idx[r * G + g] = base[g] + off[r];
    }
    ApplyChain<T, R * G>(steps, count, idx, &acc[0][0]);
  }
  HWY_INLINE void at(unsigned g, std::uint64_t i) { base[g] = i; }
  ChainFold<T, 1> single(unsigned g) const { return {steps, count, off, {base[g]}}; }
  ChainFold rows_from(std::size_t r0) const {
    ChainFold f = *this;
    f.off += r0;
    return f;
  }
};

// The whole gate for G vector positions p[0..G). With dim <= R the outputs are stored after
// every input was read; with more rows the inputs are first copied to `buf` (G * dim vectors,
// through pre.load), since row block 0's outputs overwrite inputs that later row blocks still read.
template <class T, unsigned R, unsigned G, bool kSpread, class Pre>
HWY_INLINE void DenseVectors(T* const* p, const std::uint64_t* o, const T* re, const T* im,
                             std::size_t dim, T* buf, const Pre& pre) {
  if (dim <= R) {
    Rows<T, R, G, kSpread>(p, o, p, o, re, im, dim, pre);
    return;
  }
  const D<T> d;
  const std::size_t n = hn::Lanes(d);
  const std::size_t spread = EntryLanes<T, kSpread>();
  for (std::size_t c = 0; c < dim; ++c)
    for (unsigned g = 0; g < G; ++g)
      hn::Store(pre.load(hn::LoadU(d, p[g] + o[c]), g, c), d, buf + (c * G + g) * n);
  const T* src[G];
  std::uint64_t so[64];
  for (unsigned g = 0; g < G; ++g) src[g] = buf + g * n;
  for (std::size_t c = 0; c < dim; ++c) so[c] = c * G * n;
  for (std::size_t r0 = 0; r0 < dim; r0 += R)
    Rows<T, R, G, kSpread>(src, so, p, o + r0, re + r0 * spread, im + r0 * spread, dim,
                           pre.rows_from(r0));
}

// What a dense gate's sweep also applies: a bit-indexed diagonal (see apply_diagonal_indexed)
// folded into its inputs, or a chain of diagonals into its outputs, or neither.
template <class T>
struct Folds {
  const std::complex<T>* before = nullptr;
  std::uint64_t before_mask = 0;
  const ChainStep<T>* after = nullptr;
  std::size_t after_count = 0;
};

template <class T, unsigned R, unsigned G, bool kSpread = false>
void DenseBlocked(T* amp, const Placement& pl, const std::complex<T>* m, std::uint64_t begin,
                  std::uint64_t end, const Folds<T>& folds = {}) {
  const D<T> d;
  const std::uint64_t nc = ComplexLanes<T>();
  const std::size_t n = hn::Lanes(d);
  const std::size_t dim = std::size_t{1} << pl.num_targets();
  // Entries column-major (transposed), real and imaginary parts apart, for broadcasts; or, with
  // kSpread, each already in all n lanes (loads instead of broadcasts).
  const std::size_t spread = EntryLanes<T, kSpread>();
  auto re = hwy::AllocateAligned<T>(dim * dim * spread);
  auto im = hwy::AllocateAligned<T>(dim * dim * spread);
  for (std::size_t r = 0; r < dim; ++r)
    for (std::size_t c = 0; c < dim; ++c)
      for (std::size_t j = 0; j < spread; ++j) {
        re[(c * dim + r) * spread + j] = m[r * dim + c].real();
        im[(c * dim + r) * spread + j] = m[r * dim + c].imag();
      }
  std::uint64_t o[64];
  std::uint64_t col[64];
  for (std::size_t j = 0; j < dim; ++j) {
    o[j] = 2 * pl.offsets()[j];
    col[j] = Extract(pl.offsets()[j], folds.before_mask);
  }
  auto buf = hwy::AllocateAligned<T>(dim > R ? dim * G * n : n);
  // The vector positions of groups [begin, end), G at a time, the rest one by one.
  const auto sweep = [&](auto fold) {
    T* pending[G];
    unsigned count = 0;
    pl.for_each_run(begin, end, [&](std::uint64_t b, std::uint64_t groups) {
      for (std::uint64_t i = 0; i < groups; i += nc) {
        fold.at(count, b + i);
        pending[count++] = amp + 2 * (b + i);
        if (count == G) {
          DenseVectors<T, R, G, kSpread>(pending, o, re.get(), im.get(), dim, buf.get(), fold);
          count = 0;
        }
      }
    });
    for (unsigned j = 0; j < count; ++j)
      DenseVectors<T, R, 1, kSpread>(pending + j, o, re.get(), im.get(), dim, buf.get(),
                                     fold.single(j));
  };
  if (folds.before != nullptr)
    sweep(
        DiagonalFold<T, G>{folds.before, col, folds.before_mask, folds.before_mask & (nc - 1), {}});
  else if (folds.after_count > 0)
    sweep(ChainFold<T, G>{folds.after, folds.after_count, pl.offsets(), {}});
  else
    sweep(NoFold{});
}

// Row and position blocking per target: R * G sums plus 2 G inputs (and the broadcast entries)
// fit the register file (32 vectors with AVX-512, 16 with AVX2).
template <class T>
void DenseWhole(T* amp, const Placement& pl, const std::complex<T>* m, std::uint64_t begin,
                std::uint64_t end, const Folds<T>& folds = {}) {
  const unsigned k = pl.num_targets();
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
  if (k == 1) return DenseBlocked<T, 2, 4>(amp, pl, m, begin, end, folds);
  if (k == 2) return DenseBlocked<T, 4, 4>(amp, pl, m, begin, end, folds);
  return DenseBlocked<T, 8, 2>(amp, pl, m, begin, end, folds);
#elif HWY_TARGET == HWY_AVX2
  // Entries spread over a vector in memory (loads, not broadcasts: a broadcast from memory costs
  // a shuffle-pipe slot on AMD Zen 3) while the table fits L1 (k <= 4); k = 3 with all 8 rows in
  // one register block (no copy of the inputs). Zen 3, 1 MiB in L3, double, ns/amplitude:
  // k = 1 1.57 -> 1.30, k = 2 1.60 -> 1.35, k = 3 3.05 -> 2.10, k = 4 4.6 -> 3.8
  // (bench/RESULTS.md, "On AMD EPYC (Zen 3, AVX2)").
  if (k == 1) return DenseBlocked<T, 2, 3, true>(amp, pl, m, begin, end, folds);
  if (k == 3) return DenseBlocked<T, 8, 1, true>(amp, pl, m, begin, end, folds);
  if (k <= 4) return DenseBlocked<T, 4, 2, true>(amp, pl, m, begin, end, folds);
  return DenseBlocked<T, 4, 2>(amp, pl, m, begin, end, folds);
#else
  (void)k;
  return DenseBlocked<T, 4, 1>(amp, pl, m, begin, end, folds);
#endif
}

template <class T>
bool Dense(T* amp, const Placement& pl, const std::complex<T>* m, std::uint64_t begin,
           std::uint64_t end) {
  const D<T> d;
  const std::uint64_t nc = ComplexLanes<T>();
  const unsigned k = pl.num_targets();
  if (WholeVectors<T>(pl, begin, end)) {
    if (k > 6) return false;
    DenseWhole<T>(amp, pl, m, begin, end);
    return true;
  }
  if (DenseMixed<T>(amp, pl, m, begin, end)) return true;
  if (k == 1 && InVector<T>(pl, begin, end)) {
    // Amplitude j of a vector, bit = its target bit: out = m[bit][0] * a_(j without the bit) +
    // m[bit][1] * a_(j with the bit), the plain kernel's column order.
    const std::size_t flip = std::size_t{1} << pl.lowest_fixed();
    std::complex<T> col0[hn::MaxLanes(d) / 2 + 1];
    std::complex<T> col1[hn::MaxLanes(d) / 2 + 1];
    for (std::size_t j = 0; j < nc; ++j) {
      const bool one = (j & flip) != 0;
      col0[j] = one ? m[2] : m[0];
      col1[j] = one ? m[3] : m[1];
    }
    const Entry<T> e0 = LaneEntries<T>(col0), e1 = LaneEntries<T>(col1);
    const auto zero_of = LaneTable<T>([flip](std::size_t j) { return j & ~flip; });
    const auto one_of = LaneTable<T>([flip](std::size_t j) { return j | flip; });
    const std::uint64_t step = nc / 2;
    for (std::uint64_t g = begin; g < end; g += step) {
      T* p = amp + 2 * pl.base(g);
      const V<T> a = hn::LoadU(d, p);
      const V<T> a0 = hn::TableLookupLanes(a, zero_of);
      const V<T> a1 = hn::TableLookupLanes(a, one_of);
      hn::StoreU(CMac(CMul(e0, a0), e1, a1, hn::Reverse2(d, a1)), d, p);
    }
    return true;
  }
  return false;
}

// The bit-indexed diagonal (apply_diagonal_indexed) on whole vectors [begin, end): one entry
// vector per run of amplitudes with the same masked bits above the vector.
template <class T>
bool DiagonalIndexed(T* amp, const std::complex<T>* dg, std::uint64_t mask, std::uint64_t begin,
                     std::uint64_t end) {
  const D<T> d;
  const std::uint64_t nc = ComplexLanes<T>();
  if (((begin | end) & (nc - 1)) != 0) return false;
  const std::uint64_t lane_mask = mask & (nc - 1);
  const std::uint64_t high = mask & ~(nc - 1);
  const std::uint64_t run = high & (~high + 1);  // 0: one run
  for (std::uint64_t i = begin; i < end;) {
    const std::uint64_t stop = run == 0 ? end : std::min(end, (i | (run - 1)) + 1);
    const Entry<T> e = IndexedEntries(dg, Extract(i, mask), lane_mask);
    for (; i < stop; i += nc) {
      T* p = amp + 2 * i;
      hn::StoreU(CMul(e, hn::LoadU(d, p)), d, p);
    }
  }
  return true;
}

// An uncontrolled dense gate of at most 6 targets on whole vectors with its folds (else false,
// nothing done). A folded diagonal reaches only the amplitudes of groups [begin, end): callers
// cover the array.
template <class T>
bool FoldedDense(T* amp, const Placement& pl, const std::complex<T>* m, std::uint64_t begin,
                 std::uint64_t end, const Folds<T>& folds) {
  if (pl.num_fixed() != pl.num_targets() || pl.num_targets() > 6 ||
      !WholeVectors<T>(pl, begin, end))
    return false;
  DenseWhole<T>(amp, pl, m, begin, end, folds);
  return true;
}

// The bit-indexed diagonal and then the dense gate, in one sweep: each input vector is
// multiplied by its entries as the dense kernel loads it, with the diagonal kernel's arithmetic,
// so the bits are those of the two kernels one after the other. Lanes either all or none in the
// mask.
template <class T>
bool DiagonalThenDense(T* amp, const Placement& pl, const std::complex<T>* m,
                       const std::complex<T>* dg, std::uint64_t mask, std::uint64_t begin,
                       std::uint64_t end) {
  const std::uint64_t nc = ComplexLanes<T>();
  const std::uint64_t lane_mask = mask & (nc - 1);
  if (lane_mask != 0 && lane_mask != nc - 1) return false;
  Folds<T> folds;
  folds.before = dg;
  folds.before_mask = mask;
  return FoldedDense<T>(amp, pl, m, begin, end, folds);
}

// The dense gate and then a chain of diagonals, in one sweep: each output vector goes through
// the chain before it is stored (same bits as the dense kernel and then one diagonal kernel per
// link).
template <class T>
bool DenseThenDiagonals(T* amp, const Placement& pl, const std::complex<T>* m,
                        const ChainDiagonal<T>* chain, std::size_t count, std::uint64_t begin,
                        std::uint64_t end) {
  if (count > kMaxChainDiagonals) return false;
  ChainStep<T> steps[kMaxChainDiagonals];
  for (std::size_t k = 0; k < count; ++k) steps[k] = MakeChainStep(chain[k]);
  Folds<T> folds;
  folds.after = steps;
  folds.after_count = count;
  return FoldedDense<T>(amp, pl, m, begin, end, folds);
}

// Diagonal with some targets inside a vector and everything else (up to 6 high targets, all
// controls) at or above log2(Nc): lane j of the vector for high pattern h takes entry
// d[index made of j's low-target bits and h].
template <class T>
bool DiagonalMixed(T* amp, const Placement& pl, const std::complex<T>* dg, std::uint64_t begin,
                   std::uint64_t end) {
  const D<T> d;
  const std::uint64_t nc = ComplexLanes<T>();
  const unsigned k = pl.num_targets();
  if (nc < 2 || k < 1) return false;
  const auto l = static_cast<unsigned>(std::countr_zero(nc));
  unsigned kl = 0;
  for (unsigned j = 0; j < k; ++j) kl += pl.target_position(j) < l ? 1U : 0U;
  const unsigned kh = k - kl;
  if (kl == 0 || kh > 6 || pl.fixed_below(l) != kl) return false;
  const std::uint64_t per_vector = nc >> kl;
  if (((begin | end) & (per_vector - 1)) != 0) return false;
  const std::size_t highs = std::size_t{1} << kh;
  std::uint64_t high_offset[64];
  Entry<T> e[64];
  for (std::size_t h = 0; h < highs; ++h) {
    std::complex<T> lanes_of[hn::MaxLanes(d) / 2 + 1];
    std::uint64_t offset = 0;
    for (std::size_t j = 0; j < nc; ++j) {
      std::size_t index = 0;
      unsigned hj = 0;
      for (unsigned t = 0; t < k; ++t) {
        const unsigned p = pl.target_position(t);
        bool set;
        if (p < l) {
          set = ((j >> p) & 1U) != 0;
        } else {
          set = ((h >> hj) & 1U) != 0;
          ++hj;
          if (set && j == 0) offset |= std::uint64_t{1} << p;
        }
        if (set) index |= std::size_t{1} << t;
      }
      lanes_of[j] = dg[index];
    }
    e[h] = LaneEntries<T>(lanes_of);
    high_offset[h] = 2 * offset;
  }
  for (std::uint64_t g = begin; g < end; g += per_vector) {
    T* p = amp + 2 * pl.base(g);
    for (std::size_t h = 0; h < highs; ++h)
      hn::StoreU(CMul(e[h], hn::LoadU(d, p + high_offset[h])), d, p + high_offset[h]);
  }
  return true;
}

template <class T>
bool Diagonal(T* amp, const Placement& pl, const std::complex<T>* dg, std::uint64_t begin,
              std::uint64_t end) {
  const D<T> d;
  const std::uint64_t nc = ComplexLanes<T>();
  const std::uint64_t* off = pl.offsets();
  const unsigned k = pl.num_targets();
  if (WholeVectors<T>(pl, begin, end) && k <= 6) {
    const std::size_t dim = std::size_t{1} << k;
    Entry<T> e[64];
    for (std::size_t j = 0; j < dim; ++j) e[j] = Broadcast(dg[j]);
    pl.for_each_run(begin, end, [&](std::uint64_t b, std::uint64_t count) {
      for (std::size_t j = 0; j < dim; ++j) {
        T* p = amp + 2 * (b + off[j]);
        for (std::uint64_t i = 0; i < 2 * count; i += 2 * nc)
          hn::StoreU(CMul(e[j], hn::LoadU(d, p + i)), d, p + i);
      }
    });
    return true;
  }
  // One target (or more) inside a vector: covers the in-vector 1-target case too.
  return DiagonalMixed<T>(amp, pl, dg, begin, end);
}

// X-like exchange with controls inside a vector (and possibly the target): the lanes whose
// low control bits hold exchange (with the partner vector when the target is above log2(Nc),
// with the partner lane when it is inside); the others keep their values.
template <class T>
bool SwapPairMasked(T* amp, const Placement& pl, std::uint64_t begin, std::uint64_t end) {
  const D<T> d;
  const std::uint64_t nc = ComplexLanes<T>();
  if (nc < 2) return false;
  const auto l = static_cast<unsigned>(std::countr_zero(nc));
  const unsigned t = pl.target_position(0);
  const std::uint64_t lane_bits = nc - 1;
  const std::uint64_t fixed_low = pl.fixed_mask() & lane_bits;
  const std::uint64_t control_low = fixed_low & ~(std::uint64_t{1} << t);
  if (control_low == 0) return false;  // no control inside a vector: the other kernels
  const unsigned below = static_cast<unsigned>(std::popcount(fixed_low));
  const std::uint64_t per_vector = nc >> below;
  if (((begin | end) & (per_vector - 1)) != 0) return false;
  const std::uint64_t want = pl.control_bits() & control_low;
  HWY_ALIGN T mask_lanes[hn::MaxLanes(d)];
  for (std::size_t j = 0; j < nc; ++j)
    mask_lanes[2 * j] = mask_lanes[2 * j + 1] = ((j & control_low) == want) ? T(1) : T(0);
  const auto active = hn::Gt(hn::Load(d, mask_lanes), hn::Zero(d));
  if (t >= l) {
    const std::uint64_t o1 = 2 * pl.offsets()[1];
    for (std::uint64_t g = begin; g < end; g += per_vector) {
      T* p = amp + 2 * (pl.base(g) & ~lane_bits);  // the vector's start (controls set low)
      const V<T> a0 = hn::LoadU(d, p);
      const V<T> a1 = hn::LoadU(d, p + o1);
      hn::StoreU(hn::IfThenElse(active, a1, a0), d, p);
      hn::StoreU(hn::IfThenElse(active, a0, a1), d, p + o1);
    }
  } else {
    const auto partner = PartnerTable<T>(std::size_t{1} << t);
    for (std::uint64_t g = begin; g < end; g += per_vector) {
      T* p = amp + 2 * (pl.base(g) & ~lane_bits);  // the vector's start (controls set low)
      const V<T> a = hn::LoadU(d, p);
      hn::StoreU(hn::IfThenElse(active, hn::TableLookupLanes(a, partner), a), d, p);
    }
  }
  return true;
}

template <class T>
bool SwapPair(T* amp, const Placement& pl, std::uint64_t begin, std::uint64_t end) {
  const D<T> d;
  const std::uint64_t nc = ComplexLanes<T>();
  if (SwapPairMasked<T>(amp, pl, begin, end)) return true;
  if (WholeVectors<T>(pl, begin, end)) {
    const std::uint64_t o1 = 2 * pl.offsets()[1];
    pl.for_each_run(begin, end, [&](std::uint64_t b, std::uint64_t count) {
      T* p = amp + 2 * b;
      for (std::uint64_t i = 0; i < 2 * count; i += 2 * nc) {
        const V<T> a0 = hn::LoadU(d, p + i);
        const V<T> a1 = hn::LoadU(d, p + i + o1);
        hn::StoreU(a1, d, p + i);
        hn::StoreU(a0, d, p + i + o1);
      }
    });
    return true;
  }
  if (InVector<T>(pl, begin, end)) {
    const auto partner = PartnerTable<T>(std::size_t{1} << pl.lowest_fixed());
    for (std::uint64_t g = begin; g < end; g += nc / 2) {
      T* p = amp + 2 * pl.base(g);
      hn::StoreU(hn::TableLookupLanes(hn::LoadU(d, p), partner), d, p);
    }
    return true;
  }
  return false;
}

// Unit-phase permutation (SWAP, CCX's X, fused permutations) with every position at or above
// log2(Nc): whole vectors move. Or a SWAP of a position p inside a vector with one q above it:
// in the vector pair (q = 0, q = 1), lanes with p = 1 of the first trade places with lanes with
// p = 0 of the second.
template <class T>
bool Permute(T* amp, const Placement& pl, const std::uint32_t* perm, std::uint64_t begin,
             std::uint64_t end) {
  const D<T> d;
  const std::uint64_t nc = ComplexLanes<T>();
  const std::uint64_t* off = pl.offsets();
  const unsigned k = pl.num_targets();
  if (k <= 6 && WholeVectors<T>(pl, begin, end)) {
    const std::size_t dim = std::size_t{1} << k;
    std::uint64_t from[64];
    std::uint64_t to[64];
    for (std::size_t j = 0; j < dim; ++j) {
      from[j] = 2 * off[j];
      to[j] = 2 * off[perm[j]];
    }
    const auto moves = [&](auto dim_constant) {
      constexpr std::size_t kDim = decltype(dim_constant)::value;
      pl.for_each_run(begin, end, [&](std::uint64_t b, std::uint64_t count) {
        T* p = amp + 2 * b;
        for (std::uint64_t i = 0; i < 2 * count; i += 2 * nc) {
          V<T> a[kDim];
          HWY_UNROLL(64)
          for (std::size_t j = 0; j < kDim; ++j) a[j] = hn::LoadU(d, p + i + from[j]);
          HWY_UNROLL(64)
          for (std::size_t j = 0; j < kDim; ++j) hn::StoreU(a[j], d, p + i + to[j]);
        }
      });
    };
    switch (dim) {  // the group's vectors in registers
      case 4:
        moves(std::integral_constant<std::size_t, 4>{});
        break;
      case 8:
        moves(std::integral_constant<std::size_t, 8>{});
        break;
      case 16:
        moves(std::integral_constant<std::size_t, 16>{});
        break;
      case 32:
        moves(std::integral_constant<std::size_t, 32>{});
        break;
      default:
        moves(std::integral_constant<std::size_t, 64>{});
        break;
    }
    return true;
  }
  // SWAP with its lower position inside a vector: perm {0, 2, 1, 3}, targets (p, q) in either
  // order, no control below log2(Nc).
  const auto l = static_cast<unsigned>(std::countr_zero(nc));
  if (k != 2 || nc < 2 || perm[0] != 0 || perm[1] != 2 || perm[2] != 1 || perm[3] != 3)
    return false;
  const unsigned p_low = pl.lowest_fixed();
  if (p_low >= l || pl.second_fixed() < l) return false;
  const std::uint64_t lo = std::uint64_t{1} << p_low;
  const std::uint64_t hi = off[1] == lo ? off[2] : off[1];
  if (hi < nc || (off[1] != lo && off[2] != lo)) return false;
  // Groups of this placement pair one amplitude per (p, q) pattern; Nc / 2 consecutive groups
  // (aligned) cover one vector at q = 0 and the matching one at q = 1.
  if (((begin | end) & (nc / 2 - 1)) != 0) return false;
  const auto partner = PartnerTable<T>(lo);
  HWY_ALIGN T upper_mask_lanes[hn::MaxLanes(d)];
  for (std::size_t j = 0; j < nc; ++j)
    upper_mask_lanes[2 * j] = upper_mask_lanes[2 * j + 1] = (j & lo) ? T(1) : T(0);
  const auto upper = hn::Gt(hn::Load(d, upper_mask_lanes), hn::Zero(d));  // lanes with p = 1
  for (std::uint64_t g = begin; g < end; g += nc / 2) {
    T* p0 = amp + 2 * pl.base(g);
    T* p1 = p0 + 2 * hi;
    const V<T> a0 = hn::LoadU(d, p0);
    const V<T> a1 = hn::LoadU(d, p1);
    // (p=1, q=0) <-> (p=0, q=1)
    hn::StoreU(hn::IfThenElse(upper, hn::TableLookupLanes(a1, partner), a0), d, p0);
    hn::StoreU(hn::IfThenElse(upper, a1, hn::TableLookupLanes(a0, partner)), d, p1);
  }
  return true;
}

#endif  // vector code

// Entry points: the vector code where it applies, else this target's plain kernel.
template <class T>
void DenseOrPlain(T* a, const Placement& pl, const std::complex<T>* m, std::uint64_t b,
                  std::uint64_t e) {
  auto* c = reinterpret_cast<std::complex<T>*>(a);
  if (!Dense<T>(a, pl, m, b, e)) qstate::kernels::HWY_NAMESPACE::apply_dense(c, pl, m, b, e);
}
template <class T>
void DiagonalOrPlain(T* a, const Placement& pl, const std::complex<T>* dg, std::uint64_t b,
                     std::uint64_t e) {
  auto* c = reinterpret_cast<std::complex<T>*>(a);
  if (!Diagonal<T>(a, pl, dg, b, e))
    qstate::kernels::HWY_NAMESPACE::apply_diagonal(c, pl, dg, b, e);
}
template <class T>
void PermutationOrPlain(T* a, const Placement& pl, const std::uint32_t* perm,
                        const std::complex<T>* phase, bool unit, std::uint64_t b, std::uint64_t e) {
  auto* c = reinterpret_cast<std::complex<T>*>(a);
  if (unit && pl.num_targets() == 1 && perm[0] == 1 && SwapPair<T>(a, pl, b, e)) return;
  if (unit && pl.num_targets() >= 2 && Permute<T>(a, pl, perm, b, e)) return;
  qstate::kernels::HWY_NAMESPACE::apply_permutation(c, pl, perm, phase, unit, b, e);
}

template <class T>
void DiagonalIndexedOrPlain(T* a, const std::complex<T>* dg, std::uint64_t mask, std::uint64_t b,
                            std::uint64_t e) {
  if (!DiagonalIndexed<T>(a, dg, mask, b, e))
    qstate::kernels::HWY_NAMESPACE::apply_diagonal_indexed(reinterpret_cast<std::complex<T>*>(a),
                                                           dg, mask, b, e);
}
void DiagonalIndexedF(float* a, const std::complex<float>* dg, std::uint64_t mask, std::uint64_t b,
                      std::uint64_t e) {
  DiagonalIndexedOrPlain<float>(a, dg, mask, b, e);
}
void DiagonalIndexedD(double* a, const std::complex<double>* dg, std::uint64_t mask,
                      std::uint64_t b, std::uint64_t e) {
  DiagonalIndexedOrPlain<double>(a, dg, mask, b, e);
}
bool DenseAfterDiagonalF(float* a, const Placement& pl, const std::complex<float>* m,
                         const std::complex<float>* dg, std::uint64_t mask, std::uint64_t b,
                         std::uint64_t e) {
  return DiagonalThenDense<float>(a, pl, m, dg, mask, b, e);
}
bool DenseAfterDiagonalD(double* a, const Placement& pl, const std::complex<double>* m,
                         const std::complex<double>* dg, std::uint64_t mask, std::uint64_t b,
                         std::uint64_t e) {
  return DiagonalThenDense<double>(a, pl, m, dg, mask, b, e);
}
bool DenseThenDiagonalsF(float* a, const Placement& pl, const std::complex<float>* m,
                         const ChainDiagonal<float>* chain, std::size_t count, std::uint64_t b,
                         std::uint64_t e) {
  return DenseThenDiagonals<float>(a, pl, m, chain, count, b, e);
}
bool DenseThenDiagonalsD(double* a, const Placement& pl, const std::complex<double>* m,
                         const ChainDiagonal<double>* chain, std::size_t count, std::uint64_t b,
                         std::uint64_t e) {
  return DenseThenDiagonals<double>(a, pl, m, chain, count, b, e);
}
template <class T>
void DiagonalChainOrPlain(T* a, const ChainDiagonal<T>* chain, std::size_t count, std::uint64_t b,
                          std::uint64_t e) {
  if (!DiagonalChain<T>(a, chain, count, b, e))
    qstate::kernels::HWY_NAMESPACE::apply_diagonal_chain(reinterpret_cast<std::complex<T>*>(a),
                                                         chain, count, b, e);
}
void DiagonalChainF(float* a, const ChainDiagonal<float>* chain, std::size_t count, std::uint64_t b,
                    std::uint64_t e) {
  DiagonalChainOrPlain<float>(a, chain, count, b, e);
}
void DiagonalChainD(double* a, const ChainDiagonal<double>* chain, std::size_t count,
                    std::uint64_t b, std::uint64_t e) {
  DiagonalChainOrPlain<double>(a, chain, count, b, e);
}

bool TryDenseD(double* a, const Placement& pl, const std::complex<double>* m, std::uint64_t b,
               std::uint64_t e) {
  return Dense<double>(a, pl, m, b, e);
}
void DenseF(float* a, const Placement& pl, const std::complex<float>* m, std::uint64_t b,
            std::uint64_t e) {
  DenseOrPlain<float>(a, pl, m, b, e);
}
void DenseD(double* a, const Placement& pl, const std::complex<double>* m, std::uint64_t b,
            std::uint64_t e) {
  DenseOrPlain<double>(a, pl, m, b, e);
}
void DiagonalF(float* a, const Placement& pl, const std::complex<float>* m, std::uint64_t b,
               std::uint64_t e) {
  DiagonalOrPlain<float>(a, pl, m, b, e);
}
void DiagonalD(double* a, const Placement& pl, const std::complex<double>* m, std::uint64_t b,
               std::uint64_t e) {
  DiagonalOrPlain<double>(a, pl, m, b, e);
}
void PermutationF(float* a, const Placement& pl, const std::uint32_t* perm,
                  const std::complex<float>* phase, bool unit, std::uint64_t b, std::uint64_t e) {
  PermutationOrPlain<float>(a, pl, perm, phase, unit, b, e);
}
void PermutationD(double* a, const Placement& pl, const std::uint32_t* perm,
                  const std::complex<double>* phase, bool unit, std::uint64_t b, std::uint64_t e) {
  PermutationOrPlain<double>(a, pl, perm, phase, unit, b, e);
}

}  // namespace HWY_NAMESPACE
}  // namespace qstate::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE

#include "simulator/kernels/simd_kernels.hpp"

namespace qstate::kernels {

HWY_EXPORT(TryDenseD);
HWY_EXPORT(DenseF);
HWY_EXPORT(DenseD);
HWY_EXPORT(DiagonalF);
HWY_EXPORT(DiagonalD);
HWY_EXPORT(PermutationF);
HWY_EXPORT(PermutationD);
HWY_EXPORT(DiagonalIndexedF);
HWY_EXPORT(DiagonalIndexedD);
HWY_EXPORT(DenseAfterDiagonalF);
HWY_EXPORT(DenseAfterDiagonalD);
HWY_EXPORT(DenseThenDiagonalsF);
HWY_EXPORT(DenseThenDiagonalsD);
HWY_EXPORT(DiagonalChainF);
HWY_EXPORT(DiagonalChainD);

namespace {
template <class Real>
Real* lanes(std::complex<Real>* amp) {
  return reinterpret_cast<Real*>(amp);  // std::complex is an array of two Real
}
}  // namespace

bool simd_dense_applies(std::complex<double>* amp, const Placement& pl,
                        const std::complex<double>* m, std::uint64_t begin, std::uint64_t end) {
  return HWY_DYNAMIC_DISPATCH(TryDenseD)(lanes(amp), pl, m, begin, end);
}

template <>
void dense<float>(std::complex<float>* amp, const Placement& pl, const std::complex<float>* m,
                  std::uint64_t begin, std::uint64_t end) {
  HWY_DYNAMIC_DISPATCH(DenseF)(lanes(amp), pl, m, begin, end);
}
template <>
void dense<double>(std::complex<double>* amp, const Placement& pl, const std::complex<double>* m,
                   std::uint64_t begin, std::uint64_t end) {
  HWY_DYNAMIC_DISPATCH(DenseD)(lanes(amp), pl, m, begin, end);
}
template <>
void diagonal<float>(std::complex<float>* amp, const Placement& pl, const std::complex<float>* d,
                     std::uint64_t begin, std::uint64_t end) {
  HWY_DYNAMIC_DISPATCH(DiagonalF)(lanes(amp), pl, d, begin, end);
}
template <>
void diagonal<double>(std::complex<double>* amp, const Placement& pl, const std::complex<double>* d,
                      std::uint64_t begin, std::uint64_t end) {
  HWY_DYNAMIC_DISPATCH(DiagonalD)(lanes(amp), pl, d, begin, end);
}
template <>
void permutation<float>(std::complex<float>* amp, const Placement& pl, const std::uint32_t* perm,
                        const std::complex<float>* phase, bool unit_phases, std::uint64_t begin,
                        std::uint64_t end) {
  HWY_DYNAMIC_DISPATCH(PermutationF)(lanes(amp), pl, perm, phase, unit_phases, begin, end);
}
template <>
void permutation<double>(std::complex<double>* amp, const Placement& pl, const std::uint32_t* perm,
                         const std::complex<double>* phase, bool unit_phases, std::uint64_t begin,
                         std::uint64_t end) {
  HWY_DYNAMIC_DISPATCH(PermutationD)(lanes(amp), pl, perm, phase, unit_phases, begin, end);
}

template <>
void diagonal_indexed<float>(std::complex<float>* amp, const std::complex<float>* d,
                             std::uint64_t mask, std::uint64_t begin, std::uint64_t end) {
  HWY_DYNAMIC_DISPATCH(DiagonalIndexedF)(lanes(amp), d, mask, begin, end);
}
template <>
void diagonal_indexed<double>(std::complex<double>* amp, const std::complex<double>* d,
                              std::uint64_t mask, std::uint64_t begin, std::uint64_t end) {
  HWY_DYNAMIC_DISPATCH(DiagonalIndexedD)(lanes(amp), d, mask, begin, end);
}
template <>
bool dense_after_diagonal<float>(std::complex<float>* amp, const Placement& pl,
                                 const std::complex<float>* m, const std::complex<float>* d,
                                 std::uint64_t mask, std::uint64_t begin, std::uint64_t end) {
  return HWY_DYNAMIC_DISPATCH(DenseAfterDiagonalF)(lanes(amp), pl, m, d, mask, begin, end);
}
template <>
bool dense_after_diagonal<double>(std::complex<double>* amp, const Placement& pl,
                                  const std::complex<double>* m, const std::complex<double>* d,
                                  std::uint64_t mask, std::uint64_t begin, std::uint64_t end) {
  return HWY_DYNAMIC_DISPATCH(DenseAfterDiagonalD)(lanes(amp), pl, m, d, mask, begin, end);
}

template <>
bool dense_then_diagonals<float>(std::complex<float>* amp, const Placement& pl,
                                 const std::complex<float>* m, const ChainDiagonal<float>* chain,
                                 std::size_t count, std::uint64_t begin, std::uint64_t end) {
  return HWY_DYNAMIC_DISPATCH(DenseThenDiagonalsF)(lanes(amp), pl, m, chain, count, begin, end);
}
template <>
bool dense_then_diagonals<double>(std::complex<double>* amp, const Placement& pl,
                                  const std::complex<double>* m, const ChainDiagonal<double>* chain,
                                  std::size_t count, std::uint64_t begin, std::uint64_t end) {
  return HWY_DYNAMIC_DISPATCH(DenseThenDiagonalsD)(lanes(amp), pl, m, chain, count, begin, end);
}
template <>
void diagonal_chain<float>(std::complex<float>* amp, const ChainDiagonal<float>* chain,
                           std::size_t count, std::uint64_t begin, std::uint64_t end) {
  HWY_DYNAMIC_DISPATCH(DiagonalChainF)(lanes(amp), chain, count, begin, end);
}
template <>
void diagonal_chain<double>(std::complex<double>* amp, const ChainDiagonal<double>* chain,
                            std::size_t count, std::uint64_t begin, std::uint64_t end) {
  HWY_DYNAMIC_DISPATCH(DiagonalChainD)(lanes(amp), chain, count, begin, end);
}

}  // namespace qstate::kernels

#endif  // HWY_ONCE
