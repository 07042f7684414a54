#include "renderer/render/camera.h"

#include <cmath>
#include <numbers>
#include <string>

namespace flamegrid {

double Camera::area() const {
  return static_cast<double>(image_width_) * image_height_ / (pixels_per_unit_ * pixels_per_unit_);
}

Result<Camera> Camera::Create(const Flame& flame, int filter_width, double estimator_radius) {
  if (flame.width <= 0 || flame.height <= 0) {
    return Status::InvalidArgument("image size " + std::to_string(flame.width) + "x" +
                                   std::to_string(flame.height) + " is not a valid size");
  }
  if (flame.supersample < 1 || flame.supersample > 64) {
    return Status::InvalidArgument("supersample must be in 1..64, not " +
                                   std::to_string(flame.supersample));
  }
  if (!std::isfinite(flame.center_x) || !std::isfinite(flame.center_y) ||
      !std::isfinite(flame.rotate) || !std::isfinite(flame.zoom) ||
      !std::isfinite(flame.pixels_per_unit)) {
    return Status::InvalidArgument("center, scale, zoom and rotate must be finite");
  }
  const double ppu = flame.pixels_per_unit * std::pow(2.0, flame.zoom);
  if (!(ppu > 0.0) || !std::isfinite(ppu)) {
    return Status::InvalidArgument("scale * 2^zoom must be positive and finite, not " +
                                   std::to_string(ppu));
  }
  if (!std::isfinite(estimator_radius) || estimator_radius < 0.0 || estimator_radius > 1e4) {
    return Status::InvalidArgument("estimator_radius must be in 0..10000, not " +
                                   std::to_string(estimator_radius));
  }

  Camera cam;
  cam.image_width_ = flame.width;
  cam.image_height_ = flame.height;
  const int ss = flame.supersample;
  cam.supersample_ = ss;
  cam.pixels_per_unit_ = ppu;

  // The spatial filter reaches (width - ss) / 2 cells past the image; the
  // density estimator its radius (plus the ss x ss averaging window).
  int gutter = (filter_width - ss) / 2;
  int estimator_reach = static_cast<int>(std::ceil(estimator_radius)) * ss;
  if (estimator_reach > 0) estimator_reach += ss - 1;
  cam.filter_offset_ = 0;
  if (estimator_reach > gutter) {
    cam.filter_offset_ = estimator_reach - gutter;
    gutter = estimator_reach;
  }
  const int64_t hist_w = int64_t{ss} * flame.width + 2 * int64_t{gutter};
  const int64_t hist_h = int64_t{ss} * flame.height + 2 * int64_t{gutter};
  if (hist_w > kMaxSide || hist_h > kMaxSide || hist_w * hist_h >= kMaxCells) {
    return Status::ResourceExhausted("histogram of " + std::to_string(hist_w) + "x" +
                                     std::to_string(hist_h) + " cells is too large");
  }
  CellMapping& m = cam.cells_;
  m.histogram_width = static_cast<int>(hist_w);
  m.histogram_height = static_cast<int>(hist_h);

  const double gutter_units = gutter / (ss * ppu);
  const double corner_x = flame.center_x - flame.width / ppu / 2.0;
  const double corner_y = flame.center_y - flame.height / ppu / 2.0;
  m.min_x = corner_x - gutter_units;
  m.min_y = corner_y - gutter_units;
  m.max_x = corner_x + flame.width / ppu + gutter_units;
  m.max_y = corner_y + flame.height / ppu + gutter_units;
  m.cells_per_unit_x = m.histogram_width / (m.max_x - m.min_x);
  m.cells_per_unit_y = m.histogram_height / (m.max_y - m.min_y);
  m.origin_x = m.cells_per_unit_x * m.min_x;
  m.origin_y = m.cells_per_unit_y * m.min_y;

  m.center_x = flame.center_x;
  m.center_y = flame.center_y;
  m.rotates = flame.rotate != 0.0;
  const double theta = flame.rotate * std::numbers::pi / 180.0;
  m.cos = std::cos(theta);
  m.sin = std::sin(theta);
  return cam;
}

}  // namespace flamegrid
