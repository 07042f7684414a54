// The closed set of variations (flam3's 99, then some of Apophysis/Ember's):
// their ids, XML names and parameters.
//
// This is the catalogue only, a library of its own (fg_catalogue) so that the
// genome and its parser need no formulas: the formulas live in
// renderer/variations/formulas_*.h (dispatched by variations.cc) and the
// per-render precomputation in renderer/variations/prepared_xform.h.
// Parameter names and defaults are flam3 3.1's (parser.c, initialize_xforms),
// and for the ones beyond flam3 those Apophysis and Ember write and assume.
// The table is constexpr data, so it is thread-safe and usable at compile
// time (the Xform type sizes its dense parameter array from it).
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string_view>

namespace flamegrid {

// The shared per-point values a formula reads besides x, y and the radius
// (flam3's precalc_*_flag): the iterator computes only those its terms need.
enum PointNeeds : unsigned {
  kNeedsNothing = 0,
  kNeedsAtanXY = 1u << 0,  // atan2(x, y)
  kNeedsAtanYX = 1u << 1,  // atan2(y, x)
  kNeedsAngles = 1u << 2,  // x / r and y / r
};

// FLAMEGRID_VARIATIONS(X): the closed set, one entry per variation, in flam3
// 3.1's numbering (VAR_LINEAR = 0 ... VAR_MOBIUS = 98), then the Apophysis/Ember
// ones (99 on):
//
//   X(Name, "xml_name", needs, precalc, vector, {"param", default}...)
//
//   Name      VariationId::kName; its formula is formulas::Name (formulas_*.h)
//   needs     PointNeeds bits the formula reads
//   precalc   the formulas:: function that fills PreparedTerm::precalc once per
//             render, from the parameters (and the affine, for the few that read
//             it); NoPrecalc when there is none
//   vector    Vector when vector_formulas-inl.h has its SIMD twin vf::Name;
//             ScalarOnly when not (flames using it render on the scalar path)
//   params    its parameters with flam3's (or Ember's) defaults,
//             in the order the formula reads them (PreparedTerm::param)
//
// Adding a variation is one entry here plus its formula: the enum, the catalogue
// below, the scalar and SIMD dispatch (variations.cc, vector_formulas-inl.h), the
// XML reader and writer, mutation and interpolation all follow from this list.
// clang-format off
#define FLAMEGRID_VARIATIONS(X)                                                                  \
  X(Linear, "linear", kNeedsNothing, NoPrecalc, Vector)                                       \
  X(Sinusoidal, "sinusoidal", kNeedsNothing, NoPrecalc, Vector)                               \
  X(Spherical, "spherical", kNeedsNothing, NoPrecalc, Vector)                                 \
  X(Swirl, "swirl", kNeedsNothing, NoPrecalc, Vector)                                         \
  X(Horseshoe, "horseshoe", kNeedsNothing, NoPrecalc, Vector)                                 \
  X(Polar, "polar", kNeedsAtanXY, NoPrecalc, Vector)                                          \
  X(Handkerchief, "handkerchief", kNeedsAtanXY, NoPrecalc, Vector)                            \
  X(Heart, "heart", kNeedsAtanXY, NoPrecalc, Vector)                                          \
  X(Disc, "disc", kNeedsAtanXY, NoPrecalc, Vector)                                            \
  X(Spiral, "spiral", kNeedsAngles, NoPrecalc, Vector)                                        \
  X(Hyperbolic, "hyperbolic", kNeedsAngles, NoPrecalc, Vector)                                \
  X(Diamond, "diamond", kNeedsAngles, NoPrecalc, Vector)                                      \
  X(Ex, "ex", kNeedsAtanXY, NoPrecalc, Vector)                                                \
  X(Julia, "julia", kNeedsAtanXY, NoPrecalc, Vector)                                          \
  X(Bent, "bent", kNeedsNothing, NoPrecalc, Vector)                                           \
  X(Waves, "waves", kNeedsNothing, PrepareWaves, Vector)                                      \
  X(Fisheye, "fisheye", kNeedsNothing, NoPrecalc, Vector)                                     \
  X(Popcorn, "popcorn", kNeedsNothing, PreparePopcorn, Vector)                                \
  X(Exponential, "exponential", kNeedsNothing, NoPrecalc, Vector)                             \
  X(Power, "power", kNeedsAngles, NoPrecalc, Vector)                                          \
  X(Cosine, "cosine", kNeedsNothing, NoPrecalc, Vector)                                       \
  X(Rings, "rings", kNeedsAngles, PrepareRings, Vector)                                       \
  X(Fan, "fan", kNeedsAtanXY, PrepareFan, Vector)                                             \
  X(Blob, "blob", kNeedsAtanXY | kNeedsAngles, NoPrecalc, Vector, {"blob_low", 0.0},          \
      {"blob_high", 1.0}, {"blob_waves", 1.0})                                                \
  X(Pdj, "pdj", kNeedsNothing, NoPrecalc, Vector, {"pdj_a", 0.0}, {"pdj_b", 0.0},             \
      {"pdj_c", 0.0}, {"pdj_d", 0.0})                                                         \
  X(Fan2, "fan2", kNeedsAtanXY, NoPrecalc, Vector, {"fan2_x", 0.0}, {"fan2_y", 0.0})          \
  X(Rings2, "rings2", kNeedsAngles, NoPrecalc, Vector, {"rings2_val", 0.0})                   \
  X(Eyefish, "eyefish", kNeedsNothing, NoPrecalc, Vector)                                     \
  X(Bubble, "bubble", kNeedsNothing, NoPrecalc, Vector)                                       \
  X(Cylinder, "cylinder", kNeedsNothing, NoPrecalc, Vector)                                   \
  X(Perspective, "perspective", kNeedsNothing, PreparePerspective, Vector,                    \
      {"perspective_angle", 0.0}, {"perspective_dist", 0.0})                                  \
  X(Noise, "noise", kNeedsNothing, NoPrecalc, Vector)                                         \
  X(Julian, "julian", kNeedsAtanYX, PrepareJulianLike, Vector, {"julian_power", 1.0},         \
      {"julian_dist", 1.0})                                                                   \
  X(Juliascope, "juliascope", kNeedsAtanYX, PrepareJulianLike, Vector,                        \
      {"juliascope_power", 1.0}, {"juliascope_dist", 1.0})                                    \
  X(Blur, "blur", kNeedsNothing, NoPrecalc, Vector)                                           \
  X(GaussianBlur, "gaussian_blur", kNeedsNothing, NoPrecalc, Vector)                          \
  X(RadialBlur, "radial_blur", kNeedsAtanYX, PrepareRadialBlur, Vector,                       \
      {"radial_blur_angle", 0.0})                                                             \
  X(Pie, "pie", kNeedsNothing, NoPrecalc, Vector, {"pie_slices", 6.0}, {"pie_rotation", 0.0}, \
      {"pie_thickness", 0.5})                                                                 \
  X(Ngon, "ngon", kNeedsAtanYX, NoPrecalc, Vector, {"ngon_sides", 5.0}, {"ngon_power", 3.0},  \
      {"ngon_circle", 1.0}, {"ngon_corners", 2.0})                                            \
  X(Curl, "curl", kNeedsNothing, NoPrecalc, Vector, {"curl_c1", 1.0}, {"curl_c2", 0.0})       \
  X(Rectangles, "rectangles", kNeedsNothing, NoPrecalc, Vector, {"rectangles_x", 1.0},        \
      {"rectangles_y", 1.0})                                                                  \
  X(Arch, "arch", kNeedsNothing, NoPrecalc, Vector)                                           \
  X(Tangent, "tangent", kNeedsNothing, NoPrecalc, Vector)                                     \
  X(Square, "square", kNeedsNothing, NoPrecalc, Vector)                                       \
  X(Rays, "rays", kNeedsNothing, NoPrecalc, Vector)                                           \
  X(Blade, "blade", kNeedsNothing, NoPrecalc, Vector)                                         \
  X(Secant2, "secant2", kNeedsNothing, NoPrecalc, Vector)                                     \
  X(Twintrian, "twintrian", kNeedsNothing, NoPrecalc, Vector)                                 \
  X(Cross, "cross", kNeedsNothing, NoPrecalc, Vector)                                         \
  X(Disc2, "disc2", kNeedsAtanXY, PrepareDisc2, Vector, {"disc2_rot", 0.0},                   \
      {"disc2_twist", 0.0})                                                                   \
  X(SuperShape, "super_shape", kNeedsAtanYX, PrepareSuperShape, Vector,                       \
      {"super_shape_rnd", 0.0}, {"super_shape_m", 0.0}, {"super_shape_n1", 1.0},              \
      {"super_shape_n2", 1.0}, {"super_shape_n3", 1.0}, {"super_shape_holes", 0.0})           \
  X(Flower, "flower", kNeedsAtanYX, NoPrecalc, Vector, {"flower_petals", 0.0},                \
      {"flower_holes", 0.0})                                                                  \
  X(Conic, "conic", kNeedsAtanYX, NoPrecalc, Vector, {"conic_eccentricity", 1.0},             \
      {"conic_holes", 0.0})                                                                   \
  X(Parabola, "parabola", kNeedsNothing, NoPrecalc, Vector, {"parabola_height", 0.0},         \
      {"parabola_width", 0.0})                                                                \
  X(Bent2, "bent2", kNeedsNothing, NoPrecalc, Vector, {"bent2_x", 1.0}, {"bent2_y", 1.0})     \
  X(Bipolar, "bipolar", kNeedsNothing, NoPrecalc, Vector, {"bipolar_shift", 0.0})             \
  X(Boarders, "boarders", kNeedsNothing, NoPrecalc, Vector)                                   \
  X(Butterfly, "butterfly", kNeedsNothing, NoPrecalc, Vector)                                 \
  X(Cell, "cell", kNeedsNothing, NoPrecalc, Vector, {"cell_size", 1.0})                       \
  X(Cpow, "cpow", kNeedsAtanYX, NoPrecalc, Vector, {"cpow_r", 1.0}, {"cpow_i", 0.0},          \
      {"cpow_power", 1.0})                                                                    \
  X(Curve, "curve", kNeedsNothing, NoPrecalc, Vector, {"curve_xamp", 0.0},                    \
      {"curve_yamp", 0.0}, {"curve_xlength", 1.0}, {"curve_ylength", 1.0})                    \
  X(Edisc, "edisc", kNeedsNothing, NoPrecalc, Vector)                                         \
  X(Elliptic, "elliptic", kNeedsNothing, NoPrecalc, Vector)                                   \
  X(Escher, "escher", kNeedsAtanYX, PrepareEscher, Vector, {"escher_beta", 0.0})              \
  X(Foci, "foci", kNeedsNothing, NoPrecalc, Vector)                                           \
  X(Lazysusan, "lazysusan", kNeedsNothing, NoPrecalc, Vector, {"lazysusan_spin", 0.0},        \
      {"lazysusan_space", 0.0}, {"lazysusan_twist", 0.0}, {"lazysusan_x", 0.0},               \
      {"lazysusan_y", 0.0})                                                                   \
  X(Loonie, "loonie", kNeedsNothing, NoPrecalc, Vector)                                       \
  X(PreBlur, "pre_blur", kNeedsNothing, NoPrecalc, Vector)                                    \
  X(Modulus, "modulus", kNeedsNothing, NoPrecalc, Vector, {"modulus_x", 0.0},                 \
      {"modulus_y", 0.0})                                                                     \
  X(Oscilloscope, "oscilloscope", kNeedsNothing, NoPrecalc, Vector,                           \
      {"oscilloscope_separation", 1.0}, {"oscilloscope_frequency", 3.14159265358979323846},   \
      {"oscilloscope_amplitude", 1.0}, {"oscilloscope_damping", 0.0})                         \
  X(Polar2, "polar2", kNeedsAtanXY, NoPrecalc, Vector)                                        \
  X(Popcorn2, "popcorn2", kNeedsNothing, NoPrecalc, Vector, {"popcorn2_x", 0.0},              \
      {"popcorn2_y", 0.0}, {"popcorn2_c", 0.0})                                               \
  X(Scry, "scry", kNeedsNothing, NoPrecalc, Vector)                                           \
  X(Separation, "separation", kNeedsNothing, NoPrecalc, Vector, {"separation_x", 0.0},        \
      {"separation_xinside", 0.0}, {"separation_y", 0.0}, {"separation_yinside", 0.0})        \
  X(Split, "split", kNeedsNothing, NoPrecalc, Vector, {"split_xsize", 0.0},                   \
      {"split_ysize", 0.0})                                                                   \
  X(Splits, "splits", kNeedsNothing, NoPrecalc, Vector, {"splits_x", 0.0}, {"splits_y", 0.0}) \
  X(Stripes, "stripes", kNeedsNothing, NoPrecalc, Vector, {"stripes_space", 0.0},             \
      {"stripes_warp", 0.0})                                                                  \
  X(Wedge, "wedge", kNeedsAtanYX, NoPrecalc, Vector, {"wedge_angle", 0.0},                    \
      {"wedge_hole", 0.0}, {"wedge_count", 1.0}, {"wedge_swirl", 0.0})                        \
  X(WedgeJulia, "wedge_julia", kNeedsAtanYX, PrepareWedgeJulia, Vector,                       \
      {"wedge_julia_angle", 0.0}, {"wedge_julia_count", 1.0}, {"wedge_julia_power", 1.0},     \
      {"wedge_julia_dist", 0.0})                                                              \
  X(WedgeSph, "wedge_sph", kNeedsAtanYX, NoPrecalc, Vector, {"wedge_sph_angle", 0.0},         \
      {"wedge_sph_count", 1.0}, {"wedge_sph_hole", 0.0}, {"wedge_sph_swirl", 0.0})            \
  X(Whorl, "whorl", kNeedsAtanYX, NoPrecalc, Vector, {"whorl_inside", 0.0},                   \
      {"whorl_outside", 0.0})                                                                 \
  X(Waves2, "waves2", kNeedsNothing, NoPrecalc, Vector, {"waves2_freqx", 0.0},                \
      {"waves2_scalex", 0.0}, {"waves2_freqy", 0.0}, {"waves2_scaley", 0.0})                  \
  X(Exp, "exp", kNeedsNothing, NoPrecalc, Vector)                                             \
  /* log_base is Ember's (flam3's log has none); at its default, e, log is flam3's. */     \
  X(Log, "log", kNeedsAtanYX, PrepareLog, Vector, {"log_base", 2.71828182845904523536})     \
  X(Sin, "sin", kNeedsNothing, NoPrecalc, Vector)                                             \
  X(Cos, "cos", kNeedsNothing, NoPrecalc, Vector)                                             \
  X(Tan, "tan", kNeedsNothing, NoPrecalc, Vector)                                             \
  X(Sec, "sec", kNeedsNothing, NoPrecalc, Vector)                                             \
  X(Csc, "csc", kNeedsNothing, NoPrecalc, Vector)                                             \
  X(Cot, "cot", kNeedsNothing, NoPrecalc, Vector)                                             \
  X(Sinh, "sinh", kNeedsNothing, NoPrecalc, Vector)                                           \
  X(Cosh, "cosh", kNeedsNothing, NoPrecalc, Vector)                                           \
  X(Tanh, "tanh", kNeedsNothing, NoPrecalc, Vector)                                           \
  X(Sech, "sech", kNeedsNothing, NoPrecalc, Vector)                                           \
  X(Csch, "csch", kNeedsNothing, NoPrecalc, Vector)                                           \
  X(Coth, "coth", kNeedsNothing, NoPrecalc, Vector)                                           \
  X(Auger, "auger", kNeedsNothing, NoPrecalc, Vector, {"auger_sym", 0.0},                     \
      {"auger_weight", 0.5}, {"auger_freq", 1.0}, {"auger_scale", 1.0})                       \
  X(Flux, "flux", kNeedsNothing, NoPrecalc, Vector, {"flux_spread", 0.0})                     \
  /* flam3 3.1 starts all eight at 0, not at the identity map: mobius without */              \
  /* parameters divides by zero and flam3 counts every point as a bad value.  */              \
  X(Mobius, "mobius", kNeedsNothing, NoPrecalc, Vector, {"mobius_re_a", 0.0},                 \
      {"mobius_im_a", 0.0}, {"mobius_re_b", 0.0}, {"mobius_im_b", 0.0}, {"mobius_re_c", 0.0}, \
      {"mobius_im_c", 0.0}, {"mobius_re_d", 0.0}, {"mobius_im_d", 0.0})                       \
  /* Beyond flam3: Apophysis/Ember variations (formulas_ember.h), parameter     */            \
  /* names and defaults as Apophysis and Ember write them. (linear3D, flatten,  */            \
  /* zscale, ztranslate and zcone need no entry: the XML reader maps them.)     */            \
  X(ZBlur, "zblur", kNeedsNothing, NoPrecalc, ScalarOnly)                                     \
  X(Spherical3D, "Spherical3D", kNeedsNothing, NoPrecalc, ScalarOnly)                         \
  X(Hemisphere, "hemisphere", kNeedsNothing, NoPrecalc, ScalarOnly)                           \
  X(Julia3D, "julia3D", kNeedsAtanYX, PrepareJulia3D, ScalarOnly, {"julia3D_power", 2.0})     \
  X(Blur3D, "blur3D", kNeedsNothing, NoPrecalc, ScalarOnly)                                   \
  X(SineBlur, "sineblur", kNeedsNothing, PrepareSineBlur, ScalarOnly,                         \
      {"sineblur_power", 1.0})                                                                \
  X(BlurLinear, "blur_linear", kNeedsNothing, PrepareBlurLinear, ScalarOnly,                  \
      {"blur_linear_length", 0.0}, {"blur_linear_angle", 0.0})                                \
  X(BlurZoom, "blur_zoom", kNeedsNothing, NoPrecalc, ScalarOnly, {"blur_zoom_length", 0.0},   \
      {"blur_zoom_x", 0.0}, {"blur_zoom_y", 0.0})                                             \
  X(TwoFace, "twoface", kNeedsNothing, NoPrecalc, ScalarOnly)                                \
  X(Epispiral, "epispiral", kNeedsAtanYX, NoPrecalc, ScalarOnly, {"epispiral_n", 6.0},       \
      {"epispiral_thickness", 0.0}, {"epispiral_holes", 1.0})                                 \
  X(BlurCircle, "blur_circle", kNeedsNothing, NoPrecalc, ScalarOnly)                          \
  X(TileLog, "tile_log", kNeedsNothing, NoPrecalc, ScalarOnly, {"tile_log_spread", 1.0})      \
  X(Glynnia, "glynnia", kNeedsNothing, NoPrecalc, ScalarOnly)                               \
  /* Ember's tail (formulas_ember_tail.h). mirror_x and rotate_z ignore their  */            \
  /* weight's size, as Ember does; see there.                                   */            \
  X(Gaussian, "gaussian", kNeedsNothing, NoPrecalc, ScalarOnly)                              \
  X(MirrorX, "mirror_x", kNeedsNothing, NoPrecalc, ScalarOnly)                               \
  X(RotateZ, "rotate_z", kNeedsNothing, PrepareRotateZ, ScalarOnly)                          \
  X(EJulia, "eJulia", kNeedsNothing, PrepareEJulia, ScalarOnly, {"eJulia_power", 2.0})       \
  X(Hypertile, "hypertile", kNeedsNothing, PrepareHypertile, ScalarOnly, {"hypertile_p", 3.0}, \
      {"hypertile_q", 7.0}, {"hypertile_n", 0.0})                                             \
  X(RBlur, "rblur", kNeedsNothing, NoPrecalc, ScalarOnly, {"rblur_strength", 1.0},            \
      {"rblur_offset", 1.0}, {"rblur_center_x", 0.0}, {"rblur_center_y", 0.0})                \
  X(PowBlock, "pow_block", kNeedsAtanYX, PreparePowBlock, ScalarOnly,                        \
      {"pow_block_numerator", 3.0}, {"pow_block_denominator", 2.0}, {"pow_block_root", 1.0},   \
      {"pow_block_correctn", 1.0}, {"pow_block_correctd", 1.0})                               \
  X(Depth, "depth", kNeedsNothing, NoPrecalc, ScalarOnly, {"depth_power", 1.0})
// clang-format on

enum class VariationId : uint8_t {
#define FLAMEGRID_VARIATION_ENUM(Name, ...) k##Name,
  FLAMEGRID_VARIATIONS(FLAMEGRID_VARIATION_ENUM)
#undef FLAMEGRID_VARIATION_ENUM
};

#define FLAMEGRID_VARIATION_ONE(...) +1
inline constexpr int kVariationCount = 0 FLAMEGRID_VARIATIONS(FLAMEGRID_VARIATION_ONE);
#undef FLAMEGRID_VARIATION_ONE
// flam3 3.1's own variations come first, linear (0) to mobius (98); the
// Apophysis/Ember ones follow. flam3-genome draws only from these, and their
// references are flam3's, not Ember's.
inline constexpr int kFlam3VariationCount = static_cast<int>(VariationId::kMobius) + 1;
static_assert(kFlam3VariationCount == 99, "flam3 3.1 has 99 variations");

// A parameter as an entry spells it: its attribute name and default.
struct VariationParamDefault {
  std::string_view name;
  double default_value;
};

// One variation parameter: its full XML attribute name and flam3's default.
struct VariationParamInfo {
  VariationId variation = VariationId::kLinear;
  std::string_view name;  // e.g. "julian_power"
  double default_value = 0.0;
};

namespace catalogue_internal {

constexpr int CountParams() {
  int count = 0;
#define FLAMEGRID_VARIATION_COUNT_PARAMS(Name, xml, needs, precalc, vector, ...) \
  count += static_cast<int>(std::initializer_list<VariationParamDefault>{__VA_ARGS__}.size());
  FLAMEGRID_VARIATIONS(FLAMEGRID_VARIATION_COUNT_PARAMS)
#undef FLAMEGRID_VARIATION_COUNT_PARAMS
  return count;
}

template <int kCount>
constexpr std::array<VariationParamInfo, kCount> ListParams() {
  std::array<VariationParamInfo, kCount> params{};
  int next = 0;
#define FLAMEGRID_VARIATION_LIST_PARAMS(Name, xml, needs, precalc, vector, ...) \
  for (const VariationParamDefault& p :                                         \
       std::initializer_list<VariationParamDefault>{__VA_ARGS__}) {             \
    params[next++] = {VariationId::k##Name, p.name, p.default_value};           \
  }
  FLAMEGRID_VARIATIONS(FLAMEGRID_VARIATION_LIST_PARAMS)
#undef FLAMEGRID_VARIATION_LIST_PARAMS
  return params;
}

}  // namespace catalogue_internal

inline constexpr int kVariationParamCount = catalogue_internal::CountParams();

// Every parameter of every variation, grouped by variation in id order. An
// Xform stores its parameters densely in this order (see Xform::params).
inline constexpr std::array<VariationParamInfo, kVariationParamCount> kVariationParams =
    catalogue_internal::ListParams<kVariationParamCount>();

inline constexpr int kMaxParamsPerVariation = 8;  // mobius

struct VariationInfo {
  VariationId id;
  std::string_view name;  // the XML attribute, e.g. "julian"
  int first_param;        // index into kVariationParams
  int param_count;
  unsigned point_needs;     // PointNeeds bits
  bool has_precalc;         // the entry names a precalc function
  bool has_vector_formula;  // the entry says Vector
};

// The catalogue entry for `id`.
const VariationInfo& GetVariationInfo(VariationId id);
// All of them, in id order.
std::span<const VariationInfo> AllVariations();
// By XML name ("linear", "julian", ...); nullopt when unknown.
std::optional<VariationId> FindVariation(std::string_view name);
// The PointNeeds bits of `id`'s formula.
inline unsigned VariationPointNeeds(VariationId id) { return GetVariationInfo(id).point_needs; }
// By full parameter attribute name ("julian_power"): the index into
// kVariationParams, or nullopt when it is not a parameter.
std::optional<int> FindVariationParam(std::string_view attribute_name);

inline int VariationIndex(VariationId id) { return static_cast<int>(id); }

}  // namespace flamegrid
