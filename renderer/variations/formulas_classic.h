// Variations 0-30: the original fractal flame set (linear ... perspective).
//
// Each formula returns its weighted contribution, which the caller sums over
// the xform's terms (flam3's p0/p1 accumulation). Written to flam3 3.1's
// formulas including its quirks; the comments name the quirks. Internal to
// renderer/variations; pure functions of their inputs (thread-safe, the
// Random belongs to the caller's thread).
#pragma once

#include <cmath>

#include "renderer/base/random.h"
#include "renderer/variations/formulas_common.h"
#include "renderer/variations/prepared_xform.h"

namespace flamegrid::formulas {

inline Point2 Linear(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * in.x, t.weight * in.y};
}

inline Point2 Sinusoidal(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * std::sin(in.x), t.weight * std::sin(in.y)};
}

inline Point2 Spherical(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double scale = t.weight / (in.sum_squares + kEps);
  return {scale * in.x, scale * in.y};
}

inline Point2 Swirl(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double s = std::sin(in.sum_squares);
  const double c = std::cos(in.sum_squares);
  return {t.weight * (s * in.x - c * in.y), t.weight * (c * in.x + s * in.y)};
}

inline Point2 Horseshoe(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double scale = t.weight / (in.radius + kEps);
  return {(in.x - in.y) * (in.x + in.y) * scale, 2.0 * in.x * in.y * scale};
}

inline Point2 Polar(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * in.atan_xy / kPi, t.weight * (in.radius - 1.0)};
}

inline Point2 Handkerchief(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double a = in.atan_xy;
  const double r = in.radius;
  return {t.weight * r * std::sin(a + r), t.weight * r * std::cos(a - r)};
}

inline Point2 Heart(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double a = in.radius * in.atan_xy;
  const double r = t.weight * in.radius;
  return {r * std::sin(a), -r * std::cos(a)};
}

inline Point2 Disc(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double a = in.atan_xy / kPi;
  const double r = kPi * in.radius;
  return {t.weight * std::sin(r) * a, t.weight * std::cos(r) * a};
}

// Quirk: sin_angle/cos_angle are x/r and y/r (angle from the y axis).
inline Point2 Spiral(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double r = in.radius + kEps;
  const double scale = t.weight / r;
  return {scale * (in.cos_angle + std::sin(r)), scale * (in.sin_angle - std::cos(r))};
}

inline Point2 Hyperbolic(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double r = in.radius + kEps;
  return {t.weight * in.sin_angle / r, t.weight * in.cos_angle * r};
}

inline Point2 Diamond(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double r = in.radius;
  return {t.weight * in.sin_angle * std::cos(r), t.weight * in.cos_angle * std::sin(r)};
}

inline Point2 Ex(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double a = in.atan_xy;
  const double r = in.radius;
  const double n0 = std::sin(a + r);
  const double n1 = std::cos(a - r);
  const double m0 = n0 * n0 * n0 * r;
  const double m1 = n1 * n1 * n1 * r;
  return {t.weight * (m0 + m1), t.weight * (m0 - m1)};
}

// The square root of the point in the complex plane, with a random branch.
// The angle is atan2(x, y), halved.
inline Point2 Julia(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  double a = 0.5 * in.atan_xy;
  if (rng.Bit()) a += kPi;
  const double r = t.weight * std::sqrt(in.radius);
  return {r * std::cos(a), r * std::sin(a)};
}

inline Point2 Bent(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double nx = in.x < 0.0 ? in.x * 2.0 : in.x;
  const double ny = in.y < 0.0 ? in.y / 2.0 : in.y;
  return {t.weight * nx, t.weight * ny};
}

// Reads the xform's own affine: amplitudes c and d, periods from e and f.
namespace waves {
enum Precalc { kAmplitudeX, kAmplitudeY, kFrequencyX, kFrequencyY };
}
inline void PrepareWaves(PreparedTerm& t, const Affine2& affine) {
  t.precalc[waves::kAmplitudeX] = affine.c;
  t.precalc[waves::kAmplitudeY] = affine.d;
  t.precalc[waves::kFrequencyX] = 1.0 / (affine.e * affine.e + kEps);
  t.precalc[waves::kFrequencyY] = 1.0 / (affine.f * affine.f + kEps);
}
inline Point2 Waves(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double nx =
      in.x + t.precalc[waves::kAmplitudeX] * std::sin(in.y * t.precalc[waves::kFrequencyX]);
  const double ny =
      in.y + t.precalc[waves::kAmplitudeY] * std::sin(in.x * t.precalc[waves::kFrequencyY]);
  return {t.weight * nx, t.weight * ny};
}

// Quirk: the output swaps x and y (eyefish is the unswapped one).
inline Point2 Fisheye(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double scale = 2.0 * t.weight / (in.radius + 1.0);
  return {scale * in.y, scale * in.x};
}

// Reads the xform's translation e, f as amplitudes.
namespace popcorn {
enum Precalc { kAmplitudeX, kAmplitudeY };
}
inline void PreparePopcorn(PreparedTerm& t, const Affine2& affine) {
  t.precalc[popcorn::kAmplitudeX] = affine.e;
  t.precalc[popcorn::kAmplitudeY] = affine.f;
}
inline Point2 Popcorn(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double nx = in.x + t.precalc[popcorn::kAmplitudeX] * std::sin(std::tan(3.0 * in.y));
  const double ny = in.y + t.precalc[popcorn::kAmplitudeY] * std::sin(std::tan(3.0 * in.x));
  return {t.weight * nx, t.weight * ny};
}

