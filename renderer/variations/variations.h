// The dispatch over the closed set of variations: per-term precalculation
// and per-point evaluation, each a `switch` on VariationId generated from the
// catalogue's FLAMEGRID_VARIATIONS list (no virtual calls).
//
// Used by PreparedXform; exposed for tests and a later vector path. Pure
// functions (thread-safe; the Random belongs to the calling thread).
#pragma once

#include "renderer/base/affine.h"
#include "renderer/base/random.h"
#include "renderer/catalogue/variation.h"
#include "renderer/variations/formulas_common.h"
#include "renderer/variations/prepared_xform.h"

namespace flamegrid {

// Fills term.precalc from term.param (and, for waves, popcorn, rings and fan,
// from the xform's affine, which those variations read).
void PrecalculateTerm(PreparedTerm& term, const Affine2& affine);

// The term's weighted contribution at `in`. pre_blur contributes nothing here:
// PreparedXform applies it to the input point first. (Which per-point values a
// term needs is the catalogue's VariationPointNeeds.)
Point2 EvaluateTerm(const PreparedTerm& term, const formulas::VariationInput& in, Random& rng);

}  // namespace flamegrid
