// Random circuit generator: text and Circuit are built side by side, op by op, so they describe
// the same program. Parameters are written with 17 significant digits (they read back as the
// same double) or as pi expressions whose value is computed the way a parser evaluates them.
#include "tests/support/random_circuits.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <stdexcept>

#include "circuits/gates.hpp"

namespace qstate::test {
namespace {

using std::numbers::pi;

std::uint64_t splitmix(std::uint64_t& x) {
  x += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = x;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

struct Angle {
  std::string text;
  double value;
};

// Special angles, with the value a left-to-right evaluation of the text gives.
Angle special_angle(std::uint64_t which) {
  switch (which % 8) {
    case 0:
      return {"0", 0.0};
    case 1:
      return {"pi", pi};
    case 2:
      return {"pi/2", pi / 2};
    case 3:
      return {"-pi/2", -(pi / 2)};
    case 4:
      return {"pi/4", pi / 4};
    case 5:
      return {"-pi/4", -(pi / 4)};
    case 6:
      return {"2*pi", 2 * pi};
    default:
      return {"3*pi/2", (3 * pi) / 2};
  }
}

// A real literal OpenQASM 2 accepts (always with a decimal point) that reads back as `v`.
Angle literal_angle(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  std::string s = buf;
  if (s.find('.') == std::string::npos) {
    const std::size_t e = s.find('e');
    if (e == std::string::npos)
      s += ".0";
    else
      s.insert(e, ".0");
  }
  return {s, std::strtod(s.c_str(), nullptr)};
}

std::vector<std::uint32_t> split_sizes(std::uint32_t total, std::uint32_t parts) {
  parts = std::max<std::uint32_t>(1, std::min(parts, total));
  std::vector<std::uint32_t> sizes(parts, total / parts);
  for (std::uint32_t i = 0; i < total % parts; ++i) ++sizes[i];
  return sizes;
}

}  // namespace

SeededRandom::SeededRandom(std::uint64_t seed) {
  // xoshiro256** seeded through splitmix64: fully specified, the same everywhere.
  std::uint64_t x = seed;
  for (std::uint64_t& s : state_) s = splitmix(x);
}

std::uint64_t SeededRandom::next() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

double SeededRandom::uniform() {
  return static_cast<double>(next() >> 11) * 0x1p-53;
}
double SeededRandom::uniform(double lo, double hi) {
  return lo + (hi - lo) * uniform();
}

std::uint64_t SeededRandom::below(std::uint64_t n) {
  if (n == 0) throw std::invalid_argument("SeededRandom::below(0)");
  // Rejection keeps the result exactly uniform.
  const std::uint64_t limit = ~std::uint64_t{0} - (~std::uint64_t{0} % n);
  std::uint64_t x = next();
  while (x >= limit) x = next();
  return x % n;
}

std::vector<std::uint32_t> SeededRandom::distinct(std::uint32_t n, std::uint32_t k) {
  std::vector<std::uint32_t> all(n);
  for (std::uint32_t i = 0; i < n; ++i) all[i] = i;
  for (std::uint32_t i = 0; i < k; ++i) std::swap(all[i], all[i + below(n - i)]);
  all.resize(k);
  return all;
}

std::vector<std::string> qelib1_gate_names() {
  std::vector<std::string> names;
  for (const StandardGate& g : standard_gates())
    if ((g.libraries & (kLibBuiltin | kLibQelib1)) != 0) names.emplace_back(g.name);
  return names;
}

std::vector<std::string> all_standard_gate_names() {
  std::vector<std::string> names;
  for (const StandardGate& g : standard_gates()) names.emplace_back(g.name);
  return names;
}

RandomCircuit random_circuit(std::uint64_t seed, const RandomCircuitOptions& o) {
  if (o.num_qubits == 0) throw std::invalid_argument("random_circuit: no qubits");
  SeededRandom rng(seed);
  const std::vector<std::string> names = o.gates.empty() ? qelib1_gate_names() : o.gates;
  std::vector<const StandardGate*> gates;
  for (const std::string& name : names) {
    const StandardGate* g = find_standard_gate(name, ~0U);
    if (g == nullptr) throw std::invalid_argument("random_circuit: unknown gate " + name);
    if (g->num_qubits <= o.num_qubits) gates.push_back(g);
  }
  if (gates.empty()) throw std::invalid_argument("random_circuit: no gate fits");

  RandomCircuit out;
  Circuit& c = out.circuit;
  c.source = "<random " + std::to_string(seed) + ">";
  std::string& text = out.qasm;
  text = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n";

  static constexpr std::array<const char*, 4> kQregNames = {"q", "r", "s", "t"};
  static constexpr std::array<const char*, 4> kCregNames = {"c", "m", "k", "w"};
  const std::vector<std::uint32_t> qsizes =
      split_sizes(o.num_qubits, std::min<unsigned>(o.num_qregs, 4));
  for (std::size_t i = 0; i < qsizes.size(); ++i) {
    c.add_qreg(kQregNames[i], qsizes[i]);
    text += "qreg " + std::string(kQregNames[i]) + "[" + std::to_string(qsizes[i]) + "];\n";
  }
  const bool any_classical =
      o.final_measurements || o.mid_measure_rate > 0 || o.conditional_rate > 0;
  if (any_classical) {
    const std::vector<std::uint32_t> csizes =
        split_sizes(o.num_qubits, std::min<unsigned>(std::max(1U, o.num_cregs), 4));
    for (std::size_t i = 0; i < csizes.size(); ++i) {
      c.add_creg(kCregNames[i], csizes[i]);
      text += "creg " + std::string(kCregNames[i]) + "[" + std::to_string(csizes[i]) + "];\n";
    }
  }

  auto qubit_text = [&](Qubit q) {
    for (const Register& r : c.qregs)
      if (q >= r.first && q < r.first + r.size)
        return r.name + "[" + std::to_string(q - r.first) + "]";
    return std::string("?");
  };
  auto clbit_text = [&](Clbit b) {
    for (const Register& r : c.cregs)
      if (b >= r.first && b < r.first + r.size)
        return r.name + "[" + std::to_string(b - r.first) + "]";
    return std::string("?");
  };

  for (unsigned step = 0; step < o.depth; ++step) {
    const double roll = rng.uniform();
    double edge = o.mid_measure_rate;
    if (roll < edge && !c.cregs.empty()) {
      const Qubit q = static_cast<Qubit>(rng.below(o.num_qubits));
      const Clbit b = static_cast<Clbit>(rng.below(c.num_clbits));
      c.ops.emplace_back(MeasureOp{q, b});
      text += "measure " + qubit_text(q) + " -> " + clbit_text(b) + ";\n";
      continue;
    }
    edge += o.reset_rate;
    if (roll < edge) {
      const Qubit q = static_cast<Qubit>(rng.below(o.num_qubits));
      c.ops.emplace_back(ResetOp{q});
      text += "reset " + qubit_text(q) + ";\n";
      continue;
    }
    edge += o.barrier_rate;
    if (roll < edge) {
      const auto k = static_cast<std::uint32_t>(1 + rng.below(o.num_qubits));
      std::vector<std::uint32_t> qs = rng.distinct(o.num_qubits, k);
      BarrierOp barrier;
      text += "barrier ";
      for (std::size_t i = 0; i < qs.size(); ++i) {
        barrier.qubits.push_back(qs[i]);
        text += (i ? "," : "") + qubit_text(qs[i]);
      }
      text += ";\n";
      c.ops.emplace_back(std::move(barrier));
      continue;
    }

    const StandardGate& g = *gates[rng.below(gates.size())];
    std::vector<double> params;
    std::string gate_text(g.name);
    if (g.num_params > 0) {
      gate_text += "(";
      for (unsigned p = 0; p < g.num_params; ++p) {
        const Angle a = rng.chance(o.special_angle_rate)
                            ? special_angle(rng.below(8))
                            : literal_angle(rng.uniform(-2 * pi, 2 * pi));
        params.push_back(a.value);
        gate_text += (p ? "," : "") + a.text;
      }
      gate_text += ")";
    }
    const std::vector<std::uint32_t> qs = rng.distinct(o.num_qubits, g.num_qubits);
    gate_text += " ";
    for (std::size_t i = 0; i < qs.size(); ++i) gate_text += (i ? "," : "") + qubit_text(qs[i]);
    gate_text += ";\n";
    const std::vector<Qubit> qubits(qs.begin(), qs.end());
    GateOp op = make_gate(g, params, qubits);

    if (!c.cregs.empty() && rng.chance(o.conditional_rate)) {
      const Register& reg = c.cregs[rng.below(c.cregs.size())];
      const std::uint64_t value =
          rng.below(std::uint64_t{1} << std::min<std::uint32_t>(reg.size, 16));
      IfOp branch;
      for (std::uint32_t j = 0; j < reg.size; ++j) branch.condition.bits.push_back(reg.first + j);
      branch.condition.value = value;
      branch.then_ops.emplace_back(std::move(op));
      c.ops.emplace_back(std::move(branch));
      text += "if(" + reg.name + "==" + std::to_string(value) + ") " + gate_text;
    } else {
      c.ops.emplace_back(std::move(op));
      text += gate_text;
    }
  }

  if (o.final_measurements && !c.cregs.empty()) {
    for (Qubit q = 0; q < o.num_qubits; ++q) {
      c.ops.emplace_back(MeasureOp{q, q});
      text += "measure " + qubit_text(q) + " -> " + clbit_text(q) + ";\n";
    }
  }
  return out;
}

}  // namespace qstate::test
