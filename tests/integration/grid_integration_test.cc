// Multi-process tests of the grid on 127.0.0.1: a coordinator and workers as
// real processes (synthetic renders keep them fast), faults injected by
// killing processes and by a hand-driven client sending bad uploads.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <tuple>

#include "coordinator/rpc/grid_service.h"
#include "coordinator/store/store.h"
#include "flamegrid/v1/grid.grpc.pb.h"
#include "proto/shared/digest.h"
#include "proto/shared/frame_renderer.h"
#include "renderer/image/image_io.h"
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
const std::string kFakeGenome = R"(<flame name="test loop" size="64 48" scale="20"></flame>)";

class GridTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/flamegrid-grid-test.XXXXXX";
    dir_ = mkdtemp(pattern);
    grpc_port_ = FreePort();
    http_port_ = FreePort();
    while (http_port_ == grpc_port_) http_port_ = FreePort();
    address_ = "127.0.0.1:" + std::to_string(grpc_port_);
    grpc::ChannelArguments args;
    // Reconnect quickly: the coordinator starts (and restarts) under the test's nose.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 300);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
    channel_ = grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), args);
    admin_ = v1::Admin::NewStub(channel_);
    grid_ = v1::Grid::NewStub(channel_);
  }

  void TearDown() override {
    workers_.clear();
    coordinator_.reset();
    if (HasFailure()) testing::PrintLogTails(dir_);
    fs::remove_all(dir_);
  }

  std::string data() const { return dir_ + "/coordinator"; }

  // Runs `flamegrid-coordinator submit GENOME`, expects it to fail, and
  // returns what it printed.
  std::string SubmitFileRefused(const std::string& genome) {
    CommandOutput run =
        RunCommand(kCoordinator + " submit --coordinator " + address_ + " --token-file " + data() +
                   "/admin.token " + genome + " --frames 4 --size 64x48 --quality 5 2>&1");
    EXPECT_NE(run.exit_code, 0);
    return run.text;
  }

  void StartCoordinator(std::vector<std::string> extra = {}, bool fake = true) {
    std::vector<std::string> argv = {
        kCoordinator, "serve",          "--listen",
        address_,     "--http",         "127.0.0.1:" + std::to_string(http_port_),
        "--data",     data(),           "--lease-seconds",
        "2",          "--video-preset", "ultrafast"};
    if (fake) argv.push_back("--fake-render");
    // Every worker's BitTorrent session announces from 127.0.0.1.
    argv.insert(argv.end(), {"--tracker-peers-per-address", "64"});
    argv.insert(argv.end(), extra.begin(), extra.end());
    coordinator_ = std::make_unique<ChildProcess>();
    ASSERT_TRUE(coordinator_->Start(argv, dir_ + "/coordinator.log"));
    ASSERT_TRUE(WaitFor(
        [&] { return coordinator_->Log().find("coordinator serving") != std::string::npos; }, 20))
        << coordinator_->Log();
    ASSERT_TRUE(WaitFor([&] { return Status().has_value(); }, 20)) << coordinator_->Log();
  }

  ChildProcess* StartWorker(const std::string& name, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {kWorker, "--coordinator", address_, "--data",
                                     dir_ + "/worker-" + name, "--threads", "1", "--name", name,
                                     "--fake-render", "--no-idle",
                                     // Loopback only: no UPnP / NAT-PMP traffic.
                                     "--bt-listen", "127.0.0.1:0", "--no-port-mapping"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    workers_.push_back(std::make_unique<ChildProcess>());
    EXPECT_TRUE(workers_.back()->Start(argv, dir_ + "/worker-" + name + ".log"));
    return workers_.back().get();
  }

  // Makes a self-signed certificate for 127.0.0.1 in dir_ and points the
  // test's own channel at a TLS coordinator trusting it. Returns the paths.
  std::pair<std::string, std::string> UseTls() {
    const std::string cert = dir_ + "/cert.pem", key = dir_ + "/key.pem";
    const std::string command =
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost "
        "-addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout " +
        key + " -out " + cert + " > " + dir_ + "/openssl.log 2>&1";
    EXPECT_EQ(std::system(command.c_str()), 0);
    std::ifstream in(cert);
    std::ostringstream pem;
    pem << in.rdbuf();
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = pem.str();
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 300);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
    channel_ = grpc::CreateCustomChannel(address_, grpc::SslCredentials(ssl), args);
    admin_ = v1::Admin::NewStub(channel_);
    grid_ = v1::Grid::NewStub(channel_);
    return {cert, key};
  }

  std::string AdminToken() { return testing::ReadAdminToken(data()); }

  std::optional<v1::StatusResponse> Status() { return testing::AdminStatus(*admin_, data()); }

  int64_t Submit(int frames, int width = 64, int height = 48) {
    return testing::SubmitLoop(*admin_, data(), kFakeGenome, frames, width, height);
  }

  std::optional<v1::SequenceInfo> Sequence(int64_t id) {
    auto status = Status();
    if (!status) return std::nullopt;
    for (const auto& s : status->sequences()) {
      if (s.id() == id) return s;
    }
    return std::nullopt;
  }

  bool WaitState(int64_t id, const std::string& state, double seconds) {
    return WaitFor(
        [&] {
          auto s = Sequence(id);
          return s && s->state() == state;
        },
        seconds);
  }

  // The accepted frame files, read from the coordinator's database.
  std::vector<std::string> FramePaths(int64_t sequence) {
    auto store = coordinator::OpenSqliteStore(data() + "/grid.db");
    EXPECT_TRUE(store.ok());
    auto paths = (*store)->FramePaths(sequence);
    EXPECT_TRUE(paths.ok());
    return *paths;
  }

  void ExpectCompleteVideo(int64_t id, int frames) {
    auto s = Sequence(id);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->state(), "done");
    EXPECT_EQ(s->frames_done(), frames);
    EXPECT_TRUE(fs::exists(s->video_path())) << s->video_path();
    EXPECT_GT(fs::file_size(s->video_path()), 1000u);
    // Exactly one accepted file per frame, each on disk: nothing lost, nothing twice.
    std::vector<std::string> paths = FramePaths(id);
    ASSERT_EQ(static_cast<int>(paths.size()), frames);
    std::set<std::string> unique(paths.begin(), paths.end());
    EXPECT_EQ(static_cast<int>(unique.size()), frames);
    for (const std::string& p : paths) EXPECT_TRUE(fs::exists(p)) << p;
  }

  std::string dir_;
  int grpc_port_ = 0, http_port_ = 0;
  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Admin::Stub> admin_;
  std::unique_ptr<v1::Grid::Stub> grid_;
  std::unique_ptr<ChildProcess> coordinator_;
  std::vector<std::unique_ptr<ChildProcess>> workers_;
};

