// HistogramPlotter: adds batches of plotted samples to one Histogram from many
// threads at once, without a global lock.
//
// The histogram's cells are split into bands of 2^k consecutive cells, each
// with its own mutex, so threads adding to different bands never wait. Two
// ways in: Add() groups a large batch by band with a counting sort, then adds
// each band under its lock, skipping bands another thread holds and retrying
// them after the free ones; Append() drops small batches into per-thread band
// buckets and adds a bucket when it fills (Flush() adds the rest). Either way
// the adds within a band are cache-friendly. The histogram sums integers, so
// the result does not depend on which thread added what first.
// Thread-safe: Add(), Append() and Flush() may run on many threads at once
// (each with its own PlotScratch); the Histogram must outlive the plotter and
// not be touched otherwise while adds run.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "renderer/render/histogram.h"
#include "renderer/render/zeroed_array.h"

namespace flamegrid {

// Per-thread scratch for HistogramPlotter, reused across batches.
struct PlotScratch {
  // Add(): the batch sorted by band.
  std::vector<CellIncrement> sorted;
  std::vector<uint32_t> band_start;
  std::vector<uint32_t> pending;
  // Append(): one bucket of increments per band, added when full or flushed.
  const void* bucket_owner = nullptr;
  ZeroedArray<CellIncrement> buckets;  // megabytes: huge pages, not thousands of small ones
  std::vector<uint32_t> bucket_fill;
};

class HistogramPlotter {
 public:
  explicit HistogramPlotter(Histogram& histogram);

  int band_count() const { return band_count_; }

  // Adds every increment of `increments` to the histogram.
  void Add(std::span<const CellIncrement> increments, PlotScratch& scratch);

  // Streaming alternative to Add() for small batches: drops each increment
  // into its band's bucket in `scratch` and adds a bucket to the histogram
  // when it is full. Flush() adds what the buckets still hold; call it before
  // the histogram is read and before `scratch` serves another plotter.
  void Append(std::span<const CellIncrement> increments, PlotScratch& scratch);
  void Flush(PlotScratch& scratch);

  // Enough bands that two threads seldom want the same one, few enough that a
  // batch still has many increments per band.
  static constexpr int kMaxBands = 256;
  // Increments per band bucket: a few hundred amortise the lock, and all
  // buckets together stay in L2.
  static constexpr uint32_t kBucketCapacity = 256;

 private:
  // Adds `count` increments, all of one band; AddBand() takes its lock.
  void AddUnlocked(const CellIncrement* increments, uint32_t count);
  void AddBand(int band, const CellIncrement* increments, uint32_t count);

  Histogram& histogram_;
  int band_count_ = 1;
  unsigned band_shift_ = 0;  // a cell's band is cell >> band_shift_
  std::unique_ptr<std::mutex[]> locks_;
};

}  // namespace flamegrid
