// Powers and products of gate matrices for the OpenQASM 3 modifiers (see qasm3_matrix.hpp).
#include "circuits/qasm/qasm3_matrix.hpp"

#include <Eigen/Dense>
#include <Eigen/Eigenvalues>
#include <cassert>
#include <cmath>
#include <numbers>

namespace qstate::qasm3 {
namespace {

using std::numbers::pi;

// e^{ia k} for the eigenvalue z = |z| e^{ia}, a taken in (-pi, pi]: an angle within rounding of
// -pi is read as +pi, so the principal root of -1 is i whichever side rounding put it on.
Complex principal_power(Complex z, double k) {
  double a = std::arg(z);
  if (a < -pi + 1e-9) a += 2 * pi;
  const double r = std::pow(std::abs(z), k);
  return std::polar(r, a * k);
}

std::vector<Complex> multiply(const std::vector<Complex>& a, const std::vector<Complex>& b,
                              std::size_t d) {
  std::vector<Complex> c(d * d, Complex(0.0, 0.0));
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t k = 0; k < d; ++k) {
      const Complex x = a[i * d + k];
      if (x == Complex(0.0, 0.0)) continue;
      for (std::size_t j = 0; j < d; ++j) c[i * d + j] += x * b[k * d + j];
    }
  return c;
}

// The monomial map `second` applied after `first`.
GateMatrix then(const GateMatrix& first, const GateMatrix& second) {
  const std::size_t d = first.dim();
  std::vector<std::uint32_t> perm(d);
  std::vector<Complex> phases(d);
  for (std::size_t c = 0; c < d; ++c) {
    const std::uint32_t mid = first.perm[c];
    perm[c] = second.perm[mid];
    phases[c] = second.entries[mid] * first.entries[c];
  }
  return GateMatrix::permutation(first.num_targets, std::move(perm), std::move(phases));
}

GateMatrix integer_power(const GateMatrix& m, std::uint64_t n) {
  const std::size_t d = m.dim();
  if (m.kind == MatrixKind::kDiagonal) {
    std::vector<Complex> out(d, Complex(1.0, 0.0));
    for (std::size_t i = 0; i < d; ++i) {
      Complex base = m.entries[i];
      for (std::uint64_t e = n; e > 0; e >>= 1) {
        if (e & 1U) out[i] *= base;
        base *= base;
      }
    }
    return GateMatrix::diagonal(m.num_targets, std::move(out));
  }
  if (m.kind == MatrixKind::kPermutation) {
    // Monomial maps compose into monomial maps: square and multiply on (perm, phases).
    GateMatrix result = GateMatrix::permutation(m.num_targets, std::vector<std::uint32_t>(d),
                                                std::vector<Complex>(d, Complex(1.0, 0.0)));
    for (std::uint32_t c = 0; c < d; ++c) result.perm[c] = c;
    GateMatrix base = m;
    for (std::uint64_t e = n; e > 0; e >>= 1) {
      if (e & 1U) result = then(result, base);
      if (e > 1) base = then(base, base);
    }
    return GateMatrix::classify(m.num_targets, result.to_dense());
  }
  std::vector<Complex> result(d * d, Complex(0.0, 0.0));
  for (std::size_t i = 0; i < d; ++i) result[i * d + i] = 1.0;
  std::vector<Complex> base = m.to_dense();
  for (std::uint64_t e = n; e > 0; e >>= 1) {
    if (e & 1U) result = multiply(result, base, d);
    if (e > 1) base = multiply(base, base, d);
  }
  return GateMatrix::classify(m.num_targets, std::move(result));
}

}  // namespace

GateMatrix matrix_power(const GateMatrix& m, double k) {
  if (k == std::round(k) && std::fabs(k) < 9.0e15) {
    const auto n = static_cast<std::int64_t>(k);
    const GateMatrix base = n < 0 ? m.adjoint() : m;
    const std::uint64_t steps =
        n < 0 ? static_cast<std::uint64_t>(-n) : static_cast<std::uint64_t>(n);
    return integer_power(base, steps);
  }
  const std::size_t d = m.dim();
  if (m.kind == MatrixKind::kDiagonal) {
    std::vector<Complex> out(d);
    for (std::size_t i = 0; i < d; ++i) out[i] = principal_power(m.entries[i], k);
    return GateMatrix::diagonal(m.num_targets, std::move(out));
  }
  Eigen::MatrixXcd a(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(d));
  for (std::size_t r = 0; r < d; ++r)
    for (std::size_t c = 0; c < d; ++c)
      a(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = m.at(r, c);
  // A unitary matrix is normal: its Schur form T = V^dagger A V is diagonal (up to rounding), so
  // A^k = V diag(t_ii^k) V^dagger.
  const Eigen::ComplexSchur<Eigen::MatrixXcd> schur(a);
  const Eigen::MatrixXcd& t = schur.matrixT();
  const Eigen::MatrixXcd& v = schur.matrixU();
  Eigen::VectorXcd diag(static_cast<Eigen::Index>(d));
  for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(d); ++i)
    diag(i) = principal_power(t(i, i), k);
  const Eigen::MatrixXcd r = v * diag.asDiagonal() * v.adjoint();
  std::vector<Complex> out(d * d);
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j < d; ++j)
      out[i * d + j] = r(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j));
  return GateMatrix::classify(m.num_targets, std::move(out));
}

GateMatrix product_matrix(const std::vector<ProductPart>& parts, unsigned width) {
  const std::size_t dim = std::size_t{1} << width;
  std::vector<Complex> u(dim * dim, Complex(0.0, 0.0));
  for (std::size_t i = 0; i < dim; ++i) u[i * dim + i] = 1.0;
  std::vector<Complex> next(dim * dim);
  for (const ProductPart& part : parts) {
    const std::size_t k = part.targets.size();
    std::fill(next.begin(), next.end(), Complex(0.0, 0.0));
    for (std::size_t b = 0; b < dim; ++b) {
      bool on = true;
      for (std::size_t j = 0; j < part.controls.size(); ++j) {
        const unsigned want = ((part.open_controls >> j) & 1U) != 0 ? 0U : 1U;
        if (((b >> part.controls[j]) & 1U) != want) on = false;
      }
      if (!on) {
        for (std::size_t col = 0; col < dim; ++col) next[b * dim + col] += u[b * dim + col];
        continue;
      }
      // Row b of the input contributes to rows that differ from b in the target bits only.
      std::size_t s = 0;
      std::size_t cleared = b;
      for (std::size_t j = 0; j < k; ++j) {
        s |= ((b >> part.targets[j]) & 1U) << j;
        cleared &= ~(std::size_t{1} << part.targets[j]);
      }
      for (std::size_t r = 0; r < (std::size_t{1} << k); ++r) {
        const Complex m = part.matrix.at(r, s);
        if (m == Complex(0.0, 0.0)) continue;
        std::size_t row = cleared;
        for (std::size_t j = 0; j < k; ++j) row |= ((r >> j) & 1U) << part.targets[j];
        for (std::size_t col = 0; col < dim; ++col) next[row * dim + col] += m * u[b * dim + col];
      }
    }
    u.swap(next);
  }
  return GateMatrix::classify(width, std::move(u));
}

}  // namespace qstate::qasm3