TEST_F(GridTest, TwoWorkersRenderALoopIntoAVideo) {
  StartCoordinator();
  const int64_t id = Submit(12);
  StartWorker("alice");
  StartWorker("bob");
  ASSERT_TRUE(WaitState(id, "done", 60));
  ExpectCompleteVideo(id, 12);
  auto status = Status();
  ASSERT_EQ(status->workers_size(), 2);
  for (const auto& w : status->workers()) {
    EXPECT_GT(w.valid_results(), 0) << w.name() << " did no work";
    EXPECT_FALSE(w.quarantined());
  }
  // The HTTP side answers too.
  EXPECT_EQ(std::system(("python3 -c \"import urllib.request,sys; "
                         "sys.exit(0 if b'sequences' in urllib.request.urlopen("
                         "'http://127.0.0.1:" +
                         std::to_string(http_port_) + "/status.json').read() else 1)\"")
                            .c_str()),
            0);
}

TEST_F(GridTest, WorkerKilledMidJobHasItsJobReissuedAfterTheDeadline) {
  StartCoordinator();
  const int64_t id = Submit(4);
  // A slow worker takes the first job and dies with it.
  ChildProcess* doomed = StartWorker("doomed", {"--fake-render-ms", "60000"});
  ASSERT_TRUE(
      WaitFor([&] { return doomed->Log().find("rendering frame") != std::string::npos; }, 20));
  doomed->Kill(SIGKILL);
  StartWorker("survivor");
  ASSERT_TRUE(WaitState(id, "done", 60));
  ExpectCompleteVideo(id, 4);
  EXPECT_NE(coordinator_->Log().find("lapsed"), std::string::npos);
}

TEST_F(GridTest, WorkerGivesItsLeaseBackOnSigterm) {
  StartCoordinator({"--lease-seconds", "600", "--replica-wait-seconds", "1"});
  const int64_t id = Submit(2);
  ChildProcess* leaving = StartWorker("leaving", {"--fake-render-ms", "60000"});
  ASSERT_TRUE(
      WaitFor([&] { return leaving->Log().find("rendering frame") != std::string::npos; }, 20));
  const int status = leaving->Kill(SIGTERM);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NE(coordinator_->Log().find("given back"), std::string::npos);
  // With a 10-minute lease, only the give-back lets another worker finish now.
  StartWorker("staying");
  ASSERT_TRUE(WaitState(id, "done", 30));
}

