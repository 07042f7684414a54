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
  // One point's four channels (two halves on 128-bit targets).
  const hn::CappedTag<double, 4> d4;
  const hn::Rebind<int32_t, decltype(d4)> di4;
  const size_t lanes = hn::Lanes(dd);
  const size_t lanes4 = hn::Lanes(d4);
  // The kept lanes of each field, packed to the front. Compress works in
  // registers; the memory form (CompressStore) is microcoded on some CPUs.
  HWY_ALIGN uint32_t cell[hn::MaxLanes(du)];
  HWY_ALIGN uint32_t density[hn::MaxLanes(du)];
  HWY_ALIGN int32_t entry[hn::MaxLanes(di)];
  // Fractions and visibilities come from floats, so floats carry them
  // exactly (and Highway compresses 32-bit lanes natively, 64-bit ones with
  // a table copied on every call).
  HWY_ALIGN float fraction[hn::MaxLanes(df)];
  HWY_ALIGN float visible[hn::MaxLanes(df)];

  const auto zero = hn::Zero(dd);
  const auto one = hn::Set(dd, 1.0);
  const auto half = hn::Set(dd, 0.5);
  const auto half4 = hn::Set(d4, 0.5);
  const auto white = hn::Set(dd, kWhiteLevel);
  const auto palette_size = hn::Set(dd, static_cast<double>(kPaletteSize));
  const auto last_entry = hn::Set(dd, static_cast<double>(kPaletteSize - 1));
  const auto width = hn::Set(di, m.histogram_width);
  const auto height = hn::Set(di, m.histogram_height);

  CellIncrement* const first = out;
  size_t done = 0;
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
    // The double-lane mask as an int32-lane one (same lane count), and back.
    const auto keep_as_int = hn::DemoteTo(di, hn::IfThenElseZero(keep, one)) != hn::Zero(di);
    const auto keep32 = hn::And(keep_as_int, hn::And(cx < width, cy < height));
    const auto store = hn::RebindMask(du, keep32);
    const size_t count = hn::CountTrue(du, store);
    if (count == 0) continue;
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
    // At visibility 1 this is 255, the scalar path's full density.
    const auto densities = hn::DemoteTo(di, hn::Add(hn::Mul(white, visibility), half));
    hn::StoreU(hn::Compress(cells, store), du, cell);
    hn::StoreU(hn::Compress(hn::BitCast(du, densities), store), du, density);
    hn::StoreU(hn::Compress(hn::DemoteTo(di, index), keep32), di, entry);
    const auto store_float = hn::RebindMask(df, keep32);
    hn::StoreU(hn::Compress(hn::DemoteTo(df, frac), store_float), df, fraction);
    hn::StoreU(hn::Compress(hn::DemoteTo(df, visibility), store_float), df, visible);
    // Each kept point's colour is its palette entries' four channels at once
    // (no gathers), computed as the scalar path does, in double.
    for (size_t k = 0; k < count; ++k) {
      const double* entry_colors = colors + 4 * static_cast<size_t>(entry[k]);
      const double point_fraction = fraction[k];
      const auto keep_fraction = hn::Set(d4, 1.0 - point_fraction);
      const auto next_fraction = hn::Set(d4, point_fraction);
      const auto point_visibility = hn::Set(d4, static_cast<double>(visible[k]));
      for (size_t c = 0; c < 4; c += lanes4) {
        auto rgba = hn::LoadU(d4, entry_colors + c);
        if (linear) {
          const auto next = hn::LoadU(d4, entry_colors + 4 + c);
          rgba = hn::Add(hn::Mul(rgba, keep_fraction), hn::Mul(next, next_fraction));
        }
        const auto counts = hn::DemoteTo(di4, hn::Add(hn::Mul(rgba, point_visibility), half4));
        hn::StoreU(counts, di4, reinterpret_cast<int32_t*>(out->color) + c);
      }
      out->cell = cell[k];
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
