#include "renderer/animate/random_genome.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "renderer/animate/xform_fields.h"

namespace flamegrid {
namespace {

using V = VariationId;

void RandomizeParams(Xform& xf, VariationId id, Random& rng) {
  const VariationInfo& info = GetVariationInfo(id);
  switch (id) {
    case V::kJulian:
    case V::kJuliascope:
      // Integer powers keep the julia copies whole; the sign flips orientation.
      xf.Param(id, 0) = (2 + static_cast<int>(rng.Below(4))) * (rng.Bit() ? 1 : -1);
      xf.Param(id, 1) = rng.Bit() ? 1.0 : rng.UniformSigned();
      return;
    case V::kRings2:
      xf.Param(id, 0) = 0.1 + 0.9 * rng.Uniform01();
      return;
    case V::kFan2:
    case V::kPdj:
    case V::kCurl:
    case V::kRectangles:
    case V::kPopcorn2:
      for (int j = 0; j < info.param_count; ++j) xf.Param(id, j) = rng.UniformSigned();
      return;
    default:
      // Other parameters keep flam3's defaults, which always render.
      return;
  }
}

void AddVariation(Xform& xf, VariationId id, double weight, Random& rng) {
  xf.Variation(id) += weight;
  RandomizeParams(xf, id, rng);
}

}  // namespace

std::vector<VariationId> DefaultRandomVariations() {
  static constexpr V kLeftOut[] = {V::kNoise,   V::kBlur,       V::kGaussianBlur, V::kRadialBlur,
                                   V::kNgon,    V::kSquare,     V::kRays,         V::kCross,
                                   V::kPreBlur, V::kSeparation, V::kSplit,        V::kSplits};
  // flam3-genome's choice: its own 99, not the Apophysis/Ember ones after them.
  std::vector<VariationId> out;
  for (int v = 0; v < kFlam3VariationCount; ++v) {
    const auto id = static_cast<VariationId>(v);
    if (std::find(std::begin(kLeftOut), std::end(kLeftOut), id) == std::end(kLeftOut)) {
      out.push_back(id);
    }
  }
  return out;
}

Xform RandomXform(const std::vector<VariationId>& variations, Random& rng) {
  Xform xf;
  xf.color = rng.Uniform01();
  xf.color_speed = 0.5;
  xf.animate = 1.0;
  xf.affine = Affine2{rng.UniformSigned(), rng.UniformSigned(), rng.UniformSigned(),
                      rng.UniformSigned(), rng.UniformSigned(), rng.UniformSigned()};
  const VariationId first = variations[rng.Below(static_cast<uint32_t>(variations.size()))];
  if (variations.size() > 1 && rng.Below(4) == 0) {
    const VariationId second = variations[rng.Below(static_cast<uint32_t>(variations.size()))];
    const double share = 0.2 + 0.6 * rng.Uniform01();
    AddVariation(xf, first, share, rng);
    AddVariation(xf, second, 1.0 - share, rng);
  } else {
    AddVariation(xf, first, 1.0, rng);
  }
  return xf;
}

Palette RandomPalette(Random& rng) {
  const int anchors = 3 + static_cast<int>(rng.Below(5));
  std::vector<std::array<double, 3>> hsv(anchors);
  const double base_hue = 6.0 * rng.Uniform01();
  for (auto& a : hsv) {
    a = {std::fmod(base_hue + 3.0 * rng.UniformSigned() + 6.0, 6.0), 0.3 + 0.7 * rng.Uniform01(),
         0.4 + 0.6 * rng.Uniform01()};
  }
  Palette out;
  for (int i = 0; i < kPaletteSize; ++i) {
    const double pos = i * anchors / static_cast<double>(kPaletteSize);
    const int k = static_cast<int>(pos);
    const double f = pos - k;
    const auto& p = hsv[k % anchors];
    const auto& q = hsv[(k + 1) % anchors];
    double dh = q[0] - p[0];
    if (dh > 3.0) dh -= 6.0;
    if (dh < -3.0) dh += 6.0;
    const double mixed[3] = {p[0] + f * dh, p[1] + f * (q[1] - p[1]), p[2] + f * (q[2] - p[2])};
    double rgb[3];
    animate_internal::HsvToRgb6(mixed, rgb);
    out.colors[i] = Rgba{rgb[0], rgb[1], rgb[2], 1.0};
  }
  return out;
}

Status AddSymmetry(Flame& flame, int order) {
  if (order == 0 || order == 1 || order == -1) return Status::Ok();
  if (std::abs(order) > kMaxSymmetryOrder) {
    return Status::InvalidArgument("symmetry order " + std::to_string(order) + " is beyond " +
                                   std::to_string(kMaxSymmetryOrder));
  }
  // Symmetry xforms carry as much weight as the fractal, so every copy is as bright.
  double fractal_weight = 0.0;
  for (const Xform& xf : flame.xforms) fractal_weight += xf.weight;
  auto symmetry_xform = [&](Affine2 affine) {
    Xform xf;
    xf.weight = fractal_weight > 0.0 ? fractal_weight : 1.0;
    xf.color = 1.0;
    xf.color_speed = 0.0;
    xf.animate = 0.0;
    xf.Variation(V::kLinear) = 1.0;
    xf.affine = affine;
    return xf;
  };
  if (order < 0) flame.xforms.push_back(symmetry_xform(Affine2{-1.0, 0.0, 0.0, 1.0, 0.0, 0.0}));
  const int k = std::abs(order);
  for (int j = 1; j < k; ++j) {
    const double theta = 2.0 * std::numbers::pi * j / k;
    const double cs = std::cos(theta), sn = std::sin(theta);
    flame.xforms.push_back(symmetry_xform(Affine2{cs, sn, -sn, cs, 0.0, 0.0}));
  }
  for (Xform& xf : flame.xforms) {
    if (!xf.chaos.empty()) xf.chaos.resize(flame.xforms.size(), 1.0);
  }
  flame.symmetry = order;
  return Status::Ok();
}

void ApplyTemplate(Flame& flame, const Flame& templ) {
  if (templ.width > 0 && flame.width > 0) {
    flame.pixels_per_unit *= static_cast<double>(templ.width) / flame.width;
    flame.width = templ.width;
  }
  if (templ.height > 0) flame.height = templ.height;
  flame.sample_density = templ.sample_density;
  flame.supersample = templ.supersample;
  flame.passes = templ.passes;
  flame.spatial_filter_radius = templ.spatial_filter_radius;
  flame.filter_shape = templ.filter_shape;
  flame.temporal_samples = templ.temporal_samples;
  flame.temporal_filter_type = templ.temporal_filter_type;
  flame.temporal_filter_width = templ.temporal_filter_width;
  flame.temporal_filter_exp = templ.temporal_filter_exp;
  flame.estimator_radius = templ.estimator_radius;
  flame.estimator_minimum = templ.estimator_minimum;
  flame.estimator_curve = templ.estimator_curve;
  flame.gamma_threshold = templ.gamma_threshold;
  flame.background = templ.background;
  flame.zoom = templ.zoom;
  flame.interpolation = templ.interpolation;
  flame.interpolation_type = templ.interpolation_type;
  flame.palette_interpolation = templ.palette_interpolation;
}

Result<Flame> RandomGenome(const RandomGenomeOptions& options, Random& rng) {
  const std::vector<VariationId> variations =
      options.variations.empty() ? DefaultRandomVariations() : options.variations;
  if (options.xforms < 0 || options.xforms > kMaxRandomXforms) {
    return Status::InvalidArgument("xform count " + std::to_string(options.xforms) +
                                   " is outside 1.." + std::to_string(kMaxRandomXforms));
  }
  const int count = options.xforms > 0 ? options.xforms : 2 + static_cast<int>(rng.Below(5));
  Flame flame;
  flame.name = "random";
  flame.palette = RandomPalette(rng);
  flame.palette_interpolation = PaletteInterpolation::kHsvCircular;
  for (int i = 0; i < count; ++i) {
    Xform xf = RandomXform(variations, rng);
    xf.weight = 1.0 / count;
    flame.xforms.push_back(std::move(xf));
  }
  FG_RETURN_IF_ERROR(AddSymmetry(flame, options.symmetry));
  if (options.templ) ApplyTemplate(flame, *options.templ);
  return flame;
}

}  // namespace flamegrid
