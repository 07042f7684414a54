// PreparedXform: which terms it keeps, the order affine -> pre_blur -> pre_
// forms -> variations -> post_ forms -> post, and flam3's behaviour at
// degenerate points.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>

#include "renderer/variations/prepared_xform.h"
#include "tests/renderer/variations/test_util.h"

namespace flamegrid {
namespace {

using testing::ApplyOnce;
using testing::MakeXform;
using V = VariationId;

TEST(PreparedXformTest, SkipsZeroWeightsAndKeepsNegativeOnes) {
  Xform xform;
  xform.Variation(V::kLinear) = 1.0;
  xform.Variation(V::kSpherical) = 0.0;
  xform.Variation(V::kJulia) = -0.5;
  xform.Variation(V::kMobius) = 0.25;
  const PreparedXform prepared = PreparedXform::Prepare(xform);
  ASSERT_EQ(prepared.terms().size(), 3u);
  EXPECT_EQ(prepared.terms()[0].id, V::kLinear);
  EXPECT_EQ(prepared.terms()[1].id, V::kJulia);
  EXPECT_EQ(prepared.terms()[1].weight, -0.5);
  EXPECT_EQ(prepared.terms()[2].id, V::kMobius);
}

TEST(PreparedXformTest, NoVariationsMapsToTheOrigin) {
  const Point2 out = ApplyOnce(Xform(), {0.3, 0.4});
  EXPECT_EQ(out.x, 0.0);
  EXPECT_EQ(out.y, 0.0);
}

TEST(PreparedXformTest, CopiesParametersIntoTheTerm) {
  const PreparedXform prepared =
      PreparedXform::Prepare(MakeXform(V::kNgon, 1, {{"ngon_sides", 7}, {"ngon_corners", 0.25}}));
  ASSERT_EQ(prepared.terms().size(), 1u);
  EXPECT_EQ(prepared.terms()[0].param[0], 7.0);
  EXPECT_EQ(prepared.terms()[0].param[1], 3.0);  // default power
  EXPECT_EQ(prepared.terms()[0].param[3], 0.25);
}

TEST(PreparedXformTest, AppliesAffineThenVariationsThenPost) {
  // coefs (a b c d e f) = (2 0 1 1 0.1 -0.2): (0.5, 1) -> (2.1, 0.8).
  Xform xform = MakeXform(V::kLinear, 0.5, {}, Affine2{2, 0, 1, 1, 0.1, -0.2});
  xform.post = Affine2{0, 1, -1, 0, 3, 4};  // rotate a quarter turn, then shift
  const Point2 out = ApplyOnce(xform, {0.5, 1});
  // linear 0.5: (1.05, 0.4); post: x' = 0*1.05 - 1*0.4 + 3, y' = 1*1.05 + 0*0.4 + 4.
  EXPECT_DOUBLE_EQ(out.x, 2.6);
  EXPECT_DOUBLE_EQ(out.y, 5.05);
}

TEST(PreparedXformTest, SumsWeightedTerms) {
  Xform xform;
  xform.Variation(V::kLinear) = 0.5;
  xform.Variation(V::kSpherical) = 0.25;
  const Point2 out = ApplyOnce(xform, {0.3, 0.4});
  EXPECT_NEAR(out.x, 0.15 + 0.25 * 1.2, 1e-9);
  EXPECT_NEAR(out.y, 0.2 + 0.25 * 1.6, 1e-9);
}

TEST(PreparedXformTest, PreBlurIsNotATermAndPerturbsTheInputOfTheOthers) {
  Xform xform;
  xform.Variation(V::kPreBlur) = 0.1;
  xform.Variation(V::kSpherical) = 1.0;
  const PreparedXform prepared = PreparedXform::Prepare(xform);
  ASSERT_EQ(prepared.terms().size(), 1u);
  EXPECT_EQ(prepared.terms()[0].id, V::kSpherical);
  EXPECT_EQ(prepared.pre_blur_weight(), 0.1);

  // spherical inverts the blurred point q: q = out / |out|^2, |q - p| <= 2 * 0.1.
  Random rng(3);
  double mean_dx = 0;
  bool moved = false;
  for (int i = 0; i < 5000; ++i) {
    const Point2 out = prepared.Apply({0.3, 0.4}, rng);
    const double r2 = out.x * out.x + out.y * out.y;
    const Point2 q{out.x / r2, out.y / r2};
    ASSERT_LE(std::hypot(q.x - 0.3, q.y - 0.4), 0.2 + 1e-9);
    moved |= std::hypot(q.x - 0.3, q.y - 0.4) > 1e-3;
    mean_dx += (q.x - 0.3) / 5000;
  }
  EXPECT_TRUE(moved);
  EXPECT_NEAR(mean_dx, 0, 0.005);
}

TEST(PreparedXformTest, PreBlurAloneMapsToTheOrigin) {
  // flam3 lists pre_blur among the active variations but it adds nothing.
  const Point2 out = ApplyOnce(MakeXform(V::kPreBlur, 1, {}), {0.3, 0.4});
  EXPECT_EQ(out.x, 0.0);
  EXPECT_EQ(out.y, 0.0);
}

TEST(PreparedXformTest, SuperShapeRandomnessIsClampedLikeFlam3sParser) {
  const PreparedXform prepared =
      PreparedXform::Prepare(MakeXform(V::kSuperShape, 1, {{"super_shape_rnd", 5}}));
  Random rng(1);
  // rnd clamps to 1: radius U * 2^(-1/2) < 1 (unclamped it could reach ~3).
  for (int i = 0; i < 1000; ++i) {
    const Point2 out = prepared.Apply({0.3, 0.4}, rng);
    ASSERT_LE(std::hypot(out.x, out.y), 1.0);
  }
}

// The pre_ and post_ forms, as Ember applies them (prepared_xform.h): worked
// out by hand with the published formulas.
TEST(PreparedXformTest, PostFormComesAfterTheSumAndBeforeThePostAffine) {
  Xform xform = MakeXform(V::kLinear, 1.0, {}, Affine2{2, 0, 1, 1, 0.1, -0.2});
  xform.Variation(*PostForm(V::kSpherical)) = 0.5;
  xform.post = Affine2{0, 1, -1, 0, 3, 4};
  // (0.5, 1) -> affine (2.1, 0.8) -> linear 1, the same -> post_spherical 0.5:
  // 0.5 / (2.1^2 + 0.8^2 + flam3's EPS) * (2.1, 0.8) = (0.2079..., 0.0792...)
  // -> post affine: x' = -0.0792... + 3, y' = 0.2079... + 4.
  const double r2 = 5.05 + 1e-10;
  const Point2 out = ApplyOnce(xform, {0.5, 1});
  EXPECT_NEAR(out.x, 3.0 - 0.4 / r2, 1e-14);
  EXPECT_NEAR(out.y, 4.0 + 1.05 / r2, 1e-14);
  const PreparedXform prepared = PreparedXform::Prepare(xform);
  ASSERT_EQ(prepared.post_forms().size(), 1u);
  EXPECT_EQ(prepared.post_forms()[0].term.id, V::kSpherical);  // its entry's formula
  EXPECT_EQ(prepared.terms().size(), 1u);
  EXPECT_TRUE(prepared.pre_forms().empty());
}

TEST(PreparedXformTest, PreFormReplacesThePointTheRegularSumReads) {
  // pre_curl (its own c1 0.5) then curl (c1 at its default 1), identity affine:
  // (0.4, 0.2) -> re 1.2, im 0.1 -> (0.5, 0.2) / 1.45 = (10, 4) / 29
  //            -> re 39/29, im 4/29 -> (406, 116) / 1537 = (14, 4) / 53.
  Xform xform = MakeXform(V::kCurl, 1.0);
  xform.Variation(*PreForm(V::kCurl)) = 1.0;
  xform.Param(*PreForm(V::kCurl), 0) = 0.5;
  const Point2 out = ApplyOnce(xform, {0.4, 0.2});
  EXPECT_NEAR(out.x, 14.0 / 53.0, 1e-15);
  EXPECT_NEAR(out.y, 4.0 / 53.0, 1e-15);
  // Ember: pre_spherical at w and linear at 1 draw the same as spherical at w.
  Xform pre = MakeXform(V::kLinear, 1.0, {}, Affine2{0.9, 0.2, -0.2, 0.9, 0.1, 0});
  pre.Variation(*PreForm(V::kSpherical)) = 0.4;
  Xform regular = MakeXform(V::kSpherical, 0.4, {}, Affine2{0.9, 0.2, -0.2, 0.9, 0.1, 0});
  for (const Point2 p : {Point2{0.3, -0.7}, Point2{-1.5, 0.2}}) {
    EXPECT_EQ(ApplyOnce(pre, p).x, ApplyOnce(regular, p).x);
    EXPECT_EQ(ApplyOnce(pre, p).y, ApplyOnce(regular, p).y);
  }
}

TEST(PreparedXformTest, FormsSetByCodeApplyInIdOrder) {
  // No form_order: pre_sinusoidal (an earlier entry) before pre_spherical,
  // whatever the order they were set in: (2.1, 0.8) -> (sin 2.1, sin 0.8) ->
  // / its squared radius (and flam3's EPS).
  Xform xform = MakeXform(V::kLinear, 1.0);
  xform.Variation(*PreForm(V::kSpherical)) = 1.0;
  xform.Variation(*PreForm(V::kSinusoidal)) = 1.0;
  const double sx = std::sin(2.1), sy = std::sin(0.8), r2 = sx * sx + sy * sy + 1e-10;
  const Point2 out = ApplyOnce(xform, {2.1, 0.8});
  EXPECT_NEAR(out.x, sx / r2, 1e-14);
  EXPECT_NEAR(out.y, sy / r2, 1e-14);
}

// Ember applies forms in the order the file lists them (Xform::form_order):
// pre_spherical listed first runs first, (2.1, 0.8) -> / its squared radius
// -> sin of each coordinate; a form not listed comes after the listed ones.
TEST(PreparedXformTest, FormsApplyInTheOrderTheFileListsThem) {
  Xform xform = MakeXform(V::kLinear, 1.0);
  xform.Variation(*PreForm(V::kSpherical)) = 1.0;
  xform.Variation(*PreForm(V::kSinusoidal)) = 1.0;
  xform.form_order = {*PreForm(V::kSpherical), *PreForm(V::kSinusoidal)};
  const double r2 = 2.1 * 2.1 + 0.8 * 0.8 + 1e-10;
  Point2 out = ApplyOnce(xform, {2.1, 0.8});
  EXPECT_NEAR(out.x, std::sin(2.1 / r2), 1e-14);
  EXPECT_NEAR(out.y, std::sin(0.8 / r2), 1e-14);

  xform.form_order = {*PreForm(V::kSpherical)};  // pre_sinusoidal unlisted: after it
  out = ApplyOnce(xform, {2.1, 0.8});
  EXPECT_NEAR(out.x, std::sin(2.1 / r2), 1e-14);

  // The same for post_ forms, on the sum.
  Xform post = MakeXform(V::kLinear, 1.0);
  post.Variation(*PostForm(V::kSinusoidal)) = 1.0;
  post.Variation(*PostForm(V::kSpherical)) = 1.0;
  post.form_order = {*PostForm(V::kSpherical), *PostForm(V::kSinusoidal)};
  out = ApplyOnce(post, {2.1, 0.8});
  EXPECT_NEAR(out.x, std::sin(2.1 / r2), 1e-14);
  EXPECT_NEAR(out.y, std::sin(0.8 / r2), 1e-14);
}

TEST(PreparedXformTest, FormsOfBlursThatReadNoPointAreAdded) {
  // pre_gaussian_blur blurs the point: the same draws as gaussian_blur beside
  // linear. And its post_ form adds the same blur to the sum.
  const Affine2 affine{0.9, 0.2, -0.2, 0.9, 0.1, 0};
  Xform pre = MakeXform(V::kLinear, 1.0, {}, affine);
  pre.Variation(*PreForm(V::kGaussianBlur)) = 0.3;
  Xform post = MakeXform(V::kLinear, 1.0, {}, affine);
  post.Variation(*PostForm(V::kGaussianBlur)) = 0.3;
  Xform summed = MakeXform(V::kLinear, 1.0, {}, affine);
  summed.Variation(V::kGaussianBlur) = 0.3;
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    const Point2 want = ApplyOnce(summed, {0.3, -0.7}, seed);
    EXPECT_FALSE(want.x == 0.9 * 0.3 + 0.2 * -0.7 + 0.1);  // the blur moved it
    for (const Xform& xform : {pre, post}) {
      const Point2 got = ApplyOnce(xform, {0.3, -0.7}, seed);
      EXPECT_EQ(got.x, want.x);
      EXPECT_EQ(got.y, want.y);
    }
  }
}

TEST(PreparedXformTest, FormsWithoutARegularVariationMapToTheOrigin) {
  Xform xform;
  xform.Variation(*PreForm(V::kSinusoidal)) = 1.0;
  xform.Variation(*PostForm(V::kLinear)) = 2.0;
  const Point2 out = ApplyOnce(xform, {0.3, 0.4});
  EXPECT_EQ(out.x, 0.0);
  EXPECT_EQ(out.y, 0.0);
}

// At the origin, worked out by hand from flam3's formulas with weight 1 and
// default parameters: which variations produce a bad value (NaN, or beyond
// 1e10), because flam3 divides by r or takes log(0) without an EPS guard.
// Random ones whose outcome depends on the draw (arch, rays, boarders) and
// wedge_sph (exactly 1/EPS = 1e10, on the edge of the test) are left out.
TEST(PreparedXformTest, OriginGivesFlam3sBadValuesAndNoCrash) {
  const std::set<VariationId> bad_at_origin = {
      V::kSpiral,      V::kHyperbolic, V::kDiamond, V::kPower,   V::kRings, V::kBlob,   V::kRings2,
      V::kPerspective, V::kSuperShape, V::kFlower,  V::kConic,   V::kCpow,  V::kEscher, V::kFoci,
      V::kLoonie,      V::kPolar2,     V::kScry,    V::kLog,     V::kCsc,   V::kCot,    V::kCsch,
      V::kCoth,        V::kMobius,     V::kJulia3D, V::kGlynnia, V::kFoci3D};
  const std::set<VariationId> undecided = {V::kArch, V::kRays, V::kBoarders, V::kWedgeSph};
  for (const VariationInfo& info : AllVariations()) {
    if (info.form != VariationForm::kRegular) continue;
    for (uint64_t seed = 1; seed <= 4; ++seed) {
      const Point2 out = ApplyOnce(MakeXform(info.id, 1.0), {0, 0}, seed);
      if (undecided.contains(info.id)) continue;
      EXPECT_EQ(IsBadPoint(out), bad_at_origin.contains(info.id))
          << info.name << " -> (" << out.x << ", " << out.y << ")";
    }
  }
}

TEST(PreparedXformTest, ExtremeInputsDoNotCrash) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const Point2 inputs[] = {{1e300, -1e300}, {inf, 0}, {nan, 1}, {1e-300, 1e-300}, {-3, 1e12}};
  int bad = 0;
  for (const VariationInfo& info : AllVariations()) {
    // Non-default parameters too, to reach the precalculated paths.
    Xform xform = MakeXform(info.id, 1.0);
    for (int j = 0; j < info.param_count; ++j) xform.params[info.first_param + j] += 0.5;
    const PreparedXform prepared = PreparedXform::Prepare(xform);
    Random rng(9);
    for (const Point2& p : inputs) bad += IsBadPoint(prepared.Apply(p, rng));
  }
  // A NaN input poisons every variation that reads the point.
  EXPECT_GE(bad, 90);
}

TEST(PreparedXformTest, IsBadPointFollowsFlam3) {
  EXPECT_FALSE(IsBadPoint({0, 0}));
  EXPECT_FALSE(IsBadPoint({1e10, -1e10}));
  EXPECT_TRUE(IsBadPoint({1.0000001e10, 0}));
  EXPECT_TRUE(IsBadPoint({0, -1.0000001e10}));
  EXPECT_TRUE(IsBadPoint({std::nan(""), 0}));
  EXPECT_TRUE(IsBadPoint({0, std::numeric_limits<double>::infinity()}));
}

}  // namespace
}  // namespace flamegrid
