// Image: a rendered picture, float RGBA, row-major, top row first.
//
// Values are display-referred in [0, 1] (flam3's tone map and gamma already
// applied) unless `linear` is set, in which case they are scene-linear and may
// exceed 1 (what EXR output stores). Alpha is straight (not premultiplied).
// A plain value type.
#pragma once

#include <cstddef>
#include <vector>

namespace flamegrid {

struct Image {
  int width = 0;
  int height = 0;
  bool linear = false;
  std::vector<float> rgba;  // width * height * 4

  Image() = default;
  Image(int w, int h) : width(w), height(h), rgba(static_cast<size_t>(w) * h * 4, 0.0f) {}

  float* Pixel(int x, int y) { return &rgba[(static_cast<size_t>(y) * width + x) * 4]; }
  const float* Pixel(int x, int y) const { return &rgba[(static_cast<size_t>(y) * width + x) * 4]; }
};

// One decoded pixel of 1 (grey), 2 (grey, alpha), 3 (rgb) or 4 (rgba)
// channels as rgba; no alpha channel means opaque.
inline void ExpandToRgba(const float* values, int channels, float rgba[4]) {
  if (channels >= 3) {
    rgba[0] = values[0], rgba[1] = values[1], rgba[2] = values[2];
  } else {
    rgba[0] = rgba[1] = rgba[2] = values[0];
  }
  rgba[3] = channels == 4 ? values[3] : (channels == 2 ? values[1] : 1.0f);
}

}  // namespace flamegrid
