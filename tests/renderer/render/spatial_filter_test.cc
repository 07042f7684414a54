#include "renderer/render/spatial_filter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

namespace flamegrid {
namespace {

constexpr FilterShape kAllShapes[] = {
    FilterShape::kGaussian, FilterShape::kHermite,  FilterShape::kBox,      FilterShape::kTriangle,
    FilterShape::kBell,     FilterShape::kBspline,  FilterShape::kLanczos3, FilterShape::kLanczos2,
    FilterShape::kMitchell, FilterShape::kBlackman, FilterShape::kCatrom,   FilterShape::kHamming,
    FilterShape::kHanning,  FilterShape::kQuadratic};

TEST(SpatialFilterTest, EveryShapeNormalisesToOne) {
  for (FilterShape shape : kAllShapes) {
    for (int ss : {1, 2, 3, 4}) {
      for (double radius : {0.5, 1.0, 2.25}) {
        auto filter = SpatialFilter::Create(shape, radius, ss);
        ASSERT_TRUE(filter.ok()) << filter.status().ToString();
        const auto& w = filter->weights();
        EXPECT_NEAR(std::accumulate(w.begin(), w.end(), 0.0), 1.0, 1e-12)
            << static_cast<int>(shape) << " ss=" << ss << " r=" << radius;
      }
    }
  }
}

// The renderer filters rows then columns with the taps; that is only the
// square kernel if the kernel is their product.
TEST(SpatialFilterTest, EveryKernelIsTheProductOfItsTaps) {
  for (FilterShape shape : kAllShapes) {
    for (int ss : {1, 2, 4}) {
      auto filter = SpatialFilter::Create(shape, 1.5, ss);
      ASSERT_TRUE(filter.ok()) << filter.status().ToString();
      const auto& taps = filter->taps();
      ASSERT_EQ(static_cast<int>(taps.size()), filter->width());
      EXPECT_NEAR(std::accumulate(taps.begin(), taps.end(), 0.0), 1.0, 1e-12);
      for (int dy = 0; dy < filter->width(); ++dy) {
        for (int dx = 0; dx < filter->width(); ++dx) {
          ASSERT_NEAR(filter->Weight(dx, dy), taps[dx] * taps[dy], 1e-15)
              << static_cast<int>(shape) << " ss=" << ss << " (" << dx << ", " << dy << ")";
        }
      }
    }
  }
}

TEST(SpatialFilterTest, WidthFollowsSupportRadiusAndSupersampleParity) {
  for (FilterShape shape : kAllShapes) {
    for (int ss : {1, 2, 3, 4}) {
      for (double radius : {0.5, 1.0, 2.25}) {
        auto filter = SpatialFilter::Create(shape, radius, ss);
        ASSERT_TRUE(filter.ok());
        const double exact = 2.0 * FilterSupport(shape) * ss * radius;
        int expected = static_cast<int>(exact) + 1;
        if ((expected % 2) != (ss % 2)) ++expected;
        EXPECT_EQ(filter->width(), expected);
        EXPECT_EQ(filter->width() % 2, ss % 2);
      }
    }
  }
}

TEST(SpatialFilterTest, SupportsMatchFlam3) {
  EXPECT_EQ(FilterSupport(FilterShape::kGaussian), 1.5);
  EXPECT_EQ(FilterSupport(FilterShape::kBox), 0.5);
  EXPECT_EQ(FilterSupport(FilterShape::kLanczos3), 3.0);
  EXPECT_EQ(FilterSupport(FilterShape::kMitchell), 2.0);
  EXPECT_EQ(FilterSupport(FilterShape::kQuadratic), 1.5);
  // Compactly supported shapes vanish at and beyond their support.
  for (FilterShape shape :
       {FilterShape::kHermite, FilterShape::kTriangle, FilterShape::kBell, FilterShape::kBspline,
        FilterShape::kMitchell, FilterShape::kCatrom, FilterShape::kLanczos3,
        FilterShape::kLanczos2, FilterShape::kQuadratic}) {
    const double s = FilterSupport(shape);
    EXPECT_NEAR(FilterValue(shape, s), 0.0, 1e-12) << static_cast<int>(shape);
    EXPECT_EQ(FilterValue(shape, s + 0.01), 0.0) << static_cast<int>(shape);
    EXPECT_GT(FilterValue(shape, 0.0), 0.0);
  }
}

TEST(SpatialFilterTest, KernelIsSymmetricAndPeaksInTheMiddle) {
  auto filter = SpatialFilter::Create(FilterShape::kGaussian, 1.0, 3);
  ASSERT_TRUE(filter.ok());
  const int w = filter->width();
  for (int y = 0; y < w; ++y) {
    for (int x = 0; x < w; ++x) {
      EXPECT_NEAR(filter->Weight(x, y), filter->Weight(w - 1 - x, y), 1e-15);
      EXPECT_NEAR(filter->Weight(x, y), filter->Weight(y, x), 1e-15);
      EXPECT_LE(filter->Weight(x, y), filter->Weight(w / 2, w / 2));
    }
  }
}

TEST(SpatialFilterTest, RejectsAbsurdRadii) {
  EXPECT_FALSE(SpatialFilter::Create(FilterShape::kGaussian, NAN, 1).ok());
  EXPECT_FALSE(SpatialFilter::Create(FilterShape::kGaussian, -1.0, 1).ok());
  EXPECT_FALSE(SpatialFilter::Create(FilterShape::kGaussian, 1e9, 1).ok());
  EXPECT_FALSE(SpatialFilter::Create(FilterShape::kGaussian, 1.0, 0).ok());
  // Radius 0 is a 1-cell kernel, as in flam3.
  auto point = SpatialFilter::Create(FilterShape::kGaussian, 0.0, 1);
  ASSERT_TRUE(point.ok());
  EXPECT_EQ(point->width(), 1);
}

}  // namespace
}  // namespace flamegrid
