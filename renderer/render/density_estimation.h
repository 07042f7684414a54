// Density estimation: flam3 3.1's adaptive blur of the histogram, fused with
// the log-density scaling that produces the accumulator.
//
// Every cell's colour is scaled by k1 * log(1 + a * k2) / a (a: its alpha sum)
// and spread with a circular Gaussian whose radius shrinks with the number of
// hits around the cell: estimator_radius * supersample for a single hit, down
// to estimator_minimum, following hits^-estimator_curve. Kernels are built
// once per render (DensityKernels); Apply() works on horizontal bands in a
// fixed two-phase order, so the float sums are the same whatever the thread
// count. Apply() lays the kernels out as full rows of float coefficients (the
// disc, row by row) so that a cell spreads along contiguous accumulator rows
// with SIMD (weighted_rows.h). Apply() is the two-pass path (early clip);
// other renders spread and filter in one pass with DensityFilter.
// DensityKernels is immutable after Create(); thread-safe.
#pragma once

#include <atomic>
#include <cmath>
#include <span>
#include <vector>

#include "renderer/base/status.h"
#include "renderer/render/histogram.h"
#include "renderer/render/zeroed_array.h"

namespace flamegrid {

// The log-density constants (flam3's k1 and k2).
struct LogScale {
  double k1 = 1.0;
  double k2 = 1.0;
};

// flam3's log-density factor for a cell whose alpha sum is `alpha` (> 0):
// the cell's colour sums are multiplied by it.
inline double LogScaleFactor(const LogScale& scale, double alpha) {
  return scale.k1 * std::log1p(alpha * scale.k2) / alpha;
}

// The cells whose hits choose a cell's kernel: a supersample-wide square
// around it (supersample + 1 wide when even, its sum scaled back to the area
// of supersample x supersample cells).
struct HitWindow {
  explicit HitWindow(int supersample)
      : half(supersample / 2),
        border(supersample - 1),
        area_scale((supersample % 2 == 0) ? std::pow(supersample / (supersample + 1.0), 2.0)
                                          : 1.0) {}
  int half;
  int border;  // cells this close to the histogram's edge are not estimated
  double area_scale;
};

// Every cell's window sum along histogram row y: window_density[x] for each
// x at least window.border from the edges (row y must be as far from the top
// and bottom). Running sums over column sums, a few loads a cell instead of a
// whole window's; `column_density` is scratch. Both vectors hold the
// histogram's width.
void WindowDensities(const Histogram& histogram, const HitWindow& window, int y,
                     std::vector<uint64_t>& column_density, std::vector<uint64_t>& window_density);

// One accumulator cell: log-scaled r, g, b, alpha (flam3 keeps floats here too).
struct AccumCell {
  float value[4] = {0.0f, 0.0f, 0.0f, 0.0f};
};

class DensityKernels {
 public:
  // `radius` 0 (or a radius equal to the minimum) disables the estimator.
  static Result<DensityKernels> Create(double radius, double minimum, double curve,
                                       int supersample);

  bool enabled() const { return max_index_ > 0; }
  int max_index() const { return max_index_; }
  // The reach in cells of the widest kernel (0 when disabled).
  int max_reach() const;
  // Index of the kernel used for `hits` hits around a cell.
  int KernelIndexFor(double hits) const;
  // Index of the kernel for a cell whose window's densities sum to `density`.
  int KernelIndexForWindow(uint64_t density, const HitWindow& window) const {
    // Divided, then scaled: a whole number of hits stays whole at odd supersamples.
    return KernelIndexFor(static_cast<double>(density) / kWhiteLevel * window.area_scale);
  }
  // The reach in cells of kernel `index`: it covers offsets -reach..reach.
  int KernelReach(int index) const { return static_cast<int>(std::ceil(widths_[index])) - 1; }
  int kernel_count() const { return static_cast<int>(widths_.size()); }
  double KernelWidth(int index) const { return widths_[index]; }
  // Coefficient of kernel `index` at offset (dx, dy), 0 <= dy <= dx <= half_size.
  double Coefficient(int index, int dx, int dy) const;
  // Sum of kernel `index` over the whole disc (1 up to rounding).
  double KernelSum(int index) const;
  // The kernels, and the row form Apply() builds while it runs.
  uint64_t MemoryBytes() const;

  // Fills `accum` (histogram-sized, zeroed) from `histogram`. Returns
  // kCancelled when `cancel` becomes true.
  Status Apply(const Histogram& histogram, const LogScale& scale, int supersample,
               std::span<AccumCell> accum, const std::atomic<bool>* cancel) const;

 private:
  int half_size_ = 0;
  int kernel_size_ = 0;  // coefficients per kernel (one octant)
  int max_index_ = 0;
  double max_filtered_hits_ = 0.0;
  double curve_ = 1.0;
  std::vector<double> widths_;
  ZeroedArray<double> coefficients_;  // kernel_size_ per kernel, up to max_index_
};

// The log scaling alone, no blur (estimator off).
void ApplyLogScale(const Histogram& histogram, const LogScale& scale, std::span<AccumCell> accum);

}  // namespace flamegrid
