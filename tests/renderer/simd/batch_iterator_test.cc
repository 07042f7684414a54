// BatchIterator: same contract as PreparedFlame::IterateChunk (exact sample
// counts, colours, opacity, final xform, bad-value restarts), deterministic
// per chunk, and the same attractor as the scalar iterator in distribution,
// with xforms on the scalar fallback as with vectorised ones.
#include <gtest/gtest.h>

#include <hwy/targets.h>

#include <cmath>
#include <string>
#include <vector>

#include "renderer/render/batch_iterator.h"
#include "renderer/render/chaos_game.h"
#include "tests/renderer/render/test_flames.h"

namespace flamegrid {
namespace {

using testing::SierpinskiFlame;

class TargetGuard {
 public:
  ~TargetGuard() { hwy::SetSupportedTargetsForTest(0); }
};

std::vector<IteratedPoint> RunChunk(const BatchIterator& it, uint64_t seed, int samples,
                                    uint64_t* bad = nullptr) {
  Random rng = Random::ForStream(seed, 3);
  std::vector<IteratedPoint> out;
  uint64_t iterations = 0;
  const uint64_t b = it.IterateChunk(rng, samples, kFuseIterations, out, &iterations);
  if (bad != nullptr) *bad = b;
  EXPECT_GE(iterations, static_cast<uint64_t>(samples));
  return out;
}

TEST(BatchIteratorTest, StaysOnTheSierpinskiTriangleWithFlam3Colours) {
  const Flame flame = SierpinskiFlame();
  auto it = BatchIterator::Create(flame);
  ASSERT_TRUE(it.ok()) << it.status().ToString();
  TargetGuard guard;
  const std::vector<int64_t> targets = hwy::SupportedAndGeneratedTargets();
  for (int64_t target : targets) {
    hwy::SetSupportedTargetsForTest(target);
    SCOPED_TRACE(VectorTargetName());
    for (int samples : {1, 999, 20000}) {
      const std::vector<IteratedPoint> pts = RunChunk(*it, 1, samples);
      ASSERT_EQ(pts.size(), static_cast<size_t>(samples));
      double mean_x = 0, mean_color = 0;
      for (const IteratedPoint& p : pts) {
        ASSERT_GE(p.x, -1e-4);
        ASSERT_GE(p.y, -1e-4);
        ASSERT_LE(p.x + p.y, 1.0 + 1e-4);
        ASSERT_EQ(p.visibility, 1.0);
        ASSERT_GE(p.color, 0.0);
        ASSERT_LE(p.color, 1.0);
        mean_x += p.x / samples;
        mean_color += p.color / samples;
      }
      if (samples == 20000) {
        // The triangle's centroid is (1/3, 1/3); colour 0, .5, 1 with
        // color_speed .5 averages to 0.5.
        EXPECT_NEAR(mean_x, 1.0 / 3.0, 0.01);
        EXPECT_NEAR(mean_color, 0.5, 0.01);
      }
    }
  }
}

TEST(BatchIteratorTest, SameSeedSameSamplesDifferentSeedDifferentSamples) {
  const Flame flame = SierpinskiFlame();
  auto it = BatchIterator::Create(flame);
  ASSERT_TRUE(it.ok());
  const auto a = RunChunk(*it, 7, 50000);
  const auto b = RunChunk(*it, 7, 50000);
  const auto c = RunChunk(*it, 8, 50000);
  ASSERT_EQ(a.size(), b.size());
  int same_as_c = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].x, b[i].x);
    ASSERT_EQ(a[i].y, b[i].y);
    ASSERT_EQ(a[i].color, b[i].color);
    same_as_c += a[i].x == c[i].x;
  }
  EXPECT_LT(same_as_c, 100);
}

// Swirl, julia (random) with xaos, a half-opaque xform and a spherical final
// xform.
Flame MixedFlame() {
  Flame flame = SierpinskiFlame();
  flame.xforms[0].Variation(VariationId::kLinear) = 0.0;
  flame.xforms[0].Variation(VariationId::kSwirl) = 0.6;
  flame.xforms[1].Variation(VariationId::kJulia) = 0.5;
  flame.xforms[2].opacity = 0.5;
  flame.xforms[0].chaos = {1.0, 2.0, 0.0};  // xaos
  Xform final_xform;
  final_xform.Variation(VariationId::kSpherical) = 1.0;
  final_xform.color = 1.0;
  final_xform.color_speed = 0.0;
  flame.final_xform = final_xform;
  return flame;
}

