// DensityFilter: density estimation and the spatial filter in one pass, from
// histogram cells straight to output pixels.
//
// Both steps are linear in a cell's log-scaled colour: density estimation
// spreads the cell over its neighbours with one of DensityKernels' discs, and
// the spatial filter then averages those supersampled cells into output
// pixels. Composing the two once per render gives, for each disc and each
// position of a cell inside its output pixel (its phase: supersample² of
// them), one kernel that takes the cell straight to output pixels. A
// single-hit cell at supersample 4 and estimator radius 11 reaches about 3,600
// supersampled cells but only about 300 output pixels, and the histogram-sized
// accumulator (16 bytes a cell, zeroed page by page by the kernel) is never
// made. The sums are the same as the two passes' up to float rounding.
//
// Early clip tone-maps supersampled cells between the two steps, so it keeps
// the two-pass path (DensityKernels::Apply, then the filter); so does a filter
// so wide that the composed kernels would not fit in kMaxBytes.
//
// Apply() works on thin horizontal bands of histogram rows in a fixed order
// of rounds (bands in one round never reach the same pixel row), so the
// float sums do not depend on the thread count.
// Immutable after Create(); thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

#include "renderer/base/status.h"
#include "renderer/render/density_estimation.h"
#include "renderer/render/histogram.h"
#include "renderer/render/weighted_rows.h"
#include "renderer/render/zeroed_array.h"

namespace flamegrid {

class DensityFilter {
 public:
  // Composed kernels larger than this are not built (Create fails with
  // kResourceExhausted and the caller keeps the two-pass path).
  static constexpr uint64_t kMaxBytes = uint64_t{256} << 20;

  // The composed kernels' size in bytes, without building them.
  static uint64_t EstimateBytes(const DensityKernels& kernels, std::span<const double> filter_taps,
                                int supersample);

  // `kernels` may be disabled (estimator radius 0): every cell then goes
  // through the filter alone. `filter_taps` are SpatialFilter::taps().
  static Result<DensityFilter> Create(const DensityKernels& kernels,
                                      std::span<const double> filter_taps, int supersample);

  uint64_t MemoryBytes() const;

  // Adds every histogram cell's log-scaled colour, spread and filtered, into
  // `pixels` (width x height cells of r, g, b, alpha; zeroed by the caller).
  // `kernels` must be the ones Create() was given. `filter_offset` is
  // Camera::filter_offset(): the histogram cell under the filter window's
  // corner for output pixel (0, 0). Returns kCancelled when `cancel` becomes
  // true.
  Status Apply(const Histogram& histogram, const DensityKernels& kernels, const LogScale& scale,
               int filter_offset, std::span<float> pixels, int width, int height,
               const std::atomic<bool>* cancel) const;

 private:
  // The composed kernel of one disc at one phase: rows_[first_row_index..]
  // for output rows first_row.. of the cell's pixel (each row's columns are
  // relative to the cell's pixel too), all within columns
  // first_column..end_column - 1.
  struct PhaseKernel {
    int first_row = 0;
    uint32_t first_row_index = 0;
    uint32_t row_count = 0;
    int first_column = 0;
    int end_column = 0;
  };

  int supersample_ = 1;
  int disc_count_ = 0;
  int reach_ = 0;  // farthest output row (or column) any cell reaches, in pixels
  std::vector<PhaseKernel> phase_kernels_;  // [(disc * ss + phase_y) * ss + phase_x]
  std::vector<KernelRow> rows_;             // 4 copies of each weight, from values_[first_value]
  ZeroedArray<float> values_;
};

}  // namespace flamegrid
