// qstate_gather_bench: what a gathered cache block costs against one in place, by chunk length.
// A state of 2 GiB (2^27 complex<double> or 2^28 complex<float>) is swept block by block
// (2^16 / 2^17 amplitudes: half of this machine's L2, as default_block_qubits picks), every block
// scaled once: in place (a contiguous block), and gathered into a thread's buffer with
// kernels::gather_chunks, scaled there and scattered back with kernels::scatter_chunks, for
// chunks of 2^c amplitudes with the block's other positions at the top of the index (strides of
// 256-512 KiB, as a block set that brings the high qubits in has them). Prints GB/s (read + write
// of the state per sweep, median of 3) at 1 and 2 threads. Never a pass/fail test; see
// bench/RESULTS.md, "The chunk length of gathered blocks".
//
//   qstate_gather_bench [--precision single|double] [--block B]
#include <algorithm>
#include <chrono>
#include <complex>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "simulator/aligned_buffer.hpp"
#include "simulator/kernels/gather.hpp"
#include "simulator/parallel.hpp"

namespace {

using Clock = std::chrono::steady_clock;

template <class Real>
void scale(std::complex<Real>* a, std::uint64_t count) {
  Real* p = reinterpret_cast<Real*>(a);
#pragma GCC ivdep
  for (std::uint64_t i = 0; i < 2 * count; ++i) p[i] *= Real(0.999);
}

// Seconds of one sweep over the state; c == b: blocks in place.
template <class Real>
double sweep(std::complex<Real>* amp, unsigned n, unsigned b, unsigned c) {
  const std::uint64_t blocks = std::uint64_t{1} << (n - b);
  const auto t0 = Clock::now();
  if (c == b) {
    qstate::parallel_for(blocks, 1, [&](std::uint64_t begin, std::uint64_t end) {
      for (std::uint64_t blk = begin; blk < end; ++blk)
        scale(amp + (blk << b), std::uint64_t{1} << b);
    });
  } else {
    // Block positions 0 .. c-1 and the top b - c; the block index fills the positions between.
    const unsigned top = n - (b - c);
    const std::uint64_t chunks = std::uint64_t{1} << (b - c);
    const std::uint64_t chunk = std::uint64_t{1} << c;
    std::vector<std::uint64_t> offsets(chunks);
    for (std::uint64_t y = 0; y < chunks; ++y) offsets[y] = y << top;
    qstate::parallel_for(blocks, 1, [&](std::uint64_t begin, std::uint64_t end) {
      qstate::AlignedBuffer<std::complex<Real>> buf(std::uint64_t{1} << b);
      for (std::uint64_t blk = begin; blk < end; ++blk) {
        std::complex<Real>* base = amp + (blk << c);
        qstate::kernels::gather_chunks(base, offsets.data(), chunks, chunk, buf.data());
        scale(buf.data(), std::uint64_t{1} << b);
        qstate::kernels::scatter_chunks(buf.data(), offsets.data(), chunks, chunk, base);
      }
    });
  }
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

template <class Real>
void run(unsigned n, unsigned b) {
  const std::uint64_t amps = std::uint64_t{1} << n;
  qstate::AlignedBuffer<std::complex<Real>> state(amps);
  const double bytes = 2.0 * static_cast<double>(amps * sizeof(std::complex<Real>));
  std::printf("\n%s, %u qubits (%.0f GiB), blocks of 2^%u amplitudes\n\n",
              sizeof(Real) == 8 ? "double" : "single", n, bytes / 2 / (1 << 30), b);
  std::printf("| block | chunk bytes | GB/s 1 thread | GB/s 2 threads |\n|---|---|---|---|\n");
  for (unsigned c = 3; c <= b; ++c) {
    if (c > 10 && c < b) continue;
    double rate[2];
    for (int t = 1; t <= 2; ++t) {
      qstate::set_num_threads(t);
      qstate::parallel_for(amps, 1, [&](std::uint64_t begin, std::uint64_t end) {
        std::memset(static_cast<void*>(state.data() + begin), 0,
                    (end - begin) * sizeof(std::complex<Real>));
      });
      std::vector<double> secs;
      for (int rep = 0; rep < 3; ++rep) secs.push_back(sweep(state.data(), n, b, c));
      std::sort(secs.begin(), secs.end());
      rate[t - 1] = bytes / secs[1] * 1e-9;
    }
    std::printf("| %s | %llu | %.1f | %.1f |\n", c == b ? "in place" : "gathered",
                static_cast<unsigned long long>(sizeof(std::complex<Real>) << c), rate[0], rate[1]);
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string precision = "both";
  unsigned block = 0;  // 0: half the L2 of this machine (2^16 doubles, 2^17 floats)
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--precision") precision = argv[i + 1];
    if (flag == "--block") block = static_cast<unsigned>(std::stoul(argv[i + 1]));
  }
  if (precision != "single") run<double>(27, block != 0 ? block : 16);
  if (precision != "double") run<float>(28, block != 0 ? block : 17);
  return 0;
}
