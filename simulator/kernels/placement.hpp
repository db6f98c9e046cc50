// Placement: where a gate sits in a local index space of `num_positions` bits. A gate with k
// targets and m controls splits the index space into 2^(n-k-m) groups of 2^k amplitudes; a
// group's base index is the group number with zero bits inserted at the target and control
// positions (lowest first), then the control bits set to their required values. Amplitude i of
// the group (bit j of i = target j) is at base + offset[i]. Kernels visit only groups whose
// controls hold, so a controlled gate touches 2^-m of the memory.
//
// A Placement of up to 4 targets and 8 targets + controls holds its masks and offsets inline (no
// heap block), so building one per gate is cheap enough for the fused-matrix builder, which
// applies every member gate of a fused group through the kernels (simulator/fused_matrix.cpp).
#pragma once

#include <algorithm>
#include <bit>
#include <cassert>
#include <cstdint>
#include <span>
#include <vector>

#include "circuits/small_vector.hpp"

namespace qstate::kernels {

class Placement {
 public:
  Placement() : Placement({}, {}, 0) {}
  // control_values: bit j is the value controls[j] must hold.
  Placement(std::span<const unsigned> targets, std::span<const unsigned> controls,
            std::uint64_t control_values)
      : num_targets_(static_cast<unsigned>(targets.size())) {
    std::uint64_t fixed_mask = 0;
    for (unsigned t : targets) fixed_mask |= bit(t);
    for (std::size_t j = 0; j < controls.size(); ++j) {
      fixed_mask |= bit(controls[j]);
      if ((control_values >> j) & 1U) control_bits_ |= bit(controls[j]);
    }
    for (std::uint64_t m = fixed_mask; m != 0; m &= m - 1)  // lowest first
      low_masks_.push_back((m & (~m + 1)) - 1);
    assert(low_masks_.size() == targets.size() + controls.size() && "positions must be distinct");
    offsets_.assign(std::size_t{1} << num_targets_, 0);
    for (unsigned j = 0; j < num_targets_; ++j) {  // offsets of 2^(j+1) from those of 2^j
      const std::size_t half = std::size_t{1} << j;
      for (std::size_t i = 0; i < half; ++i) offsets_[half + i] = offsets_[i] | bit(targets[j]);
    }
    run_length_ = low_masks_.empty() ? 0 : low_masks_.front() + 1;  // 0: one run, no insertion
  }

  unsigned num_targets() const { return num_targets_; }
  unsigned num_fixed() const { return static_cast<unsigned>(low_masks_.size()); }
  std::uint64_t num_groups(unsigned num_positions) const {
    assert(num_positions >= num_fixed());
    return std::uint64_t{1} << (num_positions - num_fixed());
  }
  const std::uint64_t* offsets() const { return offsets_.data(); }

  // Base index of group g.
  std::uint64_t base(std::uint64_t g) const {
    for (std::uint64_t low : low_masks_) g = (g & low) | ((g & ~low) << 1);
    return g | control_bits_;
  }

  // Lowest target or control position (64 when there is none).
  unsigned lowest_fixed() const {
    return low_masks_.empty() ? 64U : static_cast<unsigned>(std::popcount(low_masks_.front()));
  }
  // Second lowest fixed position (64 when there are fewer than two).
  unsigned second_fixed() const {
    return low_masks_.size() < 2 ? 64U : static_cast<unsigned>(std::popcount(low_masks_[1]));
  }

  // Number of targets and controls at positions below p.
  unsigned fixed_below(unsigned p) const {
    unsigned n = 0;
    for (std::uint64_t low : low_masks_) n += std::popcount(low) < static_cast<int>(p) ? 1U : 0U;
    return n;
  }
  // Bits at the control positions that the controls must hold (0 elsewhere).
  std::uint64_t control_bits() const { return control_bits_; }
  // Bits at every target and control position.
  std::uint64_t fixed_mask() const {
    std::uint64_t m = 0;
    for (std::uint64_t low : low_masks_) m |= low + 1;
    return m;
  }
  // Position of target j.
  unsigned target_position(unsigned j) const {
    return static_cast<unsigned>(std::countr_zero(offsets_[std::size_t{1} << j]));
  }

  // Calls f(base, count) for the runs of consecutive bases that make up groups [begin, end).
  template <class F>
  void for_each_run(std::uint64_t begin, std::uint64_t end, F&& f) const {
    std::uint64_t g = begin;
    while (g < end) {
      const std::uint64_t run_end =
          low_masks_.empty() ? end : std::min(end, (g | (run_length_ - 1)) + 1);
      f(base(g), run_end - g);
      g = run_end;
    }
  }

  // Calls f(base) for groups [begin, end). Consecutive groups below the lowest fixed position
  // have consecutive bases, so the insertion is done once per run.
  template <class F>
  void for_each_base(std::uint64_t begin, std::uint64_t end, F&& f) const {
    std::uint64_t g = begin;
    while (g < end) {
      const std::uint64_t run_end =
          low_masks_.empty() ? end : std::min(end, (g | (run_length_ - 1)) + 1);
      std::uint64_t b = base(g);
      for (; g < run_end; ++g, ++b) f(b);
    }
  }

 private:
  static constexpr std::uint64_t bit(unsigned p) { return std::uint64_t{1} << p; }

  unsigned num_targets_;
  std::uint64_t control_bits_ = 0;
  SmallVector<std::uint64_t, 8> low_masks_;  // bit(p) - 1 for each fixed position p, ascending
  SmallVector<std::uint64_t, 16> offsets_;
  std::uint64_t run_length_;  // groups below the lowest fixed position
};

}  // namespace qstate::kernels
