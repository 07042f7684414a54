#include "renderer/animate/align.h"

#include <algorithm>

namespace flamegrid {
namespace {

using V = VariationId;

bool AnyPositive(const Xform& xf, std::initializer_list<V> ids) {
  return std::any_of(ids.begin(), ids.end(), [&](V id) { return xf.Variation(id) > 0.0; });
}

// The first variation with parameters: flam3 only borrows parameters for these.
constexpr int kFirstParametricVariation = static_cast<int>(V::kBlob);

// Pads `flame` to `standard_count` xforms and a final xform when `want_final`.
AlignedFlame PadFlame(const Flame& flame, size_t standard_count, bool want_final) {
  AlignedFlame out;
  out.flame = flame;
  Flame& f = out.flame;
  out.tags.assign(standard_count, XformTag{});
  for (size_t i = f.xforms.size(); i < standard_count; ++i) {
    f.xforms.push_back(MakePaddingXform(static_cast<int>(i)));
    out.tags[i].padding = true;
  }
  // Existing chaos rows reach the new xforms with weight 1.
  for (Xform& xf : f.xforms) {
    if (!xf.chaos.empty()) xf.chaos.resize(standard_count, 1.0);
  }
  if (want_final) {
    XformTag final_tag;
    if (!f.final_xform) {
      Xform pad = MakePaddingXform(static_cast<int>(standard_count));
      // Interpolated-against final xforms neither rotate nor shift colour.
      pad.animate = 0.0;
      pad.color_speed = 0.0;
      f.final_xform = pad;
      final_tag.padding = true;
    }
    out.tags.push_back(final_tag);
  }
  return out;
}

void CopyVariationParams(Xform& dst, const Xform& src, int variation) {
  const VariationInfo& info = GetVariationInfo(static_cast<VariationId>(variation));
  for (int j = 0; j < info.param_count; ++j) {
    // flam3 copies flower_petals twice and never flower_holes; keep its result.
    if (info.id == V::kFlower && j == 1) continue;
    dst.params[info.first_param + j] = src.params[info.first_param + j];
  }
}

Xform& XformAt(Flame& f, size_t index) {
  return index < f.xforms.size() ? f.xforms[index] : *f.final_xform;
}

// flam3's choice of a better identity for padding xform `xi` of genome `gi`.
void ChoosePaddingIdentity(std::vector<AlignedFlame>& dst, size_t gi, size_t xi) {
  Xform& pad = XformAt(dst[gi].flame, xi);
  pad.Variation(V::kLinear) = 0.0;
  int found = 0;
  auto for_each_neighbour = [&](auto&& fn) {
    for (int delta : {-1, 1}) {
      const long ni = static_cast<long>(gi) + delta;
      if (ni < 0 || ni >= static_cast<long>(dst.size())) continue;
      if (dst[ni].tags[xi].padding) continue;
      fn(XformAt(dst[ni].flame, xi));
    }
  };

  const bool log_type = (gi == 0 && dst[gi].flame.interpolation_type == InterpolationType::kLog) ||
                        (gi > 0 && dst[gi - 1].flame.interpolation_type == InterpolationType::kLog);
  if (log_type) {
    // Holes (spherical, ngon, julian...) morph best from a 180° turned identity.
    for_each_neighbour([&](const Xform& other) {
      if (AnyPositive(other, {V::kSpherical, V::kNgon, V::kJulian, V::kJuliascope, V::kPolar,
                              V::kWedgeSph, V::kWedgeJulia})) {
        pad.Variation(V::kLinear) = -1.0;
        pad.affine = Affine2{-1.0, 0.0, 0.0, -1.0, 0.0, 0.0};
        found = -1;
      }
    });
  }

  if (found == 0) {
    for_each_neighbour([&](const Xform& other) {
      if (other.Variation(V::kRectangles) > 0) {
        pad.Variation(V::kRectangles) = 1.0;
        pad.Param(V::kRectangles, 0) = 0.0;
        pad.Param(V::kRectangles, 1) = 0.0;
        ++found;
      }
      if (other.Variation(V::kRings2) > 0) {
        pad.Variation(V::kRings2) = 1.0;
        pad.Param(V::kRings2, 0) = 0.0;
        ++found;
      }
      if (other.Variation(V::kFan2) > 0) {
        pad.Variation(V::kFan2) = 1.0;
        pad.Param(V::kFan2, 0) = 0.0;
        pad.Param(V::kFan2, 1) = 0.0;
        ++found;
      }
      if (other.Variation(V::kBlob) > 0) {
        pad.Variation(V::kBlob) = 1.0;
        for (int j = 0; j < 3; ++j) pad.Param(V::kBlob, j) = 1.0;
        ++found;
      }
      if (other.Variation(V::kPerspective) > 0) {
        pad.Variation(V::kPerspective) = 1.0;
        pad.Param(V::kPerspective, 0) = 0.0;  // the distance is kept
        ++found;
      }
      if (other.Variation(V::kCurl) > 0) {
        pad.Variation(V::kCurl) = 1.0;
        pad.Param(V::kCurl, 0) = 0.0;
        pad.Param(V::kCurl, 1) = 0.0;
        ++found;
      }
      if (other.Variation(V::kSuperShape) > 0) {
        pad.Variation(V::kSuperShape) = 1.0;
        // rnd, m, n1, n2, n3, holes: m is kept.
        pad.Param(V::kSuperShape, 0) = 0.0;
        pad.Param(V::kSuperShape, 2) = 2.0;
        pad.Param(V::kSuperShape, 3) = 2.0;
        pad.Param(V::kSuperShape, 4) = 2.0;
        pad.Param(V::kSuperShape, 5) = 0.0;
        ++found;
      }
    });
  }

  if (found == 0) {
    for_each_neighbour([&](const Xform& other) {
      if (other.Variation(V::kFan) > 0) {
        pad.Variation(V::kFan) = 1.0;
        ++found;
      }
      if (other.Variation(V::kRings) > 0) {
        pad.Variation(V::kRings) = 1.0;
        ++found;
      }
    });
    if (found > 0) pad.affine = Affine2{0.0, 1.0, 1.0, 0.0, 0.0, 0.0};
  }

  if (found == 0) {
    pad.Variation(V::kLinear) = 1.0;
  } else if (found > 0) {
    double total = 0.0;
    for (double w : pad.variations) total += w;
    for (double& w : pad.variations) w /= total;
  }
}

}  // namespace

Xform MakePaddingXform(int index) {
  Xform xf;
  xf.weight = 0.0;
  xf.color = static_cast<double>(index & 1);
  xf.color_speed = 0.5;
  xf.animate = 1.0;
  xf.opacity = 1.0;
  xf.Variation(VariationId::kLinear) = 1.0;
  return xf;
}

std::vector<AlignedFlame> AlignFlames(std::span<const Flame> flames) {
  std::vector<AlignedFlame> dst;
  if (flames.empty()) return dst;

  size_t max_standard = flames[0].xforms.size();
  bool any_final = flames[0].final_xform.has_value();
  bool already_aligned = true;
  for (const Flame& f : flames.subspan(1)) {
    if (f.xforms.size() != max_standard) {
      already_aligned = false;
      max_standard = std::max(max_standard, f.xforms.size());
    }
    if (f.final_xform.has_value() != any_final) {
      already_aligned = false;
      any_final = true;
    }
  }
  dst.reserve(flames.size());
  for (const Flame& f : flames) dst.push_back(PadFlame(f, max_standard, any_final));

  // flam3 reads the type from the genome just before the middle.
  const size_t reference = flames.size() / 2 == 0 ? 0 : flames.size() / 2 - 1;
  const InterpolationType type = dst[reference].flame.interpolation_type;
  if (type == InterpolationType::kOld || type == InterpolationType::kOlder) return dst;

  const size_t xform_count = max_standard + (any_final ? 1 : 0);
  for (size_t gi = 0; gi < dst.size(); ++gi) {
    for (size_t xi = 0; xi < xform_count; ++xi) {
      Xform& xf = XformAt(dst[gi].flame, xi);
      for (int v = kFirstParametricVariation; v < kVariationCount; ++v) {
        if (xf.variations[v] != 0.0) continue;
        if (gi > 0) {
          const Xform& prev = XformAt(dst[gi - 1].flame, xi);
          if (prev.variations[v] != 0.0) CopyVariationParams(xf, prev, v);
        } else if (gi + 1 < dst.size()) {
          const Xform& next = XformAt(dst[gi + 1].flame, xi);
          if (next.variations[v] != 0.0) CopyVariationParams(xf, next, v);
        }
      }
      if (dst[gi].tags[xi].padding && !already_aligned) ChoosePaddingIdentity(dst, gi, xi);
    }
  }
  return dst;
}

}  // namespace flamegrid
