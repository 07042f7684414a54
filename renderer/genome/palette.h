// Palette: the 256-entry colour map of a flame, RGBA in [0, 1].
//
// flam3 genomes carry their palette inline (<color>, <colors>, <palette>) or
// name one of the standard palettes by index (palette="N", resolved through
// PaletteLibrary). A plain value type.
#pragma once

#include <array>

namespace flamegrid {

struct Rgba {
  double r = 0.0, g = 0.0, b = 0.0, a = 1.0;
  bool operator==(const Rgba&) const = default;
};

inline constexpr int kPaletteSize = 256;

struct Palette {
  std::array<Rgba, kPaletteSize> colors{};
  bool operator==(const Palette&) const = default;
};

// Rotates every colour's hue by `turns` (0..1 is one full turn), as flam3's
// hue="" attribute does to an indexed palette.
Palette RotateHue(const Palette& palette, double turns);

// HSV helpers shared by hue rotation and palette interpolation.
// h in [0, 6), s and v in [0, 1] (flam3's convention).
void RgbToHsv(const double rgb[3], double hsv[3]);
void HsvToRgb(const double hsv[3], double rgb[3]);

}  // namespace flamegrid
