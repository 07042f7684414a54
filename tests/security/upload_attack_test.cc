// Hostile uploads against a real coordinator (issue 15): a decode bomb on a
// leased job, parallel streams on one lease, and streams that never end.
// Each attack is bounded (client deadlines, a 2 s idle bound on the
// coordinator) and checked by its effect: status codes, the coordinator's
// peak memory and thread count, and an honest worker still served.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "proto/shared/frame_renderer.h"
#include "proto/shared/job_wire.h"
#include "renderer/image/image_io.h"
#include "tests/renderer/image/crafted_png.h"
#include "tests/security/hostile_grid.h"

namespace flamegrid::testing {
namespace {

const std::string kGenome = R"(<flame name="upload attack" size="64 48" scale="20"></flame>)";
constexpr int64_t kMemoryBoundKb = 100 * 1024;
// The gRPC server's thread bound in these tests (--rpc-threads).
constexpr int kRpcThreads = 96;

class UploadAttackTest : public ::testing::Test {
 protected:
  void Start(const std::string& name) {
    grid_ = std::make_unique<HostileGrid>(name);
    // A short idle bound keeps each attack short; the flock stays still.
    ASSERT_TRUE(grid_->Start({"--upload-idle-seconds", "2", "--rpc-threads",
                              std::to_string(kRpcThreads), "--flock-upkeep", "off"}))
        << grid_->Log();
    ASSERT_GT(SubmitLoop(grid_->admin(), grid_->data_dir(), kGenome, 8), 0);
  }

  // A fresh identity holding one lease.
  std::pair<v1::WorkerCredentials, v1::FrameJob> Leased(const std::string& name) {
    v1::WorkerCredentials me = RegisterWorker(grid_->grid(), name);
    return {me, LeaseJob(grid_->grid(), me)};
  }

  // What an honest worker renders for `job` (the coordinator renders the same
  // stand-in frames with --fake-render).
  static std::string HonestPng(const v1::FrameJob& wire) {
    Result<FrameJob> job = JobFromWire(wire);
    EXPECT_TRUE(job.ok()) << job.status().ToString();
    Result<Image> image = MakeSyntheticFrameRenderer()->RenderFrame(*job, {});
    EXPECT_TRUE(image.ok());
    return *EncodeImage(*image, "png", {});
  }

  int Threads() const {
    return static_cast<int>(ProcStatusKb(grid_->coordinator().pid(), "Threads"));
  }

