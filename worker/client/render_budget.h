// RenderBudget: how long the worker lets one render run. A hostile (or
// broken) coordinator can send a job asking for 10^12 samples; without a
// wall-clock limit it would hold the machine for days. The limit follows
// from the job's sample count (the renderer says it as the render starts)
// and the speed this worker measured on its earlier renders: a generous
// multiple of the time those samples should take, never under a floor, never
// over the operator's cap (--max-render-minutes). Before any measurement the
// render's own progress gives the speed: once past the floor, a render whose
// progress projects past the cap is stopped.
//
// Two ways a render ends early, blamed differently when the job goes back:
// kTooBig (the job asks more than this worker takes at all: over the cap at
// the measured speed) is reported as a failed render, which the coordinator
// counts against the job once several workers say so; kTooSlow (within the
// cap, but the render ran far past what the measured speed predicts: this
// machine was slowed down) gives the job back without blame.
//
// A value owned by the worker's loop; not thread-safe.
#pragma once

#include <cstdint>
#include <string>

namespace flamegrid::worker {

struct RenderLimits {
  double max_seconds = 3600;  // the cap, whatever the speed
  double floor_seconds = 60;  // a limit is never shorter
  double slack = 4;           // times the time the measured speed predicts
};

class RenderBudget {
 public:
  enum class Verdict { kContinue, kTooSlow, kTooBig };
  struct Check {
    Verdict verdict = Verdict::kContinue;
    std::string why;  // for the log and the give-back's reason
  };

  explicit RenderBudget(RenderLimits limits) : limits_(limits) {}

  // A finished render computed `samples` points in `seconds`.
  void Measured(uint64_t samples, double seconds);
  // Points per second from earlier renders; 0 before the first.
  double samples_per_second() const { return samples_per_second_; }

  // A render of `samples_total` points (0: not known yet) that has run
  // `elapsed_seconds` and done `progress` (0..1) of its work.
  Check Judge(uint64_t samples_total, double elapsed_seconds, double progress) const;

 private:
  RenderLimits limits_;
  double samples_per_second_ = 0;
};

}  // namespace flamegrid::worker
