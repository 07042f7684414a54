// Multi-process test of peer-assisted delivery on 127.0.0.1: one coordinator
// (synthetic renders), one rendering worker, and participants started with
// --no-render; every participant ends with a byte-identical copy of the
// sequence in its cache, fetched over BitTorrent (coordinator/publish,
// worker/transfer). Participants are given only --coordinator: the
// coordinator, whose HTTP port is unrelated to its gRPC port, tells them
// where the torrents are. A standard client's view is checked too: the
// .torrent names the tracker and the web seed on the coordinator's HTTP port.
// And a tampered .torrent (other bytes than the published SHA-256) is
// discarded, with the reason in the participant's log.
//
// Every process binds 127.0.0.1 and runs with --no-port-mapping: nothing
// leaves the machine.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <libtorrent/bencode.hpp>
#include <libtorrent/create_torrent.hpp>
#include <libtorrent/torrent_info.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include "flamegrid/v1/grid.grpc.pb.h"
#include "proto/shared/digest.h"
#include "tests/integration/grid_rpc.h"
#include "tests/integration/process.h"
#include "worker/cache/sequence_cache.h"

namespace flamegrid {
namespace {

namespace fs = std::filesystem;
using testing::ChildProcess;
using testing::FreePort;
using testing::ReadAll;
using testing::WaitFor;

using testing::kCoordinator;
using testing::kWorker;
const std::string kFakeGenome = R"(<flame name="p2p loop" size="64 48" scale="20"></flame>)";

class P2pTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/flamegrid-p2p-test.XXXXXX";
    dir_ = mkdtemp(pattern);
    grpc_port_ = FreePort();
    http_port_ = FreePort();
    // Chosen independently: nothing may assume HTTP is gRPC's port plus one.
    while (http_port_ == grpc_port_ || http_port_ == grpc_port_ + 1) http_port_ = FreePort();
    address_ = "127.0.0.1:" + std::to_string(grpc_port_);
    http_ = "127.0.0.1:" + std::to_string(http_port_);
    admin_ = v1::Admin::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    processes_.clear();  // SIGKILLs and reaps whatever still runs
    if (HasFailure()) testing::PrintLogTails(dir_, 4000);
    fs::remove_all(dir_);
  }

  ChildProcess* Start(const std::string& name, const std::vector<std::string>& argv) {
    processes_.push_back(std::make_unique<ChildProcess>());
    EXPECT_TRUE(processes_.back()->Start(argv, dir_ + "/" + name + ".log"));
    return processes_.back().get();
  }

  std::string AdminToken() { return testing::ReadAdminToken(dir_ + "/coordinator"); }

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

