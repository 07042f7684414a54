// Variations 54-81: the Apophysis plugin pack as flam3 3.1 adopted it
// (bent2 ... waves2), including pre_blur, which perturbs the point before the
// other variations read it rather than adding a term.
//
// Internal to renderer/variations; pure functions (thread-safe).
#pragma once

#include <cmath>

#include "renderer/base/random.h"
#include "renderer/variations/formulas_blur_and_shape.h"
#include "renderer/variations/formulas_common.h"
#include "renderer/variations/prepared_xform.h"

namespace flamegrid::formulas {

static_assert(ParamName(VariationId::kBent2, 0) == "bent2_x");
static_assert(ParamName(VariationId::kBent2, 1) == "bent2_y");
inline Point2 Bent2(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double nx = in.x < 0.0 ? in.x * t.param[0] : in.x;
  const double ny = in.y < 0.0 ? in.y * t.param[1] : in.y;
  return {t.weight * nx, t.weight * ny};
}

static_assert(ParamName(VariationId::kBipolar, 0) == "bipolar_shift");
inline Point2 Bipolar(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double plus_one = in.sum_squares + 1.0;
  const double two_x = 2.0 * in.x;
  double y = 0.5 * std::atan2(2.0 * in.y, in.sum_squares - 1.0) - kPi / 2.0 * t.param[0];
  if (y > kPi / 2.0) {
    y = -kPi / 2.0 + std::fmod(y + kPi / 2.0, kPi);
  } else if (y < -kPi / 2.0) {
    y = kPi / 2.0 - std::fmod(kPi / 2.0 - y, kPi);
  }
  return {t.weight * 0.25 * (2.0 / kPi) * std::log((plus_one + two_x) / (plus_one - two_x)),
          t.weight * (2.0 / kPi) * y};
}

// Quirk: rounds with rint (ties to even), and integer points divide 0 by 0.
inline Point2 Boarders(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double round_x = std::nearbyint(in.x);
  const double round_y = std::nearbyint(in.y);
  const double off_x = in.x - round_x;
  const double off_y = in.y - round_y;
  const double w = t.weight;
  if (rng.Uniform01() >= 0.75) {
    return {w * (off_x * 0.5 + round_x), w * (off_y * 0.5 + round_y)};
  }
  if (std::fabs(off_x) >= std::fabs(off_y)) {
    const double side = off_x >= 0.0 ? 0.25 : -0.25;
    return {w * (off_x * 0.5 + round_x + side), w * (off_y * 0.5 + round_y + side * off_y / off_x)};
  }
  const double side = off_y >= 0.0 ? 0.25 : -0.25;
  return {w * (off_x * 0.5 + round_x + side * off_x / off_y), w * (off_y * 0.5 + round_y + side)};
}

inline Point2 Butterfly(const VariationInput& in, const PreparedTerm& t, Random&) {
  // 4 / sqrt(3 pi), Apophysis' normalisation.
  const double scaled_weight = t.weight * 1.3029400317411197908970256609023;
  const double y2 = 2.0 * in.y;
  const double r =
      scaled_weight * std::sqrt(std::fabs(in.y * in.x) / (kEps + in.x * in.x + y2 * y2));
  return {r * in.x, r * y2};
}

// Quirk: the y output is negated.
static_assert(ParamName(VariationId::kCell, 0) == "cell_size");
inline Point2 Cell(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double size = t.param[0];
  const double inv_size = 1.0 / size;
  // flam3 stores floor() in an int; keep its overflow behaviour.
  double cell_x = TruncateLikeCInt(std::floor(in.x * inv_size));
  double cell_y = TruncateLikeCInt(std::floor(in.y * inv_size));
  const double dx = in.x - cell_x * size;
  const double dy = in.y - cell_y * size;
  // Interleave the four quadrants' cells onto the positive ones.
  cell_x = cell_x >= 0.0 ? 2.0 * cell_x : -(2.0 * cell_x + 1.0);
  cell_y = cell_y >= 0.0 ? 2.0 * cell_y : -(2.0 * cell_y + 1.0);
  return {t.weight * (dx + cell_x * size), -t.weight * (dy + cell_y * size)};
}

static_assert(ParamName(VariationId::kCpow, 0) == "cpow_r");
static_assert(ParamName(VariationId::kCpow, 1) == "cpow_i");
static_assert(ParamName(VariationId::kCpow, 2) == "cpow_power");
inline Point2 Cpow(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double re = t.param[0], im = t.param[1], power = t.param[2];
  const double a = in.atan_yx;
  const double log_r = 0.5 * std::log(in.sum_squares);
  const double branch_step = 2.0 * kPi / power;
  const double vc = re / power;
  const double vd = im / power;
  const double angle = vc * a + vd * log_r + branch_step * std::floor(power * rng.Uniform01());
  const double m = t.weight * std::exp(vc * log_r - vd * a);
  return {m * std::cos(angle), m * std::sin(angle)};
}

static_assert(ParamName(VariationId::kCurve, 0) == "curve_xamp");
static_assert(ParamName(VariationId::kCurve, 1) == "curve_yamp");
static_assert(ParamName(VariationId::kCurve, 2) == "curve_xlength");
static_assert(ParamName(VariationId::kCurve, 3) == "curve_ylength");
inline Point2 Curve(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double xamp = t.param[0], yamp = t.param[1];
  const double xlen = std::fmax(t.param[2] * t.param[2], 1e-20);
  const double ylen = std::fmax(t.param[3] * t.param[3], 1e-20);
  return {t.weight * (in.x + xamp * std::exp(-in.y * in.y / xlen)),
          t.weight * (in.y + yamp * std::exp(-in.x * in.x / ylen))};
}

inline Point2 Edisc(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double plus_one = in.sum_squares + 1.0;
  const double two_x = 2.0 * in.x;
  const double xmax = (std::sqrt(plus_one + two_x) + std::sqrt(plus_one - two_x)) * 0.5;
  const double a1 = std::log(xmax + std::sqrt(xmax - 1.0));
  const double a2 = -std::acos(in.x / xmax);
  // Apophysis' normalisation constant, kept verbatim.
  const double w = t.weight / 11.57034632;
  double snv = std::sin(a1);
  const double csv = std::cos(a1);
  if (in.y > 0.0) snv = -snv;
  return {w * std::cosh(a2) * csv, w * std::sinh(a2) * snv};
}

inline Point2 Elliptic(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double plus_one = in.sum_squares + 1.0;
  const double two_x = 2.0 * in.x;
  const double xmax = 0.5 * (std::sqrt(plus_one + two_x) + std::sqrt(plus_one - two_x));
  const double a = in.x / xmax;
  const double b_squared = 1.0 - a * a;
  const double b = b_squared < 0.0 ? 0.0 : std::sqrt(b_squared);
  const double ssx = xmax - 1.0 < 0.0 ? 0.0 : std::sqrt(xmax - 1.0);
  const double w = t.weight / (kPi / 2.0);
  const double y = w * std::log(xmax + ssx);
  return {w * std::atan2(a, b), in.y > 0.0 ? y : -y};
}

static_assert(ParamName(VariationId::kEscher, 0) == "escher_beta");
namespace escher {
enum Precalc { kVc, kVd };
}
inline void PrepareEscher(PreparedTerm& t) {
  t.precalc[escher::kVc] = 0.5 * (1.0 + std::cos(t.param[0]));
  t.precalc[escher::kVd] = 0.5 * std::sin(t.param[0]);
}
inline Point2 Escher(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double vc = t.precalc[escher::kVc], vd = t.precalc[escher::kVd];
  const double a = in.atan_yx;
  const double log_r = 0.5 * std::log(in.sum_squares);
  const double m = t.weight * std::exp(vc * log_r - vd * a);
  const double n = vc * a + vd * log_r;
  return {m * std::cos(n), m * std::sin(n)};
}

inline Point2 Foci(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double half_exp = std::exp(in.x) * 0.5;
  const double quarter_inv_exp = 0.25 / half_exp;
  const double scale = t.weight / (half_exp + quarter_inv_exp - std::cos(in.y));
  return {scale * (half_exp - quarter_inv_exp), scale * std::sin(in.y)};
}

// Quirk: the centre is (x, -y), and the weight is also the disc's radius.
static_assert(ParamName(VariationId::kLazysusan, 0) == "lazysusan_spin");
static_assert(ParamName(VariationId::kLazysusan, 1) == "lazysusan_space");
static_assert(ParamName(VariationId::kLazysusan, 2) == "lazysusan_twist");
static_assert(ParamName(VariationId::kLazysusan, 3) == "lazysusan_x");
static_assert(ParamName(VariationId::kLazysusan, 4) == "lazysusan_y");
inline Point2 Lazysusan(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double spin = t.param[0], space = t.param[1], twist = t.param[2];
  const double cx = t.param[3], cy = t.param[4];
  const double x = in.x - cx;
  const double y = in.y + cy;
  double r = std::sqrt(x * x + y * y);
  if (r < t.weight) {
    const double a = std::atan2(y, x) + spin + twist * (t.weight - r);
    r = t.weight * r;
    return {r * std::cos(a) + cx, r * std::sin(a) - cy};
  }
  r = t.weight * (1.0 + space / r);
  return {r * x + cx, r * y - cy};
}

// The weight is also the radius of the inverted disc.
inline Point2 Loonie(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double w2 = t.weight * t.weight;
  if (in.sum_squares < w2) {
    const double r = t.weight * std::sqrt(w2 / in.sum_squares - 1.0);
    return {r * in.x, r * in.y};
  }
  return {t.weight * in.x, t.weight * in.y};
}

// pre_blur: a pseudo-gaussian displacement of the INPUT point, applied before
// the precalcs and the other variations. Never a term of its own.
inline Point2 PreBlurDisplacement(double weight, Random& rng) {
  const double blur = weight * PseudoGaussian(rng);
  const double angle = rng.Uniform01() * 2.0 * kPi;
  return {blur * std::cos(angle), blur * std::sin(angle)};
}

// pre_blur's entry in the dispatch: nothing, as PreparedXform never makes it a term.
inline Point2 PreBlur(const VariationInput&, const PreparedTerm&, Random&) { return {}; }

static_assert(ParamName(VariationId::kModulus, 0) == "modulus_x");
static_assert(ParamName(VariationId::kModulus, 1) == "modulus_y");
inline double ModulusAxis(double v, double half_width) {
  if (v > half_width) return -half_width + std::fmod(v + half_width, 2.0 * half_width);
  if (v < -half_width) return half_width - std::fmod(half_width - v, 2.0 * half_width);
  return v;
}
inline Point2 Modulus(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * ModulusAxis(in.x, t.param[0]), t.weight * ModulusAxis(in.y, t.param[1])};
}

