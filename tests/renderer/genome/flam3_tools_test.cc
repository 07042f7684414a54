// What we write is accepted by flam3 3.1 itself, and flam3 reads it as we do.
// Skipped when the flam3 tools are not installed.
#include <gtest/gtest.h>

#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "renderer/genome/flam3_xml.h"
#include "tests/renderer/genome/test_genomes.h"
#include "tests/renderer/run_command.h"

namespace flamegrid {
namespace {

bool HaveTool(const char* name) { return std::filesystem::exists(std::string("/usr/bin/") + name); }

class Flam3Tools : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!HaveTool("flam3-genome") || !HaveTool("flam3-render")) {
      GTEST_SKIP() << "flam3 tools are not installed";
    }
    dir_ = std::filesystem::temp_directory_path() / ("fg_genome_test_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << text;
    return path;
  }
  std::filesystem::path dir_;
};

// Small and quick to render, whatever the genome asked for.
Flame Shrunk(Flame flame) {
  flame.width = 40;
  flame.height = 30;
  flame.pixels_per_unit *= 40.0 / 800.0;
  flame.sample_density = 1;
  flame.supersample = 1;
  flame.temporal_samples = 1;
  return flame;
}

TEST_F(Flam3Tools, Flam3GenomeReadsOurSheepAsWeDo) {
  for (const std::string& path : testing::SheepPaths()) {
    SCOPED_TRACE(path);
    Result<std::vector<Flame>> ours = ReadFlam3File(path);
    ASSERT_TRUE(ours.ok());
    const std::string written = WriteFile("sheep.flam3", WriteFlam3(*ours));
    CommandOutput out = RunCommand("env clone=" + written + " flam3-genome 2>&1");
    ASSERT_EQ(out.exit_code, 0) << out.text;
    ASSERT_EQ(out.text.find("rror"), std::string::npos) << out.text;
    // flam3's re-serialisation (6 significant digits) reads back close to ours.
    Result<std::vector<Flame>> theirs = ParseFlam3(out.text);
    ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
    ASSERT_EQ(theirs->size(), 1u);
    const Flame& a = (*ours)[0];
    const Flame& b = (*theirs)[0];
    ASSERT_EQ(a.xforms.size(), b.xforms.size());
    for (size_t i = 0; i < a.xforms.size(); ++i) {
      EXPECT_NEAR(a.xforms[i].weight, b.xforms[i].weight, 1e-5);
      EXPECT_NEAR(a.xforms[i].color_speed, b.xforms[i].color_speed, 1e-5);
      EXPECT_NEAR(a.xforms[i].affine.a, b.xforms[i].affine.a,
                  1e-4 * (1 + std::fabs(a.xforms[i].affine.a)));
      for (int v = 0; v < kVariationCount; ++v) {
        EXPECT_NEAR(a.xforms[i].variations[v], b.xforms[i].variations[v], 1e-5);
      }
    }
    for (int c = 0; c < kPaletteSize; ++c) {
      EXPECT_NEAR(a.palette.colors[c].r, b.palette.colors[c].r, 1e-6);
      EXPECT_NEAR(a.palette.colors[c].b, b.palette.colors[c].b, 1e-6);
    }
  }
}

TEST_F(Flam3Tools, Flam3RenderAcceptsOurXml) {
  std::vector<Flame> flames;
  const std::vector<std::string> paths = testing::SheepPaths();
  ASSERT_FALSE(paths.empty());
  Result<std::vector<Flame>> sheep = ReadFlam3File(paths[1]);
  ASSERT_TRUE(sheep.ok());
  flames.push_back(Shrunk((*sheep)[0]));
  Flame everything = Shrunk(testing::EverythingFlame());
  everything.xforms[0].motion.clear();  // flam3-render refuses to render motion elements
  flames.push_back(everything);
  for (size_t i = 0; i < flames.size(); ++i) {
    SCOPED_TRACE(i);
    const std::string path = WriteFile("render.flam3", WriteFlameXml(flames[i]));
    const std::string prefix = (dir_ / ("out" + std::to_string(i) + "_")).string();
    CommandOutput out =
        RunCommand("env in=" + path + " prefix=" + prefix + " format=png flam3-render 2>&1");
    EXPECT_EQ(out.exit_code, 0) << out.text;
    // flam3 warns about the variations it lacks by name: "mirror_x" is no error.
    std::string text = out.text;
    for (size_t at; (at = text.find("mirror_")) != std::string::npos;) text.erase(at, 6);
    EXPECT_EQ(text.find("rror"), std::string::npos) << out.text;
    EXPECT_TRUE(std::filesystem::exists(prefix + "00000.png")) << out.text;
  }
}

TEST_F(Flam3Tools, PaletteByIndexMatchesFlam3) {
  if (!std::filesystem::exists("/usr/share/flam3/flam3-palettes.xml")) {
    GTEST_SKIP() << "flam3-palette is not installed";
  }
  const std::string genome =
      "<flame size='20 20' palette='123' hue='0.3'>"
      "<xform weight='1' linear='1' coefs='1 0 0 1 0 0'/></flame>";
  Result<std::vector<Flame>> ours = ParseFlam3(genome);
  ASSERT_TRUE(ours.ok()) << ours.status().ToString();
  CommandOutput out =
      RunCommand("env clone=" + WriteFile("p.flam3", genome) + " flam3-genome 2>&1");
  ASSERT_EQ(out.exit_code, 0) << out.text;
  // flam3 prints each channel times 255 with %.6g.
  Result<std::vector<Flame>> theirs = ParseFlam3(out.text);
  ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
  for (int c = 0; c < kPaletteSize; ++c) {
    const Rgba& a = (*ours)[0].palette.colors[c];
    const Rgba& b = (*theirs)[0].palette.colors[c];
    EXPECT_NEAR(a.r, b.r, 2e-6) << c;
    EXPECT_NEAR(a.g, b.g, 2e-6) << c;
    EXPECT_NEAR(a.b, b.b, 2e-6) << c;
  }
}

}  // namespace
}  // namespace flamegrid
