// The closed set of variations (flam3's 99, then some of Apophysis/Ember's,
// then the pre_ and post_ forms of each, generated from them): their ids, XML
// names and parameters.
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
//             ScalarOnly when not (an xform using it maps point by point
//             through the scalar formulas, VectorXform's scalar fallback)
//   params    its parameters with flam3's (or Ember's) defaults,
//             in the order the formula reads them (PreparedTerm::param)
//
// Adding a variation is one entry here plus its formula: the enum, the catalogue
// below, the scalar and SIMD dispatch (variations.cc, vector_formulas-inl.h), the
// XML reader and writer, mutation and interpolation all follow from this list,
// and so do its pre_ and post_ forms (below). If its formula reads no point, its
// name goes in kFormsAddedToThePoint too (a test says so).
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
  X(ZBlur, "zblur", kNeedsNothing, NoPrecalc, Vector)                                         \
  X(Spherical3D, "Spherical3D", kNeedsNothing, NoPrecalc, Vector)                             \
  X(Hemisphere, "hemisphere", kNeedsNothing, NoPrecalc, Vector)                               \
  X(Julia3D, "julia3D", kNeedsAtanYX, PrepareJulia3D, Vector, {"julia3D_power", 2.0})         \
  X(Blur3D, "blur3D", kNeedsNothing, NoPrecalc, Vector)                                       \
  X(SineBlur, "sineblur", kNeedsNothing, PrepareSineBlur, Vector,                             \
      {"sineblur_power", 1.0})                                                                \
  X(BlurLinear, "blur_linear", kNeedsNothing, PrepareBlurLinear, Vector,                      \
      {"blur_linear_length", 0.0}, {"blur_linear_angle", 0.0})                                \
  X(BlurZoom, "blur_zoom", kNeedsNothing, NoPrecalc, Vector, {"blur_zoom_length", 0.0},       \
      {"blur_zoom_x", 0.0}, {"blur_zoom_y", 0.0})                                             \
  X(TwoFace, "twoface", kNeedsNothing, NoPrecalc, Vector)                                     \
  X(Epispiral, "epispiral", kNeedsAtanYX, NoPrecalc, Vector, {"epispiral_n", 6.0},            \
      {"epispiral_thickness", 0.0}, {"epispiral_holes", 1.0})                                 \
  X(BlurCircle, "blur_circle", kNeedsNothing, NoPrecalc, Vector)                              \
  X(TileLog, "tile_log", kNeedsNothing, NoPrecalc, Vector, {"tile_log_spread", 1.0})          \
  X(Glynnia, "glynnia", kNeedsNothing, NoPrecalc, Vector)                                    \
  /* formulas_ember_more.h. Apophysis' Mobius is not flam3's mobius. Its     */                \
  /* parameters as Ember writes them; the reader also takes Apophysis' Re_A. */               \
  X(MobiusApophysis, "Mobius", kNeedsNothing, NoPrecalc, Vector, {"Mobius_Re_A", 1.0},               \
      {"Mobius_Im_A", 0.0}, {"Mobius_Re_B", 0.0}, {"Mobius_Im_B", 0.0}, {"Mobius_Re_C", 0.0}, {"Mobius_Im_C", 0.0},              \
      {"Mobius_Re_D", 1.0}, {"Mobius_Im_D", 0.0})                                                           \
  X(Curl3D, "curl3D", kNeedsNothing, NoPrecalc, Vector, {"curl3D_cx", 0.0},                   \
      {"curl3D_cy", 0.0}, {"curl3D_cz", 0.0})                                                 \
  X(TileHlp, "tile_hlp", kNeedsNothing, NoPrecalc, Vector, {"tile_hlp_width", 1.0})           \
  X(BWraps, "bwraps", kNeedsNothing, PrepareBWraps, Vector, {"bwraps_cellsize", 1.0},         \
      {"bwraps_space", 0.0}, {"bwraps_gain", 1.0}, {"bwraps_inner_twist", 0.0},               \
      {"bwraps_outer_twist", 0.0})                                                            \
  X(BWraps7, "bwraps7", kNeedsNothing, PrepareBWraps, Vector, {"bwraps7_cellsize", 1.0},      \
      {"bwraps7_space", 0.0}, {"bwraps7_gain", 1.0}, {"bwraps7_inner_twist", 0.0},            \
      {"bwraps7_outer_twist", 0.0})                                                           \
  X(Unpolar, "unpolar", kNeedsNothing, NoPrecalc, Vector)                                     \
  X(Bubble2, "bubble2", kNeedsNothing, NoPrecalc, Vector, {"bubble2_x", 1.0},                 \
      {"bubble2_y", 1.0}, {"bubble2_z", 0.0})                                                 \
  X(RotateZ, "rotate_z", kNeedsNothing, NoPrecalc, Vector)                                    \
  X(MirrorX, "mirror_x", kNeedsNothing, NoPrecalc, Vector)                                    \
  X(CircleBlur, "circleblur", kNeedsNothing, NoPrecalc, Vector)                               \
  X(EJulia, "eJulia", kNeedsNothing, PrepareEJulia, Vector, {"eJulia_power", 2.0})           \
  X(Crackle, "crackle", kNeedsNothing, PrepareCrackle, Vector, {"crackle_cellsize", 1.0},     \
      {"crackle_power", 0.2}, {"crackle_distort", 0.0}, {"crackle_scale", 1.0},              \
      {"crackle_z", 0.0})                                                                   \
  X(Falloff2, "falloff2", kNeedsAtanYX, PrepareFalloff2, Vector, {"falloff2_scatter", 1.0},     \
      {"falloff2_mindist", 0.5}, {"falloff2_mul_x", 1.0}, {"falloff2_mul_y", 1.0},           \
      {"falloff2_mul_z", 0.0}, {"falloff2_mul_c", 0.0}, {"falloff2_x0", 0.0},                \
      {"falloff2_y0", 0.0}, {"falloff2_z0", 0.0}, {"falloff2_invert", 0.0},                  \
      {"falloff2_type", 0.0})                                                               \
  X(Crop, "crop", kNeedsNothing, PrepareCrop, Vector, {"crop_left", -1.0},                    \
      {"crop_top", -1.0}, {"crop_right", 1.0}, {"crop_bottom", 1.0},                        \
      {"crop_scatter_area", 0.0}, {"crop_zero", 0.0})                                     \
  X(Hypertile2, "hypertile2", kNeedsNothing, PrepareHypertile2, Vector,                     \
      {"hypertile2_p", 3.0}, {"hypertile2_q", 7.0})                                        \
  X(Hexes, "hexes", kNeedsNothing, PrepareHexes, Vector, {"hexes_cellsize", 1.0},           \
      {"hexes_power", 1.0}, {"hexes_rotate", 0.166}, {"hexes_scale", 1.0})                   \
  /* Ember's tail (formulas_ember_tail.h).                                     */            \
  X(Gaussian, "gaussian", kNeedsNothing, NoPrecalc, Vector)                                  \
  X(Hypertile, "hypertile", kNeedsNothing, PrepareHypertile, Vector, {"hypertile_p", 3.0},     \
      {"hypertile_q", 7.0}, {"hypertile_n", 0.0})                                             \
  X(RBlur, "rblur", kNeedsNothing, NoPrecalc, Vector, {"rblur_strength", 1.0},                \
      {"rblur_offset", 1.0}, {"rblur_center_x", 0.0}, {"rblur_center_y", 0.0})                \
  X(PowBlock, "pow_block", kNeedsAtanYX, PreparePowBlock, Vector,                            \
      {"pow_block_numerator", 3.0}, {"pow_block_denominator", 2.0}, {"pow_block_root", 1.0},   \
      {"pow_block_correctn", 1.0}, {"pow_block_correctd", 1.0})                               \
  X(Depth, "depth", kNeedsNothing, NoPrecalc, Vector, {"depth_power", 1.0})                 \
  /* The corpus' last ones (formulas_ember_last.h).                            */            \
  X(Barycentroid, "barycentroid", kNeedsNothing, PrepareBarycentroid, ScalarOnly,           \
      {"barycentroid_a", 1.0}, {"barycentroid_b", 0.0}, {"barycentroid_c", 0.0},            \
      {"barycentroid_d", 1.0})                                                              \
  X(BCircle, "bcircle", kNeedsNothing, NoPrecalc, ScalarOnly, {"bcircle_scale", 1.0},       \
      {"bcircle_borderwidth", 0.0})                                                         \
  X(CircleCrop, "circlecrop", kNeedsNothing, NoPrecalc, ScalarOnly,                        \
      {"circlecrop_radius", 1.0}, {"circlecrop_x", 0.0}, {"circlecrop_y", 0.0},             \
      {"circlecrop_scatter_area", 0.0}, {"circlecrop_zero", 1.0})                           \
  X(CropN, "cropn", kNeedsNothing, NoPrecalc, ScalarOnly, {"cropn_power", 5.0},             \
      {"cropn_radius", 1.0}, {"cropn_scatterdist", 0.0}, {"cropn_zero", 0.0})               \
  X(DCZTransl, "dc_ztransl", kNeedsNothing, NoPrecalc, ScalarOnly, {"dc_ztransl_x0", 0.0},  \
      {"dc_ztransl_x1", 1.0}, {"dc_ztransl_factor", 1.0}, {"dc_ztransl_overwrite", 1.0},    \
      {"dc_ztransl_clamp", 0.0})                                                            \
  X(Hypertile3D2, "hypertile3D2", kNeedsNothing, PrepareHypertile2, ScalarOnly,            \
      {"hypertile3D2_p", 3.0}, {"hypertile3D2_q", 7.0})                                     \
  X(Foci3D, "foci_3D", kNeedsAtanYX, NoPrecalc, ScalarOnly)                                 \
  X(SphereBlur, "sphereblur", kNeedsNothing, PrepareSphereBlur, ScalarOnly,                 \
      {"sphereblur_power", 1.0})