static_assert(ParamName(VariationId::kOscilloscope, 0) == "oscilloscope_separation");
static_assert(ParamName(VariationId::kOscilloscope, 1) == "oscilloscope_frequency");
static_assert(ParamName(VariationId::kOscilloscope, 2) == "oscilloscope_amplitude");
static_assert(ParamName(VariationId::kOscilloscope, 3) == "oscilloscope_damping");
inline Point2 Oscilloscope(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double separation = t.param[0], frequency = t.param[1];
  const double amplitude = t.param[2], damping = t.param[3];
  const double wave = std::cos(2.0 * kPi * frequency * in.x);
  const double envelope =
      damping == 0.0 ? amplitude : amplitude * std::exp(-std::fabs(in.x) * damping);
  const double threshold = envelope * wave + separation;
  const double y = std::fabs(in.y) <= threshold ? -in.y : in.y;
  return {t.weight * in.x, t.weight * y};
}

inline Point2 Polar2(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double scale = t.weight / kPi;
  return {scale * in.atan_xy, scale / 2.0 * std::log(in.sum_squares)};
}

static_assert(ParamName(VariationId::kPopcorn2, 0) == "popcorn2_x");
static_assert(ParamName(VariationId::kPopcorn2, 1) == "popcorn2_y");
static_assert(ParamName(VariationId::kPopcorn2, 2) == "popcorn2_c");
inline Point2 Popcorn2(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double px = t.param[0], py = t.param[1], c = t.param[2];
  return {t.weight * (in.x + px * std::sin(std::tan(in.y * c))),
          t.weight * (in.y + py * std::sin(std::tan(in.x * c)))};
}

