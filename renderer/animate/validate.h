// Checks that a genome is one the animation and genetics code can work on and
// the renderer can draw: at least one xform, finite values, non-negative
// weights with a positive sum, colours in range. Pure; safe from any thread.
#pragma once

#include "renderer/base/status.h"
#include "renderer/genome/flame.h"

namespace flamegrid {

Status ValidateGenome(const Flame& flame);

}  // namespace flamegrid
