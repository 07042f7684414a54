// WriteIncrementsVector: the bulk of WriteIncrements (chaos_game.h) in SIMD.
//
// Converts whole vectors of points (the lane count of the CPU's double
// vectors, chosen at run time by Highway's dynamic dispatch) to histogram
// increments with exactly the scalar path's double arithmetic: no fused
// multiply-adds (the file is built with -ffp-contract=off) and the same
// order of operations, so the increments are identical to ToIncrements'.
// Pure function; thread-safe.
#pragma once

#include <cstddef>

#include "renderer/render/camera.h"
#include "renderer/render/chaos_game.h"

namespace flamegrid {

// Converts the first points of `points` (a multiple of the vector width) and
// returns how many it took; the increments go to `out` (room for
// points.count), their number to *written.
size_t WriteIncrementsVector(const PointArrays& points, const Camera::CellMapping& mapping,
                             const double* palette_colors, bool linear_palette, CellIncrement* out,
                             size_t* written);

}  // namespace flamegrid
