// Limits on genomes and ValidateFlame: what a renderable, sane Flame looks like.
//
// The XML reader rejects anything outside these bounds, so the renderer and the
// grid can trust a parsed genome not to ask for absurd memory or time. The
// numbers are far above anything real flocks use (Electric Sheep: 800x592,
// supersample 4, a dozen xforms). Constants and a pure function; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "renderer/base/status.h"
#include "renderer/genome/flame.h"

namespace flamegrid {

inline constexpr int kMaxImageDimension = 32768;              // width or height
inline constexpr int64_t kMaxImagePixels = int64_t{1} << 27;  // width * height (e.g. 16384x8192)
inline constexpr int kMaxSupersample = 16;
inline constexpr int kMaxXforms = 1024;  // chaos is a square table of this side
inline constexpr int kMaxMotionElements = 64;
inline constexpr int kMaxPasses = 1000;
inline constexpr int kMaxTemporalSamples = 1000000;
inline constexpr double kMaxQuality = 1e7;
inline constexpr double kMaxFilterRadius = 1000.0;
inline constexpr double kMaxEstimatorRadius = 1000.0;
inline constexpr size_t kMaxDocumentBytes = size_t{64} << 20;

// A short label for messages: flame "name" or flame #index when unnamed.
std::string FlameLabel(const Flame& flame, int index);

// Checks every field against flam3's meaning and the limits above: finite
// numbers everywhere, a sane image size, supersample in [1, kMaxSupersample],
// non-negative quality, at least one xform with a positive weight, no negative
// weights or chaos, chaos rows no longer than the xform list, palette colours
// in [0, 1]. InvalidArgument (ResourceExhausted for sizes over the caps) with a
// message naming the flame (by `label`) and the attribute.
Status ValidateFlame(const Flame& flame, const std::string& label);
inline Status ValidateFlame(const Flame& flame) {
  return ValidateFlame(flame, FlameLabel(flame, 0));
}

}  // namespace flamegrid
