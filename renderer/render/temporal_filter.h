// TemporalFilter: how the temporal samples of a motion-blurred frame are
// spread over the frame's time interval and weighted, as flam3 3.1 does it.
//
// Box: equal weights. Gaussian: flam3's gaussian over the interval. Exp:
// weights (k/n)^|exp|, rising towards the end for exp >= 0, falling for
// exp < 0. Weights are scaled so the largest is 1; `mean_weight` (flam3's
// sumfilt) compensates the brightness. A plain value type.
#pragma once

#include <vector>

#include "renderer/base/status.h"
#include "renderer/genome/flame.h"

namespace flamegrid {

struct TemporalFilter {
  std::vector<double> time_offsets;  // per sample, in frame times, centred on 0
  std::vector<double> weights;       // per sample, max 1
  double mean_weight = 1.0;

  // `samples` >= 1; `width` is the interval's length in frame times.
  static Result<TemporalFilter> Create(TemporalFilterType type, int samples, double width,
                                       double exponent);
};

// Scales caller-given sample weights the way TemporalFilter::Create does
// (largest becomes 1) and returns their mean. Fails when none is positive or
// any is negative or not finite.
Result<double> NormalizeTemporalWeights(std::vector<double>& weights);

}  // namespace flamegrid
