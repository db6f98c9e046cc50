// Allocation of amplitude storage: 64-byte alignment for small buffers; large ones are mapped
// directly, 2 MiB aligned, with a transparent-huge-page hint (and returned to the system at once
// when freed).
#include "simulator/aligned_buffer.hpp"

#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace qstate::detail {
namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kSmallAlignment = 64;

std::size_t mapped_size(std::size_t bytes) {
  return (bytes + kHugePage - 1) / kHugePage * kHugePage;
}
}  // namespace

void* allocate_aligned(std::size_t bytes) {
  if (bytes < kHugePage) return ::operator new (bytes, std::align_val_t{kSmallAlignment});
  const std::size_t size = mapped_size(bytes);
  // Map one huge page more than needed and trim both ends to a 2 MiB boundary.
  void* raw =
      mmap(nullptr, size + kHugePage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + kHugePage - 1) / kHugePage * kHugePage;
  if (aligned > start) munmap(raw, aligned - start);
  const std::uintptr_t tail = aligned + size;
  const std::uintptr_t end = start + size + kHugePage;
  if (end > tail) munmap(reinterpret_cast<void*>(tail), end - tail);
  void* p = reinterpret_cast<void*>(aligned);
#ifdef MADV_HUGEPAGE
  madvise(p, size, MADV_HUGEPAGE);  // a hint: ignored where transparent huge pages are off
#endif
  return p;
}

void free_aligned(void* p, std::size_t bytes) {
  if (p == nullptr) return;
  if (bytes < kHugePage) {
    ::operator delete (p, std::align_val_t{kSmallAlignment});
  } else {
    munmap(p, mapped_size(bytes));
  }
}

}  // namespace qstate::detail
