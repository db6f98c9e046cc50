// qstate_kernel_bench: the gate kernels alone, one thread, no engine. For each kernel kind and
// width it applies one gate repeatedly to a state in L2 (2^16 amplitudes) and one in memory
// (2^24), in double and single precision, with the SIMD target QSTATE_SIMD selects (run it once
// per target), and prints ns per amplitude (wall and this process's CPU time), GFLOP/s and the
// fraction of the measured one-core FMA peak. A dense k-target gate costs 8 * 2^k flops per
// amplitude (2^k complex multiply-adds); GFLOP/s and %peak use the CPU time (the wall time is
// too noisy on a shared machine), the peak is the best of three measure_peak_flops calls. The
// chain rows time diagonal_chain with k diagonals of 3 positions each, and dense+chain a 2-target
// dense gate with such a chain folded into its stores (dense_then_diagonals, the QFT's shape).
// The permutation rows time a move of k positions (the merged moves of a blocked run), the affine
// row the gathered copy and copy back of an affine move (the cx chain cx(0, 1) .. cx(n-2, n-1) as
// one map, simulator/blocked.hpp) over the whole state.
// Never a pass/fail test; see bench/RESULTS.md.
//
//   qstate_kernel_bench [--quick] [--small-only] [--large-only] [--qubits N]
//
// --qubits N times a state of 2^N amplitudes instead of the two sizes (for example 14 or 15, a
// block that fits a 512 KiB L2, against 16, a block in L3 there).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "simulator/aligned_buffer.hpp"
#include "simulator/kernels/affine_move.hpp"
#include "simulator/kernels/diagonal_chain.hpp"
#include "simulator/kernels/placement.hpp"
#include "simulator/kernels/simd_kernels.hpp"
#include "simulator/parallel.hpp"
#include "simulator/simd.hpp"

