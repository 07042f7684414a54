// ZeroedArray: a large, fixed-size array of plain values that starts all zero.
//
// Big arrays come straight from the kernel's zero pages (an anonymous
// mapping): nothing is written up front and each page is first touched by
// whichever thread uses it (the histogram and accumulator are hundreds of
// megabytes at 1080p, and zero-filling them serially cost more than
// plotting). On Linux they also ask for transparent huge pages: random adds
// all over a histogram of tens of megabytes otherwise miss the TLB on almost
// every sample. Small arrays use calloc.
// Move-only. Not thread-safe as an object; distinct elements may be written
// from different threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif
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
  explicit ZeroedArray(size_t size) : size_(size) {
    if (size > SIZE_MAX / sizeof(T)) throw std::bad_alloc();
#if defined(__linux__)
    if (size * sizeof(T) >= kMappedBytes) {
      mapped_bytes_ = (size * sizeof(T) + kHugePage - 1) / kHugePage * kHugePage;
      void* p =
          mmap(nullptr, mapped_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) throw std::bad_alloc();
      madvise(p, mapped_bytes_, MADV_HUGEPAGE);  // advice only: failure is harmless
      data_ = static_cast<T*>(p);
      return;
    }
#endif
    data_ = static_cast<T*>(std::calloc(size == 0 ? 1 : size, sizeof(T)));
    if (data_ == nullptr) throw std::bad_alloc();
  }
  ZeroedArray(ZeroedArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        mapped_bytes_(std::exchange(other.mapped_bytes_, 0)) {}
  ZeroedArray& operator=(ZeroedArray&& other) noexcept {
    if (this != &other) {
      Free();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      mapped_bytes_ = std::exchange(other.mapped_bytes_, 0);
    }
    return *this;
  }
  ZeroedArray(const ZeroedArray&) = delete;
  ZeroedArray& operator=(const ZeroedArray&) = delete;
  ~ZeroedArray() { Free(); }

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
  // Mapped (and huge-paged) from here: a 4 KiB page fault costs microseconds
  // on virtual machines, and one 2 MiB page replaces 512 of them, so even a
  // 1 MiB array is cheaper in a whole huge page (the rest stays unused).
  static constexpr size_t kMappedBytes = size_t{1} << 20;
  static constexpr size_t kHugePage = size_t{2} << 20;

  void Free() {
#if defined(__linux__)
    if (mapped_bytes_ != 0) {
      munmap(data_, mapped_bytes_);
      return;
    }
#endif
    std::free(data_);
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t mapped_bytes_ = 0;  // nonzero: data_ is an anonymous mapping of this size
};

}  // namespace flamegrid
