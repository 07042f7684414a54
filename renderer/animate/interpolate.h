// Genome interpolation with flam3_interpolate's semantics.
//
// Blends aligned genomes with weights (two for linear segments, four
// Catmull-Rom weights for "smooth" ones): each flame and xform attribute by
// the rule its entry in renderer/genome/flam3_attributes.h gives (weighted
// sums, clamped where flam3 clamps; modes held from the first genome; the
// rest reset), variation weights and parameters linearly, affines per the
// interpolation type (log: polar angle/log-magnitude per column, shorter way
// round, with the asymmetric reference angles of edges; linear/old/older:
// element-wise), palettes per the palette interpolation (hsv, hsv_circular,
// rgb, sweep). Optional stagger lets xforms change one after another.
// Pure functions; safe from any thread.
#pragma once

#include <array>
#include <span>

#include "renderer/animate/align.h"
#include "renderer/base/status.h"
#include "renderer/genome/flame.h"

namespace flamegrid {

// 3t² - 2t³: the ease-in/ease-out of edges.
double Smoother(double t);

// Catmull-Rom weights of the four control points around a segment, at t in [0, 1].
std::array<double, 4> CatmullRomWeights(double t);

// flam3's stagger: the blend weight of the first genome for xform `xform_index`
// of `xform_count` when the overall weight is `t`.
double StaggerWeight(double t, double stagger, int xform_count, int xform_index);

// Blends `points` (aligned, same xform layout) with `weights` (one per point).
// Stagger applies only to two points. The result has time 0, linear
// interpolation, and the first point's modes.
Flame BlendAligned(std::span<const AlignedFlame> points, std::span<const double> weights,
                   double stagger = 0.0);

struct InterpolateOptions {
  double stagger = 0.0;
};

// The genome at `time` in `control_points` (sorted by time), as
// flam3_interpolate computes it: linear between the two points around `time`
// (extrapolating outside), Catmull-Rom when the segment's first point says
// interpolation="smooth" and has a neighbour on each side.
Result<Flame> InterpolateControlPoints(std::span<const Flame> control_points, double time,
                                       const InterpolateOptions& options);

}  // namespace flamegrid
