// AddWeightedRows: the inner loop of density estimation, in SIMD.
//
// For each row, out[i] += pattern[i % 4] * weights[i] for i in [0, floats):
// a row of accumulator cells or output pixels (r, g, b, a) receives one histogram cell's
// log-scaled colour `pattern` times a kernel row whose weights are stored
// four times each. The SIMD target is chosen at run time by Highway's dynamic dispatch.
// One multiply-add per float in a fixed order, so the result never depends on
// threads; targets with FMA round once instead of twice, so the last bit may
// differ between CPUs. Pure function; thread-safe for disjoint `out`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace flamegrid {

// One row of a cell's kernel; `floats` is a multiple of 4.
struct WeightedRow {
  float* out;
  const float* weights;
  size_t floats;
};

// One row of a kernel laid out for AddWeightedKernel: `columns` cells from
// column `first_column` (relative to the kernel's origin), weights (four
// copies each) from values[first_value].
struct KernelRow {
  int32_t first_column;
  int32_t columns;
  uint32_t first_value;
};

// A whole kernel whose rows all land inside the output: row r adds to the
// cells from origin + r * stride floats + 4 * first_column. No bounds are
// checked; callers use AddWeightedRows for kernels that need clipping.
void AddWeightedKernel(float* origin, size_t stride, const KernelRow* rows, size_t count,
                       const float* values, const float pattern[4]);

// Every row of one cell's kernel in one call: most kernels are a few cells
// wide, and one dispatch per row cost more than the row itself.
void AddWeightedRows(std::span<const WeightedRow> rows, const float pattern[4]);

}  // namespace flamegrid