// The machine's owner comes first: with --render-when idle and no display to
// say the user is away, a worker takes no job, while an always-on worker
// renders the whole loop.
TEST_F(GridTest, WorkerWaitsWhileItsOwnerMayBeAtTheMachine) {
  ::unsetenv("DISPLAY");  // children inherit it: no X server to report idle time
  StartCoordinator({"--replica-wait-seconds", "1"});
  const int64_t id = Submit(6);
  ChildProcess* shy = StartWorker("shy", {"--render-when", "idle"});
  ASSERT_TRUE(WaitFor([&] { return shy->Log().find("paused") != std::string::npos; }, 20))
      << shy->Log();
  StartWorker("busy");
  ASSERT_TRUE(WaitState(id, "done", 60));
  ExpectCompleteVideo(id, 6);
  EXPECT_EQ(shy->Log().find("rendering frame"), std::string::npos) << shy->Log();
  auto status = Status();
  ASSERT_TRUE(status);
  for (const auto& w : status->workers()) {
    if (w.name() == "shy") {
      EXPECT_EQ(w.valid_results(), 0);
    } else if (w.name() == "busy") {
      EXPECT_GT(w.valid_results(), 0);
    }
  }
}

TEST_F(GridTest, CoordinatorKilledAndRestartedLosesNoAcceptedFrame) {
  StartCoordinator();
  const int64_t id = Submit(16);
  StartWorker("alice", {"--fake-render-ms", "150"});
  StartWorker("bob", {"--fake-render-ms", "150"});
  ASSERT_TRUE(WaitFor(
      [&] {
        auto s = Sequence(id);
        return s && s->frames_done() >= 5;
      },
      60));
  coordinator_->Kill(SIGKILL);
  // What was committed before the crash is what the restarted coordinator starts from.
  const std::vector<std::string> before = FramePaths(id);
  std::vector<std::string> accepted;
  for (const auto& p : before) {
    if (!p.empty()) accepted.push_back(p);
  }
  EXPECT_GE(accepted.size(), 5u);
  std::this_thread::sleep_for(std::chrono::seconds(1));  // the workers notice and back off
  StartCoordinator();
  ASSERT_TRUE(WaitState(id, "done", 90));
  ExpectCompleteVideo(id, 16);
  const std::vector<std::string> after = FramePaths(id);
  for (size_t frame = 0; frame < before.size(); ++frame) {
    if (!before[frame].empty()) {
      EXPECT_EQ(after[frame], before[frame]) << "frame " << frame;
    }
  }
}

TEST_F(GridTest, CheatingWorkersAreCaughtAndQuarantined) {
  StartCoordinator();
  const int64_t id = Submit(10);
  StartWorker("honest");
  StartWorker("noisy", {"--test-cheat", "noise"});
  StartWorker("lazy", {"--test-cheat", "wrong-frame"});
  ASSERT_TRUE(WaitState(id, "done", 90));
  ExpectCompleteVideo(id, 10);
  auto status = Status();
  for (const auto& w : status->workers()) {
    if (w.name() == "honest") {
      EXPECT_FALSE(w.quarantined());
    } else if (w.valid_results() + w.invalid_results() > 0) {
      EXPECT_TRUE(w.quarantined()) << w.name() << " was not caught";
    }
  }
  // Every frame in the video is the right one: compare with the synthetic truth.
  auto truth = MakeSyntheticFrameRenderer();
  std::vector<std::string> paths = FramePaths(id);
  for (int frame = 0; frame < 10; ++frame) {
    FrameJob job;
    job.frame = frame;
    job.frames_total = 10;
    job.width = 64;
    job.height = 48;
    auto expected = truth->RenderFrame(job, {});
    auto actual = ReadImage(paths[frame]);
    ASSERT_TRUE(expected.ok() && actual.ok());
    double sum = 0;
    for (size_t i = 0; i < expected->rgba.size(); ++i)
      sum += std::abs(expected->rgba[i] - actual->rgba[i]);
    EXPECT_LT(sum / expected->rgba.size(), 0.01) << "frame " << frame;
  }
}

