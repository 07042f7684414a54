// AddWeightedRows: the inner loop of density estimation, in SIMD.
//
// For each row, out[i] += pattern[i % 4] * weights[i] for i in [0, floats):
// a row of accumulator cells (r, g, b, a) receives one histogram cell's
// log-scaled colour `pattern` times a kernel row whose weights are stored
// four times each. The SIMD target is chosen at run time by Highway's dynamic dispatch.
// One multiply-add per float in a fixed order, so the result never depends on
// threads; targets with FMA round once instead of twice, so the last bit may
// differ between CPUs. Pure function; thread-safe for disjoint `out`.
#pragma once

#include <cstddef>
#include <span>

namespace flamegrid {

// One row of a cell's kernel; `floats` is a multiple of 4.
struct WeightedRow {
  float* out;
  const float* weights;
  size_t floats;
};

// Every row of one cell's kernel in one call: most kernels are a few cells
// wide, and one dispatch per row cost more than the row itself.
void AddWeightedRows(std::span<const WeightedRow> rows, const float pattern[4]);

}  // namespace flamegrid
