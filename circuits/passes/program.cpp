// Planning a Circuit into a Program: idle qubits, needless resets, final measurements, and
// whether shots must re-run part of the circuit.
#include "circuits/passes/program.hpp"

#include <algorithm>

namespace qstate {
namespace {

template <class F>
void for_each_gate_qubit(const std::vector<Op>& ops, F&& f) {
  for (const Op& op : ops) {
    if (const auto* g = std::get_if<GateOp>(&op)) {
      for (Qubit q : g->controls) f(q);
      for (Qubit q : g->targets) f(q);
    } else if (const auto* branch = std::get_if<IfOp>(&op)) {
      for_each_gate_qubit(branch->then_ops, f);
      for_each_gate_qubit(branch->else_ops, f);
    }
  }
}

class Planner {
 public:
  explicit Planner(const Circuit& c) : compact_(c.num_qubits, kIdleQubit) {
    std::vector<bool> used(c.num_qubits, false);
    for_each_gate_qubit(c.ops, [&](Qubit q) { used[q] = true; });
    for (Qubit q = 0; q < c.num_qubits; ++q) {
      if (!used[q]) continue;
      compact_[q] = static_cast<Qubit>(used_.size());
      used_.push_back(q);
    }
    touched_.assign(used_.size(), false);
    measured_.assign(used_.size(), false);
  }

  const std::vector<Qubit>& used() const { return used_; }
  bool dynamic() const { return dynamic_; }

  // Remaps and simplifies a list of ops; `top` is false inside IfOp branches.
  std::vector<Op> transform(const std::vector<Op>& ops) {
    std::vector<Op> out;
    reserve_ops(out, ops.size());
    for (const Op& op : ops) {
      if (const auto* g = std::get_if<GateOp>(&op)) {
        GateOp& copy = std::get<GateOp>(out.emplace_back(*g));  // copied in place
        for (Qubit& q : copy.controls) q = touch(q);
        for (Qubit& q : copy.targets) q = touch(q);
      } else if (const auto* m = std::get_if<MeasureOp>(&op)) {
        const Qubit q = compact_[m->qubit];
        if (q != kIdleQubit) measured_[q] = true;
        out.emplace_back(MeasureOp{q, m->clbit});
      } else if (const auto* r = std::get_if<ResetOp>(&op)) {
        const Qubit q = compact_[r->qubit];
        // A qubit no gate has touched yet is still |0>: resetting it does nothing.
        if (q == kIdleQubit || !touched_[q]) continue;
        dynamic_ = true;
        out.emplace_back(ResetOp{q});
      } else if (const auto* branch = std::get_if<IfOp>(&op)) {
        dynamic_ = true;
        IfOp copy;
        copy.condition = branch->condition;
        copy.is_while = branch->is_while;
        // A loop body runs again after itself: what it touches counts as touched from the start
        // (a reset at its top is not a no-op in the second round).
        if (branch->is_while)
          for_each_gate_qubit(branch->then_ops, [&](Qubit q) { touched_[compact_[q]] = true; });
        copy.then_ops = transform(branch->then_ops);
        copy.else_ops = transform(branch->else_ops);
        out.emplace_back(std::move(copy));
      }
      // Barriers have no effect on the state.
    }
    return out;
  }

 private:
  Qubit touch(Qubit declared) {
    const Qubit q = compact_[declared];
    touched_[q] = true;
    if (measured_[q]) dynamic_ = true;  // a gate after a measurement of its qubit
    return q;
  }

