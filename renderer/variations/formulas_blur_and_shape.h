// Variations 31-53: the 2006-2007 additions (noise ... parabola): the blurs,
// julian and friends, ngon, curl, the "Z+" set and the cyberxaos shapes.
//
// Many of these draw uniform numbers from the caller's Random; flam3's
// pseudo-gaussian (four uniforms summed, minus 2) is reproduced as a
// distribution, not as flam3's ISAAC stream. Several use the weight
// non-linearly (arch, rays, blade, secant2, twintrian): flam3 does, so we do.
// Internal to renderer/variations; pure functions (thread-safe).
#pragma once

#include <cmath>

#include "renderer/base/random.h"
#include "renderer/variations/formulas_common.h"
#include "renderer/variations/prepared_xform.h"

namespace flamegrid::formulas {

// Four uniforms minus 2: a bell on [-2, 2] with variance 1/3.
inline double PseudoGaussian(Random& rng) {
  return rng.Uniform01() + rng.Uniform01() + rng.Uniform01() + rng.Uniform01() - 2.0;
}

// Quirk: scales x and y by independent cos/sin of one random angle.
inline Point2 Noise(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double angle = rng.Uniform01() * 2.0 * kPi;
  const double r = t.weight * rng.Uniform01();
  return {in.x * r * std::cos(angle), in.y * r * std::sin(angle)};
}

// julian and juliascope share their precalculation: the number of roots and
// the radial exponent dist / power / 2.
namespace julian {
enum Precalc { kRootCount, kExponent };
}
inline void PrepareJulianLike(PreparedTerm& t) {
  const double power = t.param[0];
  const double dist = t.param[1];
  t.precalc[julian::kRootCount] = std::fabs(power);
  t.precalc[julian::kExponent] = dist / power / 2.0;
}

static_assert(ParamName(VariationId::kJulian, 0) == "julian_power");
static_assert(ParamName(VariationId::kJulian, 1) == "julian_dist");
inline Point2 Julian(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double power = t.param[0];
  const double root = TruncateLikeCInt(t.precalc[julian::kRootCount] * rng.Uniform01());
  const double angle = (in.atan_yx + 2.0 * kPi * root) / power;
  const double r = t.weight * std::pow(in.sum_squares, t.precalc[julian::kExponent]);
  return {r * std::cos(angle), r * std::sin(angle)};
}

// Like julian, but odd roots mirror the angle.
static_assert(ParamName(VariationId::kJuliascope, 0) == "juliascope_power");
static_assert(ParamName(VariationId::kJuliascope, 1) == "juliascope_dist");
inline Point2 Juliascope(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double power = t.param[0];
  const int root =
      static_cast<int>(TruncateLikeCInt(t.precalc[julian::kRootCount] * rng.Uniform01()));
  const double mirrored = (root & 1) == 0 ? in.atan_yx : -in.atan_yx;
  const double angle = (2.0 * kPi * root + mirrored) / power;
  const double r = t.weight * std::pow(in.sum_squares, t.precalc[julian::kExponent]);
  return {r * std::cos(angle), r * std::sin(angle)};
}

// A uniform disc of radius weight, independent of the point.
inline Point2 Blur(const VariationInput&, const PreparedTerm& t, Random& rng) {
  const double angle = rng.Uniform01() * 2.0 * kPi;
  const double r = t.weight * rng.Uniform01();
  return {r * std::cos(angle), r * std::sin(angle)};
}

inline Point2 GaussianBlur(const VariationInput&, const PreparedTerm& t, Random& rng) {
  const double angle = rng.Uniform01() * 2.0 * kPi;
  const double r = t.weight * PseudoGaussian(rng);
  return {r * std::cos(angle), r * std::sin(angle)};
}

// Quirk: the result is a displacement (the point itself is subtracted and the
// radius is not weighted), meant to be added to linear: alone at zero blur it
// maps everything to the origin.
static_assert(ParamName(VariationId::kRadialBlur, 0) == "radial_blur_angle");
namespace radial_blur {
enum Precalc { kSpin, kZoom };
}
inline void PrepareRadialBlur(PreparedTerm& t) {
  const double angle = t.param[0] * kPi / 2.0;
  t.precalc[radial_blur::kSpin] = std::sin(angle);
  t.precalc[radial_blur::kZoom] = std::cos(angle);
}
inline Point2 RadialBlur(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double blur = t.weight * PseudoGaussian(rng);
  const double angle = in.atan_yx + t.precalc[radial_blur::kSpin] * blur;
  const double zoom = t.precalc[radial_blur::kZoom] * blur - 1.0;
  return {in.radius * std::cos(angle) + zoom * in.x, in.radius * std::sin(angle) + zoom * in.y};
}

// Random slices of a disc; ignores the point.
static_assert(ParamName(VariationId::kPie, 0) == "pie_slices");
static_assert(ParamName(VariationId::kPie, 1) == "pie_rotation");
static_assert(ParamName(VariationId::kPie, 2) == "pie_thickness");
inline Point2 Pie(const VariationInput&, const PreparedTerm& t, Random& rng) {
  const double slices = t.param[0];
  const double rotation = t.param[1];
  const double thickness = t.param[2];
  const double slice = TruncateLikeCInt(rng.Uniform01() * slices + 0.5);
  const double angle = rotation + 2.0 * kPi * (slice + rng.Uniform01() * thickness) / slices;
  const double r = t.weight * rng.Uniform01();
  return {r * std::cos(angle), r * std::sin(angle)};
}

static_assert(ParamName(VariationId::kNgon, 0) == "ngon_sides");
static_assert(ParamName(VariationId::kNgon, 1) == "ngon_power");
static_assert(ParamName(VariationId::kNgon, 2) == "ngon_circle");
static_assert(ParamName(VariationId::kNgon, 3) == "ngon_corners");
inline Point2 Ngon(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double sides = t.param[0], power = t.param[1];
  const double circle = t.param[2], corners = t.param[3];
  const double r_factor = std::pow(in.sum_squares, power / 2.0);
  const double sector = 2.0 * kPi / sides;
  double phi = in.atan_yx - sector * std::floor(in.atan_yx / sector);
  if (phi > sector / 2.0) phi -= sector;
  double amp = corners * (1.0 / (std::cos(phi) + kEps) - 1.0) + circle;
  amp /= r_factor + kEps;
  return {t.weight * in.x * amp, t.weight * in.y * amp};
}

static_assert(ParamName(VariationId::kCurl, 0) == "curl_c1");
static_assert(ParamName(VariationId::kCurl, 1) == "curl_c2");
inline Point2 Curl(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double c1 = t.param[0], c2 = t.param[1];
  const double re = 1.0 + c1 * in.x + c2 * (in.x * in.x - in.y * in.y);
  const double im = c1 * in.y + 2.0 * c2 * in.x * in.y;
  const double scale = t.weight / (re * re + im * im);
  return {(in.x * re + in.y * im) * scale, (in.y * re - in.x * im) * scale};
}

static_assert(ParamName(VariationId::kRectangles, 0) == "rectangles_x");
static_assert(ParamName(VariationId::kRectangles, 1) == "rectangles_y");
inline double RectanglesAxis(double v, double size) {
  if (size == 0.0) return v;
  return (2.0 * std::floor(v / size) + 1.0) * size - v;
}
inline Point2 Rectangles(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * RectanglesAxis(in.x, t.param[0]), t.weight * RectanglesAxis(in.y, t.param[1])};
}

