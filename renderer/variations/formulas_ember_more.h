// More Apophysis/Ember variations beyond flam3's 99 (Apophysis' Mobius,
// curl3D, tile_hlp, bwraps, bwraps7, unpolar, bubble2, rotate_z, mirror_x,
// circleblur, eJulia), each checked against Fractorium's
// Ember renders (tests/renderer/parity, make_ember_references.sh).
//
// Where Ember's picture differs from the plugin's published formula, we follow
// Ember, our reference, and say so at the formula (bwraps' gain, tile_hlp's
// odds). As in formulas_ember.h, our points are 2D: the 3D ones act on x and y
// as they do at z = 0.
// Written from the published formulas and from what Ember's renders show
// (single points probed through an xform whose affine is constant), not from
// Ember's code.
// Internal to renderer/variations; pure functions (thread-safe).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "renderer/base/random.h"
#include "renderer/variations/formulas_common.h"
#include "renderer/variations/formulas_complex.h"
#include "renderer/variations/formulas_ember.h"
#include "renderer/variations/prepared_xform.h"

namespace flamegrid::formulas {

// Apophysis' Mobius plugin is flam3's mobius, (a z + b) / (c z + d), under
// other names (Mobius_Re_A ... Mobius_Im_D, or Apophysis' bare Re_A ...) and with other defaults (a = d = 1: the identity,
// where flam3's all-zero defaults divide by zero). Same parameter order.
static_assert(ParamName(VariationId::kMobiusApophysis, 0) == "Mobius_Re_A");
static_assert(ParamName(VariationId::kMobiusApophysis, 1) == "Mobius_Im_A");
static_assert(ParamName(VariationId::kMobiusApophysis, 2) == "Mobius_Re_B");
static_assert(ParamName(VariationId::kMobiusApophysis, 3) == "Mobius_Im_B");
static_assert(ParamName(VariationId::kMobiusApophysis, 4) == "Mobius_Re_C");
static_assert(ParamName(VariationId::kMobiusApophysis, 5) == "Mobius_Im_C");
static_assert(ParamName(VariationId::kMobiusApophysis, 6) == "Mobius_Re_D");
static_assert(ParamName(VariationId::kMobiusApophysis, 7) == "Mobius_Im_D");
inline Point2 MobiusApophysis(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  return Mobius(in, t, rng);
}

// curl3D at z = 0: curl's complex c2 term with c = (cx, -cy) and a 3D radius,
// w (p + (cx, -cy) r^2) / (|c|^2 r^2 + 2 cx x - 2 cy y + 1), where |c|^2
// counts cz (a zero denominator becomes kEps). A cz other than 0 gives Ember's
// points a z that curl3D reads back on the next pass; we keep no z.
static_assert(ParamName(VariationId::kCurl3D, 0) == "curl3D_cx");
static_assert(ParamName(VariationId::kCurl3D, 1) == "curl3D_cy");
static_assert(ParamName(VariationId::kCurl3D, 2) == "curl3D_cz");
inline Point2 Curl3D(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double cx = t.param[0], cy = t.param[1], cz = t.param[2];
  const double r2 = in.sum_squares;
  double denominator = r2 * (cx * cx + cy * cy + cz * cz) + 2.0 * cx * in.x - 2.0 * cy * in.y + 1.0;
  if (denominator == 0.0) denominator = kEps;
  const double scale = t.weight / denominator;
  return {scale * (in.x + cx * r2), scale * (in.y - cy * r2)};
}

// tile_hlp (Zy0rg): a helper for tile_log, moving the point one width across
// (toward 0) with odds that grow toward the middle of each column of width
// `width`. The plugin stays with odds (1 + cos(pi f)) / 2 (f: x / width's
// fractional part); Ember's renders stay with odds max(cos(pi f), 0) / 2
// (0.5 at a column's edge, never in its middle half). We follow Ember.
static_assert(ParamName(VariationId::kTileHlp, 0) == "tile_hlp_width");
inline Point2 TileHlp(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double width = t.param[0];
  const double x = in.x / width;
  const double stay = std::cos((x - std::trunc(x)) * kPi);
  double shift = 0.0;
  if (stay < 2.0 * rng.Uniform01()) shift = x > 0.0 ? -width : width;
  return {t.weight * (in.x + shift), t.weight * in.y};
}

// bwraps (slobo777's "bubble wrap"): cells of side `cellsize`, each holding a
// bubble of radius cellsize / (2 (1 + space^2)) that magnifies its middle
// (the lens x / (x^2 / 4 + 1) on the point scaled by g2, fitted so that the
// rim stays put) and twists it, from inner_twist at the middle to outer_twist
// at the rim; outside the bubbles the plane passes unchanged. The plugin's
// scale is g2 = gain^2 / cellsize, Apophysis 7x's gain^2 / radius; Ember's
// renders show g2 = gain^2, and we follow Ember. bwraps7 is the same
// variation under the plugin's later name.
namespace bwraps {
enum Precalc { kScale, kRadius2, kLensFactor };
}
inline void PrepareBWraps(PreparedTerm& t) {
  const double cellsize = t.param[0], space = t.param[1], gain = t.param[2];
  const double radius = 0.5 * cellsize / (1.0 + space * space);
  const double scale = gain * gain + 1e-6;  // never 0: gain 0 is the identity
  // The lens's largest value on the scaled radius; past 2 it would fold the
  // rim back in, so the lens then stops at its peak, 1.
  double peak = scale * radius;
  peak = peak > 2.0 ? 1.0 : peak / (peak * peak / 4.0 + 1.0);
  t.precalc[bwraps::kScale] = scale;
  t.precalc[bwraps::kRadius2] = radius * radius;
  t.precalc[bwraps::kLensFactor] = radius / peak;
}

static_assert(ParamName(VariationId::kBWraps, 0) == "bwraps_cellsize");
static_assert(ParamName(VariationId::kBWraps, 1) == "bwraps_space");
static_assert(ParamName(VariationId::kBWraps, 2) == "bwraps_gain");
static_assert(ParamName(VariationId::kBWraps, 3) == "bwraps_inner_twist");
static_assert(ParamName(VariationId::kBWraps, 4) == "bwraps_outer_twist");
inline Point2 BWraps(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double cellsize = t.param[0];
  if (cellsize == 0.0) return {t.weight * in.x, t.weight * in.y};
  const double center_x = (std::floor(in.x / cellsize) + 0.5) * cellsize;
  const double center_y = (std::floor(in.y / cellsize) + 0.5) * cellsize;
  double local_x = in.x - center_x, local_y = in.y - center_y;
  const double radius2 = t.precalc[bwraps::kRadius2];
  if (local_x * local_x + local_y * local_y > radius2) return {t.weight * in.x, t.weight * in.y};
  local_x *= t.precalc[bwraps::kScale];
  local_y *= t.precalc[bwraps::kScale];
  const double lens =
      t.precalc[bwraps::kLensFactor] / ((local_x * local_x + local_y * local_y) / 4.0 + 1.0);
  local_x *= lens;
  local_y *= lens;
  const double rim = (local_x * local_x + local_y * local_y) / radius2;  // 0 middle, 1 rim
  const double twist = t.param[3] * (1.0 - rim) + t.param[4] * rim;
  const double s = std::sin(twist), c = std::cos(twist);
  return {t.weight * (center_x + c * local_x + s * local_y),
          t.weight * (center_y - s * local_x + c * local_y)};
}

static_assert(ParamName(VariationId::kBWraps7, 0) == "bwraps7_cellsize");
static_assert(ParamName(VariationId::kBWraps7, 4) == "bwraps7_outer_twist");
inline Point2 BWraps7(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  return BWraps(in, t, rng);
}

// unpolar: polar's inverse, (sin x, cos x) e^y / (2 pi).
inline Point2 Unpolar(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double r = t.weight / (2.0 * kPi) * std::exp(in.y);
  return {r * std::sin(in.x), r * std::cos(in.x)};
}

// bubble2: bubble's lens, p / (|p|^2 / 4 + 1), stretched by (x, y) (and z,
// which multiplies Ember's z: nothing at z = 0).
static_assert(ParamName(VariationId::kBubble2, 0) == "bubble2_x");
static_assert(ParamName(VariationId::kBubble2, 1) == "bubble2_y");
static_assert(ParamName(VariationId::kBubble2, 2) == "bubble2_z");
inline Point2 Bubble2(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double scale = t.weight / (in.sum_squares / 4.0 + 1.0);
  return {scale * in.x * t.param[0], scale * in.y * t.param[1]};
}

// rotate_z: the point turned about the origin, clockwise by weight quarter
// turns; the weight is the angle and does not scale (as Ember renders it).
inline Point2 RotateZ(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double angle = -t.weight * kPi / 2.0;
  const double s = std::sin(angle), c = std::cos(angle);
  return {c * in.x - s * in.y, s * in.x + c * in.y};
}

// mirror_x: x's size with a random sign (even odds), y kept; the weight only
// switches it on (as Ember renders it).
inline Point2 MirrorX(const VariationInput& in, const PreparedTerm&, Random& rng) {
  const double size = std::fabs(in.x);
  return {rng.Uniform01() < 0.5 ? -size : size, in.y};
}

// circleblur (JWildfire's name): blur_circle's uniform disc of radius weight.
inline Point2 CircleBlur(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  return BlurCircle(in, t, rng);
}

// eJulia (Michael Faber): julia in elliptic coordinates. The point's
// elliptic (mu, nu) about the foci -1 and 1 (nu signed as y) become
// (mu / p, (nu + 2 pi k) / p) for a random root k of |p|, and back to the
// plane as (cosh mu cos nu, sinh mu sin nu). A negative power first inverts
// the point in the unit circle. Ember reads the power as a whole number,
// rounded half up, and 0 as 1 (and a negative fraction as -1).
namespace ejulia {
enum Precalc { kPower };
}
inline void PrepareEJulia(PreparedTerm& t) {
  double power = std::floor(t.param[0] + 0.5);
  if (power == 0.0) power = t.param[0] < 0.0 ? -1.0 : 1.0;
  t.precalc[ejulia::kPower] = power;
}

static_assert(ParamName(VariationId::kEJulia, 0) == "eJulia_power");
inline Point2 EJulia(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double power = t.precalc[ejulia::kPower];
  double x = in.x, r2 = in.sum_squares;
  if (power < 0.0) {  // the inverse point (x, y) / r^2 has r^2 -> 1 / r^2
    r2 = 1.0 / r2;
    x *= r2;
  }
  // The sum of the distances to the foci is 2 cosh(mu).
  const double cosh_mu =
      std::max(1.0, (std::sqrt(r2 + 1.0 + 2.0 * x) + std::sqrt(r2 + 1.0 - 2.0 * x)) / 2.0);
  const double mu = std::acosh(cosh_mu);
  double nu = std::acos(std::clamp(x / cosh_mu, -1.0, 1.0));
  if (in.y < 0.0) nu = -nu;
  const auto root = static_cast<double>(rng.Below(static_cast<uint32_t>(std::fabs(power))));
  const double angle = (nu + 2.0 * kPi * root) / power;
  const double radial = mu / power;
  return {t.weight * std::cosh(radial) * std::cos(angle),
          t.weight * std::sinh(radial) * std::sin(angle)};
}

}  // namespace flamegrid::formulas
