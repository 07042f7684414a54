// The chaos game: a flame's IFS compiled for iteration (PreparedFlame), the
// point iteration itself (IterateChunk), and the step that turns computed
// points into histogram increments (PlotPalette + ToIncrements).
//
// Iteration follows flam3 3.1: each chunk starts from a random point, runs
// kFuseIterations unplotted, then picks each next xform by weight (row by the
// previous xform when the flame has xaos) through a 16384-slot table, blends
// the colour by color_speed, carries the xform's adjusted opacity, applies the
// final xform (with probability its opacity) to the plotted copy only, and
// restarts from a random point on NaN/huge values (a point that stays bad
// after 4 retries is kept). Iteration writes plain points; plotting is a
// separate pass, so a batched or SIMD iterator can replace IterateChunk.
// PreparedFlame and PlotPalette are immutable after creation and may be shared
// between threads; each thread brings its own Random and buffers.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "renderer/base/random.h"
#include "renderer/base/status.h"
#include "renderer/genome/flame.h"
#include "renderer/render/camera.h"
#include "renderer/render/histogram.h"
#include "renderer/variations/prepared_xform.h"

namespace flamegrid {

inline constexpr int kFuseIterations = 15;   // flam3's FUSE_27
inline constexpr int kChunkSamples = 10000;  // flam3's sub_batch_size
inline constexpr int kXformTableBits = 14;   // 16384 slots per row
inline constexpr int kMaxConsecutiveBadValues = 4;

// flam3's opacity curve: 0 stays 0, otherwise 10^(-log2(1 / opacity)).
double AdjustedOpacity(double opacity);
// flam3's test for a diverged coordinate.
inline bool IsBadValue(double v) { return !(v >= -1e10 && v <= 1e10); }

struct IteratedPoint {
  double x, y;
  double color;       // palette coordinate
  double visibility;  // adjusted opacity of the xform that produced it
};

struct PreparedStep {
  PreparedXform xform;
  double color = 0.0;
  double color_speed = 0.5;
  double visibility = 1.0;  // adjusted opacity (regular xforms) or raw opacity (final)
};

class PreparedFlame {
 public:
  static Result<PreparedFlame> Create(const Flame& flame);

  // Runs one chunk: writes `samples` points into `out` (resized) and returns
  // the number of bad values met. `iterations` receives the points computed.
  uint64_t IterateChunk(Random& rng, int samples, int fuse, std::vector<IteratedPoint>& out,
                        uint64_t* iterations) const;

  int xform_count() const { return static_cast<int>(steps_.size()); }
  bool uses_xaos() const { return rows_ > 1; }
  // The xform chosen by random slot `slot` after xform `previous` (-1: first step).
  int ChooseXform(int previous, uint32_t slot) const;

 private:
  std::vector<PreparedStep> steps_;
  std::optional<PreparedStep> final_;
  int rows_ = 1;
  std::vector<uint16_t> table_;  // rows_ x 2^kXformTableBits xform indices
};

// The palette as the plotter reads it: flam3's 0..255 scale, times the
// temporal sample's weight.
class PlotPalette {
 public:
  PlotPalette(const Palette& palette, PaletteMode mode, double weight);
  void Lookup(double coordinate, double rgba[4]) const;
  // Linear mode's lookup, inline for the plotting loop.
  void LookupLinear(double coordinate, double rgba[4]) const {
    const double scaled = coordinate * kPaletteSize;
    // flam3 truncates towards zero and clamps; NaN lands on entry 0. (Not
    // std::fmin: without -ffast-math it is a library call per point.)
    int index = scaled > 0.0 ? static_cast<int>(scaled < kPaletteSize ? scaled : kPaletteSize) : 0;
    double frac;
    if (index >= kPaletteSize - 1) {
      index = kPaletteSize - 2;
      frac = 1.0;
    } else {
      frac = scaled > 0.0 ? scaled - index : 0.0;
    }
    for (int c = 0; c < 4; ++c) {
      rgba[c] = colors_[index][c] * (1.0 - frac) + colors_[index + 1][c] * frac;
    }
  }
  bool step_mode() const { return mode_ == PaletteMode::kStep; }
  // Step mode: the entry a coordinate selects.
  static int StepIndex(double coordinate) {
    const double scaled = coordinate * kPaletteSize;
    // flam3 truncates towards zero and clamps; NaN lands on entry 0.
    const int index =
        scaled > 0.0 ? static_cast<int>(scaled < kPaletteSize ? scaled : kPaletteSize) : 0;
    return index > kPaletteSize - 1 ? kPaletteSize - 1 : index;
  }
  // The scaled palette, kPaletteSize entries of r, g, b, a.
  const double* colors() const { return &colors_[0][0]; }
  // Step mode at full visibility: entry `index` rounded to histogram counts.
  const uint32_t* StepCounts(int index) const { return step_counts_[index]; }

 private:
  PaletteMode mode_;
  double colors_[kPaletteSize][4];
  uint32_t step_counts_[kPaletteSize][4];
};

// Turns points into histogram increments, dropping invisible points and those
// outside the camera. `out` is cleared first.
void ToIncrements(std::span<const IteratedPoint> points, const Camera& camera,
                  const PlotPalette& palette, std::vector<CellIncrement>& out);

// Points as the batch iterator keeps them: one float array per field.
struct PointArrays {
  const float* x = nullptr;
  const float* y = nullptr;
  const float* color = nullptr;
  const float* visibility = nullptr;
  size_t count = 0;
};

// ToIncrements for PointArrays, into `out` (room for points.count); returns
// the number written. Floats widen to doubles exactly, so these are the
// increments ToIncrements makes from the same points.
size_t WriteIncrements(const PointArrays& points, const Camera& camera, const PlotPalette& palette,
                       CellIncrement* out);

}  // namespace flamegrid
