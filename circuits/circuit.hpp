// The circuit model every front end produces and every backend consumes: registers, and a list of
// operations (gates with their matrices, measurements, resets, barriers, classically conditioned
// blocks). Qubits and clbits are numbered across registers in declaration order; qubit k is bit k
// of the amplitude index (Qiskit's order).
#pragma once

#include <complex>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "circuits/small_vector.hpp"

namespace qstate {

using Complex = std::complex<double>;
using Qubit = std::uint32_t;
using Clbit = std::uint32_t;

// Inline storage sized for the common case (circuits/small_vector.hpp): a 1-qubit dense matrix or
// a 2-qubit diagonal or permutation, up to 3 parameters, 2 targets, 2 controls. Larger gates
// (wider fused gates, 2-qubit dense matrices) keep their elements on the heap.
using MatrixEntries = SmallVector<Complex, 4>;
using MatrixPerm = SmallVector<std::uint32_t, 4>;
using GateParams = SmallVector<double, 3>;
using GateQubits = SmallVector<Qubit, 2>;

// How a gate's matrix on its targets is stored; each kind has its own kernel.
enum class MatrixKind : std::uint8_t {
  kDense,        // 2^k x 2^k entries, row-major
  kDiagonal,     // 2^k diagonal entries
  kPermutation,  // monomial: amplitude at column i moves to row perm[i], times entries[i]
};

// A k-qubit operator on a gate's targets. Bit j of a row/column index is targets[j].
struct GateMatrix {
  MatrixKind kind = MatrixKind::kDiagonal;
  unsigned num_targets = 0;
  MatrixEntries entries;  // see MatrixKind
  MatrixPerm perm;        // kPermutation only

  std::size_t dim() const { return std::size_t{1} << num_targets; }

  static GateMatrix dense(unsigned k, MatrixEntries row_major);
  static GateMatrix diagonal(unsigned k, MatrixEntries diag);
  static GateMatrix permutation(unsigned k, MatrixPerm perm, MatrixEntries phases);
  // Stores a dense matrix in the cheapest kind that represents it exactly (exact zeros only).
  static GateMatrix classify(unsigned k, MatrixEntries row_major);

  // The same operator stored as `kind`: always possible for kDense; for kDiagonal and
  // kPermutation only when the matrix has that form (asserted). Keeps a parametric gate's kind
  // the same for every binding (rx(0) is diagonal, rx(0.1) is not).
  GateMatrix as_kind(MatrixKind kind) const;

  // Entry (row, col) whatever the kind.
  Complex at(std::size_t row, std::size_t col) const;
  std::vector<Complex> to_dense() const;  // row-major 2^k x 2^k
  GateMatrix adjoint() const;
};

struct GateOp;

// A gate whose parameters depend on the circuit's inputs (OpenQASM 3 `input`, parameters of a
// circuit built in code): bind() recomputes the op's params and matrix from the inputs' values.
// The matrix keeps the kind it was built with (see GateMatrix::as_kind), so a plan made before
// binding (distribution, fusion) stays valid for every binding.
class ParametricGate {
 public:
  virtual ~ParametricGate() = default;
  virtual void bind(std::span<const double> inputs, GateOp& op) const = 0;
};

// A unitary on `targets`, applied where every control qubit holds its control value.
struct GateOp {
  std::string name;   // gate name as the front end knows it ("h", "cx", "fused", ...)
  GateParams params;  // evaluated parameters, for reports
  GateQubits controls;
  GateQubits targets;               // targets[j] is bit j of the matrix index
  std::uint64_t open_controls = 0;  // bit j set: controls[j] must be |0> (else |1>)
  GateMatrix matrix;
  std::shared_ptr<const ParametricGate> parametric;  // null: the matrix is fixed
  // A plain SWAP may be done by exchanging the two qubits' positions in a layout (no data
  // moves). False for the part of a gate that runs on some MPI ranks only, where a relabelling
  // would give the ranks' slices different layouts.
  bool may_relabel = true;

  unsigned num_qubits() const { return static_cast<unsigned>(controls.size() + targets.size()); }
  bool control_value(std::size_t j) const { return ((open_controls >> j) & 1U) == 0; }
};

struct MeasureOp {
  Qubit qubit = 0;
  Clbit clbit = 0;
};

struct ResetOp {
  Qubit qubit = 0;
};

// No effect on the state; kept for depth, reports and as a boundary for passes.
struct BarrierOp {
  std::vector<Qubit> qubits;
};

// The value of some clbits compared with an integer: bit j of the value is bits[j].
struct Condition {
  std::vector<Clbit> bits;
  std::uint64_t value = 0;
  bool negated = false;  // true: holds when the bits differ from value

  bool holds(const std::vector<std::uint8_t>& clbits) const;
};

// Inserted by the distribution planner (circuits/passes/distribute.hpp), never by a front end:
// each pair (a, b) exchanges the positions of qubits a and b in the state's layout. A data remap
// pairs a qubit in a global position (coming local) with one in a local position (going global)
// and moves the amplitudes that change rank; a relabel is a SWAP gate absorbed into the layout,
// and moves nothing. On a state without a layout a relabel is a SWAP gate and a remap does
// nothing: the logical state is the same.
struct RemapOp {
  std::vector<std::pair<Qubit, Qubit>> pairs;
  bool relabel = false;
};

struct Op;

// if (condition) { then_ops } else { else_ops }; with is_while: while (condition) { then_ops }
// (else_ops empty). The condition reads classical bits only, which every rank holds alike.
struct IfOp {
  Condition condition;
  std::vector<Op> then_ops;
  std::vector<Op> else_ops;
  bool is_while = false;
};

struct Op : std::variant<GateOp, MeasureOp, ResetOp, BarrierOp, IfOp, RemapOp> {
  using variant::variant;
};

struct Register {
  std::string name;
  std::uint32_t first = 0;  // index of its bit 0 among all qubits / clbits
  std::uint32_t size = 0;
};

struct Circuit {
  std::string source;  // file name or "<string>", for messages
  std::vector<Register> qregs;
  std::vector<Register> cregs;
  std::uint32_t num_qubits = 0;
  std::uint32_t num_clbits = 0;
  std::vector<Op> ops;
  double global_phase = 0.0;  // radians, multiplies the whole state
  // Names of the circuit's inputs (OpenQASM 3 `input` declarations, parameters of a circuit
  // built in code); parametric gates are bound to values in this order.
  std::vector<std::string> inputs;
  // Instructions as written in the source (user gates count as themselves, broadcasts count each
  // application), as Qiskit's count_ops() reports them.
  std::map<std::string, std::uint64_t> written_counts;

  const Register& add_qreg(const std::string& name, std::uint32_t size);
  const Register& add_creg(const std::string& name, std::uint32_t size);
};

// Asks Linux to back a large buffer that is not touched yet with transparent huge pages:
// first-touch page faults dominate filling a long op list otherwise (4 KiB pages cost ~2.5x the
// time of huge pages per byte on the development VM). Small buffers are left alone.
void advise_huge_pages(void* data, std::size_t bytes);
// ops.reserve(n), with fresh storage advised as above: for a pass that fills a long op list.
void reserve_ops(std::vector<Op>& ops, std::size_t n);

// Rebinds every parametric gate in `ops` (IfOp bodies included) to the inputs' values.
void bind_parameters(std::vector<Op>& ops, std::span<const double> inputs);
bool has_parametric_gates(const std::vector<Op>& ops);

}  // namespace qstate
