// GateMatrix storage kinds and conversions; register bookkeeping of Circuit.
#include "circuits/circuit.hpp"

#include <cassert>
#include <cstdint>
#include <utility>

#include <sys/mman.h>

namespace qstate {

void advise_huge_pages(void* data, std::size_t bytes) {
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  if (bytes < 2 * kHuge) return;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) (void)madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

void reserve_ops(std::vector<Op>& ops, std::size_t n) {
  if (n <= ops.capacity()) return;
  ops.reserve(n);
  advise_huge_pages(ops.data(), ops.capacity() * sizeof(Op));
}

GateMatrix GateMatrix::dense(unsigned k, MatrixEntries row_major) {
  assert(row_major.size() == (std::size_t{1} << (2 * k)));
  return GateMatrix{MatrixKind::kDense, k, std::move(row_major), {}};
}

GateMatrix GateMatrix::diagonal(unsigned k, MatrixEntries diag) {
  assert(diag.size() == (std::size_t{1} << k));
  return GateMatrix{MatrixKind::kDiagonal, k, std::move(diag), {}};
}

GateMatrix GateMatrix::permutation(unsigned k, MatrixPerm perm, MatrixEntries phases) {
  assert(perm.size() == (std::size_t{1} << k) && phases.size() == perm.size());
  return GateMatrix{MatrixKind::kPermutation, k, std::move(phases), std::move(perm)};
}

GateMatrix GateMatrix::classify(unsigned k, MatrixEntries m) {
  const std::size_t dim = std::size_t{1} << k;
  assert(m.size() == dim * dim);
  // Monomial: exactly one non-zero per column and per row.
  MatrixPerm perm(dim);
  MatrixEntries phases(dim);
  SmallVector<std::uint8_t, 16> row_used(dim, 0);
  bool monomial = true;
  bool diagonal = true;
  for (std::size_t c = 0; c < dim && monomial; ++c) {
    int found = 0;
    for (std::size_t r = 0; r < dim; ++r) {
      const Complex v = m[r * dim + c];
      if (v == Complex(0.0, 0.0)) continue;
      if (++found > 1 || row_used[r]) {
        monomial = false;
        break;
      }
      row_used[r] = 1;
      perm[c] = static_cast<std::uint32_t>(r);
      phases[c] = v;
      if (r != c) diagonal = false;
    }
    if (found == 0) monomial = false;
  }
  if (!monomial) return dense(k, std::move(m));
  if (diagonal) return GateMatrix::diagonal(k, std::move(phases));
  return permutation(k, std::move(perm), std::move(phases));
}

GateMatrix GateMatrix::as_kind(MatrixKind wanted) const {
  if (wanted == kind) return *this;
  if (wanted == MatrixKind::kDense) return dense(num_targets, to_dense());
  GateMatrix other = classify(num_targets, to_dense());
  if (other.kind == wanted) return other;
  // A diagonal matrix is also a permutation (the identity one) with its diagonal as phases.
  assert(wanted == MatrixKind::kPermutation && other.kind == MatrixKind::kDiagonal);
  MatrixPerm identity(dim());
  for (std::uint32_t i = 0; i < identity.size(); ++i) identity[i] = i;
  return permutation(num_targets, std::move(identity), std::move(other.entries));
}

Complex GateMatrix::at(std::size_t row, std::size_t col) const {
  switch (kind) {
    case MatrixKind::kDense:
      return entries[row * dim() + col];
    case MatrixKind::kDiagonal:
      return row == col ? entries[row] : Complex(0.0, 0.0);
    case MatrixKind::kPermutation:
      return perm[col] == row ? entries[col] : Complex(0.0, 0.0);
  }
  return {};
}

std::vector<Complex> GateMatrix::to_dense() const {
  const std::size_t d = dim();
  std::vector<Complex> out(d * d);
  for (std::size_t r = 0; r < d; ++r)
    for (std::size_t c = 0; c < d; ++c) out[r * d + c] = at(r, c);
  return out;
}

GateMatrix GateMatrix::adjoint() const {
  const std::size_t d = dim();
  switch (kind) {
    case MatrixKind::kDense: {
      MatrixEntries out(d * d);
      for (std::size_t r = 0; r < d; ++r)
        for (std::size_t c = 0; c < d; ++c) out[c * d + r] = std::conj(entries[r * d + c]);
      return dense(num_targets, std::move(out));
    }
    case MatrixKind::kDiagonal: {
      MatrixEntries out(d);
      for (std::size_t i = 0; i < d; ++i) out[i] = std::conj(entries[i]);
      return diagonal(num_targets, std::move(out));
    }
    case MatrixKind::kPermutation: {
      // M e_c = p_c e_{perm[c]}  =>  M^dagger e_{perm[c]} = conj(p_c) e_c
      MatrixPerm inv(d);
      MatrixEntries phases(d);
      for (std::size_t c = 0; c < d; ++c) {
        inv[perm[c]] = static_cast<std::uint32_t>(c);
        phases[perm[c]] = std::conj(entries[c]);
      }
      return permutation(num_targets, std::move(inv), std::move(phases));
    }
  }
  return {};
}

bool Condition::holds(const std::vector<std::uint8_t>& clbits) const {
  // Registers wider than 64 bits compare equal only when their high bits are all zero.
  bool equal = true;
  for (std::size_t j = 0; j < bits.size() && equal; ++j) {
    const unsigned want = j < 64 ? static_cast<unsigned>((value >> j) & 1U) : 0U;
    equal = (clbits[bits[j]] & 1U) == want;
  }
  if (bits.size() < 64 && (value >> bits.size()) != 0) equal = false;
  return equal != negated;
}

void bind_parameters(std::vector<Op>& ops, std::span<const double> inputs) {
  for (Op& op : ops) {
    if (auto* g = std::get_if<GateOp>(&op)) {
      if (g->parametric) g->parametric->bind(inputs, *g);
    } else if (auto* branch = std::get_if<IfOp>(&op)) {
      bind_parameters(branch->then_ops, inputs);
      bind_parameters(branch->else_ops, inputs);
    }
  }
}

bool has_parametric_gates(const std::vector<Op>& ops) {
  for (const Op& op : ops) {
    if (const auto* g = std::get_if<GateOp>(&op); g != nullptr && g->parametric) return true;
    if (const auto* branch = std::get_if<IfOp>(&op))
      if (has_parametric_gates(branch->then_ops) || has_parametric_gates(branch->else_ops))
        return true;
  }
  return false;
}

const Register& Circuit::add_qreg(const std::string& name, std::uint32_t size) {
  qregs.push_back(Register{name, num_qubits, size});
  num_qubits += size;
  return qregs.back();
}

const Register& Circuit::add_creg(const std::string& name, std::uint32_t size) {
  cregs.push_back(Register{name, num_clbits, size});
  num_clbits += size;
  return cregs.back();
}

}  // namespace qstate
