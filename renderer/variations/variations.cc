#include "renderer/variations/variations.h"

#include "renderer/variations/formulas_blur_and_shape.h"
#include "renderer/variations/formulas_classic.h"
#include "renderer/variations/formulas_complex.h"
#include "renderer/variations/formulas_ember.h"
#include "renderer/variations/formulas_ember_more.h"
#include "renderer/variations/formulas_ember_cells.h"
#include "renderer/variations/formulas_ember_tail.h"
#include "renderer/variations/formulas_ember_last.h"
#include "renderer/variations/formulas_plugin_pack.h"

namespace flamegrid {
namespace formulas {
namespace {

// The precalc of the entries that name none.
void NoPrecalc(PreparedTerm&) {}

}  // namespace
}  // namespace formulas

namespace {

// A precalc reads the parameters, and for waves, popcorn, rings and fan the affine.
void Precalculate(void (*precalc)(PreparedTerm&), PreparedTerm& term, const Affine2&) {
  precalc(term);
}
void Precalculate(void (*precalc)(PreparedTerm&, const Affine2&), PreparedTerm& term,
                  const Affine2& affine) {
  precalc(term, affine);
}

}  // namespace

// Both switches are generated from FLAMEGRID_VARIATIONS: one case per entry.

void PrecalculateTerm(PreparedTerm& term, const Affine2& affine) {
  switch (term.id) {
#define FLAMEGRID_PRECALC_CASE(Name, xml, needs, precalc, ...) \
  case VariationId::k##Name:                                   \
    Precalculate(formulas::precalc, term, affine);             \
    return;
    FLAMEGRID_VARIATIONS(FLAMEGRID_PRECALC_CASE)
#undef FLAMEGRID_PRECALC_CASE
  }
}

Point2 EvaluateTerm(const PreparedTerm& term, const formulas::VariationInput& in, Random& rng) {
  switch (term.id) {
#define FLAMEGRID_EVALUATE_CASE(Name, ...) \
  case VariationId::k##Name:               \
    return formulas::Name(in, term, rng);
    FLAMEGRID_VARIATIONS(FLAMEGRID_EVALUATE_CASE)
#undef FLAMEGRID_EVALUATE_CASE
  }
  return {};
}

}  // namespace flamegrid
