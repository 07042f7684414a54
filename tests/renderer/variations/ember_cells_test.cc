// The random Ember variations of formulas_ember_cells.h (crackle, falloff2,
// crop, hypertile2): what each does to a point, worked out by hand from the
// published descriptions, checked on the helpers or on many draws.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <set>

#include "renderer/variations/formulas_ember_cells.h"
#include "tests/renderer/variations/test_util.h"

namespace flamegrid {
namespace {

using testing::MakeXform;
using V = VariationId;

constexpr int kDraws = 4000;

// Maps `input` through `xform` kDraws times, one seed each run.
template <typename Check>
void Draw(const Xform& xform, Point2 input, Check check) {
  const PreparedXform prepared = PreparedXform::Prepare(xform);
  Random rng(11);
  for (int i = 0; i < kDraws; ++i) check(prepared.Apply(input, rng));
}

// Grid step 0.5, no distortion. (0.1, 0.05) lies in the cell of (0, 0); its
// walls are x = 0.25 (ratio 0.4), y = 0.25 (0.2) and the diagonal
// neighbour's (0.3): L = 0.4, and the point moves out by L^power / L.
TEST(CrackleTest, PushesThePointTowardsItsCellWall) {
  const Point2 moved = formulas::crackle::Move({0.1, 0.05}, 0.5, 0.2, 0, 1, 0);
  const double r = std::pow(0.4, 0.2) / 0.4;
  EXPECT_NEAR(moved.x, 0.1 * r, 1e-12);
  EXPECT_NEAR(moved.y, 0.05 * r, 1e-12);
}

// (0.3, 0.1) is nearest to the centre (0.5, 0) of the next cell: the ratio
// towards (0, 0) is 2 (0.2 * 0.5) / 0.25 = 0.8, the largest. Power 1 and
// scale 0.5 halve the offset (-0.2, 0.1).
TEST(CrackleTest, UsesTheNearestCentre) {
  const Point2 moved = formulas::crackle::Move({0.3, 0.1}, 0.5, 1, 0, 0.5, 0);
  EXPECT_NEAR(moved.x, 0.4, 1e-12);
  EXPECT_NEAR(moved.y, 0.05, 1e-12);
}

// Scale 0 sends every point to its cell's centre: the grid of step
// cellsize / 2 (times the weight); the start disc reaches radius 1.125.
TEST(CrackleTest, ScaleZeroLandsOnTheGrid) {
  std::set<std::pair<long, long>> centres;
  Draw(MakeXform(V::kCrackle, 2, {{"crackle_cellsize", 0.8}, {"crackle_scale", 0}}), {5, 5},
       [&](Point2 out) {
         const double i = out.x / 0.8, j = out.y / 0.8;
         ASSERT_NEAR(i, std::round(i), 1e-9);
         ASSERT_NEAR(j, std::round(j), 1e-9);
         centres.insert({std::lround(i), std::lround(j)});
       });
  // |i|, |j| <= 3 (1.125 / 0.4 rounded): the cells of the disc, about
  // pi (1.125 / 0.4)^2 of them.
  EXPECT_GE(centres.size(), 25u);
  for (const auto& [i, j] : centres) {
    EXPECT_LE(std::abs(i), 3);
    EXPECT_LE(std::abs(j), 3);
  }
}

// Cell size 0: Ember renders the start disc itself, whatever the input.
TEST(CrackleTest, NoCellsGivesTheStartDisc) {
  double farthest = 0;
  Draw(MakeXform(V::kCrackle, 1, {{"crackle_cellsize", 0}}), {5, 5},
       [&](Point2 out) { farthest = std::max(farthest, std::hypot(out.x, out.y)); });
  EXPECT_LE(farthest, 1.125);
  EXPECT_GE(farthest, 1.0);
}

// Type 0 at distance 1, mindist 0.5, scatter 10: a shift of 0.04 * 10 * 0.5
// = 0.2, so the point fills the square of side 0.2 around it (mul 1, 1).
TEST(Falloff2Test, RegularFillsASquareAroundThePoint) {
  double min_dx = 1, max_dx = -1, min_dy = 1, max_dy = -1;
  Draw(MakeXform(V::kFalloff2, 1, {{"falloff2_scatter", 10}}), {0.6, 0.8}, [&](Point2 out) {
    min_dx = std::min(min_dx, out.x - 0.6), max_dx = std::max(max_dx, out.x - 0.6);
    min_dy = std::min(min_dy, out.y - 0.8), max_dy = std::max(max_dy, out.y - 0.8);
  });
  EXPECT_GE(min_dx, -0.1);
  EXPECT_LT(max_dx, 0.1);
  EXPECT_LT(min_dx, -0.099);
  EXPECT_GT(max_dx, 0.099);
  EXPECT_LT(min_dy, -0.099);
  EXPECT_GT(max_dy, 0.099);
}

// Type 1 with only mul_x: the point moves along its ray, radius 1 (+1e-6)
// plus up to +-0.1.
TEST(Falloff2Test, RadialMulXMovesAlongTheRay) {
  double min_r = 2, max_r = 0;
  Draw(MakeXform(V::kFalloff2, 1,
                 {{"falloff2_scatter", 10}, {"falloff2_type", 1}, {"falloff2_mul_y", 0}}),
       {0.6, 0.8}, [&](Point2 out) {
         ASSERT_NEAR(out.x * 0.8 - out.y * 0.6, 0, 1e-12);
         min_r = std::min(min_r, std::hypot(out.x, out.y));
         max_r = std::max(max_r, std::hypot(out.x, out.y));
       });
  EXPECT_GE(min_r, 0.9);
  EXPECT_LE(max_r, 1.1 + 1e-6);
  EXPECT_LT(min_r, 0.901);
  EXPECT_GT(max_r, 1.099);
}

// Type 2: a shift of length up to 0.1 along a direction of angle up to
// +-0.1 pi from the x axis (mul_x = mul_y = 1).
TEST(Falloff2Test, GaussianShiftsNearTheXAxis) {
  double longest = 0;
  Draw(MakeXform(V::kFalloff2, 1, {{"falloff2_scatter", 10}, {"falloff2_type", 2}}), {0.6, 0.8},
       [&](Point2 out) {
         const double dx = out.x - 0.6, dy = out.y - 0.8;
         ASSERT_LE(std::hypot(dx, dy), 0.1 + 1e-12);
         if (std::hypot(dx, dy) > 1e-9) {
           ASSERT_LE(std::fabs(dy / dx), std::tan(0.1 * 3.14159266));
         }
         longest = std::max(longest, std::hypot(dx, dy));
       });
  EXPECT_GT(longest, 0.09);
}

// Beyond the right edge with scatter area 0.5: x lands in [1 - 0.5, 1].
TEST(CropTest, ScatterAreaSpreadsInsideTheEdge) {
  double min_x = 2;
  Draw(MakeXform(V::kCrop, 1, {{"crop_scatter_area", 0.5}}), {2, 0.5}, [&](Point2 out) {
    ASSERT_LE(out.x, 1);
    ASSERT_GE(out.x, 0.5);
    ASSERT_EQ(out.y, 0.5);
    min_x = std::min(min_x, out.x);
  });
  EXPECT_LT(min_x, 0.51);
}

// p = 4, q = 5: r = 1 / sqrt(1 - (cos(pi/2) - 1) / (cos(pi/2) + cos(2pi/5)));
// the point becomes (z + r) / (r z + 1), turned by a multiple of pi/2
// (clockwise, as the formula writes it).
TEST(Hypertile2Test, MobiusThenQuarterTurns) {
  const double r = 1 / std::sqrt(1 + 1 / std::cos(2 * 3.14159265358979 / 5));
  const std::complex<double> z(0.3, 0.4);
  const std::complex<double> w = (z + r) / (r * z + 1.0);
  std::set<int> turns;
  Draw(MakeXform(V::kHypertile2, 1, {{"hypertile2_p", 4}, {"hypertile2_q", 5}}), {0.3, 0.4},
       [&](Point2 out) {
         bool matched = false;
         for (int k = 0; k < 4; ++k) {
           const std::complex<double> turned = w * std::polar(1.0, -k * 3.14159265358979 / 2);
           if (std::abs(turned - std::complex<double>(out.x, out.y)) < 1e-12) {
             turns.insert(k);
             matched = true;
           }
         }
         ASSERT_TRUE(matched) << out.x << ", " << out.y;
       });
  EXPECT_EQ(turns.size(), 4u);
}

}  // namespace
}  // namespace flamegrid
