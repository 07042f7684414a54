// The Coordinator as one object (coordinator/service/coordinator.h): opened
// on a temporary folder with ports 0 it answers gRPC and HTTP; it refuses a
// data folder it cannot create and an address it cannot bind with a Status
// and no threads left behind; a loop rendered by an in-process client ends
// as a finished and then a published event; Stop is idempotent and ends
// Serve. Everything listens on 127.0.0.1.
#include "coordinator/service/coordinator.h"

#include <gmock/gmock.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <string>
#include <vector>

#include "flamegrid/v1/grid.grpc.pb.h"
#include "proto/shared/frame_renderer.h"
#include "proto/shared/job_wire.h"
#include "renderer/image/image_io.h"
#include "tests/integration/grid_rpc.h"
#include "tests/integration/process.h"
#include "tests/proto/shared/faulty_env.h"

namespace flamegrid::coordinator {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// The threads of this process (each is an entry of /proc/self/task).
size_t ThreadCount() {
  size_t n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator("/proc/self/task")) ++n;
  return n;
}

class CoordinatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/flamegrid-coordinator-test.XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Fake renders, no preview check, no replicas, free ports on 127.0.0.1.
  CoordinatorOptions Options() {
    CoordinatorOptions options;
    options.data_dir = dir_ + "/data";
    options.grpc_listen = {"127.0.0.1", 0};
    options.http_listen = {"127.0.0.1", 0};
    options.bt_listen = "127.0.0.1:0";
    options.fake_render = true;
    options.preview_check = false;
    options.flock_upkeep = false;
    options.scheduler.validation.new_worker_replicas = 0;
    options.scheduler.video_preset = "ultrafast";
    return options;
  }

  static std::shared_ptr<grpc::Channel> Channel(const Coordinator& coordinator) {
    return grpc::CreateChannel("127.0.0.1:" + std::to_string(coordinator.grpc_port()),
                               grpc::InsecureChannelCredentials());
  }

  std::string dir_;
};

TEST_F(CoordinatorTest, OpensOnFreePortsAndAnswersGrpcAndHttp) {
  auto coordinator = Coordinator::Open(Options());
  ASSERT_TRUE(coordinator.ok()) << coordinator.status().ToString();
  Coordinator& c = **coordinator;
  EXPECT_GT(c.grpc_port(), 0);
  EXPECT_GT(c.http_port(), 0);
  EXPECT_GT(c.bt_port(), 0);
  EXPECT_EQ(c.http_base(), "http://127.0.0.1:" + std::to_string(c.http_port()));
  EXPECT_EQ(c.database_path(), dir_ + "/data/grid.db");
  EXPECT_TRUE(fs::exists(c.database_path()));
  EXPECT_EQ(c.admin_token_path(), dir_ + "/data/admin.token");
  EXPECT_FALSE(c.admin_token().empty());
  EXPECT_EQ(testing::ReadAdminToken(c.data_dir()), c.admin_token());

  auto admin = v1::Admin::NewStub(Channel(c));
  auto status = testing::AdminStatus(*admin, c.data_dir());
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->sequences_size(), 0);

  httplib::Client http("127.0.0.1", c.http_port());
  auto health = http.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(health->body, "ok\n");
  auto metrics = http.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
}

TEST_F(CoordinatorTest, RefusesADataDirItCannotCreate) {
  std::ofstream(dir_ + "/file") << "a regular file\n";
  CoordinatorOptions options = Options();
  options.data_dir = dir_ + "/file/data";
  const size_t threads = ThreadCount();
  auto coordinator = Coordinator::Open(options);
  ASSERT_FALSE(coordinator.ok());
  EXPECT_EQ(coordinator.status().code(), StatusCode::kIoError);
  EXPECT_THAT(coordinator.status().message(), HasSubstr(dir_ + "/file/data"));
  EXPECT_THAT(coordinator.status().message(), HasSubstr("Not a directory"));
  EXPECT_EQ(ThreadCount(), threads);
}

