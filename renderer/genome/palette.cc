#include "renderer/genome/palette.h"

#include <algorithm>
#include <cmath>

namespace flamegrid {

// Hue is measured in sextants, h in [0, 6): red at 0, yellow 1, green 2, cyan 3,
// blue 4, magenta 5. That is flam3's convention, so hue="0.25" means 1.5 sextants.
void RgbToHsv(const double rgb[3], double hsv[3]) {
  const double r = rgb[0], g = rgb[1], b = rgb[2];
  const double max = std::max({r, g, b});
  const double min = std::min({r, g, b});
  const double chroma = max - min;
  const double saturation = max != 0.0 ? chroma / max : 0.0;
  double hue = 0.0;
  if (saturation != 0.0) {
    // Distance of each channel from the maximum, in units of chroma.
    const double dr = (max - r) / chroma;
    const double dg = (max - g) / chroma;
    const double db = (max - b) / chroma;
    if (r == max) {
      hue = db - dg;
    } else if (g == max) {
      hue = 2.0 + dr - db;
    } else {
      hue = 4.0 + dg - dr;
    }
    if (hue < 0.0) hue += 6.0;
  }
  hsv[0] = hue;
  hsv[1] = saturation;
  hsv[2] = max;
}

void HsvToRgb(const double hsv[3], double rgb[3]) {
  double hue = hsv[0];
  const double saturation = hsv[1], value = hsv[2];
  if (!std::isfinite(hue)) hue = 0.0;
  hue = std::fmod(hue, 6.0);
  if (hue < 0.0) hue += 6.0;
  if (hue >= 6.0) hue = 0.0;  // fmod of a tiny negative can round up to 6
  const int sextant = static_cast<int>(std::floor(hue));
  const double fraction = hue - sextant;
  const double lowest = value * (1.0 - saturation);
  const double falling = value * (1.0 - saturation * fraction);
  const double rising = value * (1.0 - saturation * (1.0 - fraction));
  double r, g, b;
  switch (sextant) {
    case 1:
      r = falling, g = value, b = lowest;
      break;
    case 2:
      r = lowest, g = value, b = rising;
      break;
    case 3:
      r = lowest, g = falling, b = value;
      break;
    case 4:
      r = rising, g = lowest, b = value;
      break;
    case 5:
      r = value, g = lowest, b = falling;
      break;
    default:
      r = value, g = rising, b = lowest;
      break;
  }
  rgb[0] = r;
  rgb[1] = g;
  rgb[2] = b;
}

Palette RotateHue(const Palette& palette, double turns) {
  Palette rotated = palette;
  for (Rgba& color : rotated.colors) {
    double rgb[3] = {color.r, color.g, color.b};
    double hsv[3];
    RgbToHsv(rgb, hsv);
    hsv[0] += turns * 6.0;
    HsvToRgb(hsv, rgb);
    color.r = rgb[0];
    color.g = rgb[1];
    color.b = rgb[2];
  }
  return rotated;
}

}  // namespace flamegrid
