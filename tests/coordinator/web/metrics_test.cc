// GET /metrics: the Metrics object on its own (counts, levels, scrape hooks,
// the text it serialises), the tracker's total of what peers report
// uploading, and a real coordinator (--fake-render) on 127.0.0.1 scraped
// after a hand-driven client leased, uploaded and got refused, and a real
// worker rendered the rest: every counter moved by exactly what happened,
// and the worker logged one line per frame.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "coordinator/publish/tracker.h"
#include "coordinator/web/metrics.h"
#include "flamegrid/v1/grid.grpc.pb.h"
#include "proto/shared/digest.h"
#include "renderer/image/image_io.h"
#include "tests/integration/grid_rpc.h"
#include "tests/integration/process.h"
#include "proto/shared/frame_renderer.h"

namespace flamegrid {
namespace {

namespace fs = std::filesystem;
using coordinator::Metrics;
using coordinator::Refusal;
using testing::ChildProcess;
using testing::FreePort;
using testing::kCoordinator;
using testing::kWorker;
using testing::WaitFor;

// Parses Prometheus' text exposition format (0.0.4) into "name{labels}" ->
// value, failing the test on any line that is not a HELP or TYPE comment or a
// sample "name{label="value",...} value", and on a sample of no declared family.
std::map<std::string, double> ParseExposition(const std::string& text) {
  static const std::regex kType(
      R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped))");
  static const std::regex kHelp(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .*)");
  static const std::regex kSample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*\})? (\S+))");
  std::map<std::string, std::string> families;  // name -> type
  std::map<std::string, double> samples;
  std::istringstream lines(text);
  std::string line;
  std::smatch m;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    if (std::regex_match(line, m, kType)) {
      EXPECT_EQ(families.count(m[1]), 0u) << "family typed twice: " << line;
      families[m[1]] = m[2];
      continue;
    }
    if (std::regex_match(line, m, kHelp)) continue;
    if (!std::regex_match(line, m, kSample)) {
      ADD_FAILURE() << "not Prometheus text exposition: \"" << line << "\"";
      continue;
    }
    const std::string name = m[1], value = m[3];
    std::string family = name;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      const std::string s = suffix;
      if (!families.count(family) && name.size() > s.size() &&
          name.compare(name.size() - s.size(), s.size(), s) == 0) {
        family = name.substr(0, name.size() - s.size());
      }
    }
    EXPECT_EQ(families.count(family), 1u) << "sample of no declared family: " << line;
    char* end = nullptr;
    double v = std::strtod(value.c_str(), &end);
    if (value == "+Inf") v = INFINITY;
    if (value == "-Inf") v = -INFINITY;
    EXPECT_TRUE(end != value.c_str() && (*end == '\0' || value == "+Inf" || value == "-Inf"))
        << "bad value in: " << line;
    EXPECT_EQ(samples.count(m[1].str() + m[2].str()), 0u) << "sample twice: " << line;
    samples[m[1].str() + m[2].str()] = v;
  }
  return samples;
}

double Get(const std::map<std::string, double>& samples, const std::string& key) {
  auto it = samples.find(key);
  EXPECT_NE(it, samples.end()) << "no sample " << key;
  return it == samples.end() ? -1 : it->second;
}

TEST(MetricsTest, TheExpositionCheckRefusesWhatIsNotExposition) {
  EXPECT_NONFATAL_FAILURE(ParseExposition("# TYPE a counter\na{reason=\"x\" 1\n"),
                          "not Prometheus text exposition");
  EXPECT_NONFATAL_FAILURE(ParseExposition("# TYPE a counter\na 1 2 3\n"),
                          "not Prometheus text exposition");
  EXPECT_NONFATAL_FAILURE(ParseExposition("# TYPE a counter\na one\n"), "bad value");
  EXPECT_NONFATAL_FAILURE(ParseExposition("b 1\n"), "no declared family");
  EXPECT_EQ(ParseExposition("# HELP h_seconds x\n# TYPE h_seconds histogram\n"
                            "h_seconds_bucket{le=\"+Inf\"} 2\nh_seconds_sum 0.5\n")
                .size(),
            2u);
}

