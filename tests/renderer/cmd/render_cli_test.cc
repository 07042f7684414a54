// flamegrid-render as a user runs it: exit codes, messages, and that a PNG
// render never needs OpenImageIO.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "renderer/genome/flam3_xml.h"
#include "renderer/image/image_io.h"
#include "tests/renderer/run_command.h"

namespace flamegrid {
namespace {

namespace fs = std::filesystem;

// Keeps the tool's error messages with its output.
CommandOutput Shell(const std::string& command) { return RunCommand(command + " 2>&1"); }

class RenderCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fg_render_cli_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  // A sheep at a tenth of its size and a hundredth of its quality.
  CommandOutput Render(const std::string& output, const std::string& env = "") {
    return Shell(env + " " + kRender + " " + kSheep + " -o " + (dir_ / output).string() +
                 " --size-scale 0.1 --quality-scale 0.01 --threads 2");
  }
  const std::string kRender = FLAMEGRID_RENDER_BIN;
  const std::string kSheep =
      std::string(FLAMEGRID_SHEEP_GENOMES) + "/electricsheep.244.80725.flam3";
  fs::path dir_;
};

TEST_F(RenderCli, APngRenderCarriesTheGenomeAndLinksNoOpenImageIO) {
  CommandOutput out = Render("sheep.png");
  ASSERT_EQ(out.exit_code, 0) << out.text;
  auto image = ReadImage((dir_ / "sheep.png").string());
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->width, 80);
  auto genome = ReadImageGenome((dir_ / "sheep.png").string());
  ASSERT_TRUE(genome.ok()) << genome.status().ToString();
  EXPECT_NE(genome->find("electricsheep.244.80725"), std::string::npos);
  // Loading OpenImageIO's 260 libraries is half a second per process.
  CommandOutput libraries = Shell("ldd " + kRender);
  ASSERT_EQ(libraries.exit_code, 0) << libraries.text;
  EXPECT_EQ(libraries.text.find("OpenImageIO"), std::string::npos) << libraries.text;
}

TEST_F(RenderCli, JpegAndExrLoadTheModule) {
  for (const char* name : {"sheep.jpg", "sheep.exr"}) {
    CommandOutput out = Render(name);
    ASSERT_EQ(out.exit_code, 0) << name << ": " << out.text;
    auto image = ReadImage((dir_ / name).string());
    ASSERT_TRUE(image.ok()) << name << ": " << image.status().ToString();
    EXPECT_EQ(image->width, 80);
  }
}

TEST_F(RenderCli, AMissingOrWrongModuleFailsBeforeRendering) {
  CommandOutput missing = Render("a.jpg", "FLAMEGRID_OIIO_MODULE=/no/such/module.so");
  EXPECT_EQ(missing.exit_code, 1) << missing.text;
  EXPECT_NE(missing.text.find("/no/such/module.so: no such file"), std::string::npos)
      << missing.text;
  EXPECT_EQ(missing.text.find("wrote"), std::string::npos) << missing.text;
  // A real shared library that is not our module.
  CommandOutput wrong =
      Render("b.exr", "FLAMEGRID_OIIO_MODULE=$(ldd " + kRender + " | awk '/libpng/ {print $3}')");
  EXPECT_EQ(wrong.exit_code, 1) << wrong.text;
  EXPECT_NE(wrong.text.find("not a flamegrid OpenImageIO module"), std::string::npos) << wrong.text;
  EXPECT_FALSE(fs::exists(dir_ / "a.jpg"));
  EXPECT_FALSE(fs::exists(dir_ / "b.exr"));
  // PNG needs no module at all.
  CommandOutput png = Render("c.png", "FLAMEGRID_OIIO_MODULE=/no/such/module.so");
  EXPECT_EQ(png.exit_code, 0) << png.text;
}

TEST_F(RenderCli, BadInputsExitNonZeroWithAMessage) {
  CommandOutput format = Render("x.bmp");
  EXPECT_EQ(format.exit_code, 1);
  EXPECT_NE(format.text.find("use .png, .jpg or .exr"), std::string::npos) << format.text;
  const std::string broken = (dir_ / "broken.flam3").string();
  std::ofstream(broken) << "<flame size=\"10 10\"><xform weight=\"1\" linear=";
  CommandOutput parse = Shell(kRender + " " + broken + " -o " + (dir_ / "y.png").string());
  EXPECT_EQ(parse.exit_code, 1);
  EXPECT_NE(parse.text.find("broken.flam3"), std::string::npos) << parse.text;
  CommandOutput option = Shell(kRender + " --no-such-option");
  EXPECT_EQ(option.exit_code, 2) << option.text;
  CommandOutput missing_output = Shell(kRender + " " + kSheep);
  EXPECT_EQ(missing_output.exit_code, 2) << missing_output.text;
}

// Genomes in the style of other tools (tests/data/community), rendered small.
class CommunityCli : public RenderCli {
 protected:
  CommandOutput RenderCommunity(const std::string& file, const std::string& output,
                                const std::string& flags = "") {
    return Shell(kRender + " " + std::string(FLAMEGRID_TEST_DATA) + "/community/" + file + " -o " +
                 (dir_ / output).string() + " --threads 2 " + flags);
  }
};

