// SIMD gate kernels, compiled once per Highway target (see simd_kernels.hpp for what they cover
// and why they give the plain kernels' bits). Amplitudes are interleaved complex numbers, so a
// vector of N lanes holds Nc = N/2 amplitudes; a complex product by a matrix entry m is
//   re(m) * a + [-im(m), +im(m), ...] * Reverse2(a)
// which is, lane by lane, the plain kernel's (mr*ar - mi*ai, mr*ai + mi*ar).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simulator/kernels/simd_kernels.cpp"
#include <hwy/aligned_allocator.h>
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <bit>
#include <complex>
#include <cstdint>
#include <vector>

#include "simulator/kernels/placement.hpp"

HWY_BEFORE_NAMESPACE();
namespace qstate::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR

// One lane: nothing to vectorise; the plain kernels run.
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

#else

template <class T>
using D = hn::ScalableTag<T>;
template <class T>
using V = hn::Vec<D<T> >;

// A matrix entry (or one entry per amplitude of a vector) ready for complex products.
template <class T>
struct Entry {
  V<T> re;
  V<T> im_signed;  // -im in real lanes, +im in imaginary lanes
};

// Lane-wise entries: amplitude j of the vector takes e[j].
template <class T>
Entry<T> LaneEntries(const std::complex<T>* e) {
  const D<T> d;
  HWY_ALIGN T re[hn::MaxLanes(d)];
  HWY_ALIGN T im[hn::MaxLanes(d)];
  for (std::size_t j = 0; j < hn::Lanes(d) / 2; ++j) {
    re[2 * j] = re[2 * j + 1] = e[j].real();
    im[2 * j] = -e[j].imag();
    im[2 * j + 1] = e[j].imag();
  }
  return {hn::Load(d, re), hn::Load(d, im)};
}

template <class T>
Entry<T> Broadcast(std::complex<T> c) {
  const D<T> d;
  HWY_ALIGN std::complex<T> lanes[hn::MaxLanes(d) / 2 + 1];
  for (std::size_t j = 0; j < hn::Lanes(d) / 2; ++j) lanes[j] = c;
  return LaneEntries<T>(lanes);
}

template <class T>
HWY_INLINE V<T> CMul(const Entry<T>& e, V<T> a, V<T> a_swapped) {
  return hn::Add(hn::Mul(e.re, a), hn::Mul(e.im_signed, a_swapped));
}

template <class T>
HWY_INLINE V<T> CMul(const Entry<T>& e, V<T> a) {
  return CMul(e, a, hn::Reverse2(D<T>(), a));
}

// Table that maps each amplitude j of a vector to amplitude j ^ flip (lanes move in pairs).
template <class T>
auto PartnerTable(std::size_t flip) {
  const D<T> d;
  using TI = hwy::MakeSigned<T>;
  HWY_ALIGN TI idx[hn::MaxLanes(d)];
  for (std::size_t j = 0; j < hn::Lanes(d) / 2; ++j) {
    idx[2 * j] = static_cast<TI>(2 * (j ^ flip));
    idx[2 * j + 1] = static_cast<TI>(2 * (j ^ flip) + 1);
  }
  return hn::SetTableIndices(d, idx);
}

