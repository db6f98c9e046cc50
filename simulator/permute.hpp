// One in-place pass that applies any permutation of the qubit positions to a state's memory:
// after permute_positions(data, n, pos), data[i] holds what was at the index whose bit pos[q] is
// bit q of i, for every q (so a Layout with position(q) = pos[q] becomes the identity). It reads
// and writes every amplitude that moves once, whatever the permutation: StateVector's layout
// restore before read-out (sampling, probabilities, amplitudes), which replaced one SWAP pass
// per misplaced qubit.
//
// How: a set T of positions closed under the permutation (a union of its cycles) that contains
// the lowest positions 0..c-1, with c as large as keeps 2^|T| amplitudes in a tile of at most
// half a megabyte. For each value of the other positions R, the 2^|T| indices with those R bits
// form a "tile"; the permutation maps tiles to tiles (by its action on R) and permutes each
// tile's content (by its action on T). Tiles are visited along the cycles of the tile map: a
// tile is gathered (runs of 2^c contiguous amplitudes) into an L2-sized buffer and scattered,
// permuted, into the tile that receives it. Cycles are shared among threads (each by its
// smallest tile), so the result does not depend on the thread count.
#pragma once

#include <cstdint>
#include <span>

namespace qstate {

// pos: a permutation of 0..n-1.
template <class T>
void permute_positions(T* data, unsigned n, std::span<const unsigned> pos);

// The same with the tile size capped at 2^max_tile_bits amplitudes (tests use small tiles to
// exercise the tile cycles on small states).
template <class T>
void permute_positions(T* data, unsigned n, std::span<const unsigned> pos, unsigned max_tile_bits);

}  // namespace qstate
