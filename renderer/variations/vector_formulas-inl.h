// The variations' vector paths (flam3's 99 and the Ember ones whose catalogue
// entry says Vector), one function per variation, each the
// single-precision, Lanes(d)-wide twin of the scalar formula of the same name
// in formulas_*.h (same quirks, same precalcs in VectorTerm::precalc). Random
// draws come from per-lane streams, so random variations match the scalar
// ones in distribution only.
//
// Highway "-inl" header, included per target by vector_xform.cc; the later
// Ember rows' twins are in vector_formulas_ember-inl.h, included below. Pure
// functions (the VectorRng belongs to the calling thread).

#if defined(FLAMEGRID_VARIATIONS_VECTOR_FORMULAS_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef FLAMEGRID_VARIATIONS_VECTOR_FORMULAS_INL_H_
#undef FLAMEGRID_VARIATIONS_VECTOR_FORMULAS_INL_H_
#else
#define FLAMEGRID_VARIATIONS_VECTOR_FORMULAS_INL_H_
#endif

#include "renderer/variations/formulas_blur_and_shape.h"
#include "renderer/variations/formulas_classic.h"
#include "renderer/variations/formulas_common.h"
#include "renderer/variations/formulas_ember.h"
#include "renderer/variations/formulas_plugin_pack.h"
#include "renderer/variations/vector_math-inl.h"
#include "renderer/variations/vector_xform.h"

