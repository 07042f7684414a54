// VectorRngState: per-lane random streams for the vector (SIMD) paths.
//
// One xoshiro128+ generator per vector lane, for up to kMaxLanes lanes (the
// widest float vector any Highway target has). The state is a plain array so
// that the per-target code can load it into registers, advance it and store it
// back; it is seeded from the scalar Random through SplitMix64, so a (seed,
// stream) pair always gives the same streams. Results depend on the lane
// count, hence on the SIMD target, but never on threads. One instance per
// thread of work; not thread-safe.
#pragma once

#include <cstdint>

#include "renderer/base/random.h"

namespace flamegrid {

struct alignas(64) VectorRngState {
  static constexpr int kMaxLanes = 64;  // 2048-bit vectors of float
  uint32_t s[4][kMaxLanes];

  // Every lane from one generator; lanes never start all-zero.
  void Seed(Random& rng) {
    for (int lane = 0; lane < kMaxLanes; ++lane) {
      const uint64_t a = rng.NextU64() | 1;
      const uint64_t b = rng.NextU64();
      s[0][lane] = static_cast<uint32_t>(a);
      s[1][lane] = static_cast<uint32_t>(a >> 32);
      s[2][lane] = static_cast<uint32_t>(b);
      s[3][lane] = static_cast<uint32_t>(b >> 32);
    }
  }
};

}  // namespace flamegrid
