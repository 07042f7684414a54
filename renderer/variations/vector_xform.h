// VectorXform: a PreparedXform in single precision for the SIMD iterator, and
// the vector path that maps many points through it at once.
//
// Every variation whose catalogue entry says Vector has a vector path
// (vector_formulas-inl.h), written against the scalar formulas in
// formulas_*.h, quirks included; its pre_ and post_ forms run the same path
// on the point, one form after the other, as PreparedXform::Apply does. An
// xform using any other variation (a ScalarOnly entry or a form of one) keeps
// its PreparedXform as a scalar fallback: its points go one by one through
// PreparedXform::Apply, in double, while every other xform of the flame stays
// vectorised. The SIMD target (AVX-512, AVX2, SSE4,
// NEON or scalar) is chosen at run time by Highway's dynamic dispatch;
// VectorTargetName() says which one runs.
//
// Random variations draw from per-lane streams (VectorRngState), so they
// match the scalar path in distribution, not draw for draw; the fallback's
// scalar Random is seeded from those streams. A VectorXform is immutable
// after From(); ApplyVectorXform is thread-safe given a VectorRngState per
// thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "renderer/catalogue/variation.h"
#include "renderer/variations/prepared_xform.h"
#include "renderer/variations/vector_rng.h"

namespace flamegrid {

struct VectorTerm {
  VariationId id = VariationId::kLinear;
  float weight = 0.0f;
  std::array<float, kMaxParamsPerVariation> param{};      // as PreparedTerm::param
  std::array<float, kMaxPrecalcsPerVariation> precalc{};  // as PreparedTerm::precalc
};

// A pre_ or post_ form (PreparedForm in single precision): its entry's
// formula, with its own weight and parameters, applied to the point alone.
struct VectorForm {
  VectorTerm term;             // term.id is the entry (BaseOf the form)
  unsigned point_needs = 0;    // PointNeeds bits of the formula
  bool adds_to_point = false;  // VariationInfo::form_adds_to_point
};

struct VectorXform {
  // x' = a x + c y + e, y' = b x + d y + f (flam3's order, as Affine2).
  std::array<float, 6> affine{1, 0, 0, 1, 0, 0};
  std::array<float, 6> post{1, 0, 0, 1, 0, 0};
  bool has_post = false;
  float pre_blur_weight = 0.0f;
  unsigned point_needs = 0;  // PointNeeds bits of all terms
  std::vector<VectorTerm> terms;
  std::vector<VectorForm> pre_forms;   // in PreparedXform::pre_forms() order
  std::vector<VectorForm> post_forms;  // in PreparedXform::post_forms() order
  // Set when the xform maps through the scalar path (the fields above then
  // keep their defaults).
  std::optional<PreparedXform> scalar_fallback;

  // The vector path when every term and form has a vector formula, else the
  // scalar fallback.
  static VectorXform From(const PreparedXform& prepared);
  // The scalar fallback whatever the terms (tests and benchmarks compare the
  // two paths with it).
  static VectorXform ScalarFallback(const PreparedXform& prepared);
};

// Maps points i in [0, n) through `xform`, in place: (x[i], y[i]) becomes the
// affine, pre_blur, pre_ forms, weighted variation sum, post_ forms and post
// affine of itself (on the
// scalar fallback: float(PreparedXform::Apply) of itself). A point
// that comes out bad (NaN or beyond 1e10, flam3's badvalue) is replaced by a
// uniform random point in [-1, 1)^2 and bad[i] is set to 1 (else 0). Returns
// the number of bad points. `rng` supplies the random variations and the
// restarts.
size_t ApplyVectorXform(const VectorXform& xform, float* x, float* y, uint8_t* bad, size_t n,
                        VectorRngState& rng);

// One term alone, no affine: out = the term's weighted contribution at the
// (already mapped) points; zero for a term without a vector formula. For
// tests and per-variation benchmarks.
void EvaluateVectorTerm(const VectorTerm& term, const float* x, const float* y, float* out_x,
                        float* out_y, size_t n, VectorRngState& rng);

// n uniform 32-bit values from the per-lane streams (n need not be a multiple
// of the lane count).
void FillRandomU32(uint32_t* out, size_t n, VectorRngState& rng);

// The SIMD target the dispatcher picks on this machine ("AVX3", "AVX2",
// "SSE4", "NEON", "EMU128", "SCALAR", ...). flamegrid-render
// --print-simd-target prints this.
const char* VectorTargetName();

// Float lanes per vector on that target (1 on the scalar fallback).
size_t VectorLanes();

}  // namespace flamegrid
