// The OpenQASM 3 lowering's state, shared by its three source files: qasm3_lower.cpp (program,
// declarations, operands, measurement, includes), qasm3_lower_flow.cpp (expressions, conditions,
// if / for / while / switch) and qasm3_lower_gates.cpp (gate table, gate calls, modifiers, user
// gates). Internal to the front end: the public entry point is qasm3.hpp.
//
// Lowering walks the statements once, as the parser hands them out. Classical values are
// computed as it goes (loops are unrolled, `if` on known values picks its branch); gates, measure
// and reset become ops at once; only conditions on measured bits and `while` loops on them stay
// for run time, as IfOps.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "circuits/circuit.hpp"
#include "circuits/error.hpp"
#include "circuits/gates.hpp"
#include "circuits/qasm/qasm3_ast.hpp"
#include "circuits/qasm/qasm3_recipe.hpp"
#include "circuits/qasm/qasm3_value.hpp"

namespace qstate::qasm3 {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};
template <class T>
using NameMap = std::unordered_map<std::string, T, StringHash, std::equal_to<>>;

struct Symbol {
  enum class Kind : std::uint8_t { kQubits, kClbits, kVar, kStretch };
  Kind kind = Kind::kVar;
  std::vector<std::uint32_t> ids;  // kQubits: qubits; kClbits: clbits
  bool single = false;             // `qubit q;` / `bit c;` / a gate's qubit: one, not a register
  TypeKind type = TypeKind::kNone;
  unsigned width = 0;  // int / uint: bits (0: 64)
  bool is_const = false;
  bool is_input = false;
  Value value;
  int level = 0;                             // runtime depth where declared
  std::optional<SourceLocation> runtime_at;  // assigned under a run-time condition here
  // A variable holding measured bits (value kBits): the clbits' measurement counts and the loop
  // nesting when it was assigned; reading it after they changed is refused.
  std::vector<std::uint64_t> bits_snapshot;
  std::size_t loop_depth = 0;
  SourceLocation where;
};

struct Scope {
  NameMap<Symbol> symbols;
  bool gate_body = false;  // names of enclosing scopes are hidden, except global constants
};
// Growing the list of scopes moves them, so pointers to their symbols stay valid (NameCache).
static_assert(std::is_nothrow_move_constructible_v<Scope>);

// A small direct-mapped cache in front of a NameMap's lookups, for names whose entry never
// changes address (entries are never erased and the map's nodes do not move): a long program
// looks up the same few gate and register names for every statement, and a hash-table lookup
// costs a division. Only hits are cached.
template <class T>
class NameCache {
 public:
  T* find(std::string_view name) const {
    const Slot& s = slots_[index(name)];
    return s.value != nullptr && s.name == name ? s.value : nullptr;
  }
  void put(std::string_view name, T* value) {
    Slot& s = slots_[index(name)];
    s.name.assign(name);
    s.value = value;
  }

 private:
  static constexpr std::size_t kSlots = 64;
  static std::size_t index(std::string_view name) {
    std::size_t h = name.size();
    for (const char c : name) h = h * 31 + static_cast<unsigned char>(c);
    return h % kSlots;
  }
  struct Slot {
    std::string name;
    T* value = nullptr;
  };
  std::array<Slot, kSlots> slots_;
};

struct GateInfo {
  enum class Kind : std::uint8_t { kStandard, kPhase, kUser };
  Kind kind = Kind::kStandard;
  std::string name;
  unsigned num_params = 0;
  unsigned num_qubits = 0;
  const StandardGate* standard = nullptr;
  std::optional<GateMatrix> fixed_matrix;  // a standard gate without parameters
  std::shared_ptr<const GateDef> def;
  SourceLocation where;
  // Its entry in Lowerer::counts_ for calls without modifiers, once it has one (saves building
  // the name and searching the map on every call).
  std::uint64_t* count = nullptr;
};

// What a statement list ended with: normally, or at a `break` / `continue` of the loop around.
enum class Flow : std::uint8_t { kNormal, kBreak, kContinue };

// A list of qubits or clbits an operand names.
struct Bits {
  SmallVector<std::uint32_t, 4> ids;  // inline for a single qubit or a short list
  bool single = false;                // one element, not a register or slice (no broadcast)
  bool quantum = true;
};

// A condition on measured bits, as a tree over Conditions (an `if` on it becomes nested IfOps).
struct CondTree {
  enum class Kind : std::uint8_t { kConst, kAtom, kAnd, kOr, kNot };
  Kind kind = Kind::kConst;
  bool value = false;
  Condition atom;
  std::shared_ptr<const CondTree> a, b;
};
using CondPtr = std::shared_ptr<const CondTree>;

class Lowerer {
 public:
  Circuit run(std::string_view text, const std::string& file, const std::filesystem::path& dir);
  // A constant expression written as text (for --param values): pi, arithmetic, functions.
  static double constant(std::string_view text, const std::string& name);

