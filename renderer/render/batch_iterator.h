// BatchIterator: the chaos game for many independent points at once, in
// single precision, with the variations' SIMD paths (vector_xform.h).
//
// A chunk runs a batch of walkers (independent orbits, each started from a
// random point and fused like flam3's single orbit). Each step every walker
// picks its next xform from the same 16384-slot tables as PreparedFlame
// (per previous xform when the flame has xaos); the walkers are then regrouped
// by xform with a counting sort (walkers are interchangeable, so nothing is
// scattered back) and each xform maps its contiguous span with full vectors;
// an xform using a variation without a vector formula maps its span point by
// point through the scalar PreparedXform (VectorXform's scalar fallback)
// while the others stay vectorised.
// Colour blending, opacity, the final xform (on the plotted copy, with
// probability its opacity) and flam3's bad-value restarts (a walker that
// stays bad after 4 retries is plotted) follow PreparedFlame::IterateChunk,
// so the two iterators are drop-in replacements for each other.
//
// Deterministic: the output depends only on the flame, the chunk's Random and
// the SIMD target, never on threads. Immutable after Create(); IterateChunk is
// const and may run on many threads at once (scratch memory is per thread).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "renderer/base/random.h"
#include "renderer/base/status.h"
#include "renderer/genome/flame.h"
#include "renderer/render/chaos_game.h"
#include "renderer/variations/vector_xform.h"

namespace flamegrid {

// Walkers per chunk: enough for full vectors in every xform's span, few
// enough that a chunk's walkers live in L1/L2.
inline constexpr int kBatchMaxWalkers = 1024;
// Steps each walker runs per chunk. Long orbits matter for quality, not only
// for speed: some flames (spherical final xforms, slow spirals) need a few
// hundred steps before an orbit settles on the attractor, and every walker's
// transient is plotted after the fuse. flam3 runs orbits of 10000 samples
// after a fuse of 15; walkers of 2048 steps after a fuse of
// kBatchFuseIterations plot less of their transient than that.
inline constexpr int kBatchStepsPerWalker = 2048;
inline constexpr int kBatchChunkSamples = kBatchMaxWalkers * kBatchStepsPerWalker;
inline constexpr int kBatchFuseIterations = 100;

class BatchIterator {
 public:
  // `scalar_xforms` names xforms (indices into flame.xforms, -1 for the final
  // xform) to put on the scalar fallback even though every variation they use
  // has a vector formula: tests and benchmarks compare the two paths with it.
  static Result<BatchIterator> Create(const Flame& flame, std::span<const int> scalar_xforms = {});

  // Receives one step's plotted samples (at most kBatchMaxWalkers), in the
  // iterator's own arrays, valid only during the call.
  using Sink = std::function<void(const PointArrays&)>;

  // Runs one chunk of exactly `samples` plotted points, handing them to
  // `sink` step by step, in order. Returns the bad values met and adds the
  // points computed (fuse and retries included) to *iterations. Works for
  // any `samples`; kBatchChunkSamples gives each walker kBatchStepsPerWalker
  // steps.
  uint64_t IterateChunk(Random& rng, int samples, int fuse, const Sink& sink,
                        uint64_t* iterations) const;

  // Same contract as PreparedFlame::IterateChunk: writes exactly `samples`
  // plotted points into `out` (resized).
  uint64_t IterateChunk(Random& rng, int samples, int fuse, std::vector<IteratedPoint>& out,
                        uint64_t* iterations) const;

  int xform_count() const { return static_cast<int>(steps_.size()); }
  // How many xforms (the final one included) map through the scalar fallback.
  int scalar_fallback_count() const;

 private:
  struct Step {
    VectorXform xform;
    float color = 0.0f;
    float color_speed = 0.5f;
    float visibility = 1.0f;  // adjusted opacity (regular) or raw opacity (final)
  };

  std::vector<Step> steps_;
  std::optional<Step> final_;
  int rows_ = 1;
  std::vector<uint16_t> table_;  // rows_ x 2^kXformTableBits xform indices
};

}  // namespace flamegrid
