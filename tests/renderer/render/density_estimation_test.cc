#include "renderer/render/density_estimation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "renderer/render/weighted_rows.h"
#include "tests/renderer/simd_targets.h"

namespace flamegrid {
namespace {

TEST(DensityEstimationTest, RadiusZeroDisablesTheEstimator) {
  auto de = DensityKernels::Create(0.0, 0.0, 0.4, 1);
  ASSERT_TRUE(de.ok());
  EXPECT_FALSE(de->enabled());
  EXPECT_EQ(de->max_reach(), 0);
}

TEST(DensityEstimationTest, KernelsSumToOneAndShrinkWithHits) {
  for (int ss : {1, 2, 4}) {
    auto de = DensityKernels::Create(9.0, 0.0, 0.4, ss);
    ASSERT_TRUE(de.ok());
    ASSERT_TRUE(de->enabled());
    for (int k = 0; k <= de->max_index(); ++k) {
      EXPECT_NEAR(de->KernelSum(k), 1.0, 1e-9) << "ss=" << ss << " k=" << k;
      if (k > 0) {
        EXPECT_LE(de->KernelWidth(k), de->KernelWidth(k - 1));
      }
    }
    EXPECT_DOUBLE_EQ(de->KernelWidth(0), 9.0 * ss + 1.0);
    EXPECT_EQ(de->max_reach(), 9 * ss);
    // Narrowest kernel: the minimum radius (0 cells + 1).
    EXPECT_DOUBLE_EQ(de->KernelWidth(de->max_index()), 1.0);
  }
}

TEST(DensityEstimationTest, KernelChoiceFollowsHits) {
  auto de = DensityKernels::Create(9.0, 0.0, 0.4, 1);
  ASSERT_TRUE(de.ok());
  EXPECT_EQ(de->KernelIndexFor(0.5), 0);
  EXPECT_EQ(de->KernelIndexFor(1.0), 0);
  EXPECT_EQ(de->KernelIndexFor(2.0), 1);
  EXPECT_EQ(de->KernelIndexFor(1e12), de->max_index());
}

TEST(DensityEstimationTest, RejectsBadSettings) {
  EXPECT_FALSE(DensityKernels::Create(9.0, 0.0, 0.0, 1).ok());
  EXPECT_FALSE(DensityKernels::Create(1.0, 2.0, 0.4, 1).ok());
  EXPECT_FALSE(DensityKernels::Create(-1.0, 0.0, 0.4, 1).ok());
  EXPECT_FALSE(DensityKernels::Create(NAN, 0.0, 0.4, 1).ok());
  EXPECT_FALSE(DensityKernels::Create(9.0, 0.0, 1e-6, 1).ok());  // too many kernels
}

Histogram OneHotHistogram(int size, uint32_t hits) {
  Histogram h(size, size);
  CellIncrement inc{static_cast<uint32_t>(size / 2 * size + size / 2),
                    {100 * hits, 50 * hits, 25 * hits, 255 * hits},
                    255 * hits};
  h.Add(inc);
  return h;
}

TEST(DensityEstimationTest, LogScaleIsFlam3sFormula) {
  Histogram h = OneHotHistogram(5, 3);
  LogScale scale{2.0, 0.01};
  std::vector<AccumCell> accum(25);
  ApplyLogScale(h, scale, accum);
  const double a = 255.0 * 3;
  const double factor = 2.0 * std::log(1.0 + a * 0.01) / a;
  EXPECT_NEAR(accum[12].value[0], 300 * factor, 1e-4);
  EXPECT_NEAR(accum[12].value[3], a * factor, 1e-4);
  EXPECT_EQ(accum[0].value[3], 0.0f);
}

TEST(DensityEstimationTest, SpreadingKeepsTheTotalAndReachesNeighbours) {
  auto de = DensityKernels::Create(3.0, 0.0, 0.4, 1);
  ASSERT_TRUE(de.ok());
  Histogram h = OneHotHistogram(21, 1);
  LogScale scale{1.0, 1.0};
  std::vector<AccumCell> accum(21 * 21);
  ASSERT_TRUE(de->Apply(h, scale, 1, accum, nullptr).ok());
  double total = 0.0;
  for (const AccumCell& c : accum) total += c.value[3];
  const double a = 255.0;
  EXPECT_NEAR(total, a * std::log1p(a) / a, 1e-4);
  // A single hit gets the widest kernel (radius 4 cells): its neighbour is lit, far cells not.
  EXPECT_GT(accum[10 * 21 + 11].value[3], 0.0f);
  EXPECT_EQ(accum[10 * 21 + 16].value[3], 0.0f);
}

// Rows of every length from one cell to more than two vectors, with and
// without a remainder, on every SIMD target: each float gets exactly its own
// multiply-add, and the floats around a row are untouched.
TEST(WeightedRowsTest, EveryRowGetsPatternTimesWeights) {
  const float pattern[4] = {0.5f, -2.0f, 3.25f, 1.0f};
  testing::ForEachSimdTarget([&] {
    std::vector<std::vector<float>> outs, weights;
    for (size_t cells = 1; cells <= 21; ++cells) {
      outs.emplace_back(4 * cells + 8);  // one guard cell before and after
      weights.emplace_back(4 * cells);
      for (size_t i = 0; i < outs.back().size(); ++i) {
        outs.back()[i] = static_cast<float>(i % 7) - 3.0f;
      }
      for (size_t i = 0; i < 4 * cells; ++i) {
        weights.back()[i] = static_cast<float>(cells) / static_cast<float>(i + 1);
      }
    }
    const std::vector<std::vector<float>> before = outs;
    std::vector<WeightedRow> rows;
    for (size_t r = 0; r < outs.size(); ++r) {
      rows.push_back({outs[r].data() + 4, weights[r].data(), weights[r].size()});
    }
    AddWeightedRows(rows, pattern);
    for (size_t r = 0; r < outs.size(); ++r) {
      for (size_t i = 0; i < outs[r].size(); ++i) {
        const bool inside = i >= 4 && i < 4 + weights[r].size();
        const float expected = before[r][i] + (inside ? pattern[i % 4] * weights[r][i - 4] : 0.0f);
        ASSERT_NEAR(outs[r][i], expected, 1e-5f * (1.0f + std::fabs(expected)))
            << "row of " << weights[r].size() / 4 << " cells, float " << i;
      }
    }
  });
}

// A kernel of rows at different columns, added at an origin inside a grid:
// the same sums as adding each row on its own, and nothing outside the rows.
TEST(WeightedRowsTest, KernelRowsLandAtTheirColumns) {
  const float pattern[4] = {1.0f, 2.0f, -1.0f, 0.25f};
  const int width = 30, height = 9;
  const std::vector<KernelRow> rows = {{-2, 5, 0}, {-7, 15, 20}, {0, 1, 80}, {3, 4, 84}};
  std::vector<float> values(100);
  for (size_t i = 0; i < values.size(); ++i) values[i] = 0.01f * static_cast<float>(i + 1);
  testing::ForEachSimdTarget([&] {
    std::vector<float> grid(static_cast<size_t>(width) * height * 4, 1.0f);
    std::vector<float> expected = grid;
    const int origin_x = 10, origin_y = 2;
    for (size_t r = 0; r < rows.size(); ++r) {
      for (int c = 0; c < rows[r].columns; ++c) {
        for (int channel = 0; channel < 4; ++channel) {
          const size_t at =
              ((static_cast<size_t>(origin_y) + r) * width + origin_x + rows[r].first_column + c) *
                  4 +
              channel;
          expected[at] += pattern[channel] * values[rows[r].first_value + 4 * c + channel];
        }
      }
    }
    AddWeightedKernel(&grid[(static_cast<size_t>(origin_y) * width + origin_x) * 4],
                      static_cast<size_t>(width) * 4, rows.data(), rows.size(), values.data(),
                      pattern);
    for (size_t i = 0; i < grid.size(); ++i) {
      ASSERT_NEAR(grid[i], expected[i], 1e-6f) << "float " << i;
    }
  });
}

}  // namespace
}  // namespace flamegrid
