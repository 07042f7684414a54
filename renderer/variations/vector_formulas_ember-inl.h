// The vector paths of the Ember variations of formulas_ember_more.h,
// formulas_ember_cells.h and formulas_ember_tail.h whose catalogue entry says
// Vector: each the single-precision, Lanes(d)-wide twin of the scalar formula
// of the same name (same quirks, same precalcs in VectorTerm::precalc).
// Branches on a parameter stay branches (a parameter is the same in every
// lane); branches on the point become masks, and the cell searches of crackle
// and hexes test every candidate cell in every lane. Random draws come from
// per-lane streams, so random variations match the scalar ones in
// distribution only.
//
// Highway "-inl" header, included per target by vector_formulas-inl.h (whose
// vf::Input, vf::Out, FG_* macros and flam3 twins it uses), between its
// formulas and WithFormula. Pure functions (the VectorRng belongs to the
// calling thread).

#if defined(FLAMEGRID_VARIATIONS_VECTOR_FORMULAS_EMBER_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef FLAMEGRID_VARIATIONS_VECTOR_FORMULAS_EMBER_INL_H_
#undef FLAMEGRID_VARIATIONS_VECTOR_FORMULAS_EMBER_INL_H_
#else
#define FLAMEGRID_VARIATIONS_VECTOR_FORMULAS_EMBER_INL_H_
#endif

#include <cmath>
#include <cstddef>
#include <numbers>
#include <utility>

#include "renderer/variations/formulas_ember_cells.h"
#include "renderer/variations/formulas_ember_more.h"
#include "renderer/variations/formulas_ember_tail.h"
#include "renderer/variations/vector_math-inl.h"
#include "renderer/variations/vector_rng.h"