// Quirk: the weight enters only as 1/weight inside the denominator.
inline Point2 Scry(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double r = 1.0 / (in.radius * (in.sum_squares + 1.0 / (t.weight + kEps)));
  return {in.x * r, in.y * r};
}

static_assert(ParamName(VariationId::kSeparation, 0) == "separation_x");
static_assert(ParamName(VariationId::kSeparation, 1) == "separation_xinside");
static_assert(ParamName(VariationId::kSeparation, 2) == "separation_y");
static_assert(ParamName(VariationId::kSeparation, 3) == "separation_yinside");
inline double SeparationAxis(double v, double gap, double inside) {
  const double spread = std::sqrt(v * v + gap * gap);
  return v > 0.0 ? spread - v * inside : -(spread + v * inside);
}
inline Point2 Separation(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * SeparationAxis(in.x, t.param[0], t.param[1]),
          t.weight * SeparationAxis(in.y, t.param[2], t.param[3])};
}

// Quirk: x's band flips y, and y's band flips x.
static_assert(ParamName(VariationId::kSplit, 0) == "split_xsize");
static_assert(ParamName(VariationId::kSplit, 1) == "split_ysize");
inline Point2 Split(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double y = std::cos(in.x * t.param[0] * kPi) >= 0.0 ? in.y : -in.y;
  const double x = std::cos(in.y * t.param[1] * kPi) >= 0.0 ? in.x : -in.x;
  return {t.weight * x, t.weight * y};
}

