#include "worker/client/render_budget.h"

#include <algorithm>
#include <cstdio>

namespace flamegrid::worker {
namespace {

// printf into a string, for the verdicts' reasons.
template <typename... Args>
std::string Format(const char* format, Args... args) {
  char text[256];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
  std::snprintf(text, sizeof text, format, args...);
#pragma GCC diagnostic pop
  return text;
}

}  // namespace

void RenderBudget::Measured(uint64_t samples, double seconds) {
  if (samples == 0 || !(seconds > 0)) return;
  const double rate = static_cast<double>(samples) / seconds;
  // Smoothed: one render of an unusually costly genome does not set the pace.
  samples_per_second_ = samples_per_second_ == 0 ? rate : (samples_per_second_ + rate) / 2;
}

RenderBudget::Check RenderBudget::Judge(uint64_t samples_total, double elapsed_seconds,
                                        double progress) const {
  const double samples = static_cast<double>(samples_total);
  if (samples_total > 0 && samples_per_second_ > 0) {
    const double expected = samples / samples_per_second_;
    if (expected > limits_.max_seconds) {
      return {Verdict::kTooBig,
              Format("the job asks for %.3g samples: about %.0f s at this worker's measured "
                     "speed, over its limit of %.0f s",
                     samples, expected, limits_.max_seconds)};
    }
    const double limit = std::max(limits_.floor_seconds, limits_.slack * expected);
    if (elapsed_seconds > limit) {
      return {Verdict::kTooSlow,
              Format("the render ran %.0f s, past its limit of %.0f s (%.0f s expected at the "
                     "measured speed)",
                     elapsed_seconds, limit, expected)};
    }
    return {};
  }
  // No speed measured yet: the render's own progress tells it.
  if (elapsed_seconds >= limits_.floor_seconds && progress > 0) {
    const double projected = elapsed_seconds / progress;
    if (projected > limits_.max_seconds) {
      return {Verdict::kTooBig,
              Format("the job would take about %.0f s at the speed its first %.0f s showed, "
                     "over this worker's limit of %.0f s",
                     projected, elapsed_seconds, limits_.max_seconds)};
    }
  }
  if (elapsed_seconds > limits_.max_seconds) {
    return {Verdict::kTooBig, Format("the render ran %.0f s, past this worker's limit of %.0f s",
                                     elapsed_seconds, limits_.max_seconds)};
  }
  return {};
}

}  // namespace flamegrid::worker
