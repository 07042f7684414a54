// Random: the renderer's pseudo-random source (xoshiro256**, seeded through SplitMix64).
//
// Small, fast and reproducible on every platform: the same seed gives the same
// stream, which is what makes renders deterministic. One instance per thread of
// work; instances are not thread-safe. Streams for independent pieces of work
// are derived with Random::ForStream(seed, stream) so that the result never
// depends on which thread ran which piece.
#pragma once

#include <cstdint>

namespace flamegrid {

class Random {
 public:
  explicit Random(uint64_t seed = 0) { Seed(seed); }

  // A generator for piece `stream` of the work identified by `seed`.
  static Random ForStream(uint64_t seed, uint64_t stream) {
    return Random(SplitMix64(seed ^ SplitMix64(stream + 0x632be59bd9b4e019ULL)));
  }

  void Seed(uint64_t seed) {
    uint64_t x = seed;
    for (auto& s : state_) s = SplitMix64Next(x);
  }

  uint64_t NextU64() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }
  uint32_t NextU32() { return static_cast<uint32_t>(NextU64() >> 32); }

  // Uniform in [0, 1), 53 bits.
  double Uniform01() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }
  // Uniform in [-1, 1).
  double UniformSigned() { return 2.0 * Uniform01() - 1.0; }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias below 2^-32).
  uint32_t Below(uint32_t n) {
    return static_cast<uint32_t>((static_cast<uint64_t>(NextU32()) * n) >> 32);
  }
  // A fair coin.
  bool Bit() { return (NextU64() >> 63) != 0; }

  static uint64_t SplitMix64(uint64_t x) { return SplitMix64Next(x); }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix64Next(uint64_t& x) {
    uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  uint64_t state_[4];
};

}  // namespace flamegrid