TEST(MetricsTest, CountsLevelsAndHooksAppearInTheText) {
  Metrics metrics;
  int hook_runs = 0;
  metrics.OnScrape([&](Metrics& m) {
    ++hook_runs;
    coordinator::GridLevels levels;
    levels.sequences_by_state = {{"rendering", 2}, {"done", 1}, {"paused", 4}};
    levels.leases_outstanding = 3;
    levels.workers_seen_last_hour = 5;
    m.SetGrid(levels);
    m.SetDelivery(1000, 250, 4096);
  });
  for (int i = 0; i < 3; ++i) metrics.FrameLeased();
  metrics.FrameAccepted();
  metrics.FrameAccepted();
  metrics.FrameRefused(Refusal::kBadHash);
  metrics.FrameRefused(Refusal::kValidationMismatch);
  metrics.FrameRefused(Refusal::kValidationMismatch);
  metrics.StoreCommitted(0.003, 5);
  metrics.StoreCommitted(0.2, 1);

  const auto s = ParseExposition(metrics.Scrape());
  EXPECT_EQ(hook_runs, 1);
  EXPECT_EQ(Get(s, "flamegrid_frames_leased_total"), 3);
  EXPECT_EQ(Get(s, "flamegrid_frames_accepted_total"), 2);
  EXPECT_EQ(Get(s, "flamegrid_frames_refused_total{reason=\"bad_hash\"}"), 1);
  EXPECT_EQ(Get(s, "flamegrid_frames_refused_total{reason=\"validation_mismatch\"}"), 2);
  // Every reason is exported from the start, at 0 until it happens.
  for (int i = 0; i < coordinator::kRefusalCount; ++i) {
    const auto reason = static_cast<Refusal>(i);
    const std::string key = std::string("flamegrid_frames_refused_total{reason=\"") +
                            coordinator::RefusalName(reason) + "\"}";
    EXPECT_EQ(Get(s, key), metrics.FramesRefused(reason)) << key;
  }
  EXPECT_EQ(Get(s, "flamegrid_store_commit_seconds_count"), 2);
  EXPECT_NEAR(Get(s, "flamegrid_store_commit_seconds_sum"), 0.203, 1e-9);
  EXPECT_EQ(Get(s, "flamegrid_store_commit_seconds_bucket{le=\"0.005\"}"), 1);
  EXPECT_EQ(Get(s, "flamegrid_store_commit_seconds_bucket{le=\"+Inf\"}"), 2);
  EXPECT_EQ(Get(s, "flamegrid_store_commit_writes_sum"), 6);
  EXPECT_EQ(Get(s, "flamegrid_sequences{state=\"rendering\"}"), 2);
  EXPECT_EQ(Get(s, "flamegrid_sequences{state=\"done\"}"), 1);
  EXPECT_EQ(Get(s, "flamegrid_sequences{state=\"paused\"}"), 4);  // a state not known up front
  EXPECT_EQ(Get(s, "flamegrid_sequences{state=\"failed\"}"), 0);
  EXPECT_EQ(Get(s, "flamegrid_leases_outstanding"), 3);
  EXPECT_EQ(Get(s, "flamegrid_workers_seen_last_hour"), 5);
  EXPECT_EQ(Get(s, "flamegrid_seed_uploaded_bytes{via=\"bittorrent\"}"), 1000);
  EXPECT_EQ(Get(s, "flamegrid_seed_uploaded_bytes{via=\"webseed\"}"), 250);
  EXPECT_EQ(Get(s, "flamegrid_peer_reported_uploaded_bytes"), 4096);
  EXPECT_GT(Get(s, "flamegrid_process_start_time_seconds"), 1.7e9);
  for (const auto& [key, value] : s) EXPECT_EQ(key.rfind("flamegrid_", 0), 0u) << key;

  // A state that empties reads 0 at the next scrape; the hook runs each time.
  metrics.OnScrape([](Metrics& m) { m.SetGrid({}); });
  const auto again = ParseExposition(metrics.Scrape());
  EXPECT_EQ(hook_runs, 2);
  EXPECT_EQ(Get(again, "flamegrid_sequences{state=\"paused\"}"), 0);
  EXPECT_EQ(Get(again, "flamegrid_leases_outstanding"), 0);
}