  std::vector<Qubit> compact_;  // declared -> simulated (kIdleQubit if idle)
  std::vector<Qubit> used_;
  std::vector<bool> touched_;
  std::vector<bool> measured_;
  bool dynamic_ = false;
};

}  // namespace

Program plan_program(const Circuit& circuit) {
  Program p;
  p.source = circuit.source;
  p.qregs = circuit.qregs;
  p.cregs = circuit.cregs;
  p.declared_qubits = circuit.num_qubits;
  p.num_clbits = circuit.num_clbits;
  p.global_phase = circuit.global_phase;
  p.inputs = circuit.inputs;

  Planner planner(circuit);
  std::vector<Op> ops = planner.transform(circuit.ops);
  p.used_qubits = planner.used();
  p.dynamic = planner.dynamic();
  if (p.dynamic) {
    p.ops = std::move(ops);
    p.prefix_length = static_cast<std::size_t>(
        std::find_if(p.ops.begin(), p.ops.end(),
                     [](const Op& op) { return !std::holds_alternative<GateOp>(op); }) -
        p.ops.begin());
    return p;
  }
  // Static: every measurement commutes with the gates after it (none touch its qubit), so all
  // of them are taken from the final state, in program order.
  // The ops are compacted in place (no second copy of a long program).
  std::size_t kept = 0;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (const auto* m = std::get_if<MeasureOp>(&ops[i])) {
      p.final_measurements.push_back(*m);
    } else {
      if (kept != i) ops[kept] = std::move(ops[i]);
      ++kept;
    }
  }
  ops.erase(ops.begin() + static_cast<std::ptrdiff_t>(kept), ops.end());
  p.ops = std::move(ops);
  p.prefix_length = p.ops.size();
  return p;
}

namespace {

class StatsCounter {
 public:
  explicit StatsCounter(const Circuit& c)
      : qubit_level_(c.num_qubits, 0), clbit_level_(c.num_clbits, 0) {}

  void count(const std::vector<Op>& ops, CircuitStats& s) {
    for (const Op& op : ops) {
      if (const auto* g = std::get_if<GateOp>(&op)) {
        ++s.gates;
        ++s.gate_counts[g->name];
      } else if (std::holds_alternative<MeasureOp>(op)) {
        ++s.measurements;
      } else if (std::holds_alternative<ResetOp>(op)) {
        ++s.resets;
      } else if (std::holds_alternative<BarrierOp>(op)) {
        ++s.barriers;
      } else if (const auto* branch = std::get_if<IfOp>(&op)) {
        ++s.conditionals;
        count(branch->then_ops, s);
        count(branch->else_ops, s);
      }
    }
  }

  // Each op one layer after the latest op on any of its qubits or clbits (as Qiskit's depth()
  // does, but over the expanded ops); barriers do not count. A conditional block is one op.
  std::uint64_t depth(const std::vector<Op>& ops) {
    std::uint64_t deepest = 0;
    for (const Op& op : ops) {
      if (std::holds_alternative<BarrierOp>(op)) continue;
      std::vector<Qubit> qubits;
      std::vector<Clbit> clbits;
      collect(op, qubits, clbits);
      std::uint64_t level = 0;
      for (Qubit q : qubits) level = std::max(level, qubit_level_[q]);
      for (Clbit c : clbits) level = std::max(level, clbit_level_[c]);
      ++level;
      for (Qubit q : qubits) qubit_level_[q] = level;
      for (Clbit c : clbits) clbit_level_[c] = level;
      deepest = std::max(deepest, level);
    }
    return deepest;
  }

 private:
  static void collect(const Op& op, std::vector<Qubit>& qubits, std::vector<Clbit>& clbits) {
    if (const auto* g = std::get_if<GateOp>(&op)) {
      qubits.insert(qubits.end(), g->controls.begin(), g->controls.end());
      qubits.insert(qubits.end(), g->targets.begin(), g->targets.end());
    } else if (const auto* m = std::get_if<MeasureOp>(&op)) {
      qubits.push_back(m->qubit);
      clbits.push_back(m->clbit);
    } else if (const auto* r = std::get_if<ResetOp>(&op)) {
      qubits.push_back(r->qubit);
    } else if (const auto* branch = std::get_if<IfOp>(&op)) {
      clbits.insert(clbits.end(), branch->condition.bits.begin(), branch->condition.bits.end());
      for (const Op& inner : branch->then_ops) collect(inner, qubits, clbits);
      for (const Op& inner : branch->else_ops) collect(inner, qubits, clbits);
    }
  }

  std::vector<std::uint64_t> qubit_level_;
  std::vector<std::uint64_t> clbit_level_;
};

}  // namespace

CircuitStats circuit_stats(const Circuit& circuit) {
  CircuitStats s;
  StatsCounter counter(circuit);
  counter.count(circuit.ops, s);
  s.depth = counter.depth(circuit.ops);
  return s;
}

}  // namespace qstate
