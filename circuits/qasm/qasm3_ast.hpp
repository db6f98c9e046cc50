// Syntax tree of OpenQASM 3 statements, as qasm3_parser hands them out one top-level statement at
// a time (nested blocks complete). Names, strings and numbers are views into the source text;
// expressions live flat in an ExprTree (no per-node heap allocation). Nothing here is checked
// beyond syntax: the lowering (qasm3_lower.hpp) resolves names, types and values.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "circuits/qasm/ast.hpp"
#include "circuits/qasm/lexer.hpp"
#include "circuits/small_vector.hpp"

namespace qstate::qasm3 {

using qasm::Identifier;
using qasm::Pos;

// Index of a node in its ExprTree.
using NodeId = std::uint32_t;
inline constexpr NodeId kNoNode = 0xFFFFFFFFU;

enum class TypeKind : std::uint8_t {
  kNone,
  kBit,
  kInt,
  kUint,
  kFloat,
  kAngle,
  kBool,
  kComplex,
  kDuration,
  kStretch,
  kQubit,
  kArray,
};

// A scalar type as written: `int[32]`, `float`, `bit[4]`, `angle[20]`, `qubit[5]`.
struct TypeSpec {
  TypeKind kind = TypeKind::kNone;
  NodeId width = kNoNode;  // the designator expression, if any
  Pos pos;
  std::string_view name;  // the type keyword as written
};

enum class NodeKind : std::uint8_t {
  kInteger,     // ival (text = literal)
  kReal,        // fval
  kBool,        // ival 0 / 1
  kBitString,   // text = the bits between the quotes ("0101")
  kDuration,    // text = the literal (100dt); never evaluated
  kImaginary,   // text
  kIdent,       // text = name
  kPhysical,    // $n: ival = n
  kUnary,       // op a
  kBinary,      // a op b
  kIndex,       // a[list]: one entry per comma-separated index; an entry may be a kRange or kSet
  kRange,       // [a : b : c] = start, step, end (each may be kNoNode)
  kSet,         // {list}
  kCall,        // text(list): a built-in function
  kCast,        // type(a)
  kDurationOf,  // durationof(...): never evaluated
};

struct Node {
  NodeKind kind = NodeKind::kInteger;
  qasm::TokenKind op = qasm::TokenKind::kEnd;  // kUnary / kBinary: the operator token
  Pos pos;
  NodeId a = kNoNode;
  NodeId b = kNoNode;
  NodeId c = kNoNode;
  std::uint32_t list = 0;  // first entry in ExprTree::lists
  std::uint32_t count = 0;
  std::uint64_t ival = 0;
  bool overflow = false;  // kInteger that does not fit in 64 bits
  double fval = 0.0;
  std::string_view text;
  TypeSpec type;  // kCast
};

// The entries of an index, a set or a call while they are parsed (inline: no allocation).
using NodeList = SmallVector<NodeId, 4>;

class ExprTree {
 public:
  NodeId add(const Node& n) {
    nodes_.push_back(n);
    return static_cast<NodeId>(nodes_.size() - 1);
  }
  // Stores a list of ids and points `n` at it.
  void set_list(Node& n, std::span<const NodeId> ids) {
    n.list = static_cast<std::uint32_t>(lists_.size());
    n.count = static_cast<std::uint32_t>(ids.size());
    lists_.insert(lists_.end(), ids.begin(), ids.end());
  }
  const Node& operator[](NodeId id) const { return nodes_[id]; }
  NodeId item(const Node& n, std::uint32_t i) const { return lists_[n.list + i]; }
  void clear() {
    nodes_.clear();
    lists_.clear();
  }

 private:
  std::vector<Node> nodes_;
  std::vector<NodeId> lists_;
};

enum class ModifierKind : std::uint8_t { kCtrl, kNegCtrl, kInv, kPow };

struct Modifier {
  ModifierKind kind = ModifierKind::kCtrl;
  NodeId arg = kNoNode;  // ctrl(k) / negctrl(k) / pow(k)
  Pos pos;
};

enum class StmtKind : std::uint8_t {
  kVersion,    // OPENQASM <name>;
  kInclude,    // include "<name>";
  kQubitDecl,  // qubit[size] name; / qreg name[size];        type.width = size
  kBitDecl,    // bit[size] name (= value | = measure op)?; / creg name[size];
  kVarDecl,    // (const)? type name (= value)?;             is_const
  kInput,      // input type name;
  kStretch,    // stretch name;
  kAlias,      // let name = value;                          value: an operand expression
  kGateDef,    // gate ...                                   gate
  kGateCall,   // modifiers name(params) operands;           name = gate ("gphase" too)
  kMeasure,    // measure op (-> target)?; / target = measure op;   operands[0], target
  kReset,      // reset operands;
  kBarrier,    // barrier operands;
  kDelay,      // delay[value] operands;
  kAssign,     // target op value;                           assign_op = "=", "+=", ...
  kIf,         // if (value) body else else_body
  kFor,        // for type name in value body
  kWhile,      // while (value) body
  kBreak,
  kContinue,
  kSwitch,  // switch (value) { cases }
  kBlock,   // { body }
};

struct Stmt;
struct SwitchCase;

// `gate name(params) qubits { body }`.
struct GateDef {
  Pos pos;  // the `gate` keyword
  Identifier name;
  std::vector<Identifier> params;
  std::vector<Identifier> qubits;
  std::vector<Stmt> body;
  std::shared_ptr<ExprTree> exprs;  // the body's expressions
  std::string file;                 // where it is written
};

// Parser::reset (qasm3_parser.cpp) sets every field back to these defaults: keep it in step.
struct Stmt {
  StmtKind kind = StmtKind::kBlock;
  Pos pos;  // the first token
  TypeSpec type;
  Identifier name;
  bool is_const = false;
  NodeId value = kNoNode;
  NodeId target = kNoNode;
  std::string_view assign_op;
  std::vector<Modifier> modifiers;
  std::vector<NodeId> params;
  Pos params_pos;
  std::vector<NodeId> operands;  // kBitDecl: the measured operand of `bit c = measure q;`
  std::vector<Stmt> body;
  std::vector<Stmt> else_body;
  bool has_else = false;
  std::vector<SwitchCase> cases;
  std::shared_ptr<GateDef> gate;
};

struct SwitchCase {
  Pos pos;
  bool is_default = false;
  std::vector<NodeId> values;
  std::vector<Stmt> body;
};

}  // namespace qstate::qasm3
