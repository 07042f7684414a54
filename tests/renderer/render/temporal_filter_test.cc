#include "renderer/render/temporal_filter.h"

#include <gtest/gtest.h>

namespace flamegrid {
namespace {

TEST(TemporalFilterTest, OneSampleIsTheFrameTime) {
  auto f = TemporalFilter::Create(TemporalFilterType::kGaussian, 1, 1.0, 0.0);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->time_offsets, std::vector<double>{0.0});
  EXPECT_EQ(f->weights, std::vector<double>{1.0});
  EXPECT_EQ(f->mean_weight, 1.0);
}

TEST(TemporalFilterTest, BoxSpreadsEvenlyOverTheWidth) {
  auto f = TemporalFilter::Create(TemporalFilterType::kBox, 5, 2.0, 0.0);
  ASSERT_TRUE(f.ok());
  EXPECT_DOUBLE_EQ(f->time_offsets.front(), -1.0);
  EXPECT_DOUBLE_EQ(f->time_offsets.back(), 1.0);
  EXPECT_DOUBLE_EQ(f->time_offsets[2], 0.0);
  for (double w : f->weights) EXPECT_EQ(w, 1.0);
  EXPECT_DOUBLE_EQ(f->mean_weight, 1.0);
}

TEST(TemporalFilterTest, ExpRisesForPositiveAndFallsForNegativeExponent) {
  auto up = TemporalFilter::Create(TemporalFilterType::kExp, 4, 1.0, 2.0);
  ASSERT_TRUE(up.ok());
  // (k/4)^2 for k = 1..4, already max 1.
  EXPECT_DOUBLE_EQ(up->weights[0], 1.0 / 16.0);
  EXPECT_DOUBLE_EQ(up->weights[3], 1.0);
  EXPECT_DOUBLE_EQ(up->mean_weight, (1.0 + 4.0 + 9.0 + 16.0) / 16.0 / 4.0);
  auto down = TemporalFilter::Create(TemporalFilterType::kExp, 4, 1.0, -2.0);
  ASSERT_TRUE(down.ok());
  EXPECT_DOUBLE_EQ(down->weights[0], 1.0);
  EXPECT_DOUBLE_EQ(down->weights[3], 1.0 / 16.0);
}

TEST(TemporalFilterTest, GaussianPeaksAtOneInTheMiddle) {
  auto f = TemporalFilter::Create(TemporalFilterType::kGaussian, 9, 1.0, 0.0);
  ASSERT_TRUE(f.ok());
  double largest = 0.0;
  for (double w : f->weights) largest = std::max(largest, w);
  EXPECT_DOUBLE_EQ(largest, 1.0);
  EXPECT_LT(f->weights[0], f->weights[4]);
  EXPECT_LT(f->mean_weight, 1.0);
}

TEST(TemporalFilterTest, RejectsBadInput) {
  EXPECT_FALSE(TemporalFilter::Create(TemporalFilterType::kBox, 0, 1.0, 0.0).ok());
  std::vector<double> zero{0.0, 0.0};
  EXPECT_FALSE(NormalizeTemporalWeights(zero).ok());
  std::vector<double> negative{1.0, -1.0};
  EXPECT_FALSE(NormalizeTemporalWeights(negative).ok());
}

}  // namespace
}  // namespace flamegrid
