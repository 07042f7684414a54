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

#include "renderer/base/status.h"
#include "renderer/genome/affine.h"
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

  int image_width() const { return image_width_; }
  int image_height() const { return image_height_; }
  int supersample() const { return supersample_; }
  int histogram_width() const { return histogram_width_; }
  int histogram_height() const { return histogram_height_; }
  // Histogram cell of output pixel (0, 0)'s filter window.
  int filter_offset() const { return filter_offset_; }
  double pixels_per_unit() const { return pixels_per_unit_; }
  // Output image area in flame units squared.
  double area() const;

  // The cell a point falls in, or false when it is outside the histogram.
  bool CellOf(Point2 p, uint32_t* cell) const {
    double x = p.x, y = p.y;
    if (rotates_) {
      const double dx = x - center_.x, dy = y - center_.y;
      x = dx * cos_ - dy * sin_ + center_.x;
      y = dx * sin_ + dy * cos_ + center_.y;
    }
    if (!(x >= min_.x && y >= min_.y && x < max_.x && y < max_.y)) return false;
    const int cx = static_cast<int>(x * cells_per_unit_x_ - origin_x_);
    const int cy = static_cast<int>(y * cells_per_unit_y_ - origin_y_);
    if (cx >= histogram_width_ || cy >= histogram_height_) return false;
    *cell = static_cast<uint32_t>(cy) * static_cast<uint32_t>(histogram_width_) +
            static_cast<uint32_t>(cx);
    return true;
  }

  // CellOf's constants, for the vector plotter (plot_vector.h), which must
  // do exactly CellOf's arithmetic.
  struct CellMapping {
    bool rotates;
    double cos, sin, center_x, center_y;
    double min_x, min_y, max_x, max_y;
    double cells_per_unit_x, cells_per_unit_y, origin_x, origin_y;
    int histogram_width, histogram_height;
  };
  CellMapping cell_mapping() const {
    return {rotates_,
            cos_,
            sin_,
            center_.x,
            center_.y,
            min_.x,
            min_.y,
            max_.x,
            max_.y,
            cells_per_unit_x_,
            cells_per_unit_y_,
            origin_x_,
            origin_y_,
            histogram_width_,
            histogram_height_};
  }

 private:
  int image_width_ = 0, image_height_ = 0;
  int supersample_ = 1;
  int histogram_width_ = 0, histogram_height_ = 0;
  int filter_offset_ = 0;
  double pixels_per_unit_ = 1.0;
  Point2 center_;
  bool rotates_ = false;
  double cos_ = 1.0, sin_ = 0.0;
  Point2 min_, max_;
  double cells_per_unit_x_ = 1.0, cells_per_unit_y_ = 1.0;
  double origin_x_ = 0.0, origin_y_ = 0.0;
};

}  // namespace flamegrid
