// Reading and writing flam3 XML: real sheep, a synthetic genome with every
// field set, multi-flame documents and flam3's legacy forms.
#include "renderer/genome/flam3_xml.h"

#include <gtest/gtest.h>

#include <cmath>

#include "renderer/genome/limits.h"
#include "renderer/genome/palette_library.h"
#include "tests/renderer/genome/test_genomes.h"

namespace flamegrid {
namespace {

using testing::EverythingFlame;
using testing::SheepPaths;

std::vector<Flame> ParseOk(std::string_view xml, const Flam3ReadOptions& options = {}) {
  Result<std::vector<Flame>> flames = ParseFlam3(xml, options);
  EXPECT_TRUE(flames.ok()) << flames.status().ToString();
  return flames.ok() ? *flames : std::vector<Flame>{};
}

// Reports the first differing field, so a round-trip failure is readable.
void ExpectSameFlame(const Flame& want, const Flame& got) {
  ASSERT_EQ(want.xforms.size(), got.xforms.size());
  for (size_t i = 0; i < want.xforms.size(); ++i) {
    const Xform& a = want.xforms[i];
    const Xform& b = got.xforms[i];
    for (int v = 0; v < kVariationCount; ++v) EXPECT_EQ(a.variations[v], b.variations[v]) << v;
    for (int p = 0; p < kVariationParamCount; ++p) {
      EXPECT_EQ(a.params[p], b.params[p]) << kVariationParams[p].name;
    }
    EXPECT_EQ(a.chaos, b.chaos);
    EXPECT_TRUE(a == b) << "xform " << i;
  }
  for (int i = 0; i < kPaletteSize; ++i) {
    EXPECT_TRUE(want.palette.colors[i] == got.palette.colors[i]) << "palette entry " << i;
  }
  EXPECT_EQ(want.name, got.name);
  EXPECT_EQ(want.extra_attributes, got.extra_attributes);
  EXPECT_EQ(want.extra_children_xml, got.extra_children_xml);
  EXPECT_TRUE(want.final_xform == got.final_xform);
  EXPECT_TRUE(want == got);
}

TEST(Flam3Xml, ReadsElectricSheep) {
  const std::vector<std::string> paths = SheepPaths();
  ASSERT_EQ(paths.size(), 8u);
  Result<std::vector<Flame>> flames = ReadFlam3File(paths[0]);
  ASSERT_TRUE(flames.ok()) << flames.status().ToString();
  ASSERT_EQ(flames->size(), 1u);
  const Flame& f = (*flames)[0];
  // electricsheep.244.00216, first lines of the file.
  EXPECT_EQ(f.name, "electricsheep.244.00216");
  EXPECT_EQ(f.width, 800);
  EXPECT_EQ(f.height, 592);
  EXPECT_DOUBLE_EQ(f.center_x, 0.0751921);
  EXPECT_DOUBLE_EQ(f.center_y, 0.0418514);
  EXPECT_EQ(f.pixels_per_unit, 240);
  EXPECT_EQ(f.rotate, 42.46);
  EXPECT_EQ(f.supersample, 4);
  EXPECT_EQ(f.spatial_filter_radius, 1);
  EXPECT_EQ(f.sample_density, 2000);
  EXPECT_EQ(f.brightness, 1.94783);
  EXPECT_EQ(f.gamma, 1);
  EXPECT_EQ(f.estimator_radius, 11);
  EXPECT_EQ(f.estimator_curve, 0.6);
  EXPECT_EQ(f.palette_interpolation, PaletteInterpolation::kHsvCircular);  // flam3's default
  ASSERT_EQ(f.xforms.size(), 3u);
  EXPECT_FALSE(f.final_xform.has_value());
  const Xform& x0 = f.xforms[0];
  EXPECT_EQ(x0.weight, 0.0575);
  EXPECT_EQ(x0.Variation(VariationId::kSwirl), 0.15);
  EXPECT_EQ(x0.Variation(VariationId::kRings2), 0.03);
  EXPECT_EQ(x0.Variation(VariationId::kGaussianBlur), 0.03);
  EXPECT_EQ(x0.Param(VariationId::kRings2, 0), 0.100452);
  EXPECT_EQ(x0.affine, (Affine2{-0.938163, -2.71923, -0.087253, -0.260622, 0.375984, -1.51018}));
  // Legacy symmetry="0": color_speed (1 - 0) / 2, and animate since 0 is not > 0.
  EXPECT_EQ(x0.color_speed, 0.5);
  EXPECT_EQ(x0.animate, 1.0);
  const Xform& x1 = f.xforms[1];
  EXPECT_EQ(x1.color_speed, (1.0 + 0.87) / 2.0);  // symmetry="-0.87"
  EXPECT_EQ(x1.animate, 1.0);
  EXPECT_EQ(x1.post, (Affine2{1, -0.1, 0, 1, 0, 0}));
  EXPECT_EQ(f.xforms[2].animate, 0.0);  // symmetry="0.1" > 0: does not rotate in loops
  EXPECT_EQ(f.palette.colors[0], (Rgba{39 / 255.0, 87 / 255.0, 123 / 255.0, 1.0}));
  EXPECT_EQ(f.palette.colors[255], (Rgba{52 / 255.0, 75 / 255.0, 143 / 255.0, 1.0}));
  ASSERT_EQ(f.extra_attributes.size(), 2u);
  EXPECT_EQ(f.extra_attributes[0], (std::pair<std::string, std::string>{"url", ""}));
  EXPECT_EQ(f.extra_attributes[1], (std::pair<std::string, std::string>{"nick", "ReFa"}));
  EXPECT_NE(f.extra_children_xml.find("<edit date=\"Thu Aug 13 20:58:54 +0000 2009\""),
            std::string::npos);
  EXPECT_NE(f.extra_children_xml.find("<edit filename=\"upload\" index=\"0\"/>"), std::string::npos)
      << f.extra_children_xml;
}

TEST(Flam3Xml, EverySheepRoundTripsExactly) {
  for (const std::string& path : SheepPaths()) {
    SCOPED_TRACE(path);
    Result<std::vector<Flame>> first = ReadFlam3File(path);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    const std::string written = WriteFlam3(*first);
    std::vector<Flame> second = ParseOk(written);
    ASSERT_EQ(second.size(), 1u);
    ExpectSameFlame((*first)[0], second[0]);
    EXPECT_EQ(WriteFlam3(second), written) << "writing is not stable";
  }
}

TEST(Flam3Xml, EveryFieldRoundTripsExactly) {
  const Flame flame = EverythingFlame();
  ASSERT_TRUE(ValidateFlame(flame).ok());
  const std::string written = WriteFlameXml(flame);
  std::vector<Flame> read = ParseOk(written);
  ASSERT_EQ(read.size(), 1u);
  ExpectSameFlame(flame, read[0]);
}

TEST(Flam3Xml, DefaultFlameWithOneXformRoundTrips) {
  Flame flame;
  Xform xf;
  xf.weight = 1;
  xf.Variation(VariationId::kLinear) = 1;
  flame.xforms.push_back(xf);
  std::vector<Flame> read = ParseOk(WriteFlameXml(flame));
  ASSERT_EQ(read.size(), 1u);
  ExpectSameFlame(flame, read[0]);
}

// A pre_ or post_ form is a variation of its own: its own weight and its own
// parameters ("post_curl_c1"), beside the regular form's, through the reader
// and the writer (only what is not at its default is written).
TEST(Flam3Xml, PreAndPostFormsKeepTheirOwnWeightsAndParameters) {
  using V = VariationId;
  std::vector<Flame> flames = ParseOk(
      "<flame><xform weight='1' coefs='1 0 0 1 0 0' curl='0.5' curl_c1='0.25'"
      " post_curl='0.75' post_curl_c1='-2' pre_julian='0.3' pre_julian_power='4'"
      " pre_gaussian_blur='0.1'/></flame>");
  ASSERT_EQ(flames.size(), 1u);
  const Xform& xf = flames[0].xforms[0];
  const V post_curl = *PostForm(V::kCurl), pre_julian = *PreForm(V::kJulian);
  EXPECT_EQ(xf.Variation(V::kCurl), 0.5);
  EXPECT_EQ(xf.Param(V::kCurl, 0), 0.25);
  EXPECT_EQ(xf.Variation(post_curl), 0.75);
  EXPECT_EQ(xf.Param(post_curl, 0), -2.0);
  EXPECT_EQ(xf.Param(post_curl, 1), 0.0);  // post_curl_c2 keeps curl_c2's default
  EXPECT_EQ(xf.Variation(*PreForm(V::kCurl)), 0.0);
  EXPECT_EQ(xf.Param(*PreForm(V::kCurl), 0), 1.0);
  EXPECT_EQ(xf.Variation(pre_julian), 0.3);
  EXPECT_EQ(xf.Param(pre_julian, 0), 4.0);
  EXPECT_EQ(xf.Param(V::kJulian, 0), 1.0);
  EXPECT_EQ(xf.Variation(*PreForm(V::kGaussianBlur)), 0.1);

  const std::string written = WriteFlameXml(flames[0]);
  for (const char* attribute :
       {"post_curl=\"0.75\"", "post_curl_c1=\"-2\"", "pre_julian=\"0.3\"", "pre_julian_power=\"4\"",
        "pre_gaussian_blur=\"0.1\"", "curl_c1=\"0.25\""}) {
    EXPECT_NE(written.find(attribute), std::string::npos) << attribute << " in " << written;
  }
  for (const char* attribute : {"pre_curl", "post_curl_c2", "pre_julian_dist", "post_julian"}) {
    EXPECT_EQ(written.find(attribute), std::string::npos) << attribute << " in " << written;
  }
  std::vector<Flame> read = ParseOk(written);
  ASSERT_EQ(read.size(), 1u);
  ExpectSameFlame(flames[0], read[0]);
}

// Forms keep the order the file lists them in (Ember applies them in that
// order): read, written back in it, and two xforms that differ only in it differ.
TEST(Flam3Xml, FormsKeepTheOrderTheFileListsThem) {
  using V = VariationId;
  const V pre_spherical = *PreForm(V::kSpherical), pre_sinusoidal = *PreForm(V::kSinusoidal);
  const V post_curl = *PostForm(V::kCurl), post_polar = *PostForm(V::kPolar);
  std::vector<Flame> listed = ParseOk(
      "<flame><xform weight='1' linear='1' post_curl='0.5' pre_spherical='1' pre_julian='0'"
      " pre_sinusoidal='0.5' post_polar='1'/></flame>");
  ASSERT_EQ(listed.size(), 1u);
  const Xform& xf = listed[0].xforms[0];
  EXPECT_EQ(xf.form_order, (std::vector<V>{post_curl, pre_spherical, pre_sinusoidal, post_polar}))
      << "pre_julian at weight 0 is no form of this xform";
  EXPECT_EQ(ActiveForms(xf, VariationForm::kPre), (std::vector<V>{pre_spherical, pre_sinusoidal}));
  EXPECT_EQ(ActiveForms(xf, VariationForm::kPost), (std::vector<V>{post_curl, post_polar}));

  const std::string written = WriteFlameXml(listed[0]);
  EXPECT_LT(written.find("pre_spherical="), written.find("pre_sinusoidal=")) << written;
  std::vector<Flame> read = ParseOk(written);
  ASSERT_EQ(read.size(), 1u);
  ExpectSameFlame(listed[0], read[0]);

  std::vector<Flame> swapped = ParseOk(
      "<flame><xform weight='1' linear='1' post_curl='0.5' pre_sinusoidal='0.5'"
      " pre_spherical='1' post_polar='1'/></flame>");
  ASSERT_EQ(swapped.size(), 1u);
  EXPECT_FALSE(swapped[0].xforms[0] == xf);
  EXPECT_GT(WriteFlameXml(swapped[0]).find("pre_spherical="),
            WriteFlameXml(swapped[0]).find("pre_sinusoidal="));
}

// linear3D's forms are linear's, as its regular form is linear (z is always 0).
TEST(Flam3Xml, Linear3DFormsAreLinearForms) {
  using V = VariationId;
  std::vector<Flame> flames = ParseOk(
      "<flame><xform weight='1' linear3D='0.5' pre_linear3D='0.25' post_linear3D='2'/></flame>");
  ASSERT_EQ(flames.size(), 1u);
  const Xform& xf = flames[0].xforms[0];
  EXPECT_EQ(xf.Variation(V::kLinear), 0.5);
  EXPECT_EQ(xf.Variation(*PreForm(V::kLinear)), 0.25);
  EXPECT_EQ(xf.Variation(*PostForm(V::kLinear)), 2.0);
}

TEST(Flam3Xml, AbsentAttributesTakeFlam3Defaults) {
  std::vector<Flame> flames = ParseOk(
      "<flame><xform weight='1' linear='1' coefs='1 0 0 1 0 0'/>"
      "<xform weight='1' julian='1' coefs='1 0 0 1 0 0'/><finalxform spherical='1'/></flame>");
  ASSERT_EQ(flames.size(), 1u);
  const Flame& f = flames[0];
  const Flame defaults;
  EXPECT_EQ(f.width, 100);
  EXPECT_EQ(f.height, 100);
  EXPECT_EQ(f.pixels_per_unit, 50);
  EXPECT_EQ(f.gamma, 4);
  EXPECT_EQ(f.brightness, 4);
  EXPECT_EQ(f.estimator_radius, 9);
  EXPECT_EQ(f.estimator_curve, 0.4);
  EXPECT_EQ(f.temporal_samples, 1000);
  EXPECT_EQ(f.highlight_power, -1);
  EXPECT_EQ(f.interpolation_type, InterpolationType::kLog);
  EXPECT_EQ(f.palette_interpolation, PaletteInterpolation::kHsvCircular);
  // flam3 colours a new xform 0 or 1 by the parity of its position.
  EXPECT_EQ(f.xforms[0].color, 0.0);
  EXPECT_EQ(f.xforms[1].color, 1.0);
  EXPECT_EQ(f.final_xform->color, 0.0);
  EXPECT_EQ(f.xforms[1].Param(VariationId::kJulian, 0), 1.0);  // julian_power default
  EXPECT_EQ(f.final_xform->affine, Affine2::Identity());
  EXPECT_EQ(f.final_xform->Variation(VariationId::kLinear), 0.0);
}

TEST(Flam3Xml, ReadsManyFlamesUnderAnyRoot) {
  const std::string one = "<xform weight='1' linear='1' coefs='1 0 0 1 0 0'/>";
  std::vector<Flame> flames =
      ParseOk("<?xml version='1.0'?><pick><group><flame name='a' time='0'>" + one +
              "</flame></group><flame name='b' time='10'>" + one + "</flame></pick>");
  ASSERT_EQ(flames.size(), 2u);
  EXPECT_EQ(flames[0].name, "a");
  EXPECT_EQ(flames[1].name, "b");
  EXPECT_EQ(flames[1].time, 10);

  const std::string written = WriteFlam3(flames);
  EXPECT_EQ(written.rfind("<flames>", 0), 0u);
  std::vector<Flame> again = ParseOk(written);
  ASSERT_EQ(again.size(), 2u);
  EXPECT_TRUE(again[0] == flames[0]);
  EXPECT_TRUE(again[1] == flames[1]);
}

TEST(Flam3Xml, ReadsLegacyForms) {
  std::vector<Flame> flames = ParseOk(
      "<flame oversample='2' batches='3' estimator='4' interpolation_space='linear' "
      "palette_interpolation='rgb' hue='1.25'>"
      " <xform weight='1' var1='2' color='0.25 0.75' coefs='1 0 0 1 0 0'/>"
      " <xform weight='2' var='0 0.5 0 1' coefs='1 0 0 1 0 0' plotmode='off' Re_A='2' "
      "oscope_damping='0.5' super_shape_rnd='7'/>"
      "</flame>");
  ASSERT_EQ(flames.size(), 1u);
  const Flame& f = flames[0];
  EXPECT_EQ(f.supersample, 2);
  EXPECT_EQ(f.passes, 3);
  EXPECT_EQ(f.estimator_radius, 4);
  EXPECT_EQ(f.interpolation_type, InterpolationType::kLinear);
  EXPECT_EQ(f.palette_interpolation, PaletteInterpolation::kRgb);
  EXPECT_EQ(f.hue_rotation, 0.25);  // flam3 keeps fmod(hue, 1)
  EXPECT_EQ(f.xforms[0].Variation(VariationId::kSpherical), 1.0);
  EXPECT_EQ(f.xforms[0].color, 0.25);
  EXPECT_EQ(f.xforms[1].Variation(VariationId::kSinusoidal), 0.5);
  EXPECT_EQ(f.xforms[1].Variation(VariationId::kSwirl), 1.0);
  EXPECT_EQ(f.xforms[1].opacity, 0.0);
  // Re_A is Apophysis' Mobius's, not flam3's mobius's (whose alias flam3 made it).
  EXPECT_EQ(f.xforms[1].Param(VariationId::kMobiusApophysis, 0), 2.0);
  EXPECT_EQ(f.xforms[1].Param(VariationId::kMobius, 0), 0.0);
  EXPECT_EQ(f.xforms[1].Param(VariationId::kOscilloscope, 3), 0.5);  // damping
  EXPECT_EQ(f.xforms[1].Param(VariationId::kSuperShape, 0), 1.0);    // clamped to [0, 1]
}

// Fractorium writes Apophysis' Mobius's parameters prefixed, as every other
// variation's (Mobius_Re_A, post_Mobius_Im_D); Apophysis writes them bare.
TEST(Flam3Xml, ReadsMobiusParametersAsFractoriumWritesThem) {
  std::vector<Flame> flames = ParseOk(
      "<flame><xform weight='1' Mobius='1' Mobius_Re_A='0.5' post_Mobius='0.5' "
      "post_Mobius_Im_D='0.25' coefs='1 0 0 1 0 0'/></flame>");
  ASSERT_EQ(flames.size(), 1u);
  const Xform& xf = flames[0].xforms[0];
  EXPECT_EQ(xf.Param(VariationId::kMobiusApophysis, 0), 0.5);
  const VariationId post = *PostForm(VariationId::kMobiusApophysis);
  EXPECT_EQ(xf.Variation(post), 0.5);
  EXPECT_EQ(xf.Param(post, 7), 0.25);
  EXPECT_EQ(xf.Param(post, 0), 1.0);  // the identity's a
}

// Apophysis' Mobius and flam3's mobius are read, kept and written apart, each
// with its own parameter names.
TEST(Flam3Xml, MobiusAndMobiusStayApart) {
  std::vector<Flame> flames = ParseOk(
      "<flame><xform weight='1' Mobius='0.75' Re_A='0.5' Im_D='-0.25' mobius='0.5' "
      "mobius_re_a='2' mobius_re_d='3' coefs='1 0 0 1 0 0'/></flame>");
  ASSERT_EQ(flames.size(), 1u);
  const Xform& xf = flames[0].xforms[0];
  EXPECT_EQ(xf.Variation(VariationId::kMobiusApophysis), 0.75);
  EXPECT_EQ(xf.Variation(VariationId::kMobius), 0.5);
  EXPECT_EQ(xf.Param(VariationId::kMobiusApophysis, 0), 0.5);    // Re_A
  EXPECT_EQ(xf.Param(VariationId::kMobiusApophysis, 6), 1.0);    // Re_D: Apophysis' default
  EXPECT_EQ(xf.Param(VariationId::kMobiusApophysis, 7), -0.25);  // Im_D
  EXPECT_EQ(xf.Param(VariationId::kMobius, 0), 2.0);             // mobius_re_a
  EXPECT_EQ(xf.Param(VariationId::kMobius, 6), 3.0);             // mobius_re_d
  const std::string written = WriteFlameXml(flames[0]);
  EXPECT_NE(written.find("Mobius=\"0.75\""), std::string::npos) << written;
  EXPECT_NE(written.find("Mobius_Re_A=\"0.5\""), std::string::npos) << written;
  EXPECT_NE(written.find("mobius_re_a=\"2\""), std::string::npos) << written;
  std::vector<Flame> again = ParseOk(written);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_TRUE(again[0] == flames[0]);
}

TEST(Flam3Xml, SymmetryElementAddsXformsOnceAndRoundTrips) {
  std::vector<Flame> flames = ParseOk(
      "<flame><xform weight='1' linear='1' coefs='0.5 0 0 0.5 0 0'/><symmetry kind='-3'/>"
      "</flame>");
  ASSERT_EQ(flames.size(), 1u);
  const Flame& f = flames[0];
  EXPECT_EQ(f.symmetry, -3);
  // One reflection and two rotations by 120 degrees, each at weight 1.
  ASSERT_EQ(f.xforms.size(), 4u);
  EXPECT_EQ(f.xforms[1].affine, (Affine2{-1, 0, 0, 1, 0, 0}));
  EXPECT_EQ(f.xforms[1].color, 1.0);
  EXPECT_EQ(f.xforms[2].affine.a, -0.5);
  EXPECT_DOUBLE_EQ(f.xforms[2].affine.b, 0.866025);
  EXPECT_EQ(f.xforms[3].color, 1.0);
  EXPECT_EQ(f.xforms[2].animate, 0.0);
  std::vector<Flame> again = ParseOk(WriteFlameXml(f));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_TRUE(again[0] == f);
}

TEST(Flam3Xml, ReadsHexPalettesAndFillsGaps) {
  std::string colors_data;
  for (int i = 0; i < 256; ++i) colors_data += i % 2 ? "00ff0080" : "00000000";
  std::vector<Flame> flames = ParseOk(
      "<flame><xform weight='1' linear='1' coefs='1 0 0 1 0 0'/><colors count='256' data='" +
      colors_data + "'/></flame>");
  ASSERT_EQ(flames.size(), 1u);
  EXPECT_EQ(flames[0].palette.colors[1], (Rgba{1.0, 0.0, 128 / 255.0, 1.0}));

  flames = ParseOk(
      "<flame><xform weight='1' linear='1' coefs='1 0 0 1 0 0'/>"
      "<palette count='2' format='RGBA'>ff000080\n  00ff00ff</palette></flame>");
  ASSERT_EQ(flames.size(), 1u);
  EXPECT_EQ(flames[0].palette.colors[0], (Rgba{1.0, 0.0, 0.0, 128 / 255.0}));
  EXPECT_EQ(flames[0].palette.colors[1], (Rgba{0.0, 1.0, 0.0, 1.0}));
  // Entries 2..255 are interpolated from 1 towards 0, wrapping around.
  EXPECT_NEAR(flames[0].palette.colors[128].r, 127.0 / 255.0, 1e-12);

  // <color> entries: decimals allowed, alpha premultiplied as flam3 does.
  flames = ParseOk(
      "<flame><xform weight='1' linear='1' coefs='1 0 0 1 0 0'/>"
      "<color index='0' rgb='12.5 255 0'/><color index='1' rgba='255 255 255 127.5'/></flame>");
  ASSERT_EQ(flames.size(), 1u);
  EXPECT_EQ(flames[0].palette.colors[0], (Rgba{12.5 / 255.0, 1.0, 0.0, 1.0}));
  EXPECT_EQ(flames[0].palette.colors[1].a, 0.5);
  EXPECT_EQ(flames[0].palette.colors[1].r, 0.5);
  std::vector<Flame> again = ParseOk(WriteFlameXml(flames[0]));
  ASSERT_EQ(again.size(), 1u);
  for (int i = 0; i < kPaletteSize; ++i) {
    EXPECT_TRUE(again[0].palette.colors[i] == flames[0].palette.colors[i])
        << i << ": " << again[0].palette.colors[i].r << " " << flames[0].palette.colors[i].r << " "
        << again[0].palette.colors[i].a << " " << flames[0].palette.colors[i].a;
  }
}

TEST(Flam3Xml, MotionElementsHoldDeltas) {
  std::vector<Flame> flames = ParseOk(
      "<flame><xform weight='1' linear='1' coefs='1 0 0 1 0 0'>"
      "<motion motion_frequency='2' motion_function='triangle' julian_power='0.5' "
      "coefs='0.1 0 0 0 0 0'/></xform></flame>");
  ASSERT_EQ(flames.size(), 1u);
  const Xform& xf = flames[0].xforms[0];
  ASSERT_EQ(xf.motion.size(), 1u);
  const Xform& m = xf.motion[0];
  EXPECT_EQ(m.motion_frequency, 2);
  EXPECT_EQ(m.motion_function, MotionFunction::kTriangle);
  EXPECT_EQ(m.Param(VariationId::kJulian, 0), 0.5);
  EXPECT_EQ(m.Param(VariationId::kJulian, 1), 0.0);  // a delta, not the default 1
  EXPECT_EQ(m.weight, 0.0);
  EXPECT_EQ(m.affine, (Affine2{0.1, 0, 0, 0, 0, 0}));
  std::vector<Flame> again = ParseOk(WriteFlameXml(flames[0]));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_TRUE(again[0] == flames[0]);
}

TEST(Flam3Xml, SoloXformHidesTheOthers) {
  std::vector<Flame> flames = ParseOk(
      "<flame soloxform='1'><xform weight='1' linear='1' coefs='1 0 0 1 0 0'/>"
      "<xform weight='1' linear='1' coefs='1 0 0 1 0 0'/></flame>");
  ASSERT_EQ(flames.size(), 1u);
  EXPECT_EQ(flames[0].xforms[0].opacity, 0.0);
  EXPECT_EQ(flames[0].xforms[1].opacity, 1.0);
}

}  // namespace
}  // namespace flamegrid
