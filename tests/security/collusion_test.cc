// Colluding fresh identities: registration is free, so a hostile volunteer
// registers several identities (all from one address) that upload the same
// noise for the same frames, one as the other's replica. Agreement between
// untrusted identities, or identities of one /24, must never make a frame
// final: the coordinator's own reference render judges it, the noise is
// refused, the colluders are quarantined and the sequence is not published.
// On main before the fix, 12 of 12 noise frames were accepted "(replica check)".
#include <gtest/gtest.h>

#include "coordinator/validate/frame_check.h"
#include "proto/shared/frame_renderer.h"
#include "tests/security/hostile_worker.h"

namespace flamegrid::testing {
namespace {

constexpr int kFrames = 12;
constexpr int kWidth = 64, kHeight = 48;
constexpr int kIdentities = 5;

TEST(Collusion, FreshIdentitiesAgreeingOnNoiseGetNoFrameAccepted) {
  HostileGrid grid("security_collusion");
  ASSERT_TRUE(grid.Start()) << grid.Log();  // default settings, --fake-render
  const int64_t sequence =
      SubmitLoop(grid.admin(), grid.data_dir(), kTestGenome, kFrames, kWidth, kHeight);
  ASSERT_GT(sequence, 0);

  // The test is meaningful only if the noise is far from what the
  // coordinator's reference render (under --fake-render: the synthetic
  // pattern at a quarter of the size) draws for the frame.
  auto truth = MakeSyntheticFrameRenderer();
  coordinator::ValidationPolicy policy;
  for (int frame = 0; frame < kFrames; ++frame) {
    FrameJob job;
    job.frame = frame;
    job.frames_total = kFrames;
    job.width = kWidth;
    job.height = kHeight;
    FrameRenderOptions small;
    small.size_scale = policy.reference_size_scale;
    Result<Image> reference = truth->RenderFrame(job, small);
    ASSERT_TRUE(reference.ok());
    EXPECT_GT(coordinator::FrameDifference(Noise(kWidth, kHeight, frame), *reference),
              policy.reference_tolerance)
        << "frame " << frame;
  }

  std::vector<v1::WorkerCredentials> sybils;
  for (int i = 0; i < kIdentities; ++i) {
    sybils.push_back(RegisterWorker(grid.grid(), "sybil-" + std::to_string(i)));
  }
  // Each identity in turn leases and uploads the frame's noise (the same
  // bytes for the same frame), as many times as there are frames and
  // identities: a bounded number of calls.
  int accepted = 0, stored = 0, refused = 0, denied = 0;
  for (int round = 0; round < kFrames * kIdentities; ++round) {
    const v1::WorkerCredentials& who = sybils[round % kIdentities];
    LeaseAnswer lease = TryLease(grid.grid(), who);
    if (lease.status.error_code() == grpc::StatusCode::PERMISSION_DENIED) {
      ++denied;  // quarantined
      continue;
    }
    ASSERT_TRUE(lease.status.ok()) << lease.status.error_message();
    if (!lease.response.job_available()) continue;
    const v1::FrameJob& job = lease.response.job();
    v1::UploadResponse answer;
    const grpc::Status s = UploadFrame(
        grid.grid(), who, job, Png(Noise(kWidth, kHeight, job.frame())), {}, false, &answer);
    if (!s.ok()) {
      ++refused;
    } else if (answer.message().rfind("accepted", 0) == 0) {
      ++accepted;
    } else {
      ++stored;  // waiting for a replica
    }
  }
  RecordProperty("noise_frames_accepted", accepted);
  EXPECT_EQ(accepted, 0) << "stored " << stored << ", refused " << refused << "\n" << grid.Log();
  EXPECT_GT(refused, 0);
  EXPECT_GT(denied, 0);  // the colluders were quarantined
  std::optional<v1::SequenceInfo> info = SequenceOf(grid, sequence);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->frames_done(), 0);
  EXPECT_EQ(info->state(), "rendering");
  EXPECT_TRUE(info->video_path().empty());
  std::optional<v1::StatusResponse> status = AdminStatus(grid.admin(), grid.data_dir());
  ASSERT_TRUE(status.has_value());
  int quarantined = 0;
  for (const v1::WorkerInfo& w : status->workers()) quarantined += w.quarantined() ? 1 : 0;
  EXPECT_GE(quarantined, 4);
}

}  // namespace
}  // namespace flamegrid::testing
