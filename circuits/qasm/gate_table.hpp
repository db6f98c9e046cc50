// The gates an OpenQASM 2 program can apply at each point: U and CX, the qelib1 gates once
// "qelib1.inc" is included, and the program's own `gate` / `opaque` declarations (which shadow
// standard gates of the same name from their definition on). A `gate` body is checked and resolved
// when it is defined, against the gates visible then (the paper's rule: a body may only use gates
// defined before it, so recursion is impossible); applying a user gate inlines its body into
// standard GateOps with evaluated parameters.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/error.hpp"
#include "circuits/gates.hpp"
#include "circuits/qasm/ast.hpp"
#include "circuits/qasm/expr.hpp"

namespace qstate::qasm {

struct GateEntry;

// One operation of a user gate's body, resolved when the gate was defined.
struct BodyOp {
  bool barrier = false;
  const GateEntry* gate = nullptr;    // the gate applied, as visible at the definition
  std::vector<ExprId> params;         // in UserGate::exprs, names bound to parameter slots
  std::vector<std::uint32_t> qubits;  // indices into the gate's qubit arguments
  Pos pos;                            // the statement in the body
};

struct UserGate {
  std::string file;  // where the body is written, for messages
  std::vector<BodyOp> body;
  ExprPool exprs;
};

enum class GateKind : std::uint8_t { kStandard, kUser, kOpaque };

struct GateEntry {
  GateKind kind = GateKind::kStandard;
  std::string name;
  unsigned num_params = 0;
  unsigned num_qubits = 0;
  const StandardGate* standard = nullptr;  // kStandard
  std::optional<GateMatrix> fixed_matrix;  // kStandard without parameters: built once
  std::unique_ptr<UserGate> user;          // kUser
  bool identity = false;                   // kOpaque that lowers to nothing (Qiskit's delay)
  SourceLocation where;                    // the declaration (kUser, kOpaque)
  std::string text;                        // the declaration's tokens, to compare re-definitions
  std::uint64_t count = 0;                 // applications written at top level
};

class GateTable {
 public:
  GateTable();  // U and CX are visible

  // Makes the gates of `libraries` (GateLibrary bits) visible; user declarations of the same name
  // keep precedence.
  void include_library(unsigned libraries);
  unsigned libraries() const { return libraries_; }

  // The gate visible under `name`, or nullptr.
  GateEntry* find(std::string_view name) const {
    const auto it = visible_.find(name);
    return it == visible_.end() ? nullptr : it->second;
  }

  // Checks a `gate` or `opaque` declaration written in `file` and makes it visible. Throws
  // qstate::Error for a different re-definition, a malformed body, etc.
  void define(GateDecl& decl, const std::string& file);

  // The message for applying an unknown gate `name` (suggests the include where it helps).
  std::string unknown_gate_message(std::string_view name) const;

  // Appends the GateOp of a standard gate to `out`, built in place (make_gate, reusing the
  // matrix of a gate without parameters).
  static void append_standard(const GateEntry& gate, std::span<const double> params,
                              std::span<const Qubit> qubits, std::vector<Op>& out);

  // Appends the ops of `gate(params) qubits` to `out`; user gates are expanded recursively. The
  // sizes must match the gate. Throws for an opaque gate met inside a body.
  void expand(const GateEntry& gate, std::span<const double> params, std::span<const Qubit> qubits,
              std::vector<Op>& out) const;

  // Every entry ever created (shadowed ones included), for written_counts.
  const std::vector<std::unique_ptr<GateEntry>>& entries() const { return entries_; }

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
      return std::hash<std::string_view>{}(s);
    }
  };

  GateEntry* add(std::unique_ptr<GateEntry> entry);
  void check_body(GateDecl& decl, const std::string& file, UserGate& user) const;

  std::vector<std::unique_ptr<GateEntry>> entries_;
  std::unordered_map<std::string, GateEntry*, StringHash, std::equal_to<>> visible_;
  unsigned libraries_ = 0;
};

// The tokens of `text` joined by single spaces (comments and layout dropped).
std::string normalized_tokens(std::string_view text, const std::string& file);

}  // namespace qstate::qasm
