#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "renderer/animate/edge.h"
#include "renderer/animate/loop.h"
#include "renderer/animate/sequence.h"
#include "tests/renderer/animate/test_genomes.h"

namespace flamegrid {
namespace {

using testing::GenomeDistance;
using testing::ThreeXformFlame;
using testing::TwoXformFlame;

TEST(Loop, TurnsAnimatedXformsAndLeavesFixedOnes) {
  const Flame f = TwoXformFlame();
  auto loop = MakeLoop(f, 4);
  ASSERT_TRUE(loop.ok()) << loop.status().ToString();
  ASSERT_EQ(loop->size(), 4u);
  // Frame 1 of 4 turns by 90°: column (a, b) → (-b, a).
  const Affine2& m = (*loop)[1].xforms[0].affine;
  const Affine2& o = f.xforms[0].affine;
  EXPECT_NEAR(m.a, -o.b, 1e-12);
  EXPECT_NEAR(m.b, o.a, 1e-12);
  EXPECT_NEAR(m.c, -o.d, 1e-12);
  EXPECT_NEAR(m.d, o.c, 1e-12);
  EXPECT_EQ(m.e, o.e);
  EXPECT_EQ((*loop)[1].xforms[1].affine, f.xforms[1].affine);  // animate 0
  for (int k = 0; k < 4; ++k) EXPECT_EQ((*loop)[k].time, k);
  EXPECT_EQ((*loop)[0].xforms, f.xforms);
}

TEST(Loop, FinalXformNeverTurns) {
  Flame f = TwoXformFlame();
  f.final_xform = testing::LinearXform(0, Affine2{0.9, 0.1, 0, 1, 0, 0});
  const Flame turned = LoopGenomeAt(f, 0.3);
  EXPECT_EQ(turned.final_xform, f.final_xform);
}

TEST(Loop, IsSeamless) {
  const Flame f = ThreeXformFlame();
  const int n = 24;
  auto loop = MakeLoop(f, n);
  ASSERT_TRUE(loop.ok());
  // Frame n (one full turn) is frame 0.
  const Flame wrapped = LoopGenomeAt(f, 1.0);
  EXPECT_LT(GenomeDistance(wrapped, (*loop)[0]), 1e-12);
  // The step last → first is no larger than any step inside the loop.
  double max_inner = 0.0, min_inner = INFINITY;
  for (int k = 0; k + 1 < n; ++k) {
    const double d = GenomeDistance((*loop)[k], (*loop)[k + 1]);
    max_inner = std::max(max_inner, d);
    min_inner = std::min(min_inner, d);
  }
  const double seam = GenomeDistance((*loop)[n - 1], (*loop)[0]);
  EXPECT_LE(seam, max_inner * (1 + 1e-9));
  EXPECT_GE(seam, min_inner * (1 - 1e-9));
  // Interpolating between the last frame and frame n lands halfway on the circle.
  std::vector<Flame> ends = {(*loop)[n - 1], wrapped};
  ends[1].time = n;
  auto half = InterpolateAt(ends, n - 0.5);
  ASSERT_TRUE(half.ok());
  EXPECT_LT(GenomeDistance(*half, LoopGenomeAt(f, (n - 0.5) / n)), 1e-9);
}

TEST(Loop, RejectsBadFrameCounts) {
  EXPECT_FALSE(MakeLoop(TwoXformFlame(), 0).ok());
  EXPECT_FALSE(MakeLoop(TwoXformFlame(), -3).ok());
  EXPECT_FALSE(MakeLoop(TwoXformFlame(), kMaxSequenceFrames + 1).ok());
  EXPECT_FALSE(MakeLoop(Flame{}, 4).ok());
}

TEST(Motion, FunctionsArePeriodicAndZeroAtWholeNumbers) {
  for (MotionFunction fn :
       {MotionFunction::kSin, MotionFunction::kTriangle, MotionFunction::kHill}) {
    EXPECT_NEAR(MotionFunctionValue(fn, 0.0), 0.0, 1e-15);
    EXPECT_NEAR(MotionFunctionValue(fn, 2.0), 0.0, 1e-12);
    EXPECT_NEAR(MotionFunctionValue(fn, 0.3), MotionFunctionValue(fn, 1.3), 1e-12);
  }
  EXPECT_NEAR(MotionFunctionValue(MotionFunction::kSin, 0.25), 1.0, 1e-15);
  EXPECT_DOUBLE_EQ(MotionFunctionValue(MotionFunction::kTriangle, 0.25), 1.0);
  EXPECT_DOUBLE_EQ(MotionFunctionValue(MotionFunction::kTriangle, 0.5), 0.0);
  EXPECT_DOUBLE_EQ(MotionFunctionValue(MotionFunction::kTriangle, 0.75), -1.0);
  EXPECT_DOUBLE_EQ(MotionFunctionValue(MotionFunction::kTriangle, -0.125), -0.5);
  EXPECT_DOUBLE_EQ(MotionFunctionValue(MotionFunction::kHill, 0.5), 1.0);
}

Xform ZeroMotion() {
  Xform m;
  m.weight = m.color = m.color_speed = m.animate = m.opacity = 0.0;
  m.variations.fill(0.0);
  m.params.fill(0.0);
  m.affine = m.post = Affine2{0, 0, 0, 0, 0, 0};
  return m;
}

TEST(Motion, ElementsAddTheirDeltasAlongTheLoop) {
  Flame f = TwoXformFlame();
  Xform motion = ZeroMotion();
  motion.motion_function = MotionFunction::kSin;
  motion.motion_frequency = 2;
  motion.Variation(VariationId::kSwirl) = 0.5;
  motion.affine.e = 1.0;
  f.xforms[1].motion.push_back(motion);
  // sin(2π·2·0.125) = 1: full amplitude.
  const Flame g = LoopGenomeAt(f, 0.125);
  EXPECT_NEAR(g.xforms[1].Variation(VariationId::kSwirl), 0.5, 1e-12);
  EXPECT_NEAR(g.xforms[1].affine.e, f.xforms[1].affine.e + 1.0, 1e-12);
  EXPECT_TRUE(g.xforms[1].motion.empty());
  // Whole turns bring it back.
  EXPECT_LT(GenomeDistance(LoopGenomeAt(f, 1.0), LoopGenomeAt(f, 0.0)), 1e-12);
}

TEST(Edge, StartsOnTheFirstLoopAndArrivesOnTheSecond) {
  const Flame a = TwoXformFlame();
  const Flame b = ThreeXformFlame();
  const int n = 8;
  auto edge = MakeEdge(a, b, n);
  ASSERT_TRUE(edge.ok()) << edge.status().ToString();
  ASSERT_EQ(edge->size(), static_cast<size_t>(n));
  auto loop_a = MakeLoop(a, n);
  auto loop_b = MakeLoop(b, n);
  ASSERT_TRUE(loop_a.ok() && loop_b.ok());
  EXPECT_EQ((*edge)[0].xforms, (*loop_a)[0].xforms);
  EXPECT_EQ((*edge)[0].palette, (*loop_a)[0].palette);
  // Blend 1 is the second genome: three xforms, no weight left on padding.
  const Flame arrival = EdgeGenomeAt(a, b, 1.0);
  ASSERT_EQ(arrival.xforms.size(), 3u);
  EXPECT_LT(GenomeDistance(arrival, (*loop_b)[0]), 1e-9);
  for (int i = 0; i < kPaletteSize; ++i) {
    EXPECT_NEAR(arrival.palette.colors[i].r, b.palette.colors[i].r, 1e-9);
    EXPECT_NEAR(arrival.palette.colors[i].b, b.palette.colors[i].b, 1e-9);
  }
  // Eased ends: the first and last steps are smaller than the middle one.
  const double first_step =
      GenomeDistance(EdgeGenomeAt(a, b, 1.0 / n), EdgeGenomeAt(a, b, 2.0 / n));
  const double middle_step =
      GenomeDistance(EdgeGenomeAt(a, b, 0.5), EdgeGenomeAt(a, b, 0.5 + 1.0 / n));
  EXPECT_LT(first_step, middle_step);
}

TEST(Edge, FixedXformTurnsTheLongWayWhenTheOtherSideSpins) {
  // Xform 1 is still in a (animate 0) and spins in b: with the reference
  // angle the blend keeps moving forward instead of snapping back.
  Flame a = TwoXformFlame();
  Flame b = TwoXformFlame();
  b.xforms[1].animate = 1.0;
  double previous = -INFINITY;
  for (int k = 1; k < 8; ++k) {
    const Flame g = EdgeGenomeAt(a, b, k / 8.0);
    const Affine2& m = g.xforms[1].affine;
    double angle = std::atan2(m.b, m.a);
    while (angle < previous - 1e-9) angle += 2 * std::numbers::pi;
    EXPECT_TRUE(std::isfinite(angle));
    previous = angle;
  }
}

TEST(Sequence, HasFlam3GenomeShape) {
  const Flame flames[2] = {TwoXformFlame(), ThreeXformFlame()};
  auto seq = MakeSequence(flames, 4);
  ASSERT_TRUE(seq.ok());
  ASSERT_EQ(seq->size(), 13u);  // loop, edge, loop, closing frame
  for (size_t i = 0; i < seq->size(); ++i) EXPECT_EQ((*seq)[i].time, static_cast<double>(i));
  EXPECT_EQ((*seq)[4].xforms, flames[0].xforms);   // edge frame 0 = loop A frame 0
  EXPECT_EQ((*seq)[8].xforms, flames[1].xforms);   // loop B frame 0
  EXPECT_EQ((*seq)[12].xforms, flames[1].xforms);  // closing frame
}

TEST(Sequence, FrameControlPointsAreEnoughForTheFrame) {
  const Flame flames[2] = {TwoXformFlame(), ThreeXformFlame()};
  auto seq = MakeSequence(flames, 6);
  ASSERT_TRUE(seq.ok());
  for (int frame : {0, 5, 6, 9, 11, 18}) {
    auto window = FrameControlPoints(*seq, frame);
    ASSERT_TRUE(window.ok());
    EXPECT_LE(window->size(), 5u);  // the interval's two segments and a neighbour each side
    for (double t : {frame - 0.5, frame - 0.2, frame + 0.0, frame + 0.4, frame + 0.5}) {
      auto full = InterpolateAt(*seq, t);
      auto part = InterpolateAt(*window, t);
      ASSERT_TRUE(full.ok() && part.ok());
      EXPECT_EQ(*full, *part) << "frame " << frame << " t " << t;
    }
  }
}

TEST(Sequence, FrameControlPointRangeFollowsTheMotionBlurWidthNotTheLength) {
  Flame a = TwoXformFlame(), b = ThreeXformFlame();
  a.temporal_filter_width = b.temporal_filter_width = 3;
  a.interpolation = b.interpolation = Interpolation::kSmooth;
  const Flame flames[2] = {a, b};
  auto seq = MakeSequence(flames, 60);
  ASSERT_TRUE(seq.ok());
  const int last = static_cast<int>(seq->size()) - 1;
  for (int frame : {0, 1, 2, 30, 59, 60, 61, 150, last - 1, last}) {
    auto range = FrameControlPointRange(*seq, frame);
    ASSERT_TRUE(range.ok());
    EXPECT_LE(range->last - range->first + 1, 7u) << "frame " << frame;
    auto window = FrameControlPoints(*seq, frame);
    ASSERT_TRUE(window.ok());
    for (double t : {frame - 1.5, frame - 0.7, frame + 0.0, frame + 0.9, frame + 1.5}) {
      auto full = InterpolateAt(*seq, t);
      auto part = InterpolateAt(*window, t);
      ASSERT_TRUE(full.ok() && part.ok());
      EXPECT_EQ(*full, *part) << "frame " << frame << " t " << t;
    }
  }
}

}  // namespace
}  // namespace flamegrid
