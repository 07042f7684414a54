#include "renderer/variations/prepared_xform.h"

#include <cmath>

#include "renderer/variations/formulas_common.h"
#include "renderer/variations/formulas_plugin_pack.h"
#include "renderer/variations/variations.h"

namespace flamegrid {
namespace {

// The per-point values a formula reads at `p` (only the `needs` ones besides
// the radius).
formulas::VariationInput InputAt(Point2 p, unsigned needs) {
  formulas::VariationInput in;
  in.x = p.x;
  in.y = p.y;
  in.sum_squares = in.x * in.x + in.y * in.y;
  in.radius = std::sqrt(in.sum_squares);
  if (needs & kNeedsAtanXY) in.atan_xy = std::atan2(in.x, in.y);
  if (needs & kNeedsAtanYX) in.atan_yx = std::atan2(in.y, in.x);
  if (needs & kNeedsAngles) {
    in.sin_angle = in.x / in.radius;
    in.cos_angle = in.y / in.radius;
  }
  return in;
}

// A pre_ or post_ form at `p`: its weighted formula replaces the point, or,
// for the forms that read no point, is added to it.
Point2 ApplyForm(const PreparedForm& form, Point2 p, Random& rng) {
  const Point2 out = EvaluateTerm(form.term, InputAt(p, form.point_needs), rng);
  if (!form.adds_to_point) return out;
  return {p.x + out.x, p.y + out.y};
}

}  // namespace

PreparedXform PreparedXform::Prepare(const Xform& xform) {
  PreparedXform prepared;
  prepared.affine_ = xform.affine;
  prepared.post_ = xform.post;
  prepared.has_post_ = !xform.post.IsIdentity();
  // A form runs its entry's formula (and precalculation) on its own parameters.
  auto term_of = [&](const VariationInfo& info) {
    PreparedTerm term{.id = info.base, .weight = xform.variations[VariationIndex(info.id)]};
    for (int j = 0; j < info.param_count; ++j) term.param[j] = xform.params[info.first_param + j];
    PrecalculateTerm(term, xform.affine);
    return term;
  };
  for (const VariationInfo& info : AllVariations()) {
    if (info.form != VariationForm::kRegular) break;  // the forms come after the entries
    const double weight = xform.variations[VariationIndex(info.id)];
    if (weight == 0.0) continue;
    if (info.id == VariationId::kPreBlur) {
      prepared.pre_blur_weight_ = weight;
      continue;
    }
    prepared.point_needs_ |= info.point_needs;
    prepared.terms_.push_back(term_of(info));
  }
  for (VariationForm kind : {VariationForm::kPre, VariationForm::kPost}) {
    auto& forms = kind == VariationForm::kPre ? prepared.pre_forms_ : prepared.post_forms_;
    for (VariationId id : ActiveForms(xform, kind)) {
      const VariationInfo& info = GetVariationInfo(id);
      forms.push_back({.term = term_of(info),
                       .point_needs = info.point_needs,
                       .adds_to_point = info.form_adds_to_point});
    }
  }
  return prepared;
}

Point2 PreparedXform::Apply(Point2 p, Random& rng) const {
  Point2 point = affine_.Apply(p);
  if (pre_blur_weight_ != 0.0) {
    const Point2 blur = formulas::PreBlurDisplacement(pre_blur_weight_, rng);
    point.x += blur.x;
    point.y += blur.y;
  }
  for (const PreparedForm& form : pre_forms_) point = ApplyForm(form, point, rng);

  const formulas::VariationInput in = InputAt(point, point_needs_);
  Point2 sum;
  for (const PreparedTerm& term : terms_) {
    const Point2 contribution = EvaluateTerm(term, in, rng);
    sum.x += contribution.x;
    sum.y += contribution.y;
  }
  for (const PreparedForm& form : post_forms_) sum = ApplyForm(form, sum, rng);
  return has_post_ ? post_.Apply(sum) : sum;
}

}  // namespace flamegrid