inline Point2 Exponential(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double magnitude = t.weight * std::exp(in.x - 1.0);
  const double angle = kPi * in.y;
  return {magnitude * std::cos(angle), magnitude * std::sin(angle)};
}

inline Point2 Power(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double r = t.weight * std::pow(in.radius, in.sin_angle);
  return {r * in.cos_angle, r * in.sin_angle};
}

inline Point2 Cosine(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double a = in.x * kPi;
  return {t.weight * std::cos(a) * std::cosh(in.y), -t.weight * std::sin(a) * std::sinh(in.y)};
}

// Ring width from the xform's translation e.
namespace rings {
enum Precalc { kWidth };
}
inline void PrepareRings(PreparedTerm& t, const Affine2& affine) {
  t.precalc[rings::kWidth] = affine.e * affine.e + kEps;
}
inline Point2 Rings(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double dx = t.precalc[rings::kWidth];
  const double r = in.radius;
  const double scale = t.weight * (std::fmod(r + dx, 2.0 * dx) - dx + r * (1.0 - dx));
  return {scale * in.cos_angle, scale * in.sin_angle};
}

// Blade width from the xform's e, phase from f.
namespace fan {
enum Precalc { kBladeAngle, kPhase };
}
inline void PrepareFan(PreparedTerm& t, const Affine2& affine) {
  t.precalc[fan::kBladeAngle] = kPi * (affine.e * affine.e + kEps);
  t.precalc[fan::kPhase] = affine.f;
}
inline Point2 Fan(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double blade = t.precalc[fan::kBladeAngle];
  const double half_blade = 0.5 * blade;
  double a = in.atan_xy;
  a += std::fmod(a + t.precalc[fan::kPhase], blade) > half_blade ? -half_blade : half_blade;
  const double r = t.weight * in.radius;
  return {r * std::cos(a), r * std::sin(a)};
}

static_assert(ParamName(VariationId::kBlob, 0) == "blob_low");
static_assert(ParamName(VariationId::kBlob, 1) == "blob_high");
static_assert(ParamName(VariationId::kBlob, 2) == "blob_waves");
inline Point2 Blob(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double low = t.param[0];
  const double high = t.param[1];
  const double waves = t.param[2];
  const double r = in.radius * (low + (high - low) * (0.5 + 0.5 * std::sin(waves * in.atan_xy)));
  return {t.weight * in.sin_angle * r, t.weight * in.cos_angle * r};
}

static_assert(ParamName(VariationId::kPdj, 0) == "pdj_a");
static_assert(ParamName(VariationId::kPdj, 3) == "pdj_d");
inline Point2 Pdj(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double a = t.param[0], b = t.param[1], c = t.param[2], d = t.param[3];
  return {t.weight * (std::sin(a * in.y) - std::cos(b * in.x)),
          t.weight * (std::sin(c * in.x) - std::cos(d * in.y))};
}

// Quirk: the wrap uses C's (int) truncation, which overflows for fan2_x near 0
// (the default); see TruncateLikeCInt. The output is (sin, cos): x from sin.
static_assert(ParamName(VariationId::kFan2, 0) == "fan2_x");
static_assert(ParamName(VariationId::kFan2, 1) == "fan2_y");
inline Point2 Fan2(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double phase = t.param[1];
  const double blade = kPi * (t.param[0] * t.param[0] + kEps);
  const double half_blade = 0.5 * blade;
  double a = in.atan_xy;
  const double wrapped = a + phase - blade * TruncateLikeCInt((a + phase) / blade);
  a = wrapped > half_blade ? a - half_blade : a + half_blade;
  const double r = t.weight * in.radius;
  return {r * std::sin(a), r * std::cos(a)};
}

// Quirk: flam3's code differs from its own comment (the "+dx ... -dx" cancel)
// and truncates with C's (int).
static_assert(ParamName(VariationId::kRings2, 0) == "rings2_val");
inline Point2 Rings2(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double dx = t.param[0] * t.param[0] + kEps;
  double r = in.radius;
  r += -2.0 * dx * TruncateLikeCInt((r + dx) / (2.0 * dx)) + r * (1.0 - dx);
  return {t.weight * in.sin_angle * r, t.weight * in.cos_angle * r};
}

inline Point2 Eyefish(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double scale = 2.0 * t.weight / (in.radius + 1.0);
  return {scale * in.x, scale * in.y};
}

inline Point2 Bubble(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double scale = t.weight / (0.25 * in.sum_squares + 1.0);
  return {scale * in.x, scale * in.y};
}

inline Point2 Cylinder(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * std::sin(in.x), t.weight * in.y};
}

static_assert(ParamName(VariationId::kPerspective, 0) == "perspective_angle");
static_assert(ParamName(VariationId::kPerspective, 1) == "perspective_dist");
namespace perspective {
enum Precalc { kSinAngle, kDistTimesCos };
}
inline void PreparePerspective(PreparedTerm& t) {
  const double angle = t.param[0] * kPi / 2.0;
  t.precalc[perspective::kSinAngle] = std::sin(angle);
  t.precalc[perspective::kDistTimesCos] = t.param[1] * std::cos(angle);
}
inline Point2 Perspective(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double dist = t.param[1];
  const double inv = 1.0 / (dist - in.y * t.precalc[perspective::kSinAngle]);
  return {t.weight * dist * in.x * inv,
          t.weight * t.precalc[perspective::kDistTimesCos] * in.y * inv};
}

}  // namespace flamegrid::formulas
