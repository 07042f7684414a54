#include "renderer/render/chaos_game.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "renderer/render/camera.h"

#include "tests/renderer/render/test_flames.h"
#include "tests/renderer/simd_targets.h"

namespace flamegrid {
namespace {

using testing::LinearXform;

TEST(ChaosGameTest, AdjustedOpacityIsFlam3sCurve) {
  EXPECT_EQ(AdjustedOpacity(0.0), 0.0);
  EXPECT_DOUBLE_EQ(AdjustedOpacity(1.0), 1.0);
  EXPECT_NEAR(AdjustedOpacity(0.5), 0.1, 1e-15);
}

TEST(ChaosGameTest, BadValuesAreNanAndHugeNumbers) {
  EXPECT_TRUE(IsBadValue(NAN));
  EXPECT_TRUE(IsBadValue(INFINITY));
  EXPECT_TRUE(IsBadValue(2e10));
  EXPECT_TRUE(IsBadValue(-2e10));
  EXPECT_FALSE(IsBadValue(1e9));
}

TEST(ChaosGameTest, XformChoiceFollowsWeights) {
  Flame flame;
  flame.xforms.push_back(LinearXform(0.5, 0, 0, 0.5, 0, 0, 0));
  flame.xforms.push_back(LinearXform(0.5, 0, 0, 0.5, 1, 0, 0));
  flame.xforms[0].weight = 3.0;
  flame.xforms[1].weight = 1.0;
  auto prepared = PreparedFlame::Create(flame);
  ASSERT_TRUE(prepared.ok());
  EXPECT_FALSE(prepared->uses_xaos());
  int first = 0;
  for (uint32_t slot = 0; slot < (1u << kXformTableBits); ++slot) {
    first += prepared->ChooseXform(-1, slot) == 0;
  }
  EXPECT_EQ(first, 3 * (1 << kXformTableBits) / 4);
}

TEST(ChaosGameTest, XaosRowsMultiplyTheWeights) {
  Flame flame;
  flame.xforms.push_back(LinearXform(0.5, 0, 0, 0.5, 0, 0, 0));
  flame.xforms.push_back(LinearXform(0.5, 0, 0, 0.5, 1, 0, 0));
  flame.xforms[0].chaos = {0.0, 1.0};  // after xform 0 always xform 1
  auto prepared = PreparedFlame::Create(flame);
  ASSERT_TRUE(prepared.ok());
  ASSERT_TRUE(prepared->uses_xaos());
  for (uint32_t slot = 0; slot < (1u << kXformTableBits); slot += 97) {
    EXPECT_EQ(prepared->ChooseXform(0, slot), 1);
  }
  int after_one = 0;
  for (uint32_t slot = 0; slot < (1u << kXformTableBits); ++slot) {
    after_one += prepared->ChooseXform(1, slot) == 0;
  }
  EXPECT_EQ(after_one, (1 << kXformTableBits) / 2);
}

TEST(ChaosGameTest, FinalXformIsPlottedButNotFedBack) {
  Flame flame;
  flame.xforms.push_back(LinearXform(0.5, 0, 0, 0.5, 0, 0, 0));  // converges to (0, 0)
  flame.final_xform = LinearXform(1, 0, 0, 1, 10, 10, 0);
  auto prepared = PreparedFlame::Create(flame);
  ASSERT_TRUE(prepared.ok());
  Random rng(1);
  std::vector<IteratedPoint> points;
  prepared->IterateChunk(rng, 100, kFuseIterations, points, nullptr);
  ASSERT_EQ(points.size(), 100u);
  for (const IteratedPoint& p : points) {
    EXPECT_NEAR(p.x, 10.0, 1e-3);
    EXPECT_NEAR(p.y, 10.0, 1e-3);
  }
}

TEST(ChaosGameTest, ColourBlendsByColorSpeed) {
  Flame flame;
  flame.xforms.push_back(LinearXform(0.5, 0, 0, 0.5, 0, 0, 1.0));
  flame.xforms[0].color_speed = 0.5;
  auto prepared = PreparedFlame::Create(flame);
  ASSERT_TRUE(prepared.ok());
  Random rng(2);
  std::vector<IteratedPoint> points;
  prepared->IterateChunk(rng, 10, 0, points, nullptr);
  // Each step halves the distance to colour 1.
  for (size_t i = 1; i < points.size(); ++i) {
    EXPECT_NEAR(1.0 - points[i].color, 0.5 * (1.0 - points[i - 1].color), 1e-12);
  }
}

TEST(ChaosGameTest, DivergingPointsRestartAndAreCounted) {
  Flame flame;
  flame.xforms.push_back(LinearXform(1, 0, 0, 1, 1e11, 0, 0));
  auto prepared = PreparedFlame::Create(flame);
  ASSERT_TRUE(prepared.ok());
  Random rng(3);
  std::vector<IteratedPoint> points;
  uint64_t iterations = 0;
  const uint64_t bad = prepared->IterateChunk(rng, 10, 0, points, &iterations);
  EXPECT_EQ(bad, 50u);  // every fifth bad value in a row is kept
  EXPECT_EQ(iterations, 50u);
  for (const IteratedPoint& p : points) EXPECT_LE(std::fabs(p.x), 1.0);
}

TEST(ChaosGameTest, RejectsUnrenderableFlames) {
  Flame empty;
  EXPECT_FALSE(PreparedFlame::Create(empty).ok());
  Flame zero;
  zero.xforms.push_back(LinearXform(1, 0, 0, 1, 0, 0, 0));
  zero.xforms[0].weight = 0.0;
  EXPECT_FALSE(PreparedFlame::Create(zero).ok());
  Flame nan_weight = zero;
  nan_weight.xforms[0].weight = NAN;
  EXPECT_FALSE(PreparedFlame::Create(nan_weight).ok());
}

TEST(ChaosGameTest, PaletteStepAndLinearLookups) {
  Palette palette;
  for (int i = 0; i < kPaletteSize; ++i) palette.colors[i] = {i / 255.0, 0.0, 0.0, 1.0};
  PlotPalette step(palette, PaletteMode::kStep, 1.0);
  PlotPalette linear(palette, PaletteMode::kLinear, 1.0);
  double rgba[4];
  step.Lookup(10.7 / 256.0, rgba);
  EXPECT_NEAR(rgba[0], 10.0, 1e-9);
  linear.Lookup(10.5 / 256.0, rgba);
  EXPECT_NEAR(rgba[0], 10.5, 1e-9);
  step.Lookup(1.0, rgba);
  EXPECT_NEAR(rgba[0], 255.0, 1e-9);
  linear.Lookup(1.0, rgba);
  EXPECT_NEAR(rgba[0], 255.0, 1e-9);
  step.Lookup(-0.5, rgba);
  EXPECT_NEAR(rgba[0], 0.0, 1e-9);
  PlotPalette half(palette, PaletteMode::kStep, 0.5);
  half.Lookup(1.0, rgba);
  EXPECT_NEAR(rgba[0], 127.5, 1e-9);
  EXPECT_NEAR(rgba[3], 127.5, 1e-9);
}

// The batch path plots from float arrays, in SIMD where the CPU has it; the
// scalar path from IteratedPoint doubles: the same points must give the same
// increments on every SIMD target, in both palette modes, rotated or not, with
// invisible, translucent and off-camera points among them (and a count that
// leaves a scalar tail).
TEST(ChaosGameTest, FloatArraysGiveTheIncrementsOfTheSamePointsAsDoubles) {
  std::vector<float> x, y, color, visibility;
  uint32_t state = 12345;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return static_cast<float>(state >> 8) / 16777216.0f;
  };
  for (int i = 0; i < 5003; ++i) {
    x.push_back(next() * 3.0f - 1.5f);  // some fall outside the camera
    y.push_back(next() * 3.0f - 1.5f);
    color.push_back(next() * 1.2f - 0.1f);  // and outside the palette
    const float v = next();
    visibility.push_back(v < 0.2f ? 0.0f : (v < 0.6f ? 1.0f : v));
  }
  color[7] = std::nanf("");
  x[8] = std::nanf("");
  std::vector<IteratedPoint> doubles;
  for (size_t i = 0; i < x.size(); ++i) doubles.push_back({x[i], y[i], color[i], visibility[i]});
  const PointArrays arrays{x.data(), y.data(), color.data(), visibility.data(), x.size()};