// Ignores the point; the weight also scales the random angle.
inline Point2 Arch(const VariationInput&, const PreparedTerm& t, Random& rng) {
  const double angle = rng.Uniform01() * t.weight * kPi;
  const double s = std::sin(angle);
  return {t.weight * s, t.weight * (s * s) / std::cos(angle)};
}

inline Point2 Tangent(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * std::sin(in.x) / std::cos(in.y), t.weight * std::tan(in.y)};
}

// A uniform square of side weight, independent of the point.
inline Point2 Square(const VariationInput&, const PreparedTerm& t, Random& rng) {
  const double x = rng.Uniform01() - 0.5;
  const double y = rng.Uniform01() - 0.5;
  return {t.weight * x, t.weight * y};
}

// The weight enters three times: angle, radius and amplitude.
inline Point2 Rays(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double angle = t.weight * rng.Uniform01() * kPi;
  const double r = t.weight / (in.sum_squares + kEps);
  const double amplitude = t.weight * std::tan(angle) * r;
  return {amplitude * std::cos(in.x), amplitude * std::sin(in.y)};
}

// Quirk: both outputs scale x (never y).
inline Point2 Blade(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double r = rng.Uniform01() * t.weight * in.radius;
  const double s = std::sin(r), c = std::cos(r);
  return {t.weight * in.x * (c + s), t.weight * in.x * (c - s)};
}

// y ignores the point's y: it depends only on the radius.
inline Point2 Secant2(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double c = std::cos(t.weight * in.radius);
  const double inv = 1.0 / c;
  return {t.weight * in.x, c < 0.0 ? t.weight * (inv + 1.0) : t.weight * (inv - 1.0)};
}

// Like blade, both outputs scale x; log10(0) is replaced by -30 as flam3 does.
inline Point2 Twintrian(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double r = rng.Uniform01() * t.weight * in.radius;
  const double s = std::sin(r), c = std::cos(r);
  double diff = std::log10(s * s) + c;
  if (IsBadValue(diff)) diff = -30.0;
  return {t.weight * in.x * diff, t.weight * in.x * (diff - s * kPi)};
}

inline Point2 Cross(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double s = in.x * in.x - in.y * in.y;
  const double r = t.weight * std::sqrt(1.0 / (s * s + kEps));
  return {in.x * r, in.y * r};
}

