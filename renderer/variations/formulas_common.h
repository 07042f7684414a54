// What every variation formula reads: the point after the xform's affine (and
// pre_blur), with flam3's shared per-point precalculations, plus small helpers
// that reproduce flam3's C arithmetic where it matters for parity.
//
// Internal to renderer/variations (included by the formula headers and
// variations.cc). Plain values and pure functions: thread-safe.
#pragma once

#include <cmath>
#include <numbers>
#include <string_view>

#include "renderer/base/affine.h"
#include "renderer/catalogue/variation.h"

namespace flamegrid::formulas {

// flam3's EPS guard (private.h).
inline constexpr double kEps = 1e-10;
inline constexpr double kPi = std::numbers::pi;

// flam3's flam3_iter_helper precalcs. Only the fields requested through
// PointNeeds (catalogue/variation.h) for the active terms are computed; the
// rest stay 0.
struct VariationInput {
  double x = 0.0;            // flam3's tx
  double y = 0.0;            // flam3's ty
  double sum_squares = 0.0;  // x*x + y*y, always computed
  double radius = 0.0;       // sqrt(sum_squares), always computed
  double atan_xy = 0.0;      // atan2(x, y): x FIRST, flam3's "precalc_atan"
  double atan_yx = 0.0;      // atan2(y, x): the ordinary polar angle
  // flam3's "precalc_sina"/"precalc_cosa" are x/r and y/r: the sine and cosine
  // of the angle measured from the y axis. No EPS guard: NaN at the origin.
  double sin_angle = 0.0;  // x / radius
  double cos_angle = 0.0;  // y / radius
};

// C's (int) conversion of a double as x86-64 executes it (cvttsd2si): toward
// zero, and INT_MIN for NaN or out-of-range values. flam3 relies on it in
// fan2 and rings2, where the default parameters overflow the int.
inline double TruncateLikeCInt(double v) {
  if (!(v > -2147483649.0 && v < 2147483648.0)) return -2147483648.0;
  return std::trunc(v);
}

// flam3's badvalue(): NaN or beyond +-1e10.
inline bool IsBadValue(double v) { return v != v || v > 1e10 || v < -1e10; }

// The j-th parameter name of a variation, for compile-time checks that a
// formula reads its parameters in catalogue order.
constexpr std::string_view ParamName(VariationId id, int j) {
  for (const auto& p : kVariationParams) {
    if (p.variation == id && j-- == 0) return p.name;
  }
  return {};
}

}  // namespace flamegrid::formulas
