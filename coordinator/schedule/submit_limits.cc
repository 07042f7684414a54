#include "coordinator/schedule/submit_limits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "coordinator/schedule/scheduler.h"
#include "renderer/genome/flam3_xml.h"

namespace flamegrid::coordinator {
namespace {

std::string Number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

Status Refuse(const std::string& field, const std::string& value, const std::string& rule) {
  return Status::InvalidArgument(field + " " + value + " refused: " + rule);
}

Status InRange(const std::string& field, int64_t value, int64_t min, int64_t max) {
  if (value >= min && value <= max) return Status::Ok();
  return Refuse(field, std::to_string(value),
                "must be between " + std::to_string(min) + " and " + std::to_string(max));
}

// A finite number at most `max`.
Status FiniteAtMost(const std::string& field, double value, double max) {
  if (!std::isfinite(value)) return Refuse(field, Number(value), "must be a finite number");
  if (value > max) return Refuse(field, Number(value), "the limit is " + Number(max));
  return Status::Ok();
}

}  // namespace

Status CheckSubmit(const SubmitSpec& spec, const SubmitLimits& limits) {
  FG_RETURN_IF_ERROR(InRange("frames", spec.frames, 2, limits.max_frames));
  FG_RETURN_IF_ERROR(InRange("width", spec.width, 16, limits.max_frame_side));
  FG_RETURN_IF_ERROR(InRange("height", spec.height, 16, limits.max_frame_side));
  const int64_t pixels = int64_t{spec.width} * spec.height;
  if (pixels > limits.max_pixels) {
    return Refuse(
        "size", std::to_string(spec.width) + "x" + std::to_string(spec.height),
        std::to_string(pixels) + " pixels, the limit is " + std::to_string(limits.max_pixels));
  }
  FG_RETURN_IF_ERROR(FiniteAtMost("quality", spec.quality, limits.max_quality));
  FG_RETURN_IF_ERROR(InRange("fps", spec.fps, 0, limits.max_fps));
  FG_RETURN_IF_ERROR(InRange("crf", spec.crf, 0, limits.max_crf));
  // What the loop planner cannot read it refuses itself (and the synthetic
  // planner of --fake-render reads no genome).
  Result<std::vector<Flame>> genomes = ParseFlam3(spec.genome_xml);
  if (!genomes.ok()) return Status::Ok();
  for (const Flame& genome : *genomes) {
    FG_RETURN_IF_ERROR(CheckSubmitGenome(genome, spec, limits));
  }
  return Status::Ok();
}

Status CheckSubmitGenome(const Flame& genome, const SubmitSpec& spec, const SubmitLimits& limits) {
  // Names are free text: enough of one to tell the genomes apart.
  const std::string of = " of genome \"" + genome.name.substr(0, 60) + "\"";
  if (spec.quality <= 0) {
    FG_RETURN_IF_ERROR(FiniteAtMost("quality" + of, genome.sample_density, limits.max_quality));
  }
  FG_RETURN_IF_ERROR(InRange("supersample" + of, genome.supersample, 1, limits.max_supersample));
  const int64_t temporal_samples =
      int64_t{std::max(genome.passes, 1)} * std::max(genome.temporal_samples, 1);
  if (temporal_samples > limits.max_temporal_samples) {
    return Refuse("temporal samples" + of,
                  std::to_string(temporal_samples) + " (passes " + std::to_string(genome.passes) +
                      " x temporal_samples " + std::to_string(genome.temporal_samples) + ")",
                  "the limit is " + std::to_string(limits.max_temporal_samples));
  }
  return FiniteAtMost("temporal_filter_width" + of, std::fabs(genome.temporal_filter_width),
                      limits.max_temporal_filter_width);
}

}  // namespace flamegrid::coordinator
