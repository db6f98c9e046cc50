// OpenQASM 2 lowering (see lower.hpp): one pass over the statements as the parser produces them;
// gate declarations go to the GateTable, everything else becomes ops at once.
#include "circuits/qasm/lower.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "circuits/error.hpp"
#include "circuits/qasm/ast.hpp"
#include "circuits/qasm/diagnostics.hpp"
#include "circuits/qasm/expr.hpp"
#include "circuits/qasm/gate_table.hpp"
#include "circuits/qasm/parser.hpp"
#include "circuits/qasm/qiskit_defs.hpp"

namespace qstate::qasm {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxIncludeDepth = 64;

std::string was_were(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " was" : " were");
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

struct RegisterInfo {
  bool quantum = true;
  std::uint32_t first = 0;
  std::uint32_t size = 0;
  SourceLocation where;
};

// An operand resolved against the registers: a single bit, or a whole register (broadcast).
struct Resolved {
  const RegisterInfo* reg = nullptr;
  const Operand* operand = nullptr;
  bool whole() const { return !operand->indexed; }
  std::uint32_t bit(std::uint32_t i) const {
    return reg->first + (operand->indexed ? static_cast<std::uint32_t>(operand->index.value) : i);
  }
};

class Lowerer {
 public:
  Circuit run(std::string_view text, const std::string& file, const fs::path& dir);

 private:
  void lower_file(std::string_view text, const std::string& file, const fs::path& dir);
  void statement(Statement& st, const ExprPool& pool, const std::string& file, const fs::path& dir);
  void check_version(const Statement& st, const std::string& file) const;
  void include(const Statement& st, const std::string& file, const fs::path& dir);
  void declare(const Statement& st, const std::string& file);
  void apply(const Statement& st, const ExprPool& pool, const std::string& file);
  void measure(const Statement& st, const std::string& file);
  void reset(const Statement& st, const std::string& file);
  void barrier(const Statement& st, const std::string& file);
  Condition condition(const Statement& st, const std::string& file) const;
  Resolved resolve(const Operand& op, bool quantum, const char* context,
                   const std::string& file) const;
  std::string bit_name(const Resolved& r, std::uint32_t i) const;
  // Appends `op` to the circuit, inside an IfOp when `cond` is set.
  template <class OpT>
  void push(OpT&& op, const Condition* cond);

