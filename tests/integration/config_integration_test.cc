// Multi-process tests of `flamegrid-coordinator serve --config FILE` on
// 127.0.0.1: a coordinator started from a config file alone, with an empty
// data folder, bootstraps its own flock with a random genome (real preview
// check, real renders) that a worker renders; submissions without
// --frames/--size/--quality take the file's [flock] profile; flags override
// the file; bad files are refused with exit 2 before anything starts.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "flamegrid/v1/grid.grpc.pb.h"
#include "tests/integration/grid_rpc.h"
#include "tests/integration/process.h"
#include "tests/renderer/run_command.h"

namespace flamegrid {
namespace {

namespace fs = std::filesystem;
using testing::ChildProcess;
using testing::FreePort;
using testing::WaitFor;

using testing::kCoordinator;
using testing::kWorker;
const std::string kSheep = std::string(FLAMEGRID_SHEEP_GENOMES) + "/electricsheep.244.00216.flam3";

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/flamegrid-config-test.XXXXXX";
    dir_ = mkdtemp(pattern);
    grpc_port_ = FreePort();
    http_port_ = FreePort();
    while (http_port_ == grpc_port_) http_port_ = FreePort();
    address_ = "127.0.0.1:" + std::to_string(grpc_port_);
  }

  void TearDown() override {
    worker_.reset();
    coordinator_.reset();
    if (HasFailure()) testing::PrintLogTails(dir_);
    fs::remove_all(dir_);
  }

  std::string data() const { return dir_ + "/coordinator"; }

  // A config naming everything the coordinator needs, with a small profile:
  // 4 frames of 64x48 at quality 200 (enough for the coordinator's quarter-size
  // reference render to agree with the worker's), one bootstrap loop.
  std::string WriteConfig(const std::string& listen, const std::string& extra = "") {
    const std::string path = dir_ + "/coordinator.toml";
    std::ofstream(path) << "listen = \"" << listen << "\"\n"
                        << "http = \"127.0.0.1:" << http_port_ << "\"\n"
                        << "data = \"" << data() << "\"\n"
                        << "lease_seconds = 10\n"
                        << "replica_wait_seconds = 1\n"
                        << "video_preset = \"ultrafast\"\n"
                        << "preview_check = true\n"
                        << extra << "\n"
                        << "[flock]\n"
                        << "frames = 4\n"
                        << "size = \"64x48\"\n"
                        << "quality = 200\n"
                        << "fps = 10\n"
                        << "bootstrap_loops = 1\n";
    return path;
  }

  void StartCoordinator(const std::vector<std::string>& argv) {
    coordinator_ = std::make_unique<ChildProcess>();
    ASSERT_TRUE(coordinator_->Start(argv, dir_ + "/coordinator.log"));
    ASSERT_TRUE(WaitFor(
        [&] { return coordinator_->Log().find("coordinator serving") != std::string::npos; }, 30))
        << coordinator_->Log();
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 300);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
    admin_ = v1::Admin::NewStub(
        grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), args));
  }

  std::string AdminToken() { return testing::ReadAdminToken(data()); }

  std::optional<v1::StatusResponse> Status() { return testing::AdminStatus(*admin_, data()); }

  std::string dir_, address_;
  int grpc_port_ = 0, http_port_ = 0;
  std::unique_ptr<ChildProcess> coordinator_, worker_;
  std::unique_ptr<v1::Admin::Stub> admin_;
};

