// Ember variations that cut the plane into cells or crop it, common in
// community flames: crackle, falloff2, crop, hypertile2, hexes. Checked against
// Fractorium's Ember renders (tests/data/ember, make_ember_references.sh).
//
// As in formulas_ember.h our points are 2D and these act as Ember does at
// z = 0. Written from the published descriptions of the Apophysis plugins
// and from what Ember's renders show, not from Ember's code.
// Internal to renderer/variations; pure functions (thread-safe).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "renderer/base/random.h"
#include "renderer/variations/formulas_common.h"
#include "renderer/variations/prepared_xform.h"

namespace flamegrid::formulas {

// ---------------------------------------------------------------------------
// crackle (slobo777): a Voronoi crackle. A random point of a soft disc of
// radius about 1 is pushed away from the centre of its Voronoi cell, towards
// the cell's walls: by L^power * scale / L, where L is 0 at the centre and 1
// on the wall. The cell centres sit on a square grid of step cellsize / 2,
// each moved by `distort` times a 3D simplex noise of its grid coordinates
// (at height `z`).
//
// The undistorted grid (distort 0, the default) is Ember's exactly. Ember's
// noise comes from its own gradient and permutation tables, which no
// published formula gives, so a distorted crackle here has cells of the same
// character but not in the same places as Ember's.
namespace crackle {
enum Precalc { kHalfCell };

// The gradient at simplex corner (i, j, k): one of the 12 cube-edge
// directions, picked by an integer hash of the corner instead of Perlin's
// permutation table (the vector twin, vector_formulas_ember-inl.h, picks it
// here too).
inline const std::array<int8_t, 3>& CornerGradient(int64_t i, int64_t j, int64_t k) {
  static constexpr std::array<std::array<int8_t, 3>, 12> kGradients = {{{1, 1, 0},
                                                                        {-1, 1, 0},
                                                                        {1, -1, 0},
                                                                        {-1, -1, 0},
                                                                        {1, 0, 1},
                                                                        {-1, 0, 1},
                                                                        {1, 0, -1},
                                                                        {-1, 0, -1},
                                                                        {0, 1, 1},
                                                                        {0, -1, 1},
                                                                        {0, 1, -1},
                                                                        {0, -1, -1}}};
  uint64_t h = static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ull;
  h ^= static_cast<uint64_t>(j) * 0xC2B2AE3D27D4EB4Full;
  h ^= static_cast<uint64_t>(k) * 0x165667B19E3779F9ull;
  h ^= h >> 29;
  return kGradients[(h * 0xBF58476D1CE4E5B9ull >> 32) % 12];
}

// Gustavson's 3D simplex noise ("Simplex noise demystified", 2005: skew 1/3,
// unskew 1/6, kernel (0.6 - d^2)^4, output scale 32), in about [-1, 1], with
// CornerGradient's gradients.
inline double SimplexNoise3D(double x, double y, double z) {
  constexpr double kSkew = 1.0 / 3.0, kUnskew = 1.0 / 6.0;
  const double skew = (x + y + z) * kSkew;
  const double i = std::floor(x + skew), j = std::floor(y + skew), k = std::floor(z + skew);
  const double unskew = (i + j + k) * kUnskew;
  const std::array<double, 3> d0 = {x - (i - unskew), y - (j - unskew), z - (k - unskew)};
  // The simplex holding the point: walk from corner 0 to corner 3 along the
  // axes in decreasing order of d0.
  std::array<int, 3> order = {0, 1, 2};
  std::sort(order.begin(), order.end(), [&](int a, int b) { return d0[a] > d0[b]; });
  std::array<int, 3> corner = {0, 0, 0};
  double sum = 0.0;
  for (int c = 0; c < 4; ++c) {
    if (c > 0) corner[order[c - 1]] = 1;
    std::array<double, 3> d;
    for (int a = 0; a < 3; ++a) d[a] = d0[a] - corner[a] + c * kUnskew;
    const double falloff = 0.6 - d[0] * d[0] - d[1] * d[1] - d[2] * d[2];
    if (falloff <= 0.0) continue;
    const auto& g =
        CornerGradient(static_cast<int64_t>(i) + corner[0], static_cast<int64_t>(j) + corner[1],
                       static_cast<int64_t>(k) + corner[2]);
    const double f2 = falloff * falloff;
    sum += f2 * f2 * (g[0] * d[0] + g[1] * d[1] + g[2] * d[2]);
  }
  return 32.0 * sum;
}

// The centre of grid cell (i, j): the noise inputs of x and y are spread far
// apart (and x, y crossed) so that the two shifts do not correlate.
inline Point2 CellCentre(double i, double j, double z, double step, double distort) {
  if (distort == 0.0) return {i * step, j * step};
  const double nx = SimplexNoise3D(2.5 * i, 2.5 * j, 2.5 * z);
  const double ny = SimplexNoise3D(2.5 * j + 30.2, 2.5 * i - 12.1, 2.5 * z + 19.8);
  return {(i + distort * nx) * step, (j + distort * ny) * step};
}

// How far u lies from centre q towards the wall it shares with p: 0 at q,
// 1 on the bisector of q and p.
inline double WallRatio(Point2 p, Point2 q, Point2 u) {
  const double dx = p.x - q.x, dy = p.y - q.y;
  if (dx == 0.0 && dy == 0.0) return 1.0;
  return 2.0 * ((u.x - q.x) * dx + (u.y - q.y) * dy) / (dx * dx + dy * dy);
}

// The point u moved within its Voronoi cell (before the weight).
inline Point2 Move(Point2 u, double step, double power, double distort, double scale, double z) {
  auto centres_around = [&](double ci, double cj) {
    std::array<Point2, 9> centres;
    for (int n = 0; n < 9; ++n)
      centres[n] = CellCentre(ci + n / 3 - 1, cj + n % 3 - 1, z, step, distort);
    return centres;
  };
  double ci = std::floor(u.x / step), cj = std::floor(u.y / step);
  std::array<Point2, 9> centres = centres_around(ci, cj);
  int nearest = 0;
  double nearest_d2 = 1e300;
  for (int n = 0; n < 9; ++n) {
    const double d2 =
        (u.x - centres[n].x) * (u.x - centres[n].x) + (u.y - centres[n].y) * (u.y - centres[n].y);
    if (d2 < nearest_d2) nearest_d2 = d2, nearest = n;
  }
  // Recentred on the nearest cell, so that all its neighbours are in the list.
  ci += nearest / 3 - 1;
  cj += nearest % 3 - 1;
  centres = centres_around(ci, cj);
  const Point2 centre = centres[4];
  double wall = -1e20;
  for (int n = 0; n < 9; ++n) {
    if (n != 4) wall = std::max(wall, WallRatio(centres[n], centre, u));
  }
  const double r = std::pow(std::fabs(wall) + 1e-100, power) * scale / (wall + 1e-100);
  return {centre.x + (u.x - centre.x) * r, centre.y + (u.y - centre.y) * r};
}
}  // namespace crackle

inline void PrepareCrackle(PreparedTerm& t) { t.precalc[crackle::kHalfCell] = t.param[0] / 2.0; }

static_assert(ParamName(VariationId::kCrackle, 0) == "crackle_cellsize");
static_assert(ParamName(VariationId::kCrackle, 1) == "crackle_power");
static_assert(ParamName(VariationId::kCrackle, 2) == "crackle_distort");
static_assert(ParamName(VariationId::kCrackle, 3) == "crackle_scale");
static_assert(ParamName(VariationId::kCrackle, 4) == "crackle_z");
inline Point2 Crackle(const VariationInput&, const PreparedTerm& t, Random& rng) {
  // The start: a random angle, a radius peaked at 1/2 ... 1 (the mean of two
  // uniforms plus a quarter-width uniform).
  const double spread = (rng.Uniform01() + rng.Uniform01()) / 2.0 + (rng.Uniform01() - 0.5) / 4.0;
  const double angle = 2.0 * kPi * rng.Uniform01();
  const Point2 u{spread * std::sin(angle), spread * std::cos(angle)};
  // No cells (Ember renders the start disc itself).
  const double step = t.precalc[crackle::kHalfCell];
  if (step == 0.0) return {t.weight * u.x, t.weight * u.y};
  const Point2 moved = crackle::Move(u, step, t.param[1], t.param[2], t.param[3], t.param[4]);
  return {t.weight * moved.x, t.weight * moved.y};
}

// ---------------------------------------------------------------------------
// falloff2 (Xyrus02): a blur whose size grows with the distance d from
// (x0, y0, z0) beyond `mindist` (or, with `invert`, with 1 - d): the shift is
// up to 0.04 * scatter * max(d' - mindist, 0), in one of three forms (`type`):
// 0 the point moved by uniform [0, shift) steps along x and y (scaled by
// mul_x, mul_y); 1 (radial) its radius, angle and elevation moved (mul_x,
// mul_y, mul_z); 2 (gaussian) moved along a random direction. Our points have
// z = 0 and no colour of their own here, so mul_c (a colour shift) is read
// but not applied.
namespace falloff2 {
enum Precalc { kMaxShift };
enum Type { kRegular = 0, kRadial = 1, kGaussian = 2 };
// Ember draws every random shift of falloff2 uniformly in [-1/2, 1/2).
inline double Centred(Random& rng) { return rng.Uniform01() - 0.5; }
}  // namespace falloff2
inline void PrepareFalloff2(PreparedTerm& t) { t.precalc[falloff2::kMaxShift] = 0.04 * t.param[0]; }

static_assert(ParamName(VariationId::kFalloff2, 0) == "falloff2_scatter");
static_assert(ParamName(VariationId::kFalloff2, 1) == "falloff2_mindist");
static_assert(ParamName(VariationId::kFalloff2, 2) == "falloff2_mul_x");
static_assert(ParamName(VariationId::kFalloff2, 3) == "falloff2_mul_y");
static_assert(ParamName(VariationId::kFalloff2, 4) == "falloff2_mul_z");
static_assert(ParamName(VariationId::kFalloff2, 5) == "falloff2_mul_c");
static_assert(ParamName(VariationId::kFalloff2, 6) == "falloff2_x0");
static_assert(ParamName(VariationId::kFalloff2, 7) == "falloff2_y0");
static_assert(ParamName(VariationId::kFalloff2, 8) == "falloff2_z0");
static_assert(ParamName(VariationId::kFalloff2, 9) == "falloff2_invert");
static_assert(ParamName(VariationId::kFalloff2, 10) == "falloff2_type");
inline Point2 Falloff2(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double mindist = t.param[1], mul_x = t.param[2], mul_y = t.param[3], mul_z = t.param[4];
  const double x0 = t.param[6], y0 = t.param[7], z0 = t.param[8];
  const bool invert = t.param[9] != 0.0;
  const double d = std::sqrt((in.x - x0) * (in.x - x0) + (in.y - y0) * (in.y - y0) + z0 * z0);
  const double reach = invert ? std::max(1.0 - d, 0.0) : d;
  const double shift = std::max(reach - mindist, 0.0) * t.precalc[falloff2::kMaxShift];
  switch (static_cast<int>(t.param[10])) {
    case falloff2::kRadial: {
      const double r_in = in.radius + 1e-6;
      const double elevation = mul_z * falloff2::Centred(rng) * shift;
      const double angle = in.atan_yx + mul_y * falloff2::Centred(rng) * shift;
      const double r =
          t.weight * (r_in + mul_x * falloff2::Centred(rng) * shift) * std::cos(elevation);
      return {r * std::cos(angle), r * std::sin(angle)};
    }
    case falloff2::kGaussian: {
      const double elevation = shift * falloff2::Centred(rng) * 2.0 * kPi;
      const double angle = shift * falloff2::Centred(rng) * kPi;
      const double r = shift * falloff2::Centred(rng) * std::cos(elevation);
      return {t.weight * (in.x + mul_x * r * std::cos(angle)),
              t.weight * (in.y + mul_y * r * std::sin(angle))};
    }
    default:
      return {t.weight * (in.x + mul_x * falloff2::Centred(rng) * shift),
              t.weight * (in.y + mul_y * falloff2::Centred(rng) * shift)};
  }
}

// ---------------------------------------------------------------------------
// crop (Xyrus02): points inside the rectangle [left, right] x [top, bottom]
// stay; a coordinate beyond an edge is put back on that edge, or with
// scatter_area > 0 at a random depth of up to scatter_area times the
// half-width inside it. With `zero`, points outside go to the origin instead.
namespace crop {
enum Precalc { kXMin, kYMin, kXMax, kYMax, kScatterX, kScatterY };
}  // namespace crop
inline void PrepareCrop(PreparedTerm& t) {
  using namespace crop;
  t.precalc[kXMin] = std::min(t.param[0], t.param[2]);
  t.precalc[kYMin] = std::min(t.param[1], t.param[3]);
  t.precalc[kXMax] = std::max(t.param[0], t.param[2]);
  t.precalc[kYMax] = std::max(t.param[1], t.param[3]);
  t.precalc[kScatterX] = (t.precalc[kXMax] - t.precalc[kXMin]) * 0.5 * t.param[4];
  t.precalc[kScatterY] = (t.precalc[kYMax] - t.precalc[kYMin]) * 0.5 * t.param[4];
}

static_assert(ParamName(VariationId::kCrop, 0) == "crop_left");
static_assert(ParamName(VariationId::kCrop, 1) == "crop_top");
static_assert(ParamName(VariationId::kCrop, 2) == "crop_right");
static_assert(ParamName(VariationId::kCrop, 3) == "crop_bottom");
static_assert(ParamName(VariationId::kCrop, 4) == "crop_scatter_area");
static_assert(ParamName(VariationId::kCrop, 5) == "crop_zero");
inline Point2 Crop(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  using namespace crop;
  const double* c = t.precalc.data();
  double x = in.x, y = in.y;
  const bool outside = x < c[kXMin] || x > c[kXMax] || y < c[kYMin] || y > c[kYMax];
  if (outside && t.param[5] != 0.0) return {0.0, 0.0};
  if (x < c[kXMin]) {
    x = c[kXMin] + rng.Uniform01() * c[kScatterX];
  } else if (x > c[kXMax]) {
    x = c[kXMax] - rng.Uniform01() * c[kScatterX];
  }
  if (y < c[kYMin]) {
    y = c[kYMin] + rng.Uniform01() * c[kScatterY];
  } else if (y > c[kYMax]) {
    y = c[kYMax] - rng.Uniform01() * c[kScatterY];
  }
  return {t.weight * x, t.weight * y};
}

// ---------------------------------------------------------------------------
// hypertile2 (Zueuk): a tiling of the hyperbolic plane (Poincare disc) by
// regular p-gons, q around each vertex: the Mobius map
// (z + r) / (r z + 1), with r the distance from the centre of a tile to the
// centre of its neighbour, followed by a rotation by a random multiple of
// 2 pi / p.
namespace hypertile2 {
enum Precalc { kRotations, kRotationStep, kShift };
}  // namespace hypertile2
inline void PrepareHypertile2(PreparedTerm& t) {
  using namespace hypertile2;
  const double p = t.param[0], q = t.param[1];
  const double cos_p = std::cos(2.0 * kPi / p);
  const double r2 = 1.0 - (cos_p - 1.0) / (cos_p + std::cos(2.0 * kPi / q));
  t.precalc[kRotations] = std::max(1.0, std::trunc(std::fabs(p)));
  t.precalc[kRotationStep] = 2.0 * kPi / p;
  t.precalc[kShift] = r2 > 0.0 ? 1.0 / std::sqrt(r2) : 1.0;
}

static_assert(ParamName(VariationId::kHypertile2, 0) == "hypertile2_p");
static_assert(ParamName(VariationId::kHypertile2, 1) == "hypertile2_q");
inline Point2 Hypertile2(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  using namespace hypertile2;
  const double r = t.precalc[kShift];
  // (a + ib) / (c + id), as (a + ib)(c - id) / (c^2 + d^2).
  const double a = in.x + r, b = in.y;
  const double c = r * in.x + 1.0, d = r * in.y;
  const double x = a * c + b * d, y = b * c - a * d;
  const double scale = t.weight / (c * c + d * d);
  const auto rotations = static_cast<uint32_t>(std::min(t.precalc[kRotations], 4294967295.0));
  const double turn = t.precalc[kRotationStep] * rng.Below(rotations);
  const double sin_turn = std::sin(turn), cos_turn = std::cos(turn);
  return {scale * (x * cos_turn + y * sin_turn), scale * (y * cos_turn - x * sin_turn)};
}

// ---------------------------------------------------------------------------
// hexes (slobo777): the plane cut into regular hexagons, centres
// cellsize * (1.5 (i - j), sqrt(3)/2 (i + j)). In its hexagon the point's
// offset from the centre is turned clockwise by rotate * 2 pi, and rescaled
// as crackle rescales it, so that its Voronoi ratio L (0 at the centre, 1 on
// the wall) becomes L^power * scale. Where the turned point would leave the
// hexagon it is pulled back: let L' be its ratio after the turn; while
// max(L, L') < 0.5 the turn is kept as it is, above 0.8 the offset is
// scaled by L / L' (ratio L again), and between the two factors blend
// linearly (as Ember's renders show: rotate 1/6 and 1/4 images match).
namespace hexes {
enum Precalc { kSinTurn, kCosTurn };

inline Point2 Centre(double i, double j, double size) {
  return {1.5 * (i - j) * size, std::numbers::sqrt3 / 2.0 * (i + j) * size};
}

// The largest Voronoi ratio of u in the hexagon of centre (i, j).
inline double WallRatio(Point2 u, double i, double j, double size) {
  static constexpr int kNeighbours[6][2] = {{1, 0}, {0, 1}, {1, 1}, {-1, 0}, {0, -1}, {-1, -1}};
  const Point2 centre = Centre(i, j, size);
  double wall = -1e20;
  for (const auto& n : kNeighbours) {
    wall = std::max(wall, crackle::WallRatio(Centre(i + n[0], j + n[1], size), centre, u));
  }
  return wall;
}
}  // namespace hexes
inline void PrepareHexes(PreparedTerm& t) {
  t.precalc[hexes::kSinTurn] = std::sin(t.param[2] * 2.0 * kPi);
  t.precalc[hexes::kCosTurn] = std::cos(t.param[2] * 2.0 * kPi);
}

static_assert(ParamName(VariationId::kHexes, 0) == "hexes_cellsize");
static_assert(ParamName(VariationId::kHexes, 1) == "hexes_power");
static_assert(ParamName(VariationId::kHexes, 2) == "hexes_rotate");
static_assert(ParamName(VariationId::kHexes, 3) == "hexes_scale");
inline Point2 Hexes(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double size = t.param[0];
  const Point2 u{in.x, in.y};
  // Hex coordinates of the point; the nearest centre is a corner of the
  // lattice parallelogram holding it.
  const double hi = std::floor((in.x / 3.0 + in.y / std::numbers::sqrt3) / size);
  const double hj = std::floor((-in.x / 3.0 + in.y / std::numbers::sqrt3) / size);
  double ci = hi, cj = hj, nearest_d2 = 1e300;
  for (int n = 0; n < 4; ++n) {
    const Point2 c = hexes::Centre(hi + n / 2, hj + n % 2, size);
    const double d2 = (u.x - c.x) * (u.x - c.x) + (u.y - c.y) * (u.y - c.y);
    if (d2 < nearest_d2) nearest_d2 = d2, ci = hi + n / 2, cj = hj + n % 2;
  }
  const Point2 centre = hexes::Centre(ci, cj, size);
  const double dx = u.x - centre.x, dy = u.y - centre.y;
  const double sin_turn = t.precalc[hexes::kSinTurn], cos_turn = t.precalc[hexes::kCosTurn];
  const Point2 turned{centre.x + dx * cos_turn + dy * sin_turn,
                      centre.y - dx * sin_turn + dy * cos_turn};
  const double before = hexes::WallRatio(u, ci, cj, size);
  const double after = hexes::WallRatio(turned, ci, cj, size);
  const double wall = std::max(before, after);
  double keep;
  if (wall < 0.5) {
    keep = 1.0;
  } else if (wall > 0.8) {
    keep = before / after;
  } else {
    keep = ((0.8 - wall) + (wall - 0.5) * before / after) / 0.3;
  }
  const double r =
      keep * std::pow(std::fabs(before) + 1e-100, t.param[1]) * t.param[3] / (before + 1e-100);
  return {t.weight * (centre.x + (turned.x - centre.x) * r),
          t.weight * (centre.y + (turned.y - centre.y) * r)};
}

}  // namespace flamegrid::formulas