static_assert(ParamName(VariationId::kSplits, 0) == "splits_x");
static_assert(ParamName(VariationId::kSplits, 1) == "splits_y");
inline Point2 Splits(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double x = in.x >= 0.0 ? in.x + t.param[0] : in.x - t.param[0];
  const double y = in.y >= 0.0 ? in.y + t.param[1] : in.y - t.param[1];
  return {t.weight * x, t.weight * y};
}

static_assert(ParamName(VariationId::kStripes, 0) == "stripes_space");
static_assert(ParamName(VariationId::kStripes, 1) == "stripes_warp");
inline Point2 Stripes(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double space = t.param[0], warp = t.param[1];
  const double round_x = std::floor(in.x + 0.5);
  const double off_x = in.x - round_x;
  return {t.weight * (off_x * (1.0 - space) + round_x), t.weight * (in.y + off_x * off_x * warp)};
}

// The angle compression shared by the wedge family: which wedge the angle
// falls in, and the angle squeezed so the wedges leave gaps of `angle`.
inline double WedgeAngle(double a, double count, double angle) {
  const double wedge = std::floor((count * a + kPi) / kPi * 0.5);
  const double compression = 1.0 - angle * count / kPi * 0.5;
  return a * compression + wedge * angle;
}

static_assert(ParamName(VariationId::kWedge, 0) == "wedge_angle");
static_assert(ParamName(VariationId::kWedge, 1) == "wedge_hole");
static_assert(ParamName(VariationId::kWedge, 2) == "wedge_count");
static_assert(ParamName(VariationId::kWedge, 3) == "wedge_swirl");
inline Point2 Wedge(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double angle = t.param[0], hole = t.param[1], count = t.param[2], swirl = t.param[3];
  const double a = WedgeAngle(in.atan_yx + swirl * in.radius, count, angle);
  const double r = t.weight * (in.radius + hole);
  return {r * std::cos(a), r * std::sin(a)};
}

