// The last of Ember's variations that the community corpus uses and the
// earlier formulas_ember*.h lacked: barycentroid, bcircle, circlecrop, cropn,
// dc_ztransl, hypertile3D2, foci_3D, sphereblur. Each was found by rendering
// tiny genomes with Fractorium's Ember (flam3-compatible mode, as
// make_ember_references.sh renders them) and checked against two of its
// renders (tests/data/ember). Written from those renders and the published
// descriptions, not from Ember's code.
//
// Our points are 2D: a 3D variation acts as Ember does at z = 0, and a z it
// makes is lost (foci_3D, dc_ztransl). Internal to renderer/variations; pure
// functions (thread-safe).
#pragma once

#include <cmath>

#include "renderer/base/random.h"
#include "renderer/variations/formulas_common.h"
#include "renderer/variations/formulas_ember_cells.h"
#include "renderer/variations/prepared_xform.h"

namespace flamegrid::formulas {

// barycentroid (xyrus02): the point's barycentric coordinates (u, v) on the
// basis (a, b), (c, d), each pushed out by the matching input coordinate:
// (sign(u) sqrt(u^2 + x^2), sign(v) sqrt(v^2 + y^2)). With the default
// (unit) basis that is sqrt(2) times the point.
namespace barycentroid {
enum Precalc { kDot00, kDot01, kDot11, kInverseDenominator };
}
inline void PrepareBarycentroid(PreparedTerm& t) {
  using namespace barycentroid;
  const double a = t.param[0], b = t.param[1], c = t.param[2], d = t.param[3];
  t.precalc[kDot00] = a * a + b * b;
  t.precalc[kDot01] = a * c + b * d;
  t.precalc[kDot11] = c * c + d * d;
  // A degenerate basis divides by zero: a bad point, as Ember's renders lose it.
  t.precalc[kInverseDenominator] =
      1.0 / (t.precalc[kDot00] * t.precalc[kDot11] - t.precalc[kDot01] * t.precalc[kDot01]);
}

static_assert(ParamName(VariationId::kBarycentroid, 0) == "barycentroid_a");
static_assert(ParamName(VariationId::kBarycentroid, 1) == "barycentroid_b");
static_assert(ParamName(VariationId::kBarycentroid, 2) == "barycentroid_c");
static_assert(ParamName(VariationId::kBarycentroid, 3) == "barycentroid_d");
inline Point2 Barycentroid(const VariationInput& in, const PreparedTerm& t, Random&) {
  using namespace barycentroid;
  const double dot02 = t.param[0] * in.x + t.param[1] * in.y;
  const double dot12 = t.param[2] * in.x + t.param[3] * in.y;
  const double* c = t.precalc.data();
  const double u = (c[kDot11] * dot02 - c[kDot01] * dot12) * c[kInverseDenominator];
  const double v = (c[kDot00] * dot12 - c[kDot01] * dot02) * c[kInverseDenominator];
  return {t.weight * std::copysign(std::sqrt(u * u + in.x * in.x), u),
          t.weight * std::copysign(std::sqrt(v * v + in.y * in.y), v)};
}

// bcircle (xyrus02): the point scaled by `scale` is kept inside the unit
// circle; outside it goes to the origin, or with a border, to a uniformly
// random radius of the ring [1, 1 + |borderwidth| / 5] along its own angle (as
// Ember's renders show: the ring's width depends neither on the scale nor on
// the border's sign).
static_assert(ParamName(VariationId::kBCircle, 0) == "bcircle_scale");
static_assert(ParamName(VariationId::kBCircle, 1) == "bcircle_borderwidth");
inline Point2 BCircle(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double x = t.param[0] * in.x, y = t.param[0] * in.y;
  const double r = std::hypot(x, y);
  if (r <= 1.0) return {t.weight * x, t.weight * y};
  const double border = t.param[1];
  if (border == 0.0) return {0.0, 0.0};
  const double radius = t.weight * (1.0 + 0.2 * std::fabs(border) * rng.Uniform01()) / r;
  return {radius * x, radius * y};
}

// circlecrop: inside the circle of `radius` around (x, y) the point stays
// (its offset from the centre weighted); outside it goes to the origin
// (`zero`, the default), or onto the circle along its own direction, pushed
// out by a uniform [0, scatter_area / 2). This is Ember's flam3-compatible
// form, the one make_ember_references.sh renders.
static_assert(ParamName(VariationId::kCircleCrop, 0) == "circlecrop_radius");
static_assert(ParamName(VariationId::kCircleCrop, 1) == "circlecrop_x");
static_assert(ParamName(VariationId::kCircleCrop, 2) == "circlecrop_y");
static_assert(ParamName(VariationId::kCircleCrop, 3) == "circlecrop_scatter_area");
static_assert(ParamName(VariationId::kCircleCrop, 4) == "circlecrop_zero");
inline Point2 CircleCrop(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double radius = t.param[0], cx = t.param[1], cy = t.param[2];
  const double dx = in.x - cx, dy = in.y - cy;
  const double r = std::hypot(dx, dy);
  if (r <= radius) return {cx + t.weight * dx, cy + t.weight * dy};
  if (t.param[4] != 0.0) return {0.0, 0.0};
  const double scale = t.weight * (radius + 0.5 * t.param[3] * rng.Uniform01()) / r;
  return {cx + scale * dx, cy + scale * dy};
}

// cropn in Ember's flam3-compatible form (the one make_ember_references.sh
// renders): linear when power and radius have the same sign, the origin when
// not (and when power is 0). scatterdist and zero change nothing there. (Its
// other form crops to a power-sided polygon; Ember uses it only outside the
// flam3 mode.)
static_assert(ParamName(VariationId::kCropN, 0) == "cropn_power");
static_assert(ParamName(VariationId::kCropN, 1) == "cropn_radius");
static_assert(ParamName(VariationId::kCropN, 2) == "cropn_scatterdist");
static_assert(ParamName(VariationId::kCropN, 3) == "cropn_zero");
inline Point2 CropN(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double power = t.param[0], radius = t.param[1];
  if (power == 0.0 || (power > 0.0) != (radius >= 0.0)) return {0.0, 0.0};
  return {t.weight * in.x, t.weight * in.y};
}

// dc_ztransl: a direct-colour variation that sets z from the colour; its x
// and y are linear's (Ember renders it as linear, whatever its parameters).
static_assert(ParamName(VariationId::kDCZTransl, 0) == "dc_ztransl_x0");
static_assert(ParamName(VariationId::kDCZTransl, 4) == "dc_ztransl_clamp");
inline Point2 DCZTransl(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * in.x, t.weight * in.y};
}

