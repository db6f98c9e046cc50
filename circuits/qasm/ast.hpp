// Syntax tree of OpenQASM 2 statements, as the parser produces them one at a time. Names and
// strings are views into the source text; parameter expressions live in an ExprPool. Nothing here
// is checked beyond syntax: the lowering (lower.hpp) resolves names and checks the meaning.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "circuits/qasm/expr.hpp"

namespace qstate::qasm {

struct Pos {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

// An integer literal: its value, or `overflow` when it does not fit in 64 bits.
struct IntLiteral {
  std::uint64_t value = 0;
  bool overflow = false;
  Pos pos;
  std::string_view text;
};

struct Identifier {
  std::string_view name;
  Pos pos;
};

// `name` or `name[index]`.
struct Operand {
  Identifier id;
  bool indexed = false;
  IntLiteral index;
};

enum class StatementKind : std::uint8_t {
  kVersion,  // OPENQASM <version>;      name = version text
  kInclude,  // include "file";          name = file (without quotes)
  kQreg,     // qreg name[size];
  kCreg,     // creg name[size];
  kGate,     // gate ... { ... }         gate
  kOpaque,   // opaque ...;              gate (empty body)
  kApply,    // name(params) operands;
  kMeasure,  // measure a -> b;          operands = {a, b}
  kReset,    // reset a;                 operands = {a}
  kBarrier,  // barrier operands;        (possibly no operands)
};

struct GateDecl;

struct Statement {
  StatementKind kind = StatementKind::kApply;
  Pos pos;          // first token of the operation (after any `if (...)`)
  Identifier name;  // gate / register name, version text, include file
  IntLiteral size;  // qreg / creg size
  Pos params_pos;   // kApply: the '(' of the parameter list, or the name when there is none
  std::vector<ExprId> params;     // kApply: one expression per parameter
  std::vector<Operand> operands;  // kApply, kMeasure, kReset, kBarrier
  // `if (cond_reg == cond_value) <operation>`; only kApply, kMeasure, kReset can be conditioned.
  bool conditioned = false;
  Pos if_pos;
  Identifier cond_reg;
  IntLiteral cond_value;
  std::shared_ptr<GateDecl> gate;  // kGate / kOpaque

  // Makes the statement empty for reuse, keeping the vectors' memory.
  void reset() {
    params.clear();
    operands.clear();
    conditioned = false;
    gate.reset();
  }
};

// `gate name(params) qubits { body }` or `opaque name(params) qubits;`.
struct GateDecl {
  bool opaque = false;
  Pos pos;  // the `gate` / `opaque` keyword
  Identifier name;
  std::vector<Identifier> params;
  std::vector<Identifier> qubits;
  std::vector<Statement> body;  // kApply and kBarrier statements
  ExprPool exprs;               // the body's parameter expressions
  std::string_view text;        // the whole declaration as written, for comparing re-definitions
};

}  // namespace qstate::qasm
