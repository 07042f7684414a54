// Edges: smooth transitions from one loop into another (flam3-genome's
// "inter"/"sequence" transitions).
//
// Frame k of an N-frame edge aligns the two genomes (motion applied at k/N),
// fixes reference angles for xforms animated on one side only, turns both by
// 360·k/N degrees and blends them at Smoother(k/N). Frame 0 is the first
// genome itself (unpadded, its own interpolation type), and blend 1 is the
// second genome, so the edge starts on loop A's frame 0 and arrives on loop
// B's frame 0. Pure functions; safe from any thread.
#pragma once

#include "renderer/genome/flame.h"

namespace flamegrid {

struct EdgeOptions {
  double stagger = 0.0;  // 0: all xforms change together; 1: one after another
  // flam3-genome's sequence mode: blend 0 returns the first genome unpadded.
  bool sequence_start = true;
};

// The genome `blend` (0..1) of the way along the edge from `from` to `to`.
Flame EdgeGenomeAt(const Flame& from, const Flame& to, double blend,
                   const EdgeOptions& options = {});

}  // namespace flamegrid
