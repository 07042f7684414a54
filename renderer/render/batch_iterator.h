// BatchIterator: the chaos game for many independent points at once, in
// single precision, with the variations' SIMD paths (vector_xform.h).
//
// A chunk runs a batch of walkers (independent orbits, each started from a
// random point and fused like flam3's single orbit). Each step every walker
// picks its next xform from the same 16384-slot tables as PreparedFlame
// (per previous xform when the flame has xaos); the walkers are then regrouped
// by xform with a counting sort (walkers are interchangeable, so nothing is
// scattered back) and each xform maps its contiguous span with full vectors.
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
#include <optional>
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
// Steps each walker should at least run per chunk, so that the fuse stays a
// small share of the work: chunks of kBatchChunkSamples give 1024 walkers x 128.
inline constexpr int kBatchChunkSamples = kBatchMaxWalkers * 128;

class BatchIterator {
 public:
  static Result<BatchIterator> Create(const Flame& flame);

  // Same contract as PreparedFlame::IterateChunk: writes exactly `samples`
  // plotted points into `out` (resized), returns the bad values met, adds the
  // points computed (fuse and retries included) to *iterations. Works for any
  // `samples`, but is most efficient with kBatchChunkSamples.
  uint64_t IterateChunk(Random& rng, int samples, int fuse, std::vector<IteratedPoint>& out,
                        uint64_t* iterations) const;

  int xform_count() const { return static_cast<int>(steps_.size()); }

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
