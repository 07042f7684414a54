#include "renderer/render/plot_vector.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "renderer/render/plot_vector.cc"
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace flamegrid {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

size_t WriteIncrementsTarget(const PointArrays& points, const Camera::CellMapping& m,
                             const double* HWY_RESTRICT colors, bool linear,
                             CellIncrement* HWY_RESTRICT out, size_t* written) {
#if HWY_TARGET == HWY_SCALAR
  (void)points, (void)m, (void)colors, (void)linear, (void)out;
  *written = 0;
  return 0;  // the scalar path does it all
#else
  const hn::ScalableTag<double> dd;
  const hn::Rebind<float, decltype(dd)> df;
  const hn::Rebind<int32_t, decltype(dd)> di;
  const hn::Rebind<uint32_t, decltype(dd)> du;
  const hn::Rebind<int64_t, decltype(dd)> dl;
  const size_t lanes = hn::Lanes(dd);
  HWY_ALIGN uint32_t cell[hn::MaxLanes(du)];
  HWY_ALIGN uint32_t channel[4][hn::MaxLanes(du)];
  HWY_ALIGN uint32_t density[hn::MaxLanes(du)];

  const auto zero = hn::Zero(dd);
  const auto one = hn::Set(dd, 1.0);
  const auto half = hn::Set(dd, 0.5);
  const auto white = hn::Set(dd, kWhiteLevel);
  const auto palette_size = hn::Set(dd, static_cast<double>(kPaletteSize));
  const auto last_entry = hn::Set(dd, static_cast<double>(kPaletteSize - 1));
  const auto width = hn::Set(di, m.histogram_width);
  const auto height = hn::Set(di, m.histogram_height);

  CellIncrement* const first = out;
  size_t done = 0, count = 0;
  for (; done + lanes <= points.count; done += lanes) {
    auto x = hn::PromoteTo(dd, hn::LoadU(df, points.x + done));
    auto y = hn::PromoteTo(dd, hn::LoadU(df, points.y + done));
    const auto color = hn::PromoteTo(dd, hn::LoadU(df, points.color + done));
    const auto visibility = hn::PromoteTo(dd, hn::LoadU(df, points.visibility + done));
    if (m.rotates) {
      const auto dx = hn::Sub(x, hn::Set(dd, m.center_x));
      const auto dy = hn::Sub(y, hn::Set(dd, m.center_y));
      const auto cos = hn::Set(dd, m.cos), sin = hn::Set(dd, m.sin);
      x = hn::Add(hn::Sub(hn::Mul(dx, cos), hn::Mul(dy, sin)), hn::Set(dd, m.center_x));
      y = hn::Add(hn::Add(hn::Mul(dx, sin), hn::Mul(dy, cos)), hn::Set(dd, m.center_y));
    }
    auto keep = hn::And(visibility != zero,
                        hn::And(hn::And(x >= hn::Set(dd, m.min_x), y >= hn::Set(dd, m.min_y)),
                                hn::And(x < hn::Set(dd, m.max_x), y < hn::Set(dd, m.max_y))));
    // Lanes outside the histogram may hold anything; they are dropped.
    const auto safe_x = hn::IfThenElseZero(keep, x);
    const auto safe_y = hn::IfThenElseZero(keep, y);
    const auto cx = hn::DemoteTo(
        di, hn::Sub(hn::Mul(safe_x, hn::Set(dd, m.cells_per_unit_x)), hn::Set(dd, m.origin_x)));
    const auto cy = hn::DemoteTo(
        di, hn::Sub(hn::Mul(safe_y, hn::Set(dd, m.cells_per_unit_y)), hn::Set(dd, m.origin_y)));
    // The double-lane mask as an int32-lane one (same lane count).
    const auto keep_as_int = hn::DemoteTo(di, hn::IfThenElseZero(keep, one)) != hn::Zero(di);
    const auto keep32 = hn::And(keep_as_int, hn::And(cx < width, cy < height));
    const auto store = hn::RebindMask(du, keep32);
    const auto cells =
        hn::Add(hn::Mul(hn::BitCast(du, cy), hn::BitCast(du, width)), hn::BitCast(du, cx));

    // The palette entry, as PlotPalette::LookupLinear and StepIndex.
    const auto scaled = hn::Mul(color, palette_size);
    const auto positive = scaled > zero;
    auto index = hn::IfThenElseZero(positive, hn::Trunc(hn::Min(scaled, palette_size)));
    auto frac = zero;
    if (linear) {
      const auto past = index >= last_entry;
      frac = hn::IfThenElse(past, one, hn::IfThenElseZero(positive, hn::Sub(scaled, index)));
      index = hn::IfThenElse(past, hn::Sub(last_entry, one), index);
    } else {
      index = hn::Min(index, last_entry);
    }
    const auto offset = hn::ConvertTo(dl, hn::Mul(index, hn::Set(dd, 4.0)));
    const auto keep_fraction = hn::Sub(one, frac);
    for (int c = 0; c < 4; ++c) {
      auto rgba = hn::GatherIndex(dd, colors + c, offset);
      if (linear) {
        const auto next = hn::GatherIndex(dd, colors + 4 + c, offset);
        rgba = hn::Add(hn::Mul(rgba, keep_fraction), hn::Mul(next, frac));
      }
      const auto counts = hn::DemoteTo(di, hn::Add(hn::Mul(rgba, visibility), half));
      count = hn::CompressStore(hn::BitCast(du, counts), store, du, channel[c]);
    }
    // At visibility 1 this is 255, the scalar path's full density.
    const auto densities = hn::DemoteTo(di, hn::Add(hn::Mul(white, visibility), half));
    hn::CompressStore(hn::BitCast(du, densities), store, du, density);
    hn::CompressStore(cells, store, du, cell);
    for (size_t k = 0; k < count; ++k) {
      out->cell = cell[k];
      for (int c = 0; c < 4; ++c) out->color[c] = channel[c][k];
      out->density = density[k];
      ++out;
    }
  }
  *written = static_cast<size_t>(out - first);
  return done;
#endif
}

}  // namespace HWY_NAMESPACE
}  // namespace flamegrid
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace flamegrid {

HWY_EXPORT(WriteIncrementsTarget);

size_t WriteIncrementsVector(const PointArrays& points, const Camera::CellMapping& mapping,
                             const double* palette_colors, bool linear_palette, CellIncrement* out,
                             size_t* written) {
  return HWY_DYNAMIC_DISPATCH(WriteIncrementsTarget)(points, mapping, palette_colors,
                                                     linear_palette, out, written);
}

}  // namespace flamegrid
#endif  // HWY_ONCE
