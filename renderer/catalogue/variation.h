// The closed set of flam3 variations: their ids, XML names and parameters.
//
// This is the catalogue only, a library of its own (fg_catalogue) so that the
// genome and its parser need no formulas: the formulas live in
// renderer/variations/formulas_*.h (dispatched by variations.cc) and the
// per-render precomputation in renderer/variations/prepared_xform.h.
// Parameter names and defaults are flam3 3.1's (parser.c, initialize_xforms).
// The table is constexpr data, so it is thread-safe and usable at compile
// time (the Xform type sizes its dense parameter array from it).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace flamegrid {

// X(Enum, "xml_name"), in flam3 3.1's numbering (VAR_LINEAR = 0 ... VAR_MOBIUS = 98).
// clang-format off
#define FLAMEGRID_VARIATIONS(X)          \
  X(Linear, "linear")              \
  X(Sinusoidal, "sinusoidal")      \
  X(Spherical, "spherical")        \
  X(Swirl, "swirl")                \
  X(Horseshoe, "horseshoe")        \
  X(Polar, "polar")                \
  X(Handkerchief, "handkerchief")  \
  X(Heart, "heart")                \
  X(Disc, "disc")                  \
  X(Spiral, "spiral")              \
  X(Hyperbolic, "hyperbolic")      \
  X(Diamond, "diamond")            \
  X(Ex, "ex")                      \
  X(Julia, "julia")                \
  X(Bent, "bent")                  \
  X(Waves, "waves")                \
  X(Fisheye, "fisheye")            \
  X(Popcorn, "popcorn")            \
  X(Exponential, "exponential")    \
  X(Power, "power")                \
  X(Cosine, "cosine")              \
  X(Rings, "rings")                \
  X(Fan, "fan")                    \
  X(Blob, "blob")                  \
  X(Pdj, "pdj")                    \
  X(Fan2, "fan2")                  \
  X(Rings2, "rings2")              \
  X(Eyefish, "eyefish")            \
  X(Bubble, "bubble")              \
  X(Cylinder, "cylinder")          \
  X(Perspective, "perspective")    \
  X(Noise, "noise")                \
  X(Julian, "julian")              \
  X(Juliascope, "juliascope")      \
  X(Blur, "blur")                  \
  X(GaussianBlur, "gaussian_blur") \
  X(RadialBlur, "radial_blur")     \
  X(Pie, "pie")                    \
  X(Ngon, "ngon")                  \
  X(Curl, "curl")                  \
  X(Rectangles, "rectangles")      \
  X(Arch, "arch")                  \
  X(Tangent, "tangent")            \
  X(Square, "square")              \
  X(Rays, "rays")                  \
  X(Blade, "blade")                \
  X(Secant2, "secant2")            \
  X(Twintrian, "twintrian")        \
  X(Cross, "cross")                \
  X(Disc2, "disc2")                \
  X(SuperShape, "super_shape")     \
  X(Flower, "flower")              \
  X(Conic, "conic")                \
  X(Parabola, "parabola")          \
  X(Bent2, "bent2")                \
  X(Bipolar, "bipolar")            \
  X(Boarders, "boarders")          \
  X(Butterfly, "butterfly")        \
  X(Cell, "cell")                  \
  X(Cpow, "cpow")                  \
  X(Curve, "curve")                \
  X(Edisc, "edisc")                \
  X(Elliptic, "elliptic")          \
  X(Escher, "escher")              \
  X(Foci, "foci")                  \
  X(Lazysusan, "lazysusan")        \
  X(Loonie, "loonie")              \
  X(PreBlur, "pre_blur")           \
  X(Modulus, "modulus")            \
  X(Oscilloscope, "oscilloscope")  \
  X(Polar2, "polar2")              \
  X(Popcorn2, "popcorn2")          \
  X(Scry, "scry")                  \
  X(Separation, "separation")      \
  X(Split, "split")                \
  X(Splits, "splits")              \
  X(Stripes, "stripes")            \
  X(Wedge, "wedge")                \
  X(WedgeJulia, "wedge_julia")     \
  X(WedgeSph, "wedge_sph")         \
  X(Whorl, "whorl")                \
  X(Waves2, "waves2")              \
  X(Exp, "exp")                    \
  X(Log, "log")                    \
  X(Sin, "sin")                    \
  X(Cos, "cos")                    \
  X(Tan, "tan")                    \
  X(Sec, "sec")                    \
  X(Csc, "csc")                    \
  X(Cot, "cot")                    \
  X(Sinh, "sinh")                  \
  X(Cosh, "cosh")                  \
  X(Tanh, "tanh")                  \
  X(Sech, "sech")                  \
  X(Csch, "csch")                  \
  X(Coth, "coth")                  \
  X(Auger, "auger")                \
  X(Flux, "flux")                  \
  X(Mobius, "mobius")
