// Colour conversions with flam3's conventions and the standard palette library.
#include "renderer/genome/palette.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "renderer/genome/palette_library.h"

namespace flamegrid {
namespace {

TEST(Palette, HsvUsesSextants) {
  const double red[3] = {1, 0, 0}, yellow[3] = {1, 1, 0}, blue[3] = {0, 0, 1};
  const double grey[3] = {0.5, 0.5, 0.5}, mixed[3] = {0.2, 0.4, 0.8};
  double hsv[3];
  RgbToHsv(red, hsv);
  EXPECT_EQ(hsv[0], 0.0);
  EXPECT_EQ(hsv[1], 1.0);
  EXPECT_EQ(hsv[2], 1.0);
  RgbToHsv(yellow, hsv);
  EXPECT_EQ(hsv[0], 1.0);
  RgbToHsv(blue, hsv);
  EXPECT_EQ(hsv[0], 4.0);
  RgbToHsv(grey, hsv);
  EXPECT_EQ(hsv[1], 0.0);
  EXPECT_EQ(hsv[2], 0.5);
  RgbToHsv(mixed, hsv);
  double back[3];
  HsvToRgb(hsv, back);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(back[i], mixed[i], 1e-15);
  // Hue wraps: 6 + 2 is green.
  const double wrapped[3] = {8.0, 1.0, 1.0};
  HsvToRgb(wrapped, back);
  EXPECT_EQ(back[0], 0.0);
  EXPECT_EQ(back[1], 1.0);
  EXPECT_EQ(back[2], 0.0);
}

TEST(Palette, RotateHueTurnsRedIntoGreenAndBlue) {
  Palette palette;
  palette.colors[0] = Rgba{1, 0, 0, 1};
  palette.colors[1] = Rgba{0.5, 0.5, 0.5, 0.25};
  Palette third = RotateHue(palette, 1.0 / 3.0);
  EXPECT_NEAR(third.colors[0].r, 0.0, 1e-12);
  EXPECT_NEAR(third.colors[0].g, 1.0, 1e-12);
  EXPECT_EQ(third.colors[1], palette.colors[1]);  // grey has no hue; alpha untouched
  Palette negative = RotateHue(palette, -1.0 / 3.0);
  EXPECT_NEAR(negative.colors[0].b, 1.0, 1e-12);
}

class StandardPalettes : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists("/usr/share/flam3/flam3-palettes.xml")) {
      GTEST_SKIP() << "flam3-palette is not installed";
    }
    Result<PaletteLibrary> loaded = PaletteLibrary::Load("/usr/share/flam3/flam3-palettes.xml");
    ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
    library_ = std::move(loaded).value();
  }
  std::optional<PaletteLibrary> library_;
};

TEST_F(StandardPalettes, LoadsAll701) {
  EXPECT_EQ(library_->size(), 701);
  EXPECT_EQ(library_->min_number(), 0);
  EXPECT_EQ(library_->max_number(), 700);
  EXPECT_EQ(library_->Name(0), "south-sea-bather");
}

TEST_F(StandardPalettes, EntryMatchesTheFileBytes) {
  // Palette 0 starts "00b9eaeb00c1eeeb": (185, 234, 235), (193, 238, 235).
  Result<Palette> palette = library_->Get(0);
  ASSERT_TRUE(palette.ok());
  EXPECT_NEAR(palette->colors[0].r, 185 / 255.0, 1e-15);
  EXPECT_NEAR(palette->colors[0].g, 234 / 255.0, 1e-15);
  EXPECT_NEAR(palette->colors[0].b, 235 / 255.0, 1e-15);
  EXPECT_NEAR(palette->colors[1].r, 193 / 255.0, 1e-15);
  EXPECT_EQ(palette->colors[1].a, 1.0);
}

TEST_F(StandardPalettes, HueRotationMatchesRotateHue) {
  Result<Palette> plain = library_->Get(42);
  Result<Palette> rotated = library_->Get(42, 0.3);
  ASSERT_TRUE(plain.ok() && rotated.ok());
  const Palette expected = RotateHue(*plain, 0.3);
  for (int i = 0; i < kPaletteSize; ++i) {
    EXPECT_NEAR(rotated->colors[i].r, expected.colors[i].r, 1e-12);
    EXPECT_NEAR(rotated->colors[i].g, expected.colors[i].g, 1e-12);
    EXPECT_NEAR(rotated->colors[i].b, expected.colors[i].b, 1e-12);
  }
  EXPECT_FALSE(library_->Get(701).ok());
  EXPECT_FALSE(library_->Get(-1).ok());
}

TEST(PaletteLibraryPath, EnvironmentOverridesTheDefault) {
  const char* saved = std::getenv("flam3_palettes");
  const std::string saved_value = saved ? saved : "";
  unsetenv("flam3_palettes");
  EXPECT_EQ(PaletteLibrary::DefaultPath(), "/usr/share/flam3/flam3-palettes.xml");
  setenv("flam3_palettes", "/tmp/my-palettes.xml", 1);
  EXPECT_EQ(PaletteLibrary::DefaultPath(), "/tmp/my-palettes.xml");
  if (saved) {
    setenv("flam3_palettes", saved_value.c_str(), 1);
  } else {
    unsetenv("flam3_palettes");
  }
}

}  // namespace
}  // namespace flamegrid
