// Xform alignment: making several genomes interpolable, as flam3 does before
// it blends them.
//
// Every genome gets the same number of xforms (padded with "padding" xforms)
// and a final xform when any has one. For the log and linear interpolation
// types, a variation absent from an xform borrows its parameters from the
// neighbouring genome that uses it, and each padding xform is turned into a
// better "identity" for what it will morph into (a negated linear for
// spherical-like variations, zero-parameter rectangles/rings2/fan2/blob/
// perspective/curl/super_shape, or swapped axes for fan and rings).
// Pure functions; safe from any thread.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "renderer/genome/flame.h"

namespace flamegrid {

// Per-xform bookkeeping that interpolation needs and a Flame does not carry.
struct XformTag {
  bool padding = false;          // added by alignment
  std::array<double, 2> wind{};  // > 0: reference angle for an asymmetric rotation
};

// A genome ready to be interpolated. `tags` has one entry per xform, then one
// for the final xform when present.
struct AlignedFlame {
  Flame flame;
  std::vector<XformTag> tags;
};

// The padding xform flam3 adds at position `index` (index parity sets colour).
Xform MakePaddingXform(int index);

// Aligns `flames` (2 for edges, 4 for Catmull-Rom) as flam3_align does.
std::vector<AlignedFlame> AlignFlames(std::span<const Flame> flames);

}  // namespace flamegrid
