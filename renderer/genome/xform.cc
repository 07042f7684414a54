#include "renderer/genome/xform.h"

#include <algorithm>

namespace flamegrid {

Xform::Xform() {
  for (int p = 0; p < kVariationParamCount; ++p) params[p] = kVariationParams[p].default_value;
}

double Xform::Param(VariationId id, int j) const {
  return params[GetVariationInfo(id).first_param + j];
}

double& Xform::Param(VariationId id, int j) { return params[GetVariationInfo(id).first_param + j]; }

bool Xform::operator==(const Xform& o) const {
  return weight == o.weight && color == o.color && color_speed == o.color_speed &&
         animate == o.animate && opacity == o.opacity && affine == o.affine && post == o.post &&
         chaos == o.chaos && variations == o.variations && params == o.params &&
         motion_frequency == o.motion_frequency && motion_function == o.motion_function &&
         motion == o.motion &&
         ActiveForms(*this, VariationForm::kPre) == ActiveForms(o, VariationForm::kPre) &&
         ActiveForms(*this, VariationForm::kPost) == ActiveForms(o, VariationForm::kPost);
}

std::vector<VariationId> ActiveForms(const Xform& xform, VariationForm form) {
  std::vector<VariationId> active;
  auto wanted = [&](VariationId id) {
    return FormOf(id) == form && xform.Variation(id) != 0.0 &&
           std::find(active.begin(), active.end(), id) == active.end();
  };
  for (VariationId id : xform.form_order) {
    if (wanted(id)) active.push_back(id);
  }
  const int first =
      form == VariationForm::kPre ? kRegularVariationCount : kRegularVariationCount + kPreFormCount;
  const int count = form == VariationForm::kPre ? kPreFormCount : kPostFormCount;
  for (int v = first; v < first + count; ++v) {
    if (wanted(static_cast<VariationId>(v))) active.push_back(static_cast<VariationId>(v));
  }
  return active;
}

void NoteFormListed(Xform& xform, VariationId id) {
  if (FormOf(id) == VariationForm::kRegular || xform.Variation(id) == 0.0) return;
  if (std::find(xform.form_order.begin(), xform.form_order.end(), id) != xform.form_order.end()) {
    return;
  }
  xform.form_order.push_back(id);
}

}  // namespace flamegrid
