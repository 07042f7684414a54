// Tests for worker/client/render_budget.h: how long one render may run.
#include "worker/client/render_budget.h"

#include <gtest/gtest.h>

namespace flamegrid::worker {
namespace {

RenderLimits Limits() {
  RenderLimits limits;
  limits.max_seconds = 3600;
  limits.floor_seconds = 60;
  limits.slack = 4;
  return limits;
}

TEST(RenderBudget, AJobOverTheCapAtTheMeasuredSpeedIsTooBigAtOnce) {
  RenderBudget budget(Limits());
  budget.Measured(10'000'000, 1.0);  // 10 M samples per second
  EXPECT_DOUBLE_EQ(budget.samples_per_second(), 1e7);
  // 10^12 samples: 10^5 s at that speed.
  const RenderBudget::Check check = budget.Judge(1'000'000'000'000ull, 0.0, 0.0);
  EXPECT_EQ(check.verdict, RenderBudget::Verdict::kTooBig);
  EXPECT_NE(check.why.find("samples"), std::string::npos) << check.why;
  // 3.6 * 10^10 samples is the cap exactly: allowed.
  EXPECT_EQ(budget.Judge(36'000'000'000ull, 0.0, 0.0).verdict, RenderBudget::Verdict::kContinue);
}

TEST(RenderBudget, TheLimitIsAMultipleOfTheExpectedTimeAndNeverUnderTheFloor) {
  RenderBudget budget(Limits());
  budget.Measured(10'000'000, 1.0);
  // 10^9 samples: 100 s expected, 400 s allowed.
  EXPECT_EQ(budget.Judge(1'000'000'000, 399, 0.5).verdict, RenderBudget::Verdict::kContinue);
  const RenderBudget::Check slow = budget.Judge(1'000'000'000, 401, 0.5);
  EXPECT_EQ(slow.verdict, RenderBudget::Verdict::kTooSlow);
  EXPECT_NE(slow.why.find("400 s"), std::string::npos) << slow.why;
  // 10^6 samples: 0.1 s expected, but the floor is a minute.
  EXPECT_EQ(budget.Judge(1'000'000, 59, 0.5).verdict, RenderBudget::Verdict::kContinue);
  EXPECT_EQ(budget.Judge(1'000'000, 61, 0.5).verdict, RenderBudget::Verdict::kTooSlow);
}

TEST(RenderBudget, BeforeAnyMeasurementTheRendersOwnProgressProjectsItsLength) {
  RenderBudget budget(Limits());
  EXPECT_EQ(budget.samples_per_second(), 0);
  // Under the floor nothing is judged, whatever the progress.
  EXPECT_EQ(budget.Judge(1'000'000'000'000ull, 30, 1e-6).verdict, RenderBudget::Verdict::kContinue);
  // Past it: 1% in 60 s projects 6000 s, over the cap.
  EXPECT_EQ(budget.Judge(1'000'000'000'000ull, 60, 0.01).verdict, RenderBudget::Verdict::kTooBig);
  // 2% in 60 s projects 3000 s: within it.
  EXPECT_EQ(budget.Judge(1'000'000'000'000ull, 60, 0.02).verdict, RenderBudget::Verdict::kContinue);
  // A renderer that reports nothing (synthetic) meets only the cap.
  EXPECT_EQ(budget.Judge(0, 3599, 0).verdict, RenderBudget::Verdict::kContinue);
  EXPECT_EQ(budget.Judge(0, 3601, 0).verdict, RenderBudget::Verdict::kTooBig);
}

TEST(RenderBudget, TheSpeedIsSmoothedOverRendersAndEmptyRendersAreIgnored) {
  RenderBudget budget(Limits());
  budget.Measured(0, 1.0);
  budget.Measured(100, 0.0);
  EXPECT_EQ(budget.samples_per_second(), 0);
  budget.Measured(4'000'000, 1.0);
  budget.Measured(2'000'000, 1.0);
  EXPECT_DOUBLE_EQ(budget.samples_per_second(), 3e6);
}

}  // namespace
}  // namespace flamegrid::worker
