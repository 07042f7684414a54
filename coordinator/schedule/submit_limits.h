// SubmitLimits and the submit check: what a sequence may ask of the grid's
// volunteers. Every loop submitted, bred or bootstrapped, and every planned
// edge, passes CheckSubmit (the spec's frames, size, quality, fps and crf) and
// its genomes' (what a genome itself asks for: supersample, temporal
// samples, the motion blur's width, and its quality when the spec says to use
// the genome's) before it enters the grid. A refusal is InvalidArgument naming
// the field, the value and the limit; NaN and infinities are refused.
//
// The defaults fit a public server: Electric Sheep's flock (128 frames of
// 640x480, its genomes' quality 2000, supersample 4 and 1000 temporal
// samples; the flock profile's defaults) passes with room to spare; the
// serve flags (--max-frames ...) loosen or tighten them.
//
// Plain values and pure functions; thread-safe.
#pragma once

#include <cstdint>

#include "renderer/base/status.h"
#include "renderer/genome/flame.h"

namespace flamegrid::coordinator {

struct SubmitSpec;

struct SubmitLimits {
  // Frames of a loop or edge: 1000 is 33 s at 30 fps, eight Electric Sheep
  // loops. Planning is linear in it (about 0.2 s and 15 MB of control points
  // per 1000 frames), so it bounds the coordinator's work per submit.
  int max_frames = 1000;
  // Width and height each, and their product: up to 1920x1080 (Full HD) in
  // pixels, up to 4096 on a side. A worker's histogram grows with pixels
  // times supersample squared.
  int max_frame_side = 4096;
  int64_t max_pixels = 1920 * 1080;
  // flam3 quality (samples per pixel): twice Electric Sheep's 2000. A frame's
  // work is quality x pixels.
  double max_quality = 4000;
  // The genome's supersample (Electric Sheep's genomes: 4).
  int max_supersample = 4;
  // The genome's passes x temporal_samples: the genomes a frame interpolates
  // and blends for motion blur (flam3's and Electric Sheep's 1000).
  int max_temporal_samples = 1000;
  // The genome's temporal_filter_width, in frames (flam3's default 1): how
  // far a frame's motion blur reaches, so how many control points its job
  // carries (about this many plus four).
  double max_temporal_filter_width = 4;
  // Fixed: the video's frame rate and H.264 constant rate factor.
  int max_fps = 240;
  int max_crf = 51;
};

// The spec's own fields: frames (2 .. max_frames), width and height (16 ..
// max_frame_side, product at most max_pixels), quality (finite, at most
// max_quality; <= 0 asks for the genome's), fps (0: the default .. max_fps)
// and crf (0 .. max_crf); then CheckSubmitGenome on every genome of
// spec.genome_xml (none when it does not parse: the loop planner refuses it).
Status CheckSubmit(const SubmitSpec& spec, const SubmitLimits& limits);

// What a genome of the submission asks for: supersample, passes x
// temporal_samples, temporal_filter_width and, when the spec's quality is <= 0
// (the genome's own), its quality.
Status CheckSubmitGenome(const Flame& genome, const SubmitSpec& spec, const SubmitLimits& limits);

}  // namespace flamegrid::coordinator
