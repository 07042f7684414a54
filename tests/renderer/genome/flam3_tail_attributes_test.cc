// Attributes and spellings of other tools that are not variations of their
// own: JWildfire's mirror_pre_post_translations, Ember's log_base (a
// parameter of log) and waves2's z parameters, and JWildfire's spherical3D
// (Apophysis/Ember's Spherical3D, as Ember renders it).
#include <gtest/gtest.h>

#include <string>

#include "renderer/genome/flam3_xml.h"

namespace flamegrid {
namespace {

// The one flame of `xml`, read; its warnings go to `warnings`.
Flame ReadOne(const std::string& xml, std::vector<std::string>* warnings = nullptr) {
  Result<Flam3Document> document = ParseFlam3Each(xml);
  EXPECT_TRUE(document.ok()) << document.status().ToString();
  if (!document.ok() || document->flames.size() != 1) return Flame{};
  const FlameReadResult& read = document->flames[0];
  EXPECT_TRUE(read.flame.ok()) << read.flame.status().ToString();
  if (warnings != nullptr) *warnings = read.warnings;
  return read.flame.ok() ? *read.flame : Flame{};
}

TEST(Flam3TailAttributes, MirrorPrePostTranslationsIsReadAndIgnored) {
  for (const char* value : {"0", "1"}) {
    std::vector<std::string> warnings;
    const Flame flame = ReadOne(std::string("<flame><xform weight='1' linear='1' "
                                            "coefs='1 0 0 1 0.5 0' post='1 0 0 1 -0.5 0' "
                                            "mirror_pre_post_translations='") +
                                    value + "'/></flame>",
                                &warnings);
    ASSERT_EQ(flame.xforms.size(), 1u) << value;
    EXPECT_TRUE(warnings.empty()) << warnings[0];
    // The post affine is the file's, not recomputed.
    EXPECT_EQ(flame.xforms[0].post.e, -0.5) << value;
  }
}

TEST(Flam3TailAttributes, LogBaseIsLogsParameterWithEDefault) {
  const std::optional<int> base = FindVariationParam("log_base");
  ASSERT_TRUE(base.has_value());
  EXPECT_EQ(kVariationParams[*base].variation, VariationId::kLog);
  EXPECT_EQ(kVariationParams[*base].default_value, 2.71828182845904523536);
  const Flame flame = ReadOne(
      "<flame><xform weight='1' log='1' log_base='10'/>"
      "<xform weight='1' log='1'/></flame>");
  ASSERT_EQ(flame.xforms.size(), 2u);
  EXPECT_EQ(flame.xforms[0].params[*base], 10.0);
  EXPECT_EQ(flame.xforms[1].params[*base], 2.71828182845904523536);
  // At its default the parameter is not written: flam3's files stay flam3's.
  const std::string xml = WriteFlameXml(flame);
  EXPECT_EQ(xml.find("log_base"), xml.rfind("log_base")) << xml;
  EXPECT_NE(xml.find("log_base=\"10\""), std::string::npos) << xml;
}

TEST(Flam3TailAttributes, Waves2ZParametersAreReadAndIgnored) {
  std::vector<std::string> warnings;
  const Flame flame = ReadOne(
      "<flame><xform weight='1' waves2='1' waves2_freqx='2' waves2_freqz='3' "
      "waves2_scalez='0.7'/></flame>",
      &warnings);
  ASSERT_EQ(flame.xforms.size(), 1u);
  EXPECT_TRUE(warnings.empty()) << warnings[0];
  EXPECT_EQ(flame.xforms[0].Variation(VariationId::kWaves2), 1.0);
  EXPECT_EQ(FindVariationParam("waves2_freqz"), std::nullopt);
  // So are its forms' (Fractorium writes them beside pre_waves2).
  const Flame forms = ReadOne(
      "<flame><xform weight='1' linear='1' pre_waves2='0.5' pre_waves2_freqz='3' "
      "pre_waves2_scalez='0.7' post_waves2='0.5' post_waves2_freqz='2' "
      "post_waves2_scalez='1'/></flame>",
      &warnings);
  EXPECT_TRUE(warnings.empty()) << warnings[0];
  EXPECT_EQ(forms.xforms[0].Variation(*PreForm(VariationId::kWaves2)), 0.5);
}

TEST(Flam3TailAttributes, JWildfireSpherical3DIsApophysisSpherical3D) {
  const Flame flame = ReadOne("<flame><xform weight='1' spherical3D='0.75'/></flame>");
  ASSERT_EQ(flame.xforms.size(), 1u);
  EXPECT_EQ(flame.xforms[0].Variation(VariationId::kSpherical3D), 0.75);
  // Written back in the catalogue's spelling.
  EXPECT_NE(WriteFlameXml(flame).find("Spherical3D=\"0.75\""), std::string::npos);
  // Other case variants are not aliases: flam3's mobius is not Apophysis' Mobius.
  EXPECT_FALSE(ParseFlam3("<flame><xform weight='1' SPHERICAL3D='1'/></flame>").ok());
}

}  // namespace
}  // namespace flamegrid