 private:
  // ---- program and statements (qasm3_lower.cpp)
  void lower_file(std::string_view text, const std::string& file, const std::filesystem::path& dir);
  Flow statements(const std::vector<Stmt>& list, const ExprTree& e);
  Flow statement(const Stmt& st, const ExprTree& e);
  Flow scoped(const std::vector<Stmt>& list, const ExprTree& e);
  void version(const Stmt& st) const;
  void include(const Stmt& st);
  void declare_qubits(const Stmt& st, const ExprTree& e);
  void declare_bits(const Stmt& st, const ExprTree& e);
  void declare_variable(const Stmt& st, const ExprTree& e);
  void declare_input(const Stmt& st, const ExprTree& e);
  void declare_alias(const Stmt& st, const ExprTree& e);
  void assign(const Stmt& st, const ExprTree& e);
  void measure(const Stmt& st, const ExprTree& e);
  void measure_into(const Bits& qubits, const Bits& clbits, Pos pos);
  void reset(const Stmt& st, const ExprTree& e);
  void barrier(const Stmt& st, const ExprTree& e);
  void delay(const Stmt& st, const ExprTree& e);
  Symbol& declare(std::string_view name, Pos pos, Symbol symbol);
  Symbol* lookup(std::string_view name);
  Bits operand_bits(NodeId id, const ExprTree& e);
  Bits select(std::span<const std::uint32_t> base, bool quantum, NodeId index, const ExprTree& e,
              std::string_view name);
  std::uint32_t register_size(NodeId width, const ExprTree& e, Pos pos, const char* what);
  void require_global(const Stmt& st, const char* what) const;
  void require_not_in_gate(Pos pos, const char* what) const;

  // ---- expressions and control flow (qasm3_lower_flow.cpp)
  Value eval(NodeId id, const ExprTree& e);
  Value eval_identifier(const Node& n);
  Value eval_index(const Node& n, const ExprTree& e);
  Value cast(const Value& v, TypeKind type, unsigned width, Pos pos);
  Value convert_for(const Symbol& var, const Value& v, Pos pos);
  std::int64_t eval_int(NodeId id, const ExprTree& e, const char* what);
  double eval_number(NodeId id, const ExprTree& e, const char* what);
  unsigned type_width(const TypeSpec& type, const ExprTree& e);
  CondPtr condition(NodeId id, const ExprTree& e);
  CondPtr compare(const Value& bits, const Value& constant, bool equal, Pos pos);
  std::vector<Op> branch_ops(const CondPtr& c, std::vector<Op> then_ops, std::vector<Op> else_ops);
  std::vector<Op> lower_runtime_block(const std::vector<Stmt>& body, const ExprTree& e, Flow* flow,
                                      bool is_loop);
  Flow if_statement(const Stmt& st, const ExprTree& e);
  Flow for_statement(const Stmt& st, const ExprTree& e);
  Flow while_statement(const Stmt& st, const ExprTree& e);
  Flow switch_statement(const Stmt& st, const ExprTree& e);
  Flow loop_exit(const Stmt& st);
  Where where(Pos p) const { return Where{file_, p.line, p.column}; }
  SourceLocation at(Pos p) const { return SourceLocation{*file_, p.line, p.column}; }

  // ---- gates (qasm3_lower_gates.cpp)
  void include_library(unsigned libraries);
  void define_gate(const Stmt& st);
  void check_gate_body(const GateDef& def, const std::vector<Stmt>& body) const;
  void gate_call(const Stmt& st, const ExprTree& e);
  void expand(const GateInfo& g, const std::vector<Value>& params, std::span<const Qubit> qubits,
              Pos call, std::vector<Op>& out);
  void invert(std::vector<Op>& ops) const;
  void power(std::vector<Op>& ops, double k, Pos pos) const;
  void emit(std::vector<Op>& ops);
  void finalize(GateOp& op, std::vector<Op>& out);
  ParamSource param_source(const Value& v, Pos pos) const;

  Circuit circuit_;
  std::vector<Scope> scopes_;
  NameMap<GateInfo> gates_;
  NameCache<GateInfo> gate_cache_;      // gates_ (entries are replaced in place, never erased)
  NameCache<Symbol> top_symbol_cache_;  // scopes_[0] (its symbols are never erased)
  unsigned libraries_ = 0;
  std::vector<Op>* out_ = nullptr;  // where ops go (the circuit, or a block being built)
  int runtime_depth_ = 0;           // nesting of blocks that run only under a measured condition
  int gate_depth_ = 0;              // nesting of user-gate expansions
  std::vector<int> loops_;          // runtime depth of each enclosing loop's body
  std::vector<std::string> expanding_;           // user gates being expanded (recursion guard)
  std::vector<std::vector<Qubit>> gate_qubits_;  // qubits of each user gate being expanded
  const std::string* file_ = nullptr;            // the file being lowered (for messages)
  std::deque<std::string> sources_;              // texts of included files
  std::deque<std::string> file_names_;           // names of files lowered (kept for messages)
  std::vector<std::filesystem::path> include_stack_;
  std::filesystem::path dir_;
  InputExprs inputs_;
  std::vector<std::uint64_t> clbit_writes_;  // measurements written into each clbit so far
  std::int64_t physical_max_ = -1;           // largest $n used
  std::uint64_t loop_rounds_ = 0;            // loop iterations unrolled so far
  std::map<std::string, std::uint64_t> counts_;
  // Storage a gate call reuses, one set for each depth of user-gate expansion (a call expands
  // the calls of a user gate's body one level deeper): no allocation per call.
  struct CallScratch {
    std::vector<Value> params;
    std::vector<Bits> operands;
    std::vector<Op> ops;
  };
  std::deque<CallScratch> call_scratch_;
};

// `name` in quotes.
std::string quote_name(std::string_view name);

}  // namespace qstate::qasm3
