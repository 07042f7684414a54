// Every class of bad genome is refused with the right code and a message that
// names the flame and the attribute at fault.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "renderer/genome/flam3_xml.h"
#include "renderer/genome/limits.h"
#include "renderer/genome/palette_library.h"

namespace flamegrid {
namespace {

constexpr const char* kGoodXform = "<xform weight='1' linear='1' coefs='1 0 0 1 0 0'/>";

std::string Genome(const std::string& flame_attributes, const std::string& children) {
  return "<flame name='bad' " + flame_attributes + ">" + children + "</flame>";
}

struct ErrorCase {
  const char* description;
  std::string xml;
  StatusCode code;
  std::vector<std::string> message_contains;
};

void PrintTo(const ErrorCase& c, std::ostream* os) { *os << c.description; }

class Flam3Errors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(Flam3Errors, RefusedWithANamedProblem) {
  const ErrorCase& c = GetParam();
  Result<std::vector<Flame>> flames = ParseFlam3(c.xml);
  ASSERT_FALSE(flames.ok()) << c.description;
  EXPECT_EQ(flames.status().code(), c.code) << flames.status().ToString();
  for (const std::string& part : c.message_contains) {
    EXPECT_NE(flames.status().message().find(part), std::string::npos)
        << "message \"" << flames.status().message() << "\" lacks \"" << part << "\"";
  }
}

const std::string good = kGoodXform;
INSTANTIATE_TEST_SUITE_P(
    Genomes, Flam3Errors,
    ::testing::Values(
        ErrorCase{"not XML", "<flame", StatusCode::kInvalidArgument, {"malformed XML"}},
        ErrorCase{"no flame", "<flames/>", StatusCode::kInvalidArgument, {"no <flame>"}},
        ErrorCase{"nan",
                  Genome("scale='nan'", good),
                  StatusCode::kInvalidArgument,
                  {"flame \"bad\"", "\"scale\"", "finite"}},
        ErrorCase{"inf in coefs",
                  Genome("", "<xform weight='1' linear='1' coefs='1 0 0 inf 0 0'/>"),
                  StatusCode::kInvalidArgument,
                  {"flame \"bad\"", "xform 0", "\"coefs\"", "finite"}},
        ErrorCase{"zero size",
                  Genome("size='0 10'", good),
                  StatusCode::kInvalidArgument,
                  {"flame \"bad\"", "\"size\""}},
        ErrorCase{"huge size",
                  Genome("size='30000 30000'", good),
                  StatusCode::kResourceExhausted,
                  {"flame \"bad\"", "\"size\"", "pixels"}},
        ErrorCase{"one-number size",
                  Genome("size='100'", good),
                  StatusCode::kInvalidArgument,
                  {"\"size\"", "two integers"}},
        ErrorCase{"supersample",
                  Genome("supersample='64'", good),
                  StatusCode::kInvalidArgument,
                  {"flame \"bad\"", "\"supersample\""}},
        ErrorCase{"negative quality",
                  Genome("quality='-1'", good),
                  StatusCode::kInvalidArgument,
                  {"flame \"bad\"", "\"quality\"", "minimum"}},
        ErrorCase{"no xforms",
                  Genome("", ""),
                  StatusCode::kInvalidArgument,
                  {"flame \"bad\"", "no <xform>"}},
        ErrorCase{"all weights zero",
                  Genome("", "<xform weight='0' linear='1' coefs='1 0 0 1 0 0'/>"),
                  StatusCode::kInvalidArgument,
                  {"flame \"bad\"", "\"weight\""}},
        ErrorCase{"negative weight",
                  Genome("", good + "<xform weight='-1' linear='1' coefs='1 0 0 1 0 0'/>"),
                  StatusCode::kInvalidArgument,
                  {"xform 1", "\"weight\""}},
        ErrorCase{"unknown variation",
                  Genome("", "<xform weight='1' frobnicate='1' coefs='1 0 0 1 0 0'/>"),
                  StatusCode::kInvalidArgument,
                  {"flame \"bad\"", "xform 0", "\"frobnicate\"", "unknown variation"}},
        ErrorCase{"1.2.3",
                  Genome("gamma='1.2.3'", good),
                  StatusCode::kInvalidArgument,
                  {"flame \"bad\"", "\"gamma\"", "\"1.2.3\"", "not a number"}},
        ErrorCase{"abc",
                  Genome("", "<xform weight='abc' linear='1' coefs='1 0 0 1 0 0'/>"),
                  StatusCode::kInvalidArgument,
                  {"xform 0", "\"weight\"", "not a number"}},
        ErrorCase{"five coefs",
                  Genome("", "<xform weight='1' linear='1' coefs='1 0 0 1 0'/>"),
                  StatusCode::kInvalidArgument,
                  {"xform 0", "\"coefs\"", "expected 6"}},
        ErrorCase{"seven coefs",
                  Genome("", "<xform weight='1' linear='1' coefs='1 0 0 1 0 0 0'/>"),
                  StatusCode::kInvalidArgument,
                  {"\"coefs\"", "expected 6"}},
        ErrorCase{"chaos not numeric",
                  Genome("", "<xform weight='1' linear='1' coefs='1 0 0 1 0 0' chaos='1 x'/>"),
                  StatusCode::kInvalidArgument,
                  {"xform 0", "\"chaos\"", "\"x\""}},
        ErrorCase{"chaos too long",
                  Genome("", "<xform weight='1' linear='1' coefs='1 0 0 1 0 0' chaos='1 1 1'/>"),
                  StatusCode::kInvalidArgument,
                  {"xform 0", "\"chaos\"", "3 entries"}},
        ErrorCase{"negative chaos",
                  Genome("", "<xform weight='1' linear='1' coefs='1 0 0 1 0 0' chaos='-1'/>"),
                  StatusCode::kInvalidArgument,
                  {"\"chaos\"", "minimum"}},
        // An all-zero row goes to the first xform (as in Fractorium), which here
        // has no weight: nowhere.
        ErrorCase{"chaos to nowhere",
                  Genome("",
                         "<xform weight='0' linear='1' coefs='1 0 0 1 0 0'/>"
                         "<xform weight='1' linear='1' coefs='1 0 0 1 0 0' chaos='0 0'/>"),
                  StatusCode::kInvalidArgument,
                  {"xform 1", "\"chaos\"", "no xform"}},
        ErrorCase{"two finals",
                  Genome("", good + "<finalxform linear='1'/><finalxform linear='1'/>"),
                  StatusCode::kInvalidArgument,
                  {"more than one <finalxform>"}},
        ErrorCase{"bad filter shape",
                  Genome("filter_shape='blurry'", good),
                  StatusCode::kInvalidArgument,
                  {"\"filter_shape\"", "gaussian"}},
        ErrorCase{"bad colour index",
                  Genome("", good + "<color index='256' rgb='0 0 0'/>"),
                  StatusCode::kInvalidArgument,
                  {"<color>", "\"index\""}},
        ErrorCase{"colour out of range",
                  Genome("", good + "<color index='3' rgb='0 300 0'/>"),
                  StatusCode::kInvalidArgument,
                  {"flame \"bad\"", "palette colour"}},
        ErrorCase{"short hex palette",
                  Genome("", good + "<palette count='3' format='RGB'>ff00ff00ff00</palette>"),
                  StatusCode::kInvalidArgument,
                  {"<palette>", "2 colours"}},
        ErrorCase{"negative palette index",
                  Genome("palette='-7'", good),
                  StatusCode::kInvalidArgument,
                  {"\"palette\"", "out of range"}},
        ErrorCase{"unnamed flame",
                  "<flame gamma='x'>" + good + "</flame>",
                  StatusCode::kInvalidArgument,
                  {"flame #0", "\"gamma\""}}));

PaletteLibrary TinyLibrary() {
  std::string data;
  for (int i = 0; i < 256; ++i) data += "00ff8000";
  Result<PaletteLibrary> library = PaletteLibrary::Parse(
      "<palettes><palette number='0' name='orange' data='" + data + "'/></palettes>", "tiny.xml");
  EXPECT_TRUE(library.ok()) << library.status().ToString();
  return std::move(library).value();
}

TEST(Flam3PaletteErrors, IndexOutOfRangeNamesTheLibrary) {
  const PaletteLibrary library = TinyLibrary();
  Flam3ReadOptions options;
  options.palettes = &library;
  Result<std::vector<Flame>> flames = ParseFlam3(Genome("palette='5'", kGoodXform), options);
  ASSERT_FALSE(flames.ok());
  EXPECT_EQ(flames.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(flames.status().message().find("flame \"bad\""), std::string::npos);
  EXPECT_NE(flames.status().message().find("palette index out of range"), std::string::npos);
  EXPECT_NE(flames.status().message().find("tiny.xml"), std::string::npos);

  flames = ParseFlam3(Genome("palette='0'", kGoodXform), options);
  ASSERT_TRUE(flames.ok()) << flames.status().ToString();
  EXPECT_EQ((*flames)[0].palette.colors[7], (Rgba{1.0, 128 / 255.0, 0.0, 1.0}));
}

TEST(Flam3PaletteErrors, MissingLibraryFileSaysWhichFileAndPackage) {
  Result<PaletteLibrary> library = PaletteLibrary::Load("/nonexistent/flam3-palettes.xml");
  ASSERT_FALSE(library.ok());
  EXPECT_EQ(library.status().code(), StatusCode::kNotFound);
  EXPECT_NE(library.status().message().find("/nonexistent/flam3-palettes.xml"), std::string::npos);
  EXPECT_NE(library.status().message().find("flam3-palette"), std::string::npos);
}

TEST(Flam3Errors, ValidateFlameNamesFlameAndAttribute) {
  Flame flame;
  flame.name = "direct";
  Xform xf;
  xf.weight = 1;
  flame.xforms.push_back(xf);
  EXPECT_TRUE(ValidateFlame(flame).ok());
  flame.xforms[0].params[3] = std::nan("");
  Status status = ValidateFlame(flame);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("flame \"direct\""), std::string::npos);
  EXPECT_NE(status.message().find(std::string(kVariationParams[3].name)), std::string::npos)
      << status.message();
}

TEST(Flam3Errors, DeepNestingDoesNotCrash) {
  std::string xml;
  for (int i = 0; i < 100000; ++i) xml += "<a>";
  for (int i = 0; i < 100000; ++i) xml += "</a>";
  Result<std::vector<Flame>> flames = ParseFlam3(xml);
  ASSERT_FALSE(flames.ok());
  EXPECT_NE(flames.status().message().find("no <flame>"), std::string::npos);
}

}  // namespace
}  // namespace flamegrid
