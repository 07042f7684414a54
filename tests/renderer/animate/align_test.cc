#include "renderer/animate/align.h"

#include <gtest/gtest.h>

#include "tests/renderer/animate/test_genomes.h"

namespace flamegrid {
namespace {

using testing::LinearXform;
using V = VariationId;

// A one-xform genome and a two-xform genome whose second xform uses `id`.
std::vector<AlignedFlame> AlignWithSecondUsing(VariationId id, InterpolationType type) {
  Flame a, b;
  a.xforms.push_back(LinearXform(1.0, Affine2{0.5, 0, 0, 0.5, 0, 0}));
  b.xforms.push_back(LinearXform(1.0, Affine2{0.5, 0, 0, 0.5, 0, 0}));
  Xform other = LinearXform(1.0, Affine2{0.3, 0.1, 0.2, 0.4, 0, 0});
  other.Variation(V::kLinear) = 0.0;
  other.Variation(id) = 1.0;
  b.xforms.push_back(other);
  a.interpolation_type = b.interpolation_type = type;
  const Flame pair[2] = {a, b};
  return AlignFlames(pair);
}

TEST(Align, PadsToTheLargestXformCount) {
  const auto aligned = AlignWithSecondUsing(V::kSwirl, InterpolationType::kLog);
  ASSERT_EQ(aligned[0].flame.xforms.size(), 2u);
  EXPECT_TRUE(aligned[0].tags[1].padding);
  EXPECT_FALSE(aligned[1].tags[1].padding);
  const Xform& pad = aligned[0].flame.xforms[1];
  EXPECT_EQ(pad.weight, 0.0);
  EXPECT_EQ(pad.color, 1.0);  // index parity
  EXPECT_EQ(pad.animate, 1.0);
  // No special neighbour: plain linear identity.
  EXPECT_EQ(pad.Variation(V::kLinear), 1.0);
  EXPECT_TRUE(pad.affine.IsIdentity());
}

TEST(Align, SphericalLikeNeighboursGetANegatedIdentity) {
  for (V id : {V::kSpherical, V::kNgon, V::kJulian, V::kJuliascope, V::kPolar, V::kWedgeSph,
               V::kWedgeJulia}) {
    const auto aligned = AlignWithSecondUsing(id, InterpolationType::kLog);
    const Xform& pad = aligned[0].flame.xforms[1];
    EXPECT_EQ(pad.Variation(V::kLinear), -1.0) << GetVariationInfo(id).name;
    EXPECT_EQ(pad.affine, (Affine2{-1, 0, 0, -1, 0, 0}));
  }
  // Only under log interpolation.
  const auto linear = AlignWithSecondUsing(V::kSpherical, InterpolationType::kLinear);
  EXPECT_EQ(linear[0].flame.xforms[1].Variation(V::kLinear), 1.0);
  EXPECT_TRUE(linear[0].flame.xforms[1].affine.IsIdentity());
}

TEST(Align, ParametricNeighboursGetZeroParameterVersions) {
  auto aligned = AlignWithSecondUsing(V::kRectangles, InterpolationType::kLog);
  Xform pad = aligned[0].flame.xforms[1];
  EXPECT_EQ(pad.Variation(V::kLinear), 0.0);
  EXPECT_EQ(pad.Variation(V::kRectangles), 1.0);
  EXPECT_EQ(pad.Param(V::kRectangles, 0), 0.0);
  EXPECT_EQ(pad.Param(V::kRectangles, 1), 0.0);

  aligned = AlignWithSecondUsing(V::kSuperShape, InterpolationType::kLinear);
  pad = aligned[0].flame.xforms[1];
  EXPECT_EQ(pad.Variation(V::kSuperShape), 1.0);
  EXPECT_EQ(pad.Param(V::kSuperShape, 2), 2.0);  // n1
  EXPECT_EQ(pad.Param(V::kSuperShape, 0), 0.0);  // rnd
}

TEST(Align, FanAndRingsNeighboursSwapTheAxes) {
  for (V id : {V::kFan, V::kRings}) {
    const auto aligned = AlignWithSecondUsing(id, InterpolationType::kLog);
    const Xform& pad = aligned[0].flame.xforms[1];
    EXPECT_EQ(pad.Variation(id), 1.0);
    EXPECT_EQ(pad.Variation(V::kLinear), 0.0);
    EXPECT_EQ(pad.affine, (Affine2{0, 1, 1, 0, 0, 0}));
  }
}

TEST(Align, OldAndOlderTypesOnlyPad) {
  for (InterpolationType type : {InterpolationType::kOld, InterpolationType::kOlder}) {
    const auto aligned = AlignWithSecondUsing(V::kSpherical, type);
    EXPECT_EQ(aligned[0].flame.xforms[1].Variation(V::kLinear), 1.0);
  }
}

TEST(Align, AbsentVariationsBorrowTheNeighboursParameters) {
  Flame a, b;
  a.xforms.push_back(LinearXform(1.0, Affine2{}));
  b.xforms.push_back(LinearXform(1.0, Affine2{}));
  b.xforms[0].Variation(V::kJulian) = 0.5;
  b.xforms[0].Param(V::kJulian, 0) = 4.0;
  const Flame pair[2] = {a, b};
  const auto aligned = AlignFlames(pair);
  // julian fades in at power 4, not at the default power 1.
  EXPECT_EQ(aligned[0].flame.xforms[0].Param(V::kJulian, 0), 4.0);
  EXPECT_EQ(aligned[0].flame.xforms[0].Variation(V::kJulian), 0.0);
}

TEST(Align, MissingFinalXformIsAStillIdentity) {
  Flame a, b;
  a.xforms.push_back(LinearXform(1.0, Affine2{}));
  b.xforms.push_back(LinearXform(1.0, Affine2{}));
  b.final_xform = LinearXform(0.0, Affine2{2, 0, 0, 2, 0, 0});
  const Flame pair[2] = {a, b};
  const auto aligned = AlignFlames(pair);
  ASSERT_TRUE(aligned[0].flame.final_xform.has_value());
  EXPECT_EQ(aligned[0].flame.final_xform->animate, 0.0);
  EXPECT_EQ(aligned[0].flame.final_xform->color_speed, 0.0);
  EXPECT_EQ(aligned[0].flame.final_xform->Variation(V::kLinear), 1.0);
  EXPECT_TRUE(aligned[0].tags[1].padding);
  EXPECT_EQ(aligned[1].flame.final_xform, b.final_xform);
}

TEST(Align, ChaosRowsReachNewXformsWithWeightOne) {
  Flame a, b;
  a.xforms.push_back(LinearXform(1.0, Affine2{}));
  a.xforms[0].chaos = {0.5};
  b.xforms.push_back(LinearXform(1.0, Affine2{}));
  b.xforms.push_back(LinearXform(1.0, Affine2{}));
  const Flame pair[2] = {a, b};
  const auto aligned = AlignFlames(pair);
  EXPECT_EQ(aligned[0].flame.xforms[0].chaos, (std::vector<double>{0.5, 1.0}));
}

}  // namespace
}  // namespace flamegrid