  testing::ForEachSimdTarget([&] {
    for (double rotate : {0.0, 30.0}) {
      Flame flame = testing::SierpinskiFlame(32);
      flame.rotate = rotate;
      auto camera = Camera::Create(flame, 3, 0.0);
      ASSERT_TRUE(camera.ok()) << camera.status().ToString();
      for (PaletteMode mode : {PaletteMode::kStep, PaletteMode::kLinear}) {
        const PlotPalette palette(flame.palette, mode, 0.75);
        std::vector<CellIncrement> expected;
        ToIncrements(doubles, *camera, palette, expected);
        ASSERT_GT(expected.size(), 200u);  // visible and on camera: about 450
        ASSERT_LT(expected.size(), x.size());
        std::vector<CellIncrement> written(x.size());
        ASSERT_EQ(WriteIncrements(arrays, *camera, palette, written.data()), expected.size());
        for (size_t i = 0; i < expected.size(); ++i) {
          ASSERT_EQ(written[i].cell, expected[i].cell) << i;
          ASSERT_EQ(written[i].density, expected[i].density) << i;
          for (int c = 0; c < 4; ++c) ASSERT_EQ(written[i].color[c], expected[i].color[c]) << i;
        }
      }
    }
  });
}

}  // namespace
}  // namespace flamegrid