// Amplitudes per vector, and its log2.
template <class T>
std::uint64_t ComplexLanes() {
  return hn::Lanes(D<T>()) / 2;
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

template <class T>
bool Dense(T* amp, const Placement& pl, const std::complex<T>* m, std::uint64_t begin,
           std::uint64_t end) {
  const D<T> d;
  const std::uint64_t nc = ComplexLanes<T>();
  const std::uint64_t* off = pl.offsets();
  const unsigned k = pl.num_targets();
  if (WholeVectors<T>(pl, begin, end)) {
    if (k == 1) {
      const Entry<T> m00 = Broadcast(m[0]), m01 = Broadcast(m[1]), m10 = Broadcast(m[2]),
                     m11 = Broadcast(m[3]);
      const std::uint64_t o1 = 2 * off[1];
      pl.for_each_run(begin, end, [&](std::uint64_t b, std::uint64_t count) {
        T* p = amp + 2 * b;
        for (std::uint64_t i = 0; i < 2 * count; i += 2 * nc) {
          const V<T> a0 = hn::LoadU(d, p + i);
          const V<T> a1 = hn::LoadU(d, p + i + o1);
          const V<T> s0 = hn::Reverse2(d, a0);
          const V<T> s1 = hn::Reverse2(d, a1);
          hn::StoreU(hn::Add(CMul(m00, a0, s0), CMul(m01, a1, s1)), d, p + i);
          hn::StoreU(hn::Add(CMul(m10, a0, s0), CMul(m11, a1, s1)), d, p + i + o1);
        }
      });
      return true;
    }
    if (k == 2) {
      Entry<T> e[16];
      for (int j = 0; j < 16; ++j) e[j] = Broadcast(m[j]);
      const std::uint64_t o[4] = {0, 2 * off[1], 2 * off[2], 2 * off[3]};
      pl.for_each_run(begin, end, [&](std::uint64_t b, std::uint64_t count) {
        T* p = amp + 2 * b;
        for (std::uint64_t i = 0; i < 2 * count; i += 2 * nc) {
          V<T> a[4];
          V<T> s[4];
          for (int c = 0; c < 4; ++c) {
            a[c] = hn::LoadU(d, p + i + o[c]);
            s[c] = hn::Reverse2(d, a[c]);
          }
          for (int r = 0; r < 4; ++r) {
            const Entry<T>* row = e + 4 * r;
            const V<T> acc =
                hn::Add(hn::Add(hn::Add(CMul(row[0], a[0], s[0]), CMul(row[1], a[1], s[1])),
                                CMul(row[2], a[2], s[2])),
                        CMul(row[3], a[3], s[3]));
            hn::StoreU(acc, d, p + i + o[r]);
          }
        }
      });
      return true;
    }
    if (k <= 6) {
      const std::size_t dim = std::size_t{1} << k;
      const std::size_t n = hn::Lanes(d);
      // Entry (r, c): its real part broadcast, then its signed imaginary parts, as vectors in
      // aligned memory (vector types are not kept in containers: their alignment is not honoured).
      auto table = hwy::AllocateAligned<T>(2 * n * dim * dim);
      for (std::size_t j = 0; j < dim * dim; ++j) {
        const Entry<T> e = Broadcast(m[j]);
        hn::Store(e.re, d, table.get() + 2 * n * j);
        hn::Store(e.im_signed, d, table.get() + 2 * n * j + n);
      }
      std::uint64_t o[64];
      for (std::size_t j = 0; j < dim; ++j) o[j] = 2 * off[j];
      const T* tab = table.get();
      pl.for_each_run(begin, end, [&](std::uint64_t b, std::uint64_t count) {
        T* p = amp + 2 * b;
        V<T> a[64];
        V<T> s[64];
        for (std::uint64_t i = 0; i < 2 * count; i += 2 * nc) {
          for (std::size_t c = 0; c < dim; ++c) {
            a[c] = hn::LoadU(d, p + i + o[c]);
            s[c] = hn::Reverse2(d, a[c]);
          }
          for (std::size_t r = 0; r < dim; ++r) {
            const T* row = tab + 2 * n * r * dim;
            V<T> acc =
                hn::Add(hn::Mul(hn::Load(d, row), a[0]), hn::Mul(hn::Load(d, row + n), s[0]));
            for (std::size_t c = 1; c < dim; ++c) {
              const T* e = row + 2 * n * c;
              acc = hn::Add(
                  acc, hn::Add(hn::Mul(hn::Load(d, e), a[c]), hn::Mul(hn::Load(d, e + n), s[c])));
            }
            hn::StoreU(acc, d, p + i + o[r]);
          }
        }
      });
      return true;
    }
    return false;
  }
  if (k == 1 && InVector<T>(pl, begin, end)) {
    // Amplitude j of a vector: out = m[bit][bit] * a_j + m[bit][!bit] * a_(j ^ flip), bit = the
    // target bit of j; for bit 1 the plain kernel adds the same two products the other way round.
    const unsigned t = pl.lowest_fixed();
    const std::size_t flip = std::size_t{1} << t;
    std::complex<T> same[hn::MaxLanes(d) / 2 + 1];
    std::complex<T> other[hn::MaxLanes(d) / 2 + 1];
    for (std::size_t j = 0; j < nc; ++j) {
      const bool one = (j & flip) != 0;
      same[j] = one ? m[3] : m[0];
      other[j] = one ? m[2] : m[1];
    }
    const Entry<T> es = LaneEntries<T>(same), eo = LaneEntries<T>(other);
    const auto partner = PartnerTable<T>(flip);
    const std::uint64_t step = nc / 2;
    for (std::uint64_t g = begin; g < end; g += step) {
      T* p = amp + 2 * pl.base(g);
      const V<T> a = hn::LoadU(d, p);
      const V<T> b = hn::TableLookupLanes(a, partner);
      hn::StoreU(hn::Add(CMul(es, a), CMul(eo, b)), d, p);
    }
    return true;
  }
  return false;
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
  if (k == 1 && InVector<T>(pl, begin, end)) {
    const std::size_t flip = std::size_t{1} << pl.lowest_fixed();
    std::complex<T> lanes[hn::MaxLanes(d) / 2 + 1];
    for (std::size_t j = 0; j < nc; ++j) lanes[j] = (j & flip) ? dg[1] : dg[0];
    const Entry<T> e = LaneEntries<T>(lanes);
    for (std::uint64_t g = begin; g < end; g += nc / 2) {
      T* p = amp + 2 * pl.base(g);
      hn::StoreU(CMul(e, hn::LoadU(d, p)), d, p);
    }
    return true;
  }
  return false;
}

template <class T>
bool SwapPair(T* amp, const Placement& pl, std::uint64_t begin, std::uint64_t end) {
  const D<T> d;
  const std::uint64_t nc = ComplexLanes<T>();
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
    pl.for_each_run(begin, end, [&](std::uint64_t b, std::uint64_t count) {
      T* p = amp + 2 * b;
      V<T> a[64];
      for (std::uint64_t i = 0; i < 2 * count; i += 2 * nc) {
        for (std::size_t j = 0; j < dim; ++j) a[j] = hn::LoadU(d, p + i + from[j]);
        for (std::size_t j = 0; j < dim; ++j) hn::StoreU(a[j], d, p + i + to[j]);
      }
    });
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

#endif  // HWY_TARGET == HWY_SCALAR

bool DenseF(float* a, const Placement& pl, const std::complex<float>* m, std::uint64_t b,
            std::uint64_t e) {
  return Dense<float>(a, pl, m, b, e);
}
bool DenseD(double* a, const Placement& pl, const std::complex<double>* m, std::uint64_t b,
            std::uint64_t e) {
  return Dense<double>(a, pl, m, b, e);
}
bool DiagonalF(float* a, const Placement& pl, const std::complex<float>* m, std::uint64_t b,
               std::uint64_t e) {
  return Diagonal<float>(a, pl, m, b, e);
}
bool DiagonalD(double* a, const Placement& pl, const std::complex<double>* m, std::uint64_t b,
               std::uint64_t e) {
  return Diagonal<double>(a, pl, m, b, e);
}
bool SwapPairF(float* a, const Placement& pl, std::uint64_t b, std::uint64_t e) {
  return SwapPair<float>(a, pl, b, e);
}
bool SwapPairD(double* a, const Placement& pl, std::uint64_t b, std::uint64_t e) {
  return SwapPair<double>(a, pl, b, e);
}

bool PermuteF(float* a, const Placement& pl, const std::uint32_t* perm, std::uint64_t b,
              std::uint64_t e) {
  return Permute<float>(a, pl, perm, b, e);
}
bool PermuteD(double* a, const Placement& pl, const std::uint32_t* perm, std::uint64_t b,
              std::uint64_t e) {
  return Permute<double>(a, pl, perm, b, e);
}

}  // namespace HWY_NAMESPACE
}  // namespace qstate::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE

