#include "renderer/render/histogram_plotter.h"

#include <algorithm>

namespace flamegrid {
namespace {

// Increments ahead whose cells are prefetched while adding.
constexpr uint32_t kPrefetchDistance = 16;

}  // namespace

HistogramPlotter::HistogramPlotter(Histogram& histogram) : histogram_(histogram) {
  // Bands are runs of 2^band_shift_ cells (not whole rows): a shift, not a
  // division, finds an increment's band, twice per increment.
  const uint64_t cells = std::max<uint64_t>(
      1, static_cast<uint64_t>(histogram.width()) * static_cast<uint64_t>(histogram.height()));
  band_shift_ = 0;
  while ((cells >> band_shift_) >= static_cast<uint64_t>(kMaxBands)) ++band_shift_;
  band_count_ = static_cast<int>(((cells - 1) >> band_shift_) + 1);
  locks_ = std::make_unique<std::mutex[]>(static_cast<size_t>(band_count_));
}

void HistogramPlotter::Add(std::span<const CellIncrement> increments, PlotScratch& scratch) {
  if (increments.empty()) return;
  // Counting sort by band.
  std::vector<uint32_t>& start = scratch.band_start;
  start.assign(static_cast<size_t>(band_count_) + 1, 0);
  for (const CellIncrement& inc : increments) ++start[(inc.cell >> band_shift_) + 1];
  for (int b = 0; b < band_count_; ++b) start[b + 1] += start[b];
  // Grown only: shrinking and regrowing would zero the regrown part each time.
  if (scratch.sorted.size() < increments.size()) scratch.sorted.resize(increments.size());
  {
    std::vector<uint32_t>& cursor = scratch.pending;
    cursor.assign(start.begin(), start.end() - 1);
    for (const CellIncrement& inc : increments) {
      scratch.sorted[cursor[inc.cell >> band_shift_]++] = inc;
    }
  }
  auto add_band = [&](int b) { AddUnlocked(&scratch.sorted[start[b]], start[b + 1] - start[b]); };
  // Free bands first; busy ones are retried, blocking, at the end.
  std::vector<uint32_t>& busy = scratch.pending;
  busy.clear();
  for (int b = 0; b < band_count_; ++b) {
    if (start[b] == start[b + 1]) continue;
    std::unique_lock<std::mutex> lock(locks_[b], std::try_to_lock);
    if (!lock.owns_lock()) {
      busy.push_back(static_cast<uint32_t>(b));
      continue;
    }
    add_band(b);
  }
  for (uint32_t b : busy) {
    std::lock_guard<std::mutex> lock(locks_[b]);
    add_band(static_cast<int>(b));
  }
}

void HistogramPlotter::AddUnlocked(const CellIncrement* increments, uint32_t count) {
  const HistogramCell* cells = histogram_.cells().data();
  for (uint32_t i = 0; i < count; ++i) {
    if (i + kPrefetchDistance < count) {
      __builtin_prefetch(&cells[increments[i + kPrefetchDistance].cell], 1);
    }
    histogram_.Add(increments[i]);
  }
}

void HistogramPlotter::AddBand(int band, const CellIncrement* increments, uint32_t count) {
  std::lock_guard<std::mutex> lock(locks_[band]);
  AddUnlocked(increments, count);
}

void HistogramPlotter::Append(std::span<const CellIncrement> increments, PlotScratch& scratch) {
  if (scratch.bucket_owner != this) {
    scratch.bucket_owner = this;
    scratch.bucket_fill.assign(static_cast<size_t>(band_count_), 0);
    const size_t size = static_cast<size_t>(band_count_) * kBucketCapacity;
    if (scratch.buckets.size() < size) scratch.buckets = ZeroedArray<CellIncrement>(size);
  }
  for (const CellIncrement& inc : increments) {
    const uint32_t band = inc.cell >> band_shift_;
    CellIncrement* bucket = &scratch.buckets[static_cast<size_t>(band) * kBucketCapacity];
    uint32_t& fill = scratch.bucket_fill[band];
    bucket[fill++] = inc;
    if (fill == kBucketCapacity) {
      AddBand(static_cast<int>(band), bucket, fill);
      fill = 0;
    }
  }
}

void HistogramPlotter::Flush(PlotScratch& scratch) {
  if (scratch.bucket_owner != this) return;
  for (int band = 0; band < band_count_; ++band) {
    uint32_t& fill = scratch.bucket_fill[band];
    if (fill == 0) continue;
    AddBand(band, &scratch.buckets[static_cast<size_t>(band) * kBucketCapacity], fill);
    fill = 0;
  }
  scratch.bucket_owner = nullptr;
}

}  // namespace flamegrid