// A hand-driven worker for refused uploads (sent on purpose: it is not
// throttled for them, tests/security/sabotage_test.cc shows it would be).
class UploadTest : public GridTest {
 protected:
  void SetUp() override {
    GridTest::SetUp();
    StartCoordinator({"--max-upload-mb", "0.05", "--max-failures", "100",
                      "--throttle-after-failures", "0"});
    sequence_ = Submit(3);
    credentials_ = testing::RegisterWorker(*grid_, "hand");
  }

  v1::FrameJob Lease() { return testing::LeaseJob(*grid_, credentials_); }

  std::string Png(int width, int height, int frame = 0) {
    auto renderer = MakeSyntheticFrameRenderer();
    FrameJob job;
    job.frame = frame;
    job.frames_total = 3;
    job.width = width;
    job.height = height;
    auto image = renderer->RenderFrame(job, {});
    auto png = EncodeImage(*image, "png", {});
    return *png;
  }

  grpc::Status Upload(const v1::FrameJob& job, const std::string& bytes,
                      std::optional<std::string> sha = std::nullopt,
                      std::optional<uint64_t> declared = std::nullopt,
                      std::optional<std::string> token = std::nullopt, bool lease_next = false,
                      v1::UploadResponse* answer = nullptr) {
    return testing::UploadFrame(*grid_, credentials_, job, bytes, {sha, declared, token},
                                lease_next, answer);
  }

  int64_t sequence_ = 0;
  v1::WorkerCredentials credentials_;
};

TEST_F(UploadTest, AnAcceptedUploadCanCarryTheNextLease) {
  // One round trip per frame: the answer to an upload leases the next job.
  std::set<int> frames;
  v1::FrameJob job = Lease();
  for (int i = 0; i < 3; ++i) {
    frames.insert(job.frame());
    v1::UploadResponse answer;
    grpc::Status s = Upload(job, Png(64, 48, job.frame()), std::nullopt, std::nullopt, std::nullopt,
                            /*lease_next=*/true, &answer);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_TRUE(answer.accepted());
    ASSERT_TRUE(answer.has_next());
    if (i < 2) {
      ASSERT_TRUE(answer.next().job_available());
      EXPECT_NE(answer.next().job().lease_id(), job.lease_id());
      job = answer.next().job();
    } else {
      EXPECT_FALSE(answer.next().job_available());  // all three frames are this worker's
      EXPECT_GT(answer.next().retry_after_ms(), 0);
    }
  }
  EXPECT_EQ(frames, (std::set<int>{0, 1, 2}));
}

TEST_F(UploadTest, BadUploadsAreRefusedWithAClearStatus) {
  v1::FrameJob job = Lease();
  const std::string good = Png(64, 48, job.frame());

  grpc::Status s = Upload(job, good, std::nullopt, std::nullopt, std::string(64, 'f'));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
  EXPECT_NE(s.error_message().find("wrong token"), std::string::npos);

  s = Upload(job, good, std::string(64, '0'));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::DATA_LOSS) << s.error_message();
  EXPECT_NE(s.error_message().find("SHA-256"), std::string::npos);

  s = Upload(job, good, std::nullopt, uint64_t{1} << 30);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  EXPECT_NE(s.error_message().find("over the bound"), std::string::npos);

  s = Upload(job, good, Sha256Hex(good), good.size() / 2);  // more bytes than declared
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();

  s = Upload(job, Png(32, 24, job.frame()));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_NE(s.error_message().find("wrong size"), std::string::npos);

  job = Lease();  // a refused frame costs the lease
  s = Upload(job, "\x89PNG\r\n\x1a\n this is not an image at all");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_NE(s.error_message().find("corrupt image"), std::string::npos);

  job = Lease();
  Image blank(64, 48);
  for (size_t i = 3; i < blank.rgba.size(); i += 4) blank.rgba[i] = 1.0f;
  s = Upload(job, *EncodeImage(blank, "png", {}));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << s.error_message();
  EXPECT_NE(s.error_message().find("blank"), std::string::npos);

  job = Lease();
  s = Upload(job, Png(64, 48, job.frame()));
  EXPECT_TRUE(s.ok()) << s.error_message();
  s = Upload(job, Png(64, 48, job.frame()));  // the lease is spent
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
}

TEST_F(GridTest, MalformedGenomeIsRefusedAtSubmit) {
  StartCoordinator({}, /*fake=*/false);
  const std::string genome = dir_ + "/broken.flam3";
  std::ofstream(genome) << "<flame name=\"broken\" size=\"64 48\"><xform weight=\"oops\"";
  const std::string text = SubmitFileRefused(genome);
  EXPECT_NE(text.find("INVALID_ARGUMENT"), std::string::npos) << text;
  EXPECT_EQ(Status()->sequences_size(), 0);
}

