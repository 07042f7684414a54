// Mutation: a child genome that differs from its parent in one way, chosen
// among flam3-genome's methods (new variations, one xform's coefficients, add
// symmetry, post affines, palette, delete an xform, all coefficients).
// Reproducible with the Random; pure otherwise; safe from any thread with a
// Random per thread.
#pragma once

#include <string>
#include <vector>

#include "renderer/base/random.h"
#include "renderer/base/status.h"
#include "renderer/genome/flame.h"

namespace flamegrid {

enum class MutationMethod {
  kAny,  // one of the below, at random
  kAllVariations,
  kOneXformCoefs,
  kAddSymmetry,
  kPostXforms,
  kColorPalette,
  kDeleteXform,
  kAllCoefs,
};

struct MutateOptions {
  MutationMethod method = MutationMethod::kAny;
  // For kAllVariations: these, evenly; empty: the default draw of
  // random_genome.h (every regular variation, weighted), or flam3-genome's
  // list with flam3_only.
  std::vector<VariationId> variations;
  bool flam3_only = false;
  double speed = 0.1;  // size of coefficient changes for kAllCoefs
};

// "all_vars", "one_xform", "add_symmetry", "post_xforms", "color_palette",
// "delete_xform", "all_coefs" (flam3-genome's names), or "any".
Result<MutationMethod> ParseMutationMethod(const std::string& name);

// `action` (optional) receives a short description, e.g. "mutate one_xform 2".
Result<Flame> Mutate(const Flame& parent, const MutateOptions& options, Random& rng,
                     std::string* action = nullptr);

}  // namespace flamegrid
