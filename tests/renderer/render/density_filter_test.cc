#include "renderer/render/density_filter.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <vector>

#include "renderer/base/random.h"
#include "renderer/render/density_estimation.h"
#include "renderer/render/spatial_filter.h"

namespace flamegrid {
namespace {

// A histogram with clusters of every density, so that many kernels are used:
// empty cells, single hits, and cells with thousands of hits.
Histogram ClusteredHistogram(int width, int height, uint64_t seed) {
  Histogram h(width, height);
  Random rng = Random::ForStream(seed, 0);
  for (int n = 0; n < 20000; ++n) {
    // Half the points in a tight blob, half spread over the whole grid.
    int x, y;
    if (n % 2 == 0) {
      x = width / 3 + static_cast<int>(rng.Uniform01() * 6);
      y = height / 2 + static_cast<int>(rng.Uniform01() * 5);
    } else {
      x = static_cast<int>(rng.Uniform01() * width);
      y = static_cast<int>(rng.Uniform01() * height);
    }
    const uint32_t r = static_cast<uint32_t>(rng.Uniform01() * 255);
    h.Add({static_cast<uint32_t>(y * width + x), {r, 255 - r, 128, 255}, 255});
  }
  return h;
}

// The two-pass reference: density estimation into supersampled cells
// (DensityKernels::Apply, or the log scale alone), then the spatial filter.
std::vector<double> TwoPasses(const Histogram& h, const DensityKernels& kernels,
                              const SpatialFilter& filter, const LogScale& scale, int ss,
                              int offset, int width, int height) {
  std::vector<AccumCell> accum(h.cells().size());
  if (kernels.enabled()) {
    EXPECT_TRUE(kernels.Apply(h, scale, ss, accum, nullptr).ok());
  } else {
    ApplyLogScale(h, scale, accum);
  }
  std::vector<double> out(static_cast<size_t>(width) * height * 4, 0.0);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int dy = 0; dy < filter.width(); ++dy) {
        for (int dx = 0; dx < filter.width(); ++dx) {
          const AccumCell& cell =
              accum[static_cast<size_t>(offset + y * ss + dy) * h.width() + offset + x * ss + dx];
          for (int c = 0; c < 4; ++c) {
            out[(static_cast<size_t>(y) * width + x) * 4 + c] +=
                filter.Weight(dx, dy) * cell.value[c];
          }
        }
      }
    }
  }
  return out;
}

struct Case {
  double estimator_radius;
  int ss;
  double filter_radius;
};

class DensityFilterMatchesTwoPasses : public ::testing::TestWithParam<Case> {};

TEST_P(DensityFilterMatchesTwoPasses, EveryPixel) {
  const Case c = GetParam();
  auto kernels = DensityKernels::Create(c.estimator_radius, 0.0, 0.4, c.ss);
  ASSERT_TRUE(kernels.ok());
  auto filter = SpatialFilter::Create(FilterShape::kGaussian, c.filter_radius, c.ss);
  ASSERT_TRUE(filter.ok());
  // The image's filter windows sit `offset` cells inside a histogram whose
  // edges are still reached by the density discs.
  const int width = 23, height = 17;
  const int offset = kernels->max_reach() + 1;
  const int hist_width = 2 * offset + (width - 1) * c.ss + filter->width();
  const int hist_height = 2 * offset + (height - 1) * c.ss + filter->width();
  const Histogram h = ClusteredHistogram(hist_width, hist_height, 42);
  const LogScale scale{3.0, 0.02};

  auto fused = DensityFilter::Create(*kernels, filter->taps(), c.ss);
  ASSERT_TRUE(fused.ok()) << fused.status().ToString();
  std::vector<float> pixels(static_cast<size_t>(width) * height * 4, 0.0f);
  ASSERT_TRUE(fused->Apply(h, *kernels, scale, offset, pixels, width, height, nullptr).ok());
  const std::vector<double> expected =
      TwoPasses(h, *kernels, *filter, scale, c.ss, offset, width, height);

  double total = 0.0;
  for (size_t i = 0; i < pixels.size(); ++i) {
    ASSERT_NEAR(pixels[i], expected[i], 1e-4 * (1.0 + std::fabs(expected[i])))
        << "pixel " << i / 4 % width << "," << i / 4 / width << " channel " << i % 4;
    total += expected[i];
  }
  EXPECT_GT(total, 0.0);  // the comparison saw light, not only zeros
}

INSTANTIATE_TEST_SUITE_P(Settings, DensityFilterMatchesTwoPasses,
                         ::testing::Values(Case{3.0, 1, 1.0}, Case{3.0, 2, 1.0}, Case{2.0, 3, 0.7},
                                           Case{2.0, 4, 1.5}, Case{0.0, 2, 1.0},
                                           Case{0.0, 1, 0.5}));

