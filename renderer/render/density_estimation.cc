#include "renderer/render/density_estimation.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "renderer/render/spatial_filter.h"
#include "renderer/render/weighted_rows.h"

namespace flamegrid {
namespace {

// Below this many hits every integer count has its own kernel; above it the
// kernels are spaced along hits^curve to keep their number small (flam3's DE_THRESH).
constexpr int kDenseThreshold = 100;
constexpr double kMaxKernelBytes = 512.0 * 1024 * 1024;

// How many offsets of the full disc the octant entry (outer, inner) stands
// for: the centre, the axes and diagonals, or the rest.
int OffsetCopies(int outer, int inner) {
  if (outer == 0) return 1;
  return (inner == 0 || inner == outer) ? 4 : 8;
}

}  // namespace

Result<DensityKernels> DensityKernels::Create(double radius, double minimum, double curve,
                                              int supersample) {
  DensityKernels de;
  if (!std::isfinite(radius) || !std::isfinite(minimum) || !std::isfinite(curve)) {
    return Status::InvalidArgument("estimator parameters must be finite");
  }
  if (radius < 0.0 || minimum < 0.0) {
    return Status::InvalidArgument("estimator_radius and estimator_minimum must be >= 0");
  }
  if (radius == 0.0) return de;
  if (curve <= 0.0) {
    return Status::InvalidArgument("estimator_curve must be > 0, not " + std::to_string(curve));
  }
  if (radius < minimum) {
    return Status::InvalidArgument("estimator_radius " + std::to_string(radius) +
                                   " is smaller than estimator_minimum " + std::to_string(minimum));
  }
  // Radii in cells; the +1 is the distance to the first neighbouring cell.
  const double widest = radius * supersample + 1.0;
  const double narrowest = minimum * supersample + 1.0;
  const double needed = std::pow(widest / narrowest, 1.0 / curve);
  if (needed > 1e7) {
    return Status::InvalidArgument("estimator settings need too many kernels (" +
                                   std::to_string(needed) + ")");
  }
  const int kernels_needed = static_cast<int>(std::ceil(needed));
  int kernel_count;
  if (kernels_needed > kDenseThreshold) {
    kernel_count = static_cast<int>(std::ceil(kDenseThreshold +
                                              std::pow(kernels_needed - kDenseThreshold, curve))) +
                   1;
    de.max_filtered_hits_ = static_cast<int>(std::pow(
                                static_cast<double>(kernel_count - kDenseThreshold), 1.0 / curve)) +
                            kDenseThreshold;
  } else {
    kernel_count = kernels_needed;
    de.max_filtered_hits_ = kernel_count;
  }
  const int row = static_cast<int>(2.0 * std::ceil(widest) - 1.0);
  de.half_size_ = (row - 1) / 2;
  de.kernel_size_ = (de.half_size_ + 1) * (de.half_size_ + 2) / 2;
  if (static_cast<double>(de.kernel_size_) * kernel_count * sizeof(double) > kMaxKernelBytes) {
    return Status::ResourceExhausted("density estimator kernels for radius " +
                                     std::to_string(radius) + " would exceed 512 MiB");
  }
  de.curve_ = curve;

  de.coefficients_ = ZeroedArray<double>(static_cast<size_t>(de.kernel_size_) * kernel_count);
  const double support = FilterSupport(FilterShape::kGaussian);
  for (int k = 0; k < kernel_count; ++k) {
    double effective_hits = k;
    if (k >= kDenseThreshold) {
      effective_hits = std::pow(k - kDenseThreshold, 1.0 / curve) + kDenseThreshold;
    }
    double width = widest / std::pow(effective_hits + 1.0, curve);
    if (width <= narrowest) {
      width = narrowest;
      de.max_index_ = k;
    }
    de.widths_.push_back(width);

    // The disc is symmetric: one octant of values, summed with the number
    // of offsets each stands for.
    double* const kernel = &de.coefficients_[static_cast<size_t>(k) * de.kernel_size_];
    size_t i = 0;
    double sum = 0.0;
    for (int outer = 0; outer <= de.half_size_; ++outer) {
      for (int inner = 0; inner <= outer; ++inner) {
        const double d = std::sqrt(static_cast<double>(outer * outer + inner * inner)) / width;
        const double value = d > 1.0 ? 0.0 : FilterValue(FilterShape::kGaussian, support * d);
        kernel[i++] = value;
        sum += value * OffsetCopies(outer, inner);
      }
    }
    for (i = 0; i < static_cast<size_t>(de.kernel_size_); ++i) kernel[i] /= sum;
    if (de.max_index_ > 0) break;
  }
  if (de.max_index_ == 0) de.max_index_ = kernel_count - 1;
  return de;
}

namespace {

// The kernels as rows of float coefficients, for spreading a cell along
// contiguous accumulator rows. Kernel k's row dy (-reach..reach) is
// half[first_row[k] + dy + reach]: the row holds the coefficients of dx in
// -half..half (half < 0: an empty row), each four times (once per channel),
// from values[start[...]]. Built by the two-pass path only.
struct SplatRows {
  std::vector<size_t> first_row;
  std::vector<int> half;
  std::vector<size_t> start;
  std::vector<float> values;
};

SplatRows BuildSplatRows(const DensityKernels& kernels) {
  SplatRows rows;
  for (int k = 0; k < kernels.kernel_count(); ++k) {
    const int reach = kernels.KernelReach(k);
    rows.first_row.push_back(rows.half.size());
    for (int dy = -reach; dy <= reach; ++dy) {
      const int ady = std::abs(dy);
      int half = -1;
      for (int dx = 0; dx <= reach; ++dx) {
        if (kernels.Coefficient(k, std::max(dx, ady), std::min(dx, ady)) != 0.0) half = dx;
      }
      rows.half.push_back(half);
      rows.start.push_back(rows.values.size());
      for (int dx = -half; dx <= half; ++dx) {
        const int adx = std::abs(dx);
        const float c =
            static_cast<float>(kernels.Coefficient(k, std::max(adx, ady), std::min(adx, ady)));
        for (int channel = 0; channel < 4; ++channel) rows.values.push_back(c);
      }
    }
  }
  return rows;
}

}  // namespace

uint64_t DensityKernels::MemoryBytes() const {
  uint64_t rows = 0;  // the two-pass path's SplatRows, at most
  for (int k = 0; k < kernel_count(); ++k) {
    const uint64_t side = 2 * static_cast<uint64_t>(KernelReach(k)) + 1;
    rows += side * side * 4 * sizeof(float) + side * (sizeof(int) + sizeof(size_t));
  }
  return (coefficients_.size() + widths_.size()) * sizeof(double) + rows;
}

void WindowDensities(const Histogram& histogram, const HitWindow& window, int y,
                     std::vector<uint64_t>& column_density, std::vector<uint64_t>& window_density) {
  const int width = histogram.width();
  for (int x = 0; x < width; ++x) {
    uint64_t sum = 0;
    for (int wy = -window.half; wy <= window.half; ++wy) sum += histogram.at(x, y + wy).density;
    column_density[x] = sum;
  }
  const int first = window.border, end = width - window.border;
  if (first >= end) return;
  uint64_t sum = 0;
  for (int x = first - window.half; x <= first + window.half; ++x) sum += column_density[x];
  for (int x = first; x < end; ++x) {
    window_density[x] = sum;
    if (x + 1 < end) sum += column_density[x + window.half + 1] - column_density[x - window.half];
  }
}

int DensityKernels::max_reach() const {
  if (!enabled()) return 0;
  return KernelReach(0);
}

int DensityKernels::KernelIndexFor(double hits) const {
  int index;
  if (hits > max_filtered_hits_) {
    index = max_index_;
  } else if (hits <= kDenseThreshold) {
    index = static_cast<int>(std::ceil(hits)) - 1;
  } else {
    index =
        kDenseThreshold + static_cast<int>(std::floor(std::pow(hits - kDenseThreshold, curve_)));
  }
  return std::clamp(index, 0, max_index_);
}

double DensityKernels::Coefficient(int index, int outer, int inner) const {
  return coefficients_[static_cast<size_t>(index) * kernel_size_ + outer * (outer + 1) / 2 + inner];
}

double DensityKernels::KernelSum(int index) const {
  double sum = 0.0;
  for (int outer = 0; outer <= half_size_; ++outer) {
    for (int inner = 0; inner <= outer; ++inner) {
      sum += Coefficient(index, outer, inner) * OffsetCopies(outer, inner);
    }
  }
  return sum;
}

void ApplyLogScale(const Histogram& histogram, const LogScale& scale, std::span<AccumCell> accum) {
  const int width = histogram.width();
  tbb::parallel_for(0, histogram.height(), [&](int y) {
    for (int x = 0; x < width; ++x) {
      const HistogramCell& cell = histogram.at(x, y);
      if (cell.color[3] == 0) continue;
      const double factor = LogScaleFactor(scale, cell.color[3]);
      AccumCell& out = accum[static_cast<size_t>(y) * width + x];
      for (int c = 0; c < 4; ++c) out.value[c] += static_cast<float>(cell.color[c] * factor);
    }
  });
}

Status DensityKernels::Apply(const Histogram& histogram, const LogScale& scale, int supersample,
                             std::span<AccumCell> accum, const std::atomic<bool>* cancel) const {
  if (!enabled()) {
    ApplyLogScale(histogram, scale, accum);
    return Status::Ok();
  }
  const int width = histogram.width();
  const int height = histogram.height();
  const HitWindow window(supersample);
  const int border = window.border;
  const int first_row = border, end_row = height - border;
  const int reach = max_reach();
  // Bands at least twice the reach apart write disjoint rows, so all even
  // bands can run at once, then all odd ones: a fixed order of float adds.
  const int band_height = std::max(2 * reach, 16);
  const int rows = std::max(0, end_row - first_row);
  const int bands = (rows + band_height - 1) / band_height;

  const SplatRows kernel_rows = BuildSplatRows(*this);

  auto run_band = [&](int band) {
    std::vector<WeightedRow> splat_rows;
    splat_rows.reserve(2 * static_cast<size_t>(reach) + 1);
    std::vector<uint64_t> column_density(width), window_density(width);
    const int y_begin = first_row + band * band_height;
    const int y_end = std::min(end_row, y_begin + band_height);
    for (int y = y_begin; y < y_end; ++y) {
      WindowDensities(histogram, window, y, column_density, window_density);
      for (int x = border; x < width - border; ++x) {
        const HistogramCell& cell = histogram.at(x, y);
        if (cell.density == 0 || cell.color[3] == 0) continue;
        const int index = KernelIndexForWindow(window_density[x], window);
        const int kernel_reach = KernelReach(index);
        const double factor = LogScaleFactor(scale, cell.color[3]);
        float base[4];
        for (int c = 0; c < 4; ++c) base[c] = static_cast<float>(cell.color[c] * factor);
        const size_t kernel_first_row = kernel_rows.first_row[index];
        const int dy_begin = std::max(-kernel_reach, -y);
        const int dy_end = std::min(kernel_reach, height - 1 - y);
        splat_rows.clear();
        for (int dy = dy_begin; dy <= dy_end; ++dy) {
          const size_t r = kernel_first_row + static_cast<size_t>(dy + kernel_reach);
          const int half = kernel_rows.half[r];
          if (half < 0) continue;
          const int lo = std::max(-half, -x);
          const int hi = std::min(half, width - 1 - x);
          // Weights of dx = lo..hi, four copies each.
          const float* k =
              &kernel_rows.values[kernel_rows.start[r] + 4 * static_cast<size_t>(lo + half)];
          AccumCell* out = &accum[static_cast<size_t>(y + dy) * width + x + lo];
          splat_rows.push_back({out->value, k, 4 * static_cast<size_t>(hi - lo + 1)});
        }
        AddWeightedRows(splat_rows, base);
      }
    }
  };

  for (int parity = 0; parity < 2; ++parity) {
    const int count = (bands - parity + 1) / 2;
    tbb::parallel_for(0, count, [&](int k) {
      if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) return;
      run_band(2 * k + parity);
    });
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
      return Status::Cancelled("render cancelled during density estimation");
    }
  }
  return Status::Ok();
}

}  // namespace flamegrid
