// Parametric gates of the OpenQASM 3 front end. A gate whose parameters depend on the circuit's
// inputs (`input float[64] theta;`) keeps a Recipe: how its matrix is made from the inputs (a
// standard gate's matrix with parameters that are expressions over the inputs, a global phase, or
// the product of several such gates), then the inverses and powers its modifiers asked for.
// RecipeGate (a qstate::ParametricGate) rebuilds op.params and op.matrix from the recipe for each
// binding, in the matrix kind chosen when the circuit was read, so a plan made once stays valid.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/gates.hpp"
#include "circuits/qasm/expr.hpp"

namespace qstate::qasm3 {

// A gate parameter: a number, or (expr != kNoExpr) an expression over the inputs.
struct ParamSource {
  double value = 0.0;
  qasm::ExprId expr = qasm::kNoExpr;
};

struct Recipe;

// One gate of a product recipe, on local qubits of the product.
struct RecipePart {
  std::shared_ptr<const Recipe> recipe;
  std::vector<unsigned> controls;
  std::vector<unsigned> targets;
  std::uint64_t open_controls = 0;
};

struct Recipe {
  enum class Base : std::uint8_t {
    kStandard,  // standard->base(params)
    kPhase,     // gphase(params[0]): a 1x1 matrix e^{i theta}
    kFixed,     // `fixed`
    kProduct,   // the parts multiplied into a 2^width matrix
  };
  Base base = Base::kFixed;
  const StandardGate* standard = nullptr;
  std::vector<ParamSource> params;
  GateMatrix fixed;
  std::vector<RecipePart> parts;
  unsigned width = 0;
  // Applied in order after the base: an inverse (adjoint) or a power.
  struct Transform {
    bool inverse = false;
    double exponent = 1.0;
  };
  std::vector<Transform> transforms;
  // A controlled global phase becomes a phase gate on its last control: -1 when not, else the
  // value (0 or 1) that control must hold.
  int phase_target_value = -1;

  bool depends_on_inputs() const;
  // The matrix for these input values; `params_out` (if given) receives the base's parameters.
  // Throws qstate::Error (file:line:col of the expression) when an expression cannot be
  // evaluated, e.g. a division by zero.
  GateMatrix build(const qasm::ExprPool& pool, std::span<const double> inputs,
                   const std::string& file, GateParams* params_out) const;
};

class RecipeGate final : public ParametricGate {
 public:
  RecipeGate(std::shared_ptr<const qasm::ExprPool> pool, std::shared_ptr<const Recipe> recipe,
             std::string file, MatrixKind kind)
      : pool_(std::move(pool)), recipe_(std::move(recipe)), file_(std::move(file)), kind_(kind) {}

  void bind(std::span<const double> inputs, GateOp& op) const override;

  const std::shared_ptr<const Recipe>& recipe() const { return recipe_; }
  const std::shared_ptr<const qasm::ExprPool>& pool() const { return pool_; }
  const std::string& file() const { return file_; }
  MatrixKind kind() const { return kind_; }

 private:
  std::shared_ptr<const qasm::ExprPool> pool_;
  std::shared_ptr<const Recipe> recipe_;
  std::string file_;
  MatrixKind kind_;
};

// The recipe of an op: its RecipeGate's, or a fixed one holding its matrix.
std::shared_ptr<const Recipe> recipe_of(const GateOp& op);

// Makes `op` parametric with `recipe`: chooses the matrix kind from the recipe evaluated at two
// generic input points (the kind of a gate family, not of a special value such as rx(0)), and
// sets a placeholder matrix of that kind until the op is bound.
void make_parametric(GateOp& op, std::shared_ptr<const Recipe> recipe,
                     std::shared_ptr<const qasm::ExprPool> pool, const std::string& file,
                     std::size_t num_inputs);

}  // namespace qstate::qasm3
