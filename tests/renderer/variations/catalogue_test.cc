#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <set>
#include <string>

#include "renderer/catalogue/variation.h"
#include "renderer/variations/formulas_common.h"
#include "renderer/variations/prepared_xform.h"
#include "renderer/variations/variations.h"
#include "tests/renderer/variations/test_util.h"
#include "tests/renderer/variations/variation_input.h"

namespace flamegrid {
namespace {

// flam3's 99 first, in flam3's order; then the Apophysis/Ember ones; then the
// pre_ and post_ forms.
TEST(CatalogueTest, HasAll99InFlam3Order) {
  auto all = AllVariations();
  ASSERT_EQ(kRegularVariationCount, 141);
  ASSERT_EQ(all.size(), static_cast<size_t>(kVariationCount));
  for (int i = 0; i < kVariationCount; ++i) {
    EXPECT_EQ(VariationIndex(all[i].id), i);
    EXPECT_EQ(&GetVariationInfo(all[i].id), &all[i]);
  }
  // Spot checks against flam3.h's VAR_* numbering.
  EXPECT_EQ(VariationIndex(*FindVariation("linear")), 0);
  EXPECT_EQ(VariationIndex(*FindVariation("julia")), 13);
  EXPECT_EQ(VariationIndex(*FindVariation("julian")), 32);
  EXPECT_EQ(VariationIndex(*FindVariation("twintrian")), 47);
  EXPECT_EQ(VariationIndex(*FindVariation("pre_blur")), 67);
  EXPECT_EQ(VariationIndex(*FindVariation("oscilloscope")), 69);
  EXPECT_EQ(VariationIndex(*FindVariation("mobius")), 98);
  EXPECT_EQ(VariationIndex(*FindVariation("zblur")), 99);
  EXPECT_EQ(VariationIndex(*FindVariation("waves2")), 81);
  EXPECT_EQ(VariationIndex(*FindVariation("exp")), 82);
  EXPECT_EQ(VariationIndex(*FindVariation("mobius")), 98);
}

TEST(CatalogueTest, NamesAreUniqueAndRoundTrip) {
  std::set<std::string_view> names;
  for (const VariationInfo& info : AllVariations()) {
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    auto found = FindVariation(info.name);
    ASSERT_TRUE(found.has_value()) << info.name;
    EXPECT_EQ(*found, info.id);
  }
  EXPECT_FALSE(FindVariation("").has_value());
  EXPECT_FALSE(FindVariation("Linear").has_value());
  EXPECT_FALSE(FindVariation("julia_n").has_value());
  EXPECT_FALSE(FindVariation("secant").has_value());  // flam3 3.1 only knows secant2
}

// Names are case-sensitive: Apophysis' Mobius (parameters Mobius_Re_A ...
// Mobius_Im_D as Ember writes them, the identity by default) is another variation than flam3's
// mobius.
TEST(CatalogueTest, MobiusAndMobiusAreTwoVariations) {
  ASSERT_EQ(FindVariation("mobius"), VariationId::kMobius);
  ASSERT_EQ(FindVariation("Mobius"), VariationId::kMobiusApophysis);
  EXPECT_FALSE(FindVariation("MOBIUS").has_value());
  const VariationInfo& apophysis = GetVariationInfo(VariationId::kMobiusApophysis);
  EXPECT_EQ(apophysis.param_count, 8);
  EXPECT_EQ(FindVariationParam("Mobius_Re_A"), apophysis.first_param);
  EXPECT_EQ(FindVariationParam("Mobius_Im_D"), apophysis.first_param + 7);
  EXPECT_FALSE(FindVariationParam("Re_A").has_value());  // Apophysis' spelling: a reader alias
  EXPECT_FALSE(FindVariationParam("re_a").has_value());
  EXPECT_EQ(kVariationParams[apophysis.first_param].default_value, 1.0);      // Re_A
  EXPECT_EQ(kVariationParams[apophysis.first_param + 6].default_value, 1.0);  // Re_D
  EXPECT_EQ(kVariationParams[*FindVariationParam("mobius_re_a")].default_value, 0.0);
}

TEST(CatalogueTest, ParametersArePrefixedUniqueAndFindable) {
  std::set<std::string_view> names;
  int total = 0;
  for (const VariationInfo& info : AllVariations()) {
    for (int j = 0; j < info.param_count; ++j) {
      const VariationParamInfo& param = kVariationParams[info.first_param + j];
      EXPECT_EQ(param.variation, info.id);
      EXPECT_TRUE(param.name.starts_with(std::string(info.name) + "_")) << param.name;
      EXPECT_TRUE(names.insert(param.name).second) << param.name;
      EXPECT_EQ(FindVariationParam(param.name), info.first_param + j);
      ++total;
    }
  }
  EXPECT_EQ(total, kVariationParamCount);
  EXPECT_FALSE(FindVariationParam("julian").has_value());
  EXPECT_FALSE(FindVariationParam("oscope_frequency").has_value());  // a parser alias only
  EXPECT_FALSE(FindVariationParam("").has_value());
}

TEST(CatalogueTest, ParameterCountsMatchFlam3) {
  auto count = [](std::string_view name) {
    return GetVariationInfo(*FindVariation(name)).param_count;
  };
  EXPECT_EQ(count("linear"), 0);
  EXPECT_EQ(count("blob"), 3);
  EXPECT_EQ(count("julian"), 2);
  EXPECT_EQ(count("ngon"), 4);
  EXPECT_EQ(count("super_shape"), 6);
  EXPECT_EQ(count("lazysusan"), 5);
  EXPECT_EQ(count("separation"), 4);
  EXPECT_EQ(count("mobius"), 8);
  EXPECT_EQ(count("julia3D"), 1);
  EXPECT_EQ(count("blur_zoom"), 3);
  EXPECT_EQ(count("Mobius"), 8);
  EXPECT_EQ(count("curl3D"), 3);
  EXPECT_EQ(count("tile_hlp"), 1);
  EXPECT_EQ(count("bwraps"), 5);
  EXPECT_EQ(count("bwraps7"), 5);
  EXPECT_EQ(count("unpolar"), 0);
  EXPECT_EQ(count("bubble2"), 3);
  EXPECT_EQ(count("eJulia"), 1);
  EXPECT_EQ(count("pre_julian"), 2);
  EXPECT_EQ(count("post_mobius"), 8);
  EXPECT_EQ(count("barycentroid"), 4);
  EXPECT_EQ(count("circlecrop"), 5);
  EXPECT_EQ(count("dc_ztransl"), 5);
  EXPECT_EQ(count("foci_3D"), 0);
  // The entries' parameters come first: flam3's 109 and Ember's log_base, then 101 more.
  EXPECT_EQ(GetVariationInfo(VariationId::kMobius).first_param + 8, 110);  // after log_base
  EXPECT_EQ(GetVariationInfo(*PreForm(VariationId::kBlob)).first_param, 211);
  // Then the same 211 again for the pre_ forms and once more for the post_ forms.
  EXPECT_EQ(kVariationParamCount, 3 * 211);
  EXPECT_EQ(count("log"), 1);
}

// Defaults from flam3 3.1's initialize_xforms, as `flam3-genome clone=`
// prints them for an xform that names the variation without parameters.
TEST(CatalogueTest, DefaultsMatchFlam3) {
  auto def = [](std::string_view name) {
    auto index = FindVariationParam(name);
    EXPECT_TRUE(index.has_value()) << name;
    return index ? kVariationParams[*index].default_value : std::nan("");
  };
  EXPECT_EQ(def("blob_high"), 1.0);
  EXPECT_EQ(def("julian_power"), 1.0);
  EXPECT_EQ(def("julian_dist"), 1.0);
  EXPECT_EQ(def("pie_slices"), 6.0);
  EXPECT_EQ(def("pie_thickness"), 0.5);
  EXPECT_EQ(def("ngon_sides"), 5.0);
  EXPECT_EQ(def("ngon_power"), 3.0);
  EXPECT_EQ(def("ngon_circle"), 1.0);
  EXPECT_EQ(def("ngon_corners"), 2.0);
  EXPECT_EQ(def("curl_c1"), 1.0);
  EXPECT_EQ(def("rectangles_x"), 1.0);
  EXPECT_EQ(def("super_shape_n1"), 1.0);
  EXPECT_EQ(def("conic_eccentricity"), 1.0);
  EXPECT_EQ(def("bent2_x"), 1.0);
  EXPECT_EQ(def("cell_size"), 1.0);
  EXPECT_EQ(def("cpow_r"), 1.0);
  EXPECT_EQ(def("cpow_power"), 1.0);
  EXPECT_EQ(def("curve_xlength"), 1.0);
  EXPECT_EQ(def("oscilloscope_separation"), 1.0);
  EXPECT_EQ(def("oscilloscope_frequency"), std::numbers::pi);
  EXPECT_EQ(def("oscilloscope_amplitude"), 1.0);
  EXPECT_EQ(def("wedge_count"), 1.0);
  EXPECT_EQ(def("wedge_julia_count"), 1.0);
  EXPECT_EQ(def("wedge_julia_power"), 1.0);
  EXPECT_EQ(def("wedge_julia_dist"), 0.0);
  EXPECT_EQ(def("wedge_sph_count"), 1.0);
  EXPECT_EQ(def("auger_weight"), 0.5);
  EXPECT_EQ(def("auger_freq"), 1.0);
  EXPECT_EQ(def("auger_scale"), 1.0);
  // flam3 3.1 starts mobius at all zeros, not at the identity.
  for (const char* name : {"mobius_re_a", "mobius_im_a", "mobius_re_b", "mobius_im_b",
                           "mobius_re_c", "mobius_im_c", "mobius_re_d", "mobius_im_d"}) {
    EXPECT_EQ(def(name), 0.0) << name;
  }
}

TEST(CatalogueTest, XformStartsAtDefaults) {
  Xform xform;
  for (int p = 0; p < kVariationParamCount; ++p) {
    EXPECT_EQ(xform.params[p], kVariationParams[p].default_value) << kVariationParams[p].name;
  }
  EXPECT_EQ(xform.Param(VariationId::kNgon, 0), 5.0);
}

// Every entry of FLAMEGRID_VARIATIONS reaches a scalar formula: at weight 1 it
// moves some point somewhere (a case that returned nothing, as pre_blur's does
// by design, would not).
TEST(VariationTable, EveryEntryHasAScalarFormula) {
  const Affine2 affine{0.9, 0.2, -0.3, 0.8, 0.3, -0.2};  // waves, popcorn, rings, fan read it
  for (const VariationInfo& info : AllVariations()) {
    if (info.form != VariationForm::kRegular) continue;  // forms run their entry's formula
    if (info.id == VariationId::kPreBlur) continue;      // applied to the input point, never a term
    if (info.id == VariationId::kZBlur) continue;       // moves only z (formulas_test checks its 0)
    if (info.id == VariationId::kCrop) continue;        // crop_zero 1.75: all outside its box to 0
    if (info.id == VariationId::kCircleCrop) continue;  // the same, circlecrop_zero 1.5
    Xform xform = testing::MakeXform(info.id, 1.0, {}, affine);
    // Not the defaults: some (parabola's zero height and width) map everything to 0.
    for (int j = 0; j < info.param_count; ++j) xform.params[info.first_param + j] = 0.5 + 0.25 * j;
    const PreparedTerm term = PreparedXform::Prepare(xform).terms().at(0);
    Random rng(5);
    bool moved = false;
    for (double x : {-0.7, 0.3, 1.1}) {
      for (double y : {-0.4, 0.6}) {
        const formulas::VariationInput in = testing::InputAt(x, y);
        const Point2 p = EvaluateTerm(term, in, rng);
        moved |= (p.x != 0.0 || p.y != 0.0);
      }
    }
    EXPECT_TRUE(moved) << info.name << " contributes nothing";
  }
}

// The generated forms: ids after the entries, pre_ then post_, in entry order,
// each named and parametrised as Ember writes it, running its entry's formula.
TEST(CatalogueTest, EveryEntryHasItsPreAndPostForm) {
  using V = VariationId;
  EXPECT_EQ(kPreFormCount, kRegularVariationCount - 2);   // none for pre_blur, nor blur's pre_
  EXPECT_EQ(kPostFormCount, kRegularVariationCount - 1);  // none for pre_blur
  EXPECT_EQ(kVariationCount, kRegularVariationCount + kPreFormCount + kPostFormCount);
  EXPECT_EQ(VariationIndex(*PreForm(V::kLinear)), kRegularVariationCount);
  EXPECT_EQ(VariationIndex(*PostForm(V::kLinear)), kRegularVariationCount + kPreFormCount);
  EXPECT_EQ(VariationIndex(*PostForm(V::kSphereBlur)), kVariationCount - 1);
  EXPECT_EQ(GetVariationInfo(*PreForm(V::kCurl)).name, "pre_curl");
  EXPECT_EQ(GetVariationInfo(*PostForm(V::kCurl)).name, "post_curl");
  EXPECT_EQ(*FindVariation("pre_gaussian_blur"), *PreForm(V::kGaussianBlur));
  EXPECT_EQ(*FindVariation("post_Spherical3D"), *PostForm(V::kSpherical3D));
  EXPECT_EQ(*FindVariation("post_blur"), *PostForm(V::kBlur));
  // flam3's pre_blur is an entry, and a form already: it has no forms, and
  // blur's pre_ form would take its name.
  EXPECT_EQ(*FindVariation("pre_blur"), V::kPreBlur);
  EXPECT_FALSE(PreForm(V::kPreBlur).has_value());
  EXPECT_FALSE(PostForm(V::kPreBlur).has_value());
  EXPECT_FALSE(PreForm(V::kBlur).has_value());
  EXPECT_FALSE(FindVariation("pre_pre_blur").has_value());
  EXPECT_FALSE(FindVariation("post_pre_blur").has_value());
  EXPECT_FALSE(PreForm(*PreForm(V::kCurl)).has_value());  // no pre_pre_curl
  EXPECT_FALSE(FindVariation("pre_post_curl").has_value());

  int pre = 0, post = 0;
  for (const VariationInfo& info : AllVariations()) {
    const VariationInfo& base = GetVariationInfo(info.base);
    EXPECT_EQ(info.form, FormOf(info.id)) << info.name;
    EXPECT_EQ(info.base, BaseOf(info.id)) << info.name;
    EXPECT_EQ(base.form, VariationForm::kRegular) << info.name;
    EXPECT_EQ(info.point_needs, base.point_needs) << info.name;
    EXPECT_EQ(info.has_precalc, base.has_precalc) << info.name;
    EXPECT_EQ(info.param_count, base.param_count) << info.name;
    EXPECT_EQ(info.form_adds_to_point, base.form_adds_to_point) << info.name;
    if (info.form == VariationForm::kRegular) {
      EXPECT_EQ(info.base, info.id);
      EXPECT_LT(VariationIndex(info.id), kRegularVariationCount);
      continue;
    }
    const std::string prefix = info.form == VariationForm::kPre ? "pre_" : "post_";
    (info.form == VariationForm::kPre ? pre : post) += 1;
    EXPECT_EQ(info.name, prefix + std::string(base.name));
    EXPECT_EQ(info.form == VariationForm::kPre ? PreForm(info.base) : PostForm(info.base), info.id);
    EXPECT_EQ(info.has_vector_formula, base.has_vector_formula)
        << info.name << ": a form runs its entry's vector path, if it has one";
    for (int j = 0; j < info.param_count; ++j) {
      const VariationParamInfo& param = kVariationParams[info.first_param + j];
      const VariationParamInfo& base_param = kVariationParams[base.first_param + j];
      EXPECT_EQ(param.name, prefix + std::string(base_param.name));
      EXPECT_EQ(param.default_value, base_param.default_value) << param.name;
    }
  }
  EXPECT_EQ(pre, kPreFormCount);
  EXPECT_EQ(post, kPostFormCount);
  EXPECT_EQ(kVariationParams[*FindVariationParam("post_curl_c1")].variation, *PostForm(V::kCurl));
  EXPECT_EQ(kVariationParams[*FindVariationParam("pre_julian_dist")].default_value, 1.0);
}

// The forms whose formula reads no point are added to it (Ember's rule):
// kFormsAddedToThePoint must name exactly the entries whose value does not
// depend on the point, as their formulas show with one random stream.
TEST(CatalogueTest, FormsAddedToThePointAreTheOnesThatReadNoPoint) {
  const Affine2 affine{0.9, 0.2, -0.3, 0.8, 0.3, -0.2};
  for (const VariationInfo& info : AllVariations()) {
    if (info.form != VariationForm::kRegular || info.id == VariationId::kPreBlur) continue;
    // With its defaults and with other parameters: either can make a formula
    // ignore the point (pdj at its zero defaults; crop with a box that
    // excludes both points, hypertile2 with p < 1 under the other set).
    bool reads_the_point = false;
    for (const bool defaults : {true, false}) {
      Xform xform = testing::MakeXform(info.id, 1.0, {}, affine);
      for (int j = 0; j < info.param_count && !defaults; ++j) {
        xform.params[info.first_param + j] = 0.5 + 0.25 * j;
      }
      const PreparedTerm term = PreparedXform::Prepare(xform).terms().at(0);
      for (uint64_t seed = 1; seed <= 3; ++seed) {
        Random at_a(seed), at_b(seed);
        const Point2 a = EvaluateTerm(term, testing::InputAt(-0.7, 0.4), at_a);
        const Point2 b = EvaluateTerm(term, testing::InputAt(0.3, -1.1), at_b);
        reads_the_point |= a.x != b.x || a.y != b.y;
      }
    }
    EXPECT_EQ(info.form_adds_to_point, !reads_the_point) << info.name;
  }
}

}  // namespace
}  // namespace flamegrid