// clang-format on

enum class VariationId : uint16_t {
#define FLAMEGRID_VARIATION_ENUM(Name, ...) k##Name,
  FLAMEGRID_VARIATIONS(FLAMEGRID_VARIATION_ENUM)
#undef FLAMEGRID_VARIATION_ENUM
};

// The entries of FLAMEGRID_VARIATIONS: the regular forms, ids 0 to
// kRegularVariationCount - 1.
#define FLAMEGRID_VARIATION_ONE(...) +1
inline constexpr int kRegularVariationCount = 0 FLAMEGRID_VARIATIONS(FLAMEGRID_VARIATION_ONE);
#undef FLAMEGRID_VARIATION_ONE
// flam3 3.1's own variations come first, linear (0) to mobius (98); the
// Apophysis/Ember ones follow. flam3-genome draws only from these, and their
// references are flam3's, not Ember's.
inline constexpr int kFlam3VariationCount = static_cast<int>(VariationId::kMobius) + 1;
static_assert(kFlam3VariationCount == 99, "flam3 3.1 has 99 variations");

// Every entry also has a pre_ and a post_ form, as Ember gives each of its
// variations ("pre_curl", "post_spherical"), generated here: no entry names
// them. An entry whose own name starts with "pre_" or "post_" (flam3's
// pre_blur) is a form already and gets none, and a generated name that an
// entry already has is not generated: "blur" has a post_blur but no pre_ form,
// as "pre_blur" is flam3's own (so it is in Ember too).
//
//   ids 0 .. R-1            the entries (regular forms), R = kRegularVariationCount
//   ids R .. R+P-1          pre_ forms, in entry order, P = kPreFormCount
//   ids R+P .. R+P+Q-1      post_ forms, in entry order, Q = kPostFormCount
//
// A form has its own weight and its own parameters, prefixed as Ember writes
// them ("pre_falloff2_scatter", "post_curl_c1"), so one xform may hold curl and
// post_curl with different parameters. PreparedXform applies the forms around
// the regular sum (see prepared_xform.h for Ember's rule).
enum class VariationForm : uint8_t { kRegular, kPre, kPost };