  Circuit circuit_;
  GateTable gates_;
  std::unordered_map<std::string, RegisterInfo, StringHash, std::equal_to<>> registers_;
  std::deque<std::string> sources_;     // texts of included files (gate bodies point into them)
  std::deque<std::string> file_names_;  // names used in messages, kept alive for the lowering
  std::vector<fs::path> include_stack_;
  std::uint64_t measure_count_ = 0;
  std::uint64_t reset_count_ = 0;
  std::uint64_t barrier_count_ = 0;
  // Scratch space reused by every statement.
  std::vector<double> params_;
  std::vector<Resolved> resolved_;
  std::vector<Qubit> qubits_;
  std::vector<std::uint8_t> marks_;
};

Circuit Lowerer::run(std::string_view text, const std::string& file, const fs::path& dir) {
  circuit_.source = file;
  // Reserved up front instead of relocating the ops again and again as the vector grows.
  reserve_ops(circuit_.ops, expected_ops(text));
  const fs::path self(file);
  std::error_code ec;
  if (fs::exists(self, ec)) include_stack_.push_back(fs::weakly_canonical(self, ec));
  lower_file(text, file, dir);
  for (const auto& e : gates_.entries())
    if (e->count > 0) {
      const std::string_view name =
          e->kind == GateKind::kStandard ? qiskit_count_name(e->name) : std::string_view(e->name);
      circuit_.written_counts[std::string(name)] += e->count;
    }
  if (measure_count_ > 0) circuit_.written_counts["measure"] += measure_count_;
  if (reset_count_ > 0) circuit_.written_counts["reset"] += reset_count_;
  if (barrier_count_ > 0) circuit_.written_counts["barrier"] += barrier_count_;
  return std::move(circuit_);
}

void Lowerer::lower_file(std::string_view text, const std::string& file, const fs::path& dir) {
  Parser parser(text, file);
  Statement st;
  ExprPool pool;
  while (parser.next(st, pool)) {
    statement(st, pool, file, dir);
    pool.clear();
  }
}

void Lowerer::statement(Statement& st, const ExprPool& pool, const std::string& file,
                        const fs::path& dir) {
  switch (st.kind) {
    case StatementKind::kVersion:
      check_version(st, file);
      return;
    case StatementKind::kInclude:
      include(st, file, dir);
      return;
    case StatementKind::kQreg:
    case StatementKind::kCreg:
      declare(st, file);
      return;
    case StatementKind::kGate:
    case StatementKind::kOpaque:
      gates_.define(*st.gate, file);
      return;
    case StatementKind::kApply:
      apply(st, pool, file);
      return;
    case StatementKind::kMeasure:
      measure(st, file);
      return;
    case StatementKind::kReset:
      reset(st, file);
      return;
    case StatementKind::kBarrier:
      barrier(st, file);
      return;
  }
}

void Lowerer::check_version(const Statement& st, const std::string& file) const {
  const std::string_view v = st.name.name;
  if (v == "2.0" || v == "2") return;
  if (v == "3" || v.starts_with("3."))
    throw Error(location(file, st.name.pos),
                "OpenQASM 3 is not supported yet (this front end reads OpenQASM 2.0)");
  throw Error(location(file, st.name.pos), "unsupported OpenQASM version " + std::string(v) +
                                               " (this front end reads OpenQASM 2.0)");
}

void Lowerer::include(const Statement& st, const std::string& file, const fs::path& dir) {
  const std::string_view name = st.name.name;
  if (const unsigned libs = builtin_include(name); libs != 0) {
    gates_.include_library(libs);
    return;
  }
  fs::path path{std::string(name)};
  if (path.is_relative()) path = dir / path;
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  if (ec) canonical = path.lexically_normal();
  if (std::find(include_stack_.begin(), include_stack_.end(), canonical) != include_stack_.end()) {
    std::string chain;
    for (const fs::path& p : include_stack_) chain += p.filename().string() + " -> ";
    chain += canonical.filename().string();
    throw Error(location(file, st.name.pos),
                "include cycle: " + in_quotes(name) + " is already being read (" + chain + ")");
  }
  if (include_stack_.size() >= kMaxIncludeDepth)
    throw Error(location(file, st.name.pos), "includes are nested more than " +
                                                 std::to_string(kMaxIncludeDepth) + " levels deep");
  std::string text;
  if (fs::is_directory(path, ec) || !read_text_file(path, text))
    throw Error(location(file, st.name.pos),
                "cannot read included file " + in_quotes(name) + " (looked for " +
                    in_quotes(path.string()) + ")" +
                    (name == "stdgates.inc" ? "; it is the OpenQASM 3 standard library, and "
                                              "OpenQASM 3 is not supported yet"
                                            : ""));
  const std::string& stored_text = sources_.emplace_back(std::move(text));
  const std::string& stored_name = file_names_.emplace_back(path.string());
  include_stack_.push_back(canonical);
  lower_file(stored_text, stored_name, path.parent_path());
  include_stack_.pop_back();
}

void Lowerer::declare(const Statement& st, const std::string& file) {
  const bool quantum = st.kind == StatementKind::kQreg;
  if (const auto it = registers_.find(st.name.name); it != registers_.end())
    throw Error(location(file, st.name.pos), "register " + in_quotes(st.name.name) +
                                                 " is already declared at " +
                                                 it->second.where.to_string());
  const std::uint64_t used = quantum ? circuit_.num_qubits : circuit_.num_clbits;
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint32_t>::max();
  if (st.size.overflow || st.size.value > kMax - used)
    throw Error(location(file, st.size.pos), "register size " + std::string(st.size.text) +
                                                 " is too large (a circuit holds at most " +
                                                 std::to_string(kMax) +
                                                 (quantum ? " qubits)" : " clbits)"));
  const auto size = static_cast<std::uint32_t>(st.size.value);
  const Register& r = quantum ? circuit_.add_qreg(std::string(st.name.name), size)
                              : circuit_.add_creg(std::string(st.name.name), size);
  registers_.emplace(std::string(st.name.name),
                     RegisterInfo{quantum, r.first, r.size, location(file, st.name.pos)});
}

Resolved Lowerer::resolve(const Operand& op, bool quantum, const char* context,
                          const std::string& file) const {
  const auto it = registers_.find(op.id.name);
  if (it == registers_.end())
    throw Error(location(file, op.id.pos), std::string("undeclared ") +
                                               (quantum ? "quantum" : "classical") + " register " +
                                               in_quotes(op.id.name));
  const RegisterInfo& reg = it->second;
  if (reg.quantum != quantum)
    throw Error(location(file, op.id.pos), in_quotes(op.id.name) + " is a " +
                                               (reg.quantum ? "quantum" : "classical") +
                                               " register, but " + context);
  if (op.indexed && (op.index.overflow || op.index.value >= reg.size))
    throw Error(location(file, op.index.pos),
                "index " + std::string(op.index.text) + " is out of range for register " +
                    in_quotes(op.id.name) + " of size " + std::to_string(reg.size));
  return Resolved{&reg, &op};
}

std::string Lowerer::bit_name(const Resolved& r, std::uint32_t i) const {
  const std::uint32_t index =
      r.operand->indexed ? static_cast<std::uint32_t>(r.operand->index.value) : i;
  return std::string(r.operand->id.name) + "[" + std::to_string(index) + "]";
}

Condition Lowerer::condition(const Statement& st, const std::string& file) const {
  Operand op;
  op.id = st.cond_reg;
  const Resolved r = resolve(op, false, "'if' compares a classical register", file);
  if (st.cond_value.overflow)
    throw Error(location(file, st.cond_value.pos), "the value " + std::string(st.cond_value.text) +
                                                       " in 'if' does not fit in 64 bits");
  Condition c;
  c.bits.reserve(r.reg->size);
  for (std::uint32_t j = 0; j < r.reg->size; ++j) c.bits.push_back(r.reg->first + j);
  c.value = st.cond_value.value;
  return c;
}

template <class OpT>
void Lowerer::push(OpT&& op, const Condition* cond) {
  if (cond == nullptr) {
    circuit_.ops.emplace_back(std::forward<OpT>(op));
    return;
  }
  IfOp wrapped;
  wrapped.condition = *cond;
  wrapped.then_ops.emplace_back(std::forward<OpT>(op));
  circuit_.ops.emplace_back(std::move(wrapped));
}

void Lowerer::apply(const Statement& st, const ExprPool& pool, const std::string& file) {
  GateEntry* g = gates_.find(st.name.name);
  if (g == nullptr)
    throw Error(location(file, st.name.pos), gates_.unknown_gate_message(st.name.name));
  if (g->kind == GateKind::kOpaque && !g->identity)
    throw Error(location(file, st.name.pos),
                "cannot apply opaque gate " + in_quotes(g->name) + ": it is declared at " +
                    g->where.to_string() + " without a body, so there is nothing to simulate");
  if (st.params.size() != g->num_params)
    throw Error(location(file, st.params_pos), in_quotes(g->name) + " takes " +
                                                   plural(g->num_params, "parameter") + ", but " +
                                                   was_were(st.params.size()) + " given");
  if (st.operands.size() != g->num_qubits)
    throw Error(location(file, st.name.pos),
                in_quotes(g->name) + " takes " + plural(g->num_qubits, "qubit argument") +
                    ", but " + was_were(st.operands.size()) + " given");
  std::optional<Condition> cond;
  if (st.conditioned) cond = condition(st, file);

  params_.resize(st.params.size());
  for (std::size_t j = 0; j < st.params.size(); ++j)
    params_[j] = evaluate(pool, st.params[j], {}, file);

  // Resolve the operands and the broadcast size.
  resolved_.clear();
  std::uint32_t count = 1;
  std::string_view first_whole;  // the first register operand, for messages
  for (const Operand& op : st.operands) {
    const Resolved r = resolve(op, true, "a gate acts on qubits", file);
    resolved_.push_back(r);
    if (!r.whole()) continue;
    if (first_whole.empty()) {
      count = r.reg->size;
      first_whole = op.id.name;
    } else if (r.reg->size != count) {
      throw Error(location(file, op.id.pos),
                  "cannot broadcast " + in_quotes(g->name) +
                      " over registers of different sizes: " + in_quotes(op.id.name) + " has " +
                      plural(r.reg->size, "qubit") + " but " + in_quotes(first_whole) + " has " +
                      std::to_string(count));
    }
  }

  const std::size_t k = resolved_.size();
  qubits_.resize(k);
  for (std::uint32_t i = 0; i < count; ++i) {
    for (std::size_t j = 0; j < k; ++j) {
      qubits_[j] = resolved_[j].bit(i);
      for (std::size_t m = 0; m < j; ++m)
        if (qubits_[m] == qubits_[j])
          throw Error(location(file, resolved_[j].operand->id.pos),
                      "qubit " + bit_name(resolved_[j], i) +
                          " appears twice in one application of " + in_quotes(g->name) +
                          " (the qubits of a gate must be distinct)");
    }
    if (g->kind == GateKind::kStandard && !cond) {
      GateTable::append_standard(*g, params_, qubits_, circuit_.ops);
      continue;
    }
    std::vector<Op>* out = &circuit_.ops;
    IfOp wrapped;
    if (cond) {
      wrapped.condition = *cond;
      out = &wrapped.then_ops;
    }
    try {
      gates_.expand(*g, params_, qubits_, *out);
    } catch (const Error& e) {
      // Say which application of the user gate led here.
      std::string msg = e.what();
      const std::string prefix = e.location().to_string() + ": ";
      if (msg.starts_with(prefix)) msg.erase(0, prefix.size());
      throw Error(e.location(), msg + " (in " + in_quotes(g->name) + " applied at " +
                                    location(file, st.name.pos).to_string() + ")");
    }
    if (cond && !wrapped.then_ops.empty()) circuit_.ops.emplace_back(std::move(wrapped));
  }
  g->count += count;
}

void Lowerer::measure(const Statement& st, const std::string& file) {
  std::optional<Condition> cond;
  if (st.conditioned) cond = condition(st, file);
  const Resolved q = resolve(st.operands[0], true, "measure reads qubits before '->'", file);
  const Resolved c =
      resolve(st.operands[1], false, "measure writes to a classical register after '->'", file);
  std::uint32_t count = 1;
  if (q.whole() != c.whole()) {
    throw Error(
        location(file, st.pos),
        "cannot broadcast measure: " +
            (q.whole() ? "register " + in_quotes(q.operand->id.name) +
                             " is measured into the single bit " + bit_name(c, 0)
                       : "the single qubit " + bit_name(q, 0) + " is measured into register " +
                             in_quotes(c.operand->id.name)) +
            "; write both as registers of equal size or both as single bits");
  }
  if (q.whole()) {
    if (q.reg->size != c.reg->size)
      throw Error(location(file, st.pos),
                  "cannot broadcast measure: register " + in_quotes(q.operand->id.name) + " has " +
                      plural(q.reg->size, "qubit") + " but " + in_quotes(c.operand->id.name) +
                      " has " + plural(c.reg->size, "bit"));
    count = q.reg->size;
  }
  for (std::uint32_t i = 0; i < count; ++i)
    push(MeasureOp{q.bit(i), c.bit(i)}, cond ? &*cond : nullptr);
  measure_count_ += count;
}

void Lowerer::reset(const Statement& st, const std::string& file) {
  std::optional<Condition> cond;
  if (st.conditioned) cond = condition(st, file);
  const Resolved q = resolve(st.operands[0], true, "reset acts on qubits", file);
  const std::uint32_t count = q.whole() ? q.reg->size : 1;
  for (std::uint32_t i = 0; i < count; ++i) push(ResetOp{q.bit(i)}, cond ? &*cond : nullptr);
  reset_count_ += count;
}

void Lowerer::barrier(const Statement& st, const std::string& file) {
  BarrierOp op;
  if (st.operands.empty()) {
    // Qiskit reads a bare `barrier;` as a barrier on every qubit declared so far.
    for (Qubit q = 0; q < circuit_.num_qubits; ++q) op.qubits.push_back(q);
  } else {
    marks_.resize(circuit_.num_qubits, 0);  // all zero between barriers
    for (const Operand& o : st.operands) {
      const Resolved r = resolve(o, true, "barrier acts on qubits", file);
      const std::uint32_t n = r.whole() ? r.reg->size : 1;
      for (std::uint32_t i = 0; i < n; ++i) {
        const Qubit q = r.bit(i);
        if (marks_[q] != 0) continue;
        marks_[q] = 1;
        op.qubits.push_back(q);
      }
    }
    for (const Qubit q : op.qubits) marks_[q] = 0;
  }
  if (op.qubits.empty()) return;  // only empty registers: nothing to order
  push(std::move(op), nullptr);
  ++barrier_count_;
}

}  // namespace

std::size_t expected_ops(std::string_view text) {
  const auto statements = static_cast<std::size_t>(std::count(text.begin(), text.end(), ';'));
  return statements + statements / 16 + 1024;
}

bool read_text_file(const std::filesystem::path& path, std::string& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  // One allocation of the final size (a large file would otherwise be copied as it grows).
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  out.clear();
  if (!ec) {
    out.reserve(static_cast<std::size_t>(size));
    advise_huge_pages(out.data(), out.capacity());
  }
  char buf[1 << 16];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const bool ok = std::ferror(f) == 0;
  std::fclose(f);
  return ok;
}

Circuit lower_qasm2(std::string_view text, const std::string& file,
                    const std::filesystem::path& include_dir) {
  Lowerer lowerer;
  return lowerer.run(text, file, include_dir);
}

}  // namespace qstate::qasm
