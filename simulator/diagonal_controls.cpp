#include "simulator/diagonal_controls.hpp"

#include <utility>
#include <vector>

namespace qstate {
namespace {

constexpr Qubit kMinControlPosition = 3;

// True when entry i of `diag` is exactly 1 for every i whose bit j equals `value`.
bool trivial_half(const std::vector<Complex>& diag, unsigned j, unsigned value) {
  for (std::size_t i = 0; i < diag.size(); ++i)
    if (((i >> j) & 1U) == value && diag[i] != Complex(1.0, 0.0)) return false;
  return true;
}

// The entries with bit j equal to `value`, bit j removed from the index.
std::vector<Complex> keep_half(const std::vector<Complex>& diag, unsigned j, unsigned value) {
  std::vector<Complex> out;
  out.reserve(diag.size() / 2);
  for (std::size_t i = 0; i < diag.size(); ++i)
    if (((i >> j) & 1U) == value) out.push_back(diag[i]);
  return out;
}

}  // namespace

GateOp diagonal_with_controls(const GateOp& op) {
  if (op.matrix.kind != MatrixKind::kDiagonal || op.targets.empty()) return op;
  std::vector<Complex> diag = op.matrix.entries;
  std::vector<Qubit> targets = op.targets;
  std::vector<Qubit> controls = op.controls;
  std::uint64_t open = op.open_controls;
  for (unsigned j = 0; j < targets.size();) {
    int control_value = -1;
    if (trivial_half(diag, j, 0))
      control_value = 1;
    else if (trivial_half(diag, j, 1))
      control_value = 0;
    // A target inside one SIMD vector (position < 3) stays a target: the vector kernels do it in
    // place, where a control there would send the gate to the plain kernel.
    if (control_value < 0 || targets[j] < kMinControlPosition || controls.size() >= 63) {
      ++j;
      continue;
    }
    diag = keep_half(diag, j, static_cast<unsigned>(control_value));
    if (control_value == 0) open |= std::uint64_t{1} << controls.size();
    controls.push_back(targets[j]);
    targets.erase(targets.begin() + j);
  }
  if (targets.size() == op.targets.size()) return op;
  GateOp out = op;
  out.targets = std::move(targets);
  out.controls = std::move(controls);
  out.open_controls = open;
  out.matrix = GateMatrix::diagonal(static_cast<unsigned>(out.targets.size()), std::move(diag));
  return out;
}

}  // namespace qstate