HWY_BEFORE_NAMESPACE();
namespace flamegrid {
namespace HWY_NAMESPACE {
namespace vf {

// flam3_iter_helper's per-point values (see formulas::VariationInput).
template <class D>
struct Input {
  VecF<D> x, y, sum_squares, radius, atan_xy, atan_yx, sin_angle, cos_angle;
};
template <class D>
struct Out {
  VecF<D> x, y;
};

#define FG_VECTOR_VARIATION(Name)                                  \
  template <class D, class V = VecF<D>>                            \
  HWY_INLINE Out<D> Name(D d, [[maybe_unused]] const Input<D>& in, \
                         [[maybe_unused]] const VectorTerm& t, [[maybe_unused]] VectorRng<D>& rng)

#define FG_W hn::Set(d, t.weight)
#define FG_P(i) hn::Set(d, t.param[i])
#define FG_C(i) hn::Set(d, t.precalc[i])
#define FG_K(v) hn::Set(d, static_cast<float>(v))

inline constexpr float kEpsF = 1e-10f;
inline constexpr float kTwoPiF = 6.28318530717958648f;

// Four uniforms minus 2 (formulas::PseudoGaussian).
template <class D>
HWY_INLINE VecF<D> PseudoGaussian(D d, VectorRng<D>& rng) {
  const VecF<D> a = rng.Uniform01(d) + rng.Uniform01(d);
  const VecF<D> b = rng.Uniform01(d) + rng.Uniform01(d);
  return a + b - hn::Set(d, 2.0f);
}

// r * (cos a, sin a)
template <class D>
HWY_INLINE Out<D> FromPolar(D d, VecF<D> r, VecF<D> a) {
  return {r * VCos(d, a), r * VSin(d, a)};
}

// ---- 0-30: the classic set (formulas_classic.h) ----

FG_VECTOR_VARIATION(Linear) { return {FG_W * in.x, FG_W * in.y}; }
FG_VECTOR_VARIATION(Sinusoidal) { return {FG_W * VSin(d, in.x), FG_W * VSin(d, in.y)}; }
FG_VECTOR_VARIATION(Spherical) {
  const V s = FG_W / (in.sum_squares + FG_K(kEpsF));
  return {s * in.x, s * in.y};
}
FG_VECTOR_VARIATION(Swirl) {
  const V s = VSin(d, in.sum_squares), c = VCos(d, in.sum_squares);
  return {FG_W * (s * in.x - c * in.y), FG_W * (c * in.x + s * in.y)};
}
FG_VECTOR_VARIATION(Horseshoe) {
  const V s = FG_W / (in.radius + FG_K(kEpsF));
  return {(in.x - in.y) * (in.x + in.y) * s, FG_K(2) * in.x * in.y * s};
}
FG_VECTOR_VARIATION(Polar) {
  return {FG_W * in.atan_xy * FG_K(1.0 / formulas::kPi), FG_W * (in.radius - FG_K(1))};
}
FG_VECTOR_VARIATION(Handkerchief) {
  const V r = in.radius;
  return {FG_W * r * VSin(d, in.atan_xy + r), FG_W * r * VCos(d, in.atan_xy - r)};
}
FG_VECTOR_VARIATION(Heart) {
  const V a = in.radius * in.atan_xy;
  const V r = FG_W * in.radius;
  return {r * VSin(d, a), hn::Neg(r) * VCos(d, a)};
}
FG_VECTOR_VARIATION(Disc) {
  const V a = in.atan_xy * FG_K(1.0 / formulas::kPi);
  const V r = FG_K(kPiF) * in.radius;
  return {FG_W * VSin(d, r) * a, FG_W * VCos(d, r) * a};
}
FG_VECTOR_VARIATION(Spiral) {
  const V r = in.radius + FG_K(kEpsF);
  const V s = FG_W / r;
  return {s * (in.cos_angle + VSin(d, r)), s * (in.sin_angle - VCos(d, r))};
}
FG_VECTOR_VARIATION(Hyperbolic) {
  const V r = in.radius + FG_K(kEpsF);
  return {FG_W * in.sin_angle / r, FG_W * in.cos_angle * r};
}
FG_VECTOR_VARIATION(Diamond) {
  return {FG_W * in.sin_angle * VCos(d, in.radius), FG_W * in.cos_angle * VSin(d, in.radius)};
}
FG_VECTOR_VARIATION(Ex) {
  const V r = in.radius;
  const V n0 = VSin(d, in.atan_xy + r), n1 = VCos(d, in.atan_xy - r);
  const V m0 = n0 * n0 * n0 * r, m1 = n1 * n1 * n1 * r;
  return {FG_W * (m0 + m1), FG_W * (m0 - m1)};
}
FG_VECTOR_VARIATION(Julia) {
  V a = FG_K(0.5) * in.atan_xy;
  a = hn::IfThenElse(rng.Bit(d), a + FG_K(kPiF), a);
  return FromPolar(d, FG_W * hn::Sqrt(in.radius), a);
}
FG_VECTOR_VARIATION(Bent) {
  const V zero = hn::Zero(d);
  const V nx = hn::IfThenElse(hn::Lt(in.x, zero), in.x * FG_K(2), in.x);
  const V ny = hn::IfThenElse(hn::Lt(in.y, zero), in.y * FG_K(0.5), in.y);
  return {FG_W * nx, FG_W * ny};
}
FG_VECTOR_VARIATION(Waves) {
  using namespace formulas::waves;
  const V nx = hn::MulAdd(FG_C(kAmplitudeX), VSin(d, in.y * FG_C(kFrequencyX)), in.x);
  const V ny = hn::MulAdd(FG_C(kAmplitudeY), VSin(d, in.x * FG_C(kFrequencyY)), in.y);
  return {FG_W * nx, FG_W * ny};
}
FG_VECTOR_VARIATION(Fisheye) {
  const V s = FG_K(2) * FG_W / (in.radius + FG_K(1));
  return {s * in.y, s * in.x};
}
FG_VECTOR_VARIATION(Popcorn) {
  using namespace formulas::popcorn;
  const V nx = hn::MulAdd(FG_C(kAmplitudeX), VSin(d, VTan(d, FG_K(3) * in.y)), in.x);
  const V ny = hn::MulAdd(FG_C(kAmplitudeY), VSin(d, VTan(d, FG_K(3) * in.x)), in.y);
  return {FG_W * nx, FG_W * ny};
}
FG_VECTOR_VARIATION(Exponential) {
  return FromPolar(d, FG_W * VExp(d, in.x - FG_K(1)), FG_K(kPiF) * in.y);
}
FG_VECTOR_VARIATION(Power) {
  const V r = FG_W * Pow(d, in.radius, in.sin_angle);
  return {r * in.cos_angle, r * in.sin_angle};
}
FG_VECTOR_VARIATION(Cosine) {
  const V a = in.x * FG_K(kPiF);
  return {FG_W * VCos(d, a) * VCosh(d, in.y), hn::Neg(FG_W) * VSin(d, a) * VSinh(d, in.y)};
}
FG_VECTOR_VARIATION(Rings) {
  const V dx = FG_C(formulas::rings::kWidth);
  const V r = in.radius;
  const V s = FG_W * (Fmod(d, r + dx, dx + dx) - dx + r * (FG_K(1) - dx));
  return {s * in.cos_angle, s * in.sin_angle};
}
FG_VECTOR_VARIATION(Fan) {
  using namespace formulas::fan;
  const V blade = FG_C(kBladeAngle);
  const V half = FG_K(0.5) * blade;
  const V a0 = in.atan_xy;
  const auto upper = hn::Gt(Fmod(d, a0 + FG_C(kPhase), blade), half);
  const V a = a0 + hn::IfThenElse(upper, hn::Neg(half), half);
  return FromPolar(d, FG_W * in.radius, a);
}
FG_VECTOR_VARIATION(Blob) {
  const V low = FG_P(0), high = FG_P(1), waves = FG_P(2);
  const V r =
      in.radius * (low + (high - low) * (FG_K(0.5) + FG_K(0.5) * VSin(d, waves * in.atan_xy)));
  return {FG_W * in.sin_angle * r, FG_W * in.cos_angle * r};
}
FG_VECTOR_VARIATION(Pdj) {
  return {FG_W * (VSin(d, FG_P(0) * in.y) - VCos(d, FG_P(1) * in.x)),
          FG_W * (VSin(d, FG_P(2) * in.x) - VCos(d, FG_P(3) * in.y))};
}
FG_VECTOR_VARIATION(Fan2) {
  const V phase = FG_P(1);
  const V blade = FG_K(kPiF) * (FG_P(0) * FG_P(0) + FG_K(kEpsF));
  const V half = FG_K(0.5) * blade;
  const V a = in.atan_xy;
  const V wrapped = a + phase - blade * TruncateLikeCInt(d, (a + phase) / blade);
  const V b = hn::IfThenElse(hn::Gt(wrapped, half), a - half, a + half);
  const V r = FG_W * in.radius;
  return {r * VSin(d, b), r * VCos(d, b)};
}
FG_VECTOR_VARIATION(Rings2) {
  const V dx = FG_P(0) * FG_P(0) + FG_K(kEpsF);
  V r = in.radius;
  r = r + FG_K(-2) * dx * TruncateLikeCInt(d, (r + dx) / (dx + dx)) + r * (FG_K(1) - dx);
  return {FG_W * in.sin_angle * r, FG_W * in.cos_angle * r};
}
FG_VECTOR_VARIATION(Eyefish) {
  const V s = FG_K(2) * FG_W / (in.radius + FG_K(1));
  return {s * in.x, s * in.y};
}
FG_VECTOR_VARIATION(Bubble) {
  const V s = FG_W / hn::MulAdd(FG_K(0.25), in.sum_squares, FG_K(1));
  return {s * in.x, s * in.y};
}
FG_VECTOR_VARIATION(Cylinder) { return {FG_W * VSin(d, in.x), FG_W * in.y}; }
FG_VECTOR_VARIATION(Perspective) {
  using namespace formulas::perspective;
  const V dist = FG_P(1);
  const V inv = FG_K(1) / (dist - in.y * FG_C(kSinAngle));
  return {FG_W * dist * in.x * inv, FG_W * FG_C(kDistTimesCos) * in.y * inv};
}

// ---- 31-53: blurs and shapes (formulas_blur_and_shape.h) ----

FG_VECTOR_VARIATION(Noise) {
  const V angle = rng.Uniform01(d) * FG_K(kTwoPiF);
  const V r = FG_W * rng.Uniform01(d);
  return {in.x * r * VCos(d, angle), in.y * r * VSin(d, angle)};
}
FG_VECTOR_VARIATION(Julian) {
  using namespace formulas::julian;
  const V root = TruncateLikeCInt(d, FG_C(kRootCount) * rng.Uniform01(d));
  const V angle = (hn::MulAdd(FG_K(kTwoPiF), root, in.atan_yx)) / FG_P(0);
  return FromPolar(d, FG_W * Pow(d, in.sum_squares, FG_C(kExponent)), angle);
}
FG_VECTOR_VARIATION(Juliascope) {
  using namespace formulas::julian;
  const V root = TruncateLikeCInt(d, FG_C(kRootCount) * rng.Uniform01(d));
  const hn::RebindToSigned<D> di;
  const auto odd =
      hn::RebindMask(d, hn::Ne(hn::And(hn::ConvertTo(di, root), hn::Set(di, 1)), hn::Zero(di)));
  const V mirrored = hn::IfThenElse(odd, hn::Neg(in.atan_yx), in.atan_yx);
  const V angle = hn::MulAdd(FG_K(kTwoPiF), root, mirrored) / FG_P(0);
  return FromPolar(d, FG_W * Pow(d, in.sum_squares, FG_C(kExponent)), angle);
}
FG_VECTOR_VARIATION(Blur) {
  const V angle = rng.Uniform01(d) * FG_K(kTwoPiF);
  return FromPolar(d, FG_W * rng.Uniform01(d), angle);
}
FG_VECTOR_VARIATION(GaussianBlur) {
  const V angle = rng.Uniform01(d) * FG_K(kTwoPiF);
  return FromPolar(d, FG_W * PseudoGaussian(d, rng), angle);
}
FG_VECTOR_VARIATION(RadialBlur) {
  using namespace formulas::radial_blur;
  const V blur = FG_W * PseudoGaussian(d, rng);
  const V angle = hn::MulAdd(FG_C(kSpin), blur, in.atan_yx);
  const V zoom = hn::MulSub(FG_C(kZoom), blur, FG_K(1));
  return {hn::MulAdd(zoom, in.x, in.radius * VCos(d, angle)),
          hn::MulAdd(zoom, in.y, in.radius * VSin(d, angle))};
}
FG_VECTOR_VARIATION(Pie) {
  const V slices = FG_P(0), rotation = FG_P(1), thickness = FG_P(2);
  const V slice = TruncateLikeCInt(d, hn::MulAdd(rng.Uniform01(d), slices, FG_K(0.5)));
  const V angle =
      rotation + FG_K(kTwoPiF) * hn::MulAdd(rng.Uniform01(d), thickness, slice) / slices;
  return FromPolar(d, FG_W * rng.Uniform01(d), angle);
}
FG_VECTOR_VARIATION(Ngon) {
  const V sides = FG_P(0), power = FG_P(1), circle = FG_P(2), corners = FG_P(3);
  const V r_factor = Pow(d, in.sum_squares, power * FG_K(0.5));
  const V sector = FG_K(kTwoPiF) / sides;
  V phi = in.atan_yx - sector * hn::Floor(in.atan_yx / sector);
  phi = hn::IfThenElse(hn::Gt(phi, sector * FG_K(0.5)), phi - sector, phi);
  V amp = corners * (FG_K(1) / (VCos(d, phi) + FG_K(kEpsF)) - FG_K(1)) + circle;
  amp = amp / (r_factor + FG_K(kEpsF));
  return {FG_W * in.x * amp, FG_W * in.y * amp};
}
FG_VECTOR_VARIATION(Curl) {
  const V c1 = FG_P(0), c2 = FG_P(1);
  const V re = FG_K(1) + c1 * in.x + c2 * (in.x * in.x - in.y * in.y);
  const V im = c1 * in.y + FG_K(2) * c2 * in.x * in.y;
  const V s = FG_W / (re * re + im * im);
  return {(in.x * re + in.y * im) * s, (in.y * re - in.x * im) * s};
}
template <class D, class V = VecF<D>>
HWY_INLINE V RectanglesAxis(D d, V v, float size) {
  if (size == 0.0f) return v;
  const V s = hn::Set(d, size);
  return (hn::Set(d, 2.0f) * hn::Floor(v / s) + hn::Set(d, 1.0f)) * s - v;
}
FG_VECTOR_VARIATION(Rectangles) {
  return {FG_W * RectanglesAxis(d, in.x, t.param[0]), FG_W * RectanglesAxis(d, in.y, t.param[1])};
}
FG_VECTOR_VARIATION(Arch) {
  const V angle = rng.Uniform01(d) * FG_W * FG_K(kPiF);
  const V s = VSin(d, angle);
  return {FG_W * s, FG_W * (s * s) / VCos(d, angle)};
}
FG_VECTOR_VARIATION(Tangent) {
  return {FG_W * VSin(d, in.x) / VCos(d, in.y), FG_W * VTan(d, in.y)};
}
FG_VECTOR_VARIATION(Square) {
  const V x = rng.Uniform01(d) - FG_K(0.5);
  const V y = rng.Uniform01(d) - FG_K(0.5);
  return {FG_W * x, FG_W * y};
}
FG_VECTOR_VARIATION(Rays) {
  const V angle = FG_W * rng.Uniform01(d) * FG_K(kPiF);
  const V r = FG_W / (in.sum_squares + FG_K(kEpsF));
  const V amplitude = FG_W * VTan(d, angle) * r;
  return {amplitude * VCos(d, in.x), amplitude * VSin(d, in.y)};
}
FG_VECTOR_VARIATION(Blade) {
  const V r = rng.Uniform01(d) * FG_W * in.radius;
  const V s = VSin(d, r), c = VCos(d, r);
  return {FG_W * in.x * (c + s), FG_W * in.x * (c - s)};
}
FG_VECTOR_VARIATION(Secant2) {
  const V c = VCos(d, FG_W * in.radius);
  const V inv = FG_K(1) / c;
  const V y = hn::IfThenElse(hn::Lt(c, hn::Zero(d)), inv + FG_K(1), inv - FG_K(1));
  return {FG_W * in.x, FG_W * y};
}
FG_VECTOR_VARIATION(Twintrian) {
  const V r = rng.Uniform01(d) * FG_W * in.radius;
  const V s = VSin(d, r), c = VCos(d, r);
  V diff = VLog10(d, s * s) + c;
  diff = hn::IfThenElse(IsBadValue(d, diff), FG_K(-30), diff);
  return {FG_W * in.x * diff, FG_W * in.x * (diff - s * FG_K(kPiF))};
}
FG_VECTOR_VARIATION(Cross) {
  const V s = in.x * in.x - in.y * in.y;
  const V r = FG_W * hn::Sqrt(FG_K(1) / (s * s + FG_K(kEpsF)));
  return {in.x * r, in.y * r};
}
FG_VECTOR_VARIATION(Disc2) {
  using namespace formulas::disc2;
  const V arg = FG_C(kRotTimesPi) * (in.x + in.y);
  const V r = FG_W * in.atan_xy * FG_K(1.0 / formulas::kPi);
  return {(VSin(d, arg) + FG_C(kCosAdd)) * r, (VCos(d, arg) + FG_C(kSinAdd)) * r};
}
FG_VECTOR_VARIATION(SuperShape) {
  using namespace formulas::super_shape;
  const V n2 = FG_P(3), n3 = FG_P(4), holes = FG_P(5);
  const V theta = hn::MulAdd(FG_C(kQuarterM), in.atan_yx, FG_K(kPiF / 4));
  const V t1 = Pow(d, hn::Abs(VCos(d, theta)), n2);
  const V t2 = Pow(d, hn::Abs(VSin(d, theta)), n3);
  const V rnd = FG_C(kRandomness);
  const V radius = rnd * rng.Uniform01(d) + (FG_K(1) - rnd) * in.radius;
  const V r = FG_W * (radius - holes) * Pow(d, t1 + t2, FG_C(kNegInvN1)) / in.radius;
  return {r * in.x, r * in.y};
}
FG_VECTOR_VARIATION(Flower) {
  const V r = FG_W * (rng.Uniform01(d) - FG_P(1)) * VCos(d, FG_P(0) * in.atan_yx) / in.radius;
  return {r * in.x, r * in.y};
}
FG_VECTOR_VARIATION(Conic) {
  const V eccentricity = FG_P(0);
  const V cos_theta = in.x / in.radius;
  const V r = FG_W * (rng.Uniform01(d) - FG_P(1)) * eccentricity /
              hn::MulAdd(eccentricity, cos_theta, FG_K(1)) / in.radius;
  return {r * in.x, r * in.y};
}
FG_VECTOR_VARIATION(Parabola) {
  const V s = VSin(d, in.radius), c = VCos(d, in.radius);
  const V x = FG_P(0) * FG_W * s * s * rng.Uniform01(d);
  const V y = FG_P(1) * FG_W * c * rng.Uniform01(d);
  return {x, y};
}

// ---- 54-81: the plugin pack (formulas_plugin_pack.h) ----

FG_VECTOR_VARIATION(Bent2) {
  const V zero = hn::Zero(d);
  const V nx = hn::IfThenElse(hn::Lt(in.x, zero), in.x * FG_P(0), in.x);
  const V ny = hn::IfThenElse(hn::Lt(in.y, zero), in.y * FG_P(1), in.y);
  return {FG_W * nx, FG_W * ny};
}
FG_VECTOR_VARIATION(Bipolar) {
  const V half_pi = FG_K(kPiF / 2), pi = FG_K(kPiF);
  const V plus_one = in.sum_squares + FG_K(1);
  const V two_x = FG_K(2) * in.x;
  V y = FG_K(0.5) * Atan2(d, FG_K(2) * in.y, in.sum_squares - FG_K(1)) - half_pi * FG_P(0);
  const V above = hn::Neg(half_pi) + Fmod(d, y + half_pi, pi);
  const V below = half_pi - Fmod(d, half_pi - y, pi);
  y = hn::IfThenElse(hn::Gt(y, half_pi), above,
                     hn::IfThenElse(hn::Lt(y, hn::Neg(half_pi)), below, y));
  const V scale = FG_W * FG_K(2.0 / formulas::kPi);
  return {scale * FG_K(0.25) * VLog(d, (plus_one + two_x) / (plus_one - two_x)), scale * y};
}
FG_VECTOR_VARIATION(Boarders) {
  const V round_x = hn::Round(in.x), round_y = hn::Round(in.y);
  const V off_x = in.x - round_x, off_y = in.y - round_y;
  const V zero = hn::Zero(d), quarter = FG_K(0.25), half = FG_K(0.5);
  const V base_x = hn::MulAdd(off_x, half, round_x);
  const V base_y = hn::MulAdd(off_y, half, round_y);
  const auto inner = hn::Ge(rng.Uniform01(d), FG_K(0.75));
  const auto x_side = hn::Ge(hn::Abs(off_x), hn::Abs(off_y));
  const V side_x = hn::IfThenElse(hn::Ge(off_x, zero), quarter, hn::Neg(quarter));
  const V side_y = hn::IfThenElse(hn::Ge(off_y, zero), quarter, hn::Neg(quarter));
  const V ox = hn::IfThenElse(x_side, base_x + side_x, base_x + side_y * off_x / off_y);
  const V oy = hn::IfThenElse(x_side, base_y + side_x * off_y / off_x, base_y + side_y);
  return {FG_W * hn::IfThenElse(inner, base_x, ox), FG_W * hn::IfThenElse(inner, base_y, oy)};
}
FG_VECTOR_VARIATION(Butterfly) {
  const V scaled_weight = FG_W * FG_K(1.3029400317411197908970256609023);
  const V y2 = FG_K(2) * in.y;
  const V r =
      scaled_weight * hn::Sqrt(hn::Abs(in.y * in.x) / (FG_K(kEpsF) + in.x * in.x + y2 * y2));
  return {r * in.x, r * y2};
}
FG_VECTOR_VARIATION(Cell) {
  const V size = FG_P(0);
  const V inv_size = FG_K(1) / size;
  V cell_x = TruncateLikeCInt(d, hn::Floor(in.x * inv_size));
  V cell_y = TruncateLikeCInt(d, hn::Floor(in.y * inv_size));
  const V dx = in.x - cell_x * size;
  const V dy = in.y - cell_y * size;
  const V zero = hn::Zero(d);
  cell_x = hn::IfThenElse(hn::Ge(cell_x, zero), FG_K(2) * cell_x,
                          hn::Neg(hn::MulAdd(FG_K(2), cell_x, FG_K(1))));
  cell_y = hn::IfThenElse(hn::Ge(cell_y, zero), FG_K(2) * cell_y,
                          hn::Neg(hn::MulAdd(FG_K(2), cell_y, FG_K(1))));
  return {FG_W * hn::MulAdd(cell_x, size, dx), hn::Neg(FG_W) * hn::MulAdd(cell_y, size, dy)};
}
FG_VECTOR_VARIATION(Cpow) {
  const V power = FG_P(2);
  const V a = in.atan_yx;
  const V log_r = FG_K(0.5) * VLog(d, in.sum_squares);
  const V branch_step = FG_K(kTwoPiF) / power;
  const V vc = FG_P(0) / power, vd = FG_P(1) / power;
  const V angle = vc * a + vd * log_r + branch_step * hn::Floor(power * rng.Uniform01(d));
  const V m = FG_W * VExp(d, vc * log_r - vd * a);
  return FromPolar(d, m, angle);
}
FG_VECTOR_VARIATION(Curve) {
  const V xlen = FG_K(std::fmax(static_cast<double>(t.param[2]) * t.param[2], 1e-20));
  const V ylen = FG_K(std::fmax(static_cast<double>(t.param[3]) * t.param[3], 1e-20));
  return {FG_W * hn::MulAdd(FG_P(0), VExp(d, hn::Neg(in.y * in.y) / xlen), in.x),
          FG_W * hn::MulAdd(FG_P(1), VExp(d, hn::Neg(in.x * in.x) / ylen), in.y)};
}
FG_VECTOR_VARIATION(Edisc) {
  const V plus_one = in.sum_squares + FG_K(1);
  const V two_x = FG_K(2) * in.x;
  const V xmax = (hn::Sqrt(plus_one + two_x) + hn::Sqrt(plus_one - two_x)) * FG_K(0.5);
  const V a1 = VLog(d, xmax + hn::Sqrt(xmax - FG_K(1)));
  const V a2 = hn::Neg(VAcos(d, in.x / xmax));
  const V w = FG_W * FG_K(1.0 / 11.57034632);
  V snv = VSin(d, a1);
  const V csv = VCos(d, a1);
  snv = hn::IfThenElse(hn::Gt(in.y, hn::Zero(d)), hn::Neg(snv), snv);
  return {w * VCosh(d, a2) * csv, w * VSinh(d, a2) * snv};
}
FG_VECTOR_VARIATION(Elliptic) {
  const V zero = hn::Zero(d);
  const V plus_one = in.sum_squares + FG_K(1);
  const V two_x = FG_K(2) * in.x;
  const V xmax = FG_K(0.5) * (hn::Sqrt(plus_one + two_x) + hn::Sqrt(plus_one - two_x));
  const V a = in.x / xmax;
  const V b_squared = FG_K(1) - a * a;
  const V b = hn::Sqrt(hn::Max(b_squared, zero));
  const V ssx = hn::Sqrt(hn::Max(xmax - FG_K(1), zero));
  const V w = FG_W * FG_K(2.0 / formulas::kPi);
  const V y = w * VLog(d, xmax + ssx);
  return {w * Atan2(d, a, b), hn::IfThenElse(hn::Gt(in.y, zero), y, hn::Neg(y))};
}
FG_VECTOR_VARIATION(Escher) {
  using namespace formulas::escher;
  const V vc = FG_C(kVc), vd = FG_C(kVd);
  const V a = in.atan_yx;
  const V log_r = FG_K(0.5) * VLog(d, in.sum_squares);
  const V m = FG_W * VExp(d, vc * log_r - vd * a);
  return FromPolar(d, m, vc * a + vd * log_r);
}
FG_VECTOR_VARIATION(Foci) {
  const V half_exp = VExp(d, in.x) * FG_K(0.5);
  const V quarter_inv_exp = FG_K(0.25) / half_exp;
  const V scale = FG_W / (half_exp + quarter_inv_exp - VCos(d, in.y));
  return {scale * (half_exp - quarter_inv_exp), scale * VSin(d, in.y)};
}
FG_VECTOR_VARIATION(Lazysusan) {
  const V spin = FG_P(0), space = FG_P(1), twist = FG_P(2), cx = FG_P(3), cy = FG_P(4);
  const V x = in.x - cx;
  const V y = in.y + cy;
  const V r = hn::Sqrt(x * x + y * y);
  const V w = FG_W;
  const V a = Atan2(d, y, x) + spin + twist * (w - r);
  const V inner_r = w * r;
  const V outer_r = w * (FG_K(1) + space / r);
  const auto inside = hn::Lt(r, w);
  const V ox = hn::IfThenElse(inside, inner_r * VCos(d, a), outer_r * x) + cx;
  const V oy = hn::IfThenElse(inside, inner_r * VSin(d, a), outer_r * y) - cy;
  return {ox, oy};
}
FG_VECTOR_VARIATION(Loonie) {
  const V w = FG_W;
  const V w2 = w * w;
  const V inner = w * hn::Sqrt(w2 / in.sum_squares - FG_K(1));
  const V r = hn::IfThenElse(hn::Lt(in.sum_squares, w2), inner, w);
  return {r * in.x, r * in.y};
}
template <class D, class V = VecF<D>>
HWY_INLINE V ModulusAxis(D d, V v, V half_width) {
  const V two = half_width + half_width;
  const V above = hn::Neg(half_width) + Fmod(d, v + half_width, two);
  const V below = half_width - Fmod(d, half_width - v, two);
  return hn::IfThenElse(hn::Gt(v, half_width), above,
                        hn::IfThenElse(hn::Lt(v, hn::Neg(half_width)), below, v));
}
FG_VECTOR_VARIATION(Modulus) {
  return {FG_W * ModulusAxis(d, in.x, FG_P(0)), FG_W * ModulusAxis(d, in.y, FG_P(1))};
}
FG_VECTOR_VARIATION(Oscilloscope) {
  const V separation = FG_P(0), frequency = FG_P(1), amplitude = FG_P(2), damping = FG_P(3);
  const V wave = VCos(d, FG_K(kTwoPiF) * frequency * in.x);
  const V envelope =
      t.param[3] == 0.0f ? amplitude : amplitude * VExp(d, hn::Neg(hn::Abs(in.x) * damping));
  const V threshold = hn::MulAdd(envelope, wave, separation);
  const V y = hn::IfThenElse(hn::Le(hn::Abs(in.y), threshold), hn::Neg(in.y), in.y);
  return {FG_W * in.x, FG_W * y};
}
FG_VECTOR_VARIATION(Polar2) {
  const V scale = FG_W * FG_K(1.0 / formulas::kPi);
  return {scale * in.atan_xy, scale * FG_K(0.5) * VLog(d, in.sum_squares)};
}
FG_VECTOR_VARIATION(Popcorn2) {
  const V c = FG_P(2);
  return {FG_W * hn::MulAdd(FG_P(0), VSin(d, VTan(d, in.y * c)), in.x),
          FG_W * hn::MulAdd(FG_P(1), VSin(d, VTan(d, in.x * c)), in.y)};
}
FG_VECTOR_VARIATION(Scry) {
  const V inv_w = FG_K(1.0 / (static_cast<double>(t.weight) + formulas::kEps));
  const V r = FG_K(1) / (in.radius * (in.sum_squares + inv_w));
  return {in.x * r, in.y * r};
}
template <class D, class V = VecF<D>>
HWY_INLINE V SeparationAxis(D, V v, V gap, V inside) {
  const V spread = hn::Sqrt(v * v + gap * gap);
  return hn::IfThenElse(hn::Gt(v, hn::Zero(D())), spread - v * inside,
                        hn::Neg(spread + v * inside));
}
FG_VECTOR_VARIATION(Separation) {
  return {FG_W * SeparationAxis(d, in.x, FG_P(0), FG_P(1)),
          FG_W * SeparationAxis(d, in.y, FG_P(2), FG_P(3))};
}
FG_VECTOR_VARIATION(Split) {
  const V zero = hn::Zero(d);
  const V y =
      hn::IfThenElse(hn::Ge(VCos(d, in.x * FG_P(0) * FG_K(kPiF)), zero), in.y, hn::Neg(in.y));
  const V x =
      hn::IfThenElse(hn::Ge(VCos(d, in.y * FG_P(1) * FG_K(kPiF)), zero), in.x, hn::Neg(in.x));
  return {FG_W * x, FG_W * y};
}
FG_VECTOR_VARIATION(Splits) {
  const V zero = hn::Zero(d);
  const V x = hn::IfThenElse(hn::Ge(in.x, zero), in.x + FG_P(0), in.x - FG_P(0));
  const V y = hn::IfThenElse(hn::Ge(in.y, zero), in.y + FG_P(1), in.y - FG_P(1));
  return {FG_W * x, FG_W * y};
}
FG_VECTOR_VARIATION(Stripes) {
  const V space = FG_P(0), warp = FG_P(1);
  const V round_x = hn::Floor(in.x + FG_K(0.5));
  const V off_x = in.x - round_x;
  return {FG_W * hn::MulAdd(off_x, FG_K(1) - space, round_x),
          FG_W * hn::MulAdd(off_x * off_x, warp, in.y)};
}
template <class D, class V = VecF<D>>
HWY_INLINE V WedgeAngle(D d, V a, V count, V angle) {
  const V pi = hn::Set(d, kPiF);
  const V wedge = hn::Floor((count * a + pi) / pi * hn::Set(d, 0.5f));
  const V compression = hn::Set(d, 1.0f) - angle * count / pi * hn::Set(d, 0.5f);
  return a * compression + wedge * angle;
}
FG_VECTOR_VARIATION(Wedge) {
  const V angle = FG_P(0), hole = FG_P(1), count = FG_P(2), swirl = FG_P(3);
  const V a = WedgeAngle(d, hn::MulAdd(swirl, in.radius, in.atan_yx), count, angle);
  return FromPolar(d, FG_W * (in.radius + hole), a);
}
FG_VECTOR_VARIATION(WedgeJulia) {
  using namespace formulas::wedge_julia;
  const V angle = FG_P(0), count = FG_P(1), power = FG_P(2);
  const V r = FG_W * Pow(d, in.sum_squares, FG_C(kExponent));
  const V root = TruncateLikeCInt(d, FG_C(kRootCount) * rng.Uniform01(d));
  V a = hn::MulAdd(FG_K(kTwoPiF), root, in.atan_yx) / power;
  const V wedge = hn::Floor((count * a + FG_K(kPiF)) / FG_K(kPiF) * FG_K(0.5));
  a = a * FG_C(kCompression) + wedge * angle;
  return FromPolar(d, r, a);
}
FG_VECTOR_VARIATION(WedgeSph) {
  const V angle = FG_P(0), count = FG_P(1), hole = FG_P(2), swirl = FG_P(3);
  const V inv_r = FG_K(1) / (in.radius + FG_K(kEpsF));
  const V a = WedgeAngle(d, hn::MulAdd(swirl, inv_r, in.atan_yx), count, angle);
  return FromPolar(d, FG_W * (inv_r + hole), a);
}
FG_VECTOR_VARIATION(Whorl) {
  const V r = in.radius;
  const V twist = hn::IfThenElse(hn::Lt(r, FG_W), FG_P(0), FG_P(1));
  const V a = in.atan_yx + twist / (FG_W - r);
  return FromPolar(d, FG_W * r, a);
}
FG_VECTOR_VARIATION(Waves2) {
  return {FG_W * hn::MulAdd(FG_P(1), VSin(d, in.y * FG_P(0)), in.x),
          FG_W * hn::MulAdd(FG_P(3), VSin(d, in.x * FG_P(2)), in.y)};
}

// ---- 82-98: complex functions, auger, flux, mobius (formulas_complex.h) ----

FG_VECTOR_VARIATION(Exp) { return FromPolar(d, FG_W * VExp(d, in.x), in.y); }
FG_VECTOR_VARIATION(Log) { return {FG_W * FG_C(0) * VLog(d, in.sum_squares), FG_W * in.atan_yx}; }
FG_VECTOR_VARIATION(Sin) {
  return {FG_W * VSin(d, in.x) * VCosh(d, in.y), FG_W * VCos(d, in.x) * VSinh(d, in.y)};
}
FG_VECTOR_VARIATION(Cos) {
  return {FG_W * VCos(d, in.x) * VCosh(d, in.y), hn::Neg(FG_W) * VSin(d, in.x) * VSinh(d, in.y)};
}
FG_VECTOR_VARIATION(Tan) {
  const V x2 = in.x + in.x, y2 = in.y + in.y;
  const V inv_den = FG_K(1) / (VCos(d, x2) + VCosh(d, y2));
  return {FG_W * inv_den * VSin(d, x2), FG_W * inv_den * VSinh(d, y2)};
}
FG_VECTOR_VARIATION(Sec) {
  const V den = FG_K(2) / (VCos(d, in.x + in.x) + VCosh(d, in.y + in.y));
  return {FG_W * den * VCos(d, in.x) * VCosh(d, in.y), FG_W * den * VSin(d, in.x) * VSinh(d, in.y)};
}
FG_VECTOR_VARIATION(Csc) {
  const V den = FG_K(2) / (VCosh(d, in.y + in.y) - VCos(d, in.x + in.x));
  return {FG_W * den * VSin(d, in.x) * VCosh(d, in.y),
          hn::Neg(FG_W) * den * VCos(d, in.x) * VSinh(d, in.y)};
}
FG_VECTOR_VARIATION(Cot) {
  const V x2 = in.x + in.x, y2 = in.y + in.y;
  const V inv_den = FG_K(1) / (VCosh(d, y2) - VCos(d, x2));
  return {FG_W * inv_den * VSin(d, x2), hn::Neg(FG_W) * inv_den * VSinh(d, y2)};
}
FG_VECTOR_VARIATION(Sinh) {
  return {FG_W * VSinh(d, in.x) * VCos(d, in.y), FG_W * VCosh(d, in.x) * VSin(d, in.y)};
}
FG_VECTOR_VARIATION(Cosh) {
  return {FG_W * VCosh(d, in.x) * VCos(d, in.y), FG_W * VSinh(d, in.x) * VSin(d, in.y)};
}
FG_VECTOR_VARIATION(Tanh) {
  const V x2 = in.x + in.x, y2 = in.y + in.y;
  const V inv_den = FG_K(1) / (VCos(d, y2) + VCosh(d, x2));
  return {FG_W * inv_den * VSinh(d, x2), FG_W * inv_den * VSin(d, y2)};
}
FG_VECTOR_VARIATION(Sech) {
  const V den = FG_K(2) / (VCos(d, in.y + in.y) + VCosh(d, in.x + in.x));
  return {FG_W * den * VCos(d, in.y) * VCosh(d, in.x),
          hn::Neg(FG_W) * den * VSin(d, in.y) * VSinh(d, in.x)};
}
FG_VECTOR_VARIATION(Csch) {
  const V den = FG_K(2) / (VCosh(d, in.x + in.x) - VCos(d, in.y + in.y));
  return {FG_W * den * VSinh(d, in.x) * VCos(d, in.y),
          hn::Neg(FG_W) * den * VCosh(d, in.x) * VSin(d, in.y)};
}
FG_VECTOR_VARIATION(Coth) {
  const V x2 = in.x + in.x, y2 = in.y + in.y;
  const V inv_den = FG_K(1) / (VCosh(d, x2) - VCos(d, y2));
  return {FG_W * inv_den * VSinh(d, x2), FG_W * inv_den * VSin(d, y2)};
}
FG_VECTOR_VARIATION(Auger) {
  const V sym = FG_P(0), strength = FG_P(1), freq = FG_P(2), scale = FG_P(3);
  const V s = VSin(d, freq * in.x);
  const V u = VSin(d, freq * in.y);
  const V half_scale = scale * FG_K(0.5);
  const V dy = in.y + strength * (half_scale * s + hn::Abs(in.y) * s);
  const V dx = in.x + strength * (half_scale * u + hn::Abs(in.x) * u);
  return {FG_W * hn::MulAdd(sym, dx - in.x, in.x), FG_W * dy};
}
FG_VECTOR_VARIATION(Flux) {
  const V x_plus = in.x + FG_W, x_minus = in.x - FG_W;
  const V y2 = in.y * in.y;
  const V avg_r = FG_W * (FG_K(2) + FG_P(0)) *
                  hn::Sqrt(hn::Sqrt(y2 + x_plus * x_plus) / hn::Sqrt(y2 + x_minus * x_minus));
  const V avg_a = (Atan2(d, in.y, x_minus) - Atan2(d, in.y, x_plus)) * FG_K(0.5);
  return FromPolar(d, avg_r, avg_a);
}
FG_VECTOR_VARIATION(Mobius) {
  const V re_a = FG_P(0), im_a = FG_P(1), re_b = FG_P(2), im_b = FG_P(3);
  const V re_c = FG_P(4), im_c = FG_P(5), re_d = FG_P(6), im_d = FG_P(7);
  const V re_u = re_a * in.x - im_a * in.y + re_b;
  const V im_u = re_a * in.y + im_a * in.x + im_b;
  const V re_v = re_c * in.x - im_c * in.y + re_d;
  const V im_v = re_c * in.y + im_c * in.x + im_d;
  const V scale = FG_W / (re_v * re_v + im_v * im_v);
  return {scale * (re_u * re_v + im_u * im_v), scale * (im_u * re_v - re_u * im_v)};
}

// ---- beyond flam3: Apophysis/Ember (formulas_ember.h) ----

FG_VECTOR_VARIATION(ZBlur) { return {hn::Zero(d), hn::Zero(d)}; }
FG_VECTOR_VARIATION(Spherical3D) {
  const V r2 = hn::IfThenElse(hn::Eq(in.sum_squares, hn::Zero(d)), FG_K(kEpsF), in.sum_squares);
  const V s = FG_W / r2;
  return {s * in.x, s * in.y};
}
FG_VECTOR_VARIATION(Hemisphere) {
  const V s = FG_W / hn::Sqrt(in.sum_squares + FG_K(1));
  return {s * in.x, s * in.y};
}
FG_VECTOR_VARIATION(Julia3D) {
  using namespace formulas::julia3d;
  const V roots = FG_C(kRootCount);
  // floor(u * roots) in [0, roots), 0 when there are no roots.
  const V root =
      hn::Min(hn::Floor(rng.Uniform01(d) * roots), hn::Max(roots - FG_K(1), hn::Zero(d)));
  const V angle = hn::MulAdd(FG_K(kTwoPiF), root, in.atan_yx) / FG_P(0);
  return FromPolar(d, FG_W * Pow(d, in.sum_squares, FG_C(kExponent)) * in.radius, angle);
}
FG_VECTOR_VARIATION(Blur3D) {
  const V longitude = rng.Uniform01(d) * FG_K(kTwoPiF);
  const V r = FG_W * PseudoGaussian(d, rng);
  const V from_z = rng.Uniform01(d) * FG_K(kPiF);
  return FromPolar(d, r * VSin(d, from_z), longitude);
}
FG_VECTOR_VARIATION(SineBlur) {
  const V angle = rng.Uniform01(d) * FG_K(kTwoPiF);
  const V u = rng.Uniform01(d);
  const V raised = t.precalc[0] == 1.0f ? u : Pow(d, u, FG_C(0));
  const V r = FG_W * VAcos(d, hn::MulSub(FG_K(2), raised, FG_K(1))) * FG_K(1.0 / formulas::kPi);
  return FromPolar(d, r, angle);
}
FG_VECTOR_VARIATION(BlurLinear) {
  using namespace formulas::blur_linear;
  const V r = FG_P(0) * rng.Uniform01(d);
  return {FG_W * hn::MulAdd(r, FG_C(kCos), in.x), FG_W * hn::MulAdd(r, FG_C(kSin), in.y)};
}
FG_VECTOR_VARIATION(BlurZoom) {
  const V zoom = hn::MulAdd(FG_P(0), rng.Uniform01(d), FG_K(1));
  const V x0 = FG_P(1), y0 = FG_P(2);
  return {FG_W * hn::MulAdd(in.x - x0, zoom, x0), FG_W * hn::MulSub(in.y + y0, zoom, y0)};
}
FG_VECTOR_VARIATION(TwoFace) {
  const V s = hn::IfThenElse(hn::Gt(in.x, hn::Zero(d)), FG_W / in.sum_squares, FG_W);
  return {s * in.x, s * in.y};
}
FG_VECTOR_VARIATION(Epispiral) {
  const V n = FG_P(0), holes = FG_P(2);
  const V c = VCos(d, n * in.atan_yx);
  const bool thick = std::fabs(t.param[1]) > static_cast<float>(formulas::kEps);
  const V spread = thick ? rng.Uniform01(d) * FG_P(1) : FG_K(1);
  const V r = FG_W * (spread / c - holes);
  const Out<D> o = FromPolar(d, r, in.atan_yx);
  const auto flat = hn::Eq(c, hn::Zero(d));  // cos(n theta) = 0 adds nothing
  return {hn::IfThenZeroElse(flat, o.x), hn::IfThenZeroElse(flat, o.y)};
}
FG_VECTOR_VARIATION(BlurCircle) {
  const V angle = rng.Uniform01(d) * FG_K(kTwoPiF);
  return FromPolar(d, FG_W * hn::Sqrt(rng.Uniform01(d)), angle);
}
FG_VECTOR_VARIATION(TileLog) {
  const V spread = hn::IfThenElse(hn::Lt(rng.Uniform01(d), FG_K(0.5)), FG_P(0), hn::Neg(FG_P(0)));
  // Half-way cases round to even here, away from zero in the scalar formula:
  // a measure-zero difference for a random step.
  const V step = hn::Round(VLog(d, rng.Uniform01(d)) * spread);
  return {FG_W * (in.x + step), FG_W * in.y};
}
FG_VECTOR_VARIATION(Glynnia) {
  const V r = in.radius;
  const V side = hn::IfThenElse(hn::Ge(r, FG_K(1)), FG_K(1), FG_K(-1));
  const auto root_branch = hn::Gt(rng.Uniform01(d), FG_K(0.5));
  // Branch 1: sqrt(2)/2 (sqrt(r + x), -y / sqrt(r + x)).
  const V root = hn::Sqrt(r + in.x);
  const V half_root2 = FG_W * FG_K(0.70710678118654752);
  // Branch 2: (r + x, y) / sqrt(r ((r + x)^2 + y^2)).
  const V sum = r + in.x;
  const V scale = FG_W / hn::Sqrt(r * hn::MulAdd(sum, sum, in.y * in.y));
  return {side * hn::IfThenElse(root_branch, half_root2 * root, scale * sum),
          hn::IfThenElse(root_branch, hn::Neg(half_root2) / root * in.y, scale * in.y)};
}

// pre_blur's displacement of the input point (formulas::PreBlurDisplacement).
template <class D>
HWY_INLINE Out<D> PreBlurDisplacement(D d, float weight, VectorRng<D>& rng) {
  const VecF<D> blur = hn::Set(d, weight) * PseudoGaussian(d, rng);
  const VecF<D> angle = rng.Uniform01(d) * hn::Set(d, kTwoPiF);
  return FromPolar(d, blur, angle);
}

// pre_blur's entry: nothing (it is never a term, see PreparedXform).
FG_VECTOR_VARIATION(PreBlur) { return {hn::Zero(d), hn::Zero(d)}; }

}  // namespace vf
}  // namespace HWY_NAMESPACE
}  // namespace flamegrid
HWY_AFTER_NAMESPACE();

