#include "renderer/animate/loop.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "renderer/animate/sequence.h"
#include "renderer/animate/xform_fields.h"

namespace flamegrid {

double MotionFunctionValue(MotionFunction function, double t) {
  constexpr double kTwoPi = 2.0 * std::numbers::pi;
  switch (function) {
    case MotionFunction::kSin:
      return std::sin(kTwoPi * t);
    case MotionFunction::kTriangle: {
      double phase = std::fmod(t, 1.0);
      if (phase < 0.0) phase += 1.0;
      if (phase <= 0.25) return 4.0 * phase;
      if (phase <= 0.75) return 2.0 - 4.0 * phase;
      return 4.0 * phase - 4.0;
    }
    case MotionFunction::kHill:
      return (1.0 - std::cos(kTwoPi * t)) * 0.5;
  }
  return 0.0;
}

void ApplyMotion(Xform& xform, double blend) {
  for (const Xform& element : xform.motion) {
    const double amount =
        MotionFunctionValue(element.motion_function, element.motion_frequency * blend);
    animate_internal::ForEachXformScalar(
        xform, [amount](double& value, const double& delta) { value += delta * amount; }, element);
    // Motion elements hold deltas: absent attributes must be zero, affines included.
    auto affine = animate_internal::AffineCoefficients(xform.affine);
    auto post = animate_internal::AffineCoefficients(xform.post);
    const auto affine_delta = animate_internal::AffineValues(element.affine);
    const auto post_delta = animate_internal::AffineValues(element.post);
    for (int j = 0; j < 6; ++j) {
      *affine[j] += affine_delta[j] * amount;
      *post[j] += post_delta[j] * amount;
    }
  }
  xform.color = std::clamp(xform.color, 0.0, 1.0);
  xform.weight = std::max(xform.weight, 0.0);
  xform.motion.clear();
}

void RotateAnimatedXforms(Flame& flame, std::span<const XformTag> tags, double degrees,
                          InterpolationType type) {
  const double theta = degrees * std::numbers::pi / 180.0;
  const double cs = std::cos(theta);
  const double sn = std::sin(theta);
  for (size_t i = 0; i < flame.xforms.size(); ++i) {
    Xform& xf = flame.xforms[i];
    if (xf.animate == 0.0) continue;
    // Padding turns only under log interpolation ("prettier symsings" otherwise).
    if (i < tags.size() && tags[i].padding && type != InterpolationType::kLog) continue;
    Affine2& m = xf.affine;
    const double a = cs * m.a - sn * m.b;
    const double b = sn * m.a + cs * m.b;
    const double c = cs * m.c - sn * m.d;
    const double d = sn * m.c + cs * m.d;
    m.a = a;
    m.b = b;
    m.c = c;
    m.d = d;
  }
}

Flame LoopGenomeAt(const Flame& flame, double blend) {
  Flame out = flame;
  for (Xform& xf : out.xforms) ApplyMotion(xf, blend);
  if (out.final_xform) ApplyMotion(*out.final_xform, blend);
  RotateAnimatedXforms(out, {}, blend * 360.0, out.interpolation_type);
  return out;
}

Result<std::vector<Flame>> MakeLoop(const Flame& flame, int frames) {
  FG_RETURN_IF_ERROR(ValidateFrameCount(frames));
  if (flame.xforms.empty()) return Status::InvalidArgument("a loop needs a genome with xforms");
  std::vector<Flame> out;
  out.reserve(frames);
  for (int k = 0; k < frames; ++k) {
    Flame frame = LoopGenomeAt(flame, k / static_cast<double>(frames));
    frame.time = k;
    frame.interpolation = Interpolation::kLinear;
    frame.palette_interpolation = PaletteInterpolation::kHsvCircular;
    out.push_back(std::move(frame));
  }
  return out;
}

}  // namespace flamegrid
