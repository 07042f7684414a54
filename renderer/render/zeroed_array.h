// ZeroedArray: a large, fixed-size array of plain values that starts all zero.
//
// Allocated with calloc, so big arrays come straight from the kernel's zero
// pages: nothing is written up front and each page is first touched by
// whichever thread uses it (the histogram and accumulator are hundreds of
// megabytes at 1080p, and zero-filling them serially cost more than plotting).
// Move-only. Not thread-safe as an object; distinct elements may be written
// from different threads.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>
#include <span>
#include <type_traits>
#include <utility>

namespace flamegrid {

template <typename T>
class ZeroedArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "ZeroedArray holds plain values whose all-zero bytes are a valid zero");

 public:
  ZeroedArray() = default;
  explicit ZeroedArray(size_t size)
      : data_(static_cast<T*>(std::calloc(size == 0 ? 1 : size, sizeof(T)))), size_(size) {
    if (data_ == nullptr) throw std::bad_alloc();
  }
  ZeroedArray(ZeroedArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  ZeroedArray& operator=(ZeroedArray&& other) noexcept {
    if (this != &other) {
      std::free(data_);
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  ZeroedArray(const ZeroedArray&) = delete;
  ZeroedArray& operator=(const ZeroedArray&) = delete;
  ~ZeroedArray() { std::free(data_); }

  size_t size() const { return size_; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  std::span<T> span() { return {data_, size_}; }
  std::span<const T> span() const { return {data_, size_}; }

  // Frees the memory now; the array becomes empty.
  void Release() { *this = ZeroedArray(); }

 private:
  T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace flamegrid