// Files go through the Env in the options: a refusal there is Open's.
TEST_F(CoordinatorTest, OpensItsFilesThroughTheGivenEnv) {
  testing::FaultyEnv env;
  env.Fail(testing::FaultyEnv::Op::kCreateDirectories, testing::FaultyEnv::DiskFull());
  CoordinatorOptions options = Options();
  options.env = &env;
  auto coordinator = Coordinator::Open(options);
  ASSERT_FALSE(coordinator.ok());
  EXPECT_EQ(coordinator.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(coordinator.status().message(), HasSubstr("injected: no space left on device"));
  EXPECT_FALSE(fs::exists(options.data_dir));
}

// A port some other socket holds on 127.0.0.1 (without SO_REUSEPORT, so
// gRPC, which sets it, cannot share it either).
class HeldPort {
 public:
  HeldPort() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(fd_, reinterpret_cast<sockaddr*>(&address), length) == 0 && listen(fd_, 1) == 0 &&
        getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
      port_ = ntohs(address.sin_port);
    }
  }
  ~HeldPort() { close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

TEST_F(CoordinatorTest, RefusesAnAddressItCannotBindAndLeavesNoThreads) {
  HeldPort held;
  ASSERT_GT(held.port(), 0);
  // gRPC keeps process-wide threads once it has started; one coordinator
  // opened and stopped first makes the count below about ours alone.
  { ASSERT_TRUE(Coordinator::Open(Options()).ok()); }
  fs::remove_all(dir_ + "/data");
  const size_t threads = ThreadCount();

  // The gRPC address is taken: the HTTP side, the store and the publisher
  // had started and are stopped again.
  CoordinatorOptions options = Options();
  options.grpc_listen = {"127.0.0.1", held.port()};
  auto coordinator = Coordinator::Open(options);
  ASSERT_FALSE(coordinator.ok());
  EXPECT_EQ(coordinator.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(coordinator.status().message(),
              HasSubstr("cannot listen on 127.0.0.1:" + std::to_string(held.port())));
  EXPECT_EQ(ThreadCount(), threads);

  // The HTTP address is taken.
  options = Options();
  options.http_listen = {"127.0.0.1", held.port()};
  coordinator = Coordinator::Open(options);
  ASSERT_FALSE(coordinator.ok());
  EXPECT_EQ(coordinator.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(coordinator.status().message(),
              HasSubstr("cannot listen for HTTP on 127.0.0.1:" + std::to_string(held.port())));
  EXPECT_EQ(ThreadCount(), threads);
}

TEST_F(CoordinatorTest, ARenderedLoopIsFinishedThenPublished) {
  auto opened = Coordinator::Open(Options());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Coordinator& c = **opened;
  auto channel = Channel(c);
  auto admin = v1::Admin::NewStub(channel);
  auto workers = v1::Grid::NewStub(channel);
  constexpr int kFrames = 3;
  const int64_t id = testing::SubmitLoop(*admin, c.data_dir(),
                                         R"(<flame name="tiny" size="32 24" scale="20"></flame>)",
                                         kFrames, 32, 24);
  ASSERT_GT(id, 0);

  // An in-process worker: lease each frame, render it as the fake renderer
  // does, upload it.
  const v1::WorkerCredentials worker = testing::RegisterWorker(*workers, "in-process");
  auto renderer = MakeSyntheticFrameRenderer();
  for (int i = 0; i < kFrames; ++i) {
    const v1::FrameJob job = testing::LeaseJob(*workers, worker);
    ASSERT_EQ(job.sequence_id(), id);
    Result<FrameJob> received = JobFromWire(job);
    ASSERT_TRUE(received.ok()) << received.status().ToString();
    auto image = renderer->RenderFrame(*received, {});
    ASSERT_TRUE(image.ok()) << image.status().ToString();
    auto png = EncodeImage(*image, "png", {});
    ASSERT_TRUE(png.ok());
    grpc::Status uploaded = testing::UploadFrame(*workers, worker, job, *png);
    ASSERT_TRUE(uploaded.ok()) << uploaded.error_message();
  }

  // Assembled, then published: two events, in that order, and nothing else.
  std::vector<SequenceEvent> events;
  ASSERT_TRUE(testing::WaitFor(
      [&] {
        for (SequenceEvent& event : c.PollEvents()) events.push_back(std::move(event));
        return !events.empty() && events.back().kind == SequenceEventKind::kPublished;
      },
      60));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].kind, SequenceEventKind::kFinished);
  EXPECT_EQ(events[0].sequence_id, id);
  EXPECT_TRUE(fs::exists(events[0].video_path)) << events[0].video_path;
  EXPECT_EQ(events[1].kind, SequenceEventKind::kPublished);
  EXPECT_EQ(events[1].sequence_id, id);
  EXPECT_EQ(events[1].video_path, events[0].video_path);
  EXPECT_EQ(events[1].detail.size(), 64u);  // the video's SHA-256
  EXPECT_TRUE(c.PollEvents().empty());

  httplib::Client http("127.0.0.1", c.http_port());
  auto torrent = http.Get("/sequences/" + std::to_string(id) + ".torrent");
  ASSERT_TRUE(torrent);
  EXPECT_EQ(torrent->status, 200);
}

TEST_F(CoordinatorTest, StopEndsServeAndMayBeCalledTwice) {
  auto opened = Coordinator::Open(Options());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Coordinator& c = **opened;
  const int http_port = c.http_port();
  auto served = std::async(std::launch::async, [&c] { c.Serve(); });
  EXPECT_EQ(served.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  c.Stop();
  c.Stop();
  ASSERT_EQ(served.wait_for(std::chrono::seconds(30)), std::future_status::ready);
  c.Serve();  // returns at once once stopped
  httplib::Client http("127.0.0.1", http_port);
  EXPECT_FALSE(http.Get("/healthz"));
  auto admin = v1::Admin::NewStub(Channel(c));
  v1::StatusRequest request;
  v1::StatusResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  EXPECT_EQ(admin->Status(&context, request, &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

}  // namespace
}  // namespace flamegrid::coordinator
