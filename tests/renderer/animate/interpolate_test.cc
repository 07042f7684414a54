#include "renderer/animate/interpolate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "renderer/animate/align.h"
#include "tests/renderer/animate/test_genomes.h"

namespace flamegrid {
namespace {

using testing::LinearXform;
using testing::SolidPalette;

Flame BlendTwo(const Flame& a, const Flame& b, double t) {
  const Flame pair[2] = {a, b};
  const auto aligned = AlignFlames(pair);
  const double w[2] = {1.0 - t, t};
  return BlendAligned(aligned, w);
}

Flame OneXform(Affine2 affine) {
  Flame f;
  f.xforms.push_back(LinearXform(1.0, affine));
  return f;
}

TEST(Interpolate, SmootherEasesBothEnds) {
  EXPECT_DOUBLE_EQ(Smoother(0.0), 0.0);
  EXPECT_DOUBLE_EQ(Smoother(1.0), 1.0);
  EXPECT_DOUBLE_EQ(Smoother(0.5), 0.5);
  EXPECT_DOUBLE_EQ(Smoother(0.25), 3 * 0.0625 - 2 * 0.015625);
}

TEST(Interpolate, CatmullRomWeightsHitTheInnerPoints) {
  const auto at0 = CatmullRomWeights(0.0);
  EXPECT_DOUBLE_EQ(at0[1], 1.0);
  EXPECT_DOUBLE_EQ(at0[0] + at0[2] + at0[3], 0.0);
  const auto at1 = CatmullRomWeights(1.0);
  EXPECT_DOUBLE_EQ(at1[2], 1.0);
  const auto mid = CatmullRomWeights(0.5);
  EXPECT_NEAR(mid[0] + mid[1] + mid[2] + mid[3], 1.0, 1e-15);
  EXPECT_DOUBLE_EQ(mid[0], -0.0625);
  EXPECT_DOUBLE_EQ(mid[1], 0.5625);
}

TEST(Interpolate, LogTypeTurnsRotationsAndScalesGeometrically) {
  // Identity and a 90° turn scaled by 4: halfway is a 45° turn scaled by 2.
  Flame a = OneXform(Affine2{1, 0, 0, 1, 0, 0});
  Flame b = OneXform(Affine2{0, 4, -4, 0, 1, -2});
  a.interpolation_type = b.interpolation_type = InterpolationType::kLog;
  const Flame mid = BlendTwo(a, b, 0.5);
  const double r = 2.0 / std::sqrt(2.0);
  const Affine2& m = mid.xforms[0].affine;
  EXPECT_NEAR(m.a, r, 1e-12);
  EXPECT_NEAR(m.b, r, 1e-12);
  EXPECT_NEAR(m.c, -r, 1e-12);
  EXPECT_NEAR(m.d, r, 1e-12);
  EXPECT_NEAR(m.e, 0.5, 1e-12);
  EXPECT_NEAR(m.f, -1.0, 1e-12);
}

TEST(Interpolate, LogTypeTakesTheShortWayAcrossMinusPi) {
  // Columns at +170° and -170°: the short way passes through 180°, not 0°.
  const double t1 = 170.0 * std::numbers::pi / 180.0;
  Flame a = OneXform(Affine2{std::cos(t1), std::sin(t1), -std::sin(t1), std::cos(t1), 0, 0});
  Flame b = OneXform(Affine2{std::cos(-t1), std::sin(-t1), -std::sin(-t1), std::cos(-t1), 0, 0});
  const Flame mid = BlendTwo(a, b, 0.5);
  EXPECT_NEAR(mid.xforms[0].affine.a, -1.0, 1e-12);
  EXPECT_NEAR(mid.xforms[0].affine.b, 0.0, 1e-12);
}

TEST(Interpolate, LinearOldAndOlderTypesBlendCoefficients) {
  for (InterpolationType type :
       {InterpolationType::kLinear, InterpolationType::kOld, InterpolationType::kOlder}) {
    Flame a = OneXform(Affine2{1, 0, 0, 1, 0, 0});
    Flame b = OneXform(Affine2{0, 4, -4, 0, 1, -2});
    a.interpolation_type = b.interpolation_type = type;
    const Flame q = BlendTwo(a, b, 0.25);
    const Affine2& m = q.xforms[0].affine;
    EXPECT_DOUBLE_EQ(m.a, 0.75);
    EXPECT_DOUBLE_EQ(m.b, 1.0);
    EXPECT_DOUBLE_EQ(m.c, -1.0);
    EXPECT_DOUBLE_EQ(m.d, 0.75);
    EXPECT_DOUBLE_EQ(m.e, 0.25);
    EXPECT_DOUBLE_EQ(m.f, -0.5);
    EXPECT_TRUE(q.xforms[0].post.IsIdentity());
  }
}

TEST(Interpolate, ScalarsBlendAndClamp) {
  Flame a = OneXform(Affine2{});
  Flame b = OneXform(Affine2{});
  a.brightness = 2;
  b.brightness = 6;
  a.width = 100;
  b.width = 201;
  a.xforms[0].color = 0.2;
  b.xforms[0].color = 0.6;
  b.xforms[0].Variation(VariationId::kSwirl) = 1.0;
  const Flame q = BlendTwo(a, b, 0.25);
  EXPECT_DOUBLE_EQ(q.brightness, 3.0);
  EXPECT_EQ(q.width, 125);  // 125.25 rounds to nearest
  EXPECT_DOUBLE_EQ(q.xforms[0].color, 0.3);
  EXPECT_DOUBLE_EQ(q.xforms[0].Variation(VariationId::kSwirl), 0.25);
  EXPECT_DOUBLE_EQ(q.xforms[0].Variation(VariationId::kLinear), 1.0);
}

// A pre_ or post_ form is one more variation of the dense Xform: its weight and
// its own parameters blend, apart from its entry's.
TEST(Interpolate, PreAndPostFormsBlendWithTheirOwnParameters) {
  const VariationId post_curl = *PostForm(VariationId::kCurl);
  const VariationId pre_julian = *PreForm(VariationId::kJulian);
  Flame a = OneXform(Affine2{});
  Flame b = OneXform(Affine2{});
  a.xforms[0].Variation(post_curl) = 0.5;
  b.xforms[0].Variation(post_curl) = 1.0;
  a.xforms[0].Param(post_curl, 0) = 2.0;
  b.xforms[0].Param(post_curl, 0) = 4.0;
  a.xforms[0].Variation(pre_julian) = 0.8;
  const Flame q = BlendTwo(a, b, 0.25);
  EXPECT_DOUBLE_EQ(q.xforms[0].Variation(post_curl), 0.625);
  EXPECT_DOUBLE_EQ(q.xforms[0].Param(post_curl, 0), 2.5);
  EXPECT_DOUBLE_EQ(q.xforms[0].Param(VariationId::kCurl, 0), 1.0);  // curl_c1 stays
  EXPECT_DOUBLE_EQ(q.xforms[0].Variation(pre_julian), 0.6);
  EXPECT_DOUBLE_EQ(q.xforms[0].Variation(VariationId::kJulian), 0.0);
}

// The forms of a blend apply in the first flame's order, then the second's.
TEST(Interpolate, FormsApplyInTheFirstFlamesOrderThenTheSeconds) {
  const VariationId pre_spherical = *PreForm(VariationId::kSpherical);
  const VariationId pre_sinusoidal = *PreForm(VariationId::kSinusoidal);
  const VariationId pre_polar = *PreForm(VariationId::kPolar);
  Flame a = OneXform(Affine2{});
  Flame b = OneXform(Affine2{});
  a.xforms[0].Variation(pre_spherical) = 1.0;
  a.xforms[0].Variation(pre_sinusoidal) = 1.0;
  a.xforms[0].form_order = {pre_spherical, pre_sinusoidal};
  b.xforms[0].Variation(pre_polar) = 1.0;
  b.xforms[0].Variation(pre_sinusoidal) = 1.0;
  b.xforms[0].form_order = {pre_polar, pre_sinusoidal};
  const Flame q = BlendTwo(a, b, 0.25);
  EXPECT_EQ(ActiveForms(q.xforms[0], VariationForm::kPre),
            (std::vector<VariationId>{pre_spherical, pre_sinusoidal, pre_polar}));
}

struct PaletteCase {
  PaletteInterpolation mode;
  double r, g, b;  // the colour halfway between pure red and pure blue
};

class PaletteInterpolationTest : public ::testing::TestWithParam<PaletteCase> {};

TEST_P(PaletteInterpolationTest, RedToBlueHalfway) {
  // Red has hue 0 and blue hue 4 (of 6). hsv walks 0→4 through green (hue 2);
  // hsv_circular goes the short way 6→4 through magenta (hue 5); rgb averages.
  Flame a = OneXform(Affine2{});
  Flame b = OneXform(Affine2{});
  a.palette = SolidPalette(1, 0, 0);
  b.palette = SolidPalette(0, 0, 1);
  a.palette_interpolation = GetParam().mode;
  const Flame q = BlendTwo(a, b, 0.5);
  const Rgba& c = q.palette.colors[200];
  EXPECT_NEAR(c.r, GetParam().r, 1e-12);
  EXPECT_NEAR(c.g, GetParam().g, 1e-12);
  EXPECT_NEAR(c.b, GetParam().b, 1e-12);
  EXPECT_EQ(q.palette_interpolation, GetParam().mode);
}

INSTANTIATE_TEST_SUITE_P(Modes, PaletteInterpolationTest,
                         ::testing::Values(PaletteCase{PaletteInterpolation::kHsv, 0, 1, 0},
                                           PaletteCase{PaletteInterpolation::kHsvCircular, 1, 0, 1},
                                           PaletteCase{PaletteInterpolation::kRgb, 0.5, 0, 0.5}));

TEST(Interpolate, SweepWipesAlongTheIndex) {
  Flame a = OneXform(Affine2{});
  Flame b = OneXform(Affine2{});
  a.palette = SolidPalette(1, 0, 0);
  b.palette = SolidPalette(0, 0, 1);
  a.palette_interpolation = PaletteInterpolation::kSweep;
  const Flame q = BlendTwo(a, b, 0.25);  // weight of a: 0.75 → 192 entries of a
  EXPECT_EQ(q.palette.colors[191], a.palette.colors[191]);
  EXPECT_EQ(q.palette.colors[192], b.palette.colors[192]);
}

TEST(Interpolate, StaggerMovesXformsOneAfterAnother) {
  // Two xforms, full stagger: the last xform moves during the first half of
  // the blend (t counts down from 1), the first during the second half.
  EXPECT_DOUBLE_EQ(StaggerWeight(0.3, 1.0, 2, 1), Smoother(0.6));
  EXPECT_DOUBLE_EQ(StaggerWeight(0.3, 1.0, 2, 0), 0.0);
  EXPECT_DOUBLE_EQ(StaggerWeight(0.7, 1.0, 2, 1), 1.0);
  EXPECT_DOUBLE_EQ(StaggerWeight(0.3, 0.0, 2, 0), Smoother(0.3));
}

TEST(InterpolateAt, FindsTheSegmentAndExtrapolates) {
  std::vector<Flame> cps(3, OneXform(Affine2{}));
  for (int i = 0; i < 3; ++i) {
    cps[i].time = i * 10;
    cps[i].brightness = i * i;  // 0, 1, 4
  }
  EXPECT_DOUBLE_EQ(InterpolateControlPoints(cps, 5, {})->brightness, 0.5);
  EXPECT_DOUBLE_EQ(InterpolateControlPoints(cps, 15, {})->brightness, 2.5);
  EXPECT_DOUBLE_EQ(InterpolateControlPoints(cps, 20, {})->brightness, 4.0);
  EXPECT_DOUBLE_EQ(InterpolateControlPoints(cps, 25, {})->brightness, 5.5);
  EXPECT_DOUBLE_EQ(InterpolateControlPoints(cps, 15, {})->time, 15.0);
  cps[2].time = 10;
  EXPECT_FALSE(InterpolateControlPoints(cps, 5, {}).ok());
}

TEST(InterpolateAt, SmoothSegmentsUseCatmullRom) {
  std::vector<Flame> cps(4, OneXform(Affine2{}));
  const double values[4] = {0, 1, 4, 9};
  for (int i = 0; i < 4; ++i) {
    cps[i].time = i;
    cps[i].brightness = values[i];
    cps[i].interpolation = Interpolation::kSmooth;
  }
  const auto w = CatmullRomWeights(0.5);
  const double expected = w[0] * 0 + w[1] * 1 + w[2] * 4 + w[3] * 9;
  EXPECT_DOUBLE_EQ(InterpolateControlPoints(cps, 1.5, {})->brightness, expected);
  // The first segment has no left neighbour: linear.
  EXPECT_DOUBLE_EQ(InterpolateControlPoints(cps, 0.5, {})->brightness, 0.5);
}

}  // namespace
}  // namespace flamegrid
