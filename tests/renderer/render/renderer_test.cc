#include "renderer/render/renderer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "renderer/render/batch_iterator.h"
#include "renderer/render/chaos_game.h"
#include "renderer/render/density_estimation.h"
#include "renderer/render/density_filter.h"
#include "renderer/render/spatial_filter.h"
#include "tests/renderer/render/test_flames.h"

namespace flamegrid {
namespace {

using testing::LinearXform;
using testing::SierpinskiFlame;

// A flame that exercises every stage: supersampling, density estimation, a
// wide filter, xaos, a final xform, partial opacity and a linear palette.
Flame BusyFlame() {
  Flame flame = SierpinskiFlame(40);
  flame.supersample = 2;
  flame.estimator_radius = 3.0;
  flame.spatial_filter_radius = 1.0;
  flame.gamma = 2.5;
  flame.palette_mode = PaletteMode::kLinear;
  flame.xforms[1].opacity = 0.5;
  flame.xforms[2].chaos = {1.0, 0.3, 1.0};
  flame.final_xform = LinearXform(0.9, 0.1, -0.1, 0.9, 0.05, 0.0, 0.3);
  flame.sample_density = 30.0;
  return flame;
}

class RendererPathTest : public ::testing::TestWithParam<bool> {};

TEST_P(RendererPathTest, SameBytesWhateverTheThreadCount) {
  const Flame flame = BusyFlame();
  std::vector<float> reference;
  for (int threads : {1, 2, 4}) {
    RenderOptions options;
    options.threads = threads;
    options.seed = 42;
    options.scalar_iterator = GetParam();
    auto image = RenderFlame(flame, options);
    ASSERT_TRUE(image.ok()) << image.status().ToString();
    if (reference.empty()) {
      reference = image->rgba;
    } else {
      EXPECT_TRUE(image->rgba == reference) << "threads=" << threads;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Iterators, RendererPathTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& param) {
                           return param.param ? "Scalar" : "Batch";
                         });

TEST(RendererTest, BatchAndScalarPathsDrawTheSameImage) {
  // Different noise, same picture: the mean brightness agrees closely.
  const Flame flame = BusyFlame();
  double mean[2] = {0.0, 0.0};
  for (int scalar = 0; scalar < 2; ++scalar) {
    RenderOptions options;
    options.seed = 3;
    options.quality_scale = 4.0;
    options.scalar_iterator = scalar == 1;
    auto image = RenderFlame(flame, options);
    ASSERT_TRUE(image.ok()) << image.status().ToString();
    for (float v : image->rgba) mean[scalar] += v;
    mean[scalar] /= static_cast<double>(image->rgba.size());
  }
  EXPECT_GT(mean[0], 0.05);
  EXPECT_NEAR(mean[0], mean[1], 0.02 * mean[1]);
}

TEST(RendererTest, DifferentSeedsDifferentNoise) {
  RenderOptions a, b;
  a.seed = 1;
  b.seed = 2;
  auto ia = RenderFlame(BusyFlame(), a);
  auto ib = RenderFlame(BusyFlame(), b);
  ASSERT_TRUE(ia.ok() && ib.ok());
  EXPECT_FALSE(ia->rgba == ib->rgba);
}

TEST(RendererTest, SierpinskiLandsWhereItShould) {
  Flame flame = SierpinskiFlame(64);
  flame.filter_shape = FilterShape::kBox;
  flame.spatial_filter_radius = 0.5;  // one cell per pixel
  RenderOptions options;
  options.threads = 2;
  options.scalar_iterator = true;  // flam3's accounting: one fuse per chunk
  RenderStats stats;
  auto image = RenderFlame(flame, options, &stats);
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  ASSERT_EQ(image->width, 64);
  auto brightness = [&](double x, double y) {
    const float* p = image->Pixel(static_cast<int>(x * 64), static_cast<int>(y * 64));
    return p[0] + p[1] + p[2];
  };
  // Row 0 is the smallest y: the corners (0,0), (1,0), (0,1) and the edges are lit.
  EXPECT_GT(brightness(0.01, 0.01), 0.1);
  EXPECT_GT(brightness(0.5, 0.01), 0.1);
  EXPECT_GT(brightness(0.01, 0.5), 0.1);
  EXPECT_GT(brightness(0.98, 0.01), 0.1);
  // The big middle hole and everything past the hypotenuse stay black.
  EXPECT_EQ(brightness(0.4, 0.4), 0.0f);
  EXPECT_EQ(brightness(0.3, 0.35), 0.0f);
  EXPECT_EQ(brightness(0.8, 0.8), 0.0f);
  EXPECT_EQ(brightness(0.6, 0.6), 0.0f);
  EXPECT_EQ(stats.bad_values, 0u);
  const uint64_t samples = 20 * 64 * 64;
  const uint64_t chunks = (samples + kChunkSamples - 1) / kChunkSamples;
  EXPECT_EQ(stats.iterations, samples + chunks * kFuseIterations);
}

TEST(RendererTest, TransparentBackgroundIsAlphaZeroWhereNothingLanded) {
  Flame flame = SierpinskiFlame(32);
  flame.estimator_radius = 0.0;
  flame.filter_shape = FilterShape::kBox;
  flame.spatial_filter_radius = 0.5;
  flame.background = {1.0, 0.0, 0.0, 1.0};
  RenderOptions options;
  options.transparent = true;
  auto image = RenderFlame(flame, options);
  ASSERT_TRUE(image.ok());
  const float* outside = image->Pixel(28, 28);
  EXPECT_EQ(outside[3], 0.0f);
  EXPECT_EQ(outside[0], 0.0f);
  EXPECT_GT(image->Pixel(0, 0)[3], 0.0f);

  options.transparent = false;
  auto opaque = RenderFlame(flame, options);
  ASSERT_TRUE(opaque.ok());
  EXPECT_EQ(opaque->Pixel(28, 28)[3], 1.0f);
  EXPECT_NEAR(opaque->Pixel(28, 28)[0], 1.0f, 1e-6);  // the red background (256 clips to 255)
}

TEST(RendererTest, QualityAndSizeScaleAsFlam3Render) {
  Flame flame = SierpinskiFlame(40);
  RenderOptions options;
  options.size_scale = 0.5;
  options.quality_scale = 0.5;
  options.scalar_iterator = true;
  RenderStats stats;
  auto image = RenderFlame(flame, options, &stats);
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->width, 20);
  EXPECT_EQ(image->height, 20);
  const uint64_t samples = 10 * 20 * 20;
  EXPECT_EQ(stats.iterations, samples + kFuseIterations);

  // The batched path plots the same samples; each walker fuses on its own.
  options.scalar_iterator = false;
  auto batched = RenderFlame(flame, options, &stats);
  ASSERT_TRUE(batched.ok());
  EXPECT_EQ(batched->width, 20);
  EXPECT_GE(stats.iterations, samples + kFuseIterations);
  EXPECT_LE(stats.iterations,
            samples + static_cast<uint64_t>(kBatchMaxWalkers) * (kBatchFuseIterations + 1));
}

// A variation without a vector formula no longer sends the whole flame to the
// scalar iterator: its xform takes the batch iterator's scalar fallback (the
// batch iterator's accounting: every walker fuses on its own).
TEST(RendererTest, ScalarOnlyVariationsRenderInTheBatchIterator) {
  int checked = 0;
  for (const VariationInfo& info : AllVariations()) {
    if (info.has_vector_formula) continue;
    SCOPED_TRACE(std::string(info.name));
    Flame flame = SierpinskiFlame(20);
    flame.xforms[1].Variation(info.id) = 0.1;
    RenderStats stats;
    auto image = RenderFlame(flame, RenderOptions{}, &stats);
    ASSERT_TRUE(image.ok()) << image.status().ToString();
    const uint64_t samples = 20 * 20 * 20;
    EXPECT_GE(stats.iterations, samples + static_cast<uint64_t>(kBatchFuseIterations) * 16);
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "every catalogue entry has a vector formula";
}

TEST(RendererTest, MemoryBoundIsCheckedBeforeRendering) {
  const Flame flame = BusyFlame();
  RenderOptions options;
  const uint64_t estimate = EstimateRenderMemory(flame, options);
  EXPECT_GT(estimate, 80u * 80u * 36u);
  options.max_memory_bytes = estimate - 1;
  auto refused = RenderFlame(flame, options);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(refused.status().message().find(std::to_string(estimate)), std::string::npos);
  options.max_memory_bytes = estimate;
  RenderStats stats;
  auto accepted = RenderFlame(flame, options, &stats);
  ASSERT_TRUE(accepted.ok());
  EXPECT_EQ(stats.memory_bytes, estimate);
}

TEST(RendererTest, CancelStopsTheRender) {
  std::atomic<bool> cancel{true};
  RenderOptions options;
  options.cancel = &cancel;
  auto image = RenderFlame(BusyFlame(), options);
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(image.status().code(), StatusCode::kCancelled);
}

TEST(RendererTest, ProgressReachesTheTotal) {
  std::atomic<uint64_t> done{0}, total{0};
  RenderOptions options;
  options.progress_done = &done;
  options.progress_total = &total;
  ASSERT_TRUE(RenderFlame(BusyFlame(), options).ok());
  EXPECT_GT(total.load(), 0u);
  EXPECT_EQ(done.load(), total.load());
}

TEST(RendererTest, AbsurdInputsGiveAStatus) {
  auto expect_error = [](const Flame& flame, const RenderOptions& options) {
    auto image = RenderFlame(flame, options);
    EXPECT_FALSE(image.ok());
  };
  RenderOptions options;
  Flame f = SierpinskiFlame(16);
  {
    Flame g = f;
    g.width = 0;
    expect_error(g, options);
    g.width = -5;
    expect_error(g, options);
    g.width = std::numeric_limits<int>::max();
    g.height = std::numeric_limits<int>::max();
    expect_error(g, options);
  }
  {
    Flame g = f;
    g.sample_density = NAN;
    expect_error(g, options);
    g.sample_density = 1e30;
    expect_error(g, options);
    g.sample_density = 0.0;
    expect_error(g, options);
  }
  {
    Flame g = f;
    g.center_x = NAN;
    expect_error(g, options);
  }
  {
    Flame g = f;
    g.pixels_per_unit = INFINITY;
    expect_error(g, options);
  }
  {
    Flame g = f;
    g.supersample = 0;
    expect_error(g, options);
    g.supersample = 1000000;
    expect_error(g, options);
  }
  {
    Flame g = f;
    g.spatial_filter_radius = 1e12;
    expect_error(g, options);
    g.estimator_radius = NAN;
    expect_error(g, options);
  }
  {
    Flame g = f;
    g.gamma = 0.0;
    expect_error(g, options);
  }
  {
    RenderOptions o;
    o.size_scale = NAN;
    expect_error(f, o);
    o.size_scale = 1e-9;
    expect_error(f, o);
    o.size_scale = 1e9;
    expect_error(f, o);
  }
  {
    RenderOptions o;
    o.quality_scale = -1.0;
    expect_error(f, o);
  }
  Flame tiny = f;
  tiny.width = 0;
  EXPECT_EQ(EstimateRenderMemory(tiny, RenderOptions{}), 0u);  // unrenderable: no estimate
}

TEST(RendererTest, TemporalSamplesAccumulateIntoOneFrame) {
  Flame a = SierpinskiFlame(24);
  Flame b = a;
  b.center_x = 0.6;  // the camera moves within the frame
  std::vector<Flame> samples{a, b, a};
  std::vector<double> weights{0.5, 1.0, 0.5};
  auto image = RenderTemporalSamples(samples, weights, RenderOptions{});
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->width, 24);
  std::vector<double> wrong{1.0};
  EXPECT_FALSE(RenderTemporalSamples(samples, wrong, RenderOptions{}).ok());
  EXPECT_FALSE(RenderTemporalSamples({}, {}, RenderOptions{}).ok());
}

}  // namespace
}  // namespace flamegrid

