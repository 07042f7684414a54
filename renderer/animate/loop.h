// Loops: a genome whose animated xforms turn a full circle, so the sequence
// plays forever (flam3-genome's "rotate"/"sequence" loops).
//
// Frame k of an N-frame loop rotates the 2x2 part of every xform with
// animate != 0 by 360·k/N degrees (final xforms never turn; padding xforms
// only under log interpolation), after adding the <motion> elements'
// contributions at the same blend. Pure functions; safe from any thread.
#pragma once

#include <span>
#include <vector>

#include "renderer/animate/align.h"
#include "renderer/genome/flame.h"

namespace flamegrid {

// flam3's motion functions: periodic with period 1, zero at whole numbers.
double MotionFunctionValue(MotionFunction function, double t);

// Adds each motion element of `xform` at `blend` (0..1 over the loop) to its
// fields, clamps colour and weight, and drops the motion elements.
void ApplyMotion(Xform& xform, double blend);

// Rotates the animated xforms of `flame` by `degrees`. `tags` (may be empty)
// marks padding xforms, which turn only under log interpolation.
void RotateAnimatedXforms(Flame& flame, std::span<const XformTag> tags, double degrees,
                          InterpolationType type);

// The loop genome at `blend` (0..1): motion applied, animated xforms turned
// by blend·360°. Time and modes untouched.
Flame LoopGenomeAt(const Flame& flame, double blend);

}  // namespace flamegrid