// A parameter as an entry spells it: its attribute name and default.
struct VariationParamDefault {
  std::string_view name;
  double default_value;
};

// One variation parameter: its full XML attribute name and flam3's default.
struct VariationParamInfo {
  VariationId variation = VariationId::kLinear;
  std::string_view name;  // e.g. "julian_power", "pre_julian_power"
  double default_value = 0.0;
};

namespace catalogue_internal {

inline constexpr std::array<std::string_view, kRegularVariationCount> kEntryNames = {{
#define FLAMEGRID_VARIATION_NAME(Name, xml, ...) xml,
    FLAMEGRID_VARIATIONS(FLAMEGRID_VARIATION_NAME)
#undef FLAMEGRID_VARIATION_NAME
}};

inline constexpr std::string_view kFormPrefixes[2] = {"pre_", "post_"};  // form 0, form 1

// Whether entry `v` has form `form` (0 pre_, 1 post_).
constexpr bool EntryHasForm(int v, int form) {
  const std::string_view entry = kEntryNames[v];
  if (entry.starts_with(kFormPrefixes[0]) || entry.starts_with(kFormPrefixes[1])) return false;
  for (std::string_view taken : kEntryNames) {
    if (taken.size() == kFormPrefixes[form].size() + entry.size() &&
        taken.starts_with(kFormPrefixes[form]) && taken.ends_with(entry)) {
      return false;
    }
  }
  return true;
}

constexpr int CountForms(int form) {
  int count = 0;
  for (int v = 0; v < kRegularVariationCount; ++v) count += EntryHasForm(v, form) ? 1 : 0;
  return count;
}

}  // namespace catalogue_internal

