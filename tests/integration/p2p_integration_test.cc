// Multi-process test of peer-assisted delivery on 127.0.0.1: one coordinator
// (synthetic renders), one rendering worker, and participants started with
// --no-render; every participant ends with a byte-identical copy of the
// sequence in its cache, fetched over BitTorrent (coordinator/publish,
// worker/transfer). A standard client's view is checked too: the .torrent
// names the tracker and the web seed on the coordinator's HTTP port.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <libtorrent/torrent_info.hpp>

#include <filesystem>
#include <memory>
#include <optional>

#include "flamegrid/v1/grid.grpc.pb.h"
#include "proto/support/digest.h"
#include "tests/integration/process.h"
#include "worker/cache/sequence_cache.h"

namespace flamegrid {
namespace {

namespace fs = std::filesystem;
using testing::ChildProcess;
using testing::FreePort;
using testing::WaitFor;

const std::string kCoordinator =
    std::string(FLAMEGRID_BINARY_DIR) + "/coordinator/flamegrid-coordinator";
const std::string kWorker = std::string(FLAMEGRID_BINARY_DIR) + "/worker/flamegrid-worker";
const std::string kFakeGenome = R"(<flame name="p2p loop" size="64 48" scale="20"></flame>)";

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

class P2pTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/flamegrid-p2p-test.XXXXXX";
    dir_ = mkdtemp(pattern);
    grpc_port_ = FreePort();
    http_port_ = FreePort();
    while (http_port_ == grpc_port_) http_port_ = FreePort();
    address_ = "127.0.0.1:" + std::to_string(grpc_port_);
    http_ = "127.0.0.1:" + std::to_string(http_port_);
    admin_ = v1::Admin::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    processes_.clear();  // SIGKILLs and reaps whatever still runs
    if (HasFailure()) {
      for (const auto& entry : fs::directory_iterator(dir_)) {
        if (entry.path().extension() != ".log") continue;
        std::string log = ReadAll(entry.path());
        if (log.size() > 4000) log = "..." + log.substr(log.size() - 4000);
        std::fprintf(stderr, "==== %s\n%s\n", entry.path().c_str(), log.c_str());
      }
    }
    fs::remove_all(dir_);
  }

  ChildProcess* Start(const std::string& name, const std::vector<std::string>& argv) {
    processes_.push_back(std::make_unique<ChildProcess>());
    EXPECT_TRUE(processes_.back()->Start(argv, dir_ + "/" + name + ".log"));
    return processes_.back().get();
  }

  std::string AdminToken() {
    std::ifstream in(dir_ + "/coordinator/admin.token");
    std::string token;
    in >> token;
    return token;
  }

  std::optional<v1::SequenceInfo> Sequence(int64_t id) {
    v1::StatusRequest request;
    request.set_admin_token(AdminToken());
    v1::StatusResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    if (!admin_->Status(&context, request, &response).ok()) return std::nullopt;
    for (const auto& s : response.sequences()) {
      if (s.id() == id) return s;
    }
    return std::nullopt;
  }

  std::string dir_, address_, http_;
  int grpc_port_ = 0, http_port_ = 0;
  std::unique_ptr<v1::Admin::Stub> admin_;
  std::vector<std::unique_ptr<ChildProcess>> processes_;
};

