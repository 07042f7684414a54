#include "renderer/variations/prepared_xform.h"

#include <cmath>

#include "renderer/variations/formulas_common.h"
#include "renderer/variations/formulas_plugin_pack.h"
#include "renderer/variations/variations.h"

namespace flamegrid {

PreparedXform PreparedXform::Prepare(const Xform& xform) {
  PreparedXform prepared;
  prepared.affine_ = xform.affine;
  prepared.post_ = xform.post;
  prepared.has_post_ = !xform.post.IsIdentity();
  for (const VariationInfo& info : AllVariations()) {
    const double weight = xform.variations[VariationIndex(info.id)];
    if (weight == 0.0) continue;
    if (info.id == VariationId::kPreBlur) {
      prepared.pre_blur_weight_ = weight;
      continue;
    }
    PreparedTerm term{.id = info.id, .weight = weight};
    for (int j = 0; j < info.param_count; ++j) term.param[j] = xform.params[info.first_param + j];
    PrecalculateTerm(term, xform.affine);
    prepared.point_needs_ |= VariationPointNeeds(info.id);
    prepared.terms_.push_back(term);
  }
  return prepared;
}

Point2 PreparedXform::Apply(Point2 p, Random& rng) const {
  formulas::VariationInput in;
  const Point2 mapped = affine_.Apply(p);
  in.x = mapped.x;
  in.y = mapped.y;
  if (pre_blur_weight_ != 0.0) {
    const Point2 blur = formulas::PreBlurDisplacement(pre_blur_weight_, rng);
    in.x += blur.x;
    in.y += blur.y;
  }
  in.sum_squares = in.x * in.x + in.y * in.y;
  in.radius = std::sqrt(in.sum_squares);
  if (point_needs_ & kNeedsAtanXY) in.atan_xy = std::atan2(in.x, in.y);
  if (point_needs_ & kNeedsAtanYX) in.atan_yx = std::atan2(in.y, in.x);
  if (point_needs_ & kNeedsAngles) {
    in.sin_angle = in.x / in.radius;
    in.cos_angle = in.y / in.radius;
  }

  Point2 sum;
  for (const PreparedTerm& term : terms_) {
    const Point2 contribution = EvaluateTerm(term, in, rng);
    sum.x += contribution.x;
    sum.y += contribution.y;
  }
  return has_post_ ? post_.Apply(sum) : sum;
}

}  // namespace flamegrid
