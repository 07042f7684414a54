#include "renderer/render/histogram_plotter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <span>
#include <thread>
#include <vector>

#include "renderer/base/random.h"
#include "renderer/render/zeroed_array.h"

namespace flamegrid {
namespace {

std::vector<CellIncrement> RandomIncrements(uint64_t seed, size_t n, uint32_t cells) {
  Random rng(seed);
  std::vector<CellIncrement> out(n);
  for (CellIncrement& inc : out) {
    inc.cell = rng.NextU32() % cells;
    for (uint32_t& c : inc.color) c = rng.NextU32() % 256;
    inc.density = 255;
  }
  return out;
}

void ExpectSameCells(const Histogram& actual, const Histogram& expected) {
  ASSERT_EQ(actual.cells().size(), expected.cells().size());
  for (size_t i = 0; i < actual.cells().size(); ++i) {
    const HistogramCell& a = actual.cells()[i];
    const HistogramCell& e = expected.cells()[i];
    ASSERT_EQ(a.density, e.density) << "cell " << i;
    for (int c = 0; c < 4; ++c) ASSERT_EQ(a.color[c], e.color[c]) << "cell " << i;
  }
}

TEST(HistogramPlotterTest, ConcurrentBandedAddsEqualSequentialAdds) {
  const int width = 97, height = 300;  // not a multiple of the band count
  const uint32_t cells = width * height;
  std::vector<std::vector<CellIncrement>> batches;
  for (uint64_t s = 0; s < 8; ++s) batches.push_back(RandomIncrements(s, 20000, cells));

  Histogram expected(width, height);
  for (const auto& batch : batches) {
    for (const CellIncrement& inc : batch) expected.Add(inc);
  }

  Histogram histogram(width, height);
  HistogramPlotter plotter(histogram);
  EXPECT_GT(plotter.band_count(), 1);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      PlotScratch scratch;
      for (size_t b = t; b < batches.size(); b += 4) plotter.Add(batches[b], scratch);
    });
  }
  for (std::thread& thread : threads) thread.join();

  ExpectSameCells(histogram, expected);
}

// The renderer's path: small batches into per-thread band buckets, from
// several threads, then a flush per thread.
TEST(HistogramPlotterTest, BucketedAppendsEqualSequentialAdds) {
  const int width = 130, height = 77;
  const uint32_t cells = width * height;
  std::vector<std::vector<CellIncrement>> batches;
  for (uint64_t s = 0; s < 12; ++s) batches.push_back(RandomIncrements(100 + s, 9000, cells));
  Histogram expected(width, height);
  for (const auto& batch : batches) {
    for (const CellIncrement& inc : batch) expected.Add(inc);
  }

  Histogram histogram(width, height);
  HistogramPlotter plotter(histogram);
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      PlotScratch scratch;
      for (size_t b = t; b < batches.size(); b += 3) {
        // Steps of 1 to 1000 increments, as the batch iterator hands them.
        std::span<const CellIncrement> rest(batches[b]);
        for (size_t step = 1; !rest.empty(); step = step * 7 % 1000 + 1) {
          const size_t n = std::min(step, rest.size());
          plotter.Append(rest.first(n), scratch);
          rest = rest.subspan(n);
        }
      }
      plotter.Flush(scratch);
    });
  }
  for (std::thread& thread : threads) thread.join();

  ExpectSameCells(histogram, expected);
}

TEST(HistogramPlotterTest, AFlushAddsWhatTheBucketsHold) {
  Histogram histogram(8, 8);
  HistogramPlotter plotter(histogram);
  PlotScratch scratch;
  std::vector<CellIncrement> few = {{3, {1, 2, 3, 4}, 5}, {60, {6, 7, 8, 9}, 10}};
  plotter.Append(few, scratch);
  EXPECT_EQ(histogram.cells()[3].density, 0u);  // still in a bucket
  plotter.Flush(scratch);
  EXPECT_EQ(histogram.cells()[3].density, 5u);
  EXPECT_EQ(histogram.cells()[60].color[3], 9u);
  plotter.Flush(scratch);  // nothing left: adds nothing twice
  EXPECT_EQ(histogram.cells()[3].density, 5u);
}

TEST(HistogramPlotterTest, SaturatesInsteadOfWrapping) {
  Histogram histogram(4, 4);
  HistogramPlotter plotter(histogram);
  CellIncrement big{5, {0xC0000000u, 1, 2, 3}, 0xC0000000u};
  std::vector<CellIncrement> twice = {big, big};
  PlotScratch scratch;
  plotter.Add(twice, scratch);
  EXPECT_EQ(histogram.cells()[5].color[0], 0xFFFFFFFFu);
  EXPECT_EQ(histogram.cells()[5].density, 0xFFFFFFFFu);
  EXPECT_EQ(histogram.cells()[5].color[1], 2u);
}

TEST(ZeroedArrayTest, SmallAndMappedArraysStartZeroAndMove) {
  for (size_t n : {size_t{10}, size_t{3} << 20}) {  // calloc'd and mapped
    ZeroedArray<uint32_t> a(n);
    ASSERT_EQ(a.size(), n);
    EXPECT_EQ(a[0], 0u);
    EXPECT_EQ(a[n - 1], 0u);
    a[n - 1] = 7;
    ZeroedArray<uint32_t> b = std::move(a);
    EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): moved-from is empty
    EXPECT_EQ(b[n - 1], 7u);
    b.Release();
    EXPECT_EQ(b.size(), 0u);
  }
}

}  // namespace
}  // namespace flamegrid
