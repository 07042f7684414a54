#include "renderer/genome/palette.h"

// STUB: the genome helper replaces this file.
namespace flamegrid {
Palette RotateHue(const Palette& palette, double) { return palette; }
void RgbToHsv(const double rgb[3], double hsv[3]) {
  hsv[0] = rgb[0];
  hsv[1] = rgb[1];
  hsv[2] = rgb[2];
}
void HsvToRgb(const double hsv[3], double rgb[3]) {
  rgb[0] = hsv[0];
  rgb[1] = hsv[1];
  rgb[2] = hsv[2];
}
}  // namespace flamegrid
