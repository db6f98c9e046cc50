// Recipes of parametric OpenQASM 3 gates and their binding (see qasm3_recipe.hpp).
#include "circuits/qasm/qasm3_recipe.hpp"

#include <cmath>
#include <optional>

#include "circuits/error.hpp"
#include "circuits/qasm/qasm3_matrix.hpp"

namespace qstate::qasm3 {
namespace {

// Two kinds agree on a family when they are equal; anything else is stored densely (always
// possible, see GateMatrix::as_kind).
MatrixKind join(MatrixKind a, MatrixKind b) {
  return a == b ? a : MatrixKind::kDense;
}

// Whether `m` has the form `kind` asks for (exact zeros, as GateMatrix::classify reads it).
bool fits(const GateMatrix& m, MatrixKind kind) {
  if (kind == MatrixKind::kDense || m.kind == kind) return true;
  const GateMatrix c = GateMatrix::classify(m.num_targets, m.to_dense());
  if (kind == MatrixKind::kPermutation) return c.kind != MatrixKind::kDense;
  return c.kind == MatrixKind::kDiagonal;
}

}  // namespace

bool Recipe::depends_on_inputs() const {
  for (const ParamSource& p : params)
    if (p.expr != qasm::kNoExpr) return true;
  for (const RecipePart& part : parts)
    if (part.recipe->depends_on_inputs()) return true;
  return false;
}

GateMatrix Recipe::build(const qasm::ExprPool& pool, std::span<const double> inputs,
                         const std::string& file, GateParams* params_out) const {
  GateParams values(params.size());
  for (std::size_t j = 0; j < params.size(); ++j)
    values[j] = params[j].expr == qasm::kNoExpr
                    ? params[j].value
                    : qasm::evaluate(pool, params[j].expr, inputs, file);
  GateMatrix m;
  switch (base) {
    case Base::kStandard:
      m = standard->base(values.data());
      break;
    case Base::kPhase:
      m = GateMatrix::diagonal(0, {std::polar(1.0, values[0])});
      break;
    case Base::kFixed:
      m = fixed;
      break;
    case Base::kProduct: {
      std::vector<ProductPart> built;
      built.reserve(parts.size());
      for (const RecipePart& part : parts)
        built.push_back(ProductPart{part.controls, part.targets, part.open_controls,
                                    part.recipe->build(pool, inputs, file, nullptr)});
      m = product_matrix(built, width);
      break;
    }
  }
  for (const Transform& t : transforms) m = t.inverse ? m.adjoint() : matrix_power(m, t.exponent);
  if (phase_target_value >= 0) {
    const Complex phase = m.entries[0];
    m = phase_target_value == 1 ? GateMatrix::diagonal(1, {1.0, phase})
                                : GateMatrix::diagonal(1, {phase, 1.0});
  }
  if (params_out != nullptr) *params_out = std::move(values);
  return m;
}

void RecipeGate::bind(std::span<const double> inputs, GateOp& op) const {
  GateMatrix m = recipe_->build(*pool_, inputs, file_, &op.params);
  if (!fits(m, kind_))
    throw Error("gate '" + op.name + "' (" + file_ +
                ") has a different matrix form for these input values than the one it was "
                "planned with; this is a qstate bug, please report it");
  op.matrix = m.as_kind(kind_);
}

std::shared_ptr<const Recipe> recipe_of(const GateOp& op) {
  if (const auto* g = dynamic_cast<const RecipeGate*>(op.parametric.get())) return g->recipe();
  auto r = std::make_shared<Recipe>();
  r->base = Recipe::Base::kFixed;
  r->fixed = op.matrix;
  return r;
}

void make_parametric(GateOp& op, std::shared_ptr<const Recipe> recipe,
                     std::shared_ptr<const qasm::ExprPool> pool, const std::string& file,
                     std::size_t num_inputs) {
  // Generic points: irrational-looking values in (0, 1), different for every input, so that no
  // family degenerates (rx(theta) is dense for them, though rx(0) is diagonal) and functions
  // such as sqrt, log or arcsin stay in their domain.
  static constexpr double kStarts[] = {0.6180339887498949, 0.4142135623730951, 0.7320508075688772,
                                       0.2360679774997897};
  std::optional<MatrixKind> kind;
  std::optional<GateMatrix> placeholder;
  GateParams params;
  int evaluated = 0;
  for (const double start : kStarts) {
    std::vector<double> inputs(num_inputs);
    for (std::size_t k = 0; k < num_inputs; ++k)
      inputs[k] = std::fmod(start + 0.1234567 * static_cast<double>(k + 1), 0.9) + 0.05;
    try {
      GateMatrix m = recipe->build(*pool, inputs, file, &params);
      kind = kind ? join(*kind, m.kind) : m.kind;
      if (!placeholder) placeholder = std::move(m);
      if (++evaluated == 2) break;
    } catch (const Error&) {
      // Outside the domain of some function at this point: try the next one.
    }
  }
  if (!kind) {
    kind = MatrixKind::kDense;  // never evaluated: the binding will report the problem
    const unsigned k = static_cast<unsigned>(op.targets.size());
    std::vector<Complex> identity(std::size_t{1} << (2 * k), Complex(0.0, 0.0));
    for (std::size_t i = 0; i < (std::size_t{1} << k); ++i)
      identity[i * ((std::size_t{1} << k) + 1)] = 1.0;
    placeholder = GateMatrix::dense(k, std::move(identity));
  }
  op.matrix = placeholder->as_kind(*kind);
  op.params = params;
  op.parametric = std::make_shared<RecipeGate>(std::move(pool), std::move(recipe), file, *kind);
}

}  // namespace qstate::qasm3