TEST(MetricsTest, CountsFromManyThreadsAreExactWhileScraping) {
  Metrics metrics;
  std::atomic<bool> done{false};
  std::thread scraper([&] {
    while (!done) ParseExposition(metrics.Scrape());
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10'000; ++i) {
        metrics.FrameLeased();
        metrics.FrameAccepted();
        metrics.FrameRefused(Refusal::kBadLease);
      }
    });
  }
  for (auto& t : threads) t.join();
  done = true;
  scraper.join();
  EXPECT_EQ(metrics.FramesLeased(), 80'000);
  EXPECT_EQ(metrics.FramesAccepted(), 80'000);
  EXPECT_EQ(metrics.FramesRefused(Refusal::kBadLease), 80'000);
  EXPECT_EQ(metrics.FramesRefused(Refusal::kBadHash), 0);
}

TEST(TrackerTotalsTest, PeerBytesUploadedTotalCountsEachByteOnce) {
  coordinator::publish::Tracker tracker(30);
  const std::string hash(20, 'h');
  tracker.Allow(hash);
  auto announce = [&](uint32_t ip, const char* event, uint64_t uploaded, int64_t now_ms) {
    coordinator::publish::Announce a;
    a.info_hash = hash;
    a.ipv4 = ip;
    a.port = 6881;
    a.event = event;
    a.left = 0;
    a.uploaded = uploaded;
    tracker.Handle(a, now_ms);
  };
  announce(1, "started", 0, 0);
  announce(1, "", 1000, 1000);
  announce(2, "started", 500, 1000);  // a peer that had sent before its first announce
  announce(1, "", 1500, 2000);
  EXPECT_EQ(tracker.PeerBytesUploadedTotal(), 2000u);
  announce(1, "stopped", 1700, 3000);
  EXPECT_EQ(tracker.PeerBytesUploadedTotal(), 2200u);
  announce(1, "started", 100, 4000);  // restarted: counts from zero again
  EXPECT_EQ(tracker.PeerBytesUploadedTotal(), 2300u);
  // Peer 2 expires from the swarm (three intervals missed) but its count is
  // the same session's: its latest report replaces its earlier one, once.
  announce(1, "", 100, 200'000);
  announce(2, "", 9000, 200'000);
  announce(2, "", 9100, 230'000);
  EXPECT_EQ(tracker.PeerBytesUploadedTotal(), 1800u + 9100u);
  // A sequence of known size: a peer's claim is clamped to peers x size.
  const std::string sized(20, 's');
  tracker.Allow(sized, 7, 1000);
  coordinator::publish::Announce big;
  big.info_hash = sized;
  big.ipv4 = 3;
  big.port = 6881;
  big.uploaded = 1'000'000'000;
  tracker.Handle(big, 240'000);
  EXPECT_EQ(tracker.PeerBytesUploaded(7), 1000u);
  EXPECT_EQ(tracker.PeerBytesUploadedTotal(), 1800u + 9100u + 1000u);
  // Garbage on the query: parsed as 0, nothing added.
  coordinator::publish::Announce parsed;
  std::string error;
  ASSERT_TRUE(coordinator::publish::ParseAnnounceQuery(
      "info_hash=" + std::string(20, 'h') + "&port=1&uploaded=12345&left=0", &parsed, &error))
      << error;
  EXPECT_EQ(parsed.uploaded, 12345u);
}

// A real coordinator, scraped over HTTP while a hand-driven client and a
// worker lease and upload.
class CoordinatorMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/flamegrid-metrics-test.XXXXXX";
    dir_ = mkdtemp(pattern);
    grpc_port_ = FreePort();
    http_port_ = FreePort();
    while (http_port_ == grpc_port_) http_port_ = FreePort();
    coordinator_ = std::make_unique<ChildProcess>();
    ASSERT_TRUE(coordinator_->Start(
        {kCoordinator, "serve", "--listen", "127.0.0.1:" + std::to_string(grpc_port_), "--http",
         "127.0.0.1:" + std::to_string(http_port_), "--data", dir_ + "/data", "--fake-render",
         "--video-preset", "ultrafast", "--new-worker-replicas", "0", "--flock-upkeep", "off",
         "--max-failures", "100"},
        dir_ + "/coordinator.log"));
    ASSERT_TRUE(WaitFor(
        [&] { return coordinator_->Log().find("coordinator serving") != std::string::npos; }, 20))
        << coordinator_->Log();
    auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(grpc_port_),
                                       grpc::InsecureChannelCredentials());
    grid_ = v1::Grid::NewStub(channel);
    admin_ = v1::Admin::NewStub(channel);
  }
  void TearDown() override {
    if (worker_) worker_->Kill(SIGTERM);
    if (coordinator_) coordinator_->Kill(SIGTERM);
    if (HasFailure()) {
      std::fprintf(stderr, "==== coordinator\n%s\n",
                   coordinator_ ? coordinator_->Log().c_str() : "");
      std::fprintf(stderr, "==== worker\n%s\n", worker_ ? worker_->Log().c_str() : "");
    }
    fs::remove_all(dir_);
  }

  std::string AdminToken() { return testing::ReadAdminToken(dir_ + "/data"); }

  // GET path on the coordinator's HTTP port; "" (and a failure) unless 200.
  std::string HttpGet(const std::string& path, std::string* content_type = nullptr) {
    httplib::Client client("127.0.0.1", http_port_);
    client.set_read_timeout(10, 0);
    auto res = client.Get(path);
    if (!res || res->status != 200) return "";
    if (content_type) *content_type = res->get_header_value("Content-Type");
    return res->body;
  }
  std::map<std::string, double> Scrape() {
    std::string type;
    const std::string text = HttpGet("/metrics", &type);
    EXPECT_FALSE(text.empty());
    EXPECT_EQ(type, "text/plain; version=0.0.4");
    return ParseExposition(text);
  }

  int64_t Submit(int frames) {
    return testing::SubmitLoop(*admin_, dir_ + "/data",
                               R"(<flame name="metrics loop" size="64 48" scale="20"></flame>)",
                               frames);
  }

  // Registers a worker; its credentials become the ones the helpers use.
  void Register(const std::string& name) { credentials_ = testing::RegisterWorker(*grid_, name); }

  v1::FrameJob Lease() { return testing::LeaseJob(*grid_, credentials_); }

  static std::string Png(int width, int height, int frame) {
    auto renderer = MakeSyntheticFrameRenderer();
    FrameJob job;
    job.frame = frame;
    job.frames_total = 4;
    job.width = width;
    job.height = height;
    auto image = renderer->RenderFrame(job, {});
    return *EncodeImage(*image, "png", {});
  }

  // Noise: not blank, but nothing like the reference render.
  static std::string NoisePng(int width, int height) {
    Image image(width, height);
    std::mt19937 random(7);
    for (size_t i = 0; i < image.rgba.size(); ++i) {
      image.rgba[i] = i % 4 == 3 ? 1.0f : static_cast<float>(random() % 256) / 255.0f;
    }
    return *EncodeImage(image, "png", {});
  }

  grpc::Status Upload(const v1::FrameJob& job, const std::string& bytes,
                      std::optional<std::string> sha = std::nullopt,
                      std::optional<uint64_t> declared = std::nullopt,
                      std::optional<std::string> token = std::nullopt) {
    return testing::UploadFrame(*grid_, credentials_, job, bytes, {sha, declared, token});
  }

  std::string dir_;
  int grpc_port_ = 0, http_port_ = 0;
  std::unique_ptr<v1::Grid::Stub> grid_;
  std::unique_ptr<v1::Admin::Stub> admin_;
  v1::WorkerCredentials credentials_;
  std::unique_ptr<ChildProcess> coordinator_, worker_;
};

TEST_F(CoordinatorMetricsTest, CountersFollowLeasesUploadsAndRefusals) {
  // Before anything: every family is there, every counter at 0.
  auto s = Scrape();
  EXPECT_EQ(Get(s, "flamegrid_frames_leased_total"), 0);
  EXPECT_EQ(Get(s, "flamegrid_frames_accepted_total"), 0);
  EXPECT_EQ(Get(s, "flamegrid_frames_refused_total{reason=\"bad_hash\"}"), 0);
  EXPECT_EQ(Get(s, "flamegrid_sequences{state=\"rendering\"}"), 0);
  EXPECT_EQ(Get(s, "flamegrid_leases_outstanding"), 0);
  EXPECT_EQ(Get(s, "flamegrid_workers_seen_last_hour"), 0);
  EXPECT_EQ(Get(s, "flamegrid_seed_uploaded_bytes{via=\"webseed\"}"), 0);

  const int64_t sequence = Submit(4);
  ASSERT_GT(sequence, 0);
  ASSERT_NO_FATAL_FAILURE(Register("hand"));
  v1::FrameJob job = Lease();
  s = Scrape();
  EXPECT_EQ(Get(s, "flamegrid_frames_leased_total"), 1);
  EXPECT_EQ(Get(s, "flamegrid_leases_outstanding"), 1);
  EXPECT_EQ(Get(s, "flamegrid_workers_seen_last_hour"), 1);
  EXPECT_EQ(Get(s, "flamegrid_sequences{state=\"rendering\"}"), 1);

  // Refused for its hash (the lease holds), accepted, then refused: the lease is spent.
  const std::string good = Png(64, 48, job.frame());
  EXPECT_EQ(Upload(job, good, std::string(64, '0')).error_code(), grpc::StatusCode::DATA_LOSS);
  grpc::Status accepted = Upload(job, good);
  ASSERT_TRUE(accepted.ok()) << accepted.error_message();
  EXPECT_EQ(Upload(job, good).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Upload(job, good, std::nullopt, std::nullopt, std::string(64, 'f')).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Refusals that keep the lease: too large, no hash, more bytes than declared; then accepted.
  job = Lease();
  const std::string second = Png(64, 48, job.frame());
  EXPECT_EQ(Upload(job, second, std::nullopt, uint64_t{1} << 40).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(Upload(job, second, std::string()).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Upload(job, second, std::nullopt, second.size() / 2).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  accepted = Upload(job, second);
  ASSERT_TRUE(accepted.ok()) << accepted.error_message();
  // Refusals that cost the lease, last: they make this worker suspect. A
  // second worker's noise fails the reference check (and quarantines it).
  v1::WorkerCredentials hand = credentials_;
  ASSERT_NO_FATAL_FAILURE(Register("cheat"));
  job = Lease();
  EXPECT_EQ(Upload(job, NoisePng(64, 48)).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  credentials_ = hand;
  job = Lease();
  EXPECT_EQ(Upload(job, Png(32, 24, job.frame())).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  job = Lease();
  EXPECT_EQ(Upload(job, "\x89PNG\r\n\x1a\n not an image").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  job = Lease();
  Image blank(64, 48);
  for (size_t i = 3; i < blank.rgba.size(); i += 4) blank.rgba[i] = 1.0f;
  EXPECT_EQ(Upload(job, *EncodeImage(blank, "png", {})).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  s = Scrape();
  EXPECT_EQ(Get(s, "flamegrid_frames_leased_total"), 6);
  EXPECT_EQ(Get(s, "flamegrid_frames_accepted_total"), 2);
  const std::map<std::string, double> refused = {
      {"unauthorized", 1},        {"bad_lease", 1},        {"bad_header", 1},
      {"too_large", 1},           {"bad_size", 1},         {"bad_hash", 1},
      {"decode_failure", 1},      {"wrong_dimensions", 1}, {"blank_frame", 1},
      {"validation_mismatch", 1}, {"internal", 0}};
  for (const auto& [reason, count] : refused) {
    EXPECT_EQ(Get(s, "flamegrid_frames_refused_total{reason=\"" + reason + "\"}"), count) << reason;
  }
  EXPECT_EQ(Get(s, "flamegrid_leases_outstanding"), 0);
  EXPECT_EQ(Get(s, "flamegrid_workers_seen_last_hour"), 2);
  // Every write (submit, register, leases, refusals, commits) went through a group commit.
  EXPECT_GE(Get(s, "flamegrid_store_commit_writes_sum"), 12);
  EXPECT_GE(Get(s, "flamegrid_store_commit_seconds_count"), 1);

  // A real worker renders the other two frames and logs a line for each.
  worker_ = std::make_unique<ChildProcess>();
  ASSERT_TRUE(worker_->Start({kWorker, "--coordinator", "127.0.0.1:" + std::to_string(grpc_port_),
                              "--data", dir_ + "/worker", "--threads", "1", "--fake-render",
                              "--no-idle", "--no-transfer", "--name", "w1"},
                             dir_ + "/worker.log"));
  ASSERT_TRUE(WaitFor(
      [&] {
        return Get(ParseExposition(HttpGet("/metrics")), "flamegrid_sequences{state=\"done\"}") ==
               1;
      },
      60));
  s = Scrape();
  EXPECT_EQ(Get(s, "flamegrid_frames_leased_total"), 8);
  EXPECT_EQ(Get(s, "flamegrid_frames_accepted_total"), 4);
  EXPECT_EQ(Get(s, "flamegrid_sequences{state=\"rendering\"}"), 0);
  EXPECT_EQ(Get(s, "flamegrid_workers_seen_last_hour"), 3);
  const std::regex line(
      "frame [0-3] of seq " + std::to_string(sequence) +
      R"(: \d+\.\d\d s, \d+(\.\d+)? [kMG]? ?iter/s, uploaded \(\d+ bytes\): accepted)");
  const std::string log = worker_->Log();
  EXPECT_EQ(
      std::distance(std::sregex_iterator(log.begin(), log.end(), line), std::sregex_iterator()), 2)
      << log;

  // The web seed's bytes: fetch the published video once.
  const std::string mp4 = "/sequences/" + std::to_string(sequence) + ".mp4";
  ASSERT_TRUE(WaitFor([&] { return !HttpGet(mp4).empty(); }, 30));
  const double before = Get(Scrape(), "flamegrid_seed_uploaded_bytes{via=\"webseed\"}");
  const std::string video = HttpGet(mp4);
  ASSERT_FALSE(video.empty());
  EXPECT_EQ(Get(Scrape(), "flamegrid_seed_uploaded_bytes{via=\"webseed\"}"),
            before + static_cast<double>(video.size()));
}

}  // namespace
}  // namespace flamegrid
