// Sabotage: one fresh identity leases a frame and gives it back with
// render_failed, or uploads a wrong-size PNG, again and again. Its failures
// must count against it, not against the frame: the sequence does not fail,
// the saboteur is throttled and then quarantined, and an honest worker
// still renders the whole sequence. (Settings shortened: throttled at 5
// failures, quarantined at 6.) On main before the fix the sequence
// failed after five such calls and its jobs were still leased.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "proto/shared/frame_renderer.h"
#include "tests/security/hostile_worker.h"

namespace flamegrid::testing {
namespace {

constexpr int kFrames = 6;
constexpr int kWidth = 64, kHeight = 48;
constexpr int kAttempts = 12;

TEST(Sabotage, RenderFailuresAndWrongSizesFromOneIdentityDoNotFailTheSequence) {
  HostileGrid grid("security_sabotage");
  // A short replica wait, so the honest worker alone finishes; throttled at
  // 5 failures (one wait of 10 s, not the default's 7) and quarantined at 6.
  ASSERT_TRUE(grid.Start({"--replica-wait-seconds", "1", "--throttle-after-failures", "5",
                          "--quarantine-after-failures", "6"}))
      << grid.Log();
  const int64_t sequence =
      SubmitLoop(grid.admin(), grid.data_dir(), kTestGenome, kFrames, kWidth, kHeight);
  ASSERT_GT(sequence, 0);
  const v1::WorkerCredentials saboteur = RegisterWorker(grid.grid(), "saboteur");
  const std::string small = Png(Noise(kWidth / 2, kHeight / 2, 1));

  int sabotaged = 0, quarantined_after = 0, longest_wait_ms = 0;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    LeaseAnswer lease = TryLease(grid.grid(), saboteur);
    if (lease.status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
      quarantined_after = sabotaged;
      break;
    }
    ASSERT_TRUE(lease.status.ok()) << lease.status.error_message();
    if (!lease.response.job_available()) {
      // Throttled: told to wait, it waits (bounded), as a worker does.
      longest_wait_ms = std::max(longest_wait_ms, lease.response.retry_after_ms());
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::min(11'000, lease.response.retry_after_ms())));
      continue;
    }
    const v1::FrameJob& job = lease.response.job();
    if (attempt % 2 == 1) {
      EXPECT_TRUE(GiveBack(grid.grid(), saboteur, job.lease_id(), true, "cannot render").ok());
    } else {
      EXPECT_FALSE(UploadFrame(grid.grid(), saboteur, job, small).ok());
    }
    ++sabotaged;
  }
  RecordProperty("sabotaging_calls_before_quarantine", quarantined_after);
  RecordProperty("longest_retry_after_ms", longest_wait_ms);
  std::optional<v1::SequenceInfo> info = SequenceOf(grid, sequence);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->state(), "rendering") << info->failure();
  EXPECT_GE(sabotaged, 5);  // more than enough to fail a frame on main
  EXPECT_EQ(quarantined_after, 6) << "the saboteur was not quarantined\n" << grid.Log();
  EXPECT_GE(longest_wait_ms, 5'000);  // throttled before it
  std::optional<v1::WorkerInfo> record = WorkerNamed(grid, "saboteur");
  ASSERT_TRUE(record.has_value());
  EXPECT_TRUE(record->quarantined());

  // An honest volunteer renders the whole sequence.
  ASSERT_NE(StartHonestWorker(grid, "honest"), nullptr);
  ASSERT_TRUE(WaitFor(
      [&] {
        std::optional<v1::SequenceInfo> s = SequenceOf(grid, sequence);
        return s && s->state() == "done";
      },
      60))
      << grid.Log();
}

}  // namespace
}  // namespace flamegrid::testing
