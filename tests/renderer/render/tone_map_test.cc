#include "renderer/render/tone_map.h"

#include <gtest/gtest.h>

#include <cmath>

namespace flamegrid {
namespace {

ToneMapParams Linearish() {
  ToneMapParams p;
  p.inverse_gamma = 1.0;
  p.gamma_threshold = 0.01;
  p.vibrancy = 1.0;
  p.highlight_power = -1.0;
  return p;
}

TEST(ToneMapTest, GammaAlphaIsAPowerAboveTheThreshold) {
  EXPECT_DOUBLE_EQ(GammaAlpha(1.0, 0.25, 0.01), 1.0);
  EXPECT_DOUBLE_EQ(GammaAlpha(16.0, 0.25, 0.01), 2.0);
  EXPECT_EQ(GammaAlpha(0.0, 0.25, 0.01), 0.0);
  EXPECT_EQ(GammaAlpha(-1.0, 0.25, 0.01), 0.0);
}

TEST(ToneMapTest, GammaAlphaBlendsToALineBelowTheThreshold) {
  // density 0.005, gamma 2, threshold 0.01: half of the line through
  // (0.01, 0.1) at 0.005 (0.05) and half of sqrt(0.005).
  EXPECT_NEAR(GammaAlpha(0.005, 0.5, 0.01), 0.5 * 0.05 + 0.5 * std::sqrt(0.005), 1e-15);
}

TEST(ToneMapTest, LinearGammaMapsDensityToAlphaAndColourTimes256) {
  const double accum[4] = {255 * 0.5, 255 * 0.25, 0.0, 255 * 0.5};
  float out[4];
  ToneMapPixel(Linearish(), accum, out);
  // alpha 0.5, scale 256 * 0.5 / 0.5 = 256: rgb 128, 64, 0 on the byte scale.
  EXPECT_FLOAT_EQ(out[0], 128.0f / 255.0f);
  EXPECT_FLOAT_EQ(out[1], 64.0f / 255.0f);
  EXPECT_FLOAT_EQ(out[2], 0.0f);
  EXPECT_FLOAT_EQ(out[3], 1.0f);
}

TEST(ToneMapTest, BackgroundShowsThroughPartialCoverage) {
  ToneMapParams p = Linearish();
  p.background[0] = p.background[1] = p.background[2] = 0.5 * 256;
  const double accum[4] = {255 * 0.5, 255 * 0.25, 0.0, 255 * 0.5};
  float out[4];
  ToneMapPixel(p, accum, out);
  EXPECT_FLOAT_EQ(out[0], 192.0f / 255.0f);
  EXPECT_FLOAT_EQ(out[1], 128.0f / 255.0f);
  EXPECT_FLOAT_EQ(out[2], 64.0f / 255.0f);
}

TEST(ToneMapTest, TransparentGivesStraightAlpha) {
  ToneMapParams p = Linearish();
  p.transparent = true;
  const double accum[4] = {255 * 0.5, 255 * 0.25, 0.0, 255 * 0.5};
  float out[4];
  ToneMapPixel(p, accum, out);
  EXPECT_FLOAT_EQ(out[0], 1.0f);  // 256 clipped at 255
  EXPECT_FLOAT_EQ(out[1], 128.0f / 255.0f);
  EXPECT_FLOAT_EQ(out[3], 0.5f);
  const double empty[4] = {0, 0, 0, 0};
  ToneMapPixel(p, empty, out);
  EXPECT_EQ(out[3], 0.0f);
  EXPECT_EQ(out[0], 0.0f);
}

TEST(ToneMapTest, NegativeHighlightPowerClipsPerChannel) {
  const double accum[4] = {255 * 2.0, 255 * 1.0, 0.0, 255 * 1.0};
  float out[4];
  ToneMapPixel(Linearish(), accum, out);
  EXPECT_FLOAT_EQ(out[0], 1.0f);
  EXPECT_FLOAT_EQ(out[1], 1.0f);  // 256 clipped: the hue shifts to yellow
  EXPECT_FLOAT_EQ(out[2], 0.0f);
}

TEST(ToneMapTest, HighlightPowerDesaturatesInsteadOfClipping) {
  ToneMapParams p = Linearish();
  p.highlight_power = 1.0;
  const double accum[4] = {255 * 2.0, 255 * 1.0, 0.0, 255 * 1.0};
  float out[4];
  ToneMapPixel(p, accum, out);
  // Brightest channel to white; the others keep (255/2)/256 of their distance to it.
  const double keep = 127.5 / 256.0;
  EXPECT_FLOAT_EQ(out[0], 1.0f);
  EXPECT_NEAR(out[1], 1.0 - keep * 0.5, 1e-6);
  EXPECT_NEAR(out[2], 1.0 - keep * 1.0, 1e-6);
}

TEST(ToneMapTest, ZeroVibrancyAppliesGammaPerChannel) {
  ToneMapParams p = Linearish();
  p.inverse_gamma = 0.5;
  p.vibrancy = 0.0;
  const double accum[4] = {255 * 0.25, 0.0, 0.0, 255 * 1.0};
  float out[4];
  ToneMapPixel(p, accum, out);
  EXPECT_FLOAT_EQ(out[0], 128.0f / 255.0f);  // 256 * sqrt(0.25)
  EXPECT_FLOAT_EQ(out[1], 0.0f);
}

TEST(ToneMapTest, FromFlameTakesTheGenomeSettings) {
  Flame flame;
  flame.gamma = 2.0;
  flame.background = {1.0, 0.0, 0.5, 1.0};
  ToneMapParams p = ToneMapParams::FromFlame(flame, false, false);
  EXPECT_DOUBLE_EQ(p.inverse_gamma, 0.5);
  EXPECT_DOUBLE_EQ(p.background[0], 256.0);
  EXPECT_DOUBLE_EQ(p.background[2], 128.0);
  EXPECT_DOUBLE_EQ(ToneMapParams::FromFlame(flame, false, true).inverse_gamma, 1.0);
}

}  // namespace
}  // namespace flamegrid
