// PreparedXform: an Xform compiled for iteration.
//
// Built once per render (or per temporal sample) from a genome Xform: the
// active variations in a compact list with their parameters and flam3's
// per-xform precalculations (julian's root count, radial_blur's spin and zoom,
// disc2's sine and cosine, ...). Apply() maps a point through the affine, the
// pre_ forms, the weighted sum of variations, the post_ forms and the post
// affine. Immutable after Prepare(); Apply() is const and safe to call from
// many threads, each with its own Random.
//
// The pre_ and post_ forms (catalogue/variation.h) follow Fractorium's Ember,
// as its renders show (EmberRender, flam3-compatible mode, one thread, a fixed
// seed: two genomes that draw the same random numbers give identical PNGs
// exactly when they map points alike):
//   - a form's weighted formula REPLACES the point: pre_X at w beside linear
//     at 1 renders identically to X at w alone, for every variation of the
//     catalogue but the ones below (and post_X after linear at 1 likewise);
//   - the forms of the variations that read no point (blur, gaussian_blur, pie,
//     square, arch, zblur, blur3D, sineblur, blur_circle) are ADDED to it:
//     pre_X at w beside linear renders identically to X at w plus linear;
//   - pre_ forms act on the affine's output one after the other, and the
//     regular variations read what they leave (pre_curl then curl is curl of
//     pre_curl's output);
//   - post_ forms act on the regular sum, one after the other, BEFORE the
//     post affine (linear at 1, post_linear at 0.5 and post "1 0 0 1 .5 .3"
//     renders as linear at 0.5 with that post affine);
//   - an xform with no regular variation sums to the origin, whatever its
//     forms (pre_spherical alone renders as linear at 0);
//   - Ember applies several pre_ (or post_) forms in the order the XML lists
//     them (pre_spherical pre_sinusoidal renders as sinusoidal of spherical,
//     the other order as the reverse); so do we, from Xform::form_order
//     (ActiveForms). flam3's pre_blur, not a form, comes before them all.
// Our points are 2D (formulas_ember.h): a form of a 3D variation acts on x and
// y as its entry does at z = 0, and a z made by one form is lost to the next.
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
  VariationId id;  // the formula: a pre_ or post_ form's entry (BaseOf)
  double weight;
  std::array<double, kMaxParamsPerVariation> param{};      // in kVariationParams order
  std::array<double, kMaxPrecalcsPerVariation> precalc{};  // variation-specific
};

// A pre_ or post_ form, applied to the point on its own (see PreparedXform).
struct PreparedForm {
  PreparedTerm term;           // its entry's formula, its own weight and parameters
  unsigned point_needs = 0;    // PointNeeds bits of the formula
  bool adds_to_point = false;  // VariationInfo::form_adds_to_point
};

class PreparedXform {
 public:
  // Keeps the variations with a non-zero weight (negative weights count, as in
  // flam3). pre_blur is not a term: its weight is kept aside (pre_blur_weight()).
  // pre_ and post_ forms go to pre_forms() and post_forms(), in the order
  // they apply (ActiveForms).
  static PreparedXform Prepare(const Xform& xform);

  // The one scalar map of an xform: affine, pre_blur's perturbation of that
  // point, the pre_ forms one after the other, the weighted sum of the regular
  // variations (all reading the point the pre_ forms left), the post_ forms
  // one after the other on that sum, post affine.
  Point2 Apply(Point2 p, Random& rng) const;

  const Affine2& affine() const { return affine_; }
  const Affine2& post() const { return post_; }
  const std::vector<PreparedTerm>& terms() const { return terms_; }  // the regular ones
  const std::vector<PreparedForm>& pre_forms() const { return pre_forms_; }
  const std::vector<PreparedForm>& post_forms() const { return post_forms_; }
  double pre_blur_weight() const { return pre_blur_weight_; }

 private:
  Affine2 affine_;
  Affine2 post_;
  bool has_post_ = false;
  double pre_blur_weight_ = 0.0;
  unsigned point_needs_ = 0;  // PointNeeds bits of all terms
  std::vector<PreparedTerm> terms_;
  std::vector<PreparedForm> pre_forms_;
  std::vector<PreparedForm> post_forms_;
};

// flam3's badvalue() test on a mapped point: NaN or beyond +-1e10.
inline bool IsBadPoint(Point2 p) {
  return p.x != p.x || p.y != p.y || p.x > 1e10 || p.x < -1e10 || p.y > 1e10 || p.y < -1e10;
}

}  // namespace flamegrid
