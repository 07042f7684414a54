// FlockProfile: how the coordinator's own loops are made. Submissions that
// leave frames, size, quality or fps unset take them from it, bred children
// are rendered with it, and a flock with no live loops is bootstrapped with
// `bootstrap_loops` random genomes made with it. The defaults are Electric
// Sheep's: 128 frames of 640x480 at 30 frames per second. The serve command
// reads it from the config file's [flock] table (coordinator/config).
//
// A plain value; safe to copy and share between threads once built.
#pragma once

#include "renderer/base/status.h"

namespace flamegrid::coordinator {

struct SubmitSpec;

struct FlockProfile {
  int frames = 128;  // frames per loop (one full turn of the genome's rotation)
  int width = 640;
  int height = 480;
  // flam3 "quality", samples per output pixel for every frame. 2000 is what
  // Electric Sheep's flock genomes carry (assets/genomes, generation 244) and
  // so what its volunteers rendered each frame at.
  double quality = 2000.0;
  int fps = 30;
  // Random loops seeded when the flock has no live loop; 0: never. Off unless
  // a config file asks, so a coordinator started by hand (tests, the demo)
  // renders only what it is given.
  int bootstrap_loops = 0;
};

// The limits a profile's fields must respect (the scheduler refuses loops
// outside them).
inline constexpr int kMinLoopFrames = 2, kMaxLoopFrames = 100000;
inline constexpr int kMinFrameSide = 16, kMaxFrameSide = 8192;
inline constexpr double kMaxQuality = 100000.0;
inline constexpr int kMaxFps = 240;
inline constexpr int kMaxBootstrapLoops = 1000;

// Fills the fields of `spec` a client left unset (0) from `profile`: frames,
// width and height (both or neither), quality and fps. A negative quality
// stays as it is: it asks for the genome's own. InvalidArgument when only one
// of width and height is given.
Status FillFromProfile(const FlockProfile& profile, SubmitSpec& spec);

}  // namespace flamegrid::coordinator
