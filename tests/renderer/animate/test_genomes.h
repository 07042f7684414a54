// Small hand-made genomes shared by the animate tests.
#pragma once

#include <cmath>

#include "renderer/genome/flame.h"

namespace flamegrid::testing {

inline Xform LinearXform(double weight, Affine2 affine, double animate = 1.0) {
  Xform xf;
  xf.weight = weight;
  xf.affine = affine;
  xf.animate = animate;
  xf.Variation(VariationId::kLinear) = 1.0;
  return xf;
}

inline Palette SolidPalette(double r, double g, double b) {
  Palette p;
  for (Rgba& c : p.colors) c = Rgba{r, g, b, 1.0};
  return p;
}

// Two xforms, one animated and one fixed (animate 0), like most sheep.
inline Flame TwoXformFlame() {
  Flame f;
  f.name = "two";
  f.xforms.push_back(LinearXform(0.5, Affine2{0.5, 0.2, -0.1, 0.6, 0.3, -0.2}));
  f.xforms.push_back(LinearXform(0.5, Affine2{0.4, -0.3, 0.3, 0.4, -0.5, 0.1}, 0.0));
  f.xforms[1].Variation(VariationId::kLinear) = 0.0;
  f.xforms[1].Variation(VariationId::kSpherical) = 1.0;
  f.palette = SolidPalette(1.0, 0.5, 0.25);
  return f;
}

inline Flame ThreeXformFlame() {
  Flame f;
  f.name = "three";
  f.xforms.push_back(LinearXform(0.3, Affine2{-0.7, 0.1, 0.2, 0.5, 0.1, 0.4}));
  f.xforms.push_back(LinearXform(0.3, Affine2{0.2, 0.8, -0.6, 0.1, 0.0, 0.0}));
  f.xforms.push_back(LinearXform(0.4, Affine2{0.5, 0.0, 0.0, 0.5, 0.5, 0.5}));
  f.xforms[2].Variation(VariationId::kJulian) = 0.5;
  f.xforms[2].Param(VariationId::kJulian, 0) = 3.0;
  f.center_x = 0.5;
  f.pixels_per_unit = 80.0;
  f.palette = SolidPalette(0.2, 0.4, 0.9);
  return f;
}

inline double AffineDistance(const Affine2& p, const Affine2& q) {
  return std::fabs(p.a - q.a) + std::fabs(p.b - q.b) + std::fabs(p.c - q.c) + std::fabs(p.d - q.d) +
         std::fabs(p.e - q.e) + std::fabs(p.f - q.f);
}

// Distance in genome space: affines, weights, colours and camera.
inline double GenomeDistance(const Flame& p, const Flame& q) {
  if (p.xforms.size() != q.xforms.size()) return INFINITY;
  double d = std::fabs(p.center_x - q.center_x) + std::fabs(p.center_y - q.center_y) +
             std::fabs(p.pixels_per_unit - q.pixels_per_unit) / 100.0 +
             std::fabs(p.rotate - q.rotate) / 360.0;
  for (size_t i = 0; i < p.xforms.size(); ++i) {
    d += AffineDistance(p.xforms[i].affine, q.xforms[i].affine) +
         AffineDistance(p.xforms[i].post, q.xforms[i].post) +
         std::fabs(p.xforms[i].weight - q.xforms[i].weight) +
         std::fabs(p.xforms[i].color - q.xforms[i].color);
    for (int v = 0; v < kVariationCount; ++v) {
      d += std::fabs(p.xforms[i].variations[v] - q.xforms[i].variations[v]);
    }
  }
  return d;
}

}  // namespace flamegrid::testing