namespace {

using qstate::kernels::Placement;

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

struct Case {
  std::string kind;   // dense, diagonal, permutation, chain, dense+chain, affine
  std::string where;  // high: every target at or above position 4; mixed: one target at 0;
                      // far: targets two positions apart from the top (strides of 2^(n-2k+1)
                      // amplitudes and more, as the high block positions of a circuit's gates)
  unsigned k;
};

template <class Real>
void run(const Case& c, unsigned qubits, double min_seconds, double peak) {
  using C = std::complex<Real>;
  const std::size_t n = std::size_t{1} << qubits;
  qstate::AlignedBuffer<C> buf(n);
  C* amp = buf.data();
  std::mt19937_64 rng(1);
  std::normal_distribution<double> g;
  for (std::size_t i = 0; i < n; ++i)
    amp[i] = {static_cast<Real>(g(rng) * 1e-3), static_cast<Real>(g(rng) * 1e-3)};
  std::vector<unsigned> targets;
  if (c.where == "mixed") targets.push_back(0);
  for (unsigned j = static_cast<unsigned>(targets.size()); j < c.k; ++j)
    targets.push_back(c.where == "far" ? qubits - 1 - 2 * j : 4 + j);
  if (c.kind == "chain") targets = {4};           // unused
  if (c.kind == "dense+chain") targets = {4, 5};  // the dense gate before the chain
  const Placement pl(targets, {}, 0);
  const std::size_t dim = std::size_t{1} << pl.num_targets();
  // A unitary-like scale keeps the values bounded over many repetitions.
  std::vector<C> m(dim * dim);
  for (auto& e : m)
    e = {static_cast<Real>(g(rng) / std::sqrt(2.0 * dim)),
         static_cast<Real>(g(rng) / std::sqrt(2.0 * dim))};
  std::vector<C> diag(dim);
  for (std::size_t j = 0; j < dim; ++j) diag[j] = std::polar(Real(1), static_cast<Real>(j * 0.7));
  std::vector<std::uint32_t> perm(dim);
  std::iota(perm.begin(), perm.end(), 0U);
  std::shuffle(perm.begin(), perm.end(), rng);
  if (std::is_sorted(perm.begin(), perm.end()))  // never the identity (for k = 1: an X)
    std::rotate(perm.begin(), perm.begin() + 1, perm.end());
  // chain: k diagonals of 3 positions each (some inside a vector), in one diagonal_chain call;
  // dense+chain: the 2-target dense gate m at positions 4, 5 with that chain in its stores (as
  // the QFT's fused h and its controlled phases run).
  const bool chain_kind = c.kind == "chain" || c.kind == "dense+chain";
  const unsigned links = chain_kind ? c.k : 0;
  std::vector<std::vector<C>> tables(links);
  std::vector<qstate::kernels::ChainDiagonal<Real>> chain(links);
  for (unsigned l = 0; l < links; ++l) {
    tables[l].resize(8 + qstate::kernels::kChainTablePadding);
    for (std::size_t j = 0; j < tables[l].size(); ++j)
      tables[l][j] = std::polar(Real(1), static_cast<Real>(0.3 * l + 0.7 * j));
    const std::uint64_t one = 1;
    chain[l] = {tables[l].data(), (one << (l % 12)) | (one << (l % 12 + 2)) | (one << (l % 6 + 9)),
                0, 0};
  }
  // affine: after the chain, index y holds what was at y ^ (y << 1) (the top bit shifted out).
  std::vector<std::uint32_t> affine(256 * qstate::kernels::kAffineTables, 0);
  for (unsigned t = 0; t < qstate::kernels::kAffineTables; ++t)
    for (unsigned v = 0; v < 256; ++v)
      for (unsigned j = 0; j < 8; ++j)
        if ((v >> j) & 1U && 8 * t + j < qubits)
          affine[256 * t + v] ^=
              static_cast<std::uint32_t>((std::uint64_t{3} << (8 * t + j)) & (n - 1));
  qstate::AlignedBuffer<C> moved(c.kind == "affine" ? n : 1);
  const std::uint64_t groups = pl.num_groups(qubits);
  auto apply = [&] {
    if (c.kind == "affine") {
      qstate::kernels::affine_move<Real>(amp, moved.data(), n, affine.data());
      std::memcpy(static_cast<void*>(amp), moved.data(), n * sizeof(C));
    } else if (c.kind == "chain")
      qstate::kernels::diagonal_chain<Real>(amp, chain.data(), links, 0, n);
    else if (c.kind == "dense+chain")
      qstate::kernels::dense_then_diagonals<Real>(amp, pl, m.data(), chain.data(), links, 0,
                                                  groups);
    else if (c.kind == "dense")
      qstate::kernels::dense<Real>(amp, pl, m.data(), 0, groups);
    else if (c.kind == "diagonal")
      qstate::kernels::diagonal<Real>(amp, pl, diag.data(), 0, groups);
    else
      qstate::kernels::permutation<Real>(amp, pl, perm.data(), diag.data(), true, 0, groups);
  };
  apply();  // warm up
  double best_wall = 1e30, best_cpu = 1e30;
  double total = 0;
  int reps = 0;
  // Repetitions of a batch long enough for the clock; the best batch counts.
  const int batch = std::max(1, static_cast<int>((1u << 20) / n));
  while (total < min_seconds || reps < 3) {
    const double c0 = cpu_seconds();
    const auto t0 = std::chrono::steady_clock::now();
    for (int b = 0; b < batch; ++b) apply();
    const double w = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cp = cpu_seconds() - c0;
    best_wall = std::min(best_wall, w / batch);
    best_cpu = std::min(best_cpu, cp / batch);
    total += w;
    ++reps;
  }
  const double ns_amp = 1e9 * best_wall / static_cast<double>(n);
  const double cpu_ns_amp = 1e9 * best_cpu / static_cast<double>(n);
  const double flops_amp = c.kind == "dense"         ? 8.0 * static_cast<double>(dim)
                           : c.kind == "diagonal"    ? 6.0
                           : c.kind == "chain"       ? 6.0 * links
                           : c.kind == "dense+chain" ? 8.0 * static_cast<double>(dim) + 6.0 * links
                                                     : 0.0;
  const double gflops = flops_amp / cpu_ns_amp;  // CPU time: robust against a loaded machine
  const double gbs = 2.0 * sizeof(C) / ns_amp;
  std::printf("%-6s %2u %-11s %-5s %u %8.3f %8.3f %8.1f %6.1f%% %7.1f\n",
              sizeof(Real) == 8 ? "double" : "single", qubits, c.kind.c_str(), c.where.c_str(), c.k,
              ns_amp, cpu_ns_amp, gflops, peak > 0 ? 100.0 * gflops * 1e9 / peak : 0.0, gbs);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false, small_only = false, large_only = false;
  std::vector<unsigned> sizes = {16U, 24U};
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--qubits" && i + 1 < argc && std::atoi(argv[i + 1]) >= 8 &&
        std::atoi(argv[i + 1]) <= 30)
      sizes = {static_cast<unsigned>(std::atoi(argv[++i]))};
    else if (a == "--quick")
      quick = true;
    else if (a == "--small-only")
      small_only = true;
    else if (a == "--large-only")
      large_only = true;
    else {
      std::fprintf(stderr,
                   "usage: qstate_kernel_bench [--quick] [--small-only] [--large-only] [--qubits N "
                   "(8-30)]\n");
      return 2;
    }
  }
  qstate::set_num_threads(1);
  double peak_d = 0, peak_s = 0;
  for (int i = 0; i < 3; ++i) {
    peak_d = std::max(peak_d, qstate::measure_peak_flops(1, false));
    peak_s = std::max(peak_s, qstate::measure_peak_flops(1, true));
  }
  std::printf("# SIMD target %s; one-core FMA peak %.1f GFLOP/s double, %.1f single\n",
              qstate::simd_target_name().c_str(), peak_d * 1e-9, peak_s * 1e-9);
  std::printf("# prec   n kind        where k  ns/amp  cpu-ns/amp GFLOP/s %%peak   GB/s\n");
  std::vector<Case> cases;
  for (unsigned k = 1; k <= 6; ++k) cases.push_back({"dense", "high", k});
  for (unsigned k = 1; k <= 4; ++k) cases.push_back({"dense", "far", k});
  for (unsigned k = 1; k <= 4; ++k) cases.push_back({"dense", "mixed", k});
  for (unsigned k = 1; k <= 4; k += 3) cases.push_back({"diagonal", "high", k});
  cases.push_back({"diagonal", "mixed", 2});
  for (unsigned k = 1; k <= 3; ++k) cases.push_back({"permutation", "high", k});
  cases.push_back({"affine", "-", 1});
  for (unsigned k : {1U, 4U, 16U}) cases.push_back({"chain", "-", k});
  for (unsigned k : {1U, 4U, 16U}) cases.push_back({"dense+chain", "high", k});
  const double min_seconds = quick ? 0.05 : 0.3;
  for (unsigned qubits : sizes) {
    if ((qubits == 16 && large_only) || (qubits == 24 && small_only)) continue;
    for (const Case& c : cases) run<double>(c, qubits, min_seconds, peak_d);
    for (const Case& c : cases) run<float>(c, qubits, min_seconds, peak_s);
  }
  return 0;
}
