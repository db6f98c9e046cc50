// qstate_readout_bench: the engine's read-out costs on one process (bench/RESULTS.md, "Read-out:
// sampling, expectation values, probabilities"). A Q-qubit state of random amplitudes whose
// layout is a random qubit permutation (as cache blocking leaves it), then, each timed in wall
// and CPU seconds (all threads):
//   pass         one single-qubit gate on every amplitude (the unit "one pass")
//   canonicalize restoring the canonical layout (the permutation is set anew before each run)
//   targets      of which: the shots' sorted targets (sample_targets)
//   weights      of which: the chunk weights (the SliceSampler's read pass)
//   sample       S shots from the canonical state (StateVector::sample)
//   sample+perm  S shots from a permuted layout (includes the layout restore)
//   weights      qubit_weights of one qubit
//   pauli        T random Pauli strings, per term (StateVector::expectation)
//   probs        probabilities() of every basis state
// Usage: qstate_readout_bench [--qubits Q=24] [--shots S=1000000] [--terms T=10] [--threads P=2]
//        [--float] [--repeat R=3] [--random-layout]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "circuits/gates.hpp"
#include "simulator/parallel.hpp"
#include "simulator/sampling.hpp"
#include "simulator/state_vector.hpp"

namespace {

struct Times {
  double wall = 0;
  double cpu = 0;
};

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

template <class F>
Times measure(F&& f) {
  const auto w0 = std::chrono::steady_clock::now();
  const double c0 = cpu_now();
  f();
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count(),
          cpu_now() - c0};
}

bool g_random_layout = false;

// A qubit permutation applied as relabellings (no data moves): like cache blocking leaves it,
// n/3 exchanges of a random low qubit (below n/2) with a random high one; with --random-layout a
// uniformly random permutation (the worst case).
template <class Real>
void permute_layout(qstate::StateVector<Real>& sv, std::mt19937_64& rng) {
  const unsigned n = sv.num_qubits();
  qstate::RemapOp relabel;
  relabel.relabel = true;
  if (g_random_layout) {
    for (unsigned i = n - 1; i > 0; --i) {
      const auto j = static_cast<unsigned>(rng() % (i + 1));
      if (j != i) relabel.pairs.emplace_back(i, j);
    }
  } else {
    for (unsigned k = 0; k < n / 3; ++k) {
      const auto low = static_cast<unsigned>(rng() % (n / 2));
      const auto high = n / 2 + static_cast<unsigned>(rng() % (n - n / 2));
      relabel.pairs.emplace_back(low, high);
    }
  }
  sv.apply(relabel);
}

template <class Real>
int run(unsigned n, std::uint64_t shots, unsigned terms, unsigned repeat) {
  qstate::StateVector<Real> sv(n);
  std::mt19937_64 rng(7);
  {
    std::normal_distribution<double> g(0, 1);
    std::vector<double> noise(1U << 16);
    for (double& x : noise) x = g(rng);
    auto* a = sv.data();
    const double scale = 1.0 / std::sqrt(static_cast<double>(sv.size()));
    for (std::uint64_t i = 0; i < sv.size(); ++i)
      a[i] = {static_cast<Real>(scale * noise[(i * 2) % noise.size()]),
              static_cast<Real>(scale * noise[(i * 2 + 1 + (i >> 16)) % noise.size()])};
  }
  std::vector<std::uint64_t> draws(shots);
  qstate::Rng r(1);
  for (auto& d : draws) d = r.draw53();
  std::vector<qstate::kernels::PauliMasks> strings;
  for (unsigned t = 0; t < terms; ++t) {
    qstate::kernels::PauliMasks m;
    for (unsigned q = 0; q < n; ++q) {
      const unsigned letter = static_cast<unsigned>(rng() % 4);
      if (letter == 1 || letter == 2) m.x_mask |= std::uint64_t{1} << q;
      if (letter == 2 || letter == 3) m.z_mask |= std::uint64_t{1} << q;
      if (letter == 2) ++m.num_y;
    }
    strings.push_back(m);
  }
  std::printf("qubits=%u precision=%s threads=%d shots=%llu terms=%u\n", n,
              sizeof(Real) == 4 ? "single" : "double", qstate::num_threads(),
              static_cast<unsigned long long>(shots), terms);
  std::printf("%-14s %10s %10s\n", "what", "wall s", "cpu s");
  const auto report = [](const char* what, Times t) {
    std::printf("%-14s %10.4f %10.4f\n", what, t.wall, t.cpu);
  };
  double checksum = 0;
  for (unsigned rep = 0; rep < repeat; ++rep) {
    report("pass", measure([&] { sv.apply(qstate::make_gate("h", {}, {n - 1})); }));
    permute_layout(sv, rng);
    report("canonicalize", measure([&] { sv.canonicalize(); }));
    report("  targets", measure([&] {
             checksum += static_cast<double>(qstate::sample_targets(1, draws)[0].shot);
           }));
    report("  weights", measure([&] {
             const qstate::SliceSampler<Real> sampler(sv.data(), sv.size());
             checksum += static_cast<double>(sampler.total() > 0);
           }));
    report("sample", measure([&] { checksum += static_cast<double>(sv.sample(draws)[0]); }));
    permute_layout(sv, rng);
    report("sample+perm", measure([&] { checksum += static_cast<double>(sv.sample(draws)[0]); }));
    report("weights", measure([&] { checksum += sv.qubit_weights(n / 2)[0].value(); }));
    permute_layout(sv, rng);
    Times t = measure([&] {
      for (const auto& m : strings) checksum += sv.expectation(m);
    });
    t.wall /= terms;
    t.cpu /= terms;
    report("pauli/term", t);
    report("probs", measure([&] { checksum += sv.probabilities()[1]; }));
  }
  std::printf("checksum %.17g\n", checksum);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned n = 24;
  std::uint64_t shots = 1000000;
  unsigned terms = 10;
  unsigned repeat = 3;
  int threads = 2;
  bool single = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "missing value after %s\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--qubits") {
      n = static_cast<unsigned>(std::atoi(next()));
    } else if (a == "--shots") {
      shots = std::strtoull(next(), nullptr, 10);
    } else if (a == "--terms") {
      terms = static_cast<unsigned>(std::atoi(next()));
    } else if (a == "--threads") {
      threads = std::atoi(next());
    } else if (a == "--repeat") {
      repeat = static_cast<unsigned>(std::atoi(next()));
    } else if (a == "--random-layout") {
      g_random_layout = true;
    } else if (a == "--float") {
      single = true;
    } else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  qstate::set_num_threads(threads);
  return single ? run<float>(n, shots, terms, repeat) : run<double>(n, shots, terms, repeat);
}
