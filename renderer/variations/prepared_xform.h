// PreparedXform: an Xform compiled for iteration.
//
// Built once per render (or per temporal sample) from a genome Xform: the
// active variations in a compact list with their parameters and flam3's
// per-xform precalculations (julian's root count, radial_blur's spin and zoom,
// disc2's sine and cosine, ...). Apply() maps a point through the affine, the
// weighted sum of variations and the post affine. Immutable after Prepare();
// Apply() is const and safe to call from many threads, each with its own Random.
//
// As in flam3, Apply() may return NaN or huge coordinates (spherical at the
// origin, tan at its poles, mobius with its default parameters...). Callers
// test the result with IsBadPoint() and restart the orbit the way flam3 does
// (a fresh random point in [-1, 1)^2, counted as a bad value).
#pragma once

#include <array>
#include <vector>

#include "renderer/base/affine.h"
#include "renderer/base/random.h"
#include "renderer/catalogue/variation.h"
#include "renderer/genome/xform.h"

namespace flamegrid {

inline constexpr int kMaxPrecalcsPerVariation = 8;

struct PreparedTerm {
  VariationId id;
  double weight;
  std::array<double, kMaxParamsPerVariation> param{};      // in kVariationParams order
  std::array<double, kMaxPrecalcsPerVariation> precalc{};  // variation-specific
};

class PreparedXform {
 public:
  // Keeps the variations with a non-zero weight (negative weights count, as in
  // flam3). pre_blur is not a term: its weight is kept aside (pre_blur_weight()).
  static PreparedXform Prepare(const Xform& xform);

  // Affine, pre_blur's perturbation of that point, the weighted sum of the
  // variations (all reading the perturbed point), post affine.
  Point2 Apply(Point2 p, Random& rng) const;

  const Affine2& affine() const { return affine_; }
  const Affine2& post() const { return post_; }
  const std::vector<PreparedTerm>& terms() const { return terms_; }
  double pre_blur_weight() const { return pre_blur_weight_; }

 private:
  Affine2 affine_;
  Affine2 post_;
  bool has_post_ = false;
  double pre_blur_weight_ = 0.0;
  unsigned point_needs_ = 0;  // PointNeeds bits of all terms
  std::vector<PreparedTerm> terms_;
};

// flam3's badvalue() test on a mapped point: NaN or beyond +-1e10.
inline bool IsBadPoint(Point2 p) {
  return p.x != p.x || p.y != p.y || p.x > 1e10 || p.x < -1e10 || p.y > 1e10 || p.y < -1e10;
}

}  // namespace flamegrid
