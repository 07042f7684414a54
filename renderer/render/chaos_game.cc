#include "renderer/render/chaos_game.h"

#include "renderer/render/plot_vector.h"

#include <cmath>
#include <string>

namespace flamegrid {
namespace {

constexpr uint32_t kTableSlots = 1u << kXformTableBits;

// Fills one row of the choice table: slot i holds the xform whose cumulative
// weight interval contains i * total / slots.
void FillRow(const std::vector<double>& weights, uint16_t* row) {
  double total = 0.0;
  for (double w : weights) total += w;
  const double step = total / kTableSlots;
  size_t j = 0;
  double cumulative = weights[0];
  double position = 0.0;
  for (uint32_t i = 0; i < kTableSlots; ++i) {
    while (position >= cumulative && j + 1 < weights.size()) cumulative += weights[++j];
    row[i] = static_cast<uint16_t>(j);
    position += step;
  }
}

uint32_t RoundToCount(double v) { return static_cast<uint32_t>(v + 0.5); }

}  // namespace

double AdjustedOpacity(double opacity) {
  if (opacity == 0.0) return 0.0;
  return std::pow(10.0, -std::log2(1.0 / opacity));
}

Result<PreparedFlame> PreparedFlame::Create(const Flame& flame) {
  const size_t n = flame.xforms.size();
  if (n == 0) return Status::InvalidArgument("flame has no xforms");
  if (n > 65535) return Status::InvalidArgument("flame has more than 65535 xforms");
  PreparedFlame prepared;
  std::vector<double> weights(n);
  double total = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const Xform& xf = flame.xforms[i];
    if (!std::isfinite(xf.weight) || xf.weight < 0.0) {
      return Status::InvalidArgument("xform " + std::to_string(i) +
                                     " weight must be finite and >= 0");
    }
    if (!std::isfinite(xf.color) || !std::isfinite(xf.color_speed) || !std::isfinite(xf.opacity)) {
      return Status::InvalidArgument("xform " + std::to_string(i) +
                                     " color, color_speed and opacity must be finite");
    }
    weights[i] = xf.weight;
    total += xf.weight;
    PreparedStep step;
    step.xform = PreparedXform::Prepare(xf);
    step.color = xf.color;
    step.color_speed = xf.color_speed;
    step.visibility = AdjustedOpacity(xf.opacity);
    prepared.steps_.push_back(std::move(step));
  }
  if (!(total > 0.0) || !std::isfinite(total)) {
    return Status::InvalidArgument("cannot iterate a flame whose xform weights sum to zero");
  }
  if (flame.final_xform) {
    PreparedStep step;
    step.xform = PreparedXform::Prepare(*flame.final_xform);
    step.color = flame.final_xform->color;
    step.color_speed = flame.final_xform->color_speed;
    step.visibility = flame.final_xform->opacity;
    prepared.final_ = std::move(step);
  }

  prepared.rows_ = flame.HasXaos() ? static_cast<int>(n) + 1 : 1;
  prepared.table_.resize(static_cast<size_t>(prepared.rows_) * kTableSlots);
  FillRow(weights, prepared.table_.data());
  for (int r = 1; r < prepared.rows_; ++r) {
    const Xform& from = flame.xforms[r - 1];
    std::vector<double> row_weights(n);
    double row_total = 0.0;
    for (size_t j = 0; j < n; ++j) {
      const double chaos = j < from.chaos.size() ? from.chaos[j] : 1.0;
      if (!std::isfinite(chaos) || chaos < 0.0) {
        return Status::InvalidArgument("xform " + std::to_string(r - 1) +
                                       " chaos values must be finite and >= 0");
      }
      row_weights[j] = weights[j] * chaos;
      row_total += row_weights[j];
    }
    // flam3 refuses to render such a flame; we fall back to the plain weights
    // so that a bred genome with a dead-end xaos row still shows something.
    if (!(row_total > 0.0)) row_weights = weights;
    FillRow(row_weights, &prepared.table_[static_cast<size_t>(r) * kTableSlots]);
  }
  return prepared;
}

int PreparedFlame::ChooseXform(int previous, uint32_t slot) const {
  const size_t row = rows_ > 1 ? static_cast<size_t>(previous + 1) : 0;
  return table_[row * kTableSlots + (slot & (kTableSlots - 1))];
}

uint64_t PreparedFlame::IterateChunk(Random& rng, int samples, int fuse,
                                     std::vector<IteratedPoint>& out, uint64_t* iterations) const {
  out.resize(samples);
  IteratedPoint p{rng.UniformSigned(), rng.UniformSigned(), rng.Uniform01(), rng.Uniform01()};
  int previous = -1;
  int consecutive_bad = 0;
  uint64_t bad = 0;
  uint64_t computed = 0;
  const bool xaos = rows_ > 1;
  for (int i = -fuse; i < samples;) {
    const int chosen = ChooseXform(previous, rng.NextU32() >> (32 - kXformTableBits));
    const PreparedStep& step = steps_[chosen];
    ++computed;
    Point2 q = step.xform.Apply({p.x, p.y}, rng);
    const double color = step.color_speed * step.color + (1.0 - step.color_speed) * p.color;
    if (IsBadValue(q.x) || IsBadValue(q.y)) {
      q = {rng.UniformSigned(), rng.UniformSigned()};
      ++bad;
      if (++consecutive_bad <= kMaxConsecutiveBadValues) {
        p = {q.x, q.y, color, step.visibility};
        continue;
      }
    }
    consecutive_bad = 0;
    if (xaos) previous = chosen;
    p = {q.x, q.y, color, step.visibility};

    IteratedPoint plotted = p;
    if (final_ && (final_->visibility == 1.0 || rng.Uniform01() < final_->visibility)) {
      Point2 f = final_->xform.Apply({p.x, p.y}, rng);
      if (IsBadValue(f.x) || IsBadValue(f.y)) f = {rng.UniformSigned(), rng.UniformSigned()};
      plotted.x = f.x;
      plotted.y = f.y;
      plotted.color = final_->color_speed * final_->color + (1.0 - final_->color_speed) * p.color;
    }
    if (i >= 0) out[i] = plotted;
    ++i;
  }
  if (iterations != nullptr) *iterations += computed;
  return bad;
}

