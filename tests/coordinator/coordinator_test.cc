// Unit tests of the coordinator's rooms: the SQLite store's job life cycle,
// frame checks and the trust policy, and MP4 assembly.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "coordinator/assemble/mp4_writer.h"
#include "coordinator/store/store.h"
#include "coordinator/validate/frame_check.h"
#include "renderer/image/image_io.h"
#include "tests/renderer/image/crafted_png.h"

namespace flamegrid::coordinator {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/flamegrid-coord-test.XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Image Pattern(int width, int height, double phase) {
  Image image(width, height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      float* p = image.Pixel(x, y);
      p[0] =
          static_cast<float>(0.5 + 0.5 * std::sin(6.28 * (static_cast<double>(x) / width + phase)));
      p[1] = static_cast<float>(y) / height;
      p[2] = 0.25f;
      p[3] = 1.0f;
    }
  }
  return image;
}

TEST(StoreTest, LapsedLeasesAreFoundAndFailAfterMaxFailures) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.path() + "/grid.db");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  NewSequence n;
  n.frames = 2;
  n.width = 32;
  n.height = 24;
  auto id = (*store)->CreateSequence(n);
  ASSERT_TRUE(id.ok());
  auto worker = (*store)->CreateWorker("w", "hash", 1, "", 0);
  ASSERT_TRUE(worker.ok());

  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto job = (*store)->LeaseJob(*worker, 100 + attempt, 1000 * attempt, 1000 * attempt + 10, {});
    ASSERT_TRUE(job.ok() && job->job.has_value());
    EXPECT_EQ(job->job->frame, 0);  // the lapsed job comes back first
    auto lapsed = (*store)->LapsedLeases(1000 * attempt + 11);
    ASSERT_TRUE(lapsed.ok());
    ASSERT_EQ(lapsed->size(), 1u);
    JobFailure f;
    f.job_id = lapsed->front().id;
    f.lease_id = lapsed->front().lease_id;
    f.worker_id = *worker;
    f.reason = "lease expired";
    f.record_failure = true;
    f.lapsed_before_ms = 1000 * attempt + 11;
    f.max_failures = 3;
    auto failed = (*store)->FailJob(f);
    ASSERT_TRUE(failed.ok()) << failed.status().ToString();
    // The third counted failure fails the frame for good, and its sequence with it.
    ASSERT_EQ(failed->has_value(), attempt == 3);
  }
  auto failures = (*store)->FailuresOfJob(1);
  ASSERT_TRUE(failures.ok());
  ASSERT_EQ(failures->size(), 1u);  // one worker, however often it failed
  EXPECT_EQ(failures->front().worker_id, *worker);
  // The failed sequence's other frame is closed: nothing leases it.
  auto none = (*store)->LeaseJob(*worker, 200, 5000, 6000, {});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->job.has_value());
  auto sequence = (*store)->GetSequence(*id);
  ASSERT_TRUE(sequence.ok());
  EXPECT_EQ(sequence->state, SequenceState::kFailed);
  EXPECT_NE(sequence->failure.find("lease expired"), std::string::npos) << sequence->failure;
}

TEST(StoreTest, CommitNeedsTheCurrentLeaseAndCountsFrames) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.path() + "/grid.db");
  ASSERT_TRUE(store.ok());
  NewSequence n;
  n.frames = 1;
  auto id = (*store)->CreateSequence(n);
  auto worker = (*store)->CreateWorker("w", "hash", 1, "", 0);
  auto job = (*store)->LeaseJob(*worker, 7, 0, 1000, {});
  ASSERT_TRUE(job.ok() && job->job.has_value());
  ResultCommit commit;
  commit.job_id = job->job->id;
  commit.lease_id = 8;  // not the lease
  commit.worker_id = *worker;
  commit.path = "/frames/0.png";
  EXPECT_EQ((*store)->CommitResult(commit).code(), StatusCode::kFailedPrecondition);
  commit.lease_id = 7;
  ASSERT_TRUE((*store)->CommitResult(commit).ok());
  EXPECT_EQ((*store)->CommitResult(commit).code(), StatusCode::kFailedPrecondition);  // spent
  auto sequence = (*store)->GetSequence(*id);
  EXPECT_EQ(sequence->frames_done, 1);
  EXPECT_EQ(sequence->state, SequenceState::kAssembling);
  auto paths = (*store)->FramePaths(*id);
  ASSERT_EQ(paths->size(), 1u);
  EXPECT_EQ(paths->front(), "/frames/0.png");
}

