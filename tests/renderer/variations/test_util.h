// Helpers for the variation tests: build a one-variation Xform and map a point.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "renderer/base/random.h"
#include "renderer/catalogue/variation.h"
#include "renderer/genome/xform.h"
#include "renderer/variations/prepared_xform.h"

namespace flamegrid::testing {

using Params = std::vector<std::pair<std::string_view, double>>;

// An xform with only `id` at `weight`, the given parameters (by full XML
// name) and affine. Fails the test when a parameter name is unknown.
Xform MakeXform(VariationId id, double weight, const Params& params = {},
                Affine2 affine = Affine2::Identity());

inline Point2 ApplyOnce(const Xform& xform, Point2 p, uint64_t seed = 1) {
  Random rng(seed);
  return PreparedXform::Prepare(xform).Apply(p, rng);
}

}  // namespace flamegrid::testing
