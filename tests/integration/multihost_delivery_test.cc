// Delivery across separate hosts: the coordinator, a rendering worker and
// eight participants each in a network namespace of its own, joined by a
// bridge in a closed test subnet (tests/integration/netns.h; no route out).
// The coordinator's HTTP port is far from its gRPC port, and the participants
// are given nothing but --coordinator ADDR:PORT: discovery, the tracker, the
// peer connections between hosts and the web seed backstop are all real.
// Participants arrive over time, as they do on a grid; each must end with a
// verified, byte-identical copy, and the coordinator must not have sent much
// more than one copy (printed as a multiple of the file).
//
// Skipped, with the reason, where namespaces cannot be made (not root, no
// iproute2). Bounded: about a minute.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "proto/shared/digest.h"
#include "tests/integration/netns.h"
#include "tests/integration/process.h"
#include "worker/cache/sequence_cache.h"

namespace flamegrid {
namespace {

namespace fs = std::filesystem;
using testing::ChildProcess;
using testing::NetnsLab;
using testing::ReadAll;
using testing::WaitFor;

const std::string kCoordinator =
    std::string(FLAMEGRID_BINARY_DIR) + "/coordinator/flamegrid-coordinator";
const std::string kWorker = std::string(FLAMEGRID_BINARY_DIR) + "/worker/flamegrid-worker";
const std::string kFakeGenome = R"(<flame name="multihost loop" size="64 48" scale="20"></flame>)";

constexpr int kParticipants = 8;
constexpr int kCoordinatorHost = 0;
constexpr int kRendererHost = 1;
constexpr int kFirstParticipantHost = 2;
constexpr int kGrpcPort = 7400;
constexpr int kHttpPort = 17400;  // far from the gRPC port: found by discovery, not by guess
constexpr int kArrivalMs = 2500;  // one participant joins every 2.5 s

// One sequence's fields from `status --json` (the JSON is flat per sequence).
struct PublishedSequence {
  std::string state, video_path, sha256;
  uint64_t size = 0, seed_bytes_uploaded = 0;
};

std::optional<PublishedSequence> FindSequence(const std::string& json, long long id) {
  const std::string start = "{\"id\":" + std::to_string(id) + ",";
  const size_t at = json.find(start);
  if (at == std::string::npos) return std::nullopt;
  const size_t end = json.find("\"parents\"", at);
  const std::string object = json.substr(at, end == std::string::npos ? end : end - at);
  auto text = [&](const std::string& key) {
    std::smatch m;
    if (std::regex_search(object, m, std::regex("\"" + key + "\":\"([^\"]*)\""))) return m[1].str();
    return std::string();
  };
  auto number = [&](const std::string& key) -> uint64_t {
    std::smatch m;
    if (std::regex_search(object, m, std::regex("\"" + key + "\":([0-9]+)"))) {
      return std::stoull(m[1].str());
    }
    return 0;
  };
  return PublishedSequence{text("state"), text("video_path"), text("sha256"), number("size"),
                           number("seed_bytes_uploaded")};
}

class MultiHostDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string why = testing::NetnsUnavailableReason();
    if (!why.empty()) GTEST_SKIP() << "no separate hosts here: " << why;
    char pattern[] = "/tmp/flamegrid-multihost-test.XXXXXX";
    dir_ = mkdtemp(pattern);
    lab_ = std::make_unique<NetnsLab>(kFirstParticipantHost + kParticipants, 70 + getpid() % 100);
    std::string error;
    ASSERT_TRUE(lab_->Create(&error)) << error;
    coordinator_ = lab_->Address(kCoordinatorHost) + ":" + std::to_string(kGrpcPort);
  }

  void TearDown() override {
    processes_.clear();  // SIGKILLs and reaps whatever still runs
    if (lab_) lab_->Destroy();
    if (dir_.empty()) return;
    if (HasFailure()) testing::PrintLogTails(dir_, 3000);
    fs::remove_all(dir_);
  }

  ChildProcess* Start(int host, const std::string& name, const std::vector<std::string>& argv) {
    processes_.push_back(std::make_unique<ChildProcess>());
    EXPECT_TRUE(processes_.back()->Start(lab_->Command(host, argv), dir_ + "/" + name + ".log"));
    return processes_.back().get();
  }

  // Runs an operator's command on the coordinator's host; returns its stdout.
  std::string Operator(const std::string& arguments) {
    const std::string out = dir_ + "/operator.out";
    lab_->Shell(kCoordinatorHost, kCoordinator + " " + arguments + " --coordinator " +
                                      coordinator_ + " --token-file " + dir_ +
                                      "/coordinator/admin.token > " + out);
    return ReadAll(out);
  }

