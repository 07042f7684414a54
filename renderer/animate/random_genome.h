// Random genomes, as flam3-genome makes them when given nothing to start from.
//
// A few xforms with random affines (coefficients in [-1, 1)), each using one
// variation (sometimes a blend of two), random colours, a random smooth
// palette, optional rotational/dihedral symmetry, and the camera and render
// settings of a template genome when one is given.
//
// Which variations: Apophysis draws each transform's variation evenly among
// those ticked in its options (Options > Random > Variations), and
// flam3-genome evenly among its 99 less the noisy ones. By default we draw
// from every regular variation of the catalogue (FLAMEGRID_VARIATIONS, not the
// generated pre_/post_ forms), each by its weight in one table
// (RandomVariationWeights): a weight is Apophysis' tick made graded, so
// flam3's classics stay the most common, the 3D and blur ones are rarer and
// the ones that draw nothing in 2D are never drawn. Rows added to the
// catalogue later get a default weight without any edit here. Parametric
// variations get random parameters from a second table (RandomParamRanges),
// by parameter name; the others keep their defaults.
// Reproducible: the same options and Random state give the same genome.
// Tables are constant data; the functions are pure apart from the Random they
// advance; safe from any thread with a Random per thread.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "renderer/base/random.h"
#include "renderer/base/status.h"
#include "renderer/genome/flame.h"

namespace flamegrid {

// A variation's weight in random draws (by XML name, so that it may name rows
// other work adds to the catalogue later; a name not in the catalogue is
// skipped). 0: never drawn by default.
struct RandomVariationWeight {
  std::string_view name;
  double weight;
};

// A random parameter value: uniform in [low, high], whole numbers only when
// `integer`, negated half the time when `either_sign`, and left at the
// catalogue default with probability `keep_default`.
struct RandomParamRange {
  std::string_view name;  // the full attribute name, e.g. "julian_power"
  double low;
  double high;
  bool integer = false;
  bool either_sign = false;
  double keep_default = 0.0;
};

// flam3's own rows weigh 1 and later rows kRandomWeightBeyondFlam3 unless the
// table says otherwise (low enough that, with some forty rows beyond flam3's,
// flam3's classics stay the bulk of every genome). Generated pre_/post_ forms
// weigh 0: random genomes never draw them.
inline constexpr double kRandomWeightBeyondFlam3 = 0.25;
std::span<const RandomVariationWeight> RandomVariationWeights();
std::span<const RandomParamRange> RandomParamRanges();
// The weight of `id` in a default draw: its table entry, else the default above.
double RandomVariationWeightOf(VariationId id);

// Variations to draw from, each with its weight (all equal: an even draw, as
// flam3-genome and Apophysis do it).
struct VariationDraw {
  std::vector<VariationId> ids;
  std::vector<double> weights;  // parallel to ids, all > 0

  static VariationDraw Even(std::vector<VariationId> ids);
  bool empty() const { return ids.empty(); }
  VariationId Draw(Random& rng) const;
};

// The default draw: every regular catalogue row of positive weight, weighted.
VariationDraw DefaultVariationDraw();
// flam3-genome's default list, drawn evenly: its 99 less the noisy ones.
std::vector<VariationId> DefaultRandomVariations();
// The draw `variations` (evenly) asks for, else flam3-genome's list when
// `flam3_only`, else the default draw.
VariationDraw ChooseVariationDraw(const std::vector<VariationId>& variations, bool flam3_only);

struct RandomGenomeOptions {
  // Empty: the default draw (or flam3-genome's list with flam3_only);
  // otherwise these, evenly.
  std::vector<VariationId> variations;
  bool flam3_only = false;
  int xforms = 0;    // 0: 2..6 at random; else 1..kMaxRandomXforms
  int symmetry = 0;  // 0/1: none; k > 1: k-fold rotation; k < -1: k-fold with mirror
  const Flame* templ = nullptr;
};

inline constexpr int kMaxRandomXforms = 64;
inline constexpr int kMaxSymmetryOrder = 32;

Result<Flame> RandomGenome(const RandomGenomeOptions& options, Random& rng);

// One random xform drawing from `variations` (non-empty).
Xform RandomXform(const VariationDraw& variations, Random& rng);

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
