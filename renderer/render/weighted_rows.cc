#include "renderer/render/weighted_rows.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "renderer/render/weighted_rows.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace flamegrid {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

void AddWeightedCellsTarget(float* HWY_RESTRICT out, const float* HWY_RESTRICT weights,
                            const float* HWY_RESTRICT pattern, size_t floats) {
  // Most kernel rows are a few cells long: the cells a full vector does not
  // cover go four floats (one cell) at a time rather than one by one.
  const hn::ScalableTag<float> d;
  const size_t lanes = hn::Lanes(d);
  size_t i = 0;
  if (lanes > 4 && lanes % 4 == 0 && floats >= lanes) {
    HWY_ALIGN float repeated[hn::MaxLanes(d)];
    for (size_t k = 0; k < lanes; ++k) repeated[k] = pattern[k % 4];
    const auto p = hn::Load(d, repeated);
    for (; i + lanes <= floats; i += lanes) {
      const auto sum = hn::MulAdd(p, hn::LoadU(d, weights + i), hn::LoadU(d, out + i));
      hn::StoreU(sum, d, out + i);
    }
  }
#if HWY_TARGET != HWY_SCALAR
  const hn::Full128<float> d4;
  const auto p4 = hn::LoadU(d4, pattern);
  for (; i + 4 <= floats; i += 4) {
    hn::StoreU(hn::MulAdd(p4, hn::LoadU(d4, weights + i), hn::LoadU(d4, out + i)), d4, out + i);
  }
#endif
  for (; i < floats; ++i) out[i] += pattern[i % 4] * weights[i];
}

void AddWeightedRowsTarget(const WeightedRow* HWY_RESTRICT rows, size_t count,
                           const float* HWY_RESTRICT pattern) {
  for (size_t r = 0; r < count; ++r) {
    AddWeightedCellsTarget(rows[r].out, rows[r].weights, pattern, rows[r].floats);
  }
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