TEST(DensityFilterTest, ComposedKernelsKeepTheTotal) {
  // A single hit far from every edge: the picture's total alpha is the cell's
  // log-scaled alpha over ss² (a pixel averages ss x ss cells), whatever disc
  // and phase it gets, up to how evenly the filter's taps fall on the phases.
  auto kernels = DensityKernels::Create(2.0, 0.0, 0.4, 2);
  ASSERT_TRUE(kernels.ok());
  auto filter = SpatialFilter::Create(FilterShape::kGaussian, 1.0, 2);
  ASSERT_TRUE(filter.ok());
  auto fused = DensityFilter::Create(*kernels, filter->taps(), 2);
  ASSERT_TRUE(fused.ok());
  for (int phase = 0; phase < 4; ++phase) {
    Histogram h(60, 60);
    h.Add({static_cast<uint32_t>((30 + phase / 2) * 60 + 30 + phase % 2), {0, 0, 0, 255}, 255});
    std::vector<float> pixels(25 * 25 * 4, 0.0f);
    ASSERT_TRUE(fused->Apply(h, *kernels, LogScale{1.0, 1.0}, 5, pixels, 25, 25, nullptr).ok());
    double alpha = 0.0;
    int lit = 0;
    for (size_t i = 3; i < pixels.size(); i += 4) {
      alpha += pixels[i];
      lit += pixels[i] > 0.0f;
    }
    EXPECT_NEAR(alpha, std::log1p(255.0) / 4.0, 0.01) << "phase " << phase;
    EXPECT_GT(lit, 4) << "a single hit gets the widest disc";
  }
}

TEST(DensityFilterTest, RefusesMismatchedInputs) {
  auto kernels = DensityKernels::Create(2.0, 0.0, 0.4, 2);
  auto other = DensityKernels::Create(5.0, 0.0, 0.4, 2);
  auto filter = SpatialFilter::Create(FilterShape::kGaussian, 1.0, 2);
  ASSERT_TRUE(kernels.ok() && other.ok() && filter.ok());
  auto fused = DensityFilter::Create(*kernels, filter->taps(), 2);
  ASSERT_TRUE(fused.ok());
  Histogram h(40, 40);
  std::vector<float> pixels(10 * 10 * 4, 0.0f);
  EXPECT_EQ(fused->Apply(h, *other, LogScale{}, 3, pixels, 10, 10, nullptr).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(fused->Apply(h, *kernels, LogScale{}, 3, pixels, 10, 11, nullptr).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(DensityFilter::Create(*kernels, {}, 2).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(DensityFilter::Create(*kernels, filter->taps(), 0).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(DensityFilterTest, HugeCompositionIsRefusedBeforeBuilding) {
  // A wide estimator through a 1024-cell filter: gigabytes of composed
  // kernels. Create says so (the renderer then keeps the two passes).
  auto kernels = DensityKernels::Create(40.0, 0.0, 0.4, 4);
  auto filter = SpatialFilter::Create(FilterShape::kBox, 255.0, 4);
  ASSERT_TRUE(kernels.ok() && filter.ok());
  EXPECT_GT(DensityFilter::EstimateBytes(*kernels, filter->taps(), 4), DensityFilter::kMaxBytes);
  EXPECT_EQ(DensityFilter::Create(*kernels, filter->taps(), 4).status().code(),
            StatusCode::kResourceExhausted);
}

TEST(DensityFilterTest, EstimateBoundsTheBuiltSize) {
  for (int ss : {1, 2, 3, 4}) {
    auto kernels = DensityKernels::Create(4.0, 0.0, 0.6, ss);
    auto filter = SpatialFilter::Create(FilterShape::kGaussian, 1.0, ss);
    ASSERT_TRUE(kernels.ok() && filter.ok());
    auto fused = DensityFilter::Create(*kernels, filter->taps(), ss);
    ASSERT_TRUE(fused.ok());
    EXPECT_LE(fused->MemoryBytes(), DensityFilter::EstimateBytes(*kernels, filter->taps(), ss))
        << "ss " << ss;
  }
}

TEST(DensityFilterTest, CancelStopsWithCancelled) {
  auto kernels = DensityKernels::Create(2.0, 0.0, 0.4, 1);
  auto filter = SpatialFilter::Create(FilterShape::kGaussian, 1.0, 1);
  ASSERT_TRUE(kernels.ok() && filter.ok());
  auto fused = DensityFilter::Create(*kernels, filter->taps(), 1);
  ASSERT_TRUE(fused.ok());
  const Histogram h = ClusteredHistogram(40, 40, 1);
  std::vector<float> pixels(30 * 30 * 4, 0.0f);
  std::atomic<bool> cancel{true};
  EXPECT_EQ(fused->Apply(h, *kernels, LogScale{}, 3, pixels, 30, 30, &cancel).code(),
            StatusCode::kCancelled);
}

}  // namespace
}  // namespace flamegrid
