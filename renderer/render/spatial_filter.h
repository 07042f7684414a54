// SpatialFilter: the square kernel that resamples the supersampled histogram
// down to output pixels, as flam3 3.1 builds it.
//
// A closed set of the 14 flam3 shapes (no virtual calls): each has flam3's
// support (its half-width at radius 1), and the kernel is sampled at the
// centres of a width x width grid of histogram cells, then normalised so its
// weights sum to 1. The width has the parity of the supersample so that the
// kernel centres on an output pixel. Immutable after Create(); thread-safe.
#pragma once

#include <vector>

#include "renderer/base/status.h"
#include "renderer/genome/flame.h"

namespace flamegrid {

// flam3's support of `shape`: the filter is zero beyond this |x| at radius 1.
double FilterSupport(FilterShape shape);
// The 1-D filter function of `shape` at x (unnormalised, flam3's definitions).
double FilterValue(FilterShape shape, double x);

class SpatialFilter {
 public:
  // Widest kernel we build; beyond it a genome's "filter" is treated as absurd.
  static constexpr int kMaxWidth = 1024;

  // `radius` is the genome's "filter" (in output pixels), `supersample` its
  // supersample. Fails on non-finite or negative radius, an over-wide kernel,
  // or weights that sum to zero.
  static Result<SpatialFilter> Create(FilterShape shape, double radius, int supersample);

  int width() const { return width_; }
  // Weight of histogram cell (dx, dy) of the kernel's width x width window.
  double Weight(int dx, int dy) const { return weights_[dy * width_ + dx]; }
  const std::vector<double>& weights() const { return weights_; }
  // The kernel is separable: Weight(dx, dy) == taps()[dx] * taps()[dy] up to
  // rounding, and the taps sum to 1.
  const std::vector<double>& taps() const { return taps_; }

 private:
  int width_ = 0;
  std::vector<double> weights_;
  std::vector<double> taps_;
};

}  // namespace flamegrid
