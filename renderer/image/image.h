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

}  // namespace flamegrid