#include "simulator/kernels/simd_kernels.hpp"

namespace qstate::kernels {

HWY_EXPORT(DenseF);
HWY_EXPORT(DenseD);
HWY_EXPORT(DiagonalF);
HWY_EXPORT(DiagonalD);
HWY_EXPORT(SwapPairF);
HWY_EXPORT(SwapPairD);
HWY_EXPORT(PermuteF);
HWY_EXPORT(PermuteD);

namespace {
template <class Real>
Real* lanes(std::complex<Real>* amp) {
  return reinterpret_cast<Real*>(amp);  // std::complex is an array of two Real
}
}  // namespace

bool simd_dense(std::complex<float>* amp, const Placement& pl, const std::complex<float>* m,
                std::uint64_t begin, std::uint64_t end) {
  return HWY_DYNAMIC_DISPATCH(DenseF)(lanes(amp), pl, m, begin, end);
}
bool simd_dense(std::complex<double>* amp, const Placement& pl, const std::complex<double>* m,
                std::uint64_t begin, std::uint64_t end) {
  return HWY_DYNAMIC_DISPATCH(DenseD)(lanes(amp), pl, m, begin, end);
}
bool simd_diagonal(std::complex<float>* amp, const Placement& pl, const std::complex<float>* d,
                   std::uint64_t begin, std::uint64_t end) {
  return HWY_DYNAMIC_DISPATCH(DiagonalF)(lanes(amp), pl, d, begin, end);
}
bool simd_diagonal(std::complex<double>* amp, const Placement& pl, const std::complex<double>* d,
                   std::uint64_t begin, std::uint64_t end) {
  return HWY_DYNAMIC_DISPATCH(DiagonalD)(lanes(amp), pl, d, begin, end);
}
bool simd_swap_pair(std::complex<float>* amp, const Placement& pl, std::uint64_t begin,
                    std::uint64_t end) {
  return HWY_DYNAMIC_DISPATCH(SwapPairF)(lanes(amp), pl, begin, end);
}
bool simd_swap_pair(std::complex<double>* amp, const Placement& pl, std::uint64_t begin,
                    std::uint64_t end) {
  return HWY_DYNAMIC_DISPATCH(SwapPairD)(lanes(amp), pl, begin, end);
}

bool simd_permute(std::complex<float>* amp, const Placement& pl, const std::uint32_t* perm,
                  std::uint64_t begin, std::uint64_t end) {
  return HWY_DYNAMIC_DISPATCH(PermuteF)(lanes(amp), pl, perm, begin, end);
}
bool simd_permute(std::complex<double>* amp, const Placement& pl, const std::uint32_t* perm,
                  std::uint64_t begin, std::uint64_t end) {
  return HWY_DYNAMIC_DISPATCH(PermuteD)(lanes(amp), pl, perm, begin, end);
}

}  // namespace qstate::kernels

#endif  // HWY_ONCE
