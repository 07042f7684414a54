// Vector math for the variations' SIMD paths, per Highway target: what
// hwy/contrib/math 1.0.3 lacks (Atan2, Pow, Fmod, Cosh, Tan, C's (int)
// truncation) and range guards around what it has (Sin and Cos are only
// accurate to |x| <= 39000, Exp to x <= 88.7 before overflow), plus the
// per-lane xoshiro128+ generator (VectorRng) over a VectorRngState.
//
// Highway "-inl" header: included once per target through foreach_target.h
// (it re-includes itself under HWY_TARGET_TOGGLE). Pure functions of their
// arguments; VectorRng is owned by one thread.
//
// Vectors use the arithmetic operators (+ - * /): fine on x86, NEON and the
// scalar fallback, which are the targets flamegrid builds for.

#if defined(FLAMEGRID_VARIATIONS_VECTOR_MATH_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef FLAMEGRID_VARIATIONS_VECTOR_MATH_INL_H_
#undef FLAMEGRID_VARIATIONS_VECTOR_MATH_INL_H_
#else
#define FLAMEGRID_VARIATIONS_VECTOR_MATH_INL_H_
#endif

#include <hwy/contrib/math/math-inl.h>
#include <hwy/highway.h>

#include "renderer/variations/vector_rng.h"

HWY_BEFORE_NAMESPACE();
namespace flamegrid {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

template <class D>
using VecF = hn::Vec<D>;

inline constexpr float kPiF = 3.14159265358979323846f;

// sin and cos, reduced into Highway's accurate range first. Beyond 39000 a
// float angle has lost its fractional turns anyway; the reduction only keeps
// the result a valid sine.
template <class D, class V = VecF<D>>
HWY_INLINE V ReduceAngle(D d, V x) {
  const V turns = hn::Round(x * hn::Set(d, 0.15915494309189535f));
  const V reduced = hn::NegMulAdd(turns, hn::Set(d, 6.28318530717958648f), x);
  return hn::IfThenElse(hn::Gt(hn::Abs(x), hn::Set(d, 39000.0f)), reduced, x);
}
template <class D, class V = VecF<D>>
HWY_INLINE V VSin(D d, V x) {
  return hn::Sin(d, ReduceAngle(d, x));
}
template <class D, class V = VecF<D>>
HWY_INLINE V VCos(D d, V x) {
  return hn::Cos(d, ReduceAngle(d, x));
}
template <class D, class V = VecF<D>>
HWY_INLINE V VTan(D d, V x) {
  const V r = ReduceAngle(d, x);
  return hn::Sin(d, r) / hn::Cos(d, r);
}

// e^x; +inf above float's range (Highway's Exp is undefined there), 0 far below.
template <class D, class V = VecF<D>>
HWY_INLINE V VExp(D d, V x) {
  const V limit = hn::Set(d, 88.72f);
  const V e = hn::Exp(d, hn::Min(hn::Max(x, hn::Set(d, -104.0f)), limit));
  const V inf = hn::Set(d, HUGE_VALF);
  return hn::IfThenElse(hn::Gt(x, limit), inf,
                        hn::IfThenZeroElse(hn::Lt(x, hn::Set(d, -104.0f)), e));
}

// Natural logarithm with C's edge cases: log(0) = -inf, log(<0) = NaN.
template <class D, class V = VecF<D>>
HWY_INLINE V VLog(D d, V x) {
  const V safe = hn::IfThenElse(hn::Gt(x, hn::Zero(d)), x, hn::Set(d, 1.0f));
  V result = hn::Log(d, safe);
  result = hn::IfThenElse(hn::Eq(x, hn::Zero(d)), hn::Set(d, -HUGE_VALF), result);
  result = hn::IfThenElse(hn::Eq(x, hn::Set(d, HUGE_VALF)), x, result);
  return hn::IfThenElse(hn::Or(hn::Lt(x, hn::Zero(d)), hn::IsNaN(x)), hn::Set(d, NAN), result);
}
template <class D, class V = VecF<D>>
HWY_INLINE V VLog10(D d, V x) {
  return VLog(d, x) * hn::Set(d, 0.43429448190325182f);
}

template <class D, class V = VecF<D>>
HWY_INLINE V VSqrt(D, V x) {
  return hn::Sqrt(x);
}

// sinh and cosh through one exponential (exact enough away from 0; near 0
// sinh uses Highway's Sinh, which is accurate there).
template <class D, class V = VecF<D>>
HWY_INLINE V VSinh(D d, V x) {
  const V e = VExp(d, hn::Abs(x));
  const V big = hn::CopySign(hn::Set(d, 0.5f) * (e - hn::Set(d, 1.0f) / e), x);
  const V small = hn::Sinh(d, hn::Min(hn::Max(x, hn::Set(d, -1.0f)), hn::Set(d, 1.0f)));
  return hn::IfThenElse(hn::Lt(hn::Abs(x), hn::Set(d, 1.0f)), small, big);
}
template <class D, class V = VecF<D>>
HWY_INLINE V VCosh(D d, V x) {
  const V e = VExp(d, hn::Abs(x));
  return hn::Set(d, 0.5f) * (e + hn::Set(d, 1.0f) / e);
}

// atan2(y, x) with C's quadrants (signed zeros aside).
template <class D, class V = VecF<D>>
HWY_INLINE V Atan2(D d, V y, V x) {
  const V zero = hn::Zero(d);
  const V pi = hn::Set(d, kPiF);
  const V half_pi = hn::Set(d, kPiF / 2);
  const V a = hn::Atan(d, y / x);
  V result = hn::IfThenElse(hn::Lt(x, zero), a + hn::CopySign(pi, y), a);
  // x == 0: +-pi/2 by the sign of y, and 0 at the origin.
  const V vertical = hn::IfThenElseZero(hn::Ne(y, zero), hn::CopySign(half_pi, y));
  result = hn::IfThenElse(hn::Eq(x, zero), vertical, result);
  // Both infinite or NaN: propagate NaN as the division did.
  return result;
}

// acos with NaN outside [-1, 1].
template <class D, class V = VecF<D>>
HWY_INLINE V VAcos(D d, V x) {
  const V one = hn::Set(d, 1.0f);
  const V a = hn::Acos(d, hn::Min(hn::Max(x, hn::Neg(one)), one));
  return hn::IfThenElse(hn::Gt(hn::Abs(x), one), hn::Set(d, NAN), a);
}

// pow(b, e) as C computes it for the cases variations meet: b >= 0 (radii,
// sums of squares, absolute values). pow(0, e) is 0, 1 or +inf by the sign
// of e; negative b gives NaN (flam3's callers never pass one).
template <class D, class V = VecF<D>>
HWY_INLINE V Pow(D d, V b, V e) {
  const V zero = hn::Zero(d);
  const V positive = hn::IfThenElse(hn::Gt(b, zero), b, hn::Set(d, 1.0f));
  V result = VExp(d, e * hn::Log(d, positive));
  const V at_zero =
      hn::IfThenElse(hn::Gt(e, zero), zero,
                     hn::IfThenElse(hn::Eq(e, zero), hn::Set(d, 1.0f), hn::Set(d, HUGE_VALF)));
  result = hn::IfThenElse(hn::Eq(b, zero), at_zero, result);
  result = hn::IfThenElse(hn::Eq(b, hn::Set(d, HUGE_VALF)),
                          hn::IfThenElse(hn::Gt(e, zero), b, zero), result);
  return hn::IfThenElse(hn::Or(hn::Lt(b, zero), hn::IsNaN(b)), hn::Set(d, NAN), result);
}

// C's fmod: a - b * trunc(a / b), the sign of a.
template <class D, class V = VecF<D>>
HWY_INLINE V Fmod(D, V a, V b) {
  return hn::NegMulAdd(hn::Trunc(a / b), b, a);
}

// C's (int) conversion as x86-64 executes it: toward zero, INT_MIN when out of
// range or NaN (see formulas::TruncateLikeCInt).
template <class D, class V = VecF<D>>
HWY_INLINE V TruncateLikeCInt(D d, V v) {
  const auto in_range = hn::Lt(hn::Abs(v), hn::Set(d, 2147483648.0f));
  return hn::IfThenElse(in_range, hn::Trunc(v), hn::Set(d, -2147483648.0f));
}

// flam3's badvalue(): NaN or beyond +-1e10.
template <class D, class V = VecF<D>>
HWY_INLINE hn::Mask<D> IsBadValue(D d, V v) {
  return hn::Not(hn::Le(hn::Abs(v), hn::Set(d, 1e10f)));
}

// Per-lane xoshiro128+ over the first Lanes(d) lanes of a VectorRngState.
template <class D>
class VectorRng {
 public:
  using DU = hn::RebindToUnsigned<D>;
  using DI = hn::RebindToSigned<D>;
  using VU = hn::Vec<DU>;