  std::string dir_, coordinator_;
  std::unique_ptr<NetnsLab> lab_;
  std::vector<std::unique_ptr<ChildProcess>> processes_;
};

TEST_F(MultiHostDeliveryTest, ParticipantsArrivingOverTimeShareTheLoopAcrossHosts) {
  const std::string address = lab_->Address(kCoordinatorHost);
  ChildProcess* coordinator =
      Start(kCoordinatorHost, "coordinator",
            {kCoordinator, "serve", "--listen", coordinator_, "--http",
             address + ":" + std::to_string(kHttpPort), "--public-http",
             address + ":" + std::to_string(kHttpPort), "--data", dir_ + "/coordinator",
             "--fake-render", "--video-preset", "ultrafast", "--tracker-interval", "2",
             "--replica-wait-seconds", "0.5", "--flock-upkeep", "off"});
  ASSERT_TRUE(WaitFor(
      [&] { return coordinator->Log().find("coordinator serving") != std::string::npos; }, 20));
  ASSERT_TRUE(WaitFor([&] { return fs::exists(dir_ + "/coordinator/admin.token"); }, 10));

  // A loop of a few hundred KB, rendered by one worker on a host of its own
  // that takes no part in delivery (--no-transfer) and leaves once done.
  std::ofstream(dir_ + "/loop.flam3") << kFakeGenome;
  const std::string submitted =
      Operator("submit " + dir_ + "/loop.flam3 --frames 24 --size 480x360 --quality 10 --crf 8");
  long long id = 0;
  ASSERT_EQ(std::sscanf(submitted.substr(submitted.find('\n') + 1).c_str(), "%lld", &id), 1)
      << submitted;
  ChildProcess* renderer =
      Start(kRendererHost, "renderer",
            {kWorker, "--coordinator", coordinator_, "--data", dir_ + "/renderer", "--threads", "1",
             "--name", "renderer", "--fake-render", "--no-idle", "--no-transfer"});
  std::optional<PublishedSequence> published;
  ASSERT_TRUE(WaitFor(
      [&] {
        published = FindSequence(Operator("status --json"), id);
        return published && published->state == "done" && published->sha256.size() == 64;
      },
      45))
      << "the loop was not rendered and published";
  renderer->Kill(SIGTERM);
  const std::string video = ReadAll(published->video_path);
  ASSERT_EQ(video.size(), published->size);
  ASSERT_EQ(Sha256Hex(video), published->sha256);

  // Participants join one by one, knowing only the coordinator's gRPC address.
  const std::string sid = std::to_string(id);
  for (int i = 0; i < kParticipants; ++i) {
    const std::string name = "participant" + std::to_string(i);
    Start(kFirstParticipantHost + i, name,
          {kWorker, "--coordinator", coordinator_, "--data", dir_ + "/" + name, "--name", name,
           "--no-render", "--no-idle", "--no-port-mapping"});
    std::this_thread::sleep_for(std::chrono::milliseconds(kArrivalMs));
  }
  for (int i = 0; i < kParticipants; ++i) {
    const fs::path data = dir_ + "/participant" + std::to_string(i);
    ASSERT_TRUE(WaitFor([&] { return fs::exists(worker::cache::InfoPath(data, sid)); }, 40))
        << "participant " << i << " has no copy";
    const std::string copy = ReadAll(worker::cache::VideoPath(data, sid));
    EXPECT_EQ(copy.size(), video.size()) << "participant " << i;
    EXPECT_EQ(Sha256Hex(copy), published->sha256) << "participant " << i;
  }

  // What the coordinator paid: BitTorrent and web seed bytes for the loop.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // a last Poll of the counters
  published = FindSequence(Operator("status --json"), id);
  ASSERT_TRUE(published);
  const double copies =
      static_cast<double>(published->seed_bytes_uploaded) / static_cast<double>(video.size());
  std::printf("coordinator sent %llu bytes for a %zu-byte loop: %.2fx the file, %d participants\n",
              static_cast<unsigned long long>(published->seed_bytes_uploaded), video.size(), copies,
              kParticipants);
  RecordProperty("coordinator_copies", std::to_string(copies));
  EXPECT_GE(copies, 0.9);  // someone had to send the first copy
  EXPECT_LT(copies, 4.0);  // a plain server would send 8

  for (auto& p : processes_) {
    const int status = p->Kill(SIGTERM);
    if (status != -1) {
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    }
  }
}

}  // namespace
}  // namespace flamegrid
