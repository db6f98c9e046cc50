// VQE of H2 (0.735 A, STO-3G, two-qubit parity-reduced Hamiltonian; coefficients from the Qiskit
// documentation's VQE tutorial, see examples/python/vqe_h2.py) with the C++ API: the ansatz is
// compiled once and re-bound every step; the gradient is the exact parameter-shift rule. Under
// `mpirun -np 2 vqe` the state is split across the ranks and rank 0 prints.
#include <qstate/qstate.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace qs = qstate::api;

int main() {
  const qs::PauliSum h2({{"II", -1.052373245772859},
                         {"IZ", 0.39793742484318045},
                         {"ZI", -0.39793742484318045},
                         {"ZZ", -0.01128010425623538},
                         {"XX", 0.18093119978423156}});
  const double exact = -1.857275030202382;

  qs::Circuit ansatz(2);
  ansatz.ry("a", 0).ry("b", 1).cx(0, 1).ry("c", 0).ry("d", 1);

  try {
    qs::Simulator sim;
    qs::CompiledCircuit program = sim.compile(ansatz);
    auto energy = [&](const std::vector<double>& theta) {
      return program.bind(theta).run().expectation(h2);
    };
    std::vector<double> theta{0.1, -0.2, 0.3, 0.05};
    for (int step = 0; step < 300; ++step) {
      std::vector<double> grad(theta.size());
      for (std::size_t k = 0; k < theta.size(); ++k) {
        std::vector<double> plus = theta, minus = theta;
        plus[k] += std::numbers::pi / 2;
        minus[k] -= std::numbers::pi / 2;
        grad[k] = 0.5 * (energy(plus) - energy(minus));
      }
      for (std::size_t k = 0; k < theta.size(); ++k) theta[k] -= 0.4 * grad[k];
    }
    const double e = energy(theta);
    if (sim.is_root()) {
      std::printf("ranks %d, VQE energy %.10f Ha, exact %.10f Ha, error %.2e\n", sim.ranks(), e,
                  exact, std::abs(e - exact));
      std::printf("plans %llu, state allocations %llu, runs %llu\n",
                  static_cast<unsigned long long>(qs::counters().plans),
                  static_cast<unsigned long long>(qs::counters().allocations),
                  static_cast<unsigned long long>(qs::counters().runs));
    }
    return std::abs(e - exact) < 1e-3 && qs::counters().plans == 1 ? 0 : 1;
  } catch (const qs::Error& error) {
    std::fprintf(stderr, "vqe: %s\n", error.what());
    return 1;
  }
}