TEST_F(ConfigTest, AFreshCoordinatorFromAConfigFileAloneMakesSheepWithNobodySubmitting) {
  StartCoordinator({kCoordinator, "serve", "--config", WriteConfig(address_)});
  // The empty flock was seeded with one random loop of the file's profile.
  std::optional<v1::SequenceInfo> loop;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto status = Status();
        if (!status) return false;
        for (const auto& s : status->sequences()) {
          if (s.kind() == "loop") loop = s;
        }
        return loop.has_value();
      },
      20))
      << coordinator_->Log();
  EXPECT_EQ(loop->frames_total(), 4);
  EXPECT_EQ(loop->width(), 64);
  EXPECT_EQ(loop->height(), 48);
  EXPECT_NE(coordinator_->Log().find("bootstrapped from a random genome"), std::string::npos);

  // A volunteer renders its frames with the real renderer.
  worker_ = std::make_unique<ChildProcess>();
  ASSERT_TRUE(worker_->Start({kWorker, "--coordinator", address_, "--data", dir_ + "/worker",
                              "--threads", "1", "--name", "volunteer", "--no-idle"},
                             dir_ + "/worker.log"));
  ASSERT_TRUE(WaitFor(
      [&] {
        auto status = Status();
        if (!status) return false;
        for (const auto& s : status->sequences()) {
          if (s.id() == loop->id() && s.frames_done() >= 1) return true;
        }
        return false;
      },
      60));

  // A submission that leaves frames, size and quality out takes the profile.
  CommandOutput run = RunCommand(kCoordinator + " submit --coordinator " + address_ +
                                 " --token-file " + data() + "/admin.token " + kSheep + " 2>&1");
  ASSERT_EQ(run.exit_code, 0) << run.text;
  const int64_t id =
      std::stoll(run.text.substr(run.text.find_last_of('\n', run.text.size() - 2) + 1));
  auto status = Status();
  ASSERT_TRUE(status);
  bool found = false;
  for (const auto& s : status->sequences()) {
    if (s.id() != id) continue;
    found = true;
    EXPECT_EQ(s.frames_total(), 4);
    EXPECT_EQ(s.width(), 64);
    EXPECT_EQ(s.height(), 48);
  }
  EXPECT_TRUE(found) << run.text;
}

TEST_F(ConfigTest, FlagsGivenOnTheCommandLineOverrideTheFile) {
  // The file names a port nobody listens on; --listen on the command line wins.
  const int unused = FreePort();
  StartCoordinator({kCoordinator, "serve", "--config",
                    WriteConfig("127.0.0.1:" + std::to_string(unused)), "--listen", address_});
  EXPECT_NE(coordinator_->Log().find("serving gRPC on " + address_), std::string::npos)
      << coordinator_->Log();
  EXPECT_TRUE(Status().has_value());
}

TEST_F(ConfigTest, BadConfigFilesAreRefusedBeforeAnythingStarts) {
  const std::string bad = dir_ + "/bad.toml";
  std::ofstream(bad) << "data = \"" << data() << "\"\nlease_seconds = \"soon\"\n";
  CommandOutput run = RunCommand(kCoordinator + " serve --config " + bad + " 2>&1");
  EXPECT_EQ(run.exit_code, 2) << run.text;
  EXPECT_NE(run.text.find(bad + ":2:17: lease_seconds: must be a number"), std::string::npos)
      << run.text;
  EXPECT_FALSE(fs::exists(data())) << "nothing may start on a bad config";

  std::ofstream(bad) << "listen = \"127.0.0.1:1\"\n[flock]\nsize = \"640by480\"\n";
  run = RunCommand(kCoordinator + " serve --config " + bad + " 2>&1");
  EXPECT_EQ(run.exit_code, 2) << run.text;
  EXPECT_NE(run.text.find("flock.size"), std::string::npos) << run.text;

  std::ofstream(bad) << "listen = \"127.0.0.1:1\"\nbogus_key = 1\n";
  run = RunCommand(kCoordinator + " serve --config " + bad + " 2>&1");
  EXPECT_EQ(run.exit_code, 2) << run.text;
  EXPECT_NE(run.text.find(":2:1: bogus_key: unknown key"), std::string::npos) << run.text;

  std::ofstream(bad) << "listen = \"127.0.0.1:1\n";  // unterminated string
  run = RunCommand(kCoordinator + " serve --config " + bad + " 2>&1");
  EXPECT_EQ(run.exit_code, 2) << run.text;
  EXPECT_NE(run.text.find(bad + ":1:"), std::string::npos) << run.text;

  run = RunCommand(kCoordinator + " serve --config " + dir_ + "/missing.toml 2>&1");
  EXPECT_EQ(run.exit_code, 2) << run.text;
  EXPECT_NE(run.text.find("cannot read config " + dir_ + "/missing.toml"), std::string::npos)
      << run.text;

  // Command-line values are checked the same way.
  run = RunCommand(kCoordinator + " serve --data " + data() + " --lease-seconds ten 2>&1");
  EXPECT_EQ(run.exit_code, 2) << run.text;
  EXPECT_NE(run.text.find("--lease-seconds: must be a number"), std::string::npos) << run.text;
  EXPECT_FALSE(fs::exists(data()));
}

}  // namespace
}  // namespace flamegrid