// clang-format on

enum class VariationId : uint8_t {
#define FLAMEGRID_VARIATION_ENUM(name, xml) k##name,
  FLAMEGRID_VARIATIONS(FLAMEGRID_VARIATION_ENUM)
#undef FLAMEGRID_VARIATION_ENUM
};

inline constexpr int kVariationCount = 99;

// One variation parameter: its full XML attribute name and flam3's default.
struct VariationParamInfo {
  VariationId variation;
  std::string_view name;  // e.g. "julian_power"
  double default_value;
};

// Every parameter of every variation, grouped by variation in id order. An
// Xform stores its parameters densely in this order (see Xform::params).
inline constexpr VariationParamInfo kVariationParams[] = {
    {VariationId::kBlob, "blob_low", 0.0},
    {VariationId::kBlob, "blob_high", 1.0},
    {VariationId::kBlob, "blob_waves", 1.0},
    {VariationId::kPdj, "pdj_a", 0.0},
    {VariationId::kPdj, "pdj_b", 0.0},
    {VariationId::kPdj, "pdj_c", 0.0},
    {VariationId::kPdj, "pdj_d", 0.0},
    {VariationId::kFan2, "fan2_x", 0.0},
    {VariationId::kFan2, "fan2_y", 0.0},
    {VariationId::kRings2, "rings2_val", 0.0},
    {VariationId::kPerspective, "perspective_angle", 0.0},
    {VariationId::kPerspective, "perspective_dist", 0.0},
    {VariationId::kJulian, "julian_power", 1.0},
    {VariationId::kJulian, "julian_dist", 1.0},
    {VariationId::kJuliascope, "juliascope_power", 1.0},
    {VariationId::kJuliascope, "juliascope_dist", 1.0},
    {VariationId::kRadialBlur, "radial_blur_angle", 0.0},
    {VariationId::kPie, "pie_slices", 6.0},
    {VariationId::kPie, "pie_rotation", 0.0},
    {VariationId::kPie, "pie_thickness", 0.5},
    {VariationId::kNgon, "ngon_sides", 5.0},
    {VariationId::kNgon, "ngon_power", 3.0},
    {VariationId::kNgon, "ngon_circle", 1.0},
    {VariationId::kNgon, "ngon_corners", 2.0},
    {VariationId::kCurl, "curl_c1", 1.0},
    {VariationId::kCurl, "curl_c2", 0.0},
    {VariationId::kRectangles, "rectangles_x", 1.0},
    {VariationId::kRectangles, "rectangles_y", 1.0},
    {VariationId::kDisc2, "disc2_rot", 0.0},
    {VariationId::kDisc2, "disc2_twist", 0.0},
    {VariationId::kSuperShape, "super_shape_rnd", 0.0},
    {VariationId::kSuperShape, "super_shape_m", 0.0},
    {VariationId::kSuperShape, "super_shape_n1", 1.0},
    {VariationId::kSuperShape, "super_shape_n2", 1.0},
    {VariationId::kSuperShape, "super_shape_n3", 1.0},
    {VariationId::kSuperShape, "super_shape_holes", 0.0},
    {VariationId::kFlower, "flower_petals", 0.0},
    {VariationId::kFlower, "flower_holes", 0.0},
    {VariationId::kConic, "conic_eccentricity", 1.0},
    {VariationId::kConic, "conic_holes", 0.0},
    {VariationId::kParabola, "parabola_height", 0.0},
    {VariationId::kParabola, "parabola_width", 0.0},
    {VariationId::kBent2, "bent2_x", 1.0},
    {VariationId::kBent2, "bent2_y", 1.0},
    {VariationId::kBipolar, "bipolar_shift", 0.0},
    {VariationId::kCell, "cell_size", 1.0},
    {VariationId::kCpow, "cpow_r", 1.0},
    {VariationId::kCpow, "cpow_i", 0.0},
    {VariationId::kCpow, "cpow_power", 1.0},
    {VariationId::kCurve, "curve_xamp", 0.0},
    {VariationId::kCurve, "curve_yamp", 0.0},
    {VariationId::kCurve, "curve_xlength", 1.0},
    {VariationId::kCurve, "curve_ylength", 1.0},
    {VariationId::kEscher, "escher_beta", 0.0},
    {VariationId::kLazysusan, "lazysusan_spin", 0.0},
    {VariationId::kLazysusan, "lazysusan_space", 0.0},
    {VariationId::kLazysusan, "lazysusan_twist", 0.0},
    {VariationId::kLazysusan, "lazysusan_x", 0.0},
    {VariationId::kLazysusan, "lazysusan_y", 0.0},
    {VariationId::kModulus, "modulus_x", 0.0},
    {VariationId::kModulus, "modulus_y", 0.0},
    {VariationId::kOscilloscope, "oscilloscope_separation", 1.0},
    {VariationId::kOscilloscope, "oscilloscope_frequency", 3.14159265358979323846},
    {VariationId::kOscilloscope, "oscilloscope_amplitude", 1.0},
    {VariationId::kOscilloscope, "oscilloscope_damping", 0.0},
    {VariationId::kPopcorn2, "popcorn2_x", 0.0},
    {VariationId::kPopcorn2, "popcorn2_y", 0.0},
    {VariationId::kPopcorn2, "popcorn2_c", 0.0},
    {VariationId::kSeparation, "separation_x", 0.0},
    {VariationId::kSeparation, "separation_xinside", 0.0},
    {VariationId::kSeparation, "separation_y", 0.0},
    {VariationId::kSeparation, "separation_yinside", 0.0},
    {VariationId::kSplit, "split_xsize", 0.0},
    {VariationId::kSplit, "split_ysize", 0.0},
    {VariationId::kSplits, "splits_x", 0.0},
    {VariationId::kSplits, "splits_y", 0.0},
    {VariationId::kStripes, "stripes_space", 0.0},
    {VariationId::kStripes, "stripes_warp", 0.0},
    {VariationId::kWedge, "wedge_angle", 0.0},
    {VariationId::kWedge, "wedge_hole", 0.0},
    {VariationId::kWedge, "wedge_count", 1.0},
    {VariationId::kWedge, "wedge_swirl", 0.0},
    {VariationId::kWedgeJulia, "wedge_julia_angle", 0.0},
    {VariationId::kWedgeJulia, "wedge_julia_count", 1.0},
    {VariationId::kWedgeJulia, "wedge_julia_power", 1.0},
    {VariationId::kWedgeJulia, "wedge_julia_dist", 0.0},
    {VariationId::kWedgeSph, "wedge_sph_angle", 0.0},
    {VariationId::kWedgeSph, "wedge_sph_count", 1.0},
    {VariationId::kWedgeSph, "wedge_sph_hole", 0.0},
    {VariationId::kWedgeSph, "wedge_sph_swirl", 0.0},
    {VariationId::kWhorl, "whorl_inside", 0.0},
    {VariationId::kWhorl, "whorl_outside", 0.0},
    {VariationId::kWaves2, "waves2_freqx", 0.0},
    {VariationId::kWaves2, "waves2_scalex", 0.0},
    {VariationId::kWaves2, "waves2_freqy", 0.0},
    {VariationId::kWaves2, "waves2_scaley", 0.0},
    {VariationId::kAuger, "auger_sym", 0.0},
    {VariationId::kAuger, "auger_weight", 0.5},
    {VariationId::kAuger, "auger_freq", 1.0},
    {VariationId::kAuger, "auger_scale", 1.0},
    {VariationId::kFlux, "flux_spread", 0.0},
    // flam3 3.1 starts all eight at 0, not at the identity map: mobius without
    // parameters divides by zero and flam3 counts every point as a bad value.
    {VariationId::kMobius, "mobius_re_a", 0.0},
    {VariationId::kMobius, "mobius_im_a", 0.0},
    {VariationId::kMobius, "mobius_re_b", 0.0},
    {VariationId::kMobius, "mobius_im_b", 0.0},
    {VariationId::kMobius, "mobius_re_c", 0.0},
    {VariationId::kMobius, "mobius_im_c", 0.0},
    {VariationId::kMobius, "mobius_re_d", 0.0},
    {VariationId::kMobius, "mobius_im_d", 0.0},
};

inline constexpr int kVariationParamCount =
    static_cast<int>(sizeof(kVariationParams) / sizeof(kVariationParams[0]));
inline constexpr int kMaxParamsPerVariation = 8;  // mobius

struct VariationInfo {
  VariationId id;
  std::string_view name;  // the XML attribute, e.g. "julian"
  int first_param;        // index into kVariationParams
  int param_count;
};

// The catalogue entry for `id`.
const VariationInfo& GetVariationInfo(VariationId id);
// All 99, in id order.
std::span<const VariationInfo> AllVariations();
// By XML name ("linear", "julian", ...); nullopt when unknown.
std::optional<VariationId> FindVariation(std::string_view name);
// By full parameter attribute name ("julian_power"): the index into
// kVariationParams, or nullopt when it is not a parameter.
std::optional<int> FindVariationParam(std::string_view attribute_name);

inline int VariationIndex(VariationId id) { return static_cast<int>(id); }

}  // namespace flamegrid
