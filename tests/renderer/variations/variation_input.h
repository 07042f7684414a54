// The per-point values of (x, y) that every variation formula may read, all
// of them computed, as PreparedXform computes them when a formula needs them.
// For tests and benches that call formulas directly. Pure; thread-safe.
#pragma once

#include <cmath>

#include "renderer/variations/formulas_common.h"

namespace flamegrid::testing {

inline formulas::VariationInput InputAt(double x, double y) {
  formulas::VariationInput in;
  in.x = x;
  in.y = y;
  in.sum_squares = x * x + y * y;
  in.radius = std::sqrt(in.sum_squares);
  in.atan_xy = std::atan2(x, y);
  in.atan_yx = std::atan2(y, x);
  in.sin_angle = x / in.radius;
  in.cos_angle = y / in.radius;
  return in;
}

}  // namespace flamegrid::testing
