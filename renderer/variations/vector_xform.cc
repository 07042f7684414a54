// The vector path of an xform, compiled once per SIMD target (Highway's
// foreach_target) and dispatched at run time.
//
// A span of points is processed in blocks of kBlock: pass 1 maps the block
// through the affine (and pre_blur), then each pre_ form in turn, and computes
// flam3's shared per-point values into small arrays; pass 2 runs each term
// over the whole block (one switch per term and block, a tight vector loop
// inside), then each post_ form on the sum; pass 3 applies the post affine and
// restarts bad points. An xform on the scalar fallback
// replaces passes 1 and 2 (and the post affine) by PreparedXform::Apply per
// point; pass 3's restarts are the same for both.

#include <algorithm>
#include <cfloat>
#include <cstring>
#include <optional>

#include "renderer/variations/variations.h"
#include "renderer/variations/vector_xform.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "renderer/variations/vector_xform.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "renderer/variations/vector_formulas-inl.h"

HWY_BEFORE_NAMESPACE();
namespace flamegrid {
namespace HWY_NAMESPACE {
namespace {

constexpr size_t kBlock = 256;  // a multiple of every target's float lane count

struct alignas(64) Block {
  float x[kBlock], y[kBlock];  // after affine and pre_blur (flam3's tx, ty)
  float sum_squares[kBlock], radius[kBlock];
  float atan_xy[kBlock], atan_yx[kBlock], sin_angle[kBlock], cos_angle[kBlock];
  float out_x[kBlock], out_y[kBlock];
  float bad[kBlock];
};

template <class D>
HWY_INLINE vf::Input<D> LoadInput(D d, const Block& b, size_t i) {
  return {hn::Load(d, b.x + i),         hn::Load(d, b.y + i),        hn::Load(d, b.sum_squares + i),
          hn::Load(d, b.radius + i),    hn::Load(d, b.atan_xy + i),  hn::Load(d, b.atan_yx + i),
          hn::Load(d, b.sin_angle + i), hn::Load(d, b.cos_angle + i)};
}

// The shared per-point values at (x, y), computed rather than loaded: what a
// pre_ or post_ form reads of the point it acts on (only the `needs` ones
// besides the radius, as PreparedXform's InputAt).
template <class D>
HWY_INLINE vf::Input<D> InputAt(D d, VecF<D> x, VecF<D> y, unsigned needs) {
  const VecF<D> r2 = hn::MulAdd(x, x, y * y);
  const VecF<D> r = hn::Sqrt(r2);
  return {x,
          y,
          r2,
          r,
          (needs & kNeedsAtanXY) ? Atan2(d, x, y) : hn::Zero(d),
          (needs & kNeedsAtanYX) ? Atan2(d, y, x) : hn::Zero(d),
          (needs & kNeedsAngles) ? x / r : hn::Zero(d),
          (needs & kNeedsAngles) ? y / r : hn::Zero(d)};
}

// Each form in turn on the points (xs[i], ys[i]), i < padded, in place: its
// weighted formula replaces the point, or is added to it.
template <class D>
void ApplyForms(D d, const std::vector<VectorForm>& forms, float* xs, float* ys, size_t padded,
                VectorRng<D>& rng) {
  const size_t lanes = hn::Lanes(d);
  for (const VectorForm& form : forms) {
    vf::WithFormula<D>(form.term.id, [&](auto formula) {
      for (size_t i = 0; i < padded; i += lanes) {
        const VecF<D> x = hn::Load(d, xs + i);
        const VecF<D> y = hn::Load(d, ys + i);
        const vf::Out<D> o = formula(d, InputAt(d, x, y, form.point_needs), form.term, rng);
        hn::Store(form.adds_to_point ? x + o.x : o.x, d, xs + i);
        hn::Store(form.adds_to_point ? y + o.y : o.y, d, ys + i);
      }
    });
  }
}

// A Random for the scalar fallback, seeded from the per-lane streams so that
// the result still depends only on the caller's VectorRngState.
template <class D>
Random ScalarRandomFrom(D, VectorRng<D>& rng) {
  const hn::RebindToUnsigned<D> du;
  alignas(64) uint32_t high[VectorRngState::kMaxLanes], low[VectorRngState::kMaxLanes];
  hn::Store(rng.NextU32(), du, high);
  hn::Store(rng.NextU32(), du, low);
  return Random((uint64_t{high[0]} << 32) | low[0]);
}

// A double result in float; beyond float's range it stays beyond 1e10 (a bad
// value) without an out-of-range conversion.
inline float ToFloat(double v) {
  return static_cast<float>(std::clamp<double>(v, -FLT_MAX, FLT_MAX));
}

// Stores the shared per-point values of lanes [i, i + Lanes) of the block and
// zeroes their sums.
template <class D>
HWY_INLINE void StoreShared(D d, Block& b, size_t i, VecF<D> x, VecF<D> y, unsigned needs) {
  const vf::Input<D> in = InputAt(d, x, y, needs);
  hn::Store(in.sum_squares, d, b.sum_squares + i);
  hn::Store(in.radius, d, b.radius + i);
  hn::Store(in.atan_xy, d, b.atan_xy + i);
  hn::Store(in.atan_yx, d, b.atan_yx + i);
  hn::Store(in.sin_angle, d, b.sin_angle + i);
  hn::Store(in.cos_angle, d, b.cos_angle + i);
  hn::Store(hn::Zero(d), d, b.out_x + i);
  hn::Store(hn::Zero(d), d, b.out_y + i);
}

// Passes 1 and 2 of one block: the points through the affine and pre_blur,
// their shared values, and the weighted sum of the terms into b.out_x/out_y.
template <class D>
void VectorPasses(D d, const VectorXform& xf, const float* xs, const float* ys, size_t count,
                  size_t padded, Block& b, VectorRng<D>& rng, bool apply_affines) {
  using V = VecF<D>;
  const size_t lanes = hn::Lanes(d);
  const unsigned needs = xf.point_needs;
  const auto& A = xf.affine;
  std::memcpy(b.x, xs, count * sizeof(float));
  std::memcpy(b.y, ys, count * sizeof(float));
  std::fill(b.x + count, b.x + padded, 0.5f);
  std::fill(b.y + count, b.y + padded, 0.5f);

  // Pass 1: affine, pre_blur, pre_ forms, shared per-point values (in one
  // loop when there are no forms).
  const bool pre_forms = !xf.pre_forms.empty();
  for (size_t i = 0; i < padded; i += lanes) {
    V x = hn::Load(d, b.x + i);
    V y = hn::Load(d, b.y + i);
    if (apply_affines) {
      const V tx =
          hn::MulAdd(hn::Set(d, A[0]), x, hn::MulAdd(hn::Set(d, A[2]), y, hn::Set(d, A[4])));
      const V ty =
          hn::MulAdd(hn::Set(d, A[1]), x, hn::MulAdd(hn::Set(d, A[3]), y, hn::Set(d, A[5])));
      x = tx;
      y = ty;
    }
    if (xf.pre_blur_weight != 0.0f) {
      const vf::Out<D> blur = vf::PreBlurDisplacement(d, xf.pre_blur_weight, rng);
      x = x + blur.x;
      y = y + blur.y;
    }
    hn::Store(x, d, b.x + i);
    hn::Store(y, d, b.y + i);
    if (!pre_forms) StoreShared(d, b, i, x, y, needs);
  }
  if (pre_forms) {
    ApplyForms(d, xf.pre_forms, b.x, b.y, padded, rng);
    for (size_t i = 0; i < padded; i += lanes) {
      StoreShared(d, b, i, hn::Load(d, b.x + i), hn::Load(d, b.y + i), needs);
    }
  }

  // Pass 2: the weighted sum of the variations.
  for (const VectorTerm& term : xf.terms) {
    vf::WithFormula<D>(term.id, [&](auto formula) {
      for (size_t i = 0; i < padded; i += lanes) {
        const vf::Input<D> in = LoadInput(d, b, i);
        const vf::Out<D> o = formula(d, in, term, rng);
        hn::Store(hn::Load(d, b.out_x + i) + o.x, d, b.out_x + i);
        hn::Store(hn::Load(d, b.out_y + i) + o.y, d, b.out_y + i);
      }
    });
  }
  ApplyForms(d, xf.post_forms, b.out_x, b.out_y, padded, rng);
}

// Maps points in place; `apply_affines` false skips both affines (terms see
// the given points), `restart_bad` false leaves bad points as they are.
template <class D>
size_t MapPoints(D d, const VectorXform& xf, float* xs, float* ys, uint8_t* bad_out, size_t n,
                 VectorRngState& state, bool apply_affines, bool restart_bad) {
  using V = VecF<D>;
  const size_t lanes = hn::Lanes(d);
  VectorRng<D> rng(d, state);
  Block b;
  size_t bad_count = 0;
  const auto& P = xf.post;
  const PreparedXform* fallback = xf.scalar_fallback ? &*xf.scalar_fallback : nullptr;
  std::optional<Random> scalar_rng;
  if (fallback != nullptr) scalar_rng.emplace(ScalarRandomFrom(d, rng));
  for (size_t start = 0; start < n; start += kBlock) {
    const size_t count = std::min(kBlock, n - start);
    const size_t padded = (count + lanes - 1) / lanes * lanes;
    if (fallback != nullptr) {
      // Passes 1 and 2 and the post affine in double, one point at a time.
      for (size_t i = 0; i < count; ++i) {
        const Point2 p = fallback->Apply({xs[start + i], ys[start + i]}, *scalar_rng);
        b.out_x[i] = ToFloat(p.x);
        b.out_y[i] = ToFloat(p.y);
      }
      std::fill(b.out_x + count, b.out_x + padded, 0.0f);
      std::fill(b.out_y + count, b.out_y + padded, 0.0f);
    } else {
      VectorPasses(d, xf, xs + start, ys + start, count, padded, b, rng, apply_affines);
    }

    // Pass 3: post affine, bad values.
    for (size_t i = 0; i < padded; i += lanes) {
      V x = hn::Load(d, b.out_x + i);
      V y = hn::Load(d, b.out_y + i);
      if (apply_affines && fallback == nullptr && xf.has_post) {
        const V px =
            hn::MulAdd(hn::Set(d, P[0]), x, hn::MulAdd(hn::Set(d, P[2]), y, hn::Set(d, P[4])));
        const V py =
            hn::MulAdd(hn::Set(d, P[1]), x, hn::MulAdd(hn::Set(d, P[3]), y, hn::Set(d, P[5])));
        x = px;
        y = py;
      }
      if (restart_bad) {
        const auto is_bad = hn::Or(IsBadValue(d, x), IsBadValue(d, y));
        const V rx = rng.UniformSigned(d);
        const V ry = rng.UniformSigned(d);
        x = hn::IfThenElse(is_bad, rx, x);
        y = hn::IfThenElse(is_bad, ry, y);
        hn::Store(hn::IfThenElseZero(is_bad, hn::Set(d, 1.0f)), d, b.bad + i);
      }
      hn::Store(x, d, b.out_x + i);
      hn::Store(y, d, b.out_y + i);
    }
    std::memcpy(xs + start, b.out_x, count * sizeof(float));
    std::memcpy(ys + start, b.out_y, count * sizeof(float));
    if (restart_bad) {
      for (size_t i = 0; i < count; ++i) {
        const bool is_bad = b.bad[i] != 0.0f;
        bad_out[start + i] = is_bad;
        bad_count += is_bad;
      }
    }
  }
  return bad_count;
}

}  // namespace

size_t ApplyXformTarget(const VectorXform& xf, float* x, float* y, uint8_t* bad, size_t n,
                        VectorRngState& rng) {
  const hn::ScalableTag<float> d;
  return MapPoints(d, xf, x, y, bad, n, rng, true, true);
}

void EvaluateTermTarget(const VectorTerm& term, const float* x, const float* y, float* out_x,
                        float* out_y, size_t n, VectorRngState& rng) {
  const hn::ScalableTag<float> d;
  VectorXform xf;
  xf.terms.push_back(term);
  xf.point_needs = VariationPointNeeds(term.id);
  std::memcpy(out_x, x, n * sizeof(float));
  std::memcpy(out_y, y, n * sizeof(float));
  MapPoints(d, xf, out_x, out_y, nullptr, n, rng, false, false);
}

void FillRandomTarget(uint32_t* out, size_t n, VectorRngState& state) {
  const hn::ScalableTag<float> d;
  const hn::RebindToUnsigned<decltype(d)> du;
  const size_t lanes = hn::Lanes(d);
  VectorRng<decltype(d)> rng(d, state);
  size_t i = 0;
  for (; i + lanes <= n; i += lanes) hn::StoreU(rng.NextU32(), du, out + i);
  if (i < n) {
    alignas(64) uint32_t tail[VectorRngState::kMaxLanes];
    hn::Store(rng.NextU32(), du, tail);
    std::memcpy(out + i, tail, (n - i) * sizeof(uint32_t));
  }
}

const char* TargetNameTarget() { return hwy::TargetName(HWY_TARGET); }
size_t LanesTarget() { return hn::Lanes(hn::ScalableTag<float>()); }

}  // namespace HWY_NAMESPACE
}  // namespace flamegrid
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace flamegrid {

HWY_EXPORT(ApplyXformTarget);
HWY_EXPORT(EvaluateTermTarget);
HWY_EXPORT(FillRandomTarget);
HWY_EXPORT(TargetNameTarget);
HWY_EXPORT(LanesTarget);

namespace {
VectorTerm ToVector(const PreparedTerm& term) {
  VectorTerm v;
  v.id = term.id;
  v.weight = static_cast<float>(term.weight);
  for (size_t i = 0; i < v.param.size(); ++i) v.param[i] = static_cast<float>(term.param[i]);
  for (size_t i = 0; i < v.precalc.size(); ++i) v.precalc[i] = static_cast<float>(term.precalc[i]);
  return v;
}
std::array<float, 6> ToVector(const Affine2& m) {
  return {static_cast<float>(m.a), static_cast<float>(m.b), static_cast<float>(m.c),
          static_cast<float>(m.d), static_cast<float>(m.e), static_cast<float>(m.f)};
}
}  // namespace

VectorXform VectorXform::From(const PreparedXform& prepared) {
  for (const PreparedTerm& term : prepared.terms()) {
    if (!GetVariationInfo(term.id).has_vector_formula) return ScalarFallback(prepared);
  }
  for (const auto* forms : {&prepared.pre_forms(), &prepared.post_forms()}) {
    for (const PreparedForm& form : *forms) {
      if (!GetVariationInfo(form.term.id).has_vector_formula) return ScalarFallback(prepared);
    }
  }
  VectorXform xf;
  xf.affine = ToVector(prepared.affine());
  xf.post = ToVector(prepared.post());
  xf.has_post = !prepared.post().IsIdentity();
  xf.pre_blur_weight = static_cast<float>(prepared.pre_blur_weight());
  for (const PreparedTerm& term : prepared.terms()) {
    xf.terms.push_back(ToVector(term));
    xf.point_needs |= VariationPointNeeds(term.id);
  }
  for (const PreparedForm& form : prepared.pre_forms()) {
    xf.pre_forms.push_back({ToVector(form.term), form.point_needs, form.adds_to_point});
  }
  for (const PreparedForm& form : prepared.post_forms()) {
    xf.post_forms.push_back({ToVector(form.term), form.point_needs, form.adds_to_point});
  }
  return xf;
}

VectorXform VectorXform::ScalarFallback(const PreparedXform& prepared) {
  VectorXform xf;
  xf.scalar_fallback = prepared;
  return xf;
}

size_t ApplyVectorXform(const VectorXform& xform, float* x, float* y, uint8_t* bad, size_t n,
                        VectorRngState& rng) {
  return HWY_DYNAMIC_DISPATCH(ApplyXformTarget)(xform, x, y, bad, n, rng);
}

void EvaluateVectorTerm(const VectorTerm& term, const float* x, const float* y, float* out_x,
                        float* out_y, size_t n, VectorRngState& rng) {
  HWY_DYNAMIC_DISPATCH(EvaluateTermTarget)(term, x, y, out_x, out_y, n, rng);
}

void FillRandomU32(uint32_t* out, size_t n, VectorRngState& rng) {
  HWY_DYNAMIC_DISPATCH(FillRandomTarget)(out, n, rng);
}

const char* VectorTargetName() { return HWY_DYNAMIC_DISPATCH(TargetNameTarget)(); }
size_t VectorLanes() { return HWY_DYNAMIC_DISPATCH(LanesTarget)(); }

}  // namespace flamegrid
#endif  // HWY_ONCE
