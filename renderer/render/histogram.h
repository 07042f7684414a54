// Histogram: the supersampled grid of cells the chaos game plots into.
//
// Each cell sums, in integers, the palette colour of every point that landed
// in it (0..255 per hit, flam3's white level, times the point's opacity and
// the temporal weight) and its density (255 per hit, times opacity). Integer
// sums do not depend on the order of the additions, so the histogram is the
// same whatever thread plotted which point; adds saturate instead of wrapping,
// and a saturating sum of non-negative terms is order-independent too.
// Not thread-safe: callers serialise Plot() on one histogram.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include "renderer/render/zeroed_array.h"

namespace flamegrid {

// flam3's WHITE_LEVEL: one full-colour, fully opaque hit adds this much.
inline constexpr double kWhiteLevel = 255.0;

struct HistogramCell {
  uint32_t color[4] = {0, 0, 0, 0};  // r, g, b, a
  uint32_t density = 0;
};

// One plotted point's contribution, ready to add.
struct CellIncrement {
  uint32_t cell;  // index into Histogram::cells
  uint32_t color[4];
  uint32_t density;
};

inline uint32_t SaturatingAdd(uint32_t a, uint32_t b) {
  uint32_t sum;
  if (__builtin_add_overflow(a, b, &sum)) return std::numeric_limits<uint32_t>::max();
  return sum;
}

class Histogram {
 public:
  Histogram(int width, int height)
      : width_(width), height_(height), cells_(static_cast<size_t>(width) * height) {}

  int width() const { return width_; }
  int height() const { return height_; }
  const HistogramCell& at(int x, int y) const {
    return cells_[static_cast<size_t>(y) * width_ + x];
  }
  std::span<const HistogramCell> cells() const { return cells_.span(); }

  void Add(const CellIncrement& inc) {
    HistogramCell& cell = cells_[inc.cell];
    for (int c = 0; c < 4; ++c) cell.color[c] = SaturatingAdd(cell.color[c], inc.color[c]);
    cell.density = SaturatingAdd(cell.density, inc.density);
  }

  // Frees the cells (after density estimation, before the output image exists).
  void Release() { cells_.Release(); }

 private:
  int width_;
  int height_;
  ZeroedArray<HistogramCell> cells_;  // calloc'd: zero pages, first touched by the plotters
};

}  // namespace flamegrid