  // Loopback only and no UPnP / NAT-PMP: tests send nothing off the machine.
  std::vector<std::string> Participant(const std::string& name, std::vector<std::string> extra) {
    std::vector<std::string> argv = {
        kWorker, "--coordinator", address_,      "--data",      dir_ + "/" + name,  "--name",
        name,    "--no-idle",     "--bt-listen", "127.0.0.1:0", "--no-port-mapping"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }

  // Starts the coordinator and one rendering worker, submits a loop and
  // waits until it is done and published (its SHA-256 known).
  int64_t StartGridWithOneSequence(std::optional<v1::SequenceInfo>* done) {
    ChildProcess* coordinator = Start(
        "coordinator", {kCoordinator, "serve", "--listen", address_, "--http", http_, "--data",
                        dir_ + "/coordinator", "--fake-render", "--video-preset", "ultrafast",
                        "--tracker-interval", "2", "--replica-wait-seconds", "0.5",
                        // Every participant announces from 127.0.0.1.
                        "--tracker-peers-per-address", "64"});
    EXPECT_TRUE(WaitFor(
        [&] { return coordinator->Log().find("coordinator serving") != std::string::npos; }, 20));
    EXPECT_TRUE(WaitFor([&] { return fs::exists(dir_ + "/coordinator/admin.token"); }, 10));
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
    if (!admin_->Submit(&context, submit, &submitted).ok()) return -1;
    const int64_t id = submitted.sequence_id();
    // The renderer is told where the HTTP side is (--coordinator-http stays an override).
    Start("renderer", Participant("renderer", {"--coordinator-http", http_, "--threads", "1",
                                               "--fake-render"}));
    const bool finished = WaitFor(
        [&] {
          *done = Sequence(id);
          return *done && (*done)->state() == "done" && !(*done)->sha256().empty();
        },
        90);
    return finished ? id : -1;
  }

  std::string dir_, address_, http_;
  int grpc_port_ = 0, http_port_ = 0;
  std::unique_ptr<v1::Admin::Stub> admin_;
  std::vector<std::unique_ptr<ChildProcess>> processes_;
};

TEST_F(P2pTest, EveryParticipantEndsWithAByteIdenticalCopy) {
  // Three participants only receive and share, told nothing but --coordinator.
  const int kParticipants = 3;
  for (int i = 0; i < kParticipants; ++i) {
    const std::string name = "participant" + std::to_string(i);
    Start(name, Participant(name, {"--no-render"}));
  }
  std::optional<v1::SequenceInfo> done;
  const int64_t id = StartGridWithOneSequence(&done);
  ASSERT_GT(id, 0);
  // The coordinator says where its HTTP side and the torrent are.
  {
    auto grid =
        v1::Grid::NewStub(grpc::CreateChannel(address_, grpc::InsecureChannelCredentials()));
    v1::ListFlockRequest request;
    v1::ListFlockResponse flock;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    ASSERT_TRUE(grid->ListFlock(&context, request, &flock).ok());
    EXPECT_EQ(flock.public_http(), "http://" + http_);
    ASSERT_GE(flock.sequences_size(), 1);
    EXPECT_EQ(flock.sequences(0).torrent_url(),
              "http://" + http_ + "/sequences/" + std::to_string(id) + ".torrent");
    v1::RegisterRequest hello;
    hello.set_name("probe");
    v1::RegisterResponse registered;
    grpc::ClientContext register_context;
    register_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    ASSERT_TRUE(grid->Register(&register_context, hello, &registered).ok());
    EXPECT_EQ(registered.public_http(), "http://" + http_);
  }
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
    ASSERT_TRUE(WaitFor([&] { return fs::exists(worker::cache::InfoPath(data, sid)); }, 60))
        << "participant " << i;
    EXPECT_EQ(ReadAll(worker::cache::VideoPath(data, sid)), video) << "participant " << i;
    auto contents = worker::cache::ReadCache(data);
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
  EXPECT_NE(json.find("\"peer_bytes_uploaded\":"), std::string::npos) << json;

  // Participants shut down cleanly on SIGTERM.
  for (auto& p : processes_) {
    const int status = p->Kill(SIGTERM);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  }
}

// A tampering proxy between the coordinator's HTTP side and a participant:
// it serves a .torrent and web seed of other bytes (same size) than the
// video whose SHA-256 the coordinator published over gRPC. Pieces match
// that torrent, so only the published digest can catch it.
TEST_F(P2pTest, ATorrentDescribingOtherBytesThanPublishedIsDiscardedWithItsSource) {
  std::optional<v1::SequenceInfo> done;
  const int64_t id = StartGridWithOneSequence(&done);
  ASSERT_GT(id, 0);
  const std::string sid = std::to_string(id);

  std::string fake(done->size(), '\0');
  std::mt19937_64 random(99);
  for (char& c : fake) c = static_cast<char>(random());
  const fs::path fake_dir = dir_ + "/tamper";
  fs::create_directories(fake_dir);
  std::ofstream(fake_dir / (sid + ".mp4"), std::ios::binary) << fake;

  httplib::Server proxy;
  const int proxy_port = proxy.bind_to_any_port("127.0.0.1");
  ASSERT_GT(proxy_port, 0);
  const std::string proxy_base = "http://127.0.0.1:" + std::to_string(proxy_port);
  lt::file_storage files;
  lt::add_files(files, (fake_dir / (sid + ".mp4")).string());
  lt::create_torrent ct(files, 16 * 1024);
  ct.add_url_seed(proxy_base + "/sequences/");
  lt::error_code ec;
  lt::set_piece_hashes(ct, fake_dir.string(), ec);
  ASSERT_FALSE(ec) << ec.message();
  std::string torrent;
  lt::bencode(std::back_inserter(torrent), ct.generate());
  proxy.Get("/sequences/" + sid + ".torrent",
            [&torrent](const httplib::Request&, httplib::Response& res) {
              res.set_content(torrent, "application/x-bittorrent");
            });
  proxy.Get("/sequences/" + sid + ".mp4", [&fake](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(fake.size(), "video/mp4",
                             [&fake](size_t offset, size_t length, httplib::DataSink& sink) {
                               sink.write(fake.data() + offset, length);
                               return true;
                             });
  });
  std::thread serving([&proxy] { proxy.listen_after_bind(); });

  ChildProcess* victim =
      Start("victim", Participant("victim", {"--no-render", "--coordinator-http",
                                             "127.0.0.1:" + std::to_string(proxy_port)}));
  const bool discarded =
      WaitFor([&] { return victim->Log().find("DISCARDED " + sid) != std::string::npos; }, 60);
  // The backoff holds it back: no second attempt right away.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const std::string log = victim->Log();
  processes_.clear();
  proxy.stop();
  serving.join();
  ASSERT_TRUE(discarded) << log;
  EXPECT_NE(log.find("SHA-256 mismatch for " + sid), std::string::npos) << log;
  EXPECT_NE(log.find("the coordinator published " + done->sha256()), std::string::npos) << log;
  EXPECT_NE(log.find(proxy_base + "/sequences/" + sid + ".torrent"), std::string::npos) << log;
  EXPECT_NE(log.find("web seed: " + proxy_base + "/sequences/"), std::string::npos) << log;
  size_t attempts = 0;
  for (size_t at = log.find("DISCARDED"); at != std::string::npos;
       at = log.find("DISCARDED", at + 1)) {
    ++attempts;
  }
  EXPECT_EQ(attempts, 1u) << log;
  const fs::path data = dir_ + "/victim";
  EXPECT_FALSE(fs::exists(worker::cache::InfoPath(data, sid)));
  EXPECT_FALSE(fs::exists(worker::cache::VideoPath(data, sid)));
  EXPECT_FALSE(fs::exists(data / "transfer" / "partial" / (sid + ".mp4")));
  auto contents = worker::cache::ReadCache(data);
  ASSERT_TRUE(contents.ok());
  EXPECT_TRUE(contents->sequences.empty());
}

}  // namespace
}  // namespace flamegrid