// hypertile3D2 at z = 0 is hypertile2 exactly (Ember renders the two
// identically with the same seed).
static_assert(ParamName(VariationId::kHypertile3D2, 0) == "hypertile3D2_p");
static_assert(ParamName(VariationId::kHypertile3D2, 1) == "hypertile3D2_q");
inline Point2 Hypertile3D2(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  return Hypertile2(in, t, rng);
}

// foci_3D: foci (flam3's) with the cosine of y multiplied by the cosine of
// a third angle: z, or where z is 0, the point's polar angle. Our z is always
// 0, so the angle: w / (e^x / 2 + e^-x / 2 - cos y cos(atan2(y, x))) times
// (sinh x, sin y). In Ember a foci_3D makes a z that the next xform may read;
// here it is lost.
inline Point2 Foci3D(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double half_exp = 0.5 * std::exp(in.x), half_exp_minus = 0.25 / half_exp;
  const double scale =
      t.weight / (half_exp + half_exp_minus - std::cos(in.y) * std::cos(in.atan_yx));
  return {scale * (half_exp - half_exp_minus), scale * std::sin(in.y)};
}

// sphereblur: a soft ball of radius `weight` seen from above, drawn afresh
// (it reads no point); `power` moves its points from the centre (small
// powers) towards the rim. Ember's own draw is not published; this is the
// law its renders show, measured on radial profiles at powers 0.5, 1, 2, 3
// and 10: the radius r (over the weight) has P(r < s) = 1 - (1 - s^2)^k with
// k = 2/3 + 2 / power (so r = sqrt(1 - U^(1/k))), which at power 2 is nearly
// the projection of a uniform ball (k = 3/2). A power of 0 or less sends every
// point to the origin, as Ember does.
namespace sphereblur {
enum Precalc { kInverseK };
}
inline void PrepareSphereBlur(PreparedTerm& t) {
  const double power = t.param[0];
  t.precalc[sphereblur::kInverseK] = power > 0.0 ? 1.0 / (2.0 / 3.0 + 2.0 / power) : 0.0;
}

static_assert(ParamName(VariationId::kSphereBlur, 0) == "sphereblur_power");
inline Point2 SphereBlur(const VariationInput&, const PreparedTerm& t, Random& rng) {
  const double inverse_k = t.precalc[sphereblur::kInverseK];
  if (inverse_k == 0.0) return {0.0, 0.0};
  const double angle = 2.0 * kPi * rng.Uniform01();
  const double r = t.weight * std::sqrt(1.0 - std::pow(rng.Uniform01(), inverse_k));
  return {r * std::cos(angle), r * std::sin(angle)};
}

}  // namespace flamegrid::formulas