inline constexpr int kPreFormCount = catalogue_internal::CountForms(0);
inline constexpr int kPostFormCount = catalogue_internal::CountForms(1);
// Every id, entries and forms: the size of Xform::variations.
inline constexpr int kVariationCount = kRegularVariationCount + kPreFormCount + kPostFormCount;

namespace catalogue_internal {

// Per form (0 pre_, 1 post_), per entry: the id of that form of the entry, or -1.
constexpr std::array<std::array<int, kRegularVariationCount>, 2> ListFormIds() {
  std::array<std::array<int, kRegularVariationCount>, 2> ids{};
  int next = kRegularVariationCount;
  for (int form = 0; form < 2; ++form) {
    for (int v = 0; v < kRegularVariationCount; ++v)
      ids[form][v] = EntryHasForm(v, form) ? next++ : -1;
  }
  return ids;
}
inline constexpr std::array<std::array<int, kRegularVariationCount>, 2> kFormIds = ListFormIds();

// Id by id: the entry whose formula it runs.
constexpr std::array<VariationId, kVariationCount> ListBases() {
  std::array<VariationId, kVariationCount> bases{};
  for (int v = 0; v < kRegularVariationCount; ++v) {
    bases[v] = static_cast<VariationId>(v);
    for (int form = 0; form < 2; ++form) {
      if (kFormIds[form][v] >= 0) bases[kFormIds[form][v]] = static_cast<VariationId>(v);
    }
  }
  return bases;
}
inline constexpr std::array<VariationId, kVariationCount> kBases = ListBases();

}  // namespace catalogue_internal

