// Random genomes and mutation beyond flam3's 99 variations: the weighted
// default draw, --flam3-only, crossover keeping new variations, and random
// genomes using them rendering.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "renderer/animate/cross.h"
#include "renderer/animate/mutate.h"
#include "renderer/animate/random_genome.h"
#include "renderer/animate/validate.h"
#include "renderer/render/renderer.h"
#include "tests/renderer/animate/test_genomes.h"

namespace flamegrid {
namespace {

using V = VariationId;

bool UsesBeyondFlam3(const Flame& flame) {
  for (const Xform& xf : flame.xforms) {
    for (int v = kFlam3VariationCount; v < kVariationCount; ++v) {
      if (xf.variations[v] != 0.0) return true;
    }
  }
  return false;
}

bool UsesAny(const Flame& flame, const std::vector<VariationId>& ids) {
  for (const Xform& xf : flame.xforms) {
    for (VariationId id : ids) {
      if (xf.Variation(id) != 0.0) return true;
    }
  }
  return false;
}

TEST(RandomVariations, WeightsKeepTheClassicsMostCommon) {
  EXPECT_EQ(RandomVariationWeightOf(V::kSwirl), 1.0);
  EXPECT_EQ(RandomVariationWeightOf(V::kJulian), 1.0);
  for (V rarer : {V::kBlur, V::kGaussianBlur, V::kNoise, V::kBlur3D, V::kSineBlur, V::kSpherical3D,
                  V::kHemisphere, V::kJulia3D}) {
    EXPECT_LT(RandomVariationWeightOf(rarer), 0.5) << GetVariationInfo(rarer).name;
  }
  // Nothing to see in 2D, or never a term of its own: never drawn.
  EXPECT_EQ(RandomVariationWeightOf(V::kZBlur), 0.0);
  EXPECT_EQ(RandomVariationWeightOf(V::kPreBlur), 0.0);
  // A row without an entry takes the default for rows beyond flam3.
  EXPECT_EQ(RandomVariationWeightOf(V::kTileLog), kRandomWeightBeyondFlam3);
  std::set<std::string_view> names;
  for (const RandomVariationWeight& entry : RandomVariationWeights()) {
    EXPECT_TRUE(names.insert(entry.name).second) << entry.name << " is listed twice";
    EXPECT_GE(entry.weight, 0.0) << entry.name;
    EXPECT_LE(entry.weight, 1.0) << entry.name;
  }
  for (const RandomParamRange& range : RandomParamRanges()) {
    EXPECT_LE(range.low, range.high) << range.name;
    EXPECT_GE(range.keep_default, 0.0) << range.name;
    EXPECT_LT(range.keep_default, 1.0) << range.name;
  }
}

TEST(RandomVariations, DefaultDrawCoversTheRegularRowsByWeight) {
  const VariationDraw draw = DefaultVariationDraw();
  ASSERT_EQ(draw.ids.size(), draw.weights.size());
  std::set<V> listed(draw.ids.begin(), draw.ids.end());
  EXPECT_EQ(listed.size(), draw.ids.size());
  for (const VariationInfo& info : AllVariations()) {
    const double weight = RandomVariationWeightOf(info.id);
    EXPECT_EQ(listed.count(info.id) == 1, weight > 0.0) << info.name;
  }
  for (size_t i = 0; i < draw.ids.size(); ++i) {
    EXPECT_EQ(draw.weights[i], RandomVariationWeightOf(draw.ids[i]));
  }

  // The draw follows the weights: swirl (1) against sineblur (0.05) and
  // tile_log (the default 0.4), over many draws with a fixed seed.
  std::map<V, int> count;
  Random rng(17);
  constexpr int kDraws = 200000;
  for (int i = 0; i < kDraws; ++i) ++count[draw.Draw(rng)];
  double total = 0.0;
  for (double w : draw.weights) total += w;
  for (V id : {V::kSwirl, V::kSineBlur, V::kTileLog, V::kBlur}) {
    const double expected = kDraws * RandomVariationWeightOf(id) / total;
    EXPECT_NEAR(count[id], expected, 5.0 * std::sqrt(expected) + 1.0) << GetVariationInfo(id).name;
  }
  EXPECT_EQ(count[V::kZBlur], 0);
  int beyond = 0;
  for (const auto& [id, n] : count) beyond += VariationIndex(id) >= kFlam3VariationCount ? n : 0;
  EXPECT_GT(beyond, 0);
  EXPECT_LT(beyond, kDraws / 10);  // the classics stay the bulk
}

TEST(RandomVariations, AnEvenDrawKeepsFlam3GenomesSequence) {
  const VariationDraw even = VariationDraw::Even({V::kSwirl, V::kJulia, V::kHorseshoe});
  Random a(3), b(3);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(even.Draw(a), even.ids[b.Below(3)]);
}

TEST(RandomVariations, RandomGenomesUseNewVariationsUnlessFlam3Only) {
  int with_new = 0;
  for (uint64_t seed = 0; seed < 60; ++seed) {
    Random r1(seed), r2(seed);
    auto weighted = RandomGenome({}, r1);
    ASSERT_TRUE(weighted.ok());
    EXPECT_TRUE(ValidateGenome(*weighted).ok());
    with_new += UsesBeyondFlam3(*weighted) ? 1 : 0;
    RandomGenomeOptions flam3;
    flam3.flam3_only = true;
    auto classic = RandomGenome(flam3, r2);
    ASSERT_TRUE(classic.ok());
    EXPECT_FALSE(UsesBeyondFlam3(*classic)) << seed;
    // flam3-genome's list leaves the noisy ones out.
    EXPECT_FALSE(UsesAny(*classic, {V::kBlur, V::kNoise, V::kPreBlur, V::kSquare})) << seed;
  }
  EXPECT_GT(with_new, 0);
}

TEST(RandomVariations, NewParametricVariationsGetRandomParameters) {
  RandomGenomeOptions options;
  options.variations = {V::kJulia3D};
  options.xforms = 8;
  Random rng(4);
  auto g = RandomGenome(options, rng);
  ASSERT_TRUE(g.ok());
  std::set<double> powers;
  for (const Xform& xf : g->xforms) {
    const double power = xf.Param(V::kJulia3D, 0);
    EXPECT_EQ(power, std::round(power));
    EXPECT_GE(std::fabs(power), 2.0);
    EXPECT_LE(std::fabs(power), 5.0);
    powers.insert(power);
  }
  EXPECT_GT(powers.size(), 1u);
}

TEST(RandomVariations, MutationCanAddANewVariation) {
  const Flame parent = testing::ThreeXformFlame();
  int with_new = 0;
  for (uint64_t seed = 0; seed < 40; ++seed) {
    MutateOptions options;
    options.method = MutationMethod::kAllVariations;
    Random r1(seed), r2(seed);
    auto child = Mutate(parent, options, r1);
    ASSERT_TRUE(child.ok());
    with_new += UsesBeyondFlam3(*child) ? 1 : 0;
    options.flam3_only = true;
    auto classic = Mutate(parent, options, r2);
    ASSERT_TRUE(classic.ok());
    EXPECT_FALSE(UsesBeyondFlam3(*classic)) << seed;
  }
  EXPECT_GT(with_new, 0);
}

TEST(RandomVariations, CrossoverKeepsANewVariation) {
  Flame a = testing::TwoXformFlame();
  a.xforms[0].Variation(V::kLinear) = 0.0;
  a.xforms[0].Variation(V::kHemisphere) = 1.0;
  a.xforms[1].Variation(V::kJulia3D) = 1.0;
  a.xforms[1].Param(V::kJulia3D, 0) = 3.0;
  const Flame b = testing::ThreeXformFlame();
  for (CrossMethod method :
       {CrossMethod::kAlternate, CrossMethod::kInterpolate, CrossMethod::kUnion}) {
    for (uint64_t seed = 0; seed < 5; ++seed) {
      Random rng(seed);
      auto child = Cross(a, b, method, rng);
      ASSERT_TRUE(child.ok()) << child.status().ToString();
      EXPECT_TRUE(UsesAny(*child, {V::kHemisphere}))
          << "method " << static_cast<int>(method) << " seed " << seed;
      if (method != CrossMethod::kAlternate) {
        bool julia3d_kept = false;
        for (const Xform& xf : child->xforms) {
          julia3d_kept |= xf.Variation(V::kJulia3D) > 0.0 && xf.Param(V::kJulia3D, 0) == 3.0;
        }
        EXPECT_TRUE(julia3d_kept) << "method " << static_cast<int>(method) << " seed " << seed;
      }
    }
  }
}

// A tiny render of `flame`: it must succeed, light some pixels and not lose
// most of its points to bad values.
void ExpectRenders(Flame flame, const std::string& what) {
  flame.width = 24;
  flame.height = 24;
  flame.pixels_per_unit = 8.0;
  flame.sample_density = 4.0;
  flame.estimator_radius = 0.0;
  RenderOptions options;
  options.threads = 1;
  options.seed = 7;
  RenderStats stats;
  auto image = RenderFlame(flame, options, &stats);
  ASSERT_TRUE(image.ok()) << what << ": " << image.status().ToString();
  EXPECT_LT(stats.bad_values, stats.iterations / 2) << what;
  double light = 0.0;
  for (int y = 0; y < image->height; ++y) {
    for (int x = 0; x < image->width; ++x) {
      const float* p = image->Pixel(x, y);
      light += p[0] + p[1] + p[2];
    }
  }
  EXPECT_GT(light, 0.0) << what;
}

TEST(RandomVariations, RandomGenomesWithNewVariationsRender) {
  for (const VariationInfo& info : AllVariations()) {
    if (VariationIndex(info.id) < kFlam3VariationCount) continue;
    if (RandomVariationWeightOf(info.id) == 0.0) continue;
    RandomGenomeOptions options;
    options.variations = {info.id};
    options.xforms = 3;
    Random rng(11);
    auto flame = RandomGenome(options, rng);
    ASSERT_TRUE(flame.ok());
    ExpectRenders(*flame, std::string(info.name));
  }
  int rendered_new = 0;
  for (uint64_t seed = 0; seed < 40 && rendered_new < 4; ++seed) {
    Random rng(seed);
    auto flame = RandomGenome({}, rng);
    ASSERT_TRUE(flame.ok());
    if (!UsesBeyondFlam3(*flame)) continue;
    ExpectRenders(*flame, "default draw, seed " + std::to_string(seed));
    ++rendered_new;
  }
  EXPECT_EQ(rendered_new, 4);
}

}  // namespace
}  // namespace flamegrid
