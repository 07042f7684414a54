#include "renderer/render/density_filter.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "renderer/render/weighted_rows.h"

namespace flamegrid {
namespace {

int FloorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
int CeilDiv(int a, int b) { return -FloorDiv(-a, b); }

// A density disc as a dense square of weights, offsets -reach..reach.
struct Disc {
  int reach = 0;
  std::vector<double> weights;  // (2 reach + 1)^2, row-major

  double at(int i, int j) const {
    const int side = 2 * reach + 1;
    return weights[static_cast<size_t>(j + reach) * side + (i + reach)];
  }
};

int DiscCount(const DensityKernels& kernels) {
  return kernels.enabled() ? kernels.kernel_count() : 1;
}

// With the estimator off every cell keeps its colour: a one-cell disc.
Disc DiscOf(const DensityKernels& kernels, int index) {
  Disc disc;
  if (!kernels.enabled()) {
    disc.weights = {1.0};
    return disc;
  }
  disc.reach = kernels.KernelReach(index);
  const int side = 2 * disc.reach + 1;
  disc.weights.resize(static_cast<size_t>(side) * side);
  for (int j = -disc.reach; j <= disc.reach; ++j) {
    for (int i = -disc.reach; i <= disc.reach; ++i) {
      const int ai = std::abs(i), aj = std::abs(j);
      disc.weights[static_cast<size_t>(j + disc.reach) * side + (i + disc.reach)] =
          kernels.Coefficient(index, std::max(ai, aj), std::min(ai, aj));
    }
  }
  return disc;
}

// The output pixels, relative to the cell's own, that a cell at `phase`
// inside its pixel can reach through a disc of `reach` and a filter `width`
// cells wide: the filter window of pixel m starts at cell m * ss.
struct PixelRange {
  int first, last;
  int size() const { return last - first + 1; }
};
PixelRange ReachedPixels(int phase, int reach, int width, int ss) {
  return {CeilDiv(phase - reach - width + 1, ss), FloorDiv(phase + reach, ss)};
}

// One disc's composed kernels, every phase.
struct ComposedDisc {
  std::vector<int> phase_first_row;   // [phase_y * ss + phase_x]
  std::vector<uint32_t> phase_rows;   // rows per phase
  std::vector<int> row_first_column;  // rows of all phases, in phase order
  std::vector<int> row_columns;
  std::vector<uint32_t> row_first_value;  // from the disc's first value
  int reach = 0;
};

// The pixels a disc of `reach` reaches along one axis, summed over the
// phases of that axis.
size_t PixelsAcross(int reach, int width, int ss) {
  size_t pixels = 0;
  for (int phase = 0; phase < ss; ++phase) {
    pixels += static_cast<size_t>(ReachedPixels(phase, reach, width, ss).size());
  }
  return pixels;
}

// The most floats a disc of `reach` composes to, over all its phases (4 per
// weight; rows and columns before trimming).
size_t DiscValueBound(int reach, int width, int ss) {
  const size_t across = PixelsAcross(reach, width, ss);
  return across * across * 4;
}

// Composes `disc` with the filter for every phase; the weights go to
// `values` (room for DiscValueBound floats).
ComposedDisc Compose(const Disc& disc, std::span<const double> taps, int ss, float* values) {
  size_t value_count = 0;
  const int r = disc.reach;
  const int side = 2 * r + 1;
  const int width = static_cast<int>(taps.size());
  ComposedDisc out;
  out.phase_first_row.resize(static_cast<size_t>(ss) * ss);
  out.phase_rows.resize(static_cast<size_t>(ss) * ss);
  std::vector<double> across, composed;
  for (int py = 0; py < ss; ++py) {
    const PixelRange ry = ReachedPixels(py, r, width, ss);
    for (int px = 0; px < ss; ++px) {
      const PixelRange rx = ReachedPixels(px, r, width, ss);
      // The filter across: across[j][m] sums the disc's row j into pixel column m.
      across.assign(static_cast<size_t>(side) * rx.size(), 0.0);
      for (int j = -r; j <= r; ++j) {
        double* row = &across[static_cast<size_t>(j + r) * rx.size()];
        for (int i = -r; i <= r; ++i) {
          const double w = disc.at(i, j);
          if (w == 0.0) continue;
          const int s = px + i;
          for (int m = CeilDiv(s - width + 1, ss); m <= FloorDiv(s, ss); ++m) {
            row[m - rx.first] += w * taps[s - m * ss];
          }
        }
      }
      // Then down: each disc row j adds into the pixel rows its filter taps reach.
      composed.assign(static_cast<size_t>(ry.size()) * rx.size(), 0.0);
      for (int j = -r; j <= r; ++j) {
        const double* source = &across[static_cast<size_t>(j + r) * rx.size()];
        const int s = py + j;
        for (int m = CeilDiv(s - width + 1, ss); m <= FloorDiv(s, ss); ++m) {
          const double tap = taps[s - m * ss];
          if (tap == 0.0) continue;
          double* row = &composed[static_cast<size_t>(m - ry.first) * rx.size()];
          for (int k = 0; k < rx.size(); ++k) row[k] += tap * source[k];
        }
      }
      // Keep the rows and columns that have weight.
      const size_t phase = static_cast<size_t>(py) * ss + px;
      int first_row = -1, last_row = -2;
      for (int m = 0; m < ry.size(); ++m) {
        for (int k = 0; k < rx.size(); ++k) {
          if (composed[static_cast<size_t>(m) * rx.size() + k] != 0.0) {
            if (first_row < 0) first_row = m;
            last_row = m;
            break;
          }
        }
      }
      out.phase_first_row[phase] = ry.first + std::max(first_row, 0);
      out.phase_rows[phase] = static_cast<uint32_t>(last_row - first_row + 1);
      for (int m = std::max(first_row, 0); m <= last_row; ++m) {
        const double* row = &composed[static_cast<size_t>(m) * rx.size()];
        int first = 0, last = rx.size() - 1;
        while (first <= last && row[first] == 0.0) ++first;
        while (last >= first && row[last] == 0.0) --last;
        out.row_first_column.push_back(rx.first + first);
        out.row_columns.push_back(last - first + 1);
        out.row_first_value.push_back(static_cast<uint32_t>(value_count));
        for (int k = first; k <= last; ++k) {
          for (int channel = 0; channel < 4; ++channel) {
            values[value_count++] = static_cast<float>(row[k]);
          }
        }
        if (last >= first) {
          out.reach = std::max({out.reach, std::abs(rx.first + first), std::abs(rx.first + last),
                                std::abs(ry.first + m)});
        }
      }
    }
  }
  return out;
}

}  // namespace

uint64_t DensityFilter::EstimateBytes(const DensityKernels& kernels,
                                      std::span<const double> filter_taps, int supersample) {
  const int width = static_cast<int>(filter_taps.size());
  uint64_t bytes = 0;
  for (int d = 0; d < DiscCount(kernels); ++d) {
    const int reach = kernels.enabled() ? kernels.KernelReach(d) : 0;
    bytes += DiscValueBound(reach, width, supersample) * sizeof(float) +
             PixelsAcross(reach, width, supersample) * supersample * sizeof(KernelRow) +
             static_cast<uint64_t>(supersample) * supersample * sizeof(PhaseKernel);
  }
  return bytes;
}

Result<DensityFilter> DensityFilter::Create(const DensityKernels& kernels,
                                            std::span<const double> filter_taps, int supersample) {
  if (supersample < 1 || filter_taps.empty()) {
    return Status::InvalidArgument("density filter needs supersample >= 1 and a filter");
  }
  const uint64_t bytes = EstimateBytes(kernels, filter_taps, supersample);
  if (bytes > kMaxBytes) {
    return Status::ResourceExhausted("composed density filter would take " + std::to_string(bytes) +
                                     " bytes");
  }
  DensityFilter filter;
  filter.supersample_ = supersample;
  filter.disc_count_ = DiscCount(kernels);
  // Each disc composes straight into its own stretch of one array (sized by
  // the untrimmed bound, so that no copy and no regrowth touches fresh pages).
  const int width = static_cast<int>(filter_taps.size());
  std::vector<size_t> first_value(static_cast<size_t>(filter.disc_count_) + 1, 0);
  for (int d = 0; d < filter.disc_count_; ++d) {
    const int reach = kernels.enabled() ? kernels.KernelReach(d) : 0;
    first_value[d + 1] = first_value[d] + DiscValueBound(reach, width, supersample);
  }
  filter.values_ = ZeroedArray<float>(first_value.back());
  std::vector<ComposedDisc> discs(static_cast<size_t>(filter.disc_count_));
  tbb::parallel_for(0, filter.disc_count_, [&](int d) {
    discs[d] = Compose(DiscOf(kernels, d), filter_taps, supersample,
                       filter.values_.data() + first_value[d]);
  });
  const size_t phases = static_cast<size_t>(supersample) * supersample;
  filter.phase_kernels_.reserve(discs.size() * phases);
  for (size_t d = 0; d < discs.size(); ++d) {
    const ComposedDisc& disc = discs[d];
    const uint32_t value_base = static_cast<uint32_t>(first_value[d]);
    size_t row = 0;
    for (size_t phase = 0; phase < phases; ++phase) {
      PhaseKernel kernel;
      kernel.first_row = disc.phase_first_row[phase];
      kernel.first_row_index = static_cast<uint32_t>(filter.rows_.size());
      kernel.row_count = disc.phase_rows[phase];
      kernel.first_column = std::numeric_limits<int>::max();
      kernel.end_column = std::numeric_limits<int>::min();
      for (uint32_t k = 0; k < kernel.row_count; ++k, ++row) {
        filter.rows_.push_back({disc.row_first_column[row], disc.row_columns[row],
                                value_base + disc.row_first_value[row]});
        kernel.first_column = std::min(kernel.first_column, disc.row_first_column[row]);
        kernel.end_column =
            std::max(kernel.end_column, disc.row_first_column[row] + disc.row_columns[row]);
      }
      if (kernel.row_count == 0) kernel.first_column = kernel.end_column = 0;
      filter.phase_kernels_.push_back(kernel);
    }
    filter.reach_ = std::max(filter.reach_, disc.reach);
  }
  return filter;
}

uint64_t DensityFilter::MemoryBytes() const {
  return phase_kernels_.size() * sizeof(PhaseKernel) + rows_.size() * sizeof(KernelRow) +
         values_.size() * sizeof(float);
}

Status DensityFilter::Apply(const Histogram& histogram, const DensityKernels& kernels,
                            const LogScale& scale, int filter_offset, std::span<float> pixels,
                            int width, int height, const std::atomic<bool>* cancel) const {
  if (DiscCount(kernels) != disc_count_) {
    return Status::InvalidArgument("density filter was built for other density kernels");
  }
  if (width < 1 || height < 1 ||
      pixels.size() != static_cast<size_t>(width) * static_cast<size_t>(height) * 4) {
    return Status::InvalidArgument("density filter output is not width x height pixels");
  }
  const int ss = supersample_;
  const bool estimate = kernels.enabled();
  const HitWindow window(ss);
  const int border = estimate ? window.border : 0;
  const int hist_width = histogram.width();
  const int hist_height = histogram.height();
  // A cell reaches reach_ pixels up or down, so two bands of cells with
  // (2 reach + 1) pixels of cells between them write disjoint pixel rows.
  // Thin bands are dealt in `phases` rounds (band b in round b % phases),
  // each round's bands far enough apart to run at once: a fixed order of
  // float adds, and many bands per round to share between threads (sparse
  // and dense rows cost very different amounts).
  const int band_height = std::max(16, ss);
  const int phases = 1 + ((2 * reach_ + 1) * ss - 1 + band_height - 1) / band_height;
  const int first_row = border, end_row = hist_height - border;
  const int bands = (std::max(0, end_row - first_row) + band_height - 1) / band_height;

  auto run_band = [&](int band) {
    std::vector<WeightedRow> splat_rows;
    std::vector<uint64_t> column_density(estimate ? hist_width : 0);
    std::vector<uint64_t> window_density(estimate ? hist_width : 0);
    const int y_begin = first_row + band * band_height;
    const int y_end = std::min(end_row, y_begin + band_height);
    for (int y = y_begin; y < y_end; ++y) {
      const int v = y - filter_offset;
      const int pixel_y = FloorDiv(v, ss);
      const int phase_y = v - pixel_y * ss;
      if (pixel_y + reach_ < 0 || pixel_y - reach_ >= height) continue;
      if (estimate) WindowDensities(histogram, window, y, column_density, window_density);
      for (int x = border; x < hist_width - border; ++x) {
        const HistogramCell& cell = histogram.at(x, y);
        if (cell.color[3] == 0 || (estimate && cell.density == 0)) continue;
        const int disc = estimate ? kernels.KernelIndexForWindow(window_density[x], window) : 0;
        const double factor = LogScaleFactor(scale, cell.color[3]);
        float base[4];
        for (int c = 0; c < 4; ++c) base[c] = static_cast<float>(cell.color[c] * factor);
        const int u = x - filter_offset;
        const int pixel_x = FloorDiv(u, ss);
        const int phase_x = u - pixel_x * ss;
        const PhaseKernel& kernel =
            phase_kernels_[(static_cast<size_t>(disc) * ss + phase_y) * ss + phase_x];
        if (kernel.row_count == 0) continue;  // every weight of this phase is zero
        const int top = pixel_y + kernel.first_row;
        if (top >= 0 && top + static_cast<int>(kernel.row_count) <= height &&
            pixel_x + kernel.first_column >= 0 && pixel_x + kernel.end_column <= width) {
          // Inside the picture (most cells): no clipping, row by row in SIMD.
          AddWeightedKernel(&pixels[(static_cast<size_t>(top) * width + pixel_x) * 4],
                            static_cast<size_t>(width) * 4, &rows_[kernel.first_row_index],
                            kernel.row_count, values_.data(), base);
          continue;
        }
        splat_rows.clear();
        for (uint32_t k = 0; k < kernel.row_count; ++k) {
          const int out_y = pixel_y + kernel.first_row + static_cast<int>(k);
          if (out_y < 0) continue;
          if (out_y >= height) break;
          const KernelRow& row = rows_[kernel.first_row_index + k];
          const int x0 = pixel_x + row.first_column;
          const int lo = std::max(0, x0);
          const int hi = std::min(width, x0 + row.columns);
          if (lo >= hi) continue;
          splat_rows.push_back({&pixels[(static_cast<size_t>(out_y) * width + lo) * 4],
                                &values_[row.first_value + 4 * static_cast<size_t>(lo - x0)],
                                4 * static_cast<size_t>(hi - lo)});
        }
        if (!splat_rows.empty()) AddWeightedRows(splat_rows, base);
      }
    }
  };

  for (int phase = 0; phase < phases; ++phase) {
    const int count = (bands - phase + phases - 1) / phases;
    tbb::parallel_for(0, count, [&](int k) {
      if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) return;
      run_band(k * phases + phase);
    });
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
      return Status::Cancelled("render cancelled during density estimation");
    }
  }
  return Status::Ok();
}

}  // namespace flamegrid