PlotPalette::PlotPalette(const Palette& palette, PaletteMode mode, double weight) : mode_(mode) {
  for (int i = 0; i < kPaletteSize; ++i) {
    const Rgba& c = palette.colors[i];
    colors_[i][0] = c.r * kWhiteLevel * weight;
    colors_[i][1] = c.g * kWhiteLevel * weight;
    colors_[i][2] = c.b * kWhiteLevel * weight;
    colors_[i][3] = c.a * kWhiteLevel * weight;
    for (int k = 0; k < 4; ++k) step_counts_[i][k] = RoundToCount(colors_[i][k]);
  }
}

void PlotPalette::Lookup(double coordinate, double rgba[4]) const {
  if (mode_ == PaletteMode::kLinear) {
    LookupLinear(coordinate, rgba);
    return;
  }
  const int index = StepIndex(coordinate);
  for (int c = 0; c < 4; ++c) rgba[c] = colors_[index][c];
}

namespace {

// The conversion for any layout of points: `Points` gives point i's fields
// as doubles. One loop per palette mode, so the per-point work has no mode
// test and the lookup inlines.
template <typename Points>
size_t PlotInto(const Points& points, const Camera& camera, const PlotPalette& palette,
                CellIncrement* out) {
  CellIncrement* dst = out;
  const size_t count = points.size();
  const uint32_t full_density = RoundToCount(kWhiteLevel);
  if (palette.step_mode()) {
    for (size_t i = 0; i < count; ++i) {
      const double visibility = points.visibility(i);
      if (visibility == 0.0) continue;
      if (!camera.CellOf({points.x(i), points.y(i)}, &dst->cell)) continue;
      if (visibility == 1.0) {
        // The common case, from a table: the same rounding as below at visibility 1.
        const uint32_t* counts = palette.StepCounts(PlotPalette::StepIndex(points.color(i)));
        for (int c = 0; c < 4; ++c) dst->color[c] = counts[c];
        dst->density = full_density;
      } else {
        double rgba[4];
        palette.Lookup(points.color(i), rgba);
        for (int c = 0; c < 4; ++c) dst->color[c] = RoundToCount(rgba[c] * visibility);
        dst->density = RoundToCount(kWhiteLevel * visibility);
      }
      ++dst;
    }
  } else {
    for (size_t i = 0; i < count; ++i) {
      const double visibility = points.visibility(i);
      if (visibility == 0.0) continue;
      if (!camera.CellOf({points.x(i), points.y(i)}, &dst->cell)) continue;
      double rgba[4];
      palette.LookupLinear(points.color(i), rgba);
      for (int c = 0; c < 4; ++c) dst->color[c] = RoundToCount(rgba[c] * visibility);
      dst->density = visibility == 1.0 ? full_density : RoundToCount(kWhiteLevel * visibility);
      ++dst;
    }
  }
  return static_cast<size_t>(dst - out);
}

struct PointStructs {
  std::span<const IteratedPoint> points;
  size_t size() const { return points.size(); }
  double x(size_t i) const { return points[i].x; }
  double y(size_t i) const { return points[i].y; }
  double color(size_t i) const { return points[i].color; }
  double visibility(size_t i) const { return points[i].visibility; }
};

struct FloatArrays {
  const PointArrays& points;
  size_t size() const { return points.count; }
  double x(size_t i) const { return points.x[i]; }
  double y(size_t i) const { return points.y[i]; }
  double color(size_t i) const { return points.color[i]; }
  double visibility(size_t i) const { return points.visibility[i]; }
};

}  // namespace

void ToIncrements(std::span<const IteratedPoint> points, const Camera& camera,
                  const PlotPalette& palette, std::vector<CellIncrement>& out) {
  out.resize(points.size());
  out.resize(PlotInto(PointStructs{points}, camera, palette, out.data()));
}

size_t WriteIncrements(const PointArrays& points, const Camera& camera, const PlotPalette& palette,
                       CellIncrement* out) {
  size_t written = 0;
  const size_t done = WriteIncrementsVector(points, camera.cell_mapping(), palette.colors(),
                                            !palette.step_mode(), out, &written);
  const PointArrays rest{points.x + done, points.y + done, points.color + done,
                         points.visibility + done, points.count - done};
  return written + PlotInto(FloatArrays{rest}, camera, palette, out + written);
}

}  // namespace flamegrid
