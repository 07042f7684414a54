#include "renderer/animate/sequence.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "renderer/animate/interpolate.h"
#include "renderer/animate/temporal.h"

// MakeLoop lives in loop.cc, MakeEdge and MakeSequence in edge.cc.
namespace flamegrid {
namespace {

// More genomes than this per frame is a broken genome, not a wish for smooth blur.
constexpr long kMaxTemporalSamples = 100'000;

}  // namespace

Status ValidateFrameCount(int frames) {
  if (frames <= 0) {
    return Status::InvalidArgument("frame count must be positive, not " + std::to_string(frames));
  }
  if (frames > kMaxSequenceFrames) {
    return Status::InvalidArgument("frame count " + std::to_string(frames) + " exceeds " +
                                   std::to_string(kMaxSequenceFrames));
  }
  return Status::Ok();
}

Result<Flame> InterpolateAt(std::span<const Flame> control_points, double time) {
  return InterpolateControlPoints(control_points, time, InterpolateOptions{});
}

Result<std::vector<Flame>> FrameControlPoints(std::span<const Flame> control_points, int frame) {
  FG_ASSIGN_OR_RETURN(Flame center, InterpolateAt(control_points, frame));
  const double half_width = 0.5 * std::fabs(center.temporal_filter_width);
  const double first_time = frame - half_width;
  const double last_time = frame + half_width;
  const long n = static_cast<long>(control_points.size());
  // The segment holding first_time starts at the last point before it...
  long begin = 0;
  while (begin + 1 < n && control_points[begin + 1].time < first_time) ++begin;
  // ...and the segment holding last_time ends at the first point at or after it.
  long end = begin;
  while (end + 1 < n && control_points[end].time < last_time) ++end;
  // One more on each side for Catmull-Rom segments, one more for extrapolation.
  begin = std::max(0L, begin - 1);
  end = std::min(n - 1, end + 1);
  return std::vector<Flame>(control_points.begin() + begin, control_points.begin() + end + 1);
}

Result<Image> RenderSequenceFrame(std::span<const Flame> control_points, int frame,
                                  const RenderOptions& options, RenderStats* stats) {
  if (control_points.empty()) return Status::InvalidArgument("the sequence has no control points");
  FG_ASSIGN_OR_RETURN(Flame center, InterpolateAt(control_points, frame));
  const long count =
      static_cast<long>(std::max(center.passes, 1)) * std::max(center.temporal_samples, 1);
  if (count > kMaxTemporalSamples) {
    return Status::InvalidArgument("frame " + std::to_string(frame) + " asks for " +
                                   std::to_string(count) + " temporal samples (max " +
                                   std::to_string(kMaxTemporalSamples) + ")");
  }
  const TemporalSamples samples = MakeTemporalSamples(center, frame);
  std::vector<Flame> genomes;
  genomes.reserve(samples.times.size());
  for (double t : samples.times) {
    FG_ASSIGN_OR_RETURN(Flame g, InterpolateAt(control_points, t));
    genomes.push_back(std::move(g));
  }
  return RenderTemporalSamples(genomes, samples.weights, options, stats);
}

}  // namespace flamegrid