HWY_BEFORE_NAMESPACE();
namespace flamegrid {
namespace HWY_NAMESPACE {
namespace vf {

// floor(u * count) for a uniform u, kept below count: rng.Below(count) of the
// scalar formulas.
template <class D>
HWY_INLINE VecF<D> RandomBelow(D d, VectorRng<D>& rng, VecF<D> count) {
  return hn::Min(hn::Floor(rng.Uniform01(d) * count), count - hn::Set(d, 1.0f));
}

// L^power * scale / L, the cell variations' rescaling of a Voronoi ratio L
// (the scalar's 1e-100 guard is 0 in float: a tiny float guard instead).
template <class D, class V = VecF<D>>
HWY_INLINE V WallRescale(D d, V wall, V power, V scale) {
  const V tiny = hn::Set(d, 1e-30f);
  return Pow(d, hn::Abs(wall) + tiny, power) * scale / (wall + tiny);
}

// ---- formulas_ember_more.h ----

FG_VECTOR_VARIATION(MobiusApophysis) { return Mobius<D, V>(d, in, t, rng); }
FG_VECTOR_VARIATION(Curl3D) {
  const V cx = FG_P(0), cy = FG_P(1), cz = FG_P(2);
  const V r2 = in.sum_squares;
  V denominator =
      r2 * (cx * cx + cy * cy + cz * cz) + FG_K(2) * cx * in.x - FG_K(2) * cy * in.y + FG_K(1);
  denominator = hn::IfThenElse(hn::Eq(denominator, hn::Zero(d)), FG_K(kEpsF), denominator);
  const V scale = FG_W / denominator;
  return {scale * hn::MulAdd(cx, r2, in.x), scale * hn::NegMulAdd(cy, r2, in.y)};
}
FG_VECTOR_VARIATION(TileHlp) {
  const V width = FG_P(0);
  const V x = in.x / width;
  const V stay = VCos(d, (x - hn::Trunc(x)) * FG_K(kPiF));
  const auto moves = hn::Lt(stay, FG_K(2) * rng.Uniform01(d));
  const V toward_zero = hn::IfThenElse(hn::Gt(x, hn::Zero(d)), hn::Neg(width), width);
  const V shift = hn::IfThenElseZero(moves, toward_zero);
  return {FG_W * (in.x + shift), FG_W * in.y};
}
FG_VECTOR_VARIATION(BWraps) {
  using namespace formulas::bwraps;
  if (t.param[0] == 0.0f) return {FG_W * in.x, FG_W * in.y};
  const V cellsize = FG_P(0);
  const V half = FG_K(0.5);
  const V center_x = (hn::Floor(in.x / cellsize) + half) * cellsize;
  const V center_y = (hn::Floor(in.y / cellsize) + half) * cellsize;
  V local_x = in.x - center_x, local_y = in.y - center_y;
  const V radius2 = FG_C(kRadius2);
  const auto outside = hn::Gt(hn::MulAdd(local_x, local_x, local_y * local_y), radius2);
  local_x = local_x * FG_C(kScale);
  local_y = local_y * FG_C(kScale);
  const V lens = FG_C(kLensFactor) /
                 hn::MulAdd(hn::MulAdd(local_x, local_x, local_y * local_y), FG_K(0.25), FG_K(1));
  local_x = local_x * lens;
  local_y = local_y * lens;
  const V rim = hn::MulAdd(local_x, local_x, local_y * local_y) / radius2;  // 0 middle, 1 rim
  const V twist = hn::MulAdd(FG_P(4) - FG_P(3), rim, FG_P(3));
  const V s = VSin(d, twist), c = VCos(d, twist);
  const V x = center_x + c * local_x + s * local_y;
  const V y = center_y - s * local_x + c * local_y;
  return {FG_W * hn::IfThenElse(outside, in.x, x), FG_W * hn::IfThenElse(outside, in.y, y)};
}
FG_VECTOR_VARIATION(BWraps7) { return BWraps<D, V>(d, in, t, rng); }
FG_VECTOR_VARIATION(Unpolar) {
  const V r = FG_W * FG_K(1.0 / (2.0 * formulas::kPi)) * VExp(d, in.y);
  return {r * VSin(d, in.x), r * VCos(d, in.x)};
}
FG_VECTOR_VARIATION(Bubble2) {
  const V scale = FG_W / hn::MulAdd(in.sum_squares, FG_K(0.25), FG_K(1));
  return {scale * in.x * FG_P(0), scale * in.y * FG_P(1)};
}
FG_VECTOR_VARIATION(RotateZ) {
  const double angle = -static_cast<double>(t.weight) * formulas::kPi / 2.0;
  const V s = FG_K(std::sin(angle)), c = FG_K(std::cos(angle));
  return {hn::MulSub(c, in.x, s * in.y), hn::MulAdd(s, in.x, c * in.y)};
}
FG_VECTOR_VARIATION(MirrorX) {
  const V size = hn::Abs(in.x);
  return {hn::IfThenElse(hn::Lt(rng.Uniform01(d), FG_K(0.5)), hn::Neg(size), size), in.y};
}
FG_VECTOR_VARIATION(CircleBlur) { return BlurCircle<D, V>(d, in, t, rng); }
FG_VECTOR_VARIATION(EJulia) {
  const float power = t.precalc[formulas::ejulia::kPower];
  V x = in.x, r2 = in.sum_squares;
  if (power < 0.0f) {  // the inverse point (x, y) / r^2 has r^2 -> 1 / r^2
    r2 = FG_K(1) / r2;
    x = x * r2;
  }
  // The sum of the distances to the foci is 2 cosh(mu); each distance's
  // square, (x -+ 1)^2 + y^2, kept >= 0 against float rounding.
  const V zero = hn::Zero(d);
  const V base = r2 + FG_K(1), two_x = x + x;
  const V sum = hn::Sqrt(hn::Max(base + two_x, zero)) + hn::Sqrt(hn::Max(base - two_x, zero));
  const V cosh_mu = hn::Max(FG_K(1), sum * FG_K(0.5));
  const V mu = hn::Acosh(d, cosh_mu);
  V nu = hn::Acos(d, hn::Min(hn::Max(x / cosh_mu, FG_K(-1)), FG_K(1)));
  nu = hn::IfThenElse(hn::Lt(in.y, zero), hn::Neg(nu), nu);
  const V root = RandomBelow(d, rng, FG_K(std::fabs(power)));
  const V inv_power = FG_K(1.0 / power);
  const V angle = hn::MulAdd(FG_K(kTwoPiF), root, nu) * inv_power;
  const V radial = mu * inv_power;
  return {FG_W * VCosh(d, radial) * VCos(d, angle), FG_W * VSinh(d, radial) * VSin(d, angle)};
}

// ---- formulas_ember_cells.h ----

// formulas::crackle::SimplexNoise3D lane by lane: the simplex and its corners
// by masks, the corners' gradients from the scalar CornerGradient (an integer
// hash of 64-bit products, which float lanes do not hold) one lane at a time.
template <class D, class V = VecF<D>>
HWY_INLINE V SimplexNoise3D(D d, V x, V y, V z) {
  const V sixth = hn::Set(d, 1.0f / 6.0f);
  const V skew = (x + y + z) * hn::Set(d, 1.0f / 3.0f);
  const V i = hn::Floor(x + skew), j = hn::Floor(y + skew), k = hn::Floor(z + skew);
  const V unskew = (i + j + k) * sixth;
  const V x0 = x - (i - unskew), y0 = y - (j - unskew), z0 = z - (k - unskew);
  // Corner 1 steps along the largest of x0, y0, z0, corner 2 along the two
  // largest (ties ordered x, y, z, as the scalar's sort leaves them).
  const auto x_ge_y = hn::Ge(x0, y0), y_ge_z = hn::Ge(y0, z0), x_ge_z = hn::Ge(x0, z0);
  const V one = hn::Set(d, 1.0f);
  const V step1[3] = {hn::IfThenElseZero(hn::And(x_ge_y, x_ge_z), one),
                      hn::IfThenElseZero(hn::AndNot(x_ge_y, y_ge_z), one),
                      hn::IfThenZeroElse(hn::Or(x_ge_z, y_ge_z), one)};
  const V step2[3] = {hn::IfThenElseZero(hn::Or(x_ge_y, x_ge_z), one),
                      hn::IfThenZeroElse(hn::AndNot(y_ge_z, x_ge_y), one),
                      hn::IfThenZeroElse(hn::And(x_ge_z, y_ge_z), one)};
  constexpr size_t kMax = VectorRngState::kMaxLanes;
  alignas(64) float cell[3][kMax], corner[2][3][kMax], gradient[4][3][kMax];
  hn::Store(i, d, cell[0]);
  hn::Store(j, d, cell[1]);
  hn::Store(k, d, cell[2]);
  for (int a = 0; a < 3; ++a) {
    hn::Store(step1[a], d, corner[0][a]);
    hn::Store(step2[a], d, corner[1][a]);
  }
  for (size_t lane = 0; lane < hn::Lanes(d); ++lane) {
    int64_t base[3], offset[4][3];
    for (int a = 0; a < 3; ++a) {
      base[a] = static_cast<int64_t>(cell[a][lane]);
      offset[0][a] = 0;
      offset[1][a] = static_cast<int64_t>(corner[0][a][lane]);
      offset[2][a] = static_cast<int64_t>(corner[1][a][lane]);
      offset[3][a] = 1;
    }
    for (int c = 0; c < 4; ++c) {
      const auto& g = formulas::crackle::CornerGradient(
          base[0] + offset[c][0], base[1] + offset[c][1], base[2] + offset[c][2]);
      for (int a = 0; a < 3; ++a) gradient[c][a][lane] = g[a];
    }
  }
  V sum = hn::Zero(d);
  for (int c = 0; c < 4; ++c) {
    const V lead = hn::Set(d, static_cast<float>(c) / 6.0f);
    const V dx = c == 0 ? x0 : c == 3 ? x0 - one + lead : x0 - (c == 1 ? step1 : step2)[0] + lead;
    const V dy = c == 0 ? y0 : c == 3 ? y0 - one + lead : y0 - (c == 1 ? step1 : step2)[1] + lead;
    const V dz = c == 0 ? z0 : c == 3 ? z0 - one + lead : z0 - (c == 1 ? step1 : step2)[2] + lead;
    const V falloff = hn::Set(d, 0.6f) - dx * dx - dy * dy - dz * dz;
    const V f2 = falloff * falloff;
    const V dot = hn::Load(d, gradient[c][0]) * dx + hn::Load(d, gradient[c][1]) * dy +
                  hn::Load(d, gradient[c][2]) * dz;
    sum = sum + hn::IfThenElseZero(hn::Gt(falloff, hn::Zero(d)), f2 * f2 * dot);
  }
  return hn::Set(d, 32.0f) * sum;
}

// crackle's cell centres: the square grid, moved (distorted) by the simplex
// noise (formulas::crackle::CellCentre).
template <class D, class V = VecF<D>>
HWY_INLINE Out<D> CrackleCentre(D d, V i, V j, const VectorTerm& t) {
  const V step = hn::Set(d, t.precalc[formulas::crackle::kHalfCell]);
  const float distort = t.param[2];
  if (distort == 0.0f) return {i * step, j * step};
  const V spread = hn::Set(d, 2.5f), z = hn::Set(d, 2.5f * t.param[4]);
  const V nx = SimplexNoise3D(d, spread * i, spread * j, z);
  const V ny = SimplexNoise3D(d, hn::MulAdd(spread, j, hn::Set(d, 30.2f)),
                              hn::MulAdd(spread, i, hn::Set(d, -12.1f)), z + hn::Set(d, 19.8f));
  const V amount = hn::Set(d, distort);
  return {hn::MulAdd(amount, nx, i) * step, hn::MulAdd(amount, ny, j) * step};
}

// How far u lies from centre q towards the wall it shares with p
// (formulas::crackle::WallRatio).
template <class D, class V = VecF<D>>
HWY_INLINE V WallRatio(D d, Out<D> p, Out<D> q, Out<D> u) {
  const V dx = p.x - q.x, dy = p.y - q.y;
  const V norm2 = hn::MulAdd(dx, dx, dy * dy);
  const V ratio = hn::Set(d, 2.0f) * hn::MulAdd(u.x - q.x, dx, (u.y - q.y) * dy) / norm2;
  return hn::IfThenElse(hn::Eq(norm2, hn::Zero(d)), hn::Set(d, 1.0f), ratio);
}

// The cell (i, j), of `count` candidates (i0, j0) + offset(n), whose
// centre(i, j) lies nearest to u, per lane (the first candidate on ties), as
// {i, j}: the cell searches of crackle and hexes.
template <class D, class Offset, class Centre>
HWY_INLINE Out<D> NearestCell(D d, const Out<D>& u, VecF<D> i0, VecF<D> j0, int count,
                              Offset offset, Centre centre) {
  using V = VecF<D>;
  V nearest_d2 = hn::Set(d, HUGE_VALF), nearest_i = i0, nearest_j = j0;
  for (int n = 0; n < count; ++n) {
    const auto [di, dj] = offset(n);
    const V i = i0 + hn::Set(d, static_cast<float>(di));
    const V j = j0 + hn::Set(d, static_cast<float>(dj));
    const Out<D> c = centre(i, j);
    const V dx = u.x - c.x, dy = u.y - c.y;
    const V d2 = hn::MulAdd(dx, dx, dy * dy);
    const auto closer = hn::Lt(d2, nearest_d2);
    nearest_d2 = hn::IfThenElse(closer, d2, nearest_d2);
    nearest_i = hn::IfThenElse(closer, i, nearest_i);
    nearest_j = hn::IfThenElse(closer, j, nearest_j);
  }
  return {nearest_i, nearest_j};
}

FG_VECTOR_VARIATION(Crackle) {
  const V spread = (rng.Uniform01(d) + rng.Uniform01(d)) * FG_K(0.5) +
                   (rng.Uniform01(d) - FG_K(0.5)) * FG_K(0.25);
  const V angle = FG_K(kTwoPiF) * rng.Uniform01(d);
  const Out<D> u{spread * VSin(d, angle), spread * VCos(d, angle)};
  const float step = t.precalc[formulas::crackle::kHalfCell];
  if (step == 0.0f) return {FG_W * u.x, FG_W * u.y};
  // The nearest of the 9 centres around u's grid cell.
  const Out<D> cell = NearestCell(
      d, u, hn::Floor(u.x / hn::Set(d, step)), hn::Floor(u.y / hn::Set(d, step)), 9,
      [](int n) {
        return std::pair<int, int>{n / 3 - 1, n % 3 - 1};
      },
      [&](V i, V j) { return CrackleCentre(d, i, j, t); });
  const V ci = cell.x, cj = cell.y;
  const Out<D> centre = CrackleCentre(d, ci, cj, t);
  V wall = FG_K(-1e20);
  for (int n = 0; n < 9; ++n) {
    if (n == 4) continue;
    const Out<D> p = CrackleCentre(d, ci + FG_K(n / 3 - 1), cj + FG_K(n % 3 - 1), t);
    wall = hn::Max(wall, WallRatio(d, p, centre, u));
  }
  const V r = WallRescale(d, wall, FG_P(1), FG_P(3));
  return {FG_W * hn::MulAdd(u.x - centre.x, r, centre.x),
          FG_W * hn::MulAdd(u.y - centre.y, r, centre.y)};
}

// falloff2's shifts, uniform in [-1/2, 1/2) (formulas::falloff2::Centred).
template <class D>
HWY_INLINE VecF<D> Falloff2Centred(D d, VectorRng<D>& rng) {
  return rng.Uniform01(d) - hn::Set(d, 0.5f);
}
FG_VECTOR_VARIATION(Falloff2) {
  const V mindist = FG_P(1), mul_x = FG_P(2), mul_y = FG_P(3), mul_z = FG_P(4);
  const V dx = in.x - FG_P(6), dy = in.y - FG_P(7), z0 = FG_P(8);
  const V distance = hn::Sqrt(hn::MulAdd(dx, dx, hn::MulAdd(dy, dy, z0 * z0)));
  const V zero = hn::Zero(d);
  const V reach = t.param[9] != 0.0f ? hn::Max(FG_K(1) - distance, zero) : distance;
  const V shift = hn::Max(reach - mindist, zero) * FG_C(formulas::falloff2::kMaxShift);
  switch (static_cast<int>(t.param[10])) {
    case formulas::falloff2::kRadial: {
      const V r_in = in.radius + FG_K(1e-6);
      const V elevation = mul_z * Falloff2Centred(d, rng) * shift;
      const V angle = in.atan_yx + mul_y * Falloff2Centred(d, rng) * shift;
      const V r =
          FG_W * hn::MulAdd(mul_x * Falloff2Centred(d, rng), shift, r_in) * VCos(d, elevation);
      return FromPolar(d, r, angle);
    }
    case formulas::falloff2::kGaussian: {
      const V elevation = shift * Falloff2Centred(d, rng) * FG_K(kTwoPiF);
      const V angle = shift * Falloff2Centred(d, rng) * FG_K(kPiF);
      const V r = shift * Falloff2Centred(d, rng) * VCos(d, elevation);
      return {FG_W * hn::MulAdd(mul_x * r, VCos(d, angle), in.x),
              FG_W * hn::MulAdd(mul_y * r, VSin(d, angle), in.y)};
    }
    default: {
      const V x = hn::MulAdd(mul_x * Falloff2Centred(d, rng), shift, in.x);
      const V y = hn::MulAdd(mul_y * Falloff2Centred(d, rng), shift, in.y);
      return {FG_W * x, FG_W * y};
    }
  }
}

// One coordinate of crop: put back on the nearer edge it left, scattered
// inside by up to `scatter`.
template <class D, class V = VecF<D>>
HWY_INLINE V CropAxis(D d, V v, V low, V high, V scatter, VectorRng<D>& rng) {
  const V depth = rng.Uniform01(d) * scatter;
  return hn::IfThenElse(hn::Lt(v, low), low + depth,
                        hn::IfThenElse(hn::Gt(v, high), high - depth, v));
}
FG_VECTOR_VARIATION(Crop) {
  using namespace formulas::crop;
  const V x_min = FG_C(kXMin), y_min = FG_C(kYMin), x_max = FG_C(kXMax), y_max = FG_C(kYMax);
  if (t.param[5] != 0.0f) {  // zero: points outside go to the origin, unweighted
    const auto outside = hn::Or(hn::Or(hn::Lt(in.x, x_min), hn::Gt(in.x, x_max)),
                                hn::Or(hn::Lt(in.y, y_min), hn::Gt(in.y, y_max)));
    return {hn::IfThenZeroElse(outside, FG_W * in.x), hn::IfThenZeroElse(outside, FG_W * in.y)};
  }
  return {FG_W * CropAxis(d, in.x, x_min, x_max, FG_C(kScatterX), rng),
          FG_W * CropAxis(d, in.y, y_min, y_max, FG_C(kScatterY), rng)};
}

FG_VECTOR_VARIATION(Hypertile2) {
  using namespace formulas::hypertile2;
  const V r = FG_C(kShift);
  // (z + r) / (r z + 1) as (z + r)(r conj(z) + 1) / |r z + 1|^2, expanded:
  // its imaginary part y (1 - r^2) is exactly 0 at r = 1 (no real tiling),
  // as the scalar's is, where fused products would leave rounding noise.
  const V c = hn::MulAdd(r, in.x, FG_K(1)), e = r * in.y;
  const V x = hn::MulAdd(r, in.sum_squares, hn::MulAdd(in.x, hn::MulAdd(r, r, FG_K(1)), r));
  const V y = in.y * hn::NegMulAdd(r, r, FG_K(1));
  const V scale = FG_W / hn::MulAdd(c, c, e * e);
  const V rotations = hn::Min(FG_C(kRotations), FG_K(4294967295.0));
  const V turn = FG_C(kRotationStep) * RandomBelow(d, rng, rotations);
  const V sin_turn = VSin(d, turn), cos_turn = VCos(d, turn);
  return {scale * hn::MulAdd(x, cos_turn, y * sin_turn),
          scale * hn::MulSub(y, cos_turn, x * sin_turn)};
}

// hexes' neighbour directions, as (i, j) steps (formulas::hexes::WallRatio).
inline constexpr int kHexNeighbours[6][2] = {{1, 0}, {0, 1}, {1, 1}, {-1, 0}, {0, -1}, {-1, -1}};

// The centre of hexagon (i, j) of side `size` (formulas::hexes::Centre).
template <class D, class V = VecF<D>>
HWY_INLINE Out<D> HexCentre(D d, V i, V j, V size) {
  return {hn::Set(d, 1.5f) * (i - j) * size,
          hn::Set(d, static_cast<float>(std::numbers::sqrt3 / 2.0)) * (i + j) * size};
}

// The largest Voronoi ratio of u in the hexagon of centre (i, j).
template <class D, class V = VecF<D>>
HWY_INLINE V HexWallRatio(D d, Out<D> u, V i, V j, V size) {
  const Out<D> centre = HexCentre(d, i, j, size);
  V wall = hn::Set(d, -1e20f);
  for (const auto& n : kHexNeighbours) {
    const Out<D> neighbour = HexCentre(d, i + hn::Set(d, static_cast<float>(n[0])),
                                       j + hn::Set(d, static_cast<float>(n[1])), size);
    wall = hn::Max(wall, WallRatio(d, neighbour, centre, u));
  }
  return wall;
}

FG_VECTOR_VARIATION(Hexes) {
  using namespace formulas::hexes;
  const V size = FG_P(0);
  const Out<D> u{in.x, in.y};
  // Hex coordinates of the point; the nearest centre is a corner of the
  // lattice parallelogram holding it.
  const V third_x = in.x * FG_K(1.0 / 3.0), y_root3 = in.y * FG_K(1.0 / std::numbers::sqrt3);
  const V hi = hn::Floor((third_x + y_root3) / size);
  const V hj = hn::Floor((y_root3 - third_x) / size);
  const Out<D> cell = NearestCell(
      d, u, hi, hj, 4,
      [](int n) {
        return std::pair<int, int>{n / 2, n % 2};
      },
      [&](V i, V j) { return HexCentre(d, i, j, size); });
  const V ci = cell.x, cj = cell.y;
  const Out<D> centre = HexCentre(d, ci, cj, size);
  const V dx = u.x - centre.x, dy = u.y - centre.y;
  const V sin_turn = FG_C(kSinTurn), cos_turn = FG_C(kCosTurn);
  const Out<D> turned{centre.x + dx * cos_turn + dy * sin_turn,
                      centre.y - dx * sin_turn + dy * cos_turn};
  const V before = HexWallRatio(d, u, ci, cj, size);
  const V after = HexWallRatio(d, turned, ci, cj, size);
  const V wall = hn::Max(before, after);
  const V pulled = before / after;
  const V blended = ((FG_K(0.8) - wall) + (wall - FG_K(0.5)) * pulled) / FG_K(0.3);
  const V keep = hn::IfThenElse(hn::Lt(wall, FG_K(0.5)), FG_K(1),
                                hn::IfThenElse(hn::Gt(wall, FG_K(0.8)), pulled, blended));
  const V r = keep * WallRescale(d, before, FG_P(1), FG_P(3));
  return {FG_W * hn::MulAdd(turned.x - centre.x, r, centre.x),
          FG_W * hn::MulAdd(turned.y - centre.y, r, centre.y)};
}

// ---- formulas_ember_tail.h ----

FG_VECTOR_VARIATION(Gaussian) {
  const Out<D> offset = GaussianBlur<D, V>(d, in, t, rng);
  return {in.x + offset.x, in.y + offset.y};
}
FG_VECTOR_VARIATION(Hypertile) {
  using namespace formulas::hypertile;
  const V re = FG_C(kRe), im = FG_C(kIm);
  const V num_x = in.x + re, num_y = in.y - im;
  const V den_x = FG_K(1) + re * in.x - im * in.y, den_y = hn::MulAdd(re, in.y, im * in.x);
  const V scale = FG_W / hn::MulAdd(den_x, den_x, den_y * den_y);
  return {scale * hn::MulAdd(num_x, den_x, num_y * den_y),
          scale * hn::MulSub(num_y, den_x, num_x * den_y)};
}
FG_VECTOR_VARIATION(RBlur) {
  const V dx = in.x - FG_P(2), dy = in.y - FG_P(3);
  const V distance = hn::Sqrt(hn::MulAdd(dx, dx, dy * dy));
  const V half_side = FG_P(0) * hn::Max(distance - FG_P(1), hn::Zero(d));
  const V x = hn::MulAdd(half_side, rng.UniformSigned(d), in.x);
  const V y = hn::MulAdd(half_side, rng.UniformSigned(d), in.y);
  return {FG_W * x, FG_W * y};
}
FG_VECTOR_VARIATION(PowBlock) {
  using namespace formulas::pow_block;
  const V branch = RandomBelow(d, rng, FG_C(kBranches));
  const V angle = hn::MulAdd(FG_C(kStep), branch, in.atan_yx) * FG_C(kPower);
  const V r = FG_W * Pow(d, in.sum_squares, FG_C(kRadiusPower) * FG_K(0.5));
  return FromPolar(d, r, angle);
}
FG_VECTOR_VARIATION(Depth) { return {FG_W * in.x, FG_W * in.y}; }

}  // namespace vf
}  // namespace HWY_NAMESPACE
}  // namespace flamegrid
HWY_AFTER_NAMESPACE();

#endif  // include guard