TEST_F(CommunityCli, OtherToolsGenomesRender) {
  for (const char* file : {"jwildfire_style.flame", "fractorium_style.flame",
                           "apophysis7x_style.flame", "decimal_comma.flame", "bom_latin1.flame"}) {
    const std::string output = std::string(file) + ".png";
    CommandOutput out = RenderCommunity(file, output);
    EXPECT_EQ(out.exit_code, 0) << file << ": " << out.text;
    EXPECT_TRUE(fs::exists(dir_ / output)) << file << ": " << out.text;
  }
}

TEST_F(CommunityCli, UnknownVariationsFailUnlessIgnored) {
  CommandOutput strict = RenderCommunity("unknown_variation.flame", "strict.png");
  EXPECT_EQ(strict.exit_code, 1) << strict.text;
  EXPECT_NE(strict.text.find("\"no_such_warp\""), std::string::npos) << strict.text;
  EXPECT_NE(strict.text.find("\"frobnicate\""), std::string::npos) << strict.text;
  EXPECT_NE(strict.text.find("uses_no_such_warp"), std::string::npos) << strict.text;
  EXPECT_NE(strict.text.find("--ignore-unknown renders"), std::string::npos) << strict.text;
  EXPECT_FALSE(fs::exists(dir_ / "strict.png"));

  CommandOutput lenient =
      RenderCommunity("unknown_variation.flame", "lenient.png", "--ignore-unknown");
  EXPECT_EQ(lenient.exit_code, 0) << lenient.text;
  EXPECT_NE(lenient.text.find("warning"), std::string::npos) << lenient.text;
  EXPECT_NE(lenient.text.find("\"no_such_warp\""), std::string::npos) << lenient.text;
  EXPECT_TRUE(fs::exists(dir_ / "lenient.png"));
}

TEST_F(CommunityCli, OneBadFlameIsReportedAndTheOthersRender) {
  CommandOutput out = RenderCommunity("one_bad_among_good.flame", "many.png");
  EXPECT_EQ(out.exit_code, 1) << out.text;
  EXPECT_TRUE(fs::exists(dir_ / "many.00000.png")) << out.text;
  EXPECT_FALSE(fs::exists(dir_ / "many.00001.png")) << out.text;
  EXPECT_TRUE(fs::exists(dir_ / "many.00002.png")) << out.text;
  EXPECT_NE(out.text.find("flame \"bad_gamma\" (#1)"), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("\"gamma\"=\"four\""), std::string::npos) << out.text;
  EXPECT_NE(out.text.find("1 of 3 flames"), std::string::npos) << out.text;

  // --flame picks one: a good one renders alone to the name given.
  CommandOutput one = RenderCommunity("one_bad_among_good.flame", "one.png", "--flame 2");
  EXPECT_EQ(one.exit_code, 0) << one.text;
  EXPECT_TRUE(fs::exists(dir_ / "one.png"));
  CommandOutput bad = RenderCommunity("one_bad_among_good.flame", "bad.png", "--flame 1");
  EXPECT_EQ(bad.exit_code, 1) << bad.text;
  EXPECT_NE(bad.text.find("bad_gamma"), std::string::npos) << bad.text;
  EXPECT_FALSE(fs::exists(dir_ / "bad.png"));
}

TEST_F(CommunityCli, GenomeToolReadsWithIgnoreUnknown) {
  const std::string genome =
      std::string(FLAMEGRID_TEST_DATA) + "/community/unknown_variation.flame";
  CommandOutput strict = Shell(std::string(FLAMEGRID_GENOME_BIN) + " mutate " + genome);
  EXPECT_EQ(strict.exit_code, 1) << strict.text;
  EXPECT_NE(strict.text.find("\"no_such_warp\""), std::string::npos) << strict.text;
  CommandOutput lenient =
      Shell(std::string(FLAMEGRID_GENOME_BIN) + " mutate " + genome + " --ignore-unknown");
  EXPECT_EQ(lenient.exit_code, 0) << lenient.text;
  EXPECT_NE(lenient.text.find("<flame"), std::string::npos) << lenient.text;
  EXPECT_NE(lenient.text.find("warning"), std::string::npos) << lenient.text;
}

// flamegrid-genome random draws variations beyond flam3's 99 unless told
// --flam3-only, which keeps to flam3-genome's list.
TEST(GenomeCli, RandomDrawsBeyondFlam3UnlessFlam3Only) {
  int beyond = 0, beyond_flam3_only = 0;
  for (int seed = 1; seed <= 20; ++seed) {
    for (bool flam3_only : {false, true}) {
      const CommandOutput out =
          RunCommand(std::string(FLAMEGRID_GENOME_BIN) + " random --seed " + std::to_string(seed) +
                     (flam3_only ? " --flam3-only" : ""));
      ASSERT_EQ(out.exit_code, 0) << out.text;
      auto flames = ParseFlam3(out.text);
      ASSERT_TRUE(flames.ok()) << flames.status().ToString();
      bool uses_beyond = false;
      for (const Xform& xf : flames->front().xforms) {
        for (int v = kFlam3VariationCount; v < kVariationCount; ++v) {
          uses_beyond |= xf.variations[v] != 0.0;
        }
      }
      (flam3_only ? beyond_flam3_only : beyond) += uses_beyond ? 1 : 0;
    }
  }
  EXPECT_GT(beyond, 0);
  EXPECT_EQ(beyond_flam3_only, 0);
}

}  // namespace
}  // namespace flamegrid
