#include "renderer/genome/xform.h"

namespace flamegrid {

Xform::Xform() {
  for (int p = 0; p < kVariationParamCount; ++p) params[p] = kVariationParams[p].default_value;
}

double Xform::Param(VariationId id, int j) const {
  return params[GetVariationInfo(id).first_param + j];
}

double& Xform::Param(VariationId id, int j) { return params[GetVariationInfo(id).first_param + j]; }

}  // namespace flamegrid
