// The first variations beyond flam3's 99: Apophysis/Ember ones that are common
// in community flames (zblur ... glynnia), checked against Fractorium's
// Ember renders (tests/renderer/parity, make_ember_references.sh).
//
// Our points are 2D. Ember carries a z coordinate, which no 2D variation reads
// and which its default camera ignores; so, as Ember shows for flames whose
// only z source is these variations: z-only ones (zblur; the XML reader drops
// flatten, zscale, ztranslate and zcone) add nothing to x and y, and the 3D
// ones act on x and y as they do at z = 0 (Spherical3D is then spherical).
// A flame that feeds a 3D variation a z made by another (blur3D, julia3D with
// z) is not reproduced: we keep no z.
// Written from the published formulas, not from Ember's code.
// Internal to renderer/variations; pure functions (thread-safe).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "renderer/base/random.h"
#include "renderer/variations/formulas_blur_and_shape.h"
#include "renderer/variations/formulas_common.h"
#include "renderer/variations/prepared_xform.h"

namespace flamegrid::formulas {

// zblur moves only z (Ember: an xform with only zblur sends every point to
// the origin).
inline Point2 ZBlur(const VariationInput&, const PreparedTerm&, Random&) { return {0.0, 0.0}; }

// weight / (x^2 + y^2 + z^2) times the point: spherical at z = 0 (a zero
// denominator becomes kEps).
inline Point2 Spherical3D(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double r2 = in.sum_squares == 0.0 ? kEps : in.sum_squares;
  return {t.weight / r2 * in.x, t.weight / r2 * in.y};
}

// The plane wrapped onto the unit hemisphere: (x, y) / sqrt(x^2 + y^2 + 1).
inline Point2 Hemisphere(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double scale = t.weight / std::sqrt(in.sum_squares + 1.0);
  return {scale * in.x, scale * in.y};
}

// julia3D at z = 0: one of |power| roots of the point, radius r^(1/power).
namespace julia3d {
enum Precalc { kRootCount, kExponent };
}
inline void PrepareJulia3D(PreparedTerm& t) {
  const double power = t.param[0];
  t.precalc[julia3d::kRootCount] = std::trunc(std::fabs(power));
  t.precalc[julia3d::kExponent] = (1.0 / power - 1.0) / 2.0;
}

static_assert(ParamName(VariationId::kJulia3D, 0) == "julia3D_power");
inline Point2 Julia3D(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double power = t.param[0];
  const auto roots = static_cast<uint32_t>(t.precalc[julia3d::kRootCount]);
  const double root = roots == 0 ? 0.0 : static_cast<double>(rng.Below(roots));
  const double angle = (in.atan_yx + 2.0 * kPi * root) / power;
  const double r = t.weight * std::pow(in.sum_squares, t.precalc[julia3d::kExponent]) * in.radius;
  return {r * std::cos(angle), r * std::sin(angle)};
}

// The x and y of a pseudo-gaussian 3D blur: radius as gaussian_blur's, in a
// uniform random direction of the longitude and an angle from the z axis.
inline Point2 Blur3D(const VariationInput&, const PreparedTerm& t, Random& rng) {
  const double longitude = rng.Uniform01() * 2.0 * kPi;
  const double r = t.weight * PseudoGaussian(rng);
  const double from_z = rng.Uniform01() * kPi;
  const double planar = r * std::sin(from_z);
  return {planar * std::cos(longitude), planar * std::sin(longitude)};
}

// A disc whose radial density follows a sine: acos(2u - 1) / pi, with u
// raised to `power` first (negative powers count as 0).
inline void PrepareSineBlur(PreparedTerm& t) { t.precalc[0] = std::max(t.param[0], 0.0); }

static_assert(ParamName(VariationId::kSineBlur, 0) == "sineblur_power");
inline Point2 SineBlur(const VariationInput&, const PreparedTerm& t, Random& rng) {
  const double power = t.precalc[0];
  const double angle = rng.Uniform01() * 2.0 * kPi;
  const double u = power == 1.0 ? rng.Uniform01() : std::pow(rng.Uniform01(), power);
  const double r = t.weight * std::acos(2.0 * u - 1.0) / kPi;
  return {r * std::cos(angle), r * std::sin(angle)};
}

// The point smeared along a line of random length in [0, length) at `angle`.
namespace blur_linear {
enum Precalc { kSin, kCos };
}
inline void PrepareBlurLinear(PreparedTerm& t) {
  t.precalc[blur_linear::kSin] = std::sin(t.param[1]);
  t.precalc[blur_linear::kCos] = std::cos(t.param[1]);
}

static_assert(ParamName(VariationId::kBlurLinear, 0) == "blur_linear_length");
static_assert(ParamName(VariationId::kBlurLinear, 1) == "blur_linear_angle");
inline Point2 BlurLinear(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double r = t.param[0] * rng.Uniform01();
  return {t.weight * (in.x + r * t.precalc[blur_linear::kCos]),
          t.weight * (in.y + r * t.precalc[blur_linear::kSin])};
}

// A zoom blur by a random factor in [1, 1 + length), about (x0, y0) in x but,
// a quirk of the Apophysis plugin that Ember keeps, about -y0 in y.
static_assert(ParamName(VariationId::kBlurZoom, 0) == "blur_zoom_length");
static_assert(ParamName(VariationId::kBlurZoom, 1) == "blur_zoom_x");
static_assert(ParamName(VariationId::kBlurZoom, 2) == "blur_zoom_y");
inline Point2 BlurZoom(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double zoom = 1.0 + t.param[0] * rng.Uniform01();
  const double x0 = t.param[1], y0 = t.param[2];
  return {t.weight * ((in.x - x0) * zoom + x0), t.weight * ((in.y + y0) * zoom - y0)};
}

// spherical on the half-plane x > 0, linear on the other.
inline Point2 TwoFace(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double scale = in.x > 0.0 ? t.weight / in.sum_squares : t.weight;
  return {scale * in.x, scale * in.y};
}

// The epispiral r = 1 / cos(n theta), moved in by `holes`; a nonzero
// `thickness` scales 1 / cos by a random factor in [0, thickness). Where
// cos(n theta) is 0 the point adds nothing.
static_assert(ParamName(VariationId::kEpispiral, 0) == "epispiral_n");
static_assert(ParamName(VariationId::kEpispiral, 1) == "epispiral_thickness");
static_assert(ParamName(VariationId::kEpispiral, 2) == "epispiral_holes");
inline Point2 Epispiral(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double n = t.param[0], thickness = t.param[1], holes = t.param[2];
  const double d = std::cos(n * in.atan_yx);
  if (d == 0.0) return {0.0, 0.0};
  const double spread = std::fabs(thickness) > kEps ? rng.Uniform01() * thickness : 1.0;
  const double r = t.weight * (spread / d - holes);
  return {r * std::cos(in.atan_yx), r * std::sin(in.atan_yx)};
}

// A uniform disc of radius `weight`, whatever the point (Zueuk's square-to-
// circle map of a uniform square point, whose density it keeps).
inline Point2 BlurCircle(const VariationInput&, const PreparedTerm& t, Random& rng) {
  const double angle = rng.Uniform01() * 2.0 * kPi;
  const double r = t.weight * std::sqrt(rng.Uniform01());
  return {r * std::cos(angle), r * std::sin(angle)};
}

// Copies of the plane shifted by whole steps in x: round(spread * log(u)),
// of either sign with equal odds, so steps grow rarer geometrically.
static_assert(ParamName(VariationId::kTileLog, 0) == "tile_log_spread");
inline Point2 TileLog(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double spread = rng.Uniform01() < 0.5 ? t.param[0] : -t.param[0];
  const double step = std::round(std::log(rng.Uniform01()) * spread);
  return {t.weight * (in.x + step), t.weight * in.y};
}

// Glynnia (eralex): with equal odds either sqrt(2)/2 (sqrt(r + x),
// -y / sqrt(r + x)) or (r + x, y) / sqrt(r ((r + x)^2 + y^2)), both mirrored
// in x inside the unit circle.
inline Point2 Glynnia(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double r = in.radius;
  const double side = r >= 1.0 ? 1.0 : -1.0;
  if (rng.Uniform01() > 0.5) {
    const double d = std::sqrt(r + in.x);
    const double half_root2 = t.weight * std::numbers::sqrt2 / 2.0;
    return {side * half_root2 * d, -half_root2 / d * in.y};
  }
  const double d = r + in.x;
  const double scale = t.weight / std::sqrt(r * (in.y * in.y + d * d));
  return {side * scale * d, scale * in.y};
}

}  // namespace flamegrid::formulas
