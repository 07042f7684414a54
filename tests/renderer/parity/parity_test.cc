// The parity suite: our image of each case against flam3-render's, and, for
// the variations flam3 lacks, against Fractorium's EmberRender.
//
// Both references are themselves noisy: two of their renders with different
// seeds differ. The bar is that our render (seed 1) is as close to the
// reference's seed-A render as its seed-B render is, give or take 3 dB of PSNR.
// References come from make_references.sh (flam3, tests/data/parity) and
// make_ember_references.sh (Ember, tests/data/ember); each case prints a
// PARITY line for the table.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "renderer/catalogue/variation.h"
#include "renderer/genome/flam3_xml.h"
#include "renderer/image/image_io.h"
#include "renderer/render/renderer.h"

namespace flamegrid {
namespace {

constexpr double kAllowedDbBelowFlam3 = 3.0;

struct ParityCase {
  std::string name;
  std::string reference_dir;  // tests/data/<dir>: "parity" (flam3) or "ember"
  std::string genome_path;
  double size_scale = 1;
  double quality_scale = 1;
  bool early_clip = false;  // the manifest's optional fifth column: "earlyclip"
};

// GoogleTest names the case in its output instead of dumping its bytes.
void PrintTo(const ParityCase& c, std::ostream* os) { *os << c.name; }

// The cases of tests/data/<reference_dir>/manifest.tsv.
std::vector<ParityCase> LoadManifest(const std::string& reference_dir) {
  std::vector<ParityCase> cases;
  std::ifstream in(std::string(FLAMEGRID_TEST_DATA) + "/" + reference_dir + "/manifest.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    ParityCase c;
    c.reference_dir = reference_dir;
    std::string option;
    fields >> c.name >> c.genome_path >> c.size_scale >> c.quality_scale >> option;
    c.early_clip = option == "earlyclip";
    if (c.genome_path.rfind("sheep:", 0) == 0) {
      c.genome_path = std::string(FLAMEGRID_SHEEP_GENOMES) + "/" + c.genome_path.substr(6);
    } else {
      c.genome_path = std::string(FLAMEGRID_SOURCE_DIR) + "/" + c.genome_path;
    }
    cases.push_back(c);
  }
  return cases;
}

// PSNR over the RGB channels of two 8-bit-quantised images, in dB (capped at 99).
double Psnr(const Image& a, const Image& b) {
  double squared_error = 0;
  size_t count = 0;
  for (size_t i = 0; i < a.rgba.size(); i += 4) {
    for (int c = 0; c < 3; ++c) {
      double d = double(QuantizeTo8Bit(a.rgba[i + c])) - double(QuantizeTo8Bit(b.rgba[i + c]));
      squared_error += d * d;
      ++count;
    }
  }
  double mse = squared_error / count;
  if (mse <= 0) return 99.0;
  return std::min(99.0, 10.0 * std::log10(255.0 * 255.0 / mse));
}

class ParityTest : public ::testing::TestWithParam<ParityCase> {};

// "flam3" reads "reference" for the Ember cases.
TEST_P(ParityTest, CloseToFlam3AsFlam3IsToItself) {
  const ParityCase& c = GetParam();
  const std::string reference =
      std::string(FLAMEGRID_TEST_DATA) + "/" + c.reference_dir + "/" + c.name;
  auto flam3_a = ReadImage(reference + ".a.png");
  auto flam3_b = ReadImage(reference + ".b.png");
  ASSERT_TRUE(flam3_a.ok()) << flam3_a.status().ToString();
  ASSERT_TRUE(flam3_b.ok()) << flam3_b.status().ToString();

  auto flames = ReadFlam3File(c.genome_path);
  ASSERT_TRUE(flames.ok()) << flames.status().ToString();
  RenderOptions options;
  options.size_scale = c.size_scale;
  options.quality_scale = c.quality_scale;
  options.seed = 1;
  options.threads = 2;
  options.early_clip = c.early_clip;
  auto ours = RenderFlame(flames->front(), options);
  ASSERT_TRUE(ours.ok()) << ours.status().ToString();
  ASSERT_EQ(ours->width, flam3_a->width);
  ASSERT_EQ(ours->height, flam3_a->height);

  const double flam3_noise = Psnr(*flam3_b, *flam3_a);
  const double ours_vs_flam3 = Psnr(*ours, *flam3_a);
  const char* reference_name = c.reference_dir == "ember" ? "ember" : "flam3";
  std::printf("PARITY %-28s ours_vs_%s=%6.2f dB  %s_b_vs_a=%6.2f dB  margin=%+6.2f dB\n",
              c.name.c_str(), reference_name, ours_vs_flam3, reference_name, flam3_noise,
              ours_vs_flam3 - flam3_noise);
  EXPECT_GE(ours_vs_flam3, flam3_noise - kAllowedDbBelowFlam3) << c.name;
}

std::string CaseName(const ::testing::TestParamInfo<ParityCase>& info) {
  std::string name;
  for (char ch : info.param.name) name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Flam3, ParityTest, ::testing::ValuesIn(LoadManifest("parity")), CaseName);
INSTANTIATE_TEST_SUITE_P(Ember, ParityTest, ::testing::ValuesIn(LoadManifest("ember")), CaseName);

TEST(ParityManifestTest, HasTheSheepAndEveryVariation) {
  auto cases = LoadManifest("parity");
  int sheep = 0, variations = 0;
  for (const auto& c : cases) {
    if (c.name.rfind("sheep-", 0) == 0) ++sheep;
    if (c.name.rfind("variation-", 0) == 0) ++variations;
  }
  EXPECT_EQ(sheep, 8);
  EXPECT_EQ(variations, 99);
}

// Ember's variation-NAME cases are the variations beyond flam3's 99, one each,
// and some pre_ and post_ forms (of any variation: flam3 has no forms); its
// mapped-NAME cases are Ember variations the XML reader maps onto flam3's, its
// forms-NAME cases how forms combine (forms-order: in the order listed).
TEST(ParityManifestTest, EmberHasEveryVariationBeyondFlam3) {
  int regular = 0, forms = 0;
  for (const auto& c : LoadManifest("ember")) {
    const std::string prefix = "variation-";
    if (c.name.rfind(prefix, 0) != 0) {
      EXPECT_TRUE(c.name.rfind("mapped-", 0) == 0 || c.name.rfind("forms-", 0) == 0) << c.name;
      continue;
    }
    auto id = FindVariation(c.name.substr(prefix.size()));
    ASSERT_TRUE(id.has_value()) << c.name;
    if (FormOf(*id) != VariationForm::kRegular) {
      ++forms;
      continue;
    }
    ++regular;
    EXPECT_GE(VariationIndex(*id), kFlam3VariationCount)
        << c.name << " is a flam3 variation: use flam3's reference";
  }
  EXPECT_EQ(regular, kRegularVariationCount - kFlam3VariationCount);
  EXPECT_GE(forms,
            6);  // pre_gaussian_blur, post_curl, pre_sineblur, post_spherical, pre_foci, pre_julian
}

// Every entry of the variation table (FLAMEGRID_VARIATIONS) has its case,
// "variation-NAME" (flam3's or Ember's), and that case's genome really uses the
// variation; so do the pre_ and post_ forms that have a case.
TEST(ParityManifestTest, EveryTableEntryHasACaseUsingIt) {
  std::vector<ParityCase> cases = LoadManifest("parity");
  for (ParityCase& c : LoadManifest("ember")) cases.push_back(std::move(c));
  for (const VariationInfo& info : AllVariations()) {
    const std::string name = "variation-" + std::string(info.name);
    auto it = std::find_if(cases.begin(), cases.end(),
                           [&](const ParityCase& c) { return c.name == name; });
    if (it == cases.end()) {
      if (info.form == VariationForm::kRegular) ADD_FAILURE() << "no parity case " << name;
      continue;
    }
    auto flames = ReadFlam3File(it->genome_path);
    ASSERT_TRUE(flames.ok()) << name << ": " << flames.status().ToString();
    bool used = false;
    for (const Flame& flame : *flames) {
      for (const Xform& xform : flame.xforms) used |= xform.Variation(info.id) != 0.0;
      if (flame.final_xform) used |= flame.final_xform->Variation(info.id) != 0.0;
    }
    EXPECT_TRUE(used) << it->genome_path << " does not use " << info.name;
  }
}

}  // namespace
}  // namespace flamegrid
