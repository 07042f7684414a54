// The worker against a hostile coordinator: a fake one on 127.0.0.1 (an
// in-process gRPC Grid service and an HTTP server) that sends a job asking
// for 10^12 samples, a .torrent of a gigabyte, a ListFlock whose SHA-256 is
// not the video's, and that stops answering mid-call while the worker is
// told to stop (SIGTERM).
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "flamegrid/v1/grid.grpc.pb.h"
#include "proto/shared/frame_renderer.h"
#include "proto/shared/job_wire.h"
#include "tests/integration/grid_rpc.h"
#include "tests/integration/p2p_swarm.h"
#include "tests/integration/process.h"
#include "tests/integration/scratch_dir.h"
#include "tests/security/hostile_grid.h"
#include "worker/cache/sequence_cache.h"
#include "worker/client/worker_client.h"
#include "worker/transfer/transfer_loop.h"

namespace flamegrid::testing {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct GivenBack {
  int64_t lease_id = 0;
  std::string reason;
  bool render_failed = false;
};

// A coordinator that says what the test wants. With `black_hole`, every call
// but Register is taken and never answered (its network cut mid-call).
class FakeCoordinator final : public v1::Grid::Service {
 public:
  ~FakeCoordinator() override { Shutdown(); }

  int Start() {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(this);
    server_ = builder.BuildAndStart();
    return port;
  }
  void Shutdown() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      released_ = true;
    }
    wake_.notify_all();
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    server_.reset();
  }

  void set_black_hole(bool on) { black_hole_ = on; }
  void AddJob(const FrameJob& job) {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(job);
  }
  void set_flock(const v1::ListFlockResponse& flock) {
    std::lock_guard<std::mutex> lock(mutex_);
    flock_ = flock;
  }
  std::vector<GivenBack> given_back() {
    std::lock_guard<std::mutex> lock(mutex_);
    return given_back_;
  }
  int calls_held() const { return calls_held_; }
  int uploads() const { return uploads_; }

  grpc::Status Register(grpc::ServerContext*, const v1::RegisterRequest*,
                        v1::RegisterResponse* response) override {
    response->set_worker_id(1);
    response->set_token("token");
    return grpc::Status::OK;
  }
  grpc::Status LeaseJob(grpc::ServerContext* context, const v1::LeaseRequest*,
                        v1::LeaseResponse* response) override {
    if (black_hole_) return Hold(context);
    std::lock_guard<std::mutex> lock(mutex_);
    if (jobs_.empty()) {
      response->set_job_available(false);
      response->set_retry_after_ms(100);
      return grpc::Status::OK;
    }
    response->set_job_available(true);
    JobToWire(jobs_.front(), response->mutable_job());
    jobs_.erase(jobs_.begin());
    return grpc::Status::OK;
  }
  grpc::Status Heartbeat(grpc::ServerContext* context, const v1::HeartbeatRequest*,
                         v1::HeartbeatResponse*) override {
    if (black_hole_) return Hold(context);
    return grpc::Status::OK;
  }
  grpc::Status GiveBack(grpc::ServerContext* context, const v1::GiveBackRequest* request,
                        v1::GiveBackResponse*) override {
    if (black_hole_) return Hold(context);
    std::lock_guard<std::mutex> lock(mutex_);
    given_back_.push_back({request->lease_id(), request->reason(), request->render_failed()});
    return grpc::Status::OK;
  }
  grpc::Status UploadFrame(grpc::ServerContext* context,
                           grpc::ServerReader<v1::UploadChunk>* reader,
                           v1::UploadResponse* response) override {
    if (black_hole_) return Hold(context);
    v1::UploadChunk chunk;
    while (reader->Read(&chunk)) {
    }
    ++uploads_;
    response->set_message("accepted");
    return grpc::Status::OK;
  }
  grpc::Status ListFlock(grpc::ServerContext* context, const v1::ListFlockRequest*,
                         v1::ListFlockResponse* response) override {
    if (black_hole_) return Hold(context);
    std::lock_guard<std::mutex> lock(mutex_);
    *response = flock_;
    return grpc::Status::OK;
  }

 private:
  // Never answers (until the test ends or the caller gives up).
  grpc::Status Hold(grpc::ServerContext* context) {
    ++calls_held_;
    std::unique_lock<std::mutex> lock(mutex_);
    while (!released_ && !context->IsCancelled()) {
      wake_.wait_for(lock, std::chrono::milliseconds(50));
    }
    --calls_held_;
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "black hole");
  }

  std::unique_ptr<grpc::Server> server_;
  std::atomic<bool> black_hole_{false};
  std::atomic<int> calls_held_{0};
  std::atomic<int> uploads_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool released_ = false;
  std::vector<FrameJob> jobs_;
  std::vector<GivenBack> given_back_;
  v1::ListFlockResponse flock_;
};

