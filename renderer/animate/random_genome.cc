#include "renderer/animate/random_genome.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "renderer/animate/xform_fields.h"

namespace flamegrid {
namespace {

using V = VariationId;

// The regular rows: FLAMEGRID_VARIATIONS itself. Generated pre_/post_ forms
// (ids from here on, when the catalogue has them) are never drawn at random.
#define FLAMEGRID_RANDOM_ONE_ROW(...) +1
constexpr int kRegularVariationRows = 0 FLAMEGRID_VARIATIONS(FLAMEGRID_RANDOM_ONE_ROW);
#undef FLAMEGRID_RANDOM_ONE_ROW

// Weights differing from the default (flam3's rows 1, later rows
// kRandomWeightBeyondFlam3). flam3-genome never draws the first group; here
// they are only rare, as they are in Apophysis when ticked.
constexpr RandomVariationWeight kWeights[] = {
    // flam3's noisy ones: blurs and noise fill the plane with fog...
    {"noise", 0.1},
    {"blur", 0.1},
    {"gaussian_blur", 0.1},
    {"radial_blur", 0.1},
    // ...and these scatter points onto lines, grids and rays.
    {"ngon", 0.25},
    {"square", 0.25},
    {"rays", 0.25},
    {"cross", 0.25},
    {"separation", 0.25},
    {"split", 0.25},
    {"splits", 0.25},
    // Applied to the point before the others, never a term of its own: alone
    // it would draw nothing.
    {"pre_blur", 0.0},
    // Beyond flam3. Only z moves: nothing in a 2D render.
    {"zblur", 0.0},
    // 3D ones, seen flat.
    {"Spherical3D", 0.2},
    {"hemisphere", 0.2},
    {"julia3D", 0.2},
    {"curl3D", 0.2},
    // Blurs.
    {"blur3D", 0.05},
    {"sineblur", 0.05},
    {"blur_linear", 0.05},
    {"blur_zoom", 0.05},
    {"blur_circle", 0.05},
    {"falloff2", 0.05},
    // Crops drop most points: a frame with little inside.
    {"crop", 0.05},
    // Beyond flam3 and well liked in community flames.
    {"crackle", 0.6},
    {"bwraps", 0.6},
    {"bwraps7", 0.6},
    {"hexes", 0.6},
    {"Mobius", 0.6},
    {"epispiral", 0.6},
    {"twoface", 0.6},
    {"glynnia", 0.6},
    // formulas_ember_last.h. Seen flat these are linear (dc_ztransl, and cropn
    // in Ember's flam3 form) or hypertile2 (hypertile3D2): nothing new to draw.
    {"dc_ztransl", 0.0},
    {"cropn", 0.0},
    {"hypertile3D2", 0.0},
    // Rare, as the rows beyond flam3 may take at most a tenth of the draws
    // (a test holds the classics to the bulk): a 3D one seen flat, a blur, a
    // remap, and two crops that drop most points.
    {"foci_3D", 0.05},
    {"sphereblur", 0.05},
    {"barycentroid", 0.05},
    {"circlecrop", 0.02},
    {"bcircle", 0.02},
};

// Random parameters by name; parameters not listed keep their defaults,
// which Apophysis, Ember and flam3 write and which render.
constexpr RandomParamRange kParamRanges[] = {
    // Whole powers keep the julia copies whole; the sign flips orientation.
    {"julian_power", 2, 5, true, true},
    {"julian_dist", -1, 1, false, false, 0.5},
    {"juliascope_power", 2, 5, true, true},
    {"juliascope_dist", -1, 1, false, false, 0.5},
    {"julia3D_power", 2, 5, true, true},
    {"rings2_val", 0.1, 1},
    {"fan2_x", -1, 1},
    {"fan2_y", -1, 1},
    {"pdj_a", -1, 1},
    {"pdj_b", -1, 1},
    {"pdj_c", -1, 1},
    {"pdj_d", -1, 1},
    {"curl_c1", -1, 1},
    {"curl_c2", -1, 1},
    {"rectangles_x", -1, 1},
    {"rectangles_y", -1, 1},
    {"popcorn2_x", -1, 1},
    {"popcorn2_y", -1, 1},
    {"popcorn2_c", -1, 1},
    {"sineblur_power", 0.5, 2},
    {"blur_linear_length", 0, 1},
    {"blur_linear_angle", -3.14159265358979323846, 3.14159265358979323846},
    {"blur_zoom_length", 0, 0.5},
    {"blur_zoom_x", -0.5, 0.5},
    {"blur_zoom_y", -0.5, 0.5},
    {"epispiral_n", 2, 8, true},
    {"epispiral_thickness", 0, 0.5},
    {"tile_log_spread", 1, 3, true},
};

void RandomizeParams(Xform& xf, VariationId id, Random& rng) {
  const VariationInfo& info = GetVariationInfo(id);
  for (int j = 0; j < info.param_count; ++j) {
    const VariationParamInfo& param = kVariationParams[info.first_param + j];
    for (const RandomParamRange& range : kParamRanges) {
      if (range.name != param.name) continue;
      if (range.keep_default > 0.0 && rng.Uniform01() >= 1.0 - range.keep_default) break;
      double value;
      if (range.integer) {
        const auto span = static_cast<uint32_t>(range.high - range.low + 1);
        value = range.low + rng.Below(span);
      } else {
        value = range.low + (range.high - range.low) * rng.Uniform01();
      }
      if (range.either_sign && rng.Bit()) value = -value;
      xf.params[info.first_param + j] = value;
      break;
    }
  }
}

void AddVariation(Xform& xf, VariationId id, double weight, Random& rng) {
  xf.Variation(id) += weight;
  RandomizeParams(xf, id, rng);
}

}  // namespace

std::span<const RandomVariationWeight> RandomVariationWeights() { return kWeights; }
std::span<const RandomParamRange> RandomParamRanges() { return kParamRanges; }

double RandomVariationWeightOf(VariationId id) {
  if (GetVariationInfo(id).form != VariationForm::kRegular) return 0.0;
  const std::string_view name = GetVariationInfo(id).name;
  for (const RandomVariationWeight& entry : kWeights) {
    if (entry.name == name) return entry.weight;
  }
  return VariationIndex(id) < kFlam3VariationCount ? 1.0 : kRandomWeightBeyondFlam3;
}

VariationDraw VariationDraw::Even(std::vector<VariationId> ids) {
  VariationDraw draw;
  draw.weights.assign(ids.size(), 1.0);
  draw.ids = std::move(ids);
  return draw;
}

VariationId VariationDraw::Draw(Random& rng) const {
  const bool even =
      std::all_of(weights.begin(), weights.end(), [&](double w) { return w == weights.front(); });
  // An even draw picks an index, as flam3-genome does, so it keeps its sequence.
  if (even) return ids[rng.Below(static_cast<uint32_t>(ids.size()))];
  double total = 0.0;
  for (double w : weights) total += w;
  double pick = total * rng.Uniform01();
  for (size_t i = 0; i < ids.size(); ++i) {
    pick -= weights[i];
    if (pick < 0.0) return ids[i];
  }
  return ids.back();  // round-off at the very top
}

VariationDraw DefaultVariationDraw() {
  VariationDraw draw;
  for (int v = 0; v < kRegularVariationRows; ++v) {
    const auto id = static_cast<VariationId>(v);
    const double weight = RandomVariationWeightOf(id);
    if (weight > 0.0) {
      draw.ids.push_back(id);
      draw.weights.push_back(weight);
    }
  }
  return draw;
}

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

VariationDraw ChooseVariationDraw(const std::vector<VariationId>& variations, bool flam3_only) {
  if (!variations.empty()) return VariationDraw::Even(variations);
  if (flam3_only) return VariationDraw::Even(DefaultRandomVariations());
  return DefaultVariationDraw();
}

Xform RandomXform(const VariationDraw& variations, Random& rng) {
  Xform xf;
  xf.color = rng.Uniform01();
  xf.color_speed = 0.5;
  xf.animate = 1.0;
  xf.affine = Affine2{rng.UniformSigned(), rng.UniformSigned(), rng.UniformSigned(),
                      rng.UniformSigned(), rng.UniformSigned(), rng.UniformSigned()};
  const VariationId first = variations.Draw(rng);
  if (variations.ids.size() > 1 && rng.Below(4) == 0) {
    const VariationId second = variations.Draw(rng);
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
  const VariationDraw variations = ChooseVariationDraw(options.variations, options.flam3_only);
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
