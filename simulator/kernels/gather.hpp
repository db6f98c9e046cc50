// Moving cache blocks made of scattered contiguous chunks into a buffer and back (cache
// blocking, simulator/blocked.hpp). Compiled per SIMD target (simd_gather.cpp): the gather
// prefetches a few chunks ahead; the scatter writes with streaming stores, since the chunks are
// not read again before the next pass.
#pragma once

#include <complex>
#include <cstdint>

namespace qstate::kernels {

// dst[i * chunk + j] = src[offsets[i] + j] for i < count, j < chunk (amplitudes).
template <class Real>
void gather_chunks(const std::complex<Real>* src, const std::uint64_t* offsets, std::uint64_t count,
                   std::uint64_t chunk, std::complex<Real>* dst);
// dst[offsets[i] + j] = src[i * chunk + j].
template <class Real>
void scatter_chunks(const std::complex<Real>* src, const std::uint64_t* offsets,
                    std::uint64_t count, std::uint64_t chunk, std::complex<Real>* dst);

}  // namespace qstate::kernels
