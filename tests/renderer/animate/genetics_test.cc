#include <gtest/gtest.h>

#include "renderer/animate/cross.h"
#include "renderer/animate/mutate.h"
#include "renderer/animate/random_genome.h"
#include "renderer/animate/validate.h"
#include "tests/renderer/animate/test_genomes.h"

namespace flamegrid {
namespace {

TEST(RandomGenome, ReproducibleAndValid) {
  for (uint64_t seed = 0; seed < 20; ++seed) {
    Random r1(seed), r2(seed);
    auto a = RandomGenome({}, r1);
    auto b = RandomGenome({}, r2);
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(*a, *b);
    EXPECT_TRUE(ValidateGenome(*a).ok()) << ValidateGenome(*a).ToString();
    EXPECT_GE(a->xforms.size(), 2u);
  }
  Random r1(1), r2(2);
  EXPECT_NE(*RandomGenome({}, r1), *RandomGenome({}, r2));
}

// Random genomes draw regular variations only, never a pre_ or post_ form.
TEST(RandomGenome, DrawsNoPreOrPostForms) {
  for (VariationId id : DefaultRandomVariations()) {
    EXPECT_EQ(FormOf(id), VariationForm::kRegular) << GetVariationInfo(id).name;
  }
  for (uint64_t seed = 0; seed < 50; ++seed) {
    Random rng(seed);
    auto genome = RandomGenome({}, rng);
    ASSERT_TRUE(genome.ok());
    for (const Xform& xform : genome->xforms) {
      for (int v = kRegularVariationCount; v < kVariationCount; ++v) {
        EXPECT_EQ(xform.variations[v], 0.0) << GetVariationInfo(static_cast<VariationId>(v)).name;
      }
    }
  }
}

TEST(RandomGenome, HonoursVariationsXformsSymmetryAndTemplate) {
  RandomGenomeOptions options;
  options.variations = {VariationId::kSwirl};
  options.xforms = 3;
  options.symmetry = 4;
  Flame templ;
  templ.width = 64;
  templ.height = 48;
  templ.sample_density = 7;
  options.templ = &templ;
  Random rng(5);
  auto g = RandomGenome(options, rng);
  ASSERT_TRUE(g.ok());
  ASSERT_EQ(g->xforms.size(), 3u + 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(g->xforms[i].Variation(VariationId::kSwirl), 1.0);
  }
  for (int i = 3; i < 6; ++i) EXPECT_EQ(g->xforms[i].animate, 0.0);
  EXPECT_EQ(g->width, 64);
  EXPECT_EQ(g->height, 48);
  EXPECT_EQ(g->sample_density, 7);
  EXPECT_DOUBLE_EQ(g->pixels_per_unit, 50.0 * 64 / 100);

  options.xforms = 1000;
  EXPECT_FALSE(RandomGenome(options, rng).ok());
}

TEST(Mutate, EveryMethodIsReproducibleAndValid) {
  const Flame parent = testing::ThreeXformFlame();
  for (const char* name : {"any", "all_vars", "one_xform", "add_symmetry", "post_xforms",
                           "color_palette", "delete_xform", "all_coefs"}) {
    MutateOptions options;
    auto method = ParseMutationMethod(name);
    ASSERT_TRUE(method.ok());
    options.method = *method;
    Random r1(42), r2(42);
    std::string action;
    auto a = Mutate(parent, options, r1, &action);
    auto b = Mutate(parent, options, r2);
    ASSERT_TRUE(a.ok()) << name << ": " << a.status().ToString();
    ASSERT_TRUE(b.ok());
    EXPECT_EQ(*a, *b) << name;
    EXPECT_NE(*a, parent) << name;
    EXPECT_TRUE(ValidateGenome(*a).ok()) << name;
    EXPECT_FALSE(action.empty());
  }
  EXPECT_FALSE(ParseMutationMethod("frobnicate").ok());
  Flame empty;
  Random rng(1);
  EXPECT_FALSE(Mutate(empty, {}, rng).ok());
}

TEST(Cross, EveryMethodIsReproducibleAndValid) {
  const Flame a = testing::TwoXformFlame();
  const Flame b = testing::ThreeXformFlame();
  for (const char* name : {"alternate", "interpolate", "union", "any"}) {
    auto method = ParseCrossMethod(name);
    ASSERT_TRUE(method.ok());
    Random r1(9), r2(9);
    auto c1 = Cross(a, b, *method, r1);
    auto c2 = Cross(a, b, *method, r2);
    ASSERT_TRUE(c1.ok()) << name << ": " << c1.status().ToString();
    EXPECT_EQ(*c1, *c2) << name;
    EXPECT_TRUE(ValidateGenome(*c1).ok()) << name;
  }
  Random rng(3);
  auto alternate = Cross(a, b, CrossMethod::kAlternate, rng);
  ASSERT_EQ(alternate->xforms.size(), 3u);
  EXPECT_EQ(alternate->xforms[0].affine, a.xforms[0].affine);
  EXPECT_EQ(alternate->xforms[1].affine, b.xforms[1].affine);
  EXPECT_EQ(alternate->xforms[2].affine, b.xforms[2].affine);
  auto joined = Cross(a, b, CrossMethod::kUnion, rng);
  EXPECT_EQ(joined->xforms.size(), 5u);
  EXPECT_FALSE(ParseCrossMethod("mix").ok());
}

}  // namespace
}  // namespace flamegrid
