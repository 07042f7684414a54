#include "renderer/animate/edge.h"

#include <cmath>
#include <numbers>
#include <vector>

#include "renderer/animate/align.h"
#include "renderer/animate/interpolate.h"
#include "renderer/animate/loop.h"
#include "renderer/animate/sequence.h"

namespace flamegrid {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kAngleEpsilon = 1e-10;

// For an xform that turns on one side of the edge and is fixed on the other,
// the interpolated angle must not take the short way (it would spin back);
// flam3 stores a reference angle ("wind") on the second genome.
void SetAsymmetricReferenceAngles(std::vector<AlignedFlame>& points) {
  const Flame& first = points[0].flame;
  for (size_t xi = 0; xi < first.xforms.size(); ++xi) {
    std::vector<std::array<double, 2>> angle(points.size());
    for (size_t k = 0; k < points.size(); ++k) {
      const Affine2& m = points[k].flame.xforms[xi].affine;
      angle[k] = {std::atan2(m.b, m.a), std::atan2(m.d, m.c)};
    }
    for (size_t k = 1; k < points.size(); ++k) {
      for (int c = 0; c < 2; ++c) {
        const double d = angle[k][c] - angle[k - 1][c];
        if (d > kPi + kAngleEpsilon) {
          angle[k][c] -= 2.0 * kPi;
        } else if (d < -(kPi - kAngleEpsilon)) {
          angle[k][c] += 2.0 * kPi;
        }
        const bool fixed_before = points[k - 1].flame.xforms[xi].animate == 0.0;
        const bool fixed_after = points[k].flame.xforms[xi].animate == 0.0;
        if (fixed_after && !fixed_before) {
          points[k].tags[xi].wind[c] = angle[k - 1][c] + 2.0 * kPi;
        } else if (fixed_before && !fixed_after) {
          points[k].tags[xi].wind[c] = angle[k][c] + 2.0 * kPi;
        }
      }
    }
  }
}

}  // namespace

Flame EdgeGenomeAt(const Flame& from, const Flame& to, double blend, const EdgeOptions& options) {
  Flame ends[2] = {from, to};
  for (Flame& f : ends) {
    for (Xform& xf : f.xforms) ApplyMotion(xf, blend);
    if (f.final_xform) ApplyMotion(*f.final_xform, blend);
  }
  if (options.sequence_start && blend == 0.0) return ends[0];

  std::vector<AlignedFlame> aligned = AlignFlames(ends);
  SetAsymmetricReferenceAngles(aligned);
  const InterpolationType type = aligned[0].flame.interpolation_type;
  for (AlignedFlame& a : aligned) RotateAnimatedXforms(a.flame, a.tags, blend * 360.0, type);

  const double eased = Smoother(blend);
  const double weights[2] = {1.0 - eased, eased};
  Flame out = BlendAligned(aligned, weights, options.stagger);

  // Palettes named by index blend along the edge without easing, hue the short way.
  if (from.palette_index >= 0 && to.palette_index >= 0) {
    Flame rgb_ends[2] = {from, to};
    for (Flame& f : rgb_ends) f.palette_interpolation = PaletteInterpolation::kHsvCircular;
    const std::vector<AlignedFlame> palettes = AlignFlames(rgb_ends);
    const double palette_weights[2] = {1.0 - blend, blend};
    out.palette = BlendAligned(palettes, palette_weights).palette;
  }
  return out;
}

Result<std::vector<Flame>> MakeEdge(const Flame& from, const Flame& to, int frames) {
  FG_RETURN_IF_ERROR(ValidateFrameCount(frames));
  if (from.xforms.empty() || to.xforms.empty()) {
    return Status::InvalidArgument("an edge needs two genomes with xforms");
  }
  std::vector<Flame> out;
  out.reserve(frames);
  for (int k = 0; k < frames; ++k) {
    Flame frame = EdgeGenomeAt(from, to, k / static_cast<double>(frames));
    frame.time = k;
    frame.extra_attributes.clear();
    frame.extra_children_xml.clear();
    out.push_back(std::move(frame));
  }
  return out;
}

Result<std::vector<Flame>> MakeSequence(std::span<const Flame> flames, int frames) {
  FG_RETURN_IF_ERROR(ValidateFrameCount(frames));
  if (flames.empty()) return Status::InvalidArgument("a sequence needs at least one genome");
  if (static_cast<double>(frames) * (2.0 * flames.size()) > kMaxSequenceFrames) {
    return Status::InvalidArgument("sequence of " + std::to_string(flames.size()) + " genomes at " +
                                   std::to_string(frames) + " frames each is too long");
  }
  std::vector<Flame> out;
  int time = 0;
  for (size_t i = 0; i < flames.size(); ++i) {
    FG_ASSIGN_OR_RETURN(std::vector<Flame> loop, MakeLoop(flames[i], frames));
    for (Flame& f : loop) {
      f.time = time++;
      out.push_back(std::move(f));
    }
    if (i + 1 < flames.size()) {
      FG_ASSIGN_OR_RETURN(std::vector<Flame> edge, MakeEdge(flames[i], flames[i + 1], frames));
      for (Flame& f : edge) {
        f.time = time++;
        out.push_back(std::move(f));
      }
    }
  }
  FG_ASSIGN_OR_RETURN(std::vector<Flame> closing, MakeLoop(flames.back(), 1));
  closing[0].time = time;
  out.push_back(std::move(closing[0]));
  return out;
}

}  // namespace flamegrid
