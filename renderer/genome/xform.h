// Xform: one function of a flame's iterated function system.
//
// Dense by design, as flam3's own: every variation has a weight (zero when
// unused) and every variation parameter a value (its default when unused).
// That keeps interpolation, mutation and crossover simple element-wise
// arithmetic. The renderer compiles an Xform into a compact list of active
// terms before iterating (see render/prepared_flame.h). A plain value type.
#pragma once

#include <array>
#include <vector>

#include "renderer/base/affine.h"
#include "renderer/catalogue/variation.h"

namespace flamegrid {

// flam3 <motion> elements modulate an xform over a loop.
enum class MotionFunction { kSin = 1, kTriangle = 2, kHill = 3 };

struct Xform {
  Xform();  // weights zero, parameters at flam3's defaults, identity affines

  double weight = 0.0;       // "weight": relative probability of being chosen
  double color = 0.0;        // "color": palette coordinate blended into the point
  double color_speed = 0.5;  // "color_speed" (legacy "symmetry" s: (1 - s) / 2)
  double animate = 1.0;      // "animate": > 0 rotates in loops (legacy symmetry > 0 → 0)
  double opacity = 1.0;      // "opacity": 0 invisible ... 1 fully plotted
  Affine2 affine;            // "coefs"
  Affine2 post;              // "post"; identity when absent
  // "chaos": multiplier on the weight of the next xform, per xform index.
  // Empty means all 1 (no xaos); shorter than the xform count pads with 1.
  std::vector<double> chaos;

  std::array<double, kVariationCount> variations{};   // weight per VariationId
  std::array<double, kVariationParamCount> params{};  // by kVariationParams index
  // The pre_ and post_ forms in the order the file listed them: Ember applies
  // an xform's forms one after the other in that order (pre_spherical then
  // pre_sinusoidal is not pre_sinusoidal then pre_spherical), and the dense
  // weights keep no order. ActiveForms() says how the rest are placed.
  std::vector<VariationId> form_order;

  // Motion (loops): each element holds deltas in the same fields; weight etc.
  // of a motion element are amplitudes. Only flam3's motion semantics read these.
  int motion_frequency = 0;
  MotionFunction motion_function = MotionFunction::kSin;
  std::vector<Xform> motion;

  double Variation(VariationId id) const { return variations[static_cast<int>(id)]; }
  double& Variation(VariationId id) { return variations[static_cast<int>(id)]; }
  // The j-th parameter of variation `id` (in kVariationParams order).
  double Param(VariationId id, int j) const;
  double& Param(VariationId id, int j);

  // Every field alike, form_order by the order it gives (ActiveForms): an
  // xform made by code with no order equals the one its XML reads back as.
  bool operator==(const Xform&) const;
};

// The forms of `form` (kPre or kPost) with a non-zero weight, in the order
// they apply: the ones in form_order as listed there, then any others (a
// weight set by code, not read from a file) in id order.
std::vector<VariationId> ActiveForms(const Xform& xform, VariationForm form);

// Appends `id` to form_order when it is a form with a non-zero weight not
// listed yet (what a reader calls as it meets each variation).
void NoteFormListed(Xform& xform, VariationId id);

}  // namespace flamegrid
