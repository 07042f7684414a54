// Camera: where flame space lands in the histogram, as flam3 3.1 frames it.
//
// The view is centred on `center`, pixels_per_unit * 2^zoom pixels per unit,
// rotated by `rotate` degrees about the centre, with `supersample` histogram
// cells per output pixel and a gutter of extra cells on every side so that
// the spatial filter and the density estimator never read off the edge.
// Output row 0 is the smallest y (flam3's orientation). Immutable after
// Create(); thread-safe.
#pragma once

#include <cstdint>

#include "renderer/base/affine.h"
#include "renderer/base/status.h"
#include "renderer/genome/flame.h"

namespace flamegrid {

class Camera {
 public:
  // Largest histogram side we accept: far beyond any real render, small
  // enough that cell indices fit in 32 bits when both sides are this large...
  // checked together with the cell count below.
  static constexpr int64_t kMaxSide = 1 << 20;
  static constexpr int64_t kMaxCells = int64_t{1} << 32;

  // `filter_width` is the spatial filter's width in cells; `estimator_radius`
  // the genome's density estimator radius (0: none).
  static Result<Camera> Create(const Flame& flame, int filter_width, double estimator_radius);

  // Where a flame-space point lands in the histogram: CellOf's constants,
  // shared with the vector plotter (plot_vector.h), which must do exactly
  // CellOf's arithmetic.
  struct CellMapping {
    bool rotates = false;
    double cos = 1.0, sin = 0.0, center_x = 0.0, center_y = 0.0;
    double min_x = 0.0, min_y = 0.0, max_x = 0.0, max_y = 0.0;
    double cells_per_unit_x = 1.0, cells_per_unit_y = 1.0, origin_x = 0.0, origin_y = 0.0;
    int histogram_width = 0, histogram_height = 0;
  };

  int image_width() const { return image_width_; }
  int image_height() const { return image_height_; }
  int supersample() const { return supersample_; }
  int histogram_width() const { return cells_.histogram_width; }
  int histogram_height() const { return cells_.histogram_height; }
  // Histogram cell of output pixel (0, 0)'s filter window.
  int filter_offset() const { return filter_offset_; }
  double pixels_per_unit() const { return pixels_per_unit_; }
  // Output image area in flame units squared.
  double area() const;

  // The cell a point falls in, or false when it is outside the histogram.
  bool CellOf(Point2 p, uint32_t* cell) const {
    const CellMapping& m = cells_;
    double x = p.x, y = p.y;
    if (m.rotates) {
      const double dx = x - m.center_x, dy = y - m.center_y;
      x = dx * m.cos - dy * m.sin + m.center_x;
      y = dx * m.sin + dy * m.cos + m.center_y;
    }
    if (!(x >= m.min_x && y >= m.min_y && x < m.max_x && y < m.max_y)) return false;
    const int cx = static_cast<int>(x * m.cells_per_unit_x - m.origin_x);
    const int cy = static_cast<int>(y * m.cells_per_unit_y - m.origin_y);
    if (cx >= m.histogram_width || cy >= m.histogram_height) return false;
    *cell = static_cast<uint32_t>(cy) * static_cast<uint32_t>(m.histogram_width) +
            static_cast<uint32_t>(cx);
    return true;
  }
  const CellMapping& cell_mapping() const { return cells_; }

 private:
  int image_width_ = 0, image_height_ = 0;
  int supersample_ = 1;
  int filter_offset_ = 0;
  double pixels_per_unit_ = 1.0;
  CellMapping cells_;
};

}  // namespace flamegrid