// A coarse occupancy histogram, the mean visibility and the mean colour of
// the samples of `batch` (made from `flame`) agree with the scalar iterator's.
void ExpectSameDistributionAsScalar(const Flame& flame, const BatchIterator& batch) {
  auto scalar = PreparedFlame::Create(flame);
  ASSERT_TRUE(scalar.ok());

  constexpr int kGrid = 8;
  auto histogram = [&](const std::vector<IteratedPoint>& pts) {
    std::vector<double> h(kGrid * kGrid + 1, 0.0);
    for (const IteratedPoint& p : pts) {
      const int gx = static_cast<int>(std::floor((p.x + 2.0) / 4.0 * kGrid));
      const int gy = static_cast<int>(std::floor((p.y + 2.0) / 4.0 * kGrid));
      const bool inside = gx >= 0 && gy >= 0 && gx < kGrid && gy < kGrid;
      h[inside ? gy * kGrid + gx : kGrid * kGrid] += 1.0 / pts.size();
    }
    return h;
  };
  constexpr int kSamples = 200000;
  const auto batch_pts = RunChunk(batch, 11, kSamples);
  Random rng(12);
  std::vector<IteratedPoint> scalar_pts;
  uint64_t iterations = 0;
  scalar->IterateChunk(rng, kSamples, kFuseIterations, scalar_pts, &iterations);
  const auto hb = histogram(batch_pts), hs = histogram(scalar_pts);
  for (size_t k = 0; k < hb.size(); ++k) EXPECT_NEAR(hb[k], hs[k], 0.01) << "cell " << k;
  double vis_b = 0, vis_s = 0, col_b = 0, col_s = 0;
  for (int i = 0; i < kSamples; ++i) {
    vis_b += batch_pts[i].visibility / kSamples;
    vis_s += scalar_pts[i].visibility / kSamples;
    col_b += batch_pts[i].color / kSamples;
    col_s += scalar_pts[i].color / kSamples;
  }
  EXPECT_NEAR(vis_b, vis_s, 0.01);
  EXPECT_NEAR(col_b, col_s, 0.01);
}

TEST(BatchIteratorTest, MatchesTheScalarIteratorInDistribution) {
  const Flame flame = MixedFlame();
  auto batch = BatchIterator::Create(flame);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->scalar_fallback_count(), 0);
  ExpectSameDistributionAsScalar(flame, *batch);
}

// The julia xform and the final xform on the scalar fallback, swirl and the
// half-opaque linear xform vectorised.
TEST(BatchIteratorTest, ScalarFallbackXformsMatchTheScalarIteratorInDistribution) {
  const Flame flame = MixedFlame();
  const int scalar_xforms[] = {1, -1};
  auto batch = BatchIterator::Create(flame, scalar_xforms);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->scalar_fallback_count(), 2);
  ExpectSameDistributionAsScalar(flame, *batch);
}

TEST(BatchIteratorTest, ScalarFallbackIsDeterministicPerChunk) {
  const int scalar_xforms[] = {1};
  auto it = BatchIterator::Create(MixedFlame(), scalar_xforms);
  ASSERT_TRUE(it.ok());
  const auto a = RunChunk(*it, 7, 20000);
  const auto b = RunChunk(*it, 7, 20000);
  const auto c = RunChunk(*it, 8, 20000);
  int same_as_c = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].x, b[i].x);
    ASSERT_EQ(a[i].y, b[i].y);
    same_as_c += a[i].x == c[i].x;
  }
  EXPECT_LT(same_as_c, 100);
}

// Each variation without a vector formula puts its own xform, and only that
// one, on the scalar fallback, and the flame iterates as the scalar iterator
// does.
TEST(BatchIteratorTest, ScalarOnlyVariationsTakeTheFallbackInTheirXformOnly) {
  int checked = 0;
  for (const VariationInfo& info : AllVariations()) {
    if (info.has_vector_formula) continue;
    SCOPED_TRACE(std::string(info.name));
    Flame flame = SierpinskiFlame();
    flame.xforms[1].Variation(VariationId::kLinear) = 0.8;
    flame.xforms[1].Variation(info.id) = 0.2;
    auto it = BatchIterator::Create(flame);
    ASSERT_TRUE(it.ok());
    EXPECT_EQ(it->scalar_fallback_count(), 1);
    ExpectSameDistributionAsScalar(flame, *it);
    ++checked;
  }
  if (checked == 0) GTEST_SKIP() << "every catalogue entry has a vector formula";
}

TEST(BatchIteratorTest, AlwaysBadFlameRestartsAndStillFillsTheChunk) {
  Flame flame = SierpinskiFlame();
  for (Xform& xf : flame.xforms) {
    xf.Variation(VariationId::kLinear) = 0.0;
    xf.Variation(VariationId::kMobius) = 1.0;  // defaults divide by zero
  }
  auto it = BatchIterator::Create(flame);
  ASSERT_TRUE(it.ok());
  uint64_t bad = 0;
  const auto pts = RunChunk(*it, 5, 5000, &bad);
  ASSERT_EQ(pts.size(), 5000u);
  EXPECT_GE(bad, 5000u * (kMaxConsecutiveBadValues + 1));
  for (const IteratedPoint& p : pts) {
    ASSERT_GE(p.x, -1.0);
    ASSERT_LT(p.x, 1.0);
  }
}

TEST(BatchIteratorTest, RejectsWhatPreparedFlameRejects) {
  Flame flame = SierpinskiFlame();
  for (Xform& xf : flame.xforms) xf.weight = 0.0;
  EXPECT_FALSE(BatchIterator::Create(flame).ok());
  flame.xforms.clear();
  EXPECT_FALSE(BatchIterator::Create(flame).ok());
}

}  // namespace
}  // namespace flamegrid
