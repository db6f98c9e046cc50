// qstate_bench: the speed of the engine on the shared benchmark circuits, beside the machine's
// floor and the peers' times. It measures the in-place memory bandwidth (a[i] *= s, what a
// state-vector pass does) and the FMA peak in the same run, then runs each circuit (state
// evolution only, shots 0) at each thread count and precision, and prints one markdown table:
// median seconds, memory passes and flops (the engine's own counters), effective GB/s, the floor
// max(passes x time per pass, flops / peak), time / floor, and time relative to qsim / Aer.
//
//   qstate_bench [--circuits qft_24,rand_24] [--threads 1,2] [--precision single,double]
//                [--repeats 3] [--shared DIR]
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "circuits/qasm/qasm.hpp"
#include "simulator/aligned_buffer.hpp"
#include "simulator/blocked.hpp"
#include "simulator/executor.hpp"
#include "simulator/parallel.hpp"
#include "simulator/simd.hpp"

namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// In-place read+write bandwidth in bytes/s: 2 GiB of doubles, a[i] *= s, median of 5.
double inplace_bandwidth(int threads) {
  const std::size_t n = std::size_t{1} << 28;
  qstate::AlignedBuffer<double> a(n);
  qstate::set_num_threads(threads);
  qstate::parallel_for(n, 1, [&](std::uint64_t b, std::uint64_t e) {
    for (std::uint64_t i = b; i < e; ++i) a[i] = 1.0;
  });
  std::vector<double> secs;
  for (int rep = 0; rep < 5; ++rep) {
    const auto t0 = Clock::now();
    qstate::parallel_for(n, 1, [&](std::uint64_t b, std::uint64_t e) {
      double* p = a.data();
#pragma GCC ivdep
      for (std::uint64_t i = b; i < e; ++i) p[i] *= 0.999999;
    });
    secs.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return 2.0 * static_cast<double>(n * sizeof(double)) / median(secs);
}

struct Peer {
  double qsim = 0, aer = 0, quest = 0;
};

std::map<std::string, Peer> read_peers(const std::string& path) {
  std::map<std::string, Peer> peers;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line.rfind("circuit", 0) == 0) continue;
    std::stringstream row(line);
    std::string name, a, b, c;
    std::getline(row, name, '\t');
    std::getline(row, a, '\t');
    std::getline(row, b, '\t');
    std::getline(row, c, '\t');
    auto num = [](const std::string& t) { return t == "-" || t.empty() ? 0.0 : std::stod(t); };
    peers[name] = Peer{num(a), num(b), num(c)};
  }
  return peers;
}

std::string ratio(double ours, double theirs) {
  if (theirs <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", ours / theirs);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> circuits = {"qft_24", "rand_24", "qft_26", "rand_26", "ghz_28"};
  std::vector<std::string> threads = {"1", "2"};
  std::vector<std::string> precisions = {"single", "double"};
  int repeats = 3;
  std::string shared = QSTATE_BENCH_SHARED_DIR;
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "-h" || flag == "--help") {
      std::printf(
          "qstate_bench [--circuits qft_24,rand_24,...] [--threads 1,2] [--precision "
          "single,double]\n             [--repeats 3] [--shared DIR]\n"
          "Measures bandwidth and FMA peak, runs each circuit of DIR/bench (state evolution, no "
          "shots)\nand prints a markdown table: median seconds, passes, GFLOP, GB/s, floor, "
          "time/floor, vs qsim/Aer.\n");
      return 0;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "flag %s needs a value (see --help)\n", flag.c_str());
      return 2;
    }
    const std::string value = argv[i + 1];
    if (flag == "--circuits")
      circuits = split(value);
    else if (flag == "--threads")
      threads = split(value);
    else if (flag == "--precision")
      precisions = split(value);
    else if (flag == "--repeats")
      repeats = std::max(1, std::atoi(value.c_str()));
    else if (flag == "--shared")
      shared = value;
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  const auto peers = read_peers(std::string(QSTATE_BENCH_SOURCE_DIR) + "/peers.tsv");

  std::map<int, double> bandwidth;
  std::map<std::pair<int, bool>, double> peak;
  std::printf(
      "machine: %s SIMD, cache blocks of 2^%u / 2^%u amplitudes (single/double), in-place "
      "bandwidth",
      qstate::simd_target_name().c_str(), qstate::default_block_qubits(8),
      qstate::default_block_qubits(16));
  for (const std::string& t : threads) {
    const int n = std::stoi(t);
    bandwidth[n] = inplace_bandwidth(n);
    peak[{n, false}] = qstate::measure_peak_flops(n, false);
    peak[{n, true}] = qstate::measure_peak_flops(n, true);
    std::printf(" %d thread%s %.1f GB/s;", n, n == 1 ? "" : "s", bandwidth[n] * 1e-9);
  }
  std::printf(" FMA peak");
  for (const std::string& t : threads) {
    const int n = std::stoi(t);
    std::printf(" %d thr %.0f/%.0f GFLOP/s (single/double);", n, peak[{n, true}] * 1e-9,
                peak[{n, false}] * 1e-9);
  }
  std::printf(
      "\n\n| circuit | precision | threads | seconds | passes | GFLOP | GB/s | floor s | "
      "time/floor | vs qsim (single) | vs Aer (double) |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
  for (const std::string& name : circuits) {
    const qstate::Circuit circuit = qstate::qasm::parse_file(shared + "/bench/" + name + ".qasm");
    const qstate::Program program = qstate::plan_program(circuit);
    for (const std::string& prec : precisions) {
      for (const std::string& t : threads) {
        const int n = std::stoi(t);
        const bool single = prec == "single";
        qstate::RunOptions options;
        options.shots = 0;
        options.seed = 1;
        options.threads = n;
        options.precision = single ? qstate::Precision::kSingle : qstate::Precision::kDouble;
        std::vector<double> secs;
        qstate::WorkCounters work;
        for (int rep = 0; rep < repeats; ++rep) {
          const qstate::Result r = qstate::run_program(program, options);
          for (const auto& [phase, s] : r.metadata.time_taken)
            if (phase == "simulate") secs.push_back(s);
          work = r.metadata.work;
        }
        const double seconds = median(secs);
        const double bytes_per_pass =
            static_cast<double>(std::uint64_t{1} << program.num_qubits()) * (single ? 8.0 : 16.0) *
            2.0;
        const double floor_s =
            std::max(work.passes * bytes_per_pass / bandwidth[n], work.flops / peak[{n, single}]);
        const auto it = peers.find(name);
        const Peer p = it == peers.end() ? Peer{} : it->second;
        std::printf("| %s | %s | %d | %.3f | %.1f | %.1f | %.1f | %.3f | %.2f | %s | %s |\n",
                    name.c_str(), prec.c_str(), n, seconds, work.passes, work.flops * 1e-9,
                    work.passes * bytes_per_pass / seconds * 1e-9, floor_s, seconds / floor_s,
                    n == 2 ? ratio(seconds, p.qsim).c_str() : "-",
                    n == 2 ? ratio(seconds, p.aer).c_str() : "-");
        std::fflush(stdout);
      }
    }
  }
  std::printf(
      "\n(vs columns: our seconds / theirs at 2 threads; below 1 is faster. time/floor: 1 is the"
      " machine's limit for the passes and flops this engine did.)\n");
  return 0;
}
