// Every deterministic variation against values worked out by hand from
// flam3 3.1's published formulas (variations.c), at the point (0.3, 0.4)
// unless a case says otherwise: r = 0.5, r^2 = 0.25, and flam3's quirky
// precalcs sin_angle = x/r = 0.6, cos_angle = y/r = 0.8, atan_xy =
// atan2(0.3, 0.4) (x first), atan_yx = atan2(0.4, 0.3).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <ostream>
#include <set>
#include <string>

#include "renderer/variations/prepared_xform.h"
#include "tests/renderer/variations/test_util.h"

namespace flamegrid {
namespace {

using testing::MakeXform;
using testing::Params;
using V = VariationId;

constexpr double kPi = std::numbers::pi;
const double kAtanXY = std::atan2(0.3, 0.4);
const double kAtanYX = std::atan2(0.4, 0.3);
constexpr Point2 kP{0.3, 0.4};

struct Case {
  std::string label;
  VariationId id;
  double weight;
  Params params;
  Point2 input;
  Point2 expected;
  Affine2 affine = Affine2::Identity();
};

// gtest prints the label instead of the bytes.
void PrintTo(const Case& c, std::ostream* os) { *os << c.label; }

Point2 FromComplex(std::complex<double> z) { return {z.real(), z.imag()}; }
const std::complex<double> kZ(0.3, 0.4);

Affine2 Translate(double e, double f) { return Affine2{1, 0, 0, 1, e, f}; }

std::vector<Case> DeterministicCases() {
  const double r = 0.5;
  const double a = kAtanXY;
  const double b = kAtanYX;
  std::vector<Case> cases = {
      {"linear", V::kLinear, 0.7, {}, kP, {0.21, 0.28}},
      {"sinusoidal", V::kSinusoidal, 1, {}, kP, {std::sin(0.3), std::sin(0.4)}},
      {"spherical", V::kSpherical, 1, {}, kP, {1.2, 1.6}},
      {"swirl",
       V::kSwirl,
       1,
       {},
       kP,
       {std::sin(0.25) * 0.3 - std::cos(0.25) * 0.4, std::cos(0.25) * 0.3 + std::sin(0.25) * 0.4}},
      {"horseshoe", V::kHorseshoe, 1, {}, kP, {-0.14, 0.48}},
      {"polar", V::kPolar, 1, {}, kP, {a / kPi, -0.5}},
      {"handkerchief", V::kHandkerchief, 1, {}, kP, {r * std::sin(a + r), r * std::cos(a - r)}},
      {"heart", V::kHeart, 1, {}, kP, {r * std::sin(r * a), -r * std::cos(r * a)}},
      {"disc", V::kDisc, 1, {}, kP, {a / kPi, a / kPi * std::cos(kPi / 2)}},
      {"spiral", V::kSpiral, 1, {}, kP, {(0.8 + std::sin(r)) / r, (0.6 - std::cos(r)) / r}},
      {"hyperbolic", V::kHyperbolic, 1, {}, kP, {1.2, 0.4}},
      {"diamond", V::kDiamond, 1, {}, kP, {0.6 * std::cos(r), 0.8 * std::sin(r)}},
      {"bent_negative", V::kBent, 1, {}, {-0.3, -0.4}, {-0.6, -0.2}},
      {"bent_positive", V::kBent, 1, {}, kP, {0.3, 0.4}},
      // affine (a b c d e f) = (1 0 0.5 2 0.1 0.2) maps (0.2, 0.1) to (0.35, 0.4).
      {"waves",
       V::kWaves,
       1,
       {},
       {0.2, 0.1},
       {0.35 + 0.5 * std::sin(0.4 / (0.01 + 1e-10)), 0.4 + 2.0 * std::sin(0.35 / (0.04 + 1e-10))},
       Affine2{1, 0, 0.5, 2, 0.1, 0.2}},
      {"fisheye_swaps_axes", V::kFisheye, 1, {}, kP, {0.4 * 4 / 3, 0.3 * 4 / 3}},
      {"popcorn",
       V::kPopcorn,
       1,
       {},
       {0.2, 0.2},
       {0.3 + 0.1 * std::sin(std::tan(1.2)), 0.4 + 0.2 * std::sin(std::tan(0.9))},
       Translate(0.1, 0.2)},
      {"exponential",
       V::kExponential,
       1,
       {},
       kP,
       {std::exp(-0.7) * std::cos(0.4 * kPi), std::exp(-0.7) * std::sin(0.4 * kPi)}},
      {"power", V::kPower, 1, {}, kP, {std::pow(0.5, 0.6) * 0.8, std::pow(0.5, 0.6) * 0.6}},
      {"cosine",
       V::kCosine,
       1,
       {},
       kP,
       {std::cos(0.3 * kPi) * std::cosh(0.4), -std::sin(0.3 * kPi) * std::sinh(0.4)}},
      // e = 0.5: ring width 0.25; fmod(0.75, 0.5) - 0.25 + 0.5 * 0.75 = 0.375.
      {"rings", V::kRings, 1, {}, {-0.2, 0.4}, {0.375 * 0.8, 0.375 * 0.6}, Translate(0.5, 0)},
      // e = 0.5, f = 0.1: blade pi/4; fmod(a + 0.1, pi/4) > pi/8, so a - pi/8.
      {"fan",
       V::kFan,
       1,
       {},
       {-0.2, 0.3},
       {r * std::cos(a - kPi / 8), r * std::sin(a - kPi / 8)},
       Translate(0.5, 0.1)},
      {"blob",
       V::kBlob,
       1,
       {{"blob_low", 0.2}, {"blob_high", 1}, {"blob_waves", 3}},
       kP,
       {0.6 * 0.5 * (0.2 + 0.8 * (0.5 + 0.5 * std::sin(3 * a))),
        0.8 * 0.5 * (0.2 + 0.8 * (0.5 + 0.5 * std::sin(3 * a)))}},
      {"pdj",
       V::kPdj,
       1,
       {{"pdj_a", 1.1}, {"pdj_b", -0.7}, {"pdj_c", 2}, {"pdj_d", 0.5}},
       kP,
       {std::sin(1.1 * 0.4) - std::cos(-0.7 * 0.3), std::sin(2 * 0.3) - std::cos(0.5 * 0.4)}},
      // blade pi/4; a + 0.2 wraps once to 0.058 < pi/8, so a + pi/8; output (sin, cos).
      {"fan2",
       V::kFan2,
       1,
       {{"fan2_x", 0.5}, {"fan2_y", 0.2}},
       kP,
       {r * std::sin(a + kPi / 8), r * std::cos(a + kPi / 8)}},
      // dx = 0.36: r = 0.5 - 0.72 * 1 + 0.5 * 0.64 = 0.1.
      {"rings2", V::kRings2, 1, {{"rings2_val", 0.6}}, kP, {0.06, 0.08}},
      {"eyefish", V::kEyefish, 1, {}, kP, {0.3 * 4 / 3, 0.4 * 4 / 3}},
      {"bubble", V::kBubble, 1, {}, kP, {0.3 / 1.0625, 0.4 / 1.0625}},
      {"cylinder", V::kCylinder, 1, {}, kP, {std::sin(0.3), 0.4}},
      {"perspective",
       V::kPerspective,
       1,
       {{"perspective_angle", 0.5}, {"perspective_dist", 2}},
       kP,
       {2 * 0.3 / (2 - 0.4 * std::sqrt(0.5)), std::sqrt(2.0) * 0.4 / (2 - 0.4 * std::sqrt(0.5))}},
      {"julian_power1",
       V::kJulian,
       1,
       {{"julian_power", 1}, {"julian_dist", 2}},
       kP,
       {0.25 * 0.6, 0.25 * 0.8}},
      {"juliascope_power1",
       V::kJuliascope,
       1,
       {{"juliascope_power", 1}, {"juliascope_dist", 3}},
       kP,
       {0.125 * 0.6, 0.125 * 0.8}},
      // sector pi/2; phi = b - pi/2 (cos = 0.8); amp = (0.5 * 0.25 + 1) / 0.25 = 4.5.
      {"ngon",
       V::kNgon,
       1,
       {{"ngon_sides", 4}, {"ngon_power", 2}, {"ngon_circle", 1}, {"ngon_corners", 0.5}},
       kP,
       {1.35, 1.8}},
      {"curl",
       V::kCurl,
       1,
       {{"curl_c1", 0.5}, {"curl_c2", 0.25}},
       kP,
       {(0.3 * 1.1325 + 0.4 * 0.26) / (1.1325 * 1.1325 + 0.26 * 0.26),
        (0.4 * 1.1325 - 0.3 * 0.26) / (1.1325 * 1.1325 + 0.26 * 0.26)}},
      {"rectangles",
       V::kRectangles,
       1,
       {{"rectangles_x", 0.25}, {"rectangles_y", 0}},
       kP,
       {0.45, 0.4}},
      {"tangent", V::kTangent, 1, {}, kP, {std::sin(0.3) / std::cos(0.4), std::tan(0.4)}},
      {"secant2", V::kSecant2, 1, {}, kP, {0.3, 1 / std::cos(0.5) - 1}},
      {"secant2_negative_cos", V::kSecant2, 1, {}, {1.2, 1.6}, {1.2, 1 / std::cos(2.0) + 1}},
      {"cross", V::kCross, 1, {}, kP, {0.3 / 0.07, 0.4 / 0.07}},
      {"disc2",
       V::kDisc2,
       1,
       {{"disc2_rot", 0.5}, {"disc2_twist", 1}},
       kP,
       {(std::sin(0.35 * kPi) + std::cos(1.0) - 1) * a / kPi,
        (std::cos(0.35 * kPi) + std::sin(1.0)) * a / kPi}},
      {"disc2_big_twist",
       V::kDisc2,
       1,
       {{"disc2_rot", 0.5}, {"disc2_twist", 7}},
       kP,
       {(std::sin(0.35 * kPi) + (std::cos(7.0) - 1) * (8 - 2 * kPi)) * a / kPi,
        (std::cos(0.35 * kPi) + std::sin(7.0) * (8 - 2 * kPi)) * a / kPi}},
      {"super_shape_no_rnd",
       V::kSuperShape,
       1,
       {{"super_shape_m", 4}, {"super_shape_n1", 2}, {"super_shape_n2", 1}, {"super_shape_n3", 1}},
       kP,
       {0.3 / std::sqrt(std::fabs(std::cos(b + kPi / 4)) + std::fabs(std::sin(b + kPi / 4))),
        0.4 / std::sqrt(std::fabs(std::cos(b + kPi / 4)) + std::fabs(std::sin(b + kPi / 4)))}},
      {"bent2", V::kBent2, 1, {{"bent2_x", 3}, {"bent2_y", -1}}, {-0.3, -0.4}, {-0.9, 0.4}},
      {"bipolar",
       V::kBipolar,
       1,
       {{"bipolar_shift", 0.5}},
       kP,
       {0.5 / kPi * std::log(1.85 / 0.65), 2 / kPi * (0.5 * std::atan2(0.8, -0.75) - kPi / 4)}},
      {"bipolar_wraps",
       V::kBipolar,
       1,
       {{"bipolar_shift", -1}},
       kP,
       {0.5 / kPi * std::log(1.85 / 0.65), 2 / kPi * (0.5 * std::atan2(0.8, -0.75) - kPi / 2)}},
      {"butterfly",
       V::kButterfly,
       1,
       {},
       kP,
       {4 / std::sqrt(3 * kPi) * std::sqrt(0.12 / 0.73) * 0.3,
        4 / std::sqrt(3 * kPi) * std::sqrt(0.12 / 0.73) * 0.8}},
      // cells (1, -2) -> (2, 3); offsets (0.05, 0.1); y negated.
      {"cell", V::kCell, 1, {{"cell_size", 0.25}}, {0.3, -0.4}, {0.55, -0.85}},
      {"cpow_power1",
       V::kCpow,
       1,
       {{"cpow_r", 2}, {"cpow_i", 0.5}, {"cpow_power", 1}},
       kP,
       {0.25 * std::exp(-0.5 * b) * std::cos(2 * b + 0.5 * std::log(0.5)),
        0.25 * std::exp(-0.5 * b) * std::sin(2 * b + 0.5 * std::log(0.5))}},
      {"curve",
       V::kCurve,
       1,
       {{"curve_xamp", 0.5}, {"curve_yamp", -0.3}, {"curve_xlength", 0.7}, {"curve_ylength", 2}},
       kP,
       {0.3 + 0.5 * std::exp(-0.16 / 0.49), 0.4 - 0.3 * std::exp(-0.09 / 4)}},
      {"escher",
       V::kEscher,
       1,
       {{"escher_beta", 0.3}},
       kP,
       {std::exp(0.5 * (1 + std::cos(0.3)) * std::log(0.5) - 0.5 * std::sin(0.3) * b) *
            std::cos(0.5 * (1 + std::cos(0.3)) * b + 0.5 * std::sin(0.3) * std::log(0.5)),
        std::exp(0.5 * (1 + std::cos(0.3)) * std::log(0.5) - 0.5 * std::sin(0.3) * b) *
            std::sin(0.5 * (1 + std::cos(0.3)) * b + 0.5 * std::sin(0.3) * std::log(0.5))}},
      {"loonie_inside", V::kLoonie, 1, {}, kP, {0.3 * std::sqrt(3.0), 0.4 * std::sqrt(3.0)}},
      {"loonie_outside", V::kLoonie, 0.4, {}, kP, {0.12, 0.16}},
      {"modulus", V::kModulus, 1, {{"modulus_x", 0.2}, {"modulus_y", 0.5}}, kP, {-0.1, 0.4}},
      {"modulus_negative",
       V::kModulus,
       1,
       {{"modulus_x", 0.2}, {"modulus_y", 0.5}},
       {-0.3, 0.4},
       {0.1, 0.4}},
      {"oscilloscope_flips",
       V::kOscilloscope,
       1,
       {{"oscilloscope_separation", 0.5},
        {"oscilloscope_frequency", 1},
        {"oscilloscope_amplitude", 0.2},
        {"oscilloscope_damping", 0}},
       kP,
       {0.3, -0.4}},
      {"oscilloscope_damped_keeps",
       V::kOscilloscope,
       1,
       {{"oscilloscope_separation", 0.3},
        {"oscilloscope_frequency", 1},
        {"oscilloscope_amplitude", 0.2},
        {"oscilloscope_damping", 2}},
       kP,
       {0.3, 0.4}},
      {"polar2", V::kPolar2, 1, {}, kP, {a / kPi, std::log(0.25) / (2 * kPi)}},
      {"popcorn2",
       V::kPopcorn2,
       1,
       {{"popcorn2_x", 0.3}, {"popcorn2_y", 0.2}, {"popcorn2_c", 2}},
       kP,
       {0.3 + 0.3 * std::sin(std::tan(0.8)), 0.4 + 0.2 * std::sin(std::tan(0.6))}},
      {"scry", V::kScry, 1, {}, kP, {0.48, 0.64}},
      {"separation",
       V::kSeparation,
       1,
       {{"separation_x", 0.5},
        {"separation_xinside", 0.2},
        {"separation_y", 0.3},
        {"separation_yinside", 0.1}},
       {0.3, -0.4},
       {std::sqrt(0.34) - 0.06, -0.46}},
      // cos(0.3 pi) >= 0 keeps y; cos(0.8 pi) < 0 flips x.
      {"split", V::kSplit, 1, {{"split_xsize", 1}, {"split_ysize", 2}}, kP, {-0.3, 0.4}},
      {"splits", V::kSplits, 1, {{"splits_x", 0.1}, {"splits_y", 0.2}}, {0.3, -0.4}, {0.4, -0.6}},
      {"stripes",
       V::kStripes,
       1,
       {{"stripes_space", 0.5}, {"stripes_warp", 2}},
       {0.8, 0.4},
       {0.9, 0.48}},
      {"waves2",
       V::kWaves2,
       1,
       {{"waves2_freqx", 2}, {"waves2_scalex", 0.3}, {"waves2_freqy", 3}, {"waves2_scaley", 0.1}},
       kP,
       {0.3 + 0.3 * std::sin(0.8), 0.4 + 0.1 * std::sin(0.9)}},
      {"whorl_inside",
       V::kWhorl,
       1,
       {{"whorl_inside", 0.3}, {"whorl_outside", 0.7}},
       kP,
       {0.5 * std::cos(b + 0.6), 0.5 * std::sin(b + 0.6)}},
      {"whorl_outside",
       V::kWhorl,
       0.4,
       {{"whorl_inside", 0.3}, {"whorl_outside", 0.7}},
       kP,
       {0.2 * std::cos(b - 7), 0.2 * std::sin(b - 7)}},
      {"exp", V::kExp, 1, {}, kP, FromComplex(std::exp(kZ))},
      {"log", V::kLog, 1, {}, kP, FromComplex(std::log(kZ))},
      {"sin", V::kSin, 1, {}, kP, FromComplex(std::sin(kZ))},
      {"cos", V::kCos, 1, {}, kP, FromComplex(std::cos(kZ))},
      {"tan", V::kTan, 1, {}, kP, FromComplex(std::tan(kZ))},
      {"sec", V::kSec, 1, {}, kP, FromComplex(1.0 / std::cos(kZ))},
      {"csc", V::kCsc, 1, {}, kP, FromComplex(1.0 / std::sin(kZ))},
      {"cot", V::kCot, 1, {}, kP, FromComplex(1.0 / std::tan(kZ))},
      {"sinh", V::kSinh, 1, {}, kP, FromComplex(std::sinh(kZ))},
      {"cosh", V::kCosh, 1, {}, kP, FromComplex(std::cosh(kZ))},
      {"tanh", V::kTanh, 1, {}, kP, FromComplex(std::tanh(kZ))},
      {"sech", V::kSech, 1, {}, kP, FromComplex(1.0 / std::cosh(kZ))},
      {"csch", V::kCsch, 1, {}, kP, FromComplex(1.0 / std::sinh(kZ))},
      // Quirk: flam3's coth is the complex conjugate of coth(z).
      {"coth_conjugated", V::kCoth, 1, {}, kP, FromComplex(std::conj(1.0 / std::tanh(kZ)))},
      {"sin_weighted", V::kSin, -0.5, {}, kP, FromComplex(-0.5 * std::sin(kZ))},
      {"mobius",
       V::kMobius,
       1,
       {{"mobius_re_a", 1},
        {"mobius_im_a", 0.5},
        {"mobius_re_b", 0.2},
        {"mobius_im_b", -0.1},
        {"mobius_re_c", 0},
        {"mobius_im_c", 0.3},
        {"mobius_re_d", 1},
        {"mobius_im_d", 0}},
       kP,
       FromComplex((std::complex<double>(1, 0.5) * kZ + std::complex<double>(0.2, -0.1)) /
                   (std::complex<double>(0, 0.3) * kZ + 1.0))},
  };

  // Cases whose intermediate values are easier to write out step by step.
  {
    const double n0 = std::sin(a + r), n1 = std::cos(a - r);
    const double m0 = n0 * n0 * n0 * r, m1 = n1 * n1 * n1 * r;
    cases.push_back({"ex", V::kEx, 1, {}, kP, {m0 + m1, m0 - m1}});
  }
  {
    const double xmax = (std::sqrt(1.85) + std::sqrt(0.65)) / 2;
    const double a1 = std::log(xmax + std::sqrt(xmax - 1));
    const double a2 = -std::acos(0.3 / xmax);
    const double w = 1 / 11.57034632;
    cases.push_back({"edisc",
                     V::kEdisc,
                     1,
                     {},
                     kP,
                     {w * std::cosh(a2) * std::cos(a1), w * std::sinh(a2) * -std::sin(a1)}});
    const double ea = 0.3 / xmax;
    cases.push_back({"elliptic",
                     V::kElliptic,
                     1,
                     {},
                     kP,
                     {2 / kPi * std::atan2(ea, std::sqrt(1 - ea * ea)),
                      2 / kPi * std::log(xmax + std::sqrt(xmax - 1))}});
    cases.push_back({"elliptic_lower_half",
                     V::kElliptic,
                     1,
                     {},
                     {0.3, -0.4},
                     {2 / kPi * std::atan2(ea, std::sqrt(1 - ea * ea)),
                      -2 / kPi * std::log(xmax + std::sqrt(xmax - 1))}});
  }
  {
    const double hx = std::exp(0.3) / 2, hnx = 0.25 / hx;
    const double s = 1 / (hx + hnx - std::cos(0.4));
    cases.push_back({"foci", V::kFoci, 1, {}, kP, {s * (hx - hnx), s * std::sin(0.4)}});
  }
  {
    const Params lazy = {{"lazysusan_spin", 0.5},
                         {"lazysusan_space", 0.2},
                         {"lazysusan_twist", 0.3},
                         {"lazysusan_x", 0.1},
                         {"lazysusan_y", 0.2}};
    // Relative to the centre (0.1, -0.2): (0.2, 0.6), radius sqrt(0.4).
    const double d = std::sqrt(0.4);
    const double turn = std::atan2(0.6, 0.2) + 0.5 + 0.3 * (1 - d);
    cases.push_back({"lazysusan_inside",
                     V::kLazysusan,
                     1,
                     lazy,
                     kP,
                     {d * std::cos(turn) + 0.1, d * std::sin(turn) - 0.2}});
    const double push = 0.5 * (1 + 0.2 / d);
    cases.push_back(
        {"lazysusan_outside", V::kLazysusan, 0.5, lazy, kP, {push * 0.2 + 0.1, push * 0.6 - 0.2}});
  }
  {
    // (-0.3, 0.4): atan_yx = pi - b. Swirl adds 0.2 * r (wedge) or 0.2 / r
    // (wedge_sph); both land in wedge 1 of 3; compression 1 - 1.5 / (2 pi).
    const double compression = 1 - 0.5 * 3 / (2 * kPi);
    const double wedge_a = (kPi - b + 0.1) * compression + 0.5;
    cases.push_back(
        {"wedge",
         V::kWedge,
         1,
         {{"wedge_angle", 0.5}, {"wedge_hole", 0.1}, {"wedge_count", 3}, {"wedge_swirl", 0.2}},
         {-0.3, 0.4},
         {0.6 * std::cos(wedge_a), 0.6 * std::sin(wedge_a)}});
    const double sph_a = (kPi - b + 0.4) * compression + 0.5;
    cases.push_back({"wedge_sph",
                     V::kWedgeSph,
                     1,
                     {{"wedge_sph_angle", 0.5},
                      {"wedge_sph_hole", 0.1},
                      {"wedge_sph_count", 3},
                      {"wedge_sph_swirl", 0.2}},
                     {-0.3, 0.4},
                     {2.1 * std::cos(sph_a), 2.1 * std::sin(sph_a)}});
    // power 1: the single root; wedge 0 of 2; compression 1 - 0.6 / (2 pi).
    const double julia_a = b * (1 - 0.3 * 2 / (2 * kPi));
    cases.push_back({"wedge_julia_power1",
                     V::kWedgeJulia,
                     1,
                     {{"wedge_julia_angle", 0.3},
                      {"wedge_julia_count", 2},
                      {"wedge_julia_power", 1},
                      {"wedge_julia_dist", 1}},
                     kP,
                     {0.5 * std::cos(julia_a), 0.5 * std::sin(julia_a)}});
  }
  {
    const double s = std::sin(0.6), t = std::sin(0.8);
    const double dy = 0.4 + 0.4 * (1.5 * s / 2 + 0.4 * s);
    const double dx = 0.3 + 0.4 * (1.5 * t / 2 + 0.3 * t);
    cases.push_back(
        {"auger",
         V::kAuger,
         1,
         {{"auger_sym", 0.5}, {"auger_weight", 0.4}, {"auger_freq", 2}, {"auger_scale", 1.5}},
         kP,
         {0.3 + 0.5 * (dx - 0.3), dy}});
  }
  {
    const double avg_r = 2.5 * std::sqrt(std::sqrt(0.16 + 1.69) / std::sqrt(0.16 + 0.49));
    const double avg_a = (std::atan2(0.4, -0.7) - std::atan2(0.4, 1.3)) / 2;
    cases.push_back({"flux",
                     V::kFlux,
                     1,
                     {{"flux_spread", 0.5}},
                     kP,
                     {avg_r * std::cos(avg_a), avg_r * std::sin(avg_a)}});
  }
  // Beyond flam3 (formulas_ember.h): the x, y of Ember's variations at z = 0.
  {
    const double hemisphere = 1 / std::sqrt(0.25 + 1);
    cases.push_back({"zblur_moves_only_z", V::kZBlur, 1, {}, kP, {0, 0}});
    cases.push_back({"Spherical3D_is_spherical_at_z0", V::kSpherical3D, 1, {}, kP, {1.2, 1.6}});
    cases.push_back(
        {"hemisphere", V::kHemisphere, 1, {}, kP, {0.3 * hemisphere, 0.4 * hemisphere}});
    cases.push_back({"twoface_right_is_spherical", V::kTwoFace, 1, {}, kP, {1.2, 1.6}});
    cases.push_back({"twoface_left_is_linear", V::kTwoFace, 0.5, {}, {-0.3, 0.4}, {-0.15, 0.2}});
    // |power| 1: one root; 1 / z, the conjugate over r^2.
    cases.push_back(
        {"julia3D_power_minus_1", V::kJulia3D, 1, {{"julia3D_power", -1}}, kP, {1.2, -1.6}});
    // r = 1 / cos(6 theta) - 1 along the point's own angle (thickness 0: no
    // random draw).
    const double epispiral_r = 1 / std::cos(6 * kAtanYX) - 1;
    cases.push_back({"epispiral",
                     V::kEpispiral,
                     1,
                     {},
                     kP,
                     {epispiral_r * std::cos(kAtanYX), epispiral_r * std::sin(kAtanYX)}});
  }
  // formulas_ember_more.h.
  {
    // Apophysis' Mobius: flam3's mobius under Apophysis' names; its defaults
    // (a = d = 1) are the identity.
    cases.push_back(
        {"Mobius",
         V::kMobiusApophysis,
         1,
         {{"Mobius_Re_A", 1},
          {"Mobius_Im_A", 0.5},
          {"Mobius_Re_B", 0.2},
          {"Mobius_Im_B", -0.1},
          {"Mobius_Re_C", 0},
          {"Mobius_Im_C", 0.3},
          {"Mobius_Re_D", 1},
          {"Mobius_Im_D", 0}},
         kP,
         FromComplex((std::complex<double>(1, 0.5) * kZ + std::complex<double>(0.2, -0.1)) /
                     (std::complex<double>(0, 0.3) * kZ + 1.0))});
    cases.push_back(
        {"Mobius_defaults_are_the_identity", V::kMobiusApophysis, 0.5, {}, kP, {0.15, 0.2}});
    // curl3D, c = (0.5, 0.25, cz), r^2 = 0.25: denominator 0.25 |c|^2 + 0.3 - 0.2 + 1.
    const Params curl = {{"curl3D_cx", 0.5}, {"curl3D_cy", 0.25}};
    const double flat = 0.25 * 0.3125 + 1.1, deep = 0.25 * 1.3125 + 1.1;
    cases.push_back({"curl3D", V::kCurl3D, 1, curl, kP, {0.425 / flat, 0.3375 / flat}});
    Params curl_z = curl;
    curl_z.push_back({"curl3D_cz", 1});
    cases.push_back(
        {"curl3D_cz_only_in_the_norm", V::kCurl3D, 2, curl_z, kP, {0.85 / deep, 0.675 / deep}});
    // bwraps, cell size 1, gain 1: bubble radius 0.5 about (0.5, 0.5); the
    // scale g2 = 1 + 1e-6, peak g2 / 2 / (g2^2 / 16 + 1), lens factor 0.5 / peak.
    // (0.7, 0.6) sits at (0.2, 0.1) from the middle: scaled by g2, then by the
    // lens factor / (|g2 (0.2, 0.1)|^2 / 4 + 1), then turned by -0.5.
    const double g2 = 1 + 1e-6;
    const double peak = g2 / 2 / (g2 * g2 / 16 + 1);
    const double lens = 0.5 / peak / (g2 * g2 * 0.05 / 4 + 1) * g2;
    const double lx = 0.2 * lens, ly = 0.1 * lens;
    const Point2 bubble = {0.5 + std::cos(0.5) * lx + std::sin(0.5) * ly,
                           0.5 - std::sin(0.5) * lx + std::cos(0.5) * ly};
    cases.push_back({"bwraps_inside_a_bubble",
                     V::kBWraps,
                     1,
                     {{"bwraps_inner_twist", 0.5}, {"bwraps_outer_twist", 0.5}},
                     {0.7, 0.6},
                     bubble});
    cases.push_back({"bwraps7_is_bwraps",
                     V::kBWraps7,
                     1,
                     {{"bwraps7_inner_twist", 0.5}, {"bwraps7_outer_twist", 0.5}},
                     {0.7, 0.6},
                     bubble});
    // (0.95, 0.95) is 0.45 sqrt(2) > 0.5 from its cell's middle: between bubbles.
    cases.push_back({"bwraps_between_bubbles", V::kBWraps, 0.5, {}, {0.95, 0.95}, {0.475, 0.475}});
    // unpolar: (sin 0.3, cos 0.3) e^0.4 / (2 pi).
    const double unpolar = std::exp(0.4) / (2 * kPi);
    cases.push_back(
        {"unpolar", V::kUnpolar, 1, {}, kP, {unpolar * std::sin(0.3), unpolar * std::cos(0.3)}});
    // bubble2: |p|^2 / 4 + 1 = 1.0625.
    cases.push_back({"bubble2",
                     V::kBubble2,
                     0.5,
                     {{"bubble2_x", 2}, {"bubble2_y", -1}, {"bubble2_z", 7}},
                     kP,
                     {0.3 / 1.0625, -0.2 / 1.0625}});
    // rotate_z: a half turn at weight 2, a quarter turn clockwise at weight 1.
    cases.push_back({"rotate_z_half_turn", V::kRotateZ, 2, {}, kP, {-0.3, -0.4}});
    cases.push_back({"rotate_z_quarter_turn", V::kRotateZ, 1, {}, kP, {0.4, -0.3}});
    // eJulia with one root: to elliptic coordinates and back, the point
    // itself; a power of -1 inverts it first, p / |p|^2. Ember rounds 0.6 to 1.
    cases.push_back({"eJulia_power_1_is_the_identity",
                     V::kEJulia,
                     0.5,
                     {{"eJulia_power", 1}},
                     kP,
                     {0.15, 0.2}});
    cases.push_back(
        {"eJulia_power_minus_1_inverts", V::kEJulia, 1, {{"eJulia_power", -1}}, kP, {1.2, 1.6}});
    cases.push_back({"eJulia_power_rounds_to_1",
                     V::kEJulia,
                     1,
                     {{"eJulia_power", 0.6}},
                     {0.3, -0.4},
                     {0.3, -0.4}});
  }
  // formulas_ember_cells.h. crop: inside its box a point stays; outside, with
  // no scatter area, it goes onto the nearest edge, or with crop_zero to 0.
  cases.push_back({"crop_inside_keeps", V::kCrop, 0.7, {}, kP, {0.21, 0.28}});
  cases.push_back({"crop_outside_to_edge", V::kCrop, 1, {}, {1.5, -2}, {1, -1}});
  cases.push_back(
      {"crop_swapped_edges",
       V::kCrop,
       1,
       {{"crop_left", 0.5}, {"crop_right", -0.5}, {"crop_top", 0.2}, {"crop_bottom", 0.1}},
       kP,
       {0.3, 0.2}});
  cases.push_back({"crop_zero_outside", V::kCrop, 1, {{"crop_zero", 1}}, {1.5, -2}, {0, 0}});
  // falloff2 at distance 0.5 from (0, 0), the default mindist: no shift, so
  // types 0 and 2 give the point, type 1 its radius 0.5 + 1e-6 on its ray.
  cases.push_back({"falloff2_regular_within_mindist", V::kFalloff2, 1, {}, kP, {0.3, 0.4}});
  cases.push_back({"falloff2_radial_within_mindist",
                   V::kFalloff2,
                   1,
                   {{"falloff2_type", 1}},
                   kP,
                   {0.3 * 0.500001 / 0.5, 0.4 * 0.500001 / 0.5}});
  cases.push_back({"falloff2_gaussian_within_mindist",
                   V::kFalloff2,
                   2,
                   {{"falloff2_type", 2}, {"falloff2_scatter", 30}},
                   kP,
                   {0.6, 0.8}});
  // Inverted, at distance 1 (1 - d = 0): no shift where the plain one would
  // shift by up to 0.6.
  cases.push_back({"falloff2_inverted_far_is_still",
                   V::kFalloff2,
                   1,
                   {{"falloff2_invert", 1}, {"falloff2_scatter", 30}},
                   {0.6, 0.8},
                   {0.6, 0.8}});
  // hexes: (0.3, 0.4) is in the hexagon of (0, 0); its ratio towards the
  // neighbour (1.5, sqrt(3)/2) is 2 (0.45 + 0.2 sqrt(3)) / 3, the largest.
  // Unturned, power 2: the offset times that ratio.
  {
    const double ratio = (0.9 + 0.4 * std::sqrt(3.0)) / 3;
    cases.push_back({"hexes_unturned_power_2",
                     V::kHexes,
                     1,
                     {{"hexes_rotate", 0}, {"hexes_power", 2}},
                     kP,
                     {0.3 * ratio, 0.4 * ratio}});
  }
  // A quarter turn clockwise near the centre (both ratios below 0.5: about
  // 0.13 before, 0.12 after): (0.1, 0.05) -> (0.05, -0.1).
  cases.push_back(
      {"hexes_quarter_turn", V::kHexes, 1, {{"hexes_rotate", 0.25}}, {0.1, 0.05}, {0.05, -0.1}});
  // Ember's log_base: x = log_base(r), y as flam3's log.
  cases.push_back(
      {"log_base_10", V::kLog, 2, {{"log_base", 10}}, kP, {2 * std::log10(0.5), 2 * kAtanYX}});
  // hypertile: the Moebius map (z + conj(c)) / (1 + c z), |c| = 1 / sqrt(1 +
  // (1 - cos(2 pi / 3)) / (cos(2 pi / 3) + cos(2 pi / 7))), arg c = n 2 pi / 3.
  for (const int n : {0, 1}) {
    const double modulus = 1 / std::sqrt(1 + 1.5 / (std::cos(2 * kPi / 3) + std::cos(2 * kPi / 7)));
    const std::complex<double> c = std::polar(modulus, n * 2 * kPi / 3), z(0.3, 0.4);
    const std::complex<double> out = 0.5 * (z + std::conj(c)) / (1.0 + c * z);
    cases.push_back({"hypertile_n" + std::to_string(n),
                     V::kHypertile,
                     0.5,
                     {{"hypertile_n", static_cast<double>(n)}},
                     kP,
                     {out.real(), out.imag()}});
  }
  // pow_block with one branch (denominator 1): z^2, then with correctd 2 the
  // radius r^4 along the same angle.
  cases.push_back({"pow_block_square",
                   V::kPowBlock,
                   1,
                   {{"pow_block_numerator", 2}, {"pow_block_denominator", 1}},
                   kP,
                   {-0.07, 0.24}});
  cases.push_back(
      {"pow_block_correctd",
       V::kPowBlock,
       1,
       {{"pow_block_numerator", 2}, {"pow_block_denominator", 1}, {"pow_block_correctd", 2}},
       kP,
       {-0.07 / 4, 0.24 / 4}});
  cases.push_back({"depth_is_linear_at_z0", V::kDepth, 0.5, {{"depth_power", 3}}, kP, {0.15, 0.2}});
  // formulas_ember_last.h. barycentroid: (u, v) solve u (a, b) + v (c, d) =
  // (x, y); out (sign(u) sqrt(u^2 + x^2), sign(v) sqrt(v^2 + y^2)).
  cases.push_back({"barycentroid_unit_basis",
                   V::kBarycentroid,
                   1,
                   {},
                   kP,
                   {0.3 * std::numbers::sqrt2, 0.4 * std::numbers::sqrt2}});
  {
    const double ba = 0.5, bb = 0.3, bc = -0.2, bd = 0.8, x = 0.7, y = 0.3;
    const double u = (bd * x - bc * y) / (ba * bd - bb * bc),
                 v = (ba * y - bb * x) / (ba * bd - bb * bc);
    cases.push_back({"barycentroid_skew_basis",
                     V::kBarycentroid,
                     0.5,
                     {{"barycentroid_a", ba},
                      {"barycentroid_b", bb},
                      {"barycentroid_c", bc},
                      {"barycentroid_d", bd}},
                     {x, y},
                     {0.5 * std::sqrt(u * u + x * x), -0.5 * std::sqrt(v * v + y * y)}});
  }
  // bcircle: the scaled point inside the unit circle; outside, without a
  // border, the origin.
  cases.push_back({"bcircle_inside", V::kBCircle, 0.5, {{"bcircle_scale", 1.5}}, kP, {0.225, 0.3}});
  cases.push_back({"bcircle_outside", V::kBCircle, 1, {{"bcircle_scale", 3}}, kP, {0, 0}});
  // circlecrop: inside, the centre plus the weighted offset; outside, the
  // origin, or without `zero` the circle's point on the offset's ray.
  cases.push_back({"circlecrop_inside",
                   V::kCircleCrop,
                   0.5,
                   {{"circlecrop_x", 0.1}, {"circlecrop_y", 0.1}},
                   kP,
                   {0.2, 0.25}});
  cases.push_back(
      {"circlecrop_outside_zero", V::kCircleCrop, 1, {{"circlecrop_radius", 0.4}}, kP, {0, 0}});
  cases.push_back({"circlecrop_outside_onto_circle",
                   V::kCircleCrop,
                   1,
                   {{"circlecrop_radius", 0.25}, {"circlecrop_zero", 0}},
                   kP,
                   {0.15, 0.2}});
  // cropn (Ember's flam3 form): linear, or the origin when power and radius
  // differ in sign.
  cases.push_back({"cropn_default_is_linear", V::kCropN, 0.7, {}, kP, {0.21, 0.28}});
  cases.push_back({"cropn_negative_power", V::kCropN, 1, {{"cropn_power", -5}}, kP, {0, 0}});
  cases.push_back({"cropn_both_negative",
                   V::kCropN,
                   1,
                   {{"cropn_power", -2}, {"cropn_radius", -1}},
                   kP,
                   {0.3, 0.4}});
  cases.push_back(
      {"dc_ztransl_is_linear", V::kDCZTransl, 0.5, {{"dc_ztransl_factor", 3}}, kP, {0.15, 0.2}});
  // foci_3D at z = 0: foci with cos y times the cosine of the polar angle
  // (0.6 at (0.3, 0.4)); on the y axis that cosine is 0.
  {
    const double scale = 1 / (std::cosh(0.3) - 0.6 * std::cos(0.4));
    cases.push_back(
        {"foci_3D", V::kFoci3D, 1, {}, kP, {scale * std::sinh(0.3), scale * std::sin(0.4)}});
    cases.push_back({"foci_3D_on_y_axis", V::kFoci3D, 0.5, {}, {0, 0.4}, {0, 0.5 * std::sin(0.4)}});
  }
  return cases;
}

class DeterministicVariationTest : public ::testing::TestWithParam<Case> {};

TEST_P(DeterministicVariationTest, MatchesHandDerivedValue) {
  const Case& c = GetParam();
  const Point2 out = testing::ApplyOnce(MakeXform(c.id, c.weight, c.params, c.affine), c.input);
  // flam3's EPS guards (1e-10) shift some values by ~1e-8 relative.
  EXPECT_NEAR(out.x, c.expected.x, 1e-7 * std::max(1.0, std::fabs(c.expected.x))) << c.label;
  EXPECT_NEAR(out.y, c.expected.y, 1e-7 * std::max(1.0, std::fabs(c.expected.y))) << c.label;
}

INSTANTIATE_TEST_SUITE_P(Flam3Formulas, DeterministicVariationTest,
                         ::testing::ValuesIn(DeterministicCases()),
                         [](const auto& test_info) { return test_info.param.label; });

// Every variation that never draws a random number has at least one case.
TEST(DeterministicVariationCoverage, EveryDeterministicVariationHasACase) {
  const std::set<VariationId> random_ones = {
      V::kJulia,      V::kNoise,    V::kBlur,         V::kGaussianBlur, V::kRadialBlur,
      V::kPie,        V::kArch,     V::kSquare,       V::kRays,         V::kBlade,
      V::kTwintrian,  V::kFlower,   V::kConic,        V::kParabola,     V::kBoarders,
      V::kPreBlur,    V::kBlur3D,   V::kSineBlur,     V::kBlurLinear,   V::kBlurZoom,
      V::kBlurCircle, V::kTileLog,  V::kGlynnia,      V::kTileHlp,      V::kMirrorX,
      V::kCircleBlur, V::kEJulia,   V::kCrackle,      V::kHypertile2,   V::kGaussian,
      V::kRBlur,      V::kPowBlock, V::kHypertile3D2, V::kSphereBlur};
  std::set<VariationId> covered;
  for (const Case& c : DeterministicCases()) covered.insert(c.id);
  for (const VariationInfo& info : AllVariations()) {
    if (info.form != VariationForm::kRegular) continue;  // forms run their entry's formula
    if (random_ones.contains(info.id)) continue;
    EXPECT_TRUE(covered.contains(info.id)) << info.name << " has no hand-derived case";
  }
}

}  // namespace
}  // namespace flamegrid
