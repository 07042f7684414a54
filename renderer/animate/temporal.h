// Temporal samples: where in time a frame's motion-blur samples sit and how
// much each counts, as flam3-animate spreads them.
//
// A frame at time T with n = passes·temporal_samples samples puts sample i at
// T + (i/(n-1) - 1/2)·temporal_filter_width (one sample: T itself). Weights
// follow the temporal filter (box: 1; gaussian: flam3's gaussian kernel over
// ±1.5 sigma-units; exp: ((i+1)/n)^|exp|, reversed for negative exp) and are
// scaled so the largest is 1. Pure functions; safe from any thread.
#pragma once

#include <vector>

#include "renderer/genome/flame.h"

namespace flamegrid {

struct TemporalSamples {
  std::vector<double> times;
  std::vector<double> weights;  // max 1
  double mean_weight = 1.0;     // flam3's K2 factor: the average weight
};

TemporalSamples MakeTemporalSamples(int count, TemporalFilterType type, double filter_width,
                                    double filter_exp, double center_time);

// The samples of the frame at `time` of a genome with these settings.
TemporalSamples MakeTemporalSamples(const Flame& settings, double time);

}  // namespace flamegrid
