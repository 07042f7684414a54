#include "renderer/animate/interpolate.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "renderer/animate/xform_fields.h"

namespace flamegrid {
namespace {

using animate_internal::HsvToRgb6;
using animate_internal::RgbToHsv6;

constexpr double kPi = std::numbers::pi;
constexpr double kAngleEpsilon = 1e-10;

const Xform& XformAt(const Flame& f, size_t index) {
  return index < f.xforms.size() ? f.xforms[index] : *f.final_xform;
}

Palette BlendPalettes(std::span<const AlignedFlame> points, std::span<const double> weights) {
  const PaletteInterpolation mode = points[0].flame.palette_interpolation;
  Palette out;
  if (mode == PaletteInterpolation::kSweep) {
    // A wipe from the first palette into the second along the index.
    for (int i = 0; i < kPaletteSize; ++i) {
      const size_t from = (i < kPaletteSize * weights[0]) ? 0 : 1;
      out.colors[i] = points[std::min(from, points.size() - 1)].flame.palette.colors[i];
    }
    return out;
  }
  const bool in_rgb = mode == PaletteInterpolation::kRgb;
  const bool circular = mode == PaletteInterpolation::kHsvCircular && points.size() == 2;
  for (int i = 0; i < kPaletteSize; ++i) {
    double sum[4] = {0.0, 0.0, 0.0, 0.0};
    bool all_opaque = true;
    for (size_t k = 0; k < points.size(); ++k) {
      const Rgba& c = points[k].flame.palette.colors[i];
      double v[3] = {c.r, c.g, c.b};
      if (!in_rgb) RgbToHsv6(c.r, c.g, c.b, v);
      if (circular) {
        // Go the shorter way round the hue circle.
        const Rgba& o = points[1 - k].flame.palette.colors[i];
        double other[3];
        RgbToHsv6(o.r, o.g, o.b, other);
        if (other[0] - v[0] > 3.0) v[0] += 6.0;
      }
      for (int j = 0; j < 3; ++j) sum[j] += weights[k] * v[j];
      sum[3] += weights[k] * c.a;
      if (c.a != 1.0) all_opaque = false;
    }
    if (all_opaque) sum[3] = 1.0;
    double rgb[3] = {sum[0], sum[1], sum[2]};
    if (!in_rgb) HsvToRgb6(sum, rgb);
    Rgba& dst = out.colors[i];
    dst.r = std::clamp(rgb[0], 0.0, 1.0);
    dst.g = std::clamp(rgb[1], 0.0, 1.0);
    dst.b = std::clamp(rgb[2], 0.0, 1.0);
    dst.a = std::clamp(sum[3], 0.0, 1.0);
  }
  return out;
}

// One column of an affine in polar form: the vector (a, b) or (c, d).
struct PolarColumns {
  double angle[2];
  double magnitude[2];
  double translation[2];
};

Affine2 BlendAffineLog(std::span<const AlignedFlame> points, std::span<const double> weights,
                       size_t xi, bool post) {
  std::vector<PolarColumns> polar(points.size());
  for (size_t k = 0; k < points.size(); ++k) {
    const Xform& xf = XformAt(points[k].flame, xi);
    const Affine2& m = post ? xf.post : xf.affine;
    const double col[2][2] = {{m.a, m.b}, {m.c, m.d}};
    const double trans[2] = {m.e, m.f};
    bool zero[2] = {false, false};
    for (int c = 0; c < 2; ++c) {
      polar[k].angle[c] = std::atan2(col[c][1], col[c][0]);
      polar[k].magnitude[c] = std::hypot(col[c][0], col[c][1]);
      polar[k].translation[c] = trans[c];
      zero[c] = polar[k].magnitude[c] == 0.0;
    }
    // A vanished column takes the other's direction so it grows without turning.
    if (zero[0] && !zero[1]) polar[k].angle[0] = polar[k].angle[1];
    if (!zero[0] && zero[1]) polar[k].angle[1] = polar[k].angle[0];
  }
  for (int c = 0; c < 2; ++c) {
    for (size_t k = 1; k < points.size(); ++k) {
      double& prev = polar[k - 1].angle[c];
      double& cur = polar[k].angle[c];
      const double wind = points[k].tags[xi].wind[c];
      if (wind > 0.0 && !post) {
        // Asymmetric edge: keep both angles in [wind - 2π, wind].
        const double ref = wind - 2.0 * kPi;
        while (prev < ref) prev += 2.0 * kPi;
        while (prev > ref + 2.0 * kPi) prev -= 2.0 * kPi;
        while (cur < ref) cur += 2.0 * kPi;
        while (cur > ref + 2.0 * kPi) cur -= 2.0 * kPi;
      } else {
        const double d = cur - prev;
        if (d > kPi + kAngleEpsilon) {
          cur -= 2.0 * kPi;
        } else if (d < -(kPi - kAngleEpsilon)) {
          cur += 2.0 * kPi;  // a half turn goes clockwise
        }
      }
    }
  }
  double angle[2] = {0, 0}, magnitude[2] = {0, 0}, translation[2] = {0, 0};
  bool linear_magnitude[2] = {false, false};
  for (int c = 0; c < 2; ++c) {
    for (const PolarColumns& p : polar) {
      // log of a (near) zero length would swamp the blend.
      if (std::log(p.magnitude[c]) < -10.0) linear_magnitude[c] = true;
    }
  }
  for (size_t k = 0; k < points.size(); ++k) {
    for (int c = 0; c < 2; ++c) {
      angle[c] += weights[k] * polar[k].angle[c];
      magnitude[c] += weights[k] * (linear_magnitude[c] ? polar[k].magnitude[c]
                                                        : std::log(polar[k].magnitude[c]));
      translation[c] += weights[k] * polar[k].translation[c];
    }
  }
  double col[2][2];
  for (int c = 0; c < 2; ++c) {
    const double length = linear_magnitude[c] ? magnitude[c] : std::exp(magnitude[c]);
    col[c][0] = length * std::cos(angle[c]);
    col[c][1] = length * std::sin(angle[c]);
  }
  return Affine2{col[0][0], col[0][1], col[1][0], col[1][1], translation[0], translation[1]};
}

Affine2 BlendAffineLinear(std::span<const AlignedFlame> points, std::span<const double> weights,
                          size_t xi, bool post) {
  Affine2 out{0, 0, 0, 0, 0, 0};
  auto dst = animate_internal::AffineCoefficients(out);
  for (size_t k = 0; k < points.size(); ++k) {
    const Xform& xf = XformAt(points[k].flame, xi);
    const auto src = animate_internal::AffineValues(post ? xf.post : xf.affine);
    for (int j = 0; j < 6; ++j) *dst[j] += weights[k] * src[j];
  }
  return out;
}

Xform BlendXform(std::span<const AlignedFlame> points, std::span<const double> weights, size_t xi,
                 size_t standard_count) {
  std::vector<const Xform*> sources(points.size());
  for (size_t k = 0; k < points.size(); ++k) sources[k] = &XformAt(points[k].flame, xi);
  Xform out;
  animate_internal::BlendTableMembers(XformAttributes(), std::span<const Xform* const>(sources),
                                      weights, out);
  // kCustom in the table, by hand below: the variations (every weight and
  // parameter of the catalogue, linearly), the affines (their own rule per
  // interpolation type) and chaos (a row per xform, absent rows meaning 1).
  for (int v = 0; v < kVariationCount; ++v) {
    double sum = 0.0;
    for (size_t k = 0; k < points.size(); ++k) sum += weights[k] * sources[k]->variations[v];
    out.variations[v] = sum;
  }
  for (int p = 0; p < kVariationParamCount; ++p) {
    double sum = 0.0;
    for (size_t k = 0; k < points.size(); ++k) sum += weights[k] * sources[k]->params[p];
    out.params[p] = sum;
  }
  // The forms apply in the first source's order, then in the next ones'.
  for (const Xform* source : sources) {
    for (VariationId id : source->form_order) NoteFormListed(out, id);
  }

  bool posts_identity = true;
  for (const AlignedFlame& p : points) posts_identity &= XformAt(p.flame, xi).post.IsIdentity();
  if (points[0].flame.interpolation_type == InterpolationType::kLog) {
    out.affine = BlendAffineLog(points, weights, xi, /*post=*/false);
    out.post = posts_identity ? Affine2::Identity() : BlendAffineLog(points, weights, xi, true);
  } else {
    out.affine = BlendAffineLinear(points, weights, xi, false);
    out.post = posts_identity ? Affine2::Identity() : BlendAffineLinear(points, weights, xi, true);
  }

  if (xi < standard_count) {
    bool any_chaos = false;
    for (const AlignedFlame& p : points) any_chaos |= !XformAt(p.flame, xi).chaos.empty();
    if (any_chaos) {
      out.chaos.assign(standard_count, 0.0);
      for (size_t k = 0; k < points.size(); ++k) {
        const std::vector<double>& row = XformAt(points[k].flame, xi).chaos;
        for (size_t j = 0; j < standard_count; ++j) {
          out.chaos[j] += weights[k] * (j < row.size() ? row[j] : 1.0);
        }
      }
      bool all_one = true;
      for (double& c : out.chaos) {
        c = std::max(c, 0.0);
        all_one &= c == 1.0;
      }
      if (all_one) out.chaos.clear();
    }
  }
  return out;
}

}  // namespace

double Smoother(double t) { return 3.0 * t * t - 2.0 * t * t * t; }

std::array<double, 4> CatmullRomWeights(double t) {
  const double t2 = t * t;
  const double t3 = t2 * t;
  return {(2.0 * t2 - t - t3) / 2.0, (3.0 * t3 - 5.0 * t2 + 2.0) / 2.0,
          (4.0 * t2 - 3.0 * t3 + t) / 2.0, (t3 - t2) / 2.0};
}

double StaggerWeight(double t, double stagger, int xform_count, int xform_index) {
  if (xform_count < 2) return t;
  // With full stagger, xform starts are spread over (n-1)/n of the blend.
  const double spread = stagger * (xform_count - 1) / static_cast<double>(xform_count);
  const double start = spread * (xform_count - 1 - xform_index) / (xform_count - 1);
  const double end = start + (1.0 - spread);
  if (t <= start) return 0.0;
  if (t >= end) return 1.0;
  return Smoother((t - start) / (1.0 - spread));
}

Flame BlendAligned(std::span<const AlignedFlame> points, std::span<const double> weights,
                   double stagger) {
  const Flame& first = points[0].flame;
  std::vector<const Flame*> sources(points.size());
  for (size_t k = 0; k < points.size(); ++k) sources[k] = &points[k].flame;
  Flame out;
  animate_internal::BlendTableMembers(FlameAttributes(), std::span<const Flame* const>(sources),
                                      weights, out);
  // kCustom in the table, by hand: each of these entries sets more than one
  // member (size, center, background's channels) or is no attribute at all
  // (the palette's colours, a child element), and the palette blends by its
  // own mode; the palette number is dropped, the colours being new.
  out.palette = BlendPalettes(points, weights);
  out.palette_index = -1;
  double size[2] = {0.0, 0.0}, center[2] = {0.0, 0.0}, bg[4] = {0, 0, 0, 0};
  for (size_t k = 0; k < points.size(); ++k) {
    const Flame& f = points[k].flame;
    size[0] += weights[k] * f.width;
    size[1] += weights[k] * f.height;
    center[0] += weights[k] * f.center_x;
    center[1] += weights[k] * f.center_y;
    const Rgba& b = f.background;
    bg[0] += weights[k] * b.r;
    bg[1] += weights[k] * b.g;
    bg[2] += weights[k] * b.b;
    bg[3] += weights[k] * b.a;
  }
  out.width = static_cast<int>(std::nearbyint(size[0]));
  out.height = static_cast<int>(std::nearbyint(size[1]));
  out.center_x = center[0];
  out.center_y = center[1];
  out.background = Rgba{bg[0], bg[1], bg[2], bg[3]};

  const size_t standard_count = first.xforms.size();
  const bool has_final = first.final_xform.has_value();
  const bool staggered = points.size() == 2 && stagger > 0.0;
  for (size_t xi = 0; xi < standard_count + (has_final ? 1 : 0); ++xi) {
    Xform xf;
    if (staggered && xi < standard_count) {
      const double w0 = StaggerWeight(weights[0], stagger, static_cast<int>(standard_count),
                                      static_cast<int>(xi));
      const double staggered_weights[2] = {w0, 1.0 - w0};
      xf = BlendXform(points, staggered_weights, xi, standard_count);
    } else {
      xf = BlendXform(points, weights, xi, standard_count);
    }
    if (xi < standard_count) {
      out.xforms.push_back(std::move(xf));
    } else {
      out.final_xform = std::move(xf);
    }
  }
  return out;
}

Result<Flame> InterpolateControlPoints(std::span<const Flame> control_points, double time,
                                       const InterpolateOptions& options) {
  const size_t n = control_points.size();
  if (n == 0) return Status::InvalidArgument("interpolation needs at least one control point");
  if (!std::isfinite(time)) return Status::InvalidArgument("interpolation time is not finite");
  for (size_t i = 1; i < n; ++i) {
    if (!(control_points[i].time > control_points[i - 1].time)) {
      return Status::InvalidArgument("control points must be sorted by strictly increasing time: " +
                                     std::to_string(control_points[i - 1].time) + " then " +
                                     std::to_string(control_points[i].time));
    }
  }
  if (n == 1) {
    Flame out = control_points[0];
    for (Xform& xf : out.xforms) xf.motion.clear();
    return out;
  }

  size_t i1 = 0;
  if (control_points[0].time >= time) {
    i1 = 0;
  } else if (control_points[n - 1].time <= time) {
    i1 = n - 2;
  } else {
    while (control_points[i1 + 1].time < time) ++i1;
  }
  const size_t i2 = i1 + 1;
  const double w0 =
      (control_points[i2].time - time) / (control_points[i2].time - control_points[i1].time);

  Flame out;
  const bool smooth =
      control_points[i1].interpolation == Interpolation::kSmooth && i1 > 0 && i2 + 1 < n;
  if (smooth) {
    const std::vector<AlignedFlame> aligned = AlignFlames(control_points.subspan(i1 - 1, 4));
    const std::array<double, 4> weights = CatmullRomWeights(1.0 - w0);
    out = BlendAligned(aligned, weights, 0.0);
  } else {
    const std::vector<AlignedFlame> aligned = AlignFlames(control_points.subspan(i1, 2));
    const double weights[2] = {w0, 1.0 - w0};
    out = BlendAligned(aligned, weights, options.stagger);
  }
  out.time = time;
  return out;
}

}  // namespace flamegrid