// Waits (bounded) for `child` to exit; the seconds it took, or -1.
double WaitForExit(ChildProcess& child, double seconds) {
  const auto start = Clock::now();
  while (SecondsSince(start) < seconds) {
    if (!child.Running()) return SecondsSince(start);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return -1;
}

// The network to the coordinator vanishes mid-call: the worker's LeaseJob
// and ListFlock are taken and never answered. SIGTERM must still end the
// worker within a few seconds (before: the calls waited out their
// deadlines, 15 s for LeaseJob, and the last give-back 5 s more).
TEST(HostileCoordinator, SigtermEndsTheWorkerWithinSecondsWhenTheCoordinatorStopsAnswering) {
  const ScratchDir scratch("hostile_coordinator_black_hole");
  const fs::path& dir = scratch.path();
  FakeCoordinator coordinator;
  coordinator.set_black_hole(true);
  const int port = coordinator.Start();
  ASSERT_GT(port, 0);
  ChildProcess worker;
  ASSERT_TRUE(
      worker.Start({kWorker, "--coordinator", "127.0.0.1:" + std::to_string(port), "--data",
                    (dir / "worker").string(), "--fake-render", "--no-idle", "--bt-listen",
                    "127.0.0.1:0", "--no-port-mapping", "--coordinator-http", "127.0.0.1:1"},
                   (dir / "worker.log").string()));
  // Mid-call: both its LeaseJob and the transfer loop's ListFlock are held.
  ASSERT_TRUE(WaitFor([&] { return coordinator.calls_held() >= 2; }, 30)) << worker.Log();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_TRUE(worker.Running());
  ::kill(worker.pid(), SIGTERM);
  const double exit_seconds = WaitForExit(worker, 30);
  std::printf("worker exited %.2f s after SIGTERM (-1: still running after 30 s)\n", exit_seconds);
  EXPECT_GE(exit_seconds, 0) << worker.Log();
  EXPECT_LT(exit_seconds, 4.0) << worker.Log();
  if (worker.Running()) worker.Kill(SIGKILL);
}

// The control points of a `frames`-frame loop at `width`x`height` and `quality`.
std::shared_ptr<const std::string> ControlPoints(int width, int height, double quality) {
  const std::string genome = ReadAll(fs::path(FLAMEGRID_SOURCE_DIR) / "assets" / "genomes" /
                                     "electricsheep.244.00216.flam3");
  auto renderer = MakeLibraryFrameRenderer();
  LoopPlan plan;
  plan.frames = 2;
  plan.width = width;
  plan.height = height;
  plan.quality = quality;
  Result<std::string> points = renderer->PlanLoop(genome, plan);
  if (!points.ok()) return nullptr;
  return std::make_shared<const std::string>(std::move(*points));
}

FrameJob Job(int64_t lease, int width, int height, double quality) {
  FrameJob job;
  job.job_id = lease;
  job.lease_id = lease;
  job.sequence_id = 1;
  job.frame = 0;
  job.frames_total = 2;
  job.width = width;
  job.height = height;
  job.seed = 7;
  job.control_points_xml = ControlPoints(width, height, quality);
  job.deadline_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count() +
                         3'600'000;
  job.heartbeat_interval_ms = 1000;
  return job;
}

// Runs a WorkerClient (the library renderer) against `coordinator` until the
// lease `lease` comes back or `seconds` pass; returns what came back for it.
std::optional<GivenBack> RunUntilGivenBack(FakeCoordinator& coordinator, int port,
                                           const fs::path& dir, int64_t lease, double seconds,
                                           worker::RenderLimits limits, double* took) {
  auto renderer = MakeLibraryFrameRenderer();
  worker::WorkerOptions options;
  options.coordinator = "127.0.0.1:" + std::to_string(port);
  options.data_dir = dir.string();
  options.name = "honest";
  options.threads = 2;
  options.max_memory_bytes = 512 << 20;
  options.render_limits = limits;
  worker::WorkerClient client(
      grpc::CreateChannel(options.coordinator, grpc::InsecureChannelCredentials()), *renderer,
      options);
  std::atomic<bool> stop{false};
  std::thread run([&] { (void)client.Run(stop); });
  const auto start = Clock::now();
  std::optional<GivenBack> found;
  WaitFor(
      [&] {
        for (const GivenBack& g : coordinator.given_back()) {
          if (g.lease_id == lease) found = g;
        }
        return found.has_value();
      },
      seconds);
  *took = SecondsSince(start);
  stop = true;
  run.join();
  return found;
}

// A job asking for about 10^12 samples after one ordinary job: the worker
// knows its speed, sees the job would take days, and gives it back at once
// as a job it cannot render (before: it rendered on for hours).
TEST(HostileCoordinator, AJobOfATrillionSamplesIsGivenBackAtTheMeasuredSpeed) {
  const ScratchDir scratch("hostile_coordinator_absurd_measured");
  const fs::path& dir = scratch.path();
  FakeCoordinator coordinator;
  const int port = coordinator.Start();
  coordinator.AddJob(Job(1, 64, 48, 20));
  coordinator.AddJob(Job(2, 400, 250, 1e7));  // 10^5 pixels x 10^7 samples each
  ASSERT_NE(Job(2, 400, 250, 1e7).control_points_xml, nullptr);
  worker::RenderLimits limits;  // the defaults: an hour's cap, a minute's floor
  double took = 0;
  std::optional<GivenBack> absurd = RunUntilGivenBack(coordinator, port, dir, 2, 60, limits, &took);
  std::printf("the 10^12-sample job came back after %.1f s: %s\n", took,
              absurd ? absurd->reason.c_str() : "(not given back)");
  EXPECT_EQ(coordinator.uploads(), 1);  // the ordinary job
  ASSERT_TRUE(absurd.has_value());
  EXPECT_TRUE(absurd->render_failed);
  EXPECT_NE(absurd->reason.find("samples"), std::string::npos) << absurd->reason;
  EXPECT_NE(absurd->reason.find("limit"), std::string::npos) << absurd->reason;
}

// The same job first, before the worker measured anything: the render's own
// progress shows the speed, and past the floor it is stopped and given back.
TEST(HostileCoordinator, AJobOfATrillionSamplesIsStoppedPastTheFloorBeforeAnyMeasurement) {
  const ScratchDir scratch("hostile_coordinator_absurd_first");
  const fs::path& dir = scratch.path();
  FakeCoordinator coordinator;
  const int port = coordinator.Start();
  coordinator.AddJob(Job(2, 400, 250, 1e7));
  worker::RenderLimits limits;
  limits.floor_seconds = 3;
  limits.max_seconds = 600;
  double took = 0;
  std::optional<GivenBack> absurd = RunUntilGivenBack(coordinator, port, dir, 2, 60, limits, &took);
  std::printf("the 10^12-sample job came back after %.1f s: %s\n", took,
              absurd ? absurd->reason.c_str() : "(not given back)");
  ASSERT_TRUE(absurd.has_value());
  EXPECT_TRUE(absurd->render_failed);
  EXPECT_NE(absurd->reason.find("limit"), std::string::npos) << absurd->reason;
  EXPECT_EQ(coordinator.uploads(), 0);
}

// A ListFlock entry for sequence 1 at `torrent_url`, published with `sha256` and `size`.
v1::ListFlockResponse Flock(const std::string& torrent_url, const std::string& sha256,
                            uint64_t size) {
  v1::ListFlockResponse flock;
  v1::SequenceInfo* s = flock.add_sequences();
  s->set_id(1);
  s->set_kind("loop");
  s->set_state("done");
  s->set_name("hostile");
  s->set_frames_total(30);
  s->set_sha256(sha256);
  s->set_size(size);
  s->set_torrent_url(torrent_url);
  return flock;
}

void StartReceiver(ChildProcess& worker, int grpc_port, const fs::path& dir) {
  EXPECT_TRUE(worker.Start({kWorker, "--coordinator", "127.0.0.1:" + std::to_string(grpc_port),
                            "--data", (dir / "worker").string(), "--no-render", "--no-idle",
                            "--bt-listen", "127.0.0.1:0", "--no-port-mapping"},
                           (dir / "worker.log").string()));
}

// A .torrent of a gigabyte (endless bytes, sent as fast as the worker reads):
// the worker stops reading at its bound, logs the refusal and its memory stays
// small, and it is not fetched again at the next refreshes (before: fetched
// up to the bound at every refresh, 3 s apart).
TEST(HostileCoordinator, AGigabyteTorrentIsRefusedWhileReading) {
  const ScratchDir scratch("hostile_coordinator_huge_torrent");
  const fs::path& dir = scratch.path();
  std::atomic<uint64_t> served{0};
  std::atomic<int> requests{0};
  httplib::Server http;
  const std::string block(1 << 20, 'x');
  http.Get("/sequences/1.torrent", [&](const httplib::Request&, httplib::Response& response) {
    ++requests;
    response.set_content_provider(uint64_t{1} << 30, "application/x-bittorrent",
                                  [&](size_t offset, size_t length, httplib::DataSink& sink) {
                                    const size_t n = std::min(length, block.size());
                                    if (!sink.write(block.data(), n)) return false;
                                    served += n;
                                    (void)offset;
                                    return true;
                                  });
  });
  const int http_port = http.bind_to_any_port("127.0.0.1");
  ASSERT_GT(http_port, 0);
  std::thread serve([&] { http.listen_after_bind(); });
  FakeCoordinator coordinator;
  const int port = coordinator.Start();
  coordinator.set_flock(
      Flock("http://127.0.0.1:" + std::to_string(http_port) + "/sequences/1.torrent",
            std::string(64, 'a'), uint64_t{1} << 30));
  ChildProcess worker;
  StartReceiver(worker, port, dir);
  const bool refused =
      WaitFor([&] { return worker.Log().find("larger than") != std::string::npos; }, 30);
  // A few refreshes more: the refusal is not followed by fetching it all again.
  std::this_thread::sleep_for(std::chrono::seconds(4));
  const int64_t peak_kb = ProcStatusKb(worker.pid(), "VmHWM");
  std::printf("worker peak memory %lld kB; %llu bytes served over %d request(s)\n",
              static_cast<long long>(peak_kb), static_cast<unsigned long long>(served.load()),
              requests.load());
  ::kill(worker.pid(), SIGTERM);
  WaitForExit(worker, 10);
  http.stop();
  serve.join();
  EXPECT_TRUE(refused) << worker.Log();
  EXPECT_GT(peak_kb, 0);
  EXPECT_LT(peak_kb, 200 << 10);  // 200 MB; the gigabyte would not fit
  // Refused once, it is not asked for again at the next refreshes.
  EXPECT_EQ(requests.load(), 1);
  // Each request stops near the bound (1 MiB, plus what the sockets buffer).
  EXPECT_LT(served.load() / static_cast<uint64_t>(requests.load()), uint64_t{16} << 20);
  EXPECT_FALSE(fs::exists(worker::cache::VideoPath(dir / "worker", "1")));
}

// ListFlock names the real torrent (served by a real publisher and its
// seed) but a SHA-256 that is not the video's: the download is discarded
// with a log line naming both digests, and the sequence never enters the
// cache.
TEST(HostileCoordinator, AVideoThatIsNotThePublishedDigestNeverEntersTheCache) {
  const ScratchDir scratch("hostile_coordinator_wrong_sha");
  const fs::path& dir = scratch.path();
  P2pSwarm swarm(dir / "swarm");
  const std::string video = RandomBytes(256 << 10, 11);
  ASSERT_TRUE(swarm.StartCoordinator(video));
  const worker::transfer::OfferedSequence real = swarm.Offer();
  std::string wrong = real.sha256;
  wrong[0] = wrong[0] == '0' ? '1' : '0';
  FakeCoordinator coordinator;
  const int port = coordinator.Start();
  coordinator.set_flock(Flock(real.torrent_url, wrong, real.size));
  ChildProcess worker;
  StartReceiver(worker, port, dir);
  const bool discarded = WaitFor(
      [&] {
        swarm.publisher().Poll();
        return worker.Log().find("DISCARDED 1") != std::string::npos;
      },
      60);
  ::kill(worker.pid(), SIGTERM);
  WaitForExit(worker, 10);
  const std::string log = worker.Log();
  EXPECT_TRUE(discarded) << log;
  EXPECT_NE(log.find(wrong), std::string::npos) << log;
  EXPECT_FALSE(fs::exists(worker::cache::VideoPath(dir / "worker", "1")));
  EXPECT_FALSE(fs::exists(worker::cache::InfoPath(dir / "worker", "1")));
  auto contents = worker::cache::ReadCache(dir / "worker");
  ASSERT_TRUE(contents.ok());
  EXPECT_TRUE(contents->sequences.empty());
}

// A listing of 20,000 finished sequences, each at a torrent URL that answers
// 404: the worker considers only its first kMaxListedSequences per refresh
// (before: it went on to ask for all 20,000 torrents), and one
// of 100,000 (over 8 MB) is refused by the channel's receive bound.
TEST(HostileCoordinator, AHugeFlockListingIsCappedAndAnOversizedOneRefused) {
  const ScratchDir scratch("hostile_coordinator_huge_flock");
  const fs::path& dir = scratch.path();
  std::atomic<int> requests{0};
  std::atomic<int> highest_id{0};  // of the sequences whose torrent was asked for
  httplib::Server http;
  http.Get(R"(/sequences/(\d+)\.torrent)",
           [&](const httplib::Request& request, httplib::Response& response) {
             ++requests;
             const int id = std::atoi(request.matches[1].str().c_str());
             int seen = highest_id.load();
             while (id > seen && !highest_id.compare_exchange_weak(seen, id)) {
             }
             response.status = 404;
           });
  const int http_port = http.bind_to_any_port("127.0.0.1");
  ASSERT_GT(http_port, 0);
  std::thread serve([&] { http.listen_after_bind(); });
  auto listing = [&](int count) {
    v1::ListFlockResponse flock;
    for (int i = 1; i <= count; ++i) {
      v1::SequenceInfo* s = flock.add_sequences();
      s->set_id(i);
      s->set_kind("loop");
      s->set_state("done");
      s->set_name("sequence " + std::to_string(i));
      s->set_frames_total(30);
      s->set_sha256(std::string(64, 'a'));
      s->set_size(1 << 20);
      s->set_torrent_url("http://127.0.0.1:" + std::to_string(http_port) + "/sequences/" +
                         std::to_string(i) + ".torrent");
    }
    return flock;
  };
  FakeCoordinator coordinator;
  const int port = coordinator.Start();
  coordinator.set_flock(listing(20'000));
  ChildProcess worker;
  StartReceiver(worker, port, dir);
  ASSERT_TRUE(WaitFor([&] { return requests.load() > 0; }, 30)) << worker.Log();
  // Two refreshes (3 s apart) and change.
  std::this_thread::sleep_for(std::chrono::seconds(7));
  const int after_two_refreshes = requests.load();
  coordinator.set_flock(listing(100'000));
  const bool refused =
      WaitFor([&] { return worker.Log().find("larger than max") != std::string::npos; }, 15);
  ::kill(worker.pid(), SIGTERM);
  WaitForExit(worker, 10);
  http.stop();
  serve.join();
  std::printf("%d torrent requests in the first 7 s, up to sequence %d\n", after_two_refreshes,
              highest_id.load());
  EXPECT_LE(highest_id.load(), worker::transfer::kMaxListedSequences);
  EXPECT_NE(worker.Log().find("considering the first"), std::string::npos) << worker.Log();
  EXPECT_TRUE(refused) << worker.Log();
}

}  // namespace
}  // namespace flamegrid::testing
