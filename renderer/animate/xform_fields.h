// Element-wise access to the numeric genes of an Xform and a Flame, so that
// interpolation, motion and mutation walk one list instead of naming fields.
//
// Internal to animate/. Stateless; safe from any thread.
#pragma once

#include <array>
#include <cmath>

#include "renderer/genome/flame.h"
#include "renderer/genome/xform.h"

namespace flamegrid::animate_internal {

// Calls fn(double& field, const double& other...) for every scalar gene an
// xform carries besides its affines: weight, colour, opacity, animate, each
// variation weight and each variation parameter. `xforms` are parallel.
template <typename Fn, typename... Others>
void ForEachXformScalar(Xform& out, Fn&& fn, const Others&... others) {
  fn(out.weight, others.weight...);
  fn(out.color, others.color...);
  fn(out.color_speed, others.color_speed...);
  fn(out.animate, others.animate...);
  fn(out.opacity, others.opacity...);
  for (int v = 0; v < kVariationCount; ++v) fn(out.variations[v], others.variations[v]...);
  for (int p = 0; p < kVariationParamCount; ++p) fn(out.params[p], others.params[p]...);
}

// The six coefficients of an affine, for element-wise arithmetic.
inline std::array<double*, 6> AffineCoefficients(Affine2& m) {
  return {&m.a, &m.b, &m.c, &m.d, &m.e, &m.f};
}
inline std::array<double, 6> AffineValues(const Affine2& m) {
  return {m.a, m.b, m.c, m.d, m.e, m.f};
}

// flam3's own RGB/HSV pair (h in [0, 6)); kept here so palette blending does
// not depend on how the genome module rounds or wraps.
inline void RgbToHsv6(double r, double g, double b, double hsv[3]) {
  const double max = std::fmax(r, std::fmax(g, b));
  const double min = std::fmin(r, std::fmin(g, b));
  const double delta = max - min;
  const double s = (max != 0.0) ? delta / max : 0.0;
  double h = 0.0;
  if (s != 0.0) {
    const double rc = (max - r) / delta;
    const double gc = (max - g) / delta;
    const double bc = (max - b) / delta;
    if (r == max) {
      h = bc - gc;
    } else if (g == max) {
      h = 2.0 + rc - bc;
    } else {
      h = 4.0 + gc - rc;
    }
    if (h < 0.0) h += 6.0;
  }
  hsv[0] = h;
  hsv[1] = s;
  hsv[2] = max;
}

inline void HsvToRgb6(const double hsv[3], double rgb[3]) {
  double h = hsv[0];
  const double s = hsv[1];
  const double v = hsv[2];
  while (h >= 6.0) h -= 6.0;
  while (h < 0.0) h += 6.0;
  const int sector = static_cast<int>(std::floor(h));
  const double f = h - sector;
  const double p = v * (1.0 - s);
  const double q = v * (1.0 - s * f);
  const double t = v * (1.0 - s * (1.0 - f));
  switch (sector) {
    case 0:
      rgb[0] = v;
      rgb[1] = t;
      rgb[2] = p;
      break;
    case 1:
      rgb[0] = q;
      rgb[1] = v;
      rgb[2] = p;
      break;
    case 2:
      rgb[0] = p;
      rgb[1] = v;
      rgb[2] = t;
      break;
    case 3:
      rgb[0] = p;
      rgb[1] = q;
      rgb[2] = v;
      break;
    case 4:
      rgb[0] = t;
      rgb[1] = p;
      rgb[2] = v;
      break;
    default:
      rgb[0] = v;
      rgb[1] = p;
      rgb[2] = q;
      break;
  }
}

}  // namespace flamegrid::animate_internal