TEST_F(P2pTest, EveryParticipantEndsWithAByteIdenticalCopy) {
  ChildProcess* coordinator =
      Start("coordinator", {kCoordinator, "serve", "--listen", address_, "--http", http_, "--data",
                            dir_ + "/coordinator", "--fake-render", "--video-preset", "ultrafast",
                            "--tracker-interval", "2", "--replica-wait-seconds", "0.5"});
  ASSERT_TRUE(WaitFor(
      [&] { return coordinator->Log().find("coordinator serving") != std::string::npos; }, 20));
  ASSERT_TRUE(WaitFor([&] { return fs::exists(dir_ + "/coordinator/admin.token"); }, 10));

  v1::SubmitRequest submit;
  submit.set_admin_token(AdminToken());
  submit.set_genome_xml(kFakeGenome);
  submit.set_frames(8);
  submit.set_width(160);
  submit.set_height(120);
  submit.set_quality(10);
  v1::SubmitResponse submitted;
  grpc::ClientContext context;
  context.set_wait_for_ready(true);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  ASSERT_TRUE(admin_->Submit(&context, submit, &submitted).ok());
  const int64_t id = submitted.sequence_id();

  // One worker renders (and later shares); three participants only receive and share.
  Start("renderer",
        {kWorker, "--coordinator", address_, "--coordinator-http", http_, "--data",
         dir_ + "/renderer", "--threads", "1", "--name", "renderer", "--fake-render", "--no-idle"});
  const int kParticipants = 3;
  for (int i = 0; i < kParticipants; ++i) {
    const std::string name = "participant" + std::to_string(i);
    Start(name, {kWorker, "--coordinator", address_, "--coordinator-http", http_, "--data",
                 dir_ + "/" + name, "--name", name, "--no-render", "--no-idle"});
  }
  std::optional<v1::SequenceInfo> done;
  ASSERT_TRUE(WaitFor(
      [&] {
        done = Sequence(id);
        return done && done->state() == "done";
      },
      90));
  const std::string video = ReadAll(done->video_path());
  ASSERT_GT(video.size(), 1000u);

  // A standard client needs nothing but the .torrent: tracker and web seed in it.
  httplib::Client http("127.0.0.1", http_port_);
  std::optional<std::string> torrent;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto res = http.Get("/sequences/" + std::to_string(id) + ".torrent");
        if (res && res->status == 200) torrent = res->body;
        return torrent.has_value();
      },
      20));
  lt::error_code ec;
  lt::torrent_info info(*torrent, ec, lt::from_span);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(info.total_size(), static_cast<int64_t>(video.size()));
  ASSERT_EQ(info.trackers().size(), 1u);
  EXPECT_EQ(info.trackers()[0].url, "http://" + http_ + "/announce");
  ASSERT_EQ(info.web_seeds().size(), 1u);
  auto web = http.Get("/sequences/" + std::to_string(id) + ".mp4");
  ASSERT_TRUE(web);
  EXPECT_EQ(web->body, video);

  const std::string sid = std::to_string(id);
  for (int i = 0; i < kParticipants; ++i) {
    const fs::path data = dir_ + "/participant" + std::to_string(i);
    ASSERT_TRUE(WaitFor([&] { return fs::exists(cache::InfoPath(data, sid)); }, 60))
        << "participant " << i;
    EXPECT_EQ(ReadAll(cache::VideoPath(data, sid)), video) << "participant " << i;
    auto contents = cache::ReadCache(data);
    ASSERT_TRUE(contents.ok());
    ASSERT_EQ(contents->sequences.size(), 1u);
    EXPECT_EQ(contents->sequences[0].name, "p2p loop");
  }
  // status --json: the video's digest and size, and what the coordinator sent
  // for it (here at least the whole-file web seed GET above).
  std::optional<v1::SequenceInfo> published;
  ASSERT_TRUE(WaitFor(
      [&] {
        published = Sequence(id);
        return published && published->seed_bytes_uploaded() >= video.size();
      },
      10));
  EXPECT_EQ(published->sha256(), Sha256Hex(video));
  EXPECT_EQ(published->size(), video.size());
  const std::string command = kCoordinator + " status --json --coordinator " + address_ +
                              " --token-file " + dir_ + "/coordinator/admin.token > " + dir_ +
                              "/status.json";
  ASSERT_EQ(std::system(command.c_str()), 0);
  const std::string json = ReadAll(dir_ + "/status.json");
  EXPECT_NE(json.find("\"sha256\":\"" + Sha256Hex(video) + "\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"size\":" + std::to_string(video.size())), std::string::npos) << json;
  EXPECT_NE(json.find("\"seed_bytes_uploaded\":"), std::string::npos) << json;

  // Participants shut down cleanly on SIGTERM.
  for (auto& p : processes_) {
    const int status = p->Kill(SIGTERM);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
}

}  // namespace
}  // namespace flamegrid