// A genome whose variations the renderer does not know is refused at submit,
// naming each of them: no worker could render it as its artist meant.
TEST_F(GridTest, GenomeWithUnknownVariationsIsRefusedAtSubmitNamingThem) {
  StartCoordinator({}, /*fake=*/false);
  const std::string genome = dir_ + "/unknown.flam3";
  std::ofstream(genome) << "<flame name=\"unknown\" size=\"64 48\" center=\"0 0\" scale=\"20\">"
                           "<xform weight=\"1\" color=\"0\" linear=\"1\" frobnicate=\"0.5\" "
                           "coefs=\"1 0 0 1 0 0\"/>"
                           "<xform weight=\"1\" color=\"1\" wibble_wobble=\"1\" "
                           "coefs=\"0.5 0 0 0.5 0.5 0\"/></flame>";
  const std::string text = SubmitFileRefused(genome);
  EXPECT_NE(text.find("INVALID_ARGUMENT"), std::string::npos) << text;
  EXPECT_NE(text.find("frobnicate"), std::string::npos) << text;
  EXPECT_NE(text.find("wibble_wobble"), std::string::npos) << text;
  EXPECT_EQ(Status()->sequences_size(), 0);
}

TEST(CommandLine, UnknownOrIncompleteOptionsAreRefused) {
  // A mistyped flag must not be ignored: the process would run with defaults
  // the operator did not ask for.
  CommandOutput run =
      RunCommand(kWorker + " --coordinator 127.0.0.1:1 --data /nonexistent --thread 2 2>&1");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.text.find("--thread"), std::string::npos) << run.text;
  // A value the worker cannot read is a usage error too, naming the option.
  run = RunCommand(kWorker + " --coordinator 127.0.0.1:1 --data /nonexistent --threads two 2>&1");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.text.find("--threads"), std::string::npos) << run.text;
  run = RunCommand(kWorker +
                   " --coordinator 127.0.0.1:1 --data /nonexistent --cache-max-mb 9e9 2>&1");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.text.find("--cache-max-mb"), std::string::npos) << run.text;
  run = RunCommand(kCoordinator + " status --coordinator 127.0.0.1:1 --token-file F --jsn 2>&1");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.text.find("--jsn"), std::string::npos) << run.text;
  run = RunCommand(kCoordinator + " serve --data /nonexistent --listen 2>&1");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.text.find("--listen"), std::string::npos) << run.text;
  run = RunCommand(kCoordinator + " launch 2>&1");
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.text.find("unknown command"), std::string::npos) << run.text;
  run = RunCommand(kWorker + " --help 2>&1");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.text.find("--cache-max-mb"), std::string::npos) << run.text;
}

TEST_F(GridTest, TlsCoordinatorServesClientsThatTrustItsCertificate) {
  const auto [cert, key] = UseTls();
  StartCoordinator({"--tls-cert", cert, "--tls-key", key});
  EXPECT_NE(coordinator_->Log().find("(TLS)"), std::string::npos) << coordinator_->Log();
  const int64_t id = Submit(3);
  StartWorker("tls", {"--tls-ca", cert});
  ASSERT_TRUE(WaitState(id, "done", 60));
  ExpectCompleteVideo(id, 3);
  // The command-line client talks TLS with the certificate...
  const std::string status = kCoordinator + " status --json --coordinator " + address_ +
                             " --token-file " + data() + "/admin.token";
  CommandOutput run = RunCommand(status + " --tls-ca " + cert + " 2>&1");
  EXPECT_EQ(run.exit_code, 0) << run.text;
  EXPECT_NE(run.text.find("\"state\":\"done\""), std::string::npos) << run.text;
  // ...and gets nowhere in plaintext.
  run = RunCommand(status + " 2>&1");
  EXPECT_NE(run.exit_code, 0) << run.text;
  EXPECT_NE(run.text.find("UNAVAILABLE"), std::string::npos) << run.text;
}

TEST_F(GridTest, AdminCallsNeedTheAdminToken) {
  StartCoordinator();
  v1::StatusRequest request;
  request.set_admin_token("not-the-token");
  v1::StatusResponse response;
  grpc::ClientContext context;
  EXPECT_EQ(admin_->Status(&context, request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(fs::status(data() + "/admin.token").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

}  // namespace
}  // namespace flamegrid
