#include "renderer/genome/flam3_attributes.h"

#include <array>
#include <map>
#include <type_traits>

#include "renderer/genome/limits.h"

namespace flamegrid {
namespace {

template <auto Member>
int GetEnum(const auto& target) {
  return static_cast<int>(target.*Member);
}
template <auto Member, typename Target>
void SetEnum(Target& target, int value) {
  using Enum = std::remove_cvref_t<decltype(target.*Member)>;
  target.*Member = static_cast<Enum>(value);
}
template <auto Member, typename Target>
EnumAccess<Target> Enum(std::span<const EnumName> names, bool unknown_warns = false) {
  return EnumAccess<Target>{names, &GetEnum<Member>, &SetEnum<Member, Target>, unknown_warns};
}

constexpr std::array<EnumName, 14> kFilterShapes = {{
    {"gaussian", static_cast<int>(FilterShape::kGaussian)},
    {"hermite", static_cast<int>(FilterShape::kHermite)},
    {"box", static_cast<int>(FilterShape::kBox)},
    {"triangle", static_cast<int>(FilterShape::kTriangle)},
    {"bell", static_cast<int>(FilterShape::kBell)},
    {"bspline", static_cast<int>(FilterShape::kBspline)},
    {"lanczos3", static_cast<int>(FilterShape::kLanczos3)},
    {"lanczos2", static_cast<int>(FilterShape::kLanczos2)},
    {"mitchell", static_cast<int>(FilterShape::kMitchell)},
    {"blackman", static_cast<int>(FilterShape::kBlackman)},
    {"catrom", static_cast<int>(FilterShape::kCatrom)},
    {"hamming", static_cast<int>(FilterShape::kHamming)},
    {"hanning", static_cast<int>(FilterShape::kHanning)},
    {"quadratic", static_cast<int>(FilterShape::kQuadratic)},
}};
constexpr std::array<EnumName, 3> kTemporalFilters = {{
    {"box", static_cast<int>(TemporalFilterType::kBox)},
    {"gaussian", static_cast<int>(TemporalFilterType::kGaussian)},
    {"exp", static_cast<int>(TemporalFilterType::kExp)},
}};
constexpr std::array<EnumName, 2> kPaletteModes = {{
    {"step", static_cast<int>(PaletteMode::kStep)},
    {"linear", static_cast<int>(PaletteMode::kLinear)},
}};
constexpr std::array<EnumName, 2> kInterpolations = {{
    {"linear", static_cast<int>(Interpolation::kLinear)},
    {"smooth", static_cast<int>(Interpolation::kSmooth)},
}};
constexpr std::array<EnumName, 4> kInterpolationTypes = {{
    {"linear", static_cast<int>(InterpolationType::kLinear)},
    {"log", static_cast<int>(InterpolationType::kLog)},
    {"old", static_cast<int>(InterpolationType::kOld)},
    {"older", static_cast<int>(InterpolationType::kOlder)},
}};
constexpr std::array<EnumName, 4> kPaletteInterpolations = {{
    {"hsv", static_cast<int>(PaletteInterpolation::kHsv)},
    {"sweep", static_cast<int>(PaletteInterpolation::kSweep)},
    {"rgb", static_cast<int>(PaletteInterpolation::kRgb)},
    {"hsv_circular", static_cast<int>(PaletteInterpolation::kHsvCircular)},
}};
constexpr std::array<EnumName, 3> kMotionFunctions = {{
    {"sin", static_cast<int>(MotionFunction::kSin)},
    {"triangle", static_cast<int>(MotionFunction::kTriangle)},
    {"hill", static_cast<int>(MotionFunction::kHill)},
}};

constexpr double kInf = std::numeric_limits<double>::infinity();
using K = AttributeKind;
using U = AttributeUse;
using W = AttributeWrite;
using I = AttributeInterpolation;

// Flame attributes, in the order the writer emits them. Ignored attributes are
// still kept verbatim with the flame (Flame::extra_attributes), as unknown ones
// are, so a read/write round trip loses nothing.
const std::vector<FlameAttributeSpec>& FlameTable() {
  static const std::vector<FlameAttributeSpec> table = {
      {.name = "name",
       .kind = K::kText,
       .write = W::kUnlessDefault,
       .text = &Flame::name,
       .interpolation = I::kReset},
      {.name = "time", .real = &Flame::time, .interpolation = I::kReset},
      {.name = "size",
       .kind = K::kList,
       .use = U::kCustom,
       .write = W::kCustom,
       .note = "two integers, width and height; checked by ValidateFlame",
       .interpolation = I::kCustom},
      {.name = "center",
       .kind = K::kList,
       .use = U::kCustom,
       .write = W::kCustom,
       .interpolation = I::kCustom},
      {.name = "scale",
       .real = &Flame::pixels_per_unit,
       .limits = {0.0, kInf, true},
       .interpolation = I::kLinear},
      {.name = "zoom", .real = &Flame::zoom, .limits = {-64.0, 64.0}, .interpolation = I::kLinear},
      {.name = "rotate", .real = &Flame::rotate, .interpolation = I::kLinear},
      {.name = "supersample",
       .aliases = "oversample",
       .kind = K::kInt,
       .integer = &Flame::supersample,
       .limits = {1, kMaxSupersample},
       .interpolation = I::kLinear},
      {.name = "filter",
       .real = &Flame::spatial_filter_radius,
       .limits = {0.0, kMaxFilterRadius},
       .interpolation = I::kLinear},
      {.name = "filter_shape",
       .kind = K::kEnum,
       .enumeration = Enum<&Flame::filter_shape, Flame>(kFilterShapes),
       .interpolation = I::kFirst},
      {.name = "temporal_filter_type",
       .kind = K::kEnum,
       .enumeration = Enum<&Flame::temporal_filter_type, Flame>(kTemporalFilters, true),
       .interpolation = I::kFirst},
      {.name = "temporal_filter_width",
       .real = &Flame::temporal_filter_width,
       .interpolation = I::kLinear},
      {.name = "temporal_filter_exp",
       .real = &Flame::temporal_filter_exp,
       .interpolation = I::kLinear},
      {.name = "quality",
       .real = &Flame::sample_density,
       .limits = {0.0, kMaxQuality},
       .interpolation = I::kLinear},
      {.name = "passes",
       .aliases = "batches",
       .kind = K::kInt,
       .integer = &Flame::passes,
       .limits = {1, kMaxPasses},
       .interpolation = I::kLinear},
      {.name = "temporal_samples",
       .kind = K::kInt,
       .integer = &Flame::temporal_samples,
       .limits = {1, kMaxTemporalSamples},
       .interpolation = I::kLinear},
      {.name = "background",
       .kind = K::kColour,
       .use = U::kCustom,
       .write = W::kCustom,
       .note = "r g b in [0, 1]; Fractorium and JWildfire may add alpha, read and ignored",
       .interpolation = I::kCustom},
      {.name = "brightness",
       .real = &Flame::brightness,
       .limits = {0.0, kInf},
       .interpolation = I::kLinear},
      {.name = "gamma",
       .real = &Flame::gamma,
       .limits = {0.0, kInf, true},
       .interpolation = I::kLinear},
      {.name = "highlight_power", .real = &Flame::highlight_power, .interpolation = I::kLinear},
      {.name = "vibrancy", .real = &Flame::vibrancy, .interpolation = I::kLinear},
      {.name = "contrast",
       .write = W::kUnlessDefault,
       .real = &Flame::contrast,
       .interpolation = I::kLinear},
      {.name = "estimator_radius",
       .aliases = "estimator",
       .real = &Flame::estimator_radius,
       .limits = {0.0, kMaxEstimatorRadius},
       .interpolation = I::kLinear},
      {.name = "estimator_minimum",
       .real = &Flame::estimator_minimum,
       .limits = {0.0, kMaxEstimatorRadius},
       .interpolation = I::kLinear},
      {.name = "estimator_curve", .real = &Flame::estimator_curve, .interpolation = I::kLinear},
      {.name = "gamma_threshold",
       .real = &Flame::gamma_threshold,
       .limits = {0.0, kInf},
       .interpolation = I::kLinear},
      {.name = "palette_mode",
       .kind = K::kEnum,
       .enumeration = Enum<&Flame::palette_mode, Flame>(kPaletteModes),
       .interpolation = I::kFirst},
      {.name = "interpolation",
       .kind = K::kEnum,
       .enumeration = Enum<&Flame::interpolation, Flame>(kInterpolations, true),
       .interpolation = I::kReset},
      {.name = "interpolation_type",
       .aliases = "interpolation_space",
       .kind = K::kEnum,
       .enumeration = Enum<&Flame::interpolation_type, Flame>(kInterpolationTypes, true),
       .interpolation = I::kFirst},
      {.name = "palette_interpolation",
       .kind = K::kEnum,
       .enumeration = Enum<&Flame::palette_interpolation, Flame>(kPaletteInterpolations, true),
       .interpolation = I::kFirst},
      {.name = "hsv_rgb_palette_blend",
       .write = W::kUnlessDefault,
       .real = &Flame::hsv_rgb_palette_blend,
       .interpolation = I::kReset},
      {.name = "palette",
       .kind = K::kInt,
       .use = U::kCustom,
       .write = W::kCustom,
       .note = "index into flam3-palettes.xml, -1 for none; written with hue",
       .interpolation = I::kCustom},
      {.name = "hue",
       .use = U::kCustom,
       .write = W::kCustom,
       .real = &Flame::hue_rotation,
       .note = "kept as fmod(hue, 1), as flam3 does",
       .interpolation = I::kLinear},
      {.name = "symmetry",
       .kind = K::kInt,
       .write = W::kUnlessDefault,
       .integer = &Flame::symmetry,
       .interpolation = I::kReset},
      {.name = "soloxform",
       .kind = K::kInt,
       .use = U::kCustom,
       .write = W::kNever,
       .note = "Apophysis: every other xform is read with opacity 0",
       .interpolation = I::kNone},
      {.name = "angle",
       .use = U::kCustom,
       .write = W::kNever,
       .note = "Apophysis 2: rotation in radians, rotate = -angle * 180 / pi when rotate is absent",
       .interpolation = I::kNone},

      // Read and ignored: they change nothing in a 2D flam3-style render, or
      // describe something flamegrid does not render (3D cameras, shading,
      // layers, video). Kept verbatim in extra_attributes.
      {.name = "version", .kind = K::kText, .use = U::kIgnored, .note = "every tool: its version"},
      {.name = "enable_de",
       .kind = K::kBool,
       .use = U::kIgnored,
       .neutral = "1",
       .note = "Apophysis 7x turns density estimation off with 0; flam3 and Ember, the "
               "references, apply the flame's estimator whatever it says, and so do we"},
      {.name = "plugins",
       .kind = K::kText,
       .use = U::kIgnored,
       .note = "Apophysis 7x, Fractorium: the variations used, a hint for loaders"},
      {.name = "new_linear",
       .kind = K::kBool,
       .use = U::kIgnored,
       .note = "Apophysis 7x, Fractorium, JWildfire: 'linear' means the 2D linear, as in flam3"},
      {.name = "curves",
       .aliases = "overall_curve red_curve green_curve blue_curve",
       .kind = K::kList,
       .use = U::kIgnored,
       .note = "Apophysis 7x, Fractorium: colour curves (identity unless edited), not applied"},
      {.name = "cam_zpos",
       .aliases = "cam_persp cam_perspective cam_yaw cam_pitch cam_dof cam_pos_x cam_pos_y "
                  "cam_pos_z cam_xfocus cam_yfocus cam_zfocus",
       .use = U::kIgnored,
       .neutral = "0",
       .note = "Apophysis 7x, Fractorium, JWildfire: 3D camera; at 0 the plane is seen flat"},
      {.name = "cam_zoom",
       .use = U::kIgnored,
       .neutral = "1",
       .note = "JWildfire: camera zoom on top of scale"},
      {.name = "blur_curve",
       .aliases = "cam_zdimish cam_dof_area cam_dof_exponent cam_dof_shape cam_dof_scale "
                  "cam_dof_rotate cam_dof_fade cam_dof_param1 cam_dof_param2 cam_dof_param3 "
                  "cam_dof_param4 cam_dof_param5 cam_dof_param6 new_dof",
       .use = U::kIgnored,
       .note = "Fractorium, JWildfire: depth-of-field shape; nothing without cam_dof"},
      {.name = "sub_batch_size",
       .aliases = "fuse rand_range logscale_k2",
       .use = U::kIgnored,
       .note = "Fractorium: iteration tuning and a derived constant"},
      {.name = "filter_type",
       .aliases = "filter_kernel filter_indicator filter_sharpness filter_low_density",
       .kind = K::kText,
       .use = U::kIgnored,
       .note = "JWildfire: its own spatial filter; flam3's filter and filter_shape apply"},
      {.name = "bg_transparency",
       .kind = K::kBool,
       .use = U::kIgnored,
       .note = "JWildfire: transparent output, chosen here with --transparent"},
      {.name = "bg_type",
       .aliases = "bg_ul bg_ur bg_ll bg_lr bg_cc background_image",
       .kind = K::kText,
       .use = U::kIgnored,
       .note = "JWildfire: gradient or image backgrounds; background gives the plain colour"},
      {.name = "fps",
       .aliases = "frame frame_count motion_blur_length motion_blur_timestep motion_blur_decay",
       .use = U::kIgnored,
       .note = "JWildfire: animation timing"},
      {.name = "antialias_amount",
       .aliases = "antialias_radius",
       .use = U::kIgnored,
       .note = "JWildfire: its own anti-aliasing; flam3's filter applies"},
      {.name = "post_symmetry_type",
       .kind = K::kText,
       .use = U::kIgnored,
       .neutral = "NONE",
       .note = "JWildfire: symmetry applied after iteration"},
      {.name = "post_symmetry_order",
       .aliases = "post_symmetry_centre_x post_symmetry_centre_y post_symmetry_distance "
                  "post_symmetry_rotation",
       .use = U::kIgnored,
       .note = "JWildfire: settings of post_symmetry_type"},
      {.name = "stereo3d_mode",
       .kind = K::kText,
       .use = U::kIgnored,
       .neutral = "NONE",
       .note = "JWildfire: stereo rendering"},
      {.name = "stereo3d_angle",
       .aliases = "stereo3d_eye_dist stereo3d_focal_offset stereo3d_left_eye_color "
                  "stereo3d_right_eye_color stereo3d_interpolated_image_count stereo3d_preview "
                  "stereo3d_swap_sides",
       .use = U::kIgnored,
       .note = "JWildfire: settings of stereo3d_mode"},
      {.name = "saturation",
       .use = U::kIgnored,
       .neutral = "1",
       .note = "JWildfire: colour saturation after tone mapping"},
      {.name = "white_level",
       .aliases = "low_density_brightness balancing_red balancing_green balancing_blue",
       .use = U::kIgnored,
       .note = "JWildfire: tone-mapping extras"},
      {.name = "shading_shading",
       .kind = K::kText,
       .use = U::kIgnored,
       .neutral = "FLAT",
       .note = "JWildfire: 3D shading"},
      {.name = "shading_ambient",
       .aliases = "shading_diffuse shading_phong shading_phongSize shading_lightCount "
                  "shading_blurRadius shading_blurFade shading_blurFallOff",
       .use = U::kIgnored,
       .note = "JWildfire: settings of shading_shading, and any other shading_* name "
               "(its numbered lights, shading_lightPosX_0 ...)"},
      {.name = "preserve_z",
       .aliases = "resolution_profile quality_profile layer_name mixer_mode",
       .kind = K::kText,
       .use = U::kIgnored,
       .note = "JWildfire: editor profiles, layers and channel mixer"},
  };
  return table;
}

// Xform attributes, in the order the writer emits them. Variation names and
// parameters come from the variation catalogue (renderer/variations); the
// "*variations*" entry marks where they are written.
const std::vector<XformAttributeSpec>& XformTable() {
  static const std::vector<XformAttributeSpec> table = {
      {.name = "motion_frequency",
       .kind = K::kInt,
       .use = U::kCustom,
       .write = W::kCustom,
       .integer = &Xform::motion_frequency,
       .note = "only in <motion>; written there first",
       .interpolation = I::kReset},
      {.name = "motion_function",
       .kind = K::kEnum,
       .use = U::kCustom,
       .write = W::kCustom,
       .enumeration = Enum<&Xform::motion_function, Xform>(kMotionFunctions),
       .note = "only in <motion>",
       .interpolation = I::kReset},
      {.name = "weight",
       .write = W::kCustom,
       .real = &Xform::weight,
       .limits = {0.0, kInf},
       .note = "not written on a finalxform",
       .interpolation = I::kLinearPositive},
      {.name = "color",
       .kind = K::kList,
       .use = U::kCustom,
       .real = &Xform::color,
       .note = "one number, or flam3's old two (the first is kept)",
       .interpolation = I::kLinearUnit},
      {.name = "color_speed", .real = &Xform::color_speed, .interpolation = I::kLinearUnit},
      {.name = "animate", .real = &Xform::animate, .interpolation = I::kLinear},
      {.name = "opacity", .real = &Xform::opacity, .interpolation = I::kLinear},
      {.name = "*variations*",
       .use = U::kCustom,
       .write = W::kCustom,
       .note = "every variation weight and parameter off its default, by catalogue name",
       .interpolation = I::kCustom},
      {.name = "coefs",
       .kind = K::kList,
       .use = U::kCustom,
       .write = W::kCustom,
       .interpolation = I::kCustom},
      {.name = "post",
       .kind = K::kList,
       .use = U::kCustom,
       .write = W::kCustom,
       .interpolation = I::kCustom},
      {.name = "chaos",
       .kind = K::kList,
       .use = U::kCustom,
       .write = W::kCustom,
       .note = "xaos: one multiplier per xform, only on an <xform>",
       .interpolation = I::kCustom},
      // Read only.
      {.name = "symmetry",
       .use = U::kCustom,
       .write = W::kNever,
       .note = "legacy: s sets color_speed (1 - s) / 2 and animate (s > 0 ? 0 : 1)",
       .interpolation = I::kNone},
      {.name = "plotmode",
       .kind = K::kText,
       .use = U::kCustom,
       .write = W::kNever,
       .note = "Apophysis: \"off\" hides the xform (opacity 0)",
       .interpolation = I::kNone},
      {.name = "var1",
       .kind = K::kInt,
       .use = U::kCustom,
       .write = W::kNever,
       .interpolation = I::kNone},
      {.name = "var",
       .kind = K::kList,
       .use = U::kCustom,
       .write = W::kNever,
       .interpolation = I::kNone},
      {.name = "linear3D",
       .aliases = "pre_linear3D post_linear3D",
       .use = U::kCustom,
       .write = W::kNever,
       .note = "Apophysis 7x, JWildfire: linear with z; in 2D it adds to linear (its pre_ "
               "and post_ forms to linear's)",
       .interpolation = I::kNone},
      {.name = "enabled",
       .kind = K::kBool,
       .use = U::kCustom,
       .write = W::kNever,
       .note = "Apophysis: enabled=\"0\" on a finalxform means no final xform",
       .interpolation = I::kNone},
      {.name = "motion_offset",
       .use = U::kCustom,
       .write = W::kNever,
       .note = "Fractorium: phase of a <motion>; only 0 is supported",
       .interpolation = I::kNone},
      // Read and ignored.
      {.name = "amw_amp",
       .use = U::kIgnored,
       .note = "flam3: a parameter of a variation it no longer has"},
      {.name = "var_color",
       .use = U::kIgnored,
       .note = "Apophysis 7x, Fractorium: weight of a plugin's direct colour; no flam3 "
               "variation sets colour"},
      {.name = "name",
       .kind = K::kText,
       .use = U::kIgnored,
       .note = "Apophysis, Fractorium, JWildfire: the xform's label in the editor"},
      {.name = "color_type",
       .kind = K::kText,
       .use = U::kIgnored,
       .neutral = "DIFFUSION",
       .note = "JWildfire: how colour moves; DIFFUSION is flam3's"},
      {.name = "targetcolor",
       .aliases = "material material_speed",
       .use = U::kIgnored,
       .note = "JWildfire: settings of other color_type modes and of solid rendering"},
      {.name = "mod_gamma",
       .aliases = "mod_gamma_speed mod_contrast mod_contrast_speed mod_saturation "
                  "mod_saturation_speed mod_hue mod_hue_speed",
       .use = U::kIgnored,
       .neutral = "0",
       .note = "JWildfire: per-xform colour modifiers"},
      {.name = "yzCoefs",
       .aliases = "zxCoefs yzPost zxPost",
       .kind = K::kList,
       .use = U::kIgnored,
       .neutral = "1 0 0 1 0 0",
       .note = "JWildfire: affines of the yz and zx planes"},
      {.name = "flatten",
       .aliases = "pre_flatten post_flatten zscale pre_zscale post_zscale ztranslate "
                  "pre_ztranslate post_ztranslate zcone pre_zcone post_zcone",
       .use = U::kIgnored,
       .note = "Apophysis 7x, JWildfire: variations that only move z; nothing in 2D"},
      {.name = "mirror_pre_post_translations",
       .kind = K::kBool,
       .use = U::kIgnored,
       .note = "JWildfire: an editor option (its pull request 164) that keeps the post "
               "affine's translation the negative of the pre affine's while the artist drags; "
               "the saved coefs and post already hold the result"},
      {.name = "waves2_freqz",
       .aliases = "waves2_scalez pre_waves2_freqz pre_waves2_scalez post_waves2_freqz "
                  "post_waves2_scalez",
       .use = U::kIgnored,
       .note = "Ember: waves2's z frequency and scale (and its forms'); they move only z "
               "(Ember's 2D render is the same without them)"},
      {.name = "*_fx_priority",
       .kind = K::kInt,
       .use = U::kIgnored,
       .note = "JWildfire: evaluation order of a variation (a pattern: any name so ending)"},
  };
  return table;
}

template <typename Spec>
std::map<std::string_view, const Spec*> IndexByName(const std::vector<Spec>& table) {
  std::map<std::string_view, const Spec*> index;
  for (const Spec& spec : table) {
    if (spec.name.front() == '*') continue;  // a marker or a pattern, not a name
    index.emplace(spec.name, &spec);
    std::string_view aliases = spec.aliases;
    while (!aliases.empty()) {
      const size_t space = aliases.find(' ');
      const std::string_view alias = aliases.substr(0, space);
      if (!alias.empty()) index.emplace(alias, &spec);
      aliases = space == std::string_view::npos ? std::string_view() : aliases.substr(space + 1);
    }
  }
  return index;
}

}  // namespace

std::span<const FlameAttributeSpec> FlameAttributes() { return FlameTable(); }
std::span<const XformAttributeSpec> XformAttributes() { return XformTable(); }

const FlameAttributeSpec* FindFlameAttribute(std::string_view name) {
  static const auto index = IndexByName(FlameTable());
  const auto it = index.find(name);
  if (it != index.end()) return it->second;
  // JWildfire numbers some of its shading settings (shading_lightPosX_0 ...).
  if (name.starts_with("shading_")) return FindFlameAttribute("shading_ambient");
  return nullptr;
}

const XformAttributeSpec* FindXformAttribute(std::string_view name) {
  static const auto index = IndexByName(XformTable());
  const auto it = index.find(name);
  if (it != index.end()) return it->second;
  for (const XformAttributeSpec& spec : XformTable()) {
    // "*suffix": any name that ends so (and has something before it).
    if (spec.name.size() > 1 && spec.name.front() == '*' && spec.name.back() != '*') {
      const std::string_view suffix = spec.name.substr(1);
      if (name.size() > suffix.size() && name.ends_with(suffix)) return &spec;
    }
  }
  return nullptr;
}

std::string_view EnumValueName(std::span<const EnumName> names, int value) {
  for (const EnumName& entry : names) {
    if (entry.value == value) return entry.name;
  }
  return names.front().name;
}

std::span<const EnumName> MotionFunctionNames() { return kMotionFunctions; }

}  // namespace flamegrid
