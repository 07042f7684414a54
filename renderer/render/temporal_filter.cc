#include "renderer/render/temporal_filter.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "renderer/render/spatial_filter.h"

namespace flamegrid {

Result<double> NormalizeTemporalWeights(std::vector<double>& weights) {
  double largest = 0.0;
  for (double w : weights) {
    if (!std::isfinite(w) || w < 0.0) {
      return Status::InvalidArgument("temporal sample weights must be finite and >= 0");
    }
    largest = std::max(largest, w);
  }
  if (largest <= 0.0) return Status::InvalidArgument("temporal sample weights are all zero");
  double sum = 0.0;
  for (double& w : weights) {
    w /= largest;
    sum += w;
  }
  return sum / static_cast<double>(weights.size());
}

Result<TemporalFilter> TemporalFilter::Create(TemporalFilterType type, int samples, double width,
                                              double exponent) {
  if (samples < 1) {
    return Status::InvalidArgument("temporal_samples must be >= 1, not " + std::to_string(samples));
  }
  if (!std::isfinite(width) || !std::isfinite(exponent)) {
    return Status::InvalidArgument("temporal filter width and exp must be finite");
  }
  TemporalFilter filter;
  filter.time_offsets.assign(samples, 0.0);
  filter.weights.assign(samples, 1.0);
  if (samples == 1) return filter;

  const double n = samples;
  for (int i = 0; i < samples; ++i) filter.time_offsets[i] = (i / (n - 1.0) - 0.5) * width;
  switch (type) {
    case TemporalFilterType::kBox:
      break;
    case TemporalFilterType::kExp:
      for (int i = 0; i < samples; ++i) {
        const double ramp = exponent >= 0.0 ? (i + 1.0) / n : (n - i) / n;
        filter.weights[i] = std::pow(ramp, std::fabs(exponent));
      }
      break;
    case TemporalFilterType::kGaussian: {
      const double half = n / 2.0;
      const double support = FilterSupport(FilterShape::kGaussian);
      for (int i = 0; i < samples; ++i) {
        filter.weights[i] =
            FilterValue(FilterShape::kGaussian, support * std::fabs(i - half) / half);
      }
      break;
    }
  }
  FG_ASSIGN_OR_RETURN(filter.mean_weight, NormalizeTemporalWeights(filter.weights));
  return filter;
}

}  // namespace flamegrid
