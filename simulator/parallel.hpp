// ParallelFor: the index loop every kernel runs under, and the only place with `#pragma omp`
// (parallel.cpp). Work is split statically into one contiguous range per thread, the same split
// for initialisation and for every gate, so pages stay near the thread that first touched them.
// Results never depend on the split: kernels write disjoint ranges, and reductions use exact
// (order-independent) accumulators, so any thread count gives the same bits.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace qstate {

// Sets the number of threads for all later parallel loops (0 = the OpenMP default).
void set_num_threads(int threads);
// Threads a parallel loop will use.
int num_threads();

// Minimum work (in loop iterations over amplitudes or groups) worth a parallel region.
inline constexpr std::uint64_t kParallelGrain = std::uint64_t{1} << 14;

namespace detail {
// Runs body(slot, begin, end) for slot in [0, slots) in parallel, with [begin, end) the slot's
// share of [0, n).
void parallel_slots(std::uint64_t n, int slots,
                    const std::function<void(int, std::uint64_t, std::uint64_t)>& body);
}  // namespace detail

// Calls body(begin, end) on disjoint ranges covering [0, n). Serial when n < grain.
template <class Body>
void parallel_for(std::uint64_t n, std::uint64_t grain, Body&& body) {
  if (n == 0) return;
  const int threads = n < grain ? 1 : num_threads();
  if (threads == 1) {
    body(std::uint64_t{0}, n);
    return;
  }
  detail::parallel_slots(
      n, threads, [&body](int, std::uint64_t begin, std::uint64_t end) { body(begin, end); });
}

// Sum of body(begin, end, acc) over disjoint ranges covering [0, n), one accumulator per thread,
// merged with +=. Use an exact accumulator where the result must not depend on the threads.
template <class Acc, class Body>
Acc parallel_reduce(std::uint64_t n, std::uint64_t grain, Body&& body) {
  const int threads = (n < grain) ? 1 : num_threads();
  std::vector<Acc> partial(static_cast<std::size_t>(threads));
  if (threads == 1) {
    body(std::uint64_t{0}, n, partial[0]);
  } else {
    detail::parallel_slots(n, threads, [&](int slot, std::uint64_t begin, std::uint64_t end) {
      body(begin, end, partial[static_cast<std::size_t>(slot)]);
    });
  }
  Acc total = partial[0];
  for (std::size_t i = 1; i < partial.size(); ++i) total += partial[i];
  return total;
}

}  // namespace qstate
