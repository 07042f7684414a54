// PreparedXform: an Xform compiled for iteration.
//
// Built once per render (or per temporal sample) from a genome Xform: the
// active variations in a compact list with their parameters and flam3's
// per-xform precalculations (julian's root count, radial_blur's spin and zoom,
// disc2's sine and cosine, ...). Apply() maps a point through the affine, the
// weighted sum of variations and the post affine. Immutable after Prepare();
// Apply() is const and safe to call from many threads, each with its own Random.
#pragma once

#include <array>
#include <vector>

#include "renderer/base/random.h"
#include "renderer/genome/affine.h"
#include "renderer/genome/xform.h"
#include "renderer/variations/variation.h"

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
  static PreparedXform Prepare(const Xform& xform);

  // Affine, variations (pre_blur first, as flam3), post affine.
  Point2 Apply(Point2 p, Random& rng) const;

  const Affine2& affine() const { return affine_; }
  const Affine2& post() const { return post_; }
  const std::vector<PreparedTerm>& terms() const { return terms_; }

 private:
  Affine2 affine_;
  Affine2 post_;
  bool has_post_ = false;
  std::vector<PreparedTerm> terms_;
};

}  // namespace flamegrid