// Which form `id` is, and the entry whose formula it runs (itself for an entry).
constexpr VariationForm FormOf(VariationId id) {
  const int v = static_cast<int>(id);
  if (v < kRegularVariationCount) return VariationForm::kRegular;
  return v < kRegularVariationCount + kPreFormCount ? VariationForm::kPre : VariationForm::kPost;
}
constexpr VariationId BaseOf(VariationId id) {
  return catalogue_internal::kBases[static_cast<int>(id)];
}
// The pre_ and post_ forms of entry `regular`; nullopt when it has none
// (pre_blur; blur's pre_) or is a form itself.
constexpr std::optional<VariationId> PreForm(VariationId regular) {
  const int v = static_cast<int>(regular);
  if (v >= kRegularVariationCount || catalogue_internal::kFormIds[0][v] < 0) return std::nullopt;
  return static_cast<VariationId>(catalogue_internal::kFormIds[0][v]);
}
constexpr std::optional<VariationId> PostForm(VariationId regular) {
  const int v = static_cast<int>(regular);
  if (v >= kRegularVariationCount || catalogue_internal::kFormIds[1][v] < 0) return std::nullopt;
  return static_cast<VariationId>(catalogue_internal::kFormIds[1][v]);
}

namespace catalogue_internal {

constexpr int CountEntryParams() {
  int count = 0;
#define FLAMEGRID_VARIATION_COUNT_PARAMS(Name, xml, needs, precalc, vector, ...) \
  count += static_cast<int>(std::initializer_list<VariationParamDefault>{__VA_ARGS__}.size());
  FLAMEGRID_VARIATIONS(FLAMEGRID_VARIATION_COUNT_PARAMS)
#undef FLAMEGRID_VARIATION_COUNT_PARAMS
  return count;
}
inline constexpr int kEntryParamCount = CountEntryParams();

// The entries' own parameters, grouped by entry in id order.
constexpr std::array<VariationParamInfo, kEntryParamCount> ListEntryParams() {
  std::array<VariationParamInfo, kEntryParamCount> params{};
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
inline constexpr std::array<VariationParamInfo, kEntryParamCount> kEntryParams = ListEntryParams();

// Calls fn(form: 0 pre_, 1 post_; its prefix; the unprefixed name; the entry
// parameter it names, or nullptr for the entry's own name) for every generated
// name: pre_ forms then post_ forms, entry by entry, each entry's name then
// its parameters'. The generated parameters and names follow this order.
template <typename Fn>
constexpr void ForEachFormName(Fn&& fn) {
  for (int form = 0; form < 2; ++form) {
    for (int v = 0; v < kRegularVariationCount; ++v) {
      if (kFormIds[form][v] < 0) continue;
      fn(form, kFormPrefixes[form], kEntryNames[v],
         static_cast<const VariationParamInfo*>(nullptr));
      for (const VariationParamInfo& p : kEntryParams) {
        if (static_cast<int>(p.variation) == v) fn(form, kFormPrefixes[form], p.name, &p);
      }
    }
  }
}

constexpr int CountFormNames() {
  int count = 0;
  ForEachFormName([&count](int, std::string_view, std::string_view, auto) { ++count; });
  return count;
}
inline constexpr int kFormNameCount = CountFormNames();

constexpr int CountFormParams() {
  int count = 0;
  ForEachFormName([&count](int, std::string_view, std::string_view, const VariationParamInfo* p) {
    count += p != nullptr ? 1 : 0;
  });
  return count;
}

constexpr int FormNameChars() {
  int chars = 0;
  ForEachFormName([&chars](int, std::string_view prefix, std::string_view name, auto) {
    chars += static_cast<int>(prefix.size() + name.size());
  });
  return chars;
}

struct FormNameStore {
  std::array<char, FormNameChars()> chars{};
  std::array<int, kFormNameCount + 1> start{};  // name i is chars[start[i], start[i + 1])
};

constexpr FormNameStore BuildFormNames() {
  FormNameStore store;
  int name = 0, at = 0;
  ForEachFormName([&](int, std::string_view prefix, std::string_view unprefixed, auto) {
    store.start[name++] = at;
    for (char c : prefix) store.chars[at++] = c;
    for (char c : unprefixed) store.chars[at++] = c;
  });
  store.start[name] = at;
  return store;
}
inline constexpr FormNameStore kFormNames = BuildFormNames();

constexpr std::string_view FormName(int i) {
  return {kFormNames.chars.data() + kFormNames.start[i],
          static_cast<size_t>(kFormNames.start[i + 1] - kFormNames.start[i])};
}

constexpr int CountAllParams() { return kEntryParamCount + CountFormParams(); }

// The entries' parameters, then their pre_ forms', then their post_ forms'.
template <int kCount>
constexpr std::array<VariationParamInfo, kCount> ListParams() {
  std::array<VariationParamInfo, kCount> params{};
  int next = 0;
  for (const VariationParamInfo& p : kEntryParams) params[next++] = p;
  int name = 0;
  ForEachFormName([&](int form, std::string_view, std::string_view,
                      const VariationParamInfo* param) {
    const std::string_view full = FormName(name++);
    if (param == nullptr) return;
    const VariationId owner = form == 0 ? *PreForm(param->variation) : *PostForm(param->variation);
    params[next++] = {owner, full, param->default_value};
  });
  return params;
}

}  // namespace catalogue_internal

inline constexpr int kVariationParamCount = catalogue_internal::CountAllParams();

// Every parameter of every variation and form, grouped by variation in id
// order. An Xform stores its parameters densely in this order (see Xform::params).
inline constexpr std::array<VariationParamInfo, kVariationParamCount> kVariationParams =
    catalogue_internal::ListParams<kVariationParamCount>();

inline constexpr int kMaxParamsPerVariation = 11;  // falloff2

// Ember's rule for the forms, found by rendering with it (prepared_xform.h):
// a pre_ or post_ form's weighted formula replaces the point, except for the
// variations whose formula reads no point (they draw a fresh random one):
// those forms are added to the point, so pre_gaussian_blur blurs it as flam3's
// pre_blur does. The list holds those entries (a test checks it against the
// formulas: exactly the ones whose value does not depend on the point).
inline constexpr std::string_view kFormsAddedToThePoint[] = {
    "blur",   "gaussian_blur", "pie",         "square",     "arch",    "zblur",
    "blur3D", "sineblur",      "blur_circle", "circleblur", "crackle", "sphereblur"};

struct VariationInfo {
  VariationId id;
  std::string_view name;  // the XML attribute, e.g. "julian", "pre_julian"
  int first_param;        // index into kVariationParams
  int param_count;
  unsigned point_needs;     // PointNeeds bits
  bool has_precalc;         // the entry names a precalc function
  bool has_vector_formula;  // the entry says Vector (a pre_ or post_ form: its entry does)
  VariationForm form = VariationForm::kRegular;
  VariationId base = VariationId::kLinear;  // the entry whose formula it runs (id for an entry)
  // A pre_ or post_ form of `base` is added to the point instead of replacing
  // it (kFormsAddedToThePoint).
  bool form_adds_to_point = false;
};

// The catalogue entry for `id`.
const VariationInfo& GetVariationInfo(VariationId id);
// All of them, entries and forms, in id order.
std::span<const VariationInfo> AllVariations();
// By XML name ("linear", "julian", "post_curl", ...); nullopt when unknown.
std::optional<VariationId> FindVariation(std::string_view name);
// The PointNeeds bits of `id`'s formula.
inline unsigned VariationPointNeeds(VariationId id) { return GetVariationInfo(id).point_needs; }
// By full parameter attribute name ("julian_power", "pre_julian_power"): the index into
// kVariationParams, or nullopt when it is not a parameter.
std::optional<int> FindVariationParam(std::string_view attribute_name);

inline int VariationIndex(VariationId id) { return static_cast<int>(id); }

}  // namespace flamegrid
