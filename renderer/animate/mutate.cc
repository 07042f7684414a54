#include "renderer/animate/mutate.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "renderer/animate/random_genome.h"
#include "renderer/animate/validate.h"
#include "renderer/animate/xform_fields.h"

namespace flamegrid {
namespace {

constexpr MutationMethod kConcreteMethods[] = {
    MutationMethod::kAllVariations, MutationMethod::kOneXformCoefs, MutationMethod::kAddSymmetry,
    MutationMethod::kPostXforms,    MutationMethod::kColorPalette,  MutationMethod::kDeleteXform,
    MutationMethod::kAllCoefs};

// A random rotation-and-scale post affine, small enough to stay recognisable.
Affine2 RandomPost(Random& rng) {
  const double theta = rng.UniformSigned() * std::numbers::pi / 4.0;
  const double scale = 1.0 + 0.2 * rng.UniformSigned();
  const double cs = scale * std::cos(theta), sn = scale * std::sin(theta);
  return Affine2{cs, sn, -sn, cs, 0.2 * rng.UniformSigned(), 0.2 * rng.UniformSigned()};
}

}  // namespace

Result<MutationMethod> ParseMutationMethod(const std::string& name) {
  if (name == "any" || name.empty()) return MutationMethod::kAny;
  if (name == "all_vars") return MutationMethod::kAllVariations;
  if (name == "one_xform") return MutationMethod::kOneXformCoefs;
  if (name == "add_symmetry") return MutationMethod::kAddSymmetry;
  if (name == "post_xforms") return MutationMethod::kPostXforms;
  if (name == "color_palette") return MutationMethod::kColorPalette;
  if (name == "delete_xform") return MutationMethod::kDeleteXform;
  if (name == "all_coefs") return MutationMethod::kAllCoefs;
  return Status::InvalidArgument("unknown mutation method '" + name +
                                 "' (all_vars, one_xform, add_symmetry, post_xforms, "
                                 "color_palette, delete_xform, all_coefs)");
}

Result<Flame> Mutate(const Flame& parent, const MutateOptions& options, Random& rng,
                     std::string* action) {
  FG_RETURN_IF_ERROR(ValidateGenome(parent).WithContext("mutate"));
  MutationMethod method = options.method;
  if (method == MutationMethod::kAny) {
    method = kConcreteMethods[rng.Below(std::size(kConcreteMethods))];
  }
  // Deleting the only xform would leave nothing to draw; change its coefficients instead.
  if (method == MutationMethod::kDeleteXform && parent.xforms.size() < 2) {
    method = MutationMethod::kOneXformCoefs;
  }
  const VariationDraw variations = ChooseVariationDraw(options.variations, options.flam3_only);
  Flame child = parent;
  child.extra_children_xml.clear();
  const uint32_t n = static_cast<uint32_t>(child.xforms.size());
  std::string what;
  switch (method) {
    case MutationMethod::kAllVariations:
      // Same geometry, new variations.
      for (Xform& xf : child.xforms) {
        const Xform fresh = RandomXform(variations, rng);
        xf.variations = fresh.variations;
        xf.params = fresh.params;
      }
      what = "all_vars";
      break;
    case MutationMethod::kOneXformCoefs: {
      const uint32_t i = rng.Below(n);
      Affine2& m = child.xforms[i].affine;
      for (double* c : animate_internal::AffineCoefficients(m)) *c = rng.UniformSigned();
      what = "one_xform " + std::to_string(i);
      break;
    }
    case MutationMethod::kAddSymmetry: {
      const int orders[] = {2, 3, 4, 5, 6, -2, -3, -4};
      const int order = orders[rng.Below(std::size(orders))];
      FG_RETURN_IF_ERROR(AddSymmetry(child, order));
      what = "add_symmetry " + std::to_string(order);
      break;
    }
    case MutationMethod::kPostXforms:
      for (Xform& xf : child.xforms) {
        if (rng.Bit()) xf.post = RandomPost(rng);
      }
      what = "post_xforms";
      break;
    case MutationMethod::kColorPalette:
      child.palette = RandomPalette(rng);
      child.palette_index = -1;
      for (Xform& xf : child.xforms) xf.color = rng.Uniform01();
      what = "color_palette";
      break;
    case MutationMethod::kDeleteXform: {
      const uint32_t i = rng.Below(n);
      child.xforms.erase(child.xforms.begin() + i);
      for (Xform& xf : child.xforms) {
        if (i < xf.chaos.size()) xf.chaos.erase(xf.chaos.begin() + i);
      }
      what = "delete_xform " + std::to_string(i);
      break;
    }
    case MutationMethod::kAllCoefs:
      for (Xform& xf : child.xforms) {
        for (double* c : animate_internal::AffineCoefficients(xf.affine)) {
          *c += options.speed * rng.UniformSigned();
        }
      }
      what = "all_coefs";
      break;
    case MutationMethod::kAny:
      break;
  }
  // A mutation that leaves no weight (all deleted or zero) is no genome; keep one.
  double total = 0.0;
  for (const Xform& xf : child.xforms) total += xf.weight;
  if (!(total > 0.0)) child.xforms[0].weight = 1.0;
  if (action) *action = "mutate " + what;
  FG_RETURN_IF_ERROR(ValidateGenome(child).WithContext("mutate " + what));
  return child;
}

}  // namespace flamegrid