// Quirk: the sine/cosine argument is rot*pi*(x + y), not of the radius.
static_assert(ParamName(VariationId::kDisc2, 0) == "disc2_rot");
static_assert(ParamName(VariationId::kDisc2, 1) == "disc2_twist");
namespace disc2 {
enum Precalc { kRotTimesPi, kSinAdd, kCosAdd };
}
inline void PrepareDisc2(PreparedTerm& t) {
  const double twist = t.param[1];
  double sin_add = std::sin(twist);
  double cos_add = std::cos(twist) - 1.0;
  // Twists beyond one turn grow the offset linearly (Apophysis' formula).
  if (twist > 2.0 * kPi) {
    const double k = 1.0 + twist - 2.0 * kPi;
    sin_add *= k;
    cos_add *= k;
  }
  if (twist < -2.0 * kPi) {
    const double k = 1.0 + twist + 2.0 * kPi;
    sin_add *= k;
    cos_add *= k;
  }
  t.precalc[disc2::kRotTimesPi] = t.param[0] * kPi;
  t.precalc[disc2::kSinAdd] = sin_add;
  t.precalc[disc2::kCosAdd] = cos_add;
}
inline Point2 Disc2(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double arg = t.precalc[disc2::kRotTimesPi] * (in.x + in.y);
  const double r = t.weight * in.atan_xy / kPi;
  return {(std::sin(arg) + t.precalc[disc2::kCosAdd]) * r,
          (std::cos(arg) + t.precalc[disc2::kSinAdd]) * r};
}

static_assert(ParamName(VariationId::kSuperShape, 0) == "super_shape_rnd");
static_assert(ParamName(VariationId::kSuperShape, 1) == "super_shape_m");
static_assert(ParamName(VariationId::kSuperShape, 2) == "super_shape_n1");
static_assert(ParamName(VariationId::kSuperShape, 3) == "super_shape_n2");
static_assert(ParamName(VariationId::kSuperShape, 4) == "super_shape_n3");
static_assert(ParamName(VariationId::kSuperShape, 5) == "super_shape_holes");
namespace super_shape {
enum Precalc { kQuarterM, kNegInvN1, kRandomness };
}
inline void PrepareSuperShape(PreparedTerm& t) {
  t.precalc[super_shape::kQuarterM] = t.param[1] / 4.0;
  t.precalc[super_shape::kNegInvN1] = -1.0 / t.param[2];
  // flam3's parser clamps rnd to [0, 1]; clamp here too so a genome built in
  // code behaves as the same genome read from XML.
  t.precalc[super_shape::kRandomness] = std::fmin(1.0, std::fmax(0.0, t.param[0]));
}
inline Point2 SuperShape(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double n2 = t.param[3], n3 = t.param[4], holes = t.param[5];
  const double theta = t.precalc[super_shape::kQuarterM] * in.atan_yx + kPi / 4.0;
  const double t1 = std::pow(std::fabs(std::cos(theta)), n2);
  const double t2 = std::pow(std::fabs(std::sin(theta)), n3);
  const double rnd = t.precalc[super_shape::kRandomness];
  const double radius = rnd * rng.Uniform01() + (1.0 - rnd) * in.radius;
  const double r = t.weight * (radius - holes) *
                   std::pow(t1 + t2, t.precalc[super_shape::kNegInvN1]) / in.radius;
  return {r * in.x, r * in.y};
}

static_assert(ParamName(VariationId::kFlower, 0) == "flower_petals");
static_assert(ParamName(VariationId::kFlower, 1) == "flower_holes");
inline Point2 Flower(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double petals = t.param[0], holes = t.param[1];
  const double r = t.weight * (rng.Uniform01() - holes) * std::cos(petals * in.atan_yx) / in.radius;
  return {r * in.x, r * in.y};
}

static_assert(ParamName(VariationId::kConic, 0) == "conic_eccentricity");
static_assert(ParamName(VariationId::kConic, 1) == "conic_holes");
inline Point2 Conic(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double eccentricity = t.param[0], holes = t.param[1];
  const double cos_theta = in.x / in.radius;
  const double r = t.weight * (rng.Uniform01() - holes) * eccentricity /
                   (1.0 + eccentricity * cos_theta) / in.radius;
  return {r * in.x, r * in.y};
}

static_assert(ParamName(VariationId::kParabola, 0) == "parabola_height");
static_assert(ParamName(VariationId::kParabola, 1) == "parabola_width");
inline Point2 Parabola(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double height = t.param[0], width = t.param[1];
  const double s = std::sin(in.radius), c = std::cos(in.radius);
  const double x = height * t.weight * s * s * rng.Uniform01();
  const double y = width * t.weight * c * rng.Uniform01();
  return {x, y};
}

}  // namespace flamegrid::formulas
