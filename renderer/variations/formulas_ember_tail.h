// More of Ember's variations beyond flam3's 99, from the community corpus'
// tail (gaussian, hypertile, rblur, pow_block, depth; the tail's mirror_x,
// rotate_z and eJulia are in formulas_ember_more.h), each checked against
// Fractorium's Ember renders (tests/data/ember, make_ember_references.sh).
// Written from the published descriptions and what Ember's renders show, not
// from Ember's code. Internal to renderer/variations; pure functions
// (thread-safe).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "renderer/base/random.h"
#include "renderer/variations/formulas_blur_and_shape.h"
#include "renderer/variations/formulas_common.h"
#include "renderer/variations/prepared_xform.h"

namespace flamegrid::formulas {

// The point plus gaussian_blur's offset: Ember draws the same offset as
// gaussian_blur (same seed, same picture around the origin), but keeps the
// point, unweighted.
inline Point2 Gaussian(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const Point2 offset = GaussianBlur(in, t, rng);
  return {in.x + offset.x, in.y + offset.y};
}

// hypertile (Zueuk): one step of the regular {p, q} tiling of the Poincare
// disc, as the Moebius map z -> (z + conj(c)) / (1 + c z), where c, of modulus
// 1 / sqrt((1 - cos(2 pi / p)) / (cos(2 pi / p) + cos(2 pi / q)) + 1) (1 when
// that root is not real), points to the tile's n-th neighbour, at angle
// n 2 pi / p.
namespace hypertile {
enum Precalc { kRe, kIm };
}
inline void PrepareHypertile(PreparedTerm& t) {
  const double p_angle = 2.0 * kPi / t.param[0], q_angle = 2.0 * kPi / t.param[1];
  const double r2 = (1.0 - std::cos(p_angle)) / (std::cos(p_angle) + std::cos(q_angle)) + 1.0;
  const double r = r2 > 0.0 ? 1.0 / std::sqrt(r2) : 1.0;
  const double angle = t.param[2] * p_angle;
  t.precalc[hypertile::kRe] = r * std::cos(angle);
  t.precalc[hypertile::kIm] = r * std::sin(angle);
}

static_assert(ParamName(VariationId::kHypertile, 0) == "hypertile_p");
static_assert(ParamName(VariationId::kHypertile, 1) == "hypertile_q");
static_assert(ParamName(VariationId::kHypertile, 2) == "hypertile_n");
inline Point2 Hypertile(const VariationInput& in, const PreparedTerm& t, Random&) {
  const double re = t.precalc[hypertile::kRe], im = t.precalc[hypertile::kIm];
  const double num_x = in.x + re, num_y = in.y - im;
  const double den_x = 1.0 + re * in.x - im * in.y, den_y = re * in.y + im * in.x;
  const double scale = t.weight / (den_x * den_x + den_y * den_y);
  return {scale * (num_x * den_x + num_y * den_y), scale * (num_y * den_x - num_x * den_y)};
}

// rblur: the point smeared over a square whose half side grows with its
// distance from (center_x, center_y) past `offset`, strength times that
// distance (none inside the offset), all scaled by the weight. Probed with
// Ember: at the defaults (1, 0) goes unmoved, (1.5, 0) to a square of half
// side 0.5 and (1.5, 1.5) of half side sqrt(4.5) - 1.
static_assert(ParamName(VariationId::kRBlur, 0) == "rblur_strength");
static_assert(ParamName(VariationId::kRBlur, 1) == "rblur_offset");
static_assert(ParamName(VariationId::kRBlur, 2) == "rblur_center_x");
static_assert(ParamName(VariationId::kRBlur, 3) == "rblur_center_y");
inline Point2 RBlur(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const double strength = t.param[0], offset = t.param[1];
  const double distance = std::hypot(in.x - t.param[2], in.y - t.param[3]);
  const double half_side = strength * std::max(distance - offset, 0.0);
  const double dx = half_side * rng.UniformSigned(), dy = half_side * rng.UniformSigned();
  return {t.weight * (in.x + dx), t.weight * (in.y + dy)};
}

// pow_block: z to the power numerator / denominator, one of its
// `denominator` branches at random, where `root` scales the branch step and
// correctd / correctn the radius' exponent only. As Ember's renders show, at
// (1.5, 0.5): the defaults give the two square roots of z^3; root 2 keeps one
// of them (the step becomes 4 pi, so 6 pi after the power); correctd 2 cubes
// the radius and keeps the angles.
namespace pow_block {
enum Precalc { kPower, kRadiusPower, kBranches, kStep };
}
inline void PreparePowBlock(PreparedTerm& t) {
  const double numerator = t.param[0], denominator = t.param[1], root = t.param[2];
  const double correct_n = t.param[3], correct_d = t.param[4];
  const double power = denominator == 0.0 ? 0.0 : numerator / denominator;
  t.precalc[pow_block::kPower] = power;
  t.precalc[pow_block::kRadiusPower] = correct_n == 0.0 ? 0.0 : power * correct_d / correct_n;
  // (At most 2^30 branches: past that, no picture can tell the difference.)
  t.precalc[pow_block::kBranches] = std::clamp(std::trunc(std::fabs(denominator)), 1.0, 0x1.0p30);
  t.precalc[pow_block::kStep] = 2.0 * kPi * root;
}

static_assert(ParamName(VariationId::kPowBlock, 0) == "pow_block_numerator");
static_assert(ParamName(VariationId::kPowBlock, 1) == "pow_block_denominator");
static_assert(ParamName(VariationId::kPowBlock, 2) == "pow_block_root");
static_assert(ParamName(VariationId::kPowBlock, 3) == "pow_block_correctn");
static_assert(ParamName(VariationId::kPowBlock, 4) == "pow_block_correctd");
inline Point2 PowBlock(const VariationInput& in, const PreparedTerm& t, Random& rng) {
  const auto branches = static_cast<uint32_t>(t.precalc[pow_block::kBranches]);
  const double branch = static_cast<double>(rng.Below(branches));
  const double angle =
      (in.atan_yx + t.precalc[pow_block::kStep] * branch) * t.precalc[pow_block::kPower];
  const double r = t.weight * std::pow(in.sum_squares, t.precalc[pow_block::kRadiusPower] / 2.0);
  return {r * std::cos(angle), r * std::sin(angle)};
}

// depth at z = 0: linear. Its power acts through z only (Ember: beside an
// xform that makes z, depth_power 3 changes the picture; without one, depth is
// linear), and we keep no z, like julia3D (formulas_ember.h).
static_assert(ParamName(VariationId::kDepth, 0) == "depth_power");
inline Point2 Depth(const VariationInput& in, const PreparedTerm& t, Random&) {
  return {t.weight * in.x, t.weight * in.y};
}

}  // namespace flamegrid::formulas
