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

Result<ControlPointRange> FrameControlPointRange(std::span<const Flame> control_points, int frame) {
  const size_t n = control_points.size();
  if (n == 0) return Status::InvalidArgument("the sequence has no control points");
  if (n == 1) return ControlPointRange{0, 0};
  const auto by_time = [](const Flame& point, double time) { return point.time < time; };
  // The points before the first at or after `time`: InterpolateAt's segment starts at the last of
  // them.
  const auto points_before = [&](double time) {
    return static_cast<size_t>(
        std::lower_bound(control_points.begin(), control_points.end(), time, by_time) -
        control_points.begin());
  };
  // The centre genome reads at most its segment and one neighbour each side;
  // interpolating within them gives what the whole sequence gives.
  const size_t segment = std::clamp<size_t>(points_before(frame), 1, n - 1) - 1;
  const size_t near_first = segment == 0 ? 0 : segment - 1;
  const size_t near_last = std::min(n - 1, segment + 2);
  FG_ASSIGN_OR_RETURN(
      Flame center,
      InterpolateAt(control_points.subspan(near_first, near_last - near_first + 1), frame));
  const double half_width = 0.5 * std::fabs(center.temporal_filter_width);
  // The segment holding first_time starts at the last point before it...
  const size_t before_first = points_before(frame - half_width);
  size_t first = before_first == 0 ? 0 : before_first - 1;
  // ...and the segment holding last_time ends at the first point at or after it.
  size_t last = std::max(first, std::min(n - 1, points_before(frame + half_width)));
  // One more on each side for Catmull-Rom segments, one more for extrapolation.
  first = first == 0 ? 0 : first - 1;
  last = std::min(n - 1, last + 1);
  return ControlPointRange{first, last};
}

Result<std::vector<Flame>> FrameControlPoints(std::span<const Flame> control_points, int frame) {
  FG_ASSIGN_OR_RETURN(ControlPointRange range, FrameControlPointRange(control_points, frame));
  return std::vector<Flame>(control_points.begin() + range.first,
                            control_points.begin() + range.last + 1);
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
