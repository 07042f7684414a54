#include "renderer/render/renderer.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "renderer/render/batch_iterator.h"
#include "renderer/render/camera.h"
#include "renderer/render/chaos_game.h"
#include "renderer/render/density_estimation.h"
#include "renderer/render/density_filter.h"
#include "renderer/render/histogram.h"
#include "renderer/render/histogram_plotter.h"
#include "renderer/render/spatial_filter.h"
#include "renderer/render/temporal_filter.h"
#include "renderer/render/tone_map.h"

namespace flamegrid {
namespace {

using Clock = std::chrono::steady_clock;

// More samples than this would run for days; treat it as an absurd genome.
constexpr double kMaxSamples = 1e12;
// flam3's k1 constant: 268/256 of the white level, a historical fudge.
constexpr double kBrightnessScale = kPrefilterWhite * 268.0 / 256.0;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

bool Cancelled(const RenderOptions& options) {
  return options.cancel != nullptr && options.cancel->load(std::memory_order_relaxed);
}

// A genome with flam3-render's qs and ss applied.
Result<Flame> ScaledFlame(const Flame& flame, const RenderOptions& options) {
  if (!std::isfinite(options.quality_scale) || !(options.quality_scale > 0.0)) {
    return Status::InvalidArgument("quality scale must be positive, not " +
                                   std::to_string(options.quality_scale));
  }
  if (!std::isfinite(options.size_scale) || !(options.size_scale > 0.0)) {
    return Status::InvalidArgument("size scale must be positive, not " +
                                   std::to_string(options.size_scale));
  }
  Flame scaled = flame;
  const double width = std::floor(flame.width * options.size_scale);
  const double height = std::floor(flame.height * options.size_scale);
  if (!(width >= 1.0 && height >= 1.0)) {
    return Status::InvalidArgument("image size " + std::to_string(flame.width) + "x" +
                                   std::to_string(flame.height) + " scaled by " +
                                   std::to_string(options.size_scale) + " has a dimension <= 0");
  }
  if (width > Camera::kMaxSide || height > Camera::kMaxSide) {
    return Status::InvalidArgument("image size " + std::to_string(width) + "x" +
                                   std::to_string(height) + " is too large");
  }
  scaled.width = static_cast<int>(width);
  scaled.height = static_cast<int>(height);
  scaled.pixels_per_unit *= options.size_scale;
  scaled.sample_density *= options.quality_scale;
  return scaled;
}

// Everything decided before any large allocation.
struct RenderPlan {
  Flame flame;  // the reference (middle) sample, scaled
  SpatialFilter filter;
  DensityKernels kernels;
  Camera camera;
  // Density estimation and the filter in one pass (DensityFilter), unless
  // early clip needs the supersampled cells or the composed kernels are too big.
  bool fused = false;
  double sample_density = 0.0;  // samples per output pixel
  uint64_t samples = 0;         // plotted samples over all temporal samples
  uint64_t memory_bytes = 0;
};

// Samples per chunk (each chunk has its own random stream).
int ChunkSamples(const RenderOptions& options) {
  return options.scalar_iterator ? kChunkSamples : kBatchChunkSamples;
}

int ThreadCount(const RenderOptions& options) {
  return options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
}

Result<RenderPlan> MakePlan(const Flame& reference, const RenderOptions& options) {
  RenderPlan plan;
  FG_ASSIGN_OR_RETURN(plan.flame, ScaledFlame(reference, options));
  const Flame& f = plan.flame;
  if (!std::isfinite(f.sample_density) || !(f.sample_density > 0.0)) {
    return Status::InvalidArgument("quality must be positive, not " +
                                   std::to_string(f.sample_density));
  }
  if (!std::isfinite(f.gamma) || !(f.gamma > 0.0) || !std::isfinite(f.gamma_threshold) ||
      !std::isfinite(f.vibrancy) || !std::isfinite(f.highlight_power) ||
      !std::isfinite(f.brightness) || !std::isfinite(f.contrast) || !(f.contrast > 0.0)) {
    return Status::InvalidArgument(
        "gamma and contrast must be positive; gamma_threshold, vibrancy, highlight_power and "
        "brightness finite");
  }
  if (f.supersample < 1 || f.supersample > 64) {
    return Status::InvalidArgument("supersample must be in 1..64, not " +
                                   std::to_string(f.supersample));
  }
  FG_ASSIGN_OR_RETURN(
      plan.filter, SpatialFilter::Create(f.filter_shape, f.spatial_filter_radius, f.supersample));
  FG_ASSIGN_OR_RETURN(plan.kernels, DensityKernels::Create(f.estimator_radius, f.estimator_minimum,
                                                           f.estimator_curve, f.supersample));
  FG_ASSIGN_OR_RETURN(plan.camera, Camera::Create(f, plan.filter.width(), f.estimator_radius));
  const double zoom_scale = std::pow(2.0, f.zoom);
  plan.sample_density = f.sample_density * zoom_scale * zoom_scale;
  const double samples = plan.sample_density * f.width * f.height;
  if (!std::isfinite(samples) || samples > kMaxSamples) {
    return Status::InvalidArgument("quality " + std::to_string(f.sample_density) + " at " +
                                   std::to_string(f.width) + "x" + std::to_string(f.height) +
                                   " asks for " + std::to_string(samples) + " samples");
  }
  plan.samples = static_cast<uint64_t>(std::llround(samples));

  const uint64_t cells = static_cast<uint64_t>(plan.camera.histogram_width()) *
                         static_cast<uint64_t>(plan.camera.histogram_height());
  const uint64_t pixels = static_cast<uint64_t>(f.width) * static_cast<uint64_t>(f.height);
  const uint64_t composed_bytes =
      DensityFilter::EstimateBytes(plan.kernels, plan.filter.taps(), f.supersample);
  plan.fused = !options.early_clip && composed_bytes <= DensityFilter::kMaxBytes;
  // Two passes: the histogram is freed before the output image is made.
  const uint64_t during_estimation =
      plan.fused ? cells * sizeof(HistogramCell) + pixels * 4 * sizeof(float) + composed_bytes
                 : cells * (sizeof(HistogramCell) + sizeof(AccumCell));
  const uint64_t during_filtering =
      plan.fused ? 0 : cells * sizeof(AccumCell) + pixels * 4 * sizeof(float);
  // Scalar: a chunk's points, its increments and their sorted copy. Batched:
  // one step's increments and the plotter's band buckets.
  const uint64_t buffered =
      options.scalar_iterator
          ? uint64_t{kChunkSamples} * (sizeof(IteratedPoint) + 2 * sizeof(CellIncrement))
          : (uint64_t{kBatchMaxWalkers} +
             uint64_t{HistogramPlotter::kMaxBands} * HistogramPlotter::kBucketCapacity) *
                sizeof(CellIncrement);
  const uint64_t per_thread = buffered + 256 * 1024;
  plan.memory_bytes = std::max(during_estimation, during_filtering) + plan.kernels.MemoryBytes() +
                      plan.filter.weights().size() * sizeof(double) +
                      static_cast<uint64_t>(ThreadCount(options)) * per_thread;
  return plan;
}

struct ThreadBuffers {
  std::vector<IteratedPoint> points;
  std::vector<CellIncrement> increments;
  PlotScratch plot;
};

struct SampleSetup {
  PreparedFlame prepared;
  std::optional<BatchIterator> batch;  // absent on the scalar path
  Camera camera;
  PlotPalette palette;
  uint64_t samples;
};

Status Iterate(const std::vector<SampleSetup>& setups, const RenderOptions& options,
               Histogram& histogram, RenderStats& stats) {
  // Chunks are numbered over all temporal samples; each has its own stream.
  // first_chunk[s] is the number of sample s's first chunk.
  const uint64_t chunk_size = static_cast<uint64_t>(ChunkSamples(options));
  std::vector<uint64_t> first_chunk(setups.size() + 1, 0);
  uint64_t planned = 0;
  for (size_t s = 0; s < setups.size(); ++s) {
    first_chunk[s + 1] = first_chunk[s] + (setups[s].samples + chunk_size - 1) / chunk_size;
    planned += setups[s].samples + (first_chunk[s + 1] - first_chunk[s]) * kFuseIterations;
  }
  const uint64_t chunk_count = first_chunk.back();
  if (options.progress_total != nullptr) options.progress_total->store(planned);
  if (options.progress_done != nullptr) options.progress_done->store(0);

  tbb::enumerable_thread_specific<ThreadBuffers> buffers;
  HistogramPlotter plotter(histogram);
  std::atomic<uint64_t> bad_values{0};
  std::atomic<uint64_t> iterations{0};
  tbb::parallel_for(
      tbb::blocked_range<uint64_t>(0, chunk_count, 1),
      [&](const tbb::blocked_range<uint64_t>& range) {
        ThreadBuffers& local = buffers.local();
        for (uint64_t k = range.begin(); k != range.end(); ++k) {
          if (Cancelled(options)) return;
          const size_t s =
              static_cast<size_t>(std::upper_bound(first_chunk.begin(), first_chunk.end(), k) -
                                  first_chunk.begin() - 1);
          const SampleSetup& setup = setups[s];
          const uint64_t done = (k - first_chunk[s]) * chunk_size;
          const int chunk_samples =
              static_cast<int>(std::min<uint64_t>(chunk_size, setup.samples - done));
          Random rng = Random::ForStream(options.seed, k);
          uint64_t computed = 0;
          uint64_t bad = 0;
          if (setup.batch) {
            // Each step's points become increments at once and go to the
            // plotter's band buckets.
            bad = setup.batch->IterateChunk(
                rng, chunk_samples, kBatchFuseIterations,
                [&](const PointArrays& step) {
                  if (local.increments.size() < step.count) local.increments.resize(step.count);
                  const size_t n =
                      WriteIncrements(step, setup.camera, setup.palette, local.increments.data());
                  plotter.Append(std::span<const CellIncrement>(local.increments.data(), n),
                                 local.plot);
                },
                &computed);
          } else {
            bad = setup.prepared.IterateChunk(rng, chunk_samples, kFuseIterations, local.points,
                                              &computed);
            ToIncrements(local.points, setup.camera, setup.palette, local.increments);
            plotter.Add(local.increments, local.plot);
          }
          bad_values.fetch_add(bad, std::memory_order_relaxed);
          iterations.fetch_add(computed, std::memory_order_relaxed);
          if (options.progress_done != nullptr) {
            options.progress_done->fetch_add(static_cast<uint64_t>(chunk_samples) + kFuseIterations,
                                             std::memory_order_relaxed);
          }
        }
      },
      tbb::simple_partitioner());
  for (ThreadBuffers& local : buffers) plotter.Flush(local.plot);
  stats.iterations = iterations.load();
  stats.bad_values = bad_values.load();
  if (Cancelled(options)) return Status::Cancelled("render cancelled while iterating");
  return Status::Ok();
}

// flam3's early clip: replaces each supersampled cell with its tone-mapped
// display value (rgb and alpha in [0, 1]) so that the filter averages
// display values rather than densities.
void ToneMapCells(std::span<AccumCell> accum, int hist_width, const ToneMapParams& tone) {
  const int rows = static_cast<int>(accum.size() / hist_width);
  tbb::parallel_for(0, rows, [&](int y) {
    for (int x = 0; x < hist_width; ++x) {
      AccumCell& cell = accum[static_cast<size_t>(y) * hist_width + x];
      const double value[4] = {cell.value[0], cell.value[1], cell.value[2], cell.value[3]};
      ToneMapPixel(tone, value, cell.value);
    }
  });
}

// The tone map of pixels that hold filtered log-density sums (the fused path).
void ToneMapImage(const ToneMapParams& tone, Image& image) {
  tbb::parallel_for(0, image.height, [&](int y) {
    for (int x = 0; x < image.width; ++x) {
      float* pixel = image.Pixel(x, y);
      const double sum[4] = {pixel[0], pixel[1], pixel[2], pixel[3]};
      ToneMapPixel(tone, sum, pixel);
    }
  });
}

// Spatial filter down to output pixels, then the tone map (or, when the cells
// were tone-mapped already, only the clamp).
void FilterAndToneMap(std::span<const AccumCell> accum, const Camera& camera,
                      const SpatialFilter& filter, const ToneMapParams& tone,
                      bool cells_tone_mapped, Image& image) {
  const int hist_width = camera.histogram_width();
  const int ss = camera.supersample();
  const int width = filter.width();
  const std::vector<double>& taps = filter.taps();
  // The kernel is separable (taps[x] * taps[y]): each output row first sums
  // its window's rows column by column, then each pixel sums its columns;
  // (ss + 1) / width of the work of the square kernel.
  const int first_column = camera.filter_offset();
  const int columns = (image.width - 1) * ss + width;
  tbb::parallel_for(0, image.height, [&](int y) {
    std::vector<double> column_sums(static_cast<size_t>(columns) * 4, 0.0);
    const int y0 = camera.filter_offset() + y * ss;
    for (int dy = 0; dy < width; ++dy) {
      const double w = taps[dy];
      if (w == 0.0) continue;
      const float* row = accum[static_cast<size_t>(y0 + dy) * hist_width + first_column].value;
      for (size_t i = 0; i < column_sums.size(); ++i) column_sums[i] += w * row[i];
    }
    for (int x = 0; x < image.width; ++x) {
      const double* window = &column_sums[static_cast<size_t>(x) * ss * 4];
      double sum[4] = {0.0, 0.0, 0.0, 0.0};
      for (int dx = 0; dx < width; ++dx) {
        for (int c = 0; c < 4; ++c) sum[c] += taps[dx] * window[dx * 4 + c];
      }
      float* out = image.Pixel(x, y);
      if (!cells_tone_mapped) {
        ToneMapPixel(tone, sum, out);
        continue;
      }
      for (int c = 0; c < 4; ++c) {
        const double upper = (tone.linear && c < 3) ? sum[c] : 1.0;
        out[c] = static_cast<float>(std::clamp(sum[c], 0.0, upper));
      }
    }
  });
}

Result<Image> RenderSamples(std::span<const Flame> samples, std::span<const double> weights,
                            const RenderOptions& options, RenderStats* stats_out) {
  const auto start = Clock::now();
  if (samples.empty()) return Status::InvalidArgument("no temporal samples to render");
  if (samples.size() != weights.size()) {
    return Status::InvalidArgument("got " + std::to_string(samples.size()) + " samples but " +
                                   std::to_string(weights.size()) + " weights");
  }
  if (options.threads < 0) return Status::InvalidArgument("threads must be >= 0");
  std::vector<double> normalized(weights.begin(), weights.end());
  FG_ASSIGN_OR_RETURN(const double mean_weight, NormalizeTemporalWeights(normalized));

  const Flame& reference = samples[samples.size() / 2];
  FG_ASSIGN_OR_RETURN(RenderPlan plan, MakePlan(reference, options));
  RenderStats stats;
  stats.memory_bytes = plan.memory_bytes;
  if (options.max_memory_bytes != 0 && plan.memory_bytes > options.max_memory_bytes) {
    return Status::ResourceExhausted("render needs about " + std::to_string(plan.memory_bytes) +
                                     " bytes, more than the bound of " +
                                     std::to_string(options.max_memory_bytes));
  }

  // Each temporal sample has its own xforms, palette weight and camera (the
  // camera may move within a frame); the histogram's shape is the reference's.
  std::vector<SampleSetup> setups;
  setups.reserve(samples.size());
  const uint64_t per_sample = plan.samples / samples.size();
  for (size_t s = 0; s < samples.size(); ++s) {
    FG_ASSIGN_OR_RETURN(Flame scaled, ScaledFlame(samples[s], options));
    scaled.width = plan.flame.width;
    scaled.height = plan.flame.height;
    scaled.supersample = plan.flame.supersample;
    FG_ASSIGN_OR_RETURN(Camera camera,
                        Camera::Create(scaled, plan.filter.width(), plan.flame.estimator_radius));
    FG_ASSIGN_OR_RETURN(PreparedFlame prepared, PreparedFlame::Create(scaled));
    std::optional<BatchIterator> batch;
    if (!options.scalar_iterator) {
      FG_ASSIGN_OR_RETURN(batch, BatchIterator::Create(scaled));
    }
    setups.push_back({std::move(prepared), std::move(batch), camera,
                      PlotPalette(scaled.palette, scaled.palette_mode, normalized[s]), per_sample});
  }

  tbb::task_arena arena(options.threads > 0 ? options.threads : tbb::task_arena::automatic);
  Status status;
  Image image;
  arena.execute([&] {
    const Camera& camera = plan.camera;
    Histogram histogram(camera.histogram_width(), camera.histogram_height());
    const auto iterate_start = Clock::now();
    status = Iterate(setups, options, histogram, stats);
    stats.seconds_iterate = Seconds(iterate_start);
    if (!status.ok()) return;

    const Flame& f = plan.flame;
    LogScale scale;
    scale.k1 = f.contrast * f.brightness * kBrightnessScale;
    scale.k2 = static_cast<double>(f.supersample) * f.supersample /
               (f.contrast * camera.area() * kWhiteLevel * plan.sample_density * mean_weight);
    const ToneMapParams tone = ToneMapParams::FromFlame(f, options.transparent, options.linear);
    const auto density_start = Clock::now();
    if (plan.fused) {
      // Zeroing the picture's fresh pages is serial work: it overlaps with
      // composing the kernels.
      Result<DensityFilter> density_filter = Status::Internal("density filter not built");
      tbb::parallel_invoke([&] { image = Image(f.width, f.height); },
                           [&] {
                             density_filter = DensityFilter::Create(
                                 plan.kernels, plan.filter.taps(), f.supersample);
                           });
      image.linear = options.linear;
      status = density_filter.status();
      if (!status.ok()) return;
      status = density_filter->Apply(histogram, plan.kernels, scale, camera.filter_offset(),
                                     image.rgba, f.width, f.height, options.cancel);
      if (!status.ok()) return;
      histogram.Release();
      stats.seconds_density = Seconds(density_start);
      const auto tone_start = Clock::now();
      ToneMapImage(tone, image);
      stats.seconds_filter = Seconds(tone_start);
      return;
    }
    ZeroedArray<AccumCell> accum(histogram.cells().size());
    status = plan.kernels.Apply(histogram, scale, f.supersample, accum.span(), options.cancel);
    if (!status.ok()) return;
    histogram.Release();
    stats.seconds_density = Seconds(density_start);
    if (Cancelled(options)) {
      status = Status::Cancelled("render cancelled");
      return;
    }

    const auto filter_start = Clock::now();
    image = Image(f.width, f.height);
    image.linear = options.linear;
    if (options.early_clip) ToneMapCells(accum.span(), camera.histogram_width(), tone);
    FilterAndToneMap(accum.span(), camera, plan.filter, tone, options.early_clip, image);
    stats.seconds_filter = Seconds(filter_start);
  });
  FG_RETURN_IF_ERROR(status);
  stats.seconds_total = Seconds(start);
  if (stats_out != nullptr) *stats_out = stats;
  return image;
}

}  // namespace

uint64_t EstimateRenderMemory(const Flame& flame, const RenderOptions& options) {
  Result<RenderPlan> plan = MakePlan(flame, options);
  return plan.ok() ? plan->memory_bytes : 0;
}

Result<Image> RenderFlame(const Flame& flame, const RenderOptions& options, RenderStats* stats) {
  const double weight = 1.0;
  return RenderSamples(std::span<const Flame>(&flame, 1), std::span<const double>(&weight, 1),
                       options, stats);
}

Result<Image> RenderTemporalSamples(std::span<const Flame> samples,
                                    std::span<const double> sample_weights,
                                    const RenderOptions& options, RenderStats* stats) {
  return RenderSamples(samples, sample_weights, options, stats);
}

}  // namespace flamegrid
