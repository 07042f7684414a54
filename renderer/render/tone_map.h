// Tone mapping: from log-scaled, spatially filtered accumulator values to
// display values, as flam3 3.1 does it (its "late clip" order, the default).
//
// Accumulator values are on flam3's scale (255 = white before the log
// density). Gamma with a linear ramp below gamma_threshold, vibrancy (gamma on
// density and colour together, or per channel), highlight_power (desaturate
// rather than clip over-bright colours; < 0 is the classic clip), background
// under partially covered pixels, or straight alpha when transparent. Plain
// value types and pure functions; thread-safe.
#pragma once

#include "renderer/genome/flame.h"

namespace flamegrid {

// flam3's white level in the histogram and accumulator.
inline constexpr double kPrefilterWhite = 255.0;

struct ToneMapParams {
  double inverse_gamma = 0.25;
  double gamma_threshold = 0.01;
  double vibrancy = 1.0;
  double highlight_power = -1.0;
  double background[3] = {0.0, 0.0, 0.0};  // on the 0..256 scale flam3 blends with
  bool transparent = false;
  bool linear = false;  // no gamma and no upper clip: scene-linear output

  static ToneMapParams FromFlame(const Flame& flame, bool transparent, bool linear);
};

// flam3's alpha from a normalised density: density^inverse_gamma, blended
// towards a straight line below `threshold` so the curve has a finite slope at 0.
double GammaAlpha(double density, double inverse_gamma, double threshold);

// The colour of one pixel before vibrancy's per-channel part and background:
// `accum` (rgb on the accumulator scale) times `scale`, with over-bright
// colours clipped or desaturated according to `highlight_power`.
void ApplyHighlights(const double accum[3], double scale, double highlight_power, double rgb[3]);

// Maps one filtered accumulator value (r, g, b, density) to display values:
// rgb in [0, 1] (0..255 divided by 255; flam3 writes floor(255 * value))
// and alpha in [0, 1] (1 unless transparent).
void ToneMapPixel(const ToneMapParams& params, const double accum[4], float out[4]);

}  // namespace flamegrid