TEST(StoreTest, ConcurrentWritersShareCommitsAndKeepTheirOwnOutcome) {
  // Group commit: writes from many threads share COMMITs, yet each caller
  // gets its own result, a refused write undoes only itself, and everything
  // acknowledged is in the file for the next connection to read.
  TempDir dir;
  constexpr int kThreads = 8, kFramesEach = 100;
  int64_t id = 0;
  std::atomic<int> committed{0}, refused{0}, wrong{0};
  {
    auto store = OpenSqliteStore(dir.path() + "/grid.db");
    ASSERT_TRUE(store.ok());
    NewSequence n;
    n.frames = kThreads * kFramesEach;
    id = *(*store)->CreateSequence(n);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        auto worker = (*store)->CreateWorker("w" + std::to_string(t), "hash", 1, "", 0);
        if (!worker.ok()) return (void)++wrong;
        for (int i = 0; i < kFramesEach; ++i) {
          const int64_t lease = (t + 1) * 100000 + i;
          auto job = (*store)->LeaseJob(*worker, lease, 0, 1'000'000, {});
          if (!job.ok() || !job->job.has_value()) return (void)++wrong;
          ResultCommit commit;
          commit.job_id = job->job->id;
          commit.worker_id = *worker;
          commit.path = "/frames/" + std::to_string(job->job->frame) + ".png";
          commit.frame_final = true;
          commit.lease_id = lease + 1;  // not the lease: refused, alone
          if ((*store)->CommitResult(commit).code() == StatusCode::kFailedPrecondition) ++refused;
          commit.lease_id = lease;
          if ((*store)->CommitResult(commit).ok()) ++committed;
        }
      });
    }
    for (auto& thread : threads) thread.join();
  }
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(refused.load(), kThreads * kFramesEach);
  EXPECT_EQ(committed.load(), kThreads * kFramesEach);
  auto reopened = OpenSqliteStore(dir.path() + "/grid.db");
  ASSERT_TRUE(reopened.ok());
  auto sequence = (*reopened)->GetSequence(id);
  ASSERT_TRUE(sequence.ok());
  EXPECT_EQ(sequence->frames_done, kThreads * kFramesEach);
  auto paths = (*reopened)->FramePaths(id);
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ(std::set<std::string>(paths->begin(), paths->end()).size(),
            static_cast<size_t>(kThreads * kFramesEach));
}

TEST(FrameCheckTest, ADecodeBombIsAWrongSizeFromItsHeaderAlone) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const int64_t before_kb = usage.ru_maxrss;
  FrameFault fault = FrameFault::kNone;
  Result<Image> image = CheckUploadedFrame(testing::DecodeBombPng(), 64, 48, &fault);
  ASSERT_FALSE(image.ok());
  EXPECT_EQ(fault, FrameFault::kWrongSize);
  EXPECT_NE(image.status().message().find("the frame is 16384x16384, the job asked for 64x48"),
            std::string::npos)
      << image.status().ToString();
  getrusage(RUSAGE_SELF, &usage);
  EXPECT_LT(usage.ru_maxrss - before_kb, 100 * 1024) << "kB of peak memory for a 70-byte upload";
  // Only PNG is an upload: what OpenImageIO would decode is refused unread.
  auto jpeg = EncodeImage(Pattern(32, 24, 0), "jpg", {});
  ASSERT_TRUE(jpeg.ok());
  EXPECT_FALSE(CheckUploadedFrame(*jpeg, 32, 24, &fault).ok());
  EXPECT_EQ(fault, FrameFault::kCorrupt);
}

