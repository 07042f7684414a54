// Shared fixtures for the genome tests: the Electric Sheep files and a
// synthetic flame with every field away from its default.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "renderer/genome/flame.h"

namespace flamegrid::testing {

inline std::vector<std::string> SheepPaths() {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(FLAMEGRID_SHEEP_GENOMES)) {
    if (entry.path().extension() == ".flam3") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

// Every Flame and Xform field set to something other than its default.
inline Flame EverythingFlame() {
  Flame f;
  f.name = "every <thing> & \"quotes\"\tand\nnewline";
  f.time = 12.5;
  f.width = 321;
  f.height = 123;
  f.center_x = 0.1;
  f.center_y = -0.2;
  f.pixels_per_unit = 77.7;
  f.zoom = 0.3;
  f.rotate = 45.25;
  f.sample_density = 33.3;
  f.supersample = 3;
  f.passes = 2;
  f.spatial_filter_radius = 0.75;
  f.filter_shape = FilterShape::kMitchell;
  f.temporal_samples = 17;
  f.temporal_filter_type = TemporalFilterType::kExp;
  f.temporal_filter_width = 1.5;
  f.temporal_filter_exp = 0.25;
  f.estimator_radius = 7;
  f.estimator_minimum = 1;
  f.estimator_curve = 0.55;
  f.gamma = 2.2;
  f.gamma_threshold = 0.02;
  f.vibrancy = 0.8;
  f.highlight_power = 0.5;
  f.brightness = 3.3;
  f.contrast = 1.1;
  f.background = Rgba{0.1, 0.2, 0.3, 0.0};
  for (int i = 0; i < kPaletteSize; ++i) {
    // A mix of 8-bit values, arbitrary fractions and translucent entries.
    f.palette.colors[i] = Rgba{i / 255.0, (255 - i) / 255.0, 0.123456789 * (i % 7), 1.0};
    if (i % 17 == 0) f.palette.colors[i] = Rgba{0.25 * 0.5, 0.1 * 0.5, 0.0, 0.5};
  }
  f.hue_rotation = 0.125;
  f.palette_mode = PaletteMode::kLinear;
  f.interpolation = Interpolation::kSmooth;
  f.interpolation_type = InterpolationType::kOlder;
  f.palette_interpolation = PaletteInterpolation::kSweep;
  f.hsv_rgb_palette_blend = 0.3;
  f.symmetry = -3;
  f.extra_attributes = {{"nick", "someone"}, {"url", "http://example.org/?a=1&b=2"}};
  f.extra_children_xml = "<edit date=\"today\" nick=\"me\"><edit filename=\"x\"/></edit>";

  Xform a;
  a.weight = 0.6;
  a.color = 0.3;
  a.color_speed = 0.7;
  a.animate = 0.0;
  a.opacity = 0.9;
  a.affine = Affine2{0.5, 0.1, -0.1, 0.5, 0.2, -0.3};
  a.post = Affine2{1.1, 0.0, 0.0, 0.9, 0.01, 0.02};
  a.chaos = {1.0, 0.5, 0.0};
  for (int v = 0; v < kVariationCount; ++v) a.variations[v] = 0.01 * (v + 1);
  for (int p = 0; p < kVariationParamCount; ++p) a.params[p] = 0.5 + p;
  a.Param(VariationId::kSuperShape, 0) = 0.25;  // super_shape_rnd: flam3 clamps it to [0, 1]
  a.motion_frequency = 0;
  Xform motion;
  motion.weight = motion.color = motion.color_speed = motion.animate = motion.opacity = 0.0;
  motion.affine = Affine2{0.1, 0, 0, 0, 0, 0};
  motion.post = Affine2{0, 0, 0, 0, 0, 0};
  motion.params.fill(0.0);
  motion.Variation(VariationId::kJulia) = 0.25;
  motion.motion_frequency = 2;
  motion.motion_function = MotionFunction::kHill;
  a.motion.push_back(motion);

  Xform b;
  b.weight = 0.4;
  b.color = 1.0;
  b.Variation(VariationId::kSpherical) = 1.0;
  b.Param(VariationId::kJulian, 0) = 3.0;  // a parameter of a variation at weight 0
  Xform c;
  c.weight = 0.0;
  c.Variation(VariationId::kLinear) = 1.0;

  f.xforms = {a, b, c};
  Xform final_xform;
  final_xform.color = 0.5;
  final_xform.color_speed = 0.0;
  final_xform.Variation(VariationId::kSwirl) = 0.5;
  final_xform.affine = Affine2{0.9, 0.0, 0.0, 0.9, 0.0, 0.0};
  f.final_xform = final_xform;
  return f;
}

}  // namespace flamegrid::testing
