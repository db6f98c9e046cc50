// Chunk gather and scatter for cache blocking (gather.hpp), compiled once per Highway target.
// They copy bits, so one implementation over 64-bit words serves both precisions.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "simulator/kernels/simd_gather.cpp"
#include <hwy/cache_control.h>
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include <complex>
#include <cstdint>
#include <cstring>

#include "simulator/kernels/gather.hpp"

HWY_BEFORE_NAMESPACE();
namespace qstate::kernels {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Chunks prefetched ahead of the one being copied.
constexpr std::uint64_t kAhead = 4;
constexpr std::uint64_t kLineWords = 8;  // 64-byte cache line

// Whole vectors of aligned words: chunk a multiple of the vector and of a cache line, and every
// address aligned to it (offsets are multiples of the chunk, buffers are 64-byte aligned).
bool vector_path(const void* a, const void* b, std::uint64_t words) {
  const hn::ScalableTag<std::uint64_t> d;
  const std::uint64_t bytes = hn::Lanes(d) * sizeof(std::uint64_t);
  const auto aligned = [bytes](const void* p) {
    return reinterpret_cast<std::uintptr_t>(p) % bytes == 0;
  };
  return words % kLineWords == 0 && words % hn::Lanes(d) == 0 && aligned(a) && aligned(b);
}

void GatherWords(const std::uint64_t* src, const std::uint64_t* offsets, std::uint64_t count,
                 std::uint64_t words, std::uint64_t per_amp, std::uint64_t* dst) {
  if (!vector_path(src, dst, words)) {
    for (std::uint64_t i = 0; i < count; ++i)
      std::memcpy(dst + i * words, src + offsets[i] * per_amp, words * sizeof(std::uint64_t));
    return;
  }
  const hn::ScalableTag<std::uint64_t> d;
  const std::uint64_t n = hn::Lanes(d);
  for (std::uint64_t i = 0; i < count; ++i) {
    if (i + kAhead < count) {
      const std::uint64_t* ahead = src + offsets[i + kAhead] * per_amp;
      for (std::uint64_t j = 0; j < words; j += kLineWords) hwy::Prefetch(ahead + j);
    }
    const std::uint64_t* s = src + offsets[i] * per_amp;
    std::uint64_t* t = dst + i * words;
    for (std::uint64_t j = 0; j < words; j += n) hn::Store(hn::Load(d, s + j), d, t + j);
  }
}

void ScatterWords(const std::uint64_t* src, const std::uint64_t* offsets, std::uint64_t count,
                  std::uint64_t words, std::uint64_t per_amp, std::uint64_t* dst) {
  if (!vector_path(src, dst, words)) {
    for (std::uint64_t i = 0; i < count; ++i)
      std::memcpy(dst + offsets[i] * per_amp, src + i * words, words * sizeof(std::uint64_t));
    return;
  }
  const hn::ScalableTag<std::uint64_t> d;
  const std::uint64_t n = hn::Lanes(d);
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint64_t* s = src + i * words;
    std::uint64_t* t = dst + offsets[i] * per_amp;
    for (std::uint64_t j = 0; j < words; j += n) hn::Stream(hn::Load(d, s + j), d, t + j);
  }
  hwy::FlushStream();
}

}  // namespace HWY_NAMESPACE
}  // namespace qstate::kernels
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace qstate::kernels {

HWY_EXPORT(GatherWords);
HWY_EXPORT(ScatterWords);

namespace {
template <class Real>
std::uint64_t words_of(std::uint64_t chunk) {
  return chunk * sizeof(std::complex<Real>) / sizeof(std::uint64_t);
}
template <class Real>
const std::uint64_t* as_words(const std::complex<Real>* p) {
  return reinterpret_cast<const std::uint64_t*>(p);
}
template <class Real>
std::uint64_t* as_words(std::complex<Real>* p) {
  return reinterpret_cast<std::uint64_t*>(p);
}
}  // namespace

template <class Real>
void gather_chunks(const std::complex<Real>* src, const std::uint64_t* offsets, std::uint64_t count,
                   std::uint64_t chunk, std::complex<Real>* dst) {
  HWY_DYNAMIC_DISPATCH(GatherWords)
  (as_words(src), offsets, count, words_of<Real>(chunk), words_of<Real>(1), as_words(dst));
}
template <class Real>
void scatter_chunks(const std::complex<Real>* src, const std::uint64_t* offsets,
                    std::uint64_t count, std::uint64_t chunk, std::complex<Real>* dst) {
  HWY_DYNAMIC_DISPATCH(ScatterWords)
  (as_words(src), offsets, count, words_of<Real>(chunk), words_of<Real>(1), as_words(dst));
}

template void gather_chunks<float>(const std::complex<float>*, const std::uint64_t*, std::uint64_t,
                                   std::uint64_t, std::complex<float>*);
template void gather_chunks<double>(const std::complex<double>*, const std::uint64_t*,
                                    std::uint64_t, std::uint64_t, std::complex<double>*);
template void scatter_chunks<float>(const std::complex<float>*, const std::uint64_t*, std::uint64_t,
                                    std::uint64_t, std::complex<float>*);
template void scatter_chunks<double>(const std::complex<double>*, const std::uint64_t*,
                                     std::uint64_t, std::uint64_t, std::complex<double>*);

}  // namespace qstate::kernels
#endif  // HWY_ONCE