  std::unique_ptr<HostileGrid> grid_;
};

// An upload stream that sends its header (declaring `declared` bytes, or
// as many as it sends) and `bytes`, but never half-closes.
struct StalledUpload {
  grpc::ClientContext context;
  v1::UploadResponse response;
  std::unique_ptr<grpc::ClientWriter<v1::UploadChunk>> writer;
};

std::unique_ptr<StalledUpload> StartUpload(v1::Grid::Stub& grid, const v1::WorkerCredentials* me,
                                           const v1::FrameJob* job, const std::string& bytes,
                                           double seconds, uint64_t declared = 0) {
  auto upload = std::make_unique<StalledUpload>();
  upload->context.set_deadline(std::chrono::system_clock::now() +
                               std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
  upload->writer = grid.UploadFrame(&upload->context, &upload->response);
  if (me == nullptr) return upload;  // not even a header
  v1::UploadChunk header;
  v1::UploadHeader* h = header.mutable_header();
  *h->mutable_credentials() = *me;
  h->set_lease_id(job->lease_id());
  h->set_job_id(job->job_id());
  h->set_size_bytes(declared != 0 ? declared : bytes.size());
  h->set_sha256_hex(Sha256Hex(bytes));
  h->set_format("png");
  upload->writer->Write(header);
  v1::UploadChunk data;
  data.set_data(bytes);
  upload->writer->Write(data);
  return upload;
}

TEST_F(UploadAttackTest, ADecodeBombIsRefusedFromItsHeader) {
  Start("upload_decode_bomb");
  auto [me, job] = Leased("bomber");
  const std::string bomb = DecodeBombPng();
  ASSERT_LT(bomb.size(), 100u);
  const int64_t before_kb = grid_->PeakRssKb();
  const grpc::Status refused = UploadFrame(grid_->grid(), me, job, bomb);
  const int64_t grown_kb = grid_->PeakRssKb() - before_kb;
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find(
                "wrong size: the frame is 16384x16384, the job asked for " +
                std::to_string(job.width()) + "x" + std::to_string(job.height())),
            std::string::npos)
      << refused.error_message();
  EXPECT_LT(grown_kb, kMemoryBoundKb) << "coordinator peak memory grew by " << grown_kb << " kB";
  std::printf("decode bomb: %s, peak memory +%lld kB\n", refused.error_message().c_str(),
              static_cast<long long>(grown_kb));
  // The declared size is held to what a PNG of the job's size can take.
  auto [other, other_job] = Leased("bloated");
  UploadLies bloat;
  bloat.size_bytes = 4u << 20;
  const grpc::Status bloated = UploadFrame(grid_->grid(), other, other_job, bomb, bloat);
  EXPECT_EQ(bloated.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(bloated.error_message().find("for a frame of this job's size"), std::string::npos)
      << bloated.error_message();
  EXPECT_LE(other_job.max_upload_bytes(), (1u << 20) + 64u * 48 * 9 * 2)
      << "the lease tells the worker the job's bound";
}

TEST_F(UploadAttackTest, ParallelBombsOnOneLeaseStayBounded) {
  Start("upload_parallel_bombs");
  auto [me, job] = Leased("bomber");
  const std::string bomb = DecodeBombPng();
  const int64_t before_kb = grid_->PeakRssKb();
  std::vector<grpc::Status> statuses(3);
  std::vector<std::thread> threads;
  for (auto& status : statuses) {
    threads.emplace_back([&, s = &status] { *s = UploadFrame(grid_->grid(), me, job, bomb); });
  }
  for (auto& t : threads) t.join();
  const int64_t grown_kb = grid_->PeakRssKb() - before_kb;
  for (const grpc::Status& s : statuses) {
    EXPECT_FALSE(s.ok());
    EXPECT_TRUE(s.error_code() == grpc::StatusCode::INVALID_ARGUMENT ||
                s.error_code() == grpc::StatusCode::ALREADY_EXISTS ||
                s.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
        << s.error_code() << " " << s.error_message();
  }
  EXPECT_LT(grown_kb, kMemoryBoundKb) << "coordinator peak memory grew by " << grown_kb << " kB";
  std::printf("3 parallel bombs on one lease: peak memory +%lld kB\n",
              static_cast<long long>(grown_kb));
}

TEST_F(UploadAttackTest, OneLeaseHasOneStreamInFlight) {
  Start("upload_one_stream_per_lease");
  auto [me, job] = Leased("greedy");
  const std::string png = HonestPng(job);
  // Three streams send the whole frame and never close: the first the
  // coordinator reads holds the lease (until the idle bound cuts it), the
  // other two are refused as soon as their header is read.
  std::vector<std::unique_ptr<StalledUpload>> uploads;
  for (int i = 0; i < 3; ++i) uploads.push_back(StartUpload(grid_->grid(), &me, &job, png, 20));
  std::map<grpc::StatusCode, int> codes;
  for (auto& upload : uploads) {
    const grpc::Status s = upload->writer->Finish();
    ++codes[s.error_code()];
    if (s.error_code() == grpc::StatusCode::ALREADY_EXISTS) {
      EXPECT_EQ(s.error_message(),
                "lease " + std::to_string(job.lease_id()) + " already has an upload in flight");
    }
  }
  EXPECT_EQ(codes[grpc::StatusCode::ALREADY_EXISTS], 2);
  EXPECT_EQ(codes[grpc::StatusCode::CANCELLED], 1) << "the held stream is cut when it stalls";
  EXPECT_EQ(codes[grpc::StatusCode::DEADLINE_EXCEEDED], 0);
  std::printf("3 streams on one lease: %d refused, %d cut when idle, %d never ended\n",
              codes[grpc::StatusCode::ALREADY_EXISTS], codes[grpc::StatusCode::CANCELLED],
              codes[grpc::StatusCode::DEADLINE_EXCEEDED]);
  // The lease is free again: the honest upload goes through.
  const grpc::Status honest = UploadFrame(grid_->grid(), me, job, png);
  EXPECT_TRUE(honest.ok()) << honest.error_message();
}

TEST_F(UploadAttackTest, StreamsThatNeverEndAreCutAndTheServerStillAnswers) {
  Start("upload_never_ending");
  const int threads_before = Threads();
  const int64_t before_kb = grid_->PeakRssKb();
  // 200 streams on 4 connections: most never send a header, five send a
  // header and half a frame on a lease of their own, then stall.
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<v1::Grid::Stub>> stubs;
  for (int c = 0; c < 4; ++c) {
    channels.push_back(grid_->NewChannel());
    stubs.push_back(v1::Grid::NewStub(channels.back()));
  }
  std::vector<std::pair<v1::WorkerCredentials, v1::FrameJob>> leases;
  for (int i = 0; i < 5; ++i) leases.push_back(Leased("staller-" + std::to_string(i)));
  std::vector<std::unique_ptr<StalledUpload>> uploads;
  for (int i = 0; i < 200; ++i) {
    v1::Grid::Stub& stub = *stubs[i % stubs.size()];
    if (i < 5) {
      // Declares twice what it sends: the coordinator waits for the rest.
      const std::string png = HonestPng(leases[i].second);
      uploads.push_back(
          StartUpload(stub, &leases[i].first, &leases[i].second, png, 20, 2 * png.size()));
    } else {
      uploads.push_back(StartUpload(stub, nullptr, nullptr, "", 20));
    }
  }
  int most_threads = 0;
  for (int i = 0; i < 10; ++i) {
    most_threads = std::max(most_threads, Threads());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // Meanwhile a newcomer registers and is answered within 2 s.
  {
    v1::RegisterRequest request;
    request.set_name("newcomer");
    v1::RegisterResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    const grpc::Status s = grid_->grid().Register(&context, request, &response);
    EXPECT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
  }
  std::map<grpc::StatusCode, int> codes;
  for (auto& upload : uploads) ++codes[upload->writer->Finish().error_code()];
  EXPECT_EQ(codes[grpc::StatusCode::DEADLINE_EXCEEDED], 0) << "streams the coordinator never cut";
  // Held and cut, refused over the stream bound, or (in a burst) over the thread bound.
  EXPECT_EQ(codes[grpc::StatusCode::CANCELLED] + codes[grpc::StatusCode::UNAVAILABLE] +
                codes[grpc::StatusCode::RESOURCE_EXHAUSTED],
            200);
  // The streams all come from 127.0.0.1: one network holds at most
  // --max-upload-streams-per-address (16) of the 64 slots.
  EXPECT_LE(codes[grpc::StatusCode::CANCELLED], 16) << "at most one network's share held";
  EXPECT_LT(most_threads, threads_before + kRpcThreads)
      << "threads went from " << threads_before << " to " << most_threads;
  const int64_t grown_kb = grid_->PeakRssKb() - before_kb;
  EXPECT_LT(grown_kb, kMemoryBoundKb);
  // And an honest worker is served afterwards.
  auto [honest, job] = Leased("honest");
  const grpc::Status uploaded = UploadFrame(grid_->grid(), honest, job, HonestPng(job));
  EXPECT_TRUE(uploaded.ok()) << uploaded.error_message();
  std::printf(
      "200 stalled streams: threads %d before, %d at most; %d cut, %d refused, %d over the thread "
      "bound, %d never ended; peak memory +%lld kB\n",
      threads_before, most_threads, codes[grpc::StatusCode::CANCELLED],
      codes[grpc::StatusCode::UNAVAILABLE], codes[grpc::StatusCode::RESOURCE_EXHAUSTED],
      codes[grpc::StatusCode::DEADLINE_EXCEEDED], static_cast<long long>(grown_kb));
}

}  // namespace
}  // namespace flamegrid::testing
