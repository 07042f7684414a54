// RenderFlame: the whole flam3 pipeline, genome in, image out.
//
// Chaos game (xaos, final xform, post affines, opacity, color speed, bad-value
// handling) into a supersampled histogram; density estimation; log density;
// tone map (gamma, gamma threshold, vibrancy, highlight power, brightness,
// background); spatial filter down to the output size; temporal samples for
// motion blur when given a sequence. Threads with oneTBB.
//
// Deterministic: the same genome, seed and size give the same image whatever
// the thread count (work is split into fixed chunks with their own random
// streams, the histogram accumulates in integers, whose sums do not depend on
// order, and the later stages split rows in fixed bands). Thread-safe:
// concurrent calls share nothing.
#pragma once

#include <atomic>
#include <cstdint>
#include <span>

#include "renderer/base/status.h"
#include "renderer/genome/flame.h"
#include "renderer/image/image.h"

namespace flamegrid {

struct RenderOptions {
  double quality_scale = 1.0;  // multiplies "quality" (flam3-render's qs)
  double size_scale = 1.0;     // multiplies size and scale (flam3-render's ss)
  int threads = 0;             // 0: every core
  uint64_t seed = 0;
  uint64_t max_memory_bytes = 0;  // 0: no bound; else refuse renders estimated above it
  bool transparent = false;       // background alpha 0 instead of opaque
  bool linear = false;            // scene-linear output (EXR) instead of display values
  // The chaos game's iterator. false (default): BatchIterator, many walkers
  // in single precision with SIMD; true: PreparedFlame's single orbit in
  // double precision, flam3's own scheme (for tests and reference renders).
  // Both are deterministic across thread counts; they give different noise.
  // The batched path's noise also depends on the SIMD target (lane count and
  // FMA), so volunteers' frames agree across thread counts but not
  // necessarily across CPUs.
  bool scalar_iterator = false;
  // flam3's "early clip": tone-map every supersampled cell before the spatial
  // filter (then only clamp), instead of filtering first and tone-mapping the
  // filtered value. Softer highlights; flam3-render's earlyclip=1.
  bool early_clip = false;
  // Optional, polled by the caller from its own thread: iterations finished so
  // far and the total planned. Written with relaxed atomics by the workers.
  std::atomic<uint64_t>* progress_done = nullptr;
  std::atomic<uint64_t>* progress_total = nullptr;
  // Optional: set to true from any thread to stop early (result: kCancelled).
  const std::atomic<bool>* cancel = nullptr;
};

struct RenderStats {
  uint64_t iterations = 0;       // points computed, fuse included
  uint64_t bad_values = 0;       // points that went to NaN/inf and were restarted
  double seconds_iterate = 0.0;  // chaos game and histogram adds
  double seconds_density = 0.0;  // density estimation (log scaling included)
  double seconds_filter = 0.0;   // spatial filter and tone map
  double seconds_total = 0.0;
  uint64_t memory_bytes = 0;  // the estimate the render was checked against
};

// Bytes the render of `flame` under `options` will allocate at its peak.
uint64_t EstimateRenderMemory(const Flame& flame, const RenderOptions& options);

// Renders one still image of `flame`.
//
// Image::rgba holds flam3's final per-channel value v (0..255 after its clip)
// divided by 255; flam3 writes the byte (unsigned char)v, i.e. truncation, so
// the matching 8-bit value is floor(255 * rgba + tiny epsilon for float
// round-off). Alpha is 1 unless `transparent`; then it is straight alpha and
// flam3 writes (unsigned char)(255 * alpha). flam3's 16-bit PNG is
// (unsigned short)(256 * v), i.e. 0..65280. With `linear` the values are the
// same pipeline with gamma 1 and no upper clip.
Result<Image> RenderFlame(const Flame& flame, const RenderOptions& options,
                          RenderStats* stats = nullptr);

// Renders a motion-blurred frame: `temporal_samples` genomes spread over the
// frame's time interval (made by animate/), each weighted by the temporal
// filter, accumulated into one histogram. The camera and tone-map settings
// come from `samples[samples.size() / 2]`.
Result<Image> RenderTemporalSamples(std::span<const Flame> samples,
                                    std::span<const double> sample_weights,
                                    const RenderOptions& options, RenderStats* stats = nullptr);

}  // namespace flamegrid
