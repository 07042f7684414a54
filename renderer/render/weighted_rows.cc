#include "renderer/render/weighted_rows.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "renderer/render/weighted_rows.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace flamegrid {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

void AddWeightedRowsTarget(const WeightedRow* HWY_RESTRICT rows, size_t count,
                           const float* HWY_RESTRICT pattern) {
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
#if HWY_TARGET == HWY_SCALAR
  (void)d, (void)lanes;
  for (size_t r = 0; r < count; ++r) {
    for (size_t i = 0; i < rows[r].floats; ++i)
      rows[r].out[i] += pattern[i % 4] * rows[r].weights[i];
  }
#else
  // Every vector target has a multiple of 4 lanes: the pattern repeats
  // whole in a vector. Built once per cell, not per row.
  HWY_ALIGN float repeated[hn::MaxLanes(d)];
  for (size_t k = 0; k < lanes; ++k) repeated[k] = pattern[k % 4];
  const auto p = hn::Load(d, repeated);
  for (size_t r = 0; r < count; ++r) {
    float* HWY_RESTRICT out = rows[r].out;
    const float* HWY_RESTRICT weights = rows[r].weights;
    const size_t floats = rows[r].floats;
    size_t i = 0;
    for (; i + lanes <= floats; i += lanes) {
      hn::StoreU(hn::MulAdd(p, hn::LoadU(d, weights + i), hn::LoadU(d, out + i)), d, out + i);
    }
    // Most rows are a few cells long: the rest in one masked vector.
    if (i < floats) {
      const auto tail = hn::FirstN(d, floats - i);
      const auto sum =
          hn::MulAdd(p, hn::MaskedLoad(tail, d, weights + i), hn::MaskedLoad(tail, d, out + i));
      hn::BlendedStore(sum, tail, d, out + i);
    }
  }
#endif
}

}  // namespace HWY_NAMESPACE
}  // namespace flamegrid
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace flamegrid {

HWY_EXPORT(AddWeightedRowsTarget);

void AddWeightedRows(std::span<const WeightedRow> rows, const float pattern[4]) {
  HWY_DYNAMIC_DISPATCH(AddWeightedRowsTarget)(rows.data(), rows.size(), pattern);
}

}  // namespace flamegrid
#endif  // HWY_ONCE
