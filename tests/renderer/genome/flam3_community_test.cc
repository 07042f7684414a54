// Genomes as Apophysis 7x, JWildfire and Fractorium write them (our own files
// in tests/data/community, written to mimic each tool): read as leniently as
// those tools read, other tools' attributes read and ignored by the table,
// unknown variations reported or skipped, and each flame read on its own.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "renderer/genome/flam3_attributes.h"
#include "renderer/genome/flam3_xml.h"

namespace flamegrid {
namespace {

std::string Community(const std::string& name) {
  return std::string(FLAMEGRID_TEST_DATA) + "/community/" + name;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Reads a one-flame file that must read cleanly; returns the document.
Flam3Document ReadOk(const std::string& file, const Flam3ReadOptions& options = {}) {
  Result<Flam3Document> document = ReadFlam3FileEach(Community(file), options);
  EXPECT_TRUE(document.ok()) << document.status().ToString();
  if (!document.ok()) return {};
  for (const FlameReadResult& read : document->flames) {
    EXPECT_TRUE(read.flame.ok()) << read.flame.status().ToString();
  }
  return std::move(document).value();
}

// What we write from it reads back to the same flame.
void ExpectRoundTrip(const Flame& flame) {
  Result<std::vector<Flame>> again = ParseFlam3(WriteFlameXml(flame));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_EQ(again->size(), 1u);
  EXPECT_TRUE((*again)[0] == flame);
}

std::vector<Flame> ParseOrDie(const std::string& xml) {
  Result<std::vector<Flame>> flames = ParseFlam3(xml);
  EXPECT_TRUE(flames.ok()) << flames.status().ToString();
  return flames.ok() ? *flames : std::vector<Flame>{};
}

TEST(Flam3Community, JWildfireIntegersWrittenAsRealsAndItsAttributes) {
  Flam3Document document = ReadOk("jwildfire_style.flame");
  ASSERT_EQ(document.flames.size(), 1u);
  const FlameReadResult& read = document.flames[0];
  ASSERT_TRUE(read.flame.ok());
  EXPECT_TRUE(read.warnings.empty()) << read.warnings[0];
  const Flame& f = *read.flame;
  EXPECT_EQ(f.temporal_samples, 1);  // "1.0"
  EXPECT_EQ(f.supersample, 1);
  EXPECT_EQ(f.passes, 1);
  ASSERT_EQ(f.xforms.size(), 2u);
  EXPECT_EQ(f.xforms[0].Variation(VariationId::kLinear), 1.0);
  EXPECT_EQ(f.xforms[0].Variation(VariationId::kSpherical), 0.5);
  EXPECT_EQ(f.xforms[0].chaos, (std::vector<double>{1.0, 1.0}));
  EXPECT_EQ(f.palette.colors[0], (Rgba{1.0, 51 / 255.0, 51 / 255.0, 1.0}));
  // Its flame attributes are kept verbatim for the round trip.
  bool kept_fps = false;
  for (const auto& [name, value] : f.extra_attributes) kept_fps |= name == "fps" && value == "30";
  EXPECT_TRUE(kept_fps);
  ExpectRoundTrip(f);
}

TEST(Flam3Community, AnIntegerWithAFractionIsStillAnError) {
  Result<std::vector<Flame>> flames =
      ParseFlam3("<flame name='f' temporal_samples='1.5'><xform weight='1' linear='1'/></flame>");
  ASSERT_FALSE(flames.ok());
  EXPECT_TRUE(Contains(flames.status().message(), "\"temporal_samples\"=\"1.5\""))
      << flames.status().message();
  EXPECT_TRUE(Contains(flames.status().message(), "not an integer"));
  // Integral reals are integers, in single attributes and in size.
  std::vector<Flame> ok = ParseOrDie(
      "<flame size='64.0 48.000' supersample='2.000' passes='+3'>"
      "<xform weight='1' linear='1'/></flame>");
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_EQ(ok[0].width, 64);
  EXPECT_EQ(ok[0].height, 48);
  EXPECT_EQ(ok[0].supersample, 2);
  EXPECT_EQ(ok[0].passes, 3);
  EXPECT_FALSE(ParseFlam3("<flame size='64.5 48'><xform weight='1' linear='1'/></flame>").ok());
}

TEST(Flam3Community, FractoriumVarColorAndFriends) {
  Flam3Document document = ReadOk("fractorium_style.flame");
  ASSERT_EQ(document.flames.size(), 1u);
  const FlameReadResult& read = document.flames[0];
  ASSERT_TRUE(read.flame.ok());
  EXPECT_TRUE(read.warnings.empty()) << read.warnings[0];
  const Flame& f = *read.flame;
  EXPECT_EQ(f.name, "ember_style");
  EXPECT_EQ(f.palette_mode, PaletteMode::kLinear);
  ASSERT_EQ(f.xforms.size(), 2u);
  EXPECT_EQ(f.xforms[1].Variation(VariationId::kJulia), 1.0);
  EXPECT_EQ(f.xforms[0].color_speed, 0.5);
  ASSERT_TRUE(f.final_xform.has_value());
  EXPECT_EQ(f.final_xform->animate, 0.0);
  // <palette source_colors=...> is read: the first colour is hue 0.
  EXPECT_EQ(f.palette.colors[0], (Rgba{1.0, 51 / 255.0, 51 / 255.0, 1.0}));
  ExpectRoundTrip(f);
}

TEST(Flam3Community, ApophysisExtraAttributesAndMissingSpace) {
  Flam3Document document = ReadOk("apophysis7x_style.flame");
  ASSERT_EQ(document.flames.size(), 1u);
  // name="first"var_color="0.5": read as Apophysis reads it, with a warning.
  ASSERT_EQ(document.warnings.size(), 1u);
  EXPECT_TRUE(Contains(document.warnings[0], "space"));
  const FlameReadResult& read = document.flames[0];
  ASSERT_TRUE(read.flame.ok());
  // enable_de="0": Apophysis renders without density estimation; flam3 and
  // Ember, our references, apply the flame's estimator anyway, as we do, and
  // say so.
  ASSERT_EQ(read.warnings.size(), 1u);
  EXPECT_TRUE(Contains(read.warnings[0], "enable_de")) << read.warnings[0];
  const Flame& f = *read.flame;
  EXPECT_EQ(f.estimator_radius, 9.0);
  ASSERT_EQ(f.xforms.size(), 2u);
  EXPECT_EQ(f.xforms[0].Variation(VariationId::kLinear), 1.0);  // linear3D
  EXPECT_EQ(f.xforms[1].chaos, (std::vector<double>{1.0, 0.5}));
  ASSERT_TRUE(f.final_xform.has_value());  // enabled="1"
  EXPECT_EQ(f.final_xform->Variation(VariationId::kLinear), 1.0);
  ExpectRoundTrip(f);

  std::vector<Flame> disabled = ParseOrDie(
      "<flame angle='0.5'><xform weight='1' linear='1'/>"
      "<finalxform enabled='0' spherical='1'/></flame>");
  ASSERT_EQ(disabled.size(), 1u);
  EXPECT_FALSE(disabled[0].final_xform.has_value());
  EXPECT_DOUBLE_EQ(disabled[0].rotate, -0.5 * 180.0 / M_PI);
  // With rotate present, angle is only Apophysis' copy of it.
  std::vector<Flame> both =
      ParseOrDie("<flame angle='0.5' rotate='10'><xform weight='1' linear='1'/></flame>");
  ASSERT_EQ(both.size(), 1u);
  EXPECT_EQ(both[0].rotate, 10.0);
}

TEST(Flam3Community, DecimalCommaWhereItCannotBeASeparator) {
  Flam3Document document = ReadOk("decimal_comma.flame");
  ASSERT_EQ(document.flames.size(), 1u);
  const Flame& f = *document.flames[0].flame;
  EXPECT_EQ(f.pixels_per_unit, 20.5);
  EXPECT_EQ(f.brightness, 4.5);
  EXPECT_EQ(f.center_x, 0.1);
  EXPECT_EQ(f.center_y, -0.05);
  EXPECT_EQ(f.xforms[0].weight, 0.5);
  EXPECT_EQ(f.xforms[0].affine, (Affine2{0.5, 0, 0, 0.5, 0.25, 0}));
  EXPECT_EQ(f.xforms[1].Variation(VariationId::kSpherical), 0.75);

  auto refused = [](const std::string& xml, const std::string& attribute) {
    Result<std::vector<Flame>> flames = ParseFlam3(xml);
    EXPECT_FALSE(flames.ok()) << xml;
    if (!flames.ok()) {
      EXPECT_TRUE(Contains(flames.status().message(), "\"" + attribute + "\""))
          << flames.status().message();
    }
  };
  // A variable-length list: "1,5" could be two numbers.
  refused("<flame><xform weight='1' linear='1' chaos='1,5 1'/></flame>", "chaos");
  // A fixed-length list with the wrong number of words: the commas separate.
  refused("<flame center='0,1,0,2'><xform weight='1' linear='1'/></flame>", "center");
  refused("<flame><xform weight='1' linear='1' coefs='1,0,0,1,0,0'/></flame>", "coefs");
  // More than one comma, or a comma beside a point, is not a number.
  refused("<flame gamma='1,2,3'><xform weight='1' linear='1'/></flame>", "gamma");
  refused("<flame gamma='1.2,3'><xform weight='1' linear='1'/></flame>", "gamma");
  refused("<flame gamma=',5'><xform weight='1' linear='1'/></flame>", "gamma");
  // An integer with a decimal comma and nothing after it.
  std::vector<Flame> flames =
      ParseOrDie("<flame supersample='2,0'><xform weight='1' linear='1'/></flame>");
  ASSERT_EQ(flames.size(), 1u);
  EXPECT_EQ(flames[0].supersample, 2);
}

TEST(Flam3Community, ByteOrderMarkLatin1AndWhitespace) {
  Flam3Document document = ReadOk("bom_latin1.flame");
  ASSERT_EQ(document.flames.size(), 1u);
  const Flame& f = *document.flames[0].flame;
  EXPECT_EQ(f.name, "bom caf\xc3\xa9");  // the Latin-1 byte, now UTF-8
  EXPECT_EQ(f.supersample, 1);
  EXPECT_EQ(f.xforms[0].weight, 1.0);
  EXPECT_EQ(f.xforms[0].affine, (Affine2{0.5, 0, 0, 0.5, 0, 0}));
  ExpectRoundTrip(f);
}

TEST(Flam3Community, UnknownVariationsAreNamedOrSkipped) {
  Result<Flam3Document> strict = ReadFlam3FileEach(Community("unknown_variation.flame"));
  ASSERT_TRUE(strict.ok()) << strict.status().ToString();
  ASSERT_EQ(strict->flames.size(), 1u);
  const Result<Flame>& refused = strict->flames[0].flame;
  ASSERT_FALSE(refused.ok());
  const std::string message = refused.status().message();
  for (const char* part : {"unknown_variation.flame", "flame \"uses_no_such_warp\" (#0)",
                           "xform 0: unknown variation \"no_such_warp\"",
                           "xform 1: unknown variation \"frobnicate\"", "\"frobnicate_power\""}) {
    EXPECT_TRUE(Contains(message, part)) << message << " lacks " << part;
  }
  EXPECT_FALSE(Contains(message, "unknown variation \"frobnicate_power\"")) << message;

  Flam3ReadOptions lenient;
  lenient.unknown_variations = UnknownVariations::kIgnoreWithWarning;
  Flam3Document document = ReadOk("unknown_variation.flame", lenient);
  ASSERT_EQ(document.flames.size(), 1u);
  const FlameReadResult& read = document.flames[0];
  ASSERT_TRUE(read.flame.ok());
  ASSERT_EQ(read.warnings.size(), 2u);
  EXPECT_TRUE(Contains(read.warnings[0], "flame \"uses_no_such_warp\" (#0): xform 0"));
  EXPECT_TRUE(Contains(read.warnings[0], "\"no_such_warp\""));
  EXPECT_TRUE(Contains(read.warnings[1], "xform 1"));
  EXPECT_TRUE(Contains(read.warnings[1], "\"frobnicate\""));
  EXPECT_EQ(read.flame->xforms[0].Variation(VariationId::kLinear), 1.0);
  EXPECT_EQ(read.flame->xforms[1].Variation(VariationId::kSpherical), 1.0);
}

TEST(Flam3Community, OneBadFlameDoesNotStopTheOthers) {
  Result<Flam3Document> document = ReadFlam3FileEach(Community("one_bad_among_good.flame"));
  ASSERT_TRUE(document.ok()) << document.status().ToString();
  ASSERT_EQ(document->flames.size(), 3u);
  EXPECT_TRUE(document->flames[0].flame.ok());
  ASSERT_FALSE(document->flames[1].flame.ok());
  EXPECT_EQ(document->flames[1].index, 1);
  EXPECT_EQ(document->flames[1].label, "flame \"bad_gamma\" (#1)");
  const std::string message = document->flames[1].flame.status().message();
  EXPECT_TRUE(Contains(message, "flame \"bad_gamma\" (#1)")) << message;
  EXPECT_TRUE(Contains(message, "\"gamma\"=\"four\"")) << message;
  ASSERT_TRUE(document->flames[2].flame.ok());
  EXPECT_EQ(document->flames[2].label, "flame #2");
  EXPECT_EQ(document->flames[2].flame->xforms[1].Variation(VariationId::kJulia), 1.0);
  // All or nothing: ParseFlam3 still refuses the file.
  EXPECT_FALSE(ReadFlam3File(Community("one_bad_among_good.flame")).ok());
  // Malformed XML is still one error for the whole document.
  EXPECT_FALSE(ParseFlam3Each("<flames><flame><xform weight='1' linear='1'/></flames>").ok());
}

// Fractorium writes chaos rows that lead nowhere (all zero) and renders them
// as a row leading to the first xform only; flam3 refuses the flame. We render
// it as Fractorium does, and say so.
TEST(Flam3Community, AChaosRowLeadingNowhereLeadsToTheFirstXform) {
  Result<Flam3Document> document = ParseFlam3Each(
      "<flame name='dead end'><xform weight='1' linear='1' chaos='0 1 1'/>"
      "<xform weight='1' linear='1' chaos='0 0 0'/><xform weight='1' linear='1'/></flame>");
  ASSERT_TRUE(document.ok()) << document.status().ToString();
  const FlameReadResult& read = document->flames[0];
  ASSERT_TRUE(read.flame.ok()) << read.flame.status().ToString();
  EXPECT_EQ(read.flame->xforms[1].chaos, (std::vector<double>{1, 0, 0}));
  EXPECT_EQ(read.flame->xforms[0].chaos, (std::vector<double>{0, 1, 1}));  // untouched
  ASSERT_EQ(read.warnings.size(), 1u);
  EXPECT_TRUE(Contains(read.warnings[0], "xform 1: attribute \"chaos\" leaves no xform"))
      << read.warnings[0];
  EXPECT_TRUE(Contains(read.warnings[0], "first xform")) << read.warnings[0];
}

TEST(Flam3Community, IgnoredValuesThatChangeThePictureWarn) {
  Result<Flam3Document> document = ParseFlam3Each(
      "<flame name='w' cam_pitch='0.5' cam_yaw='0' interpolation_type='catmull'>"
      "<xform weight='1' linear='1' mod_gamma='0.3' yzCoefs='1 0 0 1 0 0'/></flame>");
  ASSERT_TRUE(document.ok()) << document.status().ToString();
  const FlameReadResult& read = document->flames[0];
  ASSERT_TRUE(read.flame.ok()) << read.flame.status().ToString();
  EXPECT_EQ(read.flame->interpolation_type, InterpolationType::kLog);  // the default kept
  ASSERT_EQ(read.warnings.size(), 3u);
  EXPECT_TRUE(Contains(read.warnings[0], "\"cam_pitch\"=\"0.5\"")) << read.warnings[0];
  EXPECT_TRUE(Contains(read.warnings[0], "differ"));
  EXPECT_TRUE(Contains(read.warnings[1], "\"interpolation_type\"=\"catmull\"")) << read.warnings[1];
  EXPECT_TRUE(Contains(read.warnings[2], "xform 0: attribute \"mod_gamma\"")) << read.warnings[2];
  // A weight on a final xform (JWildfire writes one) is dropped with a warning.
  document = ParseFlam3Each(
      "<flame><xform weight='1' linear='1'/><finalxform weight='0.5' linear='1'/></flame>");
  ASSERT_TRUE(document.ok());
  ASSERT_TRUE(document->flames[0].flame.ok()) << document->flames[0].flame.status().ToString();
  EXPECT_EQ(document->flames[0].flame->final_xform->weight, 0.0);
  ASSERT_EQ(document->flames[0].warnings.size(), 1u);
  EXPECT_TRUE(Contains(document->flames[0].warnings[0], "finalxform: attribute \"weight\""));
  // A strict enumeration is still an error.
  EXPECT_FALSE(
      ParseFlam3("<flame filter_shape='sinc'><xform weight='1' linear='1'/></flame>").ok());
}

TEST(Flam3Community, TablesNameEachAttributeOnceAndNoVariation) {
  std::set<std::string> seen;
  auto check = [&seen](std::string_view name, const void* entry, const void* found) {
    EXPECT_TRUE(seen.insert(std::string(name)).second) << "twice: " << name;
    EXPECT_EQ(entry, found) << name;
    EXPECT_FALSE(FindVariation(name).has_value()) << name << " is also a variation";
    EXPECT_FALSE(FindVariationParam(name).has_value()) << name << " is also a parameter";
  };
  auto names = [](const auto& spec) {
    std::vector<std::string_view> all{spec.name};
    std::string_view aliases = spec.aliases;
    while (!aliases.empty()) {
      const size_t space = aliases.find(' ');
      all.push_back(aliases.substr(0, space));
      aliases = space == std::string_view::npos ? "" : aliases.substr(space + 1);
    }
    return all;
  };
  for (const FlameAttributeSpec& spec : FlameAttributes()) {
    for (std::string_view name : names(spec)) check(name, &spec, FindFlameAttribute(name));
  }
  seen.clear();
  for (const XformAttributeSpec& spec : XformAttributes()) {
    if (spec.name.front() == '*') continue;
    for (std::string_view name : names(spec)) check(name, &spec, FindXformAttribute(name));
  }
  EXPECT_NE(FindXformAttribute("julian_fx_priority"), nullptr);
  EXPECT_EQ(FindXformAttribute("_fx_priority"), nullptr);
  EXPECT_EQ(FindXformAttribute("*variations*"), nullptr);
}

}  // namespace
}  // namespace flamegrid
