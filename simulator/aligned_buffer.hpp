// A fixed-size, 64-byte aligned, uninitialised array: the storage of a state vector's
// amplitudes. It never copies itself implicitly (moving is fine), so a state can never double its
// memory by accident. Initialisation is the owner's job (done in parallel, for first touch).
// Large buffers are 2 MiB aligned and asked to be backed by transparent huge pages: first touch
// then faults once per 2 MiB instead of once per 4 KiB (on some VMs a 4 KiB fault costs ~10 us,
// 10 s for a 4 GiB state), and TLB misses vanish from the kernels.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

namespace qstate {

namespace detail {
// Throws std::bad_alloc on failure. Defined in aligned_buffer.cpp.
void* allocate_aligned(std::size_t bytes);
void free_aligned(void* p, std::size_t bytes);
}  // namespace detail

template <class T>
class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(std::size_t count) : size_(count) {
    if (count > 0) data_ = static_cast<T*>(detail::allocate_aligned(count * sizeof(T)));
  }
  ~AlignedBuffer() { release(); }

  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  AlignedBuffer(AlignedBuffer&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  AlignedBuffer& operator=(AlignedBuffer&& other) noexcept {
    if (this != &other) {
      release();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }

  T* data() { return data_; }
  const T* data() const { return data_; }
  std::size_t size() const { return size_; }
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }

 private:
  void release() {
    detail::free_aligned(data_, size_ * sizeof(T));
    data_ = nullptr;
    size_ = 0;
  }

  T* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace qstate
