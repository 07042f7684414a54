#include "tests/renderer/variations/test_util.h"

#include <gtest/gtest.h>

namespace flamegrid::testing {

Xform MakeXform(VariationId id, double weight, const Params& params, Affine2 affine) {
  Xform xform;
  xform.affine = affine;
  xform.Variation(id) = weight;
  for (const auto& [name, value] : params) {
    auto index = FindVariationParam(name);
    EXPECT_TRUE(index.has_value()) << "unknown parameter " << name;
    if (index) xform.params[*index] = value;
  }
  return xform;
}

}  // namespace flamegrid::testing
