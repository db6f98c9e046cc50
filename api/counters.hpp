// Process-wide counters of the API's expensive steps (see qstate::api::counters()).
#pragma once

#include <atomic>
#include <cstdint>

namespace qstate::api::detail {

struct AtomicCounters {
  std::atomic<std::uint64_t> parses{0};
  std::atomic<std::uint64_t> plans{0};
  std::atomic<std::uint64_t> allocations{0};
  std::atomic<std::uint64_t> binds{0};
  std::atomic<std::uint64_t> runs{0};
};

AtomicCounters& global_counters();

}  // namespace qstate::api::detail
