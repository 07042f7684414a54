// Crossover: a child genome from two parents, with flam3-genome's methods.
//
// alternate: xform i comes from parent i mod 2 (the shorter parent padded),
// the rest of the genome from a random parent; interpolate: the parents
// aligned and blended at a random point in [0.2, 0.8]; union: every xform of
// both parents, weights halved. Reproducible with the Random; safe from any
// thread with a Random per thread.
#pragma once

#include <string>

#include "renderer/base/random.h"
#include "renderer/base/status.h"
#include "renderer/genome/flame.h"

namespace flamegrid {

enum class CrossMethod { kAny, kAlternate, kInterpolate, kUnion };

Result<CrossMethod> ParseCrossMethod(const std::string& name);

Result<Flame> Cross(const Flame& a, const Flame& b, CrossMethod method, Random& rng,
                    std::string* action = nullptr);

}  // namespace flamegrid
