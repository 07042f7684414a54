#include "renderer/animate/cross.h"

#include <vector>

#include "renderer/animate/align.h"
#include "renderer/animate/interpolate.h"
#include "renderer/animate/validate.h"

namespace flamegrid {

Result<CrossMethod> ParseCrossMethod(const std::string& name) {
  if (name == "any" || name.empty()) return CrossMethod::kAny;
  if (name == "alternate") return CrossMethod::kAlternate;
  if (name == "interpolate") return CrossMethod::kInterpolate;
  if (name == "union") return CrossMethod::kUnion;
  return Status::InvalidArgument("unknown cross method '" + name +
                                 "' (alternate, interpolate, union)");
}

Result<Flame> Cross(const Flame& a, const Flame& b, CrossMethod method, Random& rng,
                    std::string* action) {
  FG_RETURN_IF_ERROR(ValidateGenome(a).WithContext("cross, first parent"));
  FG_RETURN_IF_ERROR(ValidateGenome(b).WithContext("cross, second parent"));
  if (method == CrossMethod::kAny) {
    constexpr CrossMethod kMethods[] = {CrossMethod::kAlternate, CrossMethod::kInterpolate,
                                        CrossMethod::kUnion};
    method = kMethods[rng.Below(3)];
  }
  const Flame* parents[2] = {&a, &b};
  Flame child;
  std::string what;
  switch (method) {
    case CrossMethod::kAlternate: {
      const Flame* base = parents[rng.Below(2)];
      child = *base;
      const size_t count = std::max(a.xforms.size(), b.xforms.size());
      child.xforms.clear();
      for (size_t i = 0; i < count; ++i) {
        const Flame* from = parents[i % 2];
        if (i >= from->xforms.size()) from = parents[1 - i % 2];
        Xform xf = from->xforms[i];
        xf.chaos.clear();  // rows of different parents do not mean the same thing
        child.xforms.push_back(std::move(xf));
      }
      child.final_xform = rng.Bit() ? a.final_xform : b.final_xform;
      what = "alternate";
      break;
    }
    case CrossMethod::kInterpolate: {
      const double t = 0.2 + 0.6 * rng.Uniform01();
      const Flame pair[2] = {a, b};
      const std::vector<AlignedFlame> aligned = AlignFlames(pair);
      const double weights[2] = {1.0 - t, t};
      child = BlendAligned(aligned, weights);
      child.name = a.name;
      // Padding xforms are weightless helpers for morphing; a still genome drops them.
      std::vector<Xform> kept;
      for (size_t i = 0; i < child.xforms.size(); ++i) {
        if (child.xforms[i].weight > 0.0) kept.push_back(child.xforms[i]);
      }
      if (!kept.empty() && kept.size() != child.xforms.size()) {
        for (Xform& xf : kept) xf.chaos.clear();
        child.xforms = std::move(kept);
      }
      what = "interpolate " + std::to_string(t);
      break;
    }
    case CrossMethod::kUnion: {
      child = *parents[rng.Below(2)];
      child.xforms.clear();
      for (const Flame* p : parents) {
        for (Xform xf : p->xforms) {
          xf.weight *= 0.5;
          xf.chaos.clear();
          child.xforms.push_back(std::move(xf));
        }
      }
      what = "union";
      break;
    }
    case CrossMethod::kAny:
      break;
  }
  child.time = 0.0;
  child.extra_children_xml.clear();
  child.symmetry = 0;
  if (action) *action = "cross " + what;
  FG_RETURN_IF_ERROR(ValidateGenome(child).WithContext("cross " + what));
  return child;
}

}  // namespace flamegrid
