// OpenMP lives here and only here.
#include "simulator/parallel.hpp"

#include <omp.h>

#include <algorithm>

namespace qstate {

namespace {
// OpenMP's own default (OMP_NUM_THREADS or the cores), read before anything changes it.
const int kDefaultThreads = omp_get_max_threads();
}  // namespace

void set_num_threads(int threads) {
  omp_set_num_threads(threads > 0 ? threads : kDefaultThreads);
}

int num_threads() {
  return omp_get_max_threads();
}

namespace detail {

void parallel_slots(std::uint64_t n, int slots,
                    const std::function<void(int, std::uint64_t, std::uint64_t)>& body) {
  const std::uint64_t share = n / static_cast<std::uint64_t>(slots);
  const std::uint64_t rest = n % static_cast<std::uint64_t>(slots);
#pragma omp parallel for schedule(static, 1) num_threads(slots)
  for (int slot = 0; slot < slots; ++slot) {
    // Contiguous, nearly equal shares: the first `rest` slots get one more.
    const auto s = static_cast<std::uint64_t>(slot);
    const std::uint64_t begin = s * share + std::min(s, rest);
    const std::uint64_t end = begin + share + (s < rest ? 1 : 0);
    if (begin < end) body(slot, begin, end);
  }
}

}  // namespace detail
}  // namespace qstate
