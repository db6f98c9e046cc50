// SmallVector<T, N>: a vector of a trivially copyable T that holds up to N elements inside
// itself and only goes to the heap beyond that. A gate's qubits, parameters and matrix entries
// are a handful of values each; holding them inline means a gate is built, copied and freed
// without touching the allocator (a 10^6-gate program is copied several times while planned).
// The interface is the part of std::vector the code uses (iterators are pointers; it converts to
// std::span and to std::vector and is built from either, or from a braced list).
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <iterator>
#include <new>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <vector>

namespace qstate {

template <class T, std::size_t N>
class SmallVector {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
  static_assert(N > 0);

 public:
  using value_type = T;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;
  using reference = T&;
  using const_reference = const T&;
  using pointer = T*;
  using const_pointer = const T*;
  using iterator = T*;
  using const_iterator = const T*;

  SmallVector() noexcept = default;
  explicit SmallVector(size_type n) { resize(n); }
  SmallVector(size_type n, const T& value) { assign(n, value); }
  SmallVector(std::initializer_list<T> list) { assign(list.begin(), list.end()); }
  template <std::input_iterator It>
  SmallVector(It first, It last) {
    assign(first, last);
  }
  SmallVector(const std::vector<T>& v) { assign(v.begin(), v.end()); }  // NOLINT: implicit
  explicit SmallVector(std::span<const T> s) { assign(s.begin(), s.end()); }

  SmallVector(const SmallVector& o) { copy_from(o); }
  SmallVector(SmallVector&& o) noexcept { steal(o); }
  SmallVector& operator=(const SmallVector& o) {
    if (this != &o) copy_from(o);
    return *this;
  }
  SmallVector& operator=(SmallVector&& o) noexcept {
    if (this != &o) {
      release();
      steal(o);
    }
    return *this;
  }
  SmallVector& operator=(std::initializer_list<T> list) {
    assign(list.begin(), list.end());
    return *this;
  }
  ~SmallVector() { release(); }

  operator std::vector<T>() const { return std::vector<T>(begin(), end()); }  // NOLINT: implicit

  T* data() noexcept { return is_inline() ? local() : heap_; }
  const T* data() const noexcept { return is_inline() ? local() : heap_; }
  size_type size() const noexcept { return size_; }
  size_type capacity() const noexcept { return capacity_; }
  bool empty() const noexcept { return size_ == 0; }
  static constexpr size_type inline_capacity() { return N; }

  iterator begin() noexcept { return data(); }
  iterator end() noexcept { return data() + size_; }
  const_iterator begin() const noexcept { return data(); }
  const_iterator end() const noexcept { return data() + size_; }
  const_iterator cbegin() const noexcept { return begin(); }
  const_iterator cend() const noexcept { return end(); }

  T& operator[](size_type i) noexcept {
    assert(i < size_);
    return data()[i];
  }
  const T& operator[](size_type i) const noexcept {
    assert(i < size_);
    return data()[i];
  }
  T& at(size_type i) {
    if (i >= size_) throw std::out_of_range("SmallVector::at");
    return data()[i];
  }
  const T& at(size_type i) const {
    if (i >= size_) throw std::out_of_range("SmallVector::at");
    return data()[i];
  }
  T& front() noexcept { return (*this)[0]; }
  const T& front() const noexcept { return (*this)[0]; }
  T& back() noexcept { return (*this)[size_ - 1]; }
  const T& back() const noexcept { return (*this)[size_ - 1]; }

  void reserve(size_type n) {
    if (n <= capacity_) return;
    T* fresh = static_cast<T*>(::operator new (n * sizeof(T), std::align_val_t{alignof(T)}));
    const std::uint32_t size = size_;
    if (size != 0) std::memcpy(static_cast<void*>(fresh), data(), size * sizeof(T));
    release();
    heap_ = fresh;
    capacity_ = static_cast<std::uint32_t>(n);
    size_ = size;
  }
  void clear() noexcept { size_ = 0; }
  void resize(size_type n) { resize(n, T{}); }
  void resize(size_type n, const T& value) {
    reserve(n);
    for (size_type i = size_; i < n; ++i) data()[i] = value;
    size_ = static_cast<std::uint32_t>(n);
  }
  void assign(size_type n, const T& value) {
    clear();
    resize(n, value);
  }
  template <std::input_iterator It>
  void assign(It first, It last) {
    clear();
    if constexpr (std::forward_iterator<It>)
      reserve(static_cast<size_type>(std::distance(first, last)));
    for (; first != last; ++first) push_back(*first);
  }
  void push_back(const T& value) {
    if (size_ == capacity_) {
      const T copy = value;  // value may live in this vector
      reserve(2 * capacity_);
      data()[size_++] = copy;
      return;
    }
    data()[size_++] = value;
  }
  template <class... Args>
  T& emplace_back(Args&&... args) {
    push_back(T(std::forward<Args>(args)...));
    return back();
  }
  void pop_back() noexcept {
    assert(size_ > 0);
    --size_;
  }
  iterator insert(const_iterator pos, const T& value) { return insert(pos, &value, &value + 1); }
  template <std::forward_iterator It>
  iterator insert(const_iterator pos, It first, It last) {
    const auto at = static_cast<size_type>(pos - begin());
    const auto count = static_cast<size_type>(std::distance(first, last));
    SmallVector tail(begin() + at, end());  // first..last may point into this vector
    SmallVector ins(first, last);
    reserve(size_ + count);
    std::copy(ins.begin(), ins.end(), begin() + at);
    std::copy(tail.begin(), tail.end(), begin() + at + count);
    size_ = static_cast<std::uint32_t>(size_ + count);
    return begin() + at;
  }
  iterator erase(const_iterator pos) { return erase(pos, pos + 1); }
  iterator erase(const_iterator first, const_iterator last) {
    T* f = begin() + (first - cbegin());
    T* l = begin() + (last - cbegin());
    T* e = std::copy(l, end(), f);
    size_ = static_cast<std::uint32_t>(e - begin());
    return f;
  }

  friend bool operator==(const SmallVector& a, const SmallVector& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }
  friend bool operator==(const SmallVector& a, const std::vector<T>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
  }

 private:
  bool is_inline() const noexcept { return capacity_ == N; }
  T* local() noexcept { return std::launder(reinterpret_cast<T*>(storage_)); }
  const T* local() const noexcept { return std::launder(reinterpret_cast<const T*>(storage_)); }

  void release() noexcept {
    if (!is_inline()) ::operator delete (heap_, std::align_val_t{alignof(T)});
    capacity_ = N;
    size_ = 0;
  }
  // Copies o's elements; the inline case is one fixed-size copy (the common one: a program is
  // copied op by op while it is planned).
  void copy_from(const SmallVector& o) {
    if (o.size_ <= capacity_) {
      if (is_inline() && o.is_inline())
        std::memcpy(storage_, o.storage_, sizeof storage_);
      else if (o.size_ != 0)
        std::memmove(static_cast<void*>(data()), o.data(), o.size_ * sizeof(T));
      size_ = o.size_;
      return;
    }
    assign(o.begin(), o.end());
  }
  // Takes o's elements; o is left empty (inline). This vector must hold no heap block.
  void steal(SmallVector& o) noexcept {
    if (o.is_inline()) {
      std::memcpy(storage_, o.storage_, sizeof storage_);
    } else {
      heap_ = o.heap_;
      capacity_ = o.capacity_;
      o.capacity_ = N;
    }
    size_ = o.size_;
    o.size_ = 0;
  }

  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = N;
  union {
    T* heap_;
    alignas(T) std::byte storage_[N * sizeof(T)];
  };
};

}  // namespace qstate
