// Tiny genomes built in code for the render tests.
#pragma once

#include "renderer/genome/flame.h"

namespace flamegrid::testing {

inline Xform LinearXform(double a, double b, double c, double d, double e, double f, double color) {
  Xform xf;
  xf.weight = 1.0;
  xf.color = color;
  xf.affine = {a, b, c, d, e, f};
  xf.Variation(VariationId::kLinear) = 1.0;
  return xf;
}

inline Palette GreyRamp() {
  Palette p;
  for (int i = 0; i < kPaletteSize; ++i) {
    const double v = 0.25 + 0.75 * i / (kPaletteSize - 1.0);
    p.colors[i] = {v, v, v, 1.0};
  }
  return p;
}

// The Sierpinski triangle with corners (0,0), (1,0), (0,1), framed so the
// image covers [0,1] x [0,1].
inline Flame SierpinskiFlame(int size = 64) {
  Flame flame;
  flame.width = size;
  flame.height = size;
  flame.center_x = 0.5;
  flame.center_y = 0.5;
  flame.pixels_per_unit = size;
  flame.sample_density = 20.0;
  flame.estimator_radius = 0.0;
  flame.gamma = 1.0;
  flame.brightness = 4.0;
  flame.palette = GreyRamp();
  flame.xforms.push_back(LinearXform(0.5, 0, 0, 0.5, 0.0, 0.0, 0.0));
  flame.xforms.push_back(LinearXform(0.5, 0, 0, 0.5, 0.5, 0.0, 0.5));
  flame.xforms.push_back(LinearXform(0.5, 0, 0, 0.5, 0.0, 0.5, 1.0));
  return flame;
}

}  // namespace flamegrid::testing
