#include "renderer/animate/temporal.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace flamegrid {

TemporalSamples MakeTemporalSamples(int count, TemporalFilterType type, double filter_width,
                                    double filter_exp, double center_time) {
  TemporalSamples out;
  if (count <= 1) {
    out.times = {center_time};
    out.weights = {1.0};
    return out;
  }
  out.times.resize(count);
  out.weights.resize(count);
  for (int i = 0; i < count; ++i) {
    out.times[i] = center_time + (i / static_cast<double>(count - 1) - 0.5) * filter_width;
  }
  switch (type) {
    case TemporalFilterType::kExp:
      for (int i = 0; i < count; ++i) {
        const double x =
            filter_exp >= 0.0 ? (i + 1.0) / count : static_cast<double>(count - i) / count;
        out.weights[i] = std::pow(x, std::fabs(filter_exp));
      }
      break;
    case TemporalFilterType::kGaussian: {
      // flam3's spatial gaussian (support 1.5) laid across the samples.
      const double half = count / 2.0;
      for (int i = 0; i < count; ++i) {
        const double x = 1.5 * std::fabs(i - half) / half;
        out.weights[i] = std::exp(-2.0 * x * x) * std::sqrt(2.0 / std::numbers::pi);
      }
      break;
    }
    case TemporalFilterType::kBox:
      std::fill(out.weights.begin(), out.weights.end(), 1.0);
      break;
  }
  const double max_weight = *std::max_element(out.weights.begin(), out.weights.end());
  double sum = 0.0;
  for (double& w : out.weights) {
    w = max_weight > 0.0 ? w / max_weight : 1.0;
    sum += w;
  }
  out.mean_weight = sum / count;
  return out;
}

TemporalSamples MakeTemporalSamples(const Flame& settings, double time) {
  const long count =
      static_cast<long>(std::max(settings.passes, 1)) * std::max(settings.temporal_samples, 1);
  return MakeTemporalSamples(static_cast<int>(count), settings.temporal_filter_type,
                             settings.temporal_filter_width, settings.temporal_filter_exp, time);
}

}  // namespace flamegrid
