// Random variations: invariants and distributions that follow from flam3's
// formulas (we reproduce the distributions, not flam3's ISAAC stream).
// Fixed seeds keep these deterministic; tolerances are several standard
// errors wide.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <map>
#include <numbers>
#include <set>
#include <utility>
#include <vector>

#include "renderer/variations/prepared_xform.h"
#include "tests/renderer/variations/test_util.h"

namespace flamegrid {
namespace {

using testing::MakeXform;
using V = VariationId;

constexpr double kPi = std::numbers::pi;
constexpr int kSamples = 20000;
constexpr Point2 kP{0.3, 0.4};

struct Moments {
  double mean_x = 0, mean_y = 0, mean_r2 = 0;
};

template <typename Check>
Moments Sample(const Xform& xform, Point2 input, Check check, uint64_t seed = 7) {
  const PreparedXform prepared = PreparedXform::Prepare(xform);
  Random rng(seed);
  Moments m;
  for (int i = 0; i < kSamples; ++i) {
    const Point2 out = prepared.Apply(input, rng);
    check(out);
    m.mean_x += out.x / kSamples;
    m.mean_y += out.y / kSamples;
    m.mean_r2 += (out.x * out.x + out.y * out.y) / kSamples;
  }
  return m;
}

TEST(RandomVariationTest, BlurIsAUniformAngleDiscOfRadiusWeight) {
  // r = w U: E[r^2] = w^2 / 3, centred on the origin whatever the input.
  const Moments m = Sample(MakeXform(V::kBlur, 0.8, {}), {5, -7},
                           [](Point2 out) { ASSERT_LE(std::hypot(out.x, out.y), 0.8 + 1e-12); });
  EXPECT_NEAR(m.mean_x, 0, 0.02);
  EXPECT_NEAR(m.mean_y, 0, 0.02);
  EXPECT_NEAR(m.mean_r2, 0.64 / 3, 0.01);
}

TEST(RandomVariationTest, GaussianBlurHasFlam3sVariance) {
  // r = w (U1 + U2 + U3 + U4 - 2): |r| <= 2w, E[r^2] = w^2 * 4/12.
  const Moments m = Sample(MakeXform(V::kGaussianBlur, 1.5, {}), kP,
                           [](Point2 out) { ASSERT_LE(std::hypot(out.x, out.y), 3.0 + 1e-12); });
  EXPECT_NEAR(m.mean_x, 0, 0.03);
  EXPECT_NEAR(m.mean_y, 0, 0.03);
  EXPECT_NEAR(m.mean_r2, 2.25 / 3, 0.03);
}

TEST(RandomVariationTest, SquareIsUniformOnASquareOfSideWeight) {
  const Moments m = Sample(MakeXform(V::kSquare, 2.0, {}), kP, [](Point2 out) {
    ASSERT_GE(out.x, -1.0);
    ASSERT_LT(out.x, 1.0);
    ASSERT_GE(out.y, -1.0);
    ASSERT_LT(out.y, 1.0);
  });
  EXPECT_NEAR(m.mean_x, 0, 0.03);
  EXPECT_NEAR(m.mean_r2, 2 * 4.0 / 12, 0.03);
}

TEST(RandomVariationTest, NoiseScalesEachAxisByAtMostTheWeight) {
  const Moments m = Sample(MakeXform(V::kNoise, 0.5, {}), {2, -4}, [](Point2 out) {
    ASSERT_LE(std::fabs(out.x), 1.0 + 1e-12);
    ASSERT_LE(std::fabs(out.y), 2.0 + 1e-12);
  });
  // E[(w U)^2 cos^2] = w^2/3 * 1/2 per axis.
  EXPECT_NEAR(m.mean_r2, 0.25 / 6 * (4 + 16), 0.05);
}

TEST(RandomVariationTest, JuliaPicksEitherSquareRootBranchEvenly) {
  // Radius w sqrt(r); angle atan2(x, y)/2 (x first!) or that plus pi.
  const double half = std::atan2(0.3, 0.4) / 2;
  const Point2 root{std::sqrt(0.5) * std::cos(half), std::sqrt(0.5) * std::sin(half)};
  int positive = 0;
  Sample(MakeXform(V::kJulia, 1, {}), kP, [&](Point2 out) {
    const bool is_root = std::hypot(out.x - root.x, out.y - root.y) < 1e-12;
    const bool is_negated = std::hypot(out.x + root.x, out.y + root.y) < 1e-12;
    ASSERT_TRUE(is_root || is_negated);
    positive += is_root;
  });
  EXPECT_NEAR(positive, kSamples / 2, 400);
}

TEST(RandomVariationTest, JulianVisitsEveryRoot) {
  // power 3, dist 1: radius r^(1/3), angles (atan2(y, x) + 2 pi k) / 3.
  std::set<int> roots;
  Sample(MakeXform(V::kJulian, 1, {{"julian_power", 3}, {"julian_dist", 1}}), kP, [&](Point2 out) {
    ASSERT_NEAR(std::hypot(out.x, out.y), std::cbrt(0.5), 1e-12);
    const double k = (std::atan2(out.y, out.x) * 3 - std::atan2(0.4, 0.3)) / (2 * kPi);
    const double wrapped = std::fmod(std::round(k) + 3, 3.0);
    ASSERT_NEAR(k, std::round(k), 1e-9);
    roots.insert(static_cast<int>(wrapped));
  });
  EXPECT_EQ(roots.size(), 3u);
}

TEST(RandomVariationTest, JuliascopeMirrorsOddRoots) {
  // power 2: root 0 at angle b/2, root 1 at (2 pi - b)/2.
  const double b = std::atan2(0.4, 0.3);
  int even = 0, odd = 0;
  Sample(MakeXform(V::kJuliascope, 1, {{"juliascope_power", 2}, {"juliascope_dist", 1}}), kP,
         [&](Point2 out) {
           const double a = std::atan2(out.y, out.x);
           if (std::fabs(a - b / 2) < 1e-9) {
             ++even;
           } else {
             ASSERT_NEAR(a, (2 * kPi - b) / 2, 1e-9);
             ++odd;
           }
         });
  EXPECT_GT(even, kSamples / 3);
  EXPECT_GT(odd, kSamples / 3);
}

TEST(RandomVariationTest, WedgeJuliaWithoutWedgesIsJulian) {
  // angle 0 makes the wedge compression 1 and the wedge offset 0.
  Sample(MakeXform(V::kWedgeJulia, 1,
                   {{"wedge_julia_power", 2}, {"wedge_julia_dist", 1}, {"wedge_julia_angle", 0}}),
         kP, [](Point2 out) { ASSERT_NEAR(std::hypot(out.x, out.y), std::sqrt(0.5), 1e-12); });
}

TEST(RandomVariationTest, RadialBlurZoomMovesAlongTheRay) {
  // angle 0: pure zoom, out = rndG * p with |rndG| <= 2w (a displacement).
  Sample(MakeXform(V::kRadialBlur, 0.5, {{"radial_blur_angle", 0}}), kP, [](Point2 out) {
    ASSERT_NEAR(out.x * 0.4 - out.y * 0.3, 0, 1e-12);
    ASSERT_LE(std::hypot(out.x, out.y), 2 * 0.5 * 0.5 + 1e-12);
  });
}

TEST(RandomVariationTest, RadialBlurSpinStaysOnTheCircleAroundMinusP) {
  // angle 1: pure spin, out = rotate(p) - p, so |out + p| = |p|.
  Sample(MakeXform(V::kRadialBlur, 0.5, {{"radial_blur_angle", 1}}), kP,
         [](Point2 out) { ASSERT_NEAR(std::hypot(out.x + 0.3, out.y + 0.4), 0.5, 1e-12); });
}

TEST(RandomVariationTest, PieStaysInsideItsSlices) {
  const double slices = 5, rotation = 0.3, thickness = 0.4;
  Sample(
      MakeXform(V::kPie, 0.9,
                {{"pie_slices", slices}, {"pie_rotation", rotation}, {"pie_thickness", thickness}}),
      {10, 10}, [&](Point2 out) {
        ASSERT_LT(std::hypot(out.x, out.y), 0.9);
        const double sector = 2 * kPi / slices;
        double within = std::fmod(std::atan2(out.y, out.x) - rotation + 4 * kPi, sector);
        if (within > sector - 1e-9) within -= sector;  // rounding at a slice start
        ASSERT_GE(within, -1e-9);
        ASSERT_LE(within, thickness * sector + 1e-9);
      });
}

TEST(RandomVariationTest, ArchTracesItsCurve) {
  // x = w sin(t), y = w sin(t)^2 / cos(t) with t in [0, w pi): y cos t = x^2 / w.
  Sample(MakeXform(V::kArch, 0.4, {}), kP, [](Point2 out) {
    ASSERT_GE(out.x, 0);
    ASSERT_LE(out.x, 0.4);
    const double cos_t = std::sqrt(1 - (out.x / 0.4) * (out.x / 0.4));
    ASSERT_NEAR(out.y * cos_t, out.x * out.x / 0.4, 1e-9);
  });
}

TEST(RandomVariationTest, RaysKeepsAFixedDirection) {
  // out = k * (cos x, sin y) for a random k.
  Sample(MakeXform(V::kRays, 0.5, {}), kP, [](Point2 out) {
    ASSERT_NEAR(out.x * std::sin(0.4) - out.y * std::cos(0.3), 0, 1e-9 * std::fabs(out.x) + 1e-12);
  });
}

TEST(RandomVariationTest, BladeAndTwintrianScaleOnlyX) {
  // blade: (x w (c + s), x w (c - s)) -> squares sum to 2 (x w)^2.
  Sample(MakeXform(V::kBlade, 0.7, {}), kP,
         [](Point2 out) { ASSERT_NEAR(out.x * out.x + out.y * out.y, 2 * 0.21 * 0.21, 1e-12); });
  // twintrian: x - y = x w pi sin(r), r in [0, w |p|).
  Sample(MakeXform(V::kTwintrian, 0.7, {}), kP, [](Point2 out) {
    const double s = (out.x - out.y) / (0.21 * kPi);
    ASSERT_GE(s, -1e-12);
    ASSERT_LE(s, std::sin(0.35) + 1e-12);
  });
}

TEST(RandomVariationTest, FlowerAndConicMoveAlongTheRay) {
  const double b = std::atan2(0.4, 0.3);
  Sample(MakeXform(V::kFlower, 1, {{"flower_petals", 3}, {"flower_holes", 0}}), kP,
         [&](Point2 out) {
           ASSERT_NEAR(out.x * 0.4 - out.y * 0.3, 0, 1e-12);
           ASSERT_LE(std::hypot(out.x, out.y), std::fabs(std::cos(3 * b)) + 1e-12);
         });
  // conic: radius w U e / (1 + e cos(theta)), cos(theta) = x / r = 0.6.
  Sample(MakeXform(V::kConic, 1, {{"conic_eccentricity", 0.5}, {"conic_holes", 0}}), kP,
         [](Point2 out) {
           ASSERT_NEAR(out.x * 0.4 - out.y * 0.3, 0, 1e-12);
           ASSERT_LE(std::hypot(out.x, out.y), 0.5 / 1.3 + 1e-12);
         });
}

TEST(RandomVariationTest, ParabolaStaysInItsBox) {
  const Moments m =
      Sample(MakeXform(V::kParabola, 1, {{"parabola_height", 2}, {"parabola_width", 3}}), kP,
             [](Point2 out) {
               ASSERT_GE(out.x, 0);
               ASSERT_LE(out.x, 2 * std::sin(0.5) * std::sin(0.5));
               ASSERT_GE(out.y, 0);
               ASSERT_LE(out.y, 3 * std::cos(0.5));
             });
  EXPECT_NEAR(m.mean_x, std::sin(0.5) * std::sin(0.5), 0.01);
}

TEST(RandomVariationTest, BoardersTakesTheOuterBranchAQuarterOfTheTime) {
  // (1.2, 2.1): rounds (1, 2), offsets (0.2, 0.1); |dx| >= |dy| and dx >= 0.
  int plain = 0;
  Sample(MakeXform(V::kBoarders, 1, {}), {1.2, 2.1}, [&](Point2 out) {
    if (std::fabs(out.x - 1.1) < 1e-12) {
      ASSERT_NEAR(out.y, 2.05, 1e-12);
      ++plain;
    } else {
      ASSERT_NEAR(out.x, 1.35, 1e-12);
      ASSERT_NEAR(out.y, 2.05 + 0.125, 1e-12);
    }
  });
  EXPECT_NEAR(plain, kSamples / 4, 400);
}

TEST(RandomVariationTest, CpowVisitsEveryBranchWithOneModulus) {
  // power 3, r 1, i 0: the three cube roots of z.
  std::set<long> angles;
  Sample(MakeXform(V::kCpow, 1, {{"cpow_r", 1}, {"cpow_i", 0}, {"cpow_power", 3}}), kP,
         [&](Point2 out) {
           ASSERT_NEAR(std::hypot(out.x, out.y), std::cbrt(0.5), 1e-12);
           angles.insert(std::lround(std::atan2(out.y, out.x) * 1000));
         });
  EXPECT_EQ(angles.size(), 3u);
}

TEST(RandomVariationTest, SuperShapeRandomnessReplacesTheRadius) {
  // rnd 1: the radius becomes U (scaled by the shape), direction unchanged.
  Sample(MakeXform(V::kSuperShape, 1, {{"super_shape_rnd", 1}, {"super_shape_m", 0}}), kP,
         [](Point2 out) {
           ASSERT_NEAR(out.x * 0.4 - out.y * 0.3, 0, 1e-12);
           // m = 0: theta = pi/4, t1 + t2 = sqrt(2), factor 2^(-1/2).
           ASSERT_LE(std::hypot(out.x, out.y), std::pow(2.0, -0.5) + 1e-12);
         });
}

// tile_hlp, as Ember renders it: a point whose x / width has fractional part
// f stays with odds max(cos(pi f), 0) / 2, else moves one width toward 0
// (from x = 0 it moves right).
TEST(RandomVariationTest, TileHlpMovesAWidthTowardZeroWithEmbersOdds) {
  struct Column {
    double x;          // with width 0.5
    double stay_odds;  // max(cos(pi f), 0) / 2
    double moved_x;    // x -+ 0.5
  };
  for (const Column& c :
       {Column{0.125, std::cos(kPi / 4) / 2, -0.375}, Column{-0.625, std::cos(kPi / 4) / 2, -0.125},
        Column{0.375, 0.0, -0.125}, Column{0.0, 0.5, 0.5}}) {
    int stayed = 0;
    Sample(MakeXform(V::kTileHlp, 2, {{"tile_hlp_width", 0.5}}), {c.x, 0.3}, [&](Point2 out) {
      ASSERT_EQ(out.y, 0.6);
      if (out.x == 2 * c.x) {
        ++stayed;
      } else {
        ASSERT_NEAR(out.x, 2 * c.moved_x, 1e-12) << c.x;
      }
    });
    EXPECT_NEAR(stayed / double(kSamples), c.stay_odds, 0.015) << c.x;
  }
}

// mirror_x: (+-|x|, y) with even odds, whatever the weight.
TEST(RandomVariationTest, MirrorXGivesXEitherSignEvenly) {
  for (const double x : {0.3, -0.3}) {
    int negative = 0;
    Sample(MakeXform(V::kMirrorX, 0.25, {}), {x, 0.2}, [&](Point2 out) {
      ASSERT_EQ(std::fabs(out.x), 0.3);
      ASSERT_EQ(out.y, 0.2);
      negative += out.x < 0;
    });
    EXPECT_NEAR(negative / double(kSamples), 0.5, 0.015) << x;
  }
}

// circleblur: a uniform disc of radius weight: E[r^2] = w^2 / 2.
TEST(RandomVariationTest, CircleBlurIsAUniformDiscOfRadiusWeight) {
  const Moments m = Sample(MakeXform(V::kCircleBlur, 0.8, {}), {5, -7},
                           [](Point2 out) { ASSERT_LE(std::hypot(out.x, out.y), 0.8 + 1e-12); });
  EXPECT_NEAR(m.mean_x, 0, 0.02);
  EXPECT_NEAR(m.mean_y, 0, 0.02);
  EXPECT_NEAR(m.mean_r2, 0.64 / 2, 0.01);
}

// eJulia at power p: one of |p| roots, evenly; Ember rounds the power half up
// (2.5 has three roots, 2.49 two). The roots share one elliptic radius mu,
// so one sum of distances to the foci -1 and 1 (2 cosh mu).
TEST(RandomVariationTest, EJuliaVisitsEveryRootOfTheRoundedPower) {
  for (const auto& [power, roots] : {std::pair{2.0, 2}, {2.49, 2}, {2.5, 3}, {-2.6, 3}}) {
    std::vector<Point2> seen;
    std::vector<int> hits;
    Sample(MakeXform(V::kEJulia, 1, {{"eJulia_power", power}}), kP, [&](Point2 out) {
      for (size_t i = 0; i < seen.size(); ++i) {
        if (std::hypot(out.x - seen[i].x, out.y - seen[i].y) < 1e-9) {
          ++hits[i];
          return;
        }
      }
      seen.push_back(out);
      hits.push_back(1);
    });
    ASSERT_EQ(seen.size(), static_cast<size_t>(roots)) << power;
    const auto foci_sum = [](Point2 p) {
      return std::hypot(p.x - 1, p.y) + std::hypot(p.x + 1, p.y);
    };
    for (size_t i = 0; i < seen.size(); ++i) {
      EXPECT_NEAR(hits[i] / double(kSamples), 1.0 / roots, 0.015) << power;
      EXPECT_NEAR(foci_sum(seen[i]), foci_sum(seen[0]), 1e-9) << power;
    }
  }
}

// formulas_ember_tail.h

TEST(RandomVariationTest, GaussianIsThePointPlusGaussianBlur) {
  // gaussian_blur's offset (E[r^2] = w^2 / 3) around the unweighted point.
  const Moments m = Sample(MakeXform(V::kGaussian, 1.5, {}), kP, [](Point2 out) {
    ASSERT_LE(std::hypot(out.x - kP.x, out.y - kP.y), 3.0 + 1e-12);
  });
  EXPECT_NEAR(m.mean_x, 0.3, 0.03);
  EXPECT_NEAR(m.mean_y, 0.4, 0.03);
  EXPECT_NEAR(m.mean_r2, 0.25 + 2.25 / 3, 0.03);
}

TEST(RandomVariationTest, MirrorXPicksEitherSideEvenlyWhateverTheWeight) {
  for (const double weight : {1.0, 0.05, -1.0}) {
    int left = 0;
    const Moments m = Sample(MakeXform(V::kMirrorX, weight, {}), {-0.3, 0.4}, [&left](Point2 out) {
      ASSERT_EQ(std::fabs(out.x), 0.3);
      ASSERT_EQ(out.y, 0.4);
      left += out.x < 0;
    });
    EXPECT_NEAR(m.mean_x, 0, 0.01) << weight;
    EXPECT_NEAR(left, kSamples / 2, 4 * std::sqrt(kSamples / 4.0)) << weight;
  }
}

TEST(RandomVariationTest, RBlurSmearsOverASquareGrowingPastTheOffset) {
  // Defaults (strength 1, offset 1, centre 0): inside the unit circle the
  // point stays; at (1.5, 0) a uniform square of half side 0.5 around it.
  Sample(MakeXform(V::kRBlur, 1, {}), {0.5, 0.25}, [](Point2 out) {
    ASSERT_EQ(out.x, 0.5);
    ASSERT_EQ(out.y, 0.25);
  });
  const Moments m = Sample(MakeXform(V::kRBlur, 2, {}), {1.5, 0}, [](Point2 out) {
    ASSERT_LE(std::fabs(out.x - 3), 1.0);
    ASSERT_LE(std::fabs(out.y), 1.0);
  });
  EXPECT_NEAR(m.mean_x, 3, 0.02);
  EXPECT_NEAR(m.mean_y, 0, 0.02);
  EXPECT_NEAR(m.mean_r2, 4 * (2.25 + 2 * 0.25 / 3), 0.05);  // weight^2 (x^2 + 2 E[d^2])
}

TEST(RandomVariationTest, PowBlockTakesBothSquareRootsOfTheCubeByDefault) {
  // numerator 3, denominator 2: +-z^(3/2), each half the time.
  const std::complex<double> z(0.3, 0.4), root = std::pow(z, 1.5);
  int positive = 0;
  Sample(MakeXform(V::kPowBlock, 1, {}), {z.real(), z.imag()}, [&](Point2 out) {
    const double sign = out.x * root.real() > 0 ? 1 : -1;
    ASSERT_NEAR(out.x, sign * root.real(), 1e-12);
    ASSERT_NEAR(out.y, sign * root.imag(), 1e-12);
    positive += sign > 0;
  });
  EXPECT_NEAR(positive, kSamples / 2, 4 * std::sqrt(kSamples / 4.0));
  // root 2 makes the step 4 pi: after the power, 6 pi, the same branch.
  Sample(MakeXform(V::kPowBlock, 1, {{"pow_block_root", 2}}), {z.real(), z.imag()},
         [&](Point2 out) {
           ASSERT_NEAR(out.x, root.real(), 1e-12);
           ASSERT_NEAR(out.y, root.imag(), 1e-12);
         });
}

TEST(RandomVariationTest, EJuliaTakesEveryRootOfCoshNTimes) {
  // x + iy = cosh(mu + i nu): the n-th roots in elliptic coordinates are the
  // points whose cosh(n acosh(.)) is the input (Chebyshev's T_n), each
  // equally often; a negative power roots the inverted point z / |z|^2.
  const std::complex<double> z(0.3, 0.4), inverted = z / std::norm(z);
  for (const double power : {3.0, -2.0}) {
    const std::complex<double> target = power > 0 ? z : inverted;
    std::map<std::pair<long, long>, int> roots;
    Sample(MakeXform(V::kEJulia, 1, {{"eJulia_power", power}}), {z.real(), z.imag()},
           [&](Point2 out) {
             const std::complex<double> back =
                 std::cosh(std::fabs(power) * std::acosh(std::complex<double>(out.x, out.y)));
             ASSERT_NEAR(back.real(), target.real(), 1e-9) << power;
             ASSERT_NEAR(back.imag(), target.imag(), 1e-9) << power;
             ++roots[{std::lround(out.x * 1e6), std::lround(out.y * 1e6)}];
           });
    ASSERT_EQ(roots.size(), static_cast<size_t>(std::fabs(power))) << power;
    for (const auto& [root, count] : roots) {
      EXPECT_NEAR(count, kSamples / std::fabs(power), 5 * std::sqrt(kSamples / 2.0)) << power;
    }
  }
}

// formulas_ember_last.h

TEST(RandomVariationTest, BCircleSendsOutsidePointsToAUniformRingOnTheirRay) {
  // Scaled by 2, (0.6, 0.8) is at radius 2: its ray, radius uniform in
  // [1, 1 + |borderwidth| / 5] (the border's sign does not matter), weighted.
  for (const double border : {1.0, -1.0}) {
    const Moments m =
        Sample(MakeXform(V::kBCircle, 0.5, {{"bcircle_scale", 2}, {"bcircle_borderwidth", border}}),
               {0.6, 0.8}, [](Point2 out) {
                 const double r = std::hypot(out.x, out.y);
                 ASSERT_GE(r, 0.5 - 1e-12);
                 ASSERT_LE(r, 0.6 + 1e-12);
                 ASSERT_NEAR(out.y * 0.6, out.x * 0.8, 1e-12);
               });
    EXPECT_NEAR(std::sqrt(m.mean_r2), 0.55, 0.005) << border;
  }
}

TEST(RandomVariationTest, CircleCropScattersOutsidePointsJustBeyondTheCircle) {
  // Centre (0.1, 0), radius 0.5: (1.1, 0) is outside, so it lands on the ray
  // at a distance uniform in [0.5, 0.5 + scatter_area / 2) from the centre.
  const Moments m = Sample(MakeXform(V::kCircleCrop, 1,
                                     {{"circlecrop_radius", 0.5},
                                      {"circlecrop_x", 0.1},
                                      {"circlecrop_scatter_area", 0.4},
                                      {"circlecrop_zero", 0}}),
                           {1.1, 0}, [](Point2 out) {
                             ASSERT_GE(out.x, 0.6 - 1e-12);
                             ASSERT_LT(out.x, 0.8);
                             ASSERT_EQ(out.y, 0);
                           });
  EXPECT_NEAR(m.mean_x, 0.7, 0.005);
}

TEST(RandomVariationTest, SphereBlurFollowsTheLawOfEmbersRenders) {
  // P(r < s w) = 1 - (1 - s^2)^k, k = 2/3 + 2 / power, whatever the input:
  // the median radius is w sqrt(1 - 2^(-1/k)); a power of 0 sends to 0.
  for (const double power : {1.0, 3.0}) {
    const double k = 2.0 / 3 + 2 / power, median = 0.8 * std::sqrt(1 - std::pow(2.0, -1 / k));
    int inside = 0;
    Sample(MakeXform(V::kSphereBlur, 0.8, {{"sphereblur_power", power}}), {5, -7}, [&](Point2 out) {
      const double r = std::hypot(out.x, out.y);
      ASSERT_LE(r, 0.8);
      inside += r < median;
    });
    EXPECT_NEAR(inside, kSamples / 2, 4 * std::sqrt(kSamples / 4.0)) << power;
  }
  Sample(MakeXform(V::kSphereBlur, 0.8, {{"sphereblur_power", 0}}), kP, [](Point2 out) {
    ASSERT_EQ(out.x, 0);
    ASSERT_EQ(out.y, 0);
  });
}

TEST(RandomVariationTest, Hypertile3D2IsHypertile2DrawForDraw) {
  const PreparedXform hypertile2 = PreparedXform::Prepare(
      MakeXform(V::kHypertile2, 0.8, {{"hypertile2_p", 5}, {"hypertile2_q", 4}}));
  const PreparedXform hypertile3d2 = PreparedXform::Prepare(
      MakeXform(V::kHypertile3D2, 0.8, {{"hypertile3D2_p", 5}, {"hypertile3D2_q", 4}}));
  Random rng2(3), rng3(3);
  std::set<std::pair<long, long>> seen;
  for (int i = 0; i < 1000; ++i) {
    const Point2 a = hypertile2.Apply(kP, rng2), b = hypertile3d2.Apply(kP, rng3);
    ASSERT_EQ(a.x, b.x);
    ASSERT_EQ(a.y, b.y);
    seen.insert({std::lround(a.x * 1e6), std::lround(a.y * 1e6)});
  }
  EXPECT_EQ(seen.size(), 5u);  // one rotation per side of the pentagon
}

}  // namespace
}  // namespace flamegrid