TEST(FrameCheckTest, RefusesCorruptWrongSizeAndBlankFrames) {
  auto png = EncodeImage(Pattern(32, 24, 0), "png", {});
  ASSERT_TRUE(png.ok());
  EXPECT_TRUE(CheckUploadedFrame(*png, 32, 24).ok());
  EXPECT_NE(CheckUploadedFrame(*png, 64, 48).status().message().find("wrong size"),
            std::string::npos);
  EXPECT_NE(CheckUploadedFrame("not a png", 32, 24).status().message().find("corrupt"),
            std::string::npos);
  Image blank(32, 24);
  auto blank_png = EncodeImage(blank, "png", {});
  EXPECT_NE(CheckUploadedFrame(*blank_png, 32, 24).status().message().find("blank"),
            std::string::npos);
  // The same checks, told apart by type (what /metrics counts them as).
  FrameFault fault = FrameFault::kBlank;
  EXPECT_TRUE(CheckUploadedFrame(*png, 32, 24, &fault).ok());
  EXPECT_EQ(fault, FrameFault::kNone);
  EXPECT_FALSE(CheckUploadedFrame(*png, 64, 48, &fault).ok());
  EXPECT_EQ(fault, FrameFault::kWrongSize);
  EXPECT_FALSE(CheckUploadedFrame("not a png", 32, 24, &fault).ok());
  EXPECT_EQ(fault, FrameFault::kCorrupt);
  EXPECT_FALSE(CheckUploadedFrame(*blank_png, 32, 24, &fault).ok());
  EXPECT_EQ(fault, FrameFault::kBlank);
}

TEST(FrameCheckTest, DifferenceSeparatesTheSameFrameFromAnother) {
  const Image full = Pattern(128, 96, 0.0), small = Pattern(32, 24, 0.0);
  EXPECT_LT(FrameDifference(full, small), 0.03);
  EXPECT_GT(FrameDifference(full, Pattern(128, 96, 0.5)), 0.2);
}

TEST(FrameCheckTest, NewAndSuspectWorkersAreReplicatedTrustedOnesSpotChecked) {
  ValidationPolicy policy;
  EXPECT_EQ(ChooseCheck(policy, 0, 0, 1), CheckKind::kReplica);
  EXPECT_EQ(ChooseCheck(policy, 50, 1, 1), CheckKind::kReplica);
  EXPECT_EQ(ChooseCheck(policy, 5, 0, 1), CheckKind::kReference);
  EXPECT_EQ(ChooseCheck(policy, 50, 0, 1), CheckKind::kTrusted);
  EXPECT_EQ(ChooseCheck(policy, 50, 0, 0), CheckKind::kReference);
}

TEST(AssembleTest, WritesEveryFrameIntoTheMp4) {
  TempDir dir;
  std::vector<std::string> paths;
  for (int i = 0; i < 10; ++i) {
    paths.push_back(dir.path() + "/" + std::to_string(i) + ".png");
    ASSERT_TRUE(WriteImage(Pattern(65, 49, i / 10.0), paths.back(), {}).ok());  // odd sizes
  }
  const std::string video = dir.path() + "/out.mp4";
  VideoOptions options;
  options.preset = "ultrafast";
  ASSERT_TRUE(AssembleMp4(paths, video, options).ok());
  ASSERT_TRUE(fs::exists(video));
  // ffprobe counts the frames: FFmpeg 5.1 drops the last one without packet durations.
  const std::string count = dir.path() + "/count.txt";
  ASSERT_EQ(std::system(("ffprobe -v error -count_frames -select_streams v:0 -show_entries "
                         "stream=nb_read_frames -of csv=p=0 " +
                         video + " > " + count)
                            .c_str()),
            0);
  std::ifstream in(count);
  int frames = 0;
  in >> frames;
  EXPECT_EQ(frames, 10);
}

}  // namespace
}  // namespace flamegrid::coordinator
