#include "renderer/render/tone_map.h"

#include <algorithm>
#include <cmath>

namespace flamegrid {
namespace {
// flam3 scales display values by 256 before clipping at 255.
constexpr double kDisplayScale = 256.0;
constexpr double kMaxByte = 255.0;
}  // namespace

ToneMapParams ToneMapParams::FromFlame(const Flame& flame, bool transparent, bool linear) {
  ToneMapParams params;
  params.inverse_gamma = linear ? 1.0 : 1.0 / flame.gamma;
  params.gamma_threshold = flame.gamma_threshold;
  params.vibrancy = flame.vibrancy;
  params.highlight_power = flame.highlight_power;
  params.background[0] = flame.background.r * kDisplayScale;
  params.background[1] = flame.background.g * kDisplayScale;
  params.background[2] = flame.background.b * kDisplayScale;
  params.transparent = transparent;
  params.linear = linear;
  return params;
}

double GammaAlpha(double density, double inverse_gamma, double threshold) {
  if (!(density > 0.0)) return 0.0;
  if (density < threshold) {
    const double frac = density / threshold;
    const double ramp = density * std::pow(threshold, inverse_gamma) / threshold;
    return (1.0 - frac) * ramp + frac * std::pow(density, inverse_gamma);
  }
  return std::pow(density, inverse_gamma);
}

void ApplyHighlights(const double accum[3], double scale, double highlight_power, double rgb[3]) {
  if (scale == 0.0 || (accum[0] == 0.0 && accum[1] == 0.0 && accum[2] == 0.0)) {
    rgb[0] = rgb[1] = rgb[2] = 0.0;
    return;
  }
  double brightest = accum[0];
  for (int c = 1; c < 3; ++c) brightest = std::max(brightest, accum[c]);
  const double brightest_unit = brightest / kPrefilterWhite;
  const double peak = scale * brightest_unit;
  if (peak > kMaxByte && highlight_power >= 0.0) {
    // Scale the brightest channel to white and pull the others towards it:
    // flam3 lowers the HSV saturation by this ratio, which for a fixed value
    // (the brightest channel) is a linear blend towards it.
    const double clip_scale = kMaxByte / brightest_unit;
    const double desaturation = std::pow(clip_scale / scale, highlight_power);
    for (int c = 0; c < 3; ++c) {
      const double unit = clip_scale * (accum[c] / kPrefilterWhite) / kMaxByte;
      rgb[c] = kMaxByte * (1.0 - desaturation * (1.0 - unit));
    }
    return;
  }
  double blend = std::min(-highlight_power, 1.0);
  if (peak <= kMaxByte) blend = 1.0;
  double effective = scale;
  if (blend != 1.0) effective = (1.0 - blend) * (kMaxByte / brightest_unit) + blend * scale;
  for (int c = 0; c < 3; ++c) rgb[c] = effective * (accum[c] / kPrefilterWhite);
}

void ToneMapPixel(const ToneMapParams& params, const double accum[4], float out[4]) {
  double alpha = 0.0;
  double scale = 0.0;
  if (accum[3] > 0.0) {
    const double density = accum[3] / kPrefilterWhite;
    alpha = GammaAlpha(density, params.inverse_gamma, params.gamma_threshold);
    scale = params.vibrancy * kDisplayScale * alpha / density;
    alpha = std::clamp(alpha, 0.0, 1.0);
  }
  double rgb[3];
  ApplyHighlights(accum, scale, params.highlight_power, rgb);
  const double upper = params.linear ? HUGE_VAL : kMaxByte;
  for (int c = 0; c < 3; ++c) {
    double value = rgb[c];
    if (params.vibrancy != 1.0) {
      // Negative lobes of sharp spatial filters can leave small negative sums.
      const double channel = std::max(accum[c], 0.0) / kPrefilterWhite;
      value += (1.0 - params.vibrancy) * kDisplayScale * std::pow(channel, params.inverse_gamma);
    }
    if (!params.transparent) {
      value += (1.0 - alpha) * params.background[c];
    } else {
      value = alpha > 0.0 ? value / alpha : 0.0;
    }
    if (!(value > 0.0)) value = 0.0;  // also maps NaN to 0
    value = std::min(value, upper);
    out[c] = static_cast<float>(value / kMaxByte);
  }
  out[3] = params.transparent ? static_cast<float>(alpha) : 1.0f;
}

}  // namespace flamegrid