// The twins of the later Ember rows (formulas_ember_more.h, _cells.h, _tail.h).
#include "renderer/variations/vector_formulas_ember-inl.h"

HWY_BEFORE_NAMESPACE();
namespace flamegrid {
namespace HWY_NAMESPACE {
namespace vf {

#undef FG_VECTOR_VARIATION
#undef FG_W
#undef FG_P
#undef FG_C
#undef FG_K

// Calls `f(formula)` with the vector formula for `id`, as a generic lambda
// argument, so that the caller's loop is instantiated once per variation. The
// switch is generated from FLAMEGRID_VARIATIONS: a case for each entry marked
// Vector, calling vf::Name; ScalarOnly entries call nothing (an xform using
// them maps through VectorXform's scalar fallback instead).
template <class D, class F>
HWY_INLINE void WithFormula(VariationId id, F&& f) {
  using V = VecF<D>;
#define FG_VECTOR_CASE_Vector(Name)                                         \
  case VariationId::k##Name:                                                \
    f([](D d, const Input<D>& in, const VectorTerm& t, VectorRng<D>& rng) { \
      return Name<D, V>(d, in, t, rng);                                     \
    });                                                                     \
    return;
#define FG_VECTOR_CASE_ScalarOnly(Name)
#define FG_VECTOR_CASE(Name, xml, needs, precalc, vector, ...) FG_VECTOR_CASE_##vector(Name)
  switch (id) {
    FLAMEGRID_VARIATIONS(FG_VECTOR_CASE)
    default:
      return;
  }
#undef FG_VECTOR_CASE
#undef FG_VECTOR_CASE_ScalarOnly
#undef FG_VECTOR_CASE_Vector
}

}  // namespace vf
}  // namespace HWY_NAMESPACE
}  // namespace flamegrid
HWY_AFTER_NAMESPACE();

#endif  // include guard