  VectorRng(D d, VectorRngState& state) : state_(state) {
    const DU du;
    (void)d;
    s0_ = hn::Load(du, state.s[0]);
    s1_ = hn::Load(du, state.s[1]);
    s2_ = hn::Load(du, state.s[2]);
    s3_ = hn::Load(du, state.s[3]);
  }
  ~VectorRng() {
    const DU du;
    hn::Store(s0_, du, state_.s[0]);
    hn::Store(s1_, du, state_.s[1]);
    hn::Store(s2_, du, state_.s[2]);
    hn::Store(s3_, du, state_.s[3]);
  }
  VectorRng(const VectorRng&) = delete;
  VectorRng& operator=(const VectorRng&) = delete;

  HWY_INLINE VU NextU32() {
    const VU result = s0_ + s3_;
    const VU t = hn::ShiftLeft<9>(s1_);
    s2_ = hn::Xor(s2_, s0_);
    s3_ = hn::Xor(s3_, s1_);
    s1_ = hn::Xor(s1_, s2_);
    s0_ = hn::Xor(s0_, s3_);
    s2_ = hn::Xor(s2_, t);
    s3_ = hn::Or(hn::ShiftLeft<11>(s3_), hn::ShiftRight<21>(s3_));
    return result;
  }
  // Uniform in [0, 1), 24 bits (the high ones: xoshiro128+'s low bits are weak).
  HWY_INLINE VecF<D> Uniform01(D d) {
    const DI di;
    const auto bits = hn::BitCast(di, hn::ShiftRight<8>(NextU32()));
    return hn::ConvertTo(d, bits) * hn::Set(d, 1.0f / 16777216.0f);
  }
  // Uniform in [-1, 1).
  HWY_INLINE VecF<D> UniformSigned(D d) {
    return hn::MulSub(Uniform01(d), hn::Set(d, 2.0f), hn::Set(d, 1.0f));
  }
  // A fair coin per lane.
  HWY_INLINE hn::Mask<D> Bit(D d) {
    const DI di;
    const auto top = hn::BitCast(di, NextU32());
    return hn::RebindMask(d, hn::Lt(top, hn::Zero(di)));
  }

 private:
  VectorRngState& state_;
  VU s0_, s1_, s2_, s3_;
};

}  // namespace HWY_NAMESPACE
}  // namespace flamegrid
HWY_AFTER_NAMESPACE();

#endif  // include guard