namespace flamegrid {
namespace {

// flam3's early clip tone-maps each supersampled cell before the filter. The
// tone curve is concave and clips, so averaging after it (early) can only give
// less light than mapping the average (late), and strictly less where a wide
// filter mixes saturated cells with dark ones.
TEST(RendererTest, EarlyClipMapsCellsBeforeTheFilter) {
  Flame flame = BusyFlame();
  flame.brightness = 40.0;
  flame.filter_shape = FilterShape::kGaussian;  // non-negative weights
  flame.spatial_filter_radius = 2.0;
  RenderOptions options;
  options.threads = 2;
  options.seed = 5;
  auto late = RenderFlame(flame, options);
  options.early_clip = true;
  auto early = RenderFlame(flame, options);
  ASSERT_TRUE(late.ok()) << late.status().ToString();
  ASSERT_TRUE(early.ok()) << early.status().ToString();
  double late_light = 0, early_light = 0;
  for (size_t i = 0; i < early->rgba.size(); ++i) {
    ASSERT_GE(early->rgba[i], 0.0f);
    ASSERT_LE(early->rgba[i], 1.0f);
    if (i % 4 == 3) continue;
    late_light += late->rgba[i];
    early_light += early->rgba[i];
  }
  EXPECT_GT(early_light, 0.0);
  EXPECT_LT(early_light, late_light * 0.99);
}

// Density estimation and the filter run as one pass unless the composed
// kernels would be too big: then the renderer keeps the two passes, and the
// render still works, deterministically.
TEST(RendererTest, FilterTooWideToComposeKeepsTwoPasses) {
  Flame flame = BusyFlame();
  flame.estimator_radius = 9.0;
  flame.filter_shape = FilterShape::kBox;
  flame.spatial_filter_radius = 200.0;
  auto kernels = DensityKernels::Create(flame.estimator_radius, flame.estimator_minimum,
                                        flame.estimator_curve, flame.supersample);
  auto filter =
      SpatialFilter::Create(flame.filter_shape, flame.spatial_filter_radius, flame.supersample);
  ASSERT_TRUE(kernels.ok() && filter.ok());
  ASSERT_GT(DensityFilter::EstimateBytes(*kernels, filter->taps(), flame.supersample),
            DensityFilter::kMaxBytes);
  RenderOptions options;
  options.seed = 3;
  options.threads = 1;
  auto one = RenderFlame(flame, options);
  options.threads = 2;
  auto two = RenderFlame(flame, options);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  EXPECT_EQ(one->rgba, two->rgba);
  double light = 0.0;
  for (size_t i = 0; i < one->rgba.size(); i += 4) light += one->rgba[i];
  EXPECT_GT(light, 0.0);
}

}  // namespace
}  // namespace flamegrid