static_assert(ParamName(VariationId::kWedgeJulia, 0) == "wedge_julia_angle");
static_assert(ParamName(VariationId::kWedgeJulia, 1) == "wedge_julia_count");
static_assert(ParamName(VariationId::kWedgeJulia, 2) == "wedge_julia_power");
static_assert(ParamName(VariationId::kWedgeJulia, 3) == "wedge_julia_dist");
namespace wedge_julia {
enum Precalc { kCompression, kRootCount, kExponent };
}
inline void PrepareWedgeJulia(PreparedTerm& t) {
  const double angle = t.param[0], count = t.param[1], power = t.param[2], dist = t.param[3];
  t.precalc[wedge_julia::kCompression] = 1.0 - angle * count / kPi * 0.5;
  t.precalc[wedge_julia::kRootCount] = std::fabs(power);
  t.precalc[wedge_julia::kExponent] = dist / power / 2.0;
}
inline Point2 WedgeJulia(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double angle = t.param[0], count = t.param[1], power = t.param[2];
  const double r = t.weight * std::pow(in.sum_squares, t.precalc[wedge_julia::kExponent]);
  const double root = TruncateLikeCInt(t.precalc[wedge_julia::kRootCount] * rng.Uniform01());
  double a = (in.atan_yx + 2.0 * kPi * root) / power;
  const double wedge = std::floor((count * a + kPi) / kPi * 0.5);
  a = a * t.precalc[wedge_julia::kCompression] + wedge * angle;
  return {r * std::cos(a), r * std::sin(a)};
}

static_assert(ParamName(VariationId::kWedgeSph, 0) == "wedge_sph_angle");
static_assert(ParamName(VariationId::kWedgeSph, 1) == "wedge_sph_count");
static_assert(ParamName(VariationId::kWedgeSph, 2) == "wedge_sph_hole");
static_assert(ParamName(VariationId::kWedgeSph, 3) == "wedge_sph_swirl");
inline Point2 WedgeSph(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double angle = t.param[0], count = t.param[1], hole = t.param[2], swirl = t.param[3];
  const double inv_r = 1.0 / (in.radius + kEps);
  const double a = WedgeAngle(in.atan_yx + swirl * inv_r, count, angle);
  const double r = t.weight * (inv_r + hole);
  return {r * std::cos(a), r * std::sin(a)};
}

// The weight is also the radius separating "inside" from "outside".
static_assert(ParamName(VariationId::kWhorl, 0) == "whorl_inside");
static_assert(ParamName(VariationId::kWhorl, 1) == "whorl_outside");
inline Point2 Whorl(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double r = in.radius;
  const double twist = r < t.weight ? t.param[0] : t.param[1];
  const double a = in.atan_yx + twist / (t.weight - r);
  return {t.weight * r * std::cos(a), t.weight * r * std::sin(a)};
}

static_assert(ParamName(VariationId::kWaves2, 0) == "waves2_freqx");
static_assert(ParamName(VariationId::kWaves2, 1) == "waves2_scalex");
static_assert(ParamName(VariationId::kWaves2, 2) == "waves2_freqy");
static_assert(ParamName(VariationId::kWaves2, 3) == "waves2_scaley");
inline Point2 Waves2(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double freq_x = t.param[0], scale_x = t.param[1];
  const double freq_y = t.param[2], scale_y = t.param[3];
  return {t.weight * (in.x + scale_x * std::sin(in.y * freq_x)),
          t.weight * (in.y + scale_y * std::sin(in.x * freq_y))};
}

}  // namespace flamegrid::formulas
