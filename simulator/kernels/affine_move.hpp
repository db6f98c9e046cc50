// An affine move of a block's amplitudes: out[y] = in[S(y)] for every block index y, where the
// source index S(y) = tables[0][y & 255] ^ tables[1][(y >> 8) & 255] ^ tables[2][(y >> 16) & 255]
// ^ tables[3][y >> 24] is affine over GF(2) (simulator/blocked.hpp, affine_source_tables). One
// sweep that reads each amplitude once and writes each once, whatever the number of gates the
// map stands for: a chain of cx on a block's positions becomes one gathered copy. Moves only.
#pragma once

#include <complex>
#include <cstdint>
#include <cstring>

namespace qstate::kernels {

inline constexpr unsigned kAffineTables = 4;  // of 256 entries each: block indices below 2^32

// out and in: `size` amplitudes each (a power of two), distinct buffers.
template <class Real>
void affine_move(const std::complex<Real>* in, std::complex<Real>* out, std::uint64_t size,
                 const std::uint32_t* tables) {
  const std::uint64_t inner = size < 256 ? size : 256;
  for (std::uint64_t hi = 0; hi < size; hi += inner) {
    const std::uint32_t base = tables[256 + ((hi >> 8) & 255U)] ^
                               tables[512 + ((hi >> 16) & 255U)] ^ tables[768 + (hi >> 24)];
    std::complex<Real>* o = out + hi;
    // Amplitudes copied whole (one 16- or 8-byte move each, not one per part), four at a time.
    std::uint64_t lo = 0;
    for (; lo + 4 <= inner; lo += 4) {
      const std::uint32_t s0 = base ^ tables[lo], s1 = base ^ tables[lo + 1];
      const std::uint32_t s2 = base ^ tables[lo + 2], s3 = base ^ tables[lo + 3];
      std::memcpy(static_cast<void*>(o + lo), in + s0, sizeof(std::complex<Real>));
      std::memcpy(static_cast<void*>(o + lo + 1), in + s1, sizeof(std::complex<Real>));
      std::memcpy(static_cast<void*>(o + lo + 2), in + s2, sizeof(std::complex<Real>));
      std::memcpy(static_cast<void*>(o + lo + 3), in + s3, sizeof(std::complex<Real>));
    }
    for (; lo < inner; ++lo)
      std::memcpy(static_cast<void*>(o + lo), in + (base ^ tables[lo]), sizeof(std::complex<Real>));
  }
}

}  // namespace qstate::kernels
