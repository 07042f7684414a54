// Random genomes, as flam3-genome makes them when given nothing to start from.
//
// A few xforms with random affines (coefficients in [-1, 1)), each using one
// variation from the allowed list (sometimes a blend of two), random colours,
// a random smooth palette, optional rotational/dihedral symmetry, and the
// camera and render settings of a template genome when one is given.
// Reproducible: the same options and Random state give the same genome.
// Pure functions apart from the Random they advance; safe from any thread
// with a Random per thread.
#pragma once

#include <vector>

#include "renderer/base/random.h"
#include "renderer/base/status.h"
#include "renderer/genome/flame.h"

namespace flamegrid {

struct RandomGenomeOptions {
  // Empty: every variation except the noisy ones flam3-genome leaves out by
  // default (noise, blurs, ngon, square, rays, cross, pre_blur, separation, splits).
  std::vector<VariationId> variations;
  int xforms = 0;    // 0: 2..6 at random; else 1..kMaxRandomXforms
  int symmetry = 0;  // 0/1: none; k > 1: k-fold rotation; k < -1: k-fold with mirror
  const Flame* templ = nullptr;
};

inline constexpr int kMaxRandomXforms = 64;
inline constexpr int kMaxSymmetryOrder = 32;

// flam3-genome's default variation list.
std::vector<VariationId> DefaultRandomVariations();

Result<Flame> RandomGenome(const RandomGenomeOptions& options, Random& rng);

// One random xform using `variations` (non-empty).
Xform RandomXform(const std::vector<VariationId>& variations, Random& rng);

// A smooth random palette: a few random HSV anchors blended round the index.
Palette RandomPalette(Random& rng);

// Adds symmetry xforms (animate 0, so loops leave them still): for order k > 1,
// k-1 rotations by 360/k; for k < -1, a mirror and the rotations.
Status AddSymmetry(Flame& flame, int order);

// Takes size (keeping the field of view), quality, supersample, filters,
// temporal settings, density estimation, gamma threshold and background from
// `templ`; the fractal itself is untouched.
void ApplyTemplate(Flame& flame, const Flame& templ);

}  // namespace flamegrid
