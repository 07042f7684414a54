#include "renderer/animate/temporal.h"

#include <gtest/gtest.h>

#include <cmath>

namespace flamegrid {
namespace {

TEST(Temporal, OneSampleSitsOnTheFrame) {
  const TemporalSamples s = MakeTemporalSamples(1, TemporalFilterType::kGaussian, 1.0, 0.0, 7.0);
  EXPECT_EQ(s.times, std::vector<double>{7.0});
  EXPECT_EQ(s.weights, std::vector<double>{1.0});
}

TEST(Temporal, BoxSpreadsEvenlyOverTheWidth) {
  const TemporalSamples s = MakeTemporalSamples(5, TemporalFilterType::kBox, 1.0, 0.0, 10.0);
  EXPECT_EQ(s.times, (std::vector<double>{9.5, 9.75, 10.0, 10.25, 10.5}));
  EXPECT_EQ(s.weights, std::vector<double>(5, 1.0));
  EXPECT_DOUBLE_EQ(s.mean_weight, 1.0);
  const TemporalSamples wide = MakeTemporalSamples(3, TemporalFilterType::kBox, 2.0, 0.0, 0.0);
  EXPECT_EQ(wide.times, (std::vector<double>{-1.0, 0.0, 1.0}));
}

TEST(Temporal, GaussianPeaksInTheMiddle) {
  // 4 samples: distances from n/2 = 2 are 2, 1, 0, 1 → x = 1.5, 0.75, 0, 0.75.
  const TemporalSamples s = MakeTemporalSamples(4, TemporalFilterType::kGaussian, 1.0, 0.0, 0.0);
  EXPECT_DOUBLE_EQ(s.weights[2], 1.0);
  EXPECT_NEAR(s.weights[0], std::exp(-2.0 * 1.5 * 1.5), 1e-15);
  EXPECT_NEAR(s.weights[1], std::exp(-2.0 * 0.75 * 0.75), 1e-15);
  EXPECT_NEAR(s.weights[3], s.weights[1], 1e-15);
}

TEST(Temporal, ExpRisesTowardsTheEndOrTheStart) {
  const TemporalSamples up = MakeTemporalSamples(4, TemporalFilterType::kExp, 1.0, 2.0, 0.0);
  EXPECT_EQ(up.weights, (std::vector<double>{1.0 / 16, 4.0 / 16, 9.0 / 16, 1.0}));
  EXPECT_DOUBLE_EQ(up.mean_weight, 30.0 / 64);
  const TemporalSamples down = MakeTemporalSamples(4, TemporalFilterType::kExp, 1.0, -2.0, 0.0);
  EXPECT_EQ(down.weights, (std::vector<double>{1.0, 9.0 / 16, 4.0 / 16, 1.0 / 16}));
}

TEST(Temporal, GenomeSettingsChooseTheSamples) {
  Flame f;
  f.temporal_samples = 10;
  f.passes = 2;
  f.temporal_filter_width = 0.5;
  const TemporalSamples s = MakeTemporalSamples(f, 3.0);
  ASSERT_EQ(s.times.size(), 20u);
  EXPECT_DOUBLE_EQ(s.times.front(), 2.75);
  EXPECT_DOUBLE_EQ(s.times.back(), 3.25);
}

}  // namespace
}  // namespace flamegrid
