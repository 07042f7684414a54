// Variations 82-98: complex elementary functions of z = x + iy (exp ... coth),
// then auger, flux and mobius.
//
// The trigonometric ones use flam3's closed forms (for example
// tan z = (sin 2x + i sinh 2y) / (cos 2x + cosh 2y)), so the poles and their
// overflow behave as flam3's do. Internal to renderer/variations; pure
// functions (thread-safe).
#pragma once

#include <cmath>

#include "renderer/base/random.h"
#include "renderer/variations/formulas_common.h"
#include "renderer/variations/prepared_xform.h"

namespace flamegrid::formulas {

inline Point2 Exp(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double magnitude = t.weight * std::exp(in.x);
  return {magnitude * std::cos(in.y), magnitude * std::sin(in.y)};
}

// x is the logarithm of the radius to log_base (Ember's parameter; flam3's
// log is base e): half the log of r^2 over ln(base). At base e the factor is
// exactly flam3's 0.5 (std::log(e) rounds to 1).
inline void PrepareLog(PreparedTerm& t) { t.precalc[0] = 0.5 / std::log(t.param[0]); }

static_assert(ParamName(VariationId::kLog, 0) == "log_base");
inline Point2 Log(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * t.precalc[0] * std::log(in.sum_squares), t.weight * in.atan_yx};
}

inline Point2 Sin(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * std::sin(in.x) * std::cosh(in.y), t.weight * std::cos(in.x) * std::sinh(in.y)};
}

inline Point2 Cos(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * std::cos(in.x) * std::cosh(in.y),
          -t.weight * std::sin(in.x) * std::sinh(in.y)};
}

inline Point2 Tan(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double inv_den = 1.0 / (std::cos(2.0 * in.x) + std::cosh(2.0 * in.y));
  return {t.weight * inv_den * std::sin(2.0 * in.x), t.weight * inv_den * std::sinh(2.0 * in.y)};
}

inline Point2 Sec(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double den = 2.0 / (std::cos(2.0 * in.x) + std::cosh(2.0 * in.y));
  return {t.weight * den * std::cos(in.x) * std::cosh(in.y),
          t.weight * den * std::sin(in.x) * std::sinh(in.y)};
}

inline Point2 Csc(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double den = 2.0 / (std::cosh(2.0 * in.y) - std::cos(2.0 * in.x));
  return {t.weight * den * std::sin(in.x) * std::cosh(in.y),
          -t.weight * den * std::cos(in.x) * std::sinh(in.y)};
}

inline Point2 Cot(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double inv_den = 1.0 / (std::cosh(2.0 * in.y) - std::cos(2.0 * in.x));
  return {t.weight * inv_den * std::sin(2.0 * in.x), -t.weight * inv_den * std::sinh(2.0 * in.y)};
}

inline Point2 Sinh(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * std::sinh(in.x) * std::cos(in.y), t.weight * std::cosh(in.x) * std::sin(in.y)};
}

inline Point2 Cosh(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * std::cosh(in.x) * std::cos(in.y), t.weight * std::sinh(in.x) * std::sin(in.y)};
}

inline Point2 Tanh(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double inv_den = 1.0 / (std::cos(2.0 * in.y) + std::cosh(2.0 * in.x));
  return {t.weight * inv_den * std::sinh(2.0 * in.x), t.weight * inv_den * std::sin(2.0 * in.y)};
}

inline Point2 Sech(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double den = 2.0 / (std::cos(2.0 * in.y) + std::cosh(2.0 * in.x));
  return {t.weight * den * std::cos(in.y) * std::cosh(in.x),
          -t.weight * den * std::sin(in.y) * std::sinh(in.x)};
}

inline Point2 Csch(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double den = 2.0 / (std::cosh(2.0 * in.x) - std::cos(2.0 * in.y));
  return {t.weight * den * std::sinh(in.x) * std::cos(in.y),
          -t.weight * den * std::cosh(in.x) * std::sin(in.y)};
}

inline Point2 Coth(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double inv_den = 1.0 / (std::cosh(2.0 * in.x) - std::cos(2.0 * in.y));
  return {t.weight * inv_den * std::sinh(2.0 * in.x), t.weight * inv_den * std::sin(2.0 * in.y)};
}

// Quirk: the x distortion is scaled by auger_sym (0 by default: x passes
// through), the y distortion always applies.
static_assert(ParamName(VariationId::kAuger, 0) == "auger_sym");
static_assert(ParamName(VariationId::kAuger, 1) == "auger_weight");
static_assert(ParamName(VariationId::kAuger, 2) == "auger_freq");
static_assert(ParamName(VariationId::kAuger, 3) == "auger_scale");
inline Point2 Auger(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double sym = t.param[0], strength = t.param[1], freq = t.param[2], scale = t.param[3];
  const double s = std::sin(freq * in.x);
  const double u = std::sin(freq * in.y);
  const double dy = in.y + strength * (scale * s / 2.0 + std::fabs(in.y) * s);
  const double dx = in.x + strength * (scale * u / 2.0 + std::fabs(in.x) * u);
  return {t.weight * (in.x + sym * (dx - in.x)), t.weight * dy};
}

// The weight also places the two foci at (+-weight, 0).
static_assert(ParamName(VariationId::kFlux, 0) == "flux_spread");
inline Point2 Flux(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double x_plus = in.x + t.weight;
  const double x_minus = in.x - t.weight;
  const double y2 = in.y * in.y;
  const double avg_r =
      t.weight * (2.0 + t.param[0]) *
      std::sqrt(std::sqrt(y2 + x_plus * x_plus) / std::sqrt(y2 + x_minus * x_minus));
  const double avg_a = (std::atan2(in.y, x_minus) - std::atan2(in.y, x_plus)) * 0.5;
  return {avg_r * std::cos(avg_a), avg_r * std::sin(avg_a)};
}

// (a z + b) / (c z + d) with complex a, b, c, d.
static_assert(ParamName(VariationId::kMobius, 0) == "mobius_re_a");
static_assert(ParamName(VariationId::kMobius, 1) == "mobius_im_a");
static_assert(ParamName(VariationId::kMobius, 2) == "mobius_re_b");
static_assert(ParamName(VariationId::kMobius, 3) == "mobius_im_b");
static_assert(ParamName(VariationId::kMobius, 4) == "mobius_re_c");
static_assert(ParamName(VariationId::kMobius, 5) == "mobius_im_c");
static_assert(ParamName(VariationId::kMobius, 6) == "mobius_re_d");
static_assert(ParamName(VariationId::kMobius, 7) == "mobius_im_d");
inline Point2 Mobius(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double re_a = t.param[0], im_a = t.param[1], re_b = t.param[2], im_b = t.param[3];
  const double re_c = t.param[4], im_c = t.param[5], re_d = t.param[6], im_d = t.param[7];
  const double re_u = re_a * in.x - im_a * in.y + re_b;
  const double im_u = re_a * in.y + im_a * in.x + im_b;
  const double re_v = re_c * in.x - im_c * in.y + re_d;
  const double im_v = re_c * in.y + im_c * in.x + im_d;
  const double scale = t.weight / (re_v * re_v + im_v * im_v);
  return {scale * (re_u * re_v + im_u * im_v), scale * (im_u * re_v - re_u * im_v)};
}

}  // namespace flamegrid::formulas
