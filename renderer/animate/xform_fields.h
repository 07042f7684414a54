// Element-wise access to the numeric genes of an Xform and a Flame, so that
// interpolation, motion and mutation walk the attribute tables
// (renderer/genome/flam3_attributes.h) and the variation catalogue instead of
// naming fields.
//
// Internal to animate/. Stateless; safe from any thread.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <span>

#include "renderer/genome/flam3_attributes.h"
#include "renderer/genome/flame.h"
#include "renderer/genome/xform.h"

namespace flamegrid::animate_internal {

// The rules that blend a number as a weighted sum.
inline bool IsLinearRule(AttributeInterpolation rule) {
  return rule == AttributeInterpolation::kLinear ||
         rule == AttributeInterpolation::kLinearPositive ||
         rule == AttributeInterpolation::kLinearUnit;
}

// A weighted sum brought into its rule's range.
inline double ClampToRule(AttributeInterpolation rule, double value) {
  if (rule == AttributeInterpolation::kLinearPositive) return std::max(value, 0.0);
  if (rule == AttributeInterpolation::kLinearUnit) return std::clamp(value, 0.0, 1.0);
  return value;
}

// Calls fn(double& field, const double& other...) for every scalar gene an
// xform carries besides its affines: each number of the xform table that
// interpolates as a weighted sum (weight, colour, colour speed, animate,
// opacity), each variation weight and each variation parameter. `others` are
// parallel xforms.
template <typename Fn, typename... Others>
void ForEachXformScalar(Xform& out, Fn&& fn, const Others&... others) {
  for (const XformAttributeSpec& spec : XformAttributes()) {
    if (spec.real == nullptr || !IsLinearRule(spec.interpolation)) continue;
    fn(out.*spec.real, others.*spec.real...);
  }
  for (int v = 0; v < kVariationCount; ++v) fn(out.variations[v], others.variations[v]...);
  for (int p = 0; p < kVariationParamCount; ++p) fn(out.params[p], others.params[p]...);
}

// Copies the member `spec` names from `from` to `to`.
template <typename Target>
void CopyTableMember(const AttributeSpec<Target>& spec, const Target& from, Target& to) {
  if (spec.real != nullptr) to.*spec.real = from.*spec.real;
  if (spec.integer != nullptr) to.*spec.integer = from.*spec.integer;
  if (spec.text != nullptr) to.*spec.text = from.*spec.text;
  if (spec.enumeration.get != nullptr) spec.enumeration.set(to, spec.enumeration.get(from));
}

// Blends into `out` every member of `table` (the flame or the xform
// attributes) by its entry's rule: sources[k] weighs weights[k]. Entries whose
// rule is kCustom or kNone are left to the caller.
template <typename Target>
void BlendTableMembers(std::span<const AttributeSpec<Target>> table,
                       std::span<const Target* const> sources, std::span<const double> weights,
                       Target& out) {
  static const Target kDefaults{};
  for (const AttributeSpec<Target>& spec : table) {
    if (spec.use == AttributeUse::kIgnored) continue;
    const AttributeInterpolation rule = spec.interpolation;
    if (IsLinearRule(rule) && (spec.real != nullptr || spec.integer != nullptr)) {
      double sum = 0.0;
      for (size_t k = 0; k < sources.size(); ++k) {
        sum += weights[k] * (spec.real != nullptr ? sources[k]->*spec.real
                                                  : static_cast<double>(sources[k]->*spec.integer));
      }
      sum = ClampToRule(rule, sum);
      if (spec.real != nullptr) {
        out.*spec.real = sum;
      } else {
        out.*spec.integer = static_cast<int>(std::nearbyint(sum));
      }
    } else if (rule == AttributeInterpolation::kFirst) {
      CopyTableMember(spec, *sources[0], out);
    } else if (rule == AttributeInterpolation::kReset) {
      CopyTableMember(spec, kDefaults, out);
    }
  }
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
