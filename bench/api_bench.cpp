// qstate_api_bench: the costs a research script sees through the public API.
//   variational  N evaluations of an E(theta) = <psi(theta)|H|psi(theta)> loop: re-bind, run,
//                expectation of a Pauli sum (default 10 qubits, 20 terms, 1000 evaluations)
//   pauli        one expectation value of a T-term Pauli sum on a Q-qubit state (default 100
//                terms, 24 qubits): time per term against the time of one pass over the state
//                (an H gate reads and writes every amplitude once), and the resident memory
//                before and after (no copy of the state)
// Usage: qstate_api_bench [variational|pauli|all] [--qubits Q] [--terms T] [--evals N]
//        [--threads P]
#include <qstate/qstate.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>

namespace qs = qstate::api;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Resident memory of this process (VmRSS), bytes.
double rss_bytes() {
  std::ifstream status("/proc/self/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      double kb = 0;
      status >> kb;
      return kb * 1024;
    }
    std::getline(status, key);
  }
  return 0;
}

qs::PauliSum random_sum(unsigned n, unsigned terms, std::mt19937_64& rng) {
  qs::PauliSum sum;
  std::uniform_int_distribution<int> letter(0, 3);
  std::uniform_real_distribution<double> coefficient(-1, 1);
  for (unsigned t = 0; t < terms; ++t) {
    std::string label(n, 'I');
    for (char& c : label) c = "IXYZ"[letter(rng)];
    sum.add(label, coefficient(rng));
  }
  return sum;
}

std::string param_name(unsigned k) {
  std::string name = "t";
  name += std::to_string(k);  // (not "t" + ...: GCC 12's -Wrestrict false positive, bug 105329)
  return name;
}

// A sum shaped like a molecular Hamiltonian: many strings share an X mask (Z-only strings share
// the empty one). `groups` X masks (the empty one included), terms spread evenly over them; the
// letters off the X mask are I or Z at random, X or Y on it.
qs::PauliSum grouped_sum(unsigned n, unsigned terms, unsigned groups, std::mt19937_64& rng) {
  std::vector<std::string> masks(groups, std::string(n, '.'));
  std::bernoulli_distribution half(0.5);
  for (unsigned g = 1; g < groups; ++g)  // mask 0 is empty (Z-only strings)
    for (unsigned k = 0; k < 4; ++k) masks[g][(g * 7 + k * 5) % n] = 'x';
  std::uniform_real_distribution<double> coefficient(-1, 1);
  qs::PauliSum sum;
  for (unsigned t = 0; t < terms; ++t) {
    std::string label(n, 'I');
    const std::string& m = masks[t % groups];
    for (unsigned q = 0; q < n; ++q)
      label[q] = m[q] == 'x' ? (half(rng) ? 'X' : 'Y') : (half(rng) ? 'Z' : 'I');
    sum.add(label, coefficient(rng));
  }
  return sum;
}

qs::Circuit hardware_efficient(unsigned n, unsigned layers) {
  qs::Circuit c(n);
  unsigned k = 0;
  for (unsigned l = 0; l < layers; ++l) {
    for (unsigned q = 0; q < n; ++q) c.ry(param_name(k++), q);
    for (unsigned q = 0; q < n; ++q) c.rz(param_name(k++), q);
    for (unsigned q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
  }
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  std::string what = "all";
  unsigned qubits = 0, terms = 0, evals = 1000;
  int threads = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::atoi(argv[++i]) : 0; };
    if (a == "--qubits")
      qubits = static_cast<unsigned>(next());
    else if (a == "--terms")
      terms = static_cast<unsigned>(next());
    else if (a == "--evals")
      evals = static_cast<unsigned>(next());
    else if (a == "--threads")
      threads = next();
    else
      what = a;
  }
  qs::SimulatorOptions options;
  options.threads = threads;
  const qs::Simulator sim(options);
  std::mt19937_64 rng(42);

  if (what == "variational" || what == "all") {
    const unsigned n = qubits ? qubits : 10, t = terms ? terms : 20;
    const qs::PauliSum h = random_sum(n, t, rng);
    const qs::Circuit ansatz = hardware_efficient(n, 2);
    qs::reset_counters();
    const auto start = Clock::now();
    qs::CompiledCircuit program = sim.compile(ansatz);
    std::vector<double> theta(program.parameters().size());
    std::uniform_real_distribution<double> angle(-3, 3);
    double checksum = 0;
    for (unsigned e = 0; e < evals; ++e) {
      for (double& x : theta) x = angle(rng);
      checksum += program.bind(theta).run().expectation(h);
    }
    const double total = seconds_since(start);
    const qs::Counters c = qs::counters();
    if (sim.is_root())
      std::printf(
          "variational: %u qubits, %zu gates, %zu parameters, %u-term energy: %u evaluations in "
          "%.3f s (%.1f us each); plans %llu, state allocations %llu, runs %llu (checksum "
          "%.6f)\n",
          n, ansatz.size(), theta.size(), t, evals, total, 1e6 * total / evals,
          static_cast<unsigned long long>(c.plans), static_cast<unsigned long long>(c.allocations),
          static_cast<unsigned long long>(c.runs), checksum);
  }

  if (what == "pauli" || what == "all") {
    const unsigned n = qubits ? qubits : 24, t = terms ? terms : 100;
    qs::Circuit c(n);
    for (unsigned q = 0; q < n; ++q) c.ry(0.1 + 0.01 * q, q);
    for (unsigned q = 0; q + 1 < n; ++q) c.cx(q, q + 1);
    qs::CompiledCircuit program = sim.compile(c);
    qs::State& state = program.run();
    const qs::PauliSum h = random_sum(n, t, rng);
    // One pass: a layer of RY gates on every qubit without cache blocking is one read + write
    // pass per gate (plus one write pass to reset the state), timed on a state of the same size.
    setenv("QSTATE_BLOCKING", "0", 1);
    qs::Circuit layer(n);
    for (unsigned q = 0; q < n; ++q) layer.ry(0.3, q);
    qs::CompiledCircuit pass = sim.compile(layer);
    pass.run();
    auto t0 = Clock::now();
    pass.run();
    const double pass_seconds = seconds_since(t0) / (n + 1);
    unsetenv("QSTATE_BLOCKING");
    const double rss_before = rss_bytes();
    state.expectation(qs::PauliSum(std::string(n - 1, 'I') + "Z"));  // warm up
    t0 = Clock::now();
    const double value = state.expectation(h);
    const double total = seconds_since(t0);
    const double rss_after = rss_bytes();
    const qs::PauliSum grouped = grouped_sum(n, t, 10, rng);
    t0 = Clock::now();
    const double grouped_value = state.expectation(grouped);
    const double grouped_total = seconds_since(t0);
    if (sim.is_root())
      std::printf(
          "pauli, %u terms sharing 10 X masks (molecular-like): %.3f s, %.2f ms per term, %.2f "
          "passes per term (value %.6f)\n",
          t, grouped_total, 1e3 * grouped_total / t, grouped_total / t / pass_seconds,
          grouped_value);
    if (sim.is_root())
      std::printf(
          "pauli: %u qubits (%.0f MiB of amplitudes per process), %u terms: %.3f s, %.2f ms "
          "per term; one gate pass (read + write) %.2f ms: %.2f passes per term; resident "
          "memory %.0f -> %.0f MiB (value %.6f)\n",
          n, state.memory_bytes() / 1048576.0, t, total, 1e3 * total / t, 1e3 * pass_seconds,
          total / t / pass_seconds, rss_before / 1048576.0, rss_after / 1048576.0, value);
  }
  return 0;
}
