#include "renderer/render/weighted_rows.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "renderer/render/weighted_rows.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace flamegrid {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// out[i] += pattern[i % 4] * weights[i] for i < floats (a multiple of 4);
// `p` is the pattern repeated across a vector (RepeatedPattern).
template <class D, class V>
HWY_INLINE void AddWeightedRow(D d, V p, const float* HWY_RESTRICT pattern, float* HWY_RESTRICT out,
                               const float* HWY_RESTRICT weights, size_t floats) {
#if HWY_TARGET == HWY_SCALAR
  // One lane cannot hold the pattern: float by float.
  (void)d, (void)p;
  for (size_t i = 0; i < floats; ++i) out[i] += pattern[i % 4] * weights[i];
#else
  (void)pattern;
  const size_t lanes = hn::Lanes(d);
  size_t i = 0;
  for (; i + lanes <= floats; i += lanes) {
    hn::StoreU(hn::MulAdd(p, hn::LoadU(d, weights + i), hn::LoadU(d, out + i)), d, out + i);
  }
  // Most rows are a few cells long: the rest in one masked vector. (On
  // 128-bit targets a cell is a whole vector and this never runs; AVX2 and
  // AVX-512 mask loads and stores in hardware, touching no other lane.)
  if (i < floats) {
    const auto tail = hn::FirstN(d, floats - i);
    const auto sum =
        hn::MulAdd(p, hn::MaskedLoad(tail, d, weights + i), hn::MaskedLoad(tail, d, out + i));
    hn::BlendedStore(sum, tail, d, out + i);
  }
#endif
}

// The pattern repeated across a vector: every vector target has a multiple
// of 4 lanes. Built once per cell, not per row.
template <class D>
HWY_INLINE hn::Vec<D> RepeatedPattern(D d, const float* HWY_RESTRICT pattern) {
  HWY_ALIGN float repeated[hn::MaxLanes(d)];
  for (size_t k = 0; k < hn::Lanes(d); ++k) repeated[k] = pattern[k % 4];
  return hn::Load(d, repeated);
}

void AddWeightedKernelTarget(float* HWY_RESTRICT origin, size_t stride,
                             const KernelRow* HWY_RESTRICT rows, size_t count,
                             const float* HWY_RESTRICT values, const float* HWY_RESTRICT pattern) {
  const hn::ScalableTag<float> d;
  const auto p = RepeatedPattern(d, pattern);
  for (size_t r = 0; r < count; ++r) {
    AddWeightedRow(d, p, pattern,
                   origin + r * stride + 4 * static_cast<ptrdiff_t>(rows[r].first_column),
                   values + rows[r].first_value, 4 * static_cast<size_t>(rows[r].columns));
  }
}

void AddWeightedRowsTarget(const WeightedRow* HWY_RESTRICT rows, size_t count,
                           const float* HWY_RESTRICT pattern) {
  const hn::ScalableTag<float> d;
  const auto p = RepeatedPattern(d, pattern);
  for (size_t r = 0; r < count; ++r) {
    AddWeightedRow(d, p, pattern, rows[r].out, rows[r].weights, rows[r].floats);
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace flamegrid
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace flamegrid {

HWY_EXPORT(AddWeightedRowsTarget);
HWY_EXPORT(AddWeightedKernelTarget);

void AddWeightedKernel(float* origin, size_t stride, const KernelRow* rows, size_t count,
                       const float* values, const float pattern[4]) {
  HWY_DYNAMIC_DISPATCH(AddWeightedKernelTarget)(origin, stride, rows, count, values, pattern);
}

void AddWeightedRows(std::span<const WeightedRow> rows, const float pattern[4]) {
  HWY_DYNAMIC_DISPATCH(AddWeightedRowsTarget)(rows.data(), rows.size(), pattern);
}

}  // namespace flamegrid
#endif  // HWY_ONCE
