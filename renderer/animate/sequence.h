// Sheep sequences: loops and edges as lists of control points, one per frame,
// with flam3's semantics (flam3-genome sequence= writes the same shape).
//
// A loop turns a genome's animated xforms through 360 degrees over `frames`
// frames (motion elements applied), so frame `frames` equals frame 0. An edge
// carries loop A's frame 0 into loop B's frame 0 with xform alignment and
// padding, the flame's interpolation type and palette interpolation, and
// smooth easing at both ends. Pure functions; safe from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "renderer/base/status.h"
#include "renderer/genome/flame.h"
#include "renderer/image/image.h"
#include "renderer/render/renderer.h"

namespace flamegrid {

// Frame counts above this are refused as absurd (about 11 hours at 25 fps).
inline constexpr int kMaxSequenceFrames = 1'000'000;
// OK for 1 .. kMaxSequenceFrames, else an InvalidArgument naming the value.
Status ValidateFrameCount(int frames);

// Control points for frames 0 .. frames-1 of a loop of `flame`; each has time = frame index.
Result<std::vector<Flame>> MakeLoop(const Flame& flame, int frames);
// Control points for frames 0 .. frames-1 of the edge from `from` to `to`.
Result<std::vector<Flame>> MakeEdge(const Flame& from, const Flame& to, int frames);

// flam3-genome sequence=: for each genome its loop, then the edge to the next
// genome; finally the last genome once more (time = 2·frames·(n-1) + frames),
// so the file ends where a player would wrap. Times are frame indices.
Result<std::vector<Flame>> MakeSequence(std::span<const Flame> flames, int frames);

// The genome at `time` in a sequence of control points sorted by time
// (flam3_interpolate's meaning).
Result<Flame> InterpolateAt(std::span<const Flame> control_points, double time);

// Renders frame `frame` of a sequence as flam3-animate does: temporal samples
// spread over the frame's interval, weighted by the temporal filter (motion blur).
Result<Image> RenderSequenceFrame(std::span<const Flame> control_points, int frame,
                                  const RenderOptions& options, RenderStats* stats = nullptr);

// Which control points RenderSequenceFrame reads for `frame` (those around its
// temporal interval, and the neighbours smooth interpolation needs), so a frame
// job can carry only these and still render exactly the same image: the
// indices [first, last] into `control_points` (sorted by time). A binary
// search and one interpolation: O(log n) in the number of control points.
struct ControlPointRange {
  size_t first = 0;
  size_t last = 0;  // inclusive
};
Result<ControlPointRange> FrameControlPointRange(std::span<const Flame> control_points, int frame);
// The control points of FrameControlPointRange, copied.
Result<std::vector<Flame>> FrameControlPoints(std::span<const Flame> control_points, int frame);

}  // namespace flamegrid
