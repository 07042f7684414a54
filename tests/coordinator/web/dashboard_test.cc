// End-to-end test of the flock and its web page: a coordinator opened in
// process as serve opens it (Coordinator::Open, fake renders) and a real
// worker on 127.0.0.1 render two submitted loops; a
// participant votes with `flamegrid-worker vote`; `flamegrid-coordinator
// breed` makes children; edges connect the loops; `status --json` shows
// rating, parents and edges; a participant's tracker announce reporting
// uploads moves peer_bytes_uploaded in `status --json`; and Debian's
// chromium (headless) loads the dashboard, which shows every sequence by id,
// the share of bytes peers delivered, and plays a finished sequence in its
// <video>. The screenshot is kept in BUILD/test-artifacts/dashboard.png.
#include <gtest/gtest.h>
#include <httplib.h>
#include <libtorrent/torrent_info.hpp>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "coordinator/service/coordinator.h"
#include "tests/integration/grid_rpc.h"
#include "tests/integration/process.h"
#include "worker/cache/votes.h"

namespace flamegrid {
namespace {

namespace fs = std::filesystem;
using testing::ChildProcess;
using testing::ReadAll;
using testing::WaitFor;

using testing::kCoordinator;
using testing::kWorker;

std::string FindChromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (fs::exists(p)) return p;
  }
  return "";
}

class DashboardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/flamegrid-dashboard-test.XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  void TearDown() override {
    if (worker_) worker_->Kill(SIGTERM);
    coordinator_.reset();
    fs::remove_all(dir_);
  }

  // As `serve --fake-render --video-preset ultrafast --lease-seconds 10
  // --new-worker-replicas 0` on free ports of 127.0.0.1.
  void OpenCoordinator() {
    coordinator::CoordinatorOptions options;
    options.data_dir = dir_ + "/data";
    options.grpc_listen = {"127.0.0.1", 0};
    options.http_listen = {"127.0.0.1", 0};
    options.fake_render = true;
    options.preview_check = false;  // as --fake-render leaves it
    options.scheduler.video_preset = "ultrafast";
    options.scheduler.lease_ms = 10'000;
    options.scheduler.validation.new_worker_replicas = 0;
    auto opened = coordinator::Coordinator::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    coordinator_ = std::move(*opened);
    address_ = "127.0.0.1:" + std::to_string(coordinator_->grpc_port());
    http_ = "127.0.0.1:" + std::to_string(coordinator_->http_port());
  }

  // Runs a command line; its stdout and stderr go to OUT.
  int Run(const std::string& command, const std::string& out) {
    return std::system(("timeout 120 " + command + " > " + out + " 2>&1").c_str());
  }
  std::string Admin() {
    return " --coordinator " + address_ + " --token-file " + dir_ + "/data/admin.token";
  }
  // A sample's value in GET /metrics (-1 when missing).
  double Metric(const std::string& text, const std::string& sample) {
    const size_t at = text.find("\n" + sample + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + sample.size() + 2));
  }
  std::string StatusJson() {
    Run(kCoordinator + " status --json" + Admin(), dir_ + "/status.json");
    return ReadAll(dir_ + "/status.json");
  }

  std::string dir_, address_, http_;
  std::unique_ptr<coordinator::Coordinator> coordinator_;
  std::unique_ptr<ChildProcess> worker_;
};

TEST_F(DashboardTest, VotesBreedingEdgesAndThePageInChromium) {
  ASSERT_NO_FATAL_FAILURE(OpenCoordinator());
  // Two artists' loops (real genomes, so their children preview for real).
  std::vector<std::string> ids;
  for (const char* genome : {"electricsheep.244.00216.flam3", "electricsheep.244.80692.flam3"}) {
    ASSERT_EQ(Run(kCoordinator + " submit" + Admin() + " " + FLAMEGRID_SOURCE_DIR +
                      "/assets/genomes/" + genome + " --frames 4 --size 64x48 --quality 5",
                  dir_ + "/submit.out"),
              0)
        << ReadAll(dir_ + "/submit.out");
    std::istringstream lines(ReadAll(dir_ + "/submit.out"));
    std::string line, last;
    while (std::getline(lines, line)) last = line;
    ids.push_back(last);
  }
  worker_ = std::make_unique<ChildProcess>();
  ASSERT_TRUE(worker_->Start({kWorker, "--coordinator", address_, "--data", dir_ + "/worker",
                              "--threads", "1", "--fake-render", "--no-idle", "--name", "w1",
                              "--bt-listen", "127.0.0.1:0", "--no-port-mapping"},
                             dir_ + "/worker.log"));
  // Both loops finish, and the flock joins them with an edge each way.
  ASSERT_TRUE(WaitFor(
      [&] {
        const std::string s = StatusJson();
        return std::regex_search(
                   s, std::regex("\"id\":" + ids[0] + ",\"kind\":\"loop\",\"state\":\"done\"")) &&
               std::regex_search(
                   s, std::regex("\"id\":" + ids[1] + ",\"kind\":\"loop\",\"state\":\"done\"")) &&
               s.find("\"from\":" + ids[0] + ",\"to\":" + ids[1]) != std::string::npos &&
               s.find("\"from\":" + ids[1] + ",\"to\":" + ids[0]) != std::string::npos;
      },
      60))
      << StatusJson();

  // The operator's view (GET /metrics, coordinator/web/metrics.h): both loops
  // done, each of their 8 frames leased and accepted at least once.
  {
    httplib::Client client("127.0.0.1", std::stoi(http_.substr(http_.rfind(':') + 1)));
    auto metrics = client.Get("/metrics");
    ASSERT_TRUE(metrics && metrics->status == 200);
    EXPECT_EQ(metrics->get_header_value("Content-Type"), "text/plain; version=0.0.4");
    const std::string& text = metrics->body;
    EXPECT_GE(Metric(text, "flamegrid_sequences{state=\"done\"}"), 2) << text;
    EXPECT_GE(Metric(text, "flamegrid_frames_accepted_total"), 8) << text;
    EXPECT_GE(Metric(text, "flamegrid_frames_leased_total"),
              Metric(text, "flamegrid_frames_accepted_total"))
        << text;
    EXPECT_EQ(Metric(text, "flamegrid_workers_seen_last_hour"), 1) << text;
  }

  // The participant votes (the worker's data folder holds its identity).
  ASSERT_EQ(Run(kWorker + " vote --data " + dir_ + "/worker " + ids[0] + " up", dir_ + "/vote.out"),
            0)
      << ReadAll(dir_ + "/vote.out");
  EXPECT_NE(ReadAll(dir_ + "/vote.out").find("vote sent"), std::string::npos);
  ASSERT_EQ(
      Run(kWorker + " vote --data " + dir_ + "/worker " + ids[1] + " down", dir_ + "/vote.out"), 0);
  std::string status = StatusJson();
  EXPECT_TRUE(std::regex_search(status, std::regex("\"id\":" + ids[0] + ",[^}]*\"rating\":1,")))
      << status;
  EXPECT_TRUE(std::regex_search(status, std::regex("\"id\":" + ids[1] + ",[^}]*\"rating\":-1,")))
      << status;
  // A second vote by the same participant replaces the first.
  ASSERT_EQ(Run(kWorker + " vote --data " + dir_ + "/worker " + ids[0] + " up", dir_ + "/vote.out"),
            0);
  EXPECT_TRUE(
      std::regex_search(StatusJson(), std::regex("\"id\":" + ids[0] + ",[^}]*\"rating\":1,")));

  // Breeding: only the up-voted loop may be a parent.
  ASSERT_EQ(Run(kCoordinator + " breed --count 2" + Admin(), dir_ + "/breed.out"), 0)
      << ReadAll(dir_ + "/breed.out");
  status = StatusJson();
  EXPECT_TRUE(std::regex_search(status, std::regex("\"parents\":\\[" + ids[0] + "\\]"))) << status;
  std::string child;
  {
    std::istringstream lines(ReadAll(dir_ + "/breed.out"));
    std::string line;
    while (std::getline(lines, line)) {
      if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0]))) child = line;
    }
  }
  ASSERT_FALSE(child.empty()) << ReadAll(dir_ + "/breed.out");

  // A vote from the viewer's keys is only recorded locally; the running worker sends it.
  ASSERT_TRUE(worker::cache::RecordVote(dir_ + "/worker", child, worker::cache::Vote::kUp).ok());
  EXPECT_TRUE(WaitFor(
      [&] {
        return std::regex_search(StatusJson(),
                                 std::regex("\"id\":" + child + ",[^}]*\"rating\":1,"));
      },
      30))
      << StatusJson();
  EXPECT_TRUE(WaitFor([&] { return worker::cache::ListPendingVotes(dir_ + "/worker")->empty(); }, 10));
  status = StatusJson();

  // Delivery in numbers: a participant announces that it sent the whole video
  // of the first loop to others; the sequence's and the flock's
  // peer_bytes_uploaded show it beside seed_bytes_uploaded.
  std::smatch size_match;
  const std::regex published("\"id\":" + ids[0] +
                             ",[^}]*\"size\":([1-9]\\d*),\"seed_bytes_uploaded\":\\d+,"
                             "\"peer_bytes_uploaded\":0,");
  ASSERT_TRUE(WaitFor(
      [&] {
        status = StatusJson();
        return std::regex_search(status, size_match, published);
      },
      30))
      << status;
  EXPECT_NE(status.find("{\"seed_bytes_uploaded\":"), std::string::npos) << status;
  const std::string size = size_match[1];
  const size_t colon = http_.rfind(':');
  httplib::Client http(http_.substr(0, colon), std::stoi(http_.substr(colon + 1)));
  std::string torrent;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto res = http.Get("/sequences/" + ids[0] + ".torrent");
        if (res && res->status == 200) torrent = res->body;
        return !torrent.empty();
      },
      20));
  lt::error_code ec;
  lt::torrent_info info(torrent, ec, lt::from_span);
  ASSERT_FALSE(ec) << ec.message();
  std::string hash;
  for (unsigned char c : info.info_hashes().v1.to_string()) {
    char escaped[4];
    std::snprintf(escaped, sizeof escaped, "%%%02X", c);
    hash += escaped;
  }
  auto announced = http.Get("/announce?info_hash=" + hash +
                            "&peer_id=-FW0100-dashboard0000&port=6881&left=0&uploaded=" + size);
  ASSERT_TRUE(announced);
  EXPECT_EQ(announced->body.find("failure"), std::string::npos) << announced->body;
  status = StatusJson();
  EXPECT_TRUE(std::regex_search(
      status, std::regex("\"id\":" + ids[0] + ",[^}]*\"peer_bytes_uploaded\":" + size + ",")))
      << status;
  EXPECT_TRUE(std::regex_search(status, std::regex("^\\{\"seed_bytes_uploaded\":\\d+,"
                                                   "\"peer_bytes_uploaded\":" +
                                                   size + ",")))
      << status;
  // The page carries the player: muted, looping, autoplaying, inline.
  auto page = http.Get("/");
  ASSERT_TRUE(page);
  EXPECT_NE(page->body.find("<video id=\"player\" loop muted autoplay playsinline"),
            std::string::npos);

  // The page: served at the root, rendered by headless Chromium.
  const std::string chromium = FindChromium();
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed";
  // Wait for a thumbnail to exist so the screenshot shows one.
  const std::string flags =
      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run"
      " --disable-background-networking --disable-component-update --disable-sync"
      " --user-data-dir=" +
      dir_ + "/chromium --virtual-time-budget=4000 --window-size=1280,900 ";
  const std::string url = "http://" + http_ + "/";
  ASSERT_EQ(Run(chromium + flags + "--dump-dom " + url, dir_ + "/dom.html"), 0)
      << ReadAll(dir_ + "/dom.html");
  const std::string dom = ReadAll(dir_ + "/dom.html");
  EXPECT_NE(dom.find("data-loaded=\"1\""), std::string::npos) << dom;
  // Every sequence (loops, edges, children) has a row showing its id.
  std::smatch m;
  std::set<std::string> all;
  std::string rest = status;
  const std::regex id_re("\\{\"id\":(\\d+),\"kind\":\"(loop|edge)\"");
  while (std::regex_search(rest, m, id_re)) {
    all.insert(m[1]);
    rest = m.suffix();
  }
  EXPECT_GE(all.size(), 6u) << status;  // 2 loops, 2 edges, 2 children at least
  for (const std::string& id : all) {
    EXPECT_NE(
        dom.find("<tr data-id=\"" + id + "\" class=\"sequence\"><td class=\"id\">" + id + "</td>"),
        std::string::npos)
        << "sequence " << id << " is missing from the page";
  }
  EXPECT_NE(dom.find("/sequences/" + ids[0] + "/thumbnail.png"), std::string::npos);
  EXPECT_NE(dom.find("<td>w1</td>"), std::string::npos);  // the worker
  // The share of bytes peers delivered: for the flock and per sequence.
  EXPECT_TRUE(std::regex_search(dom, std::regex("delivered by peers: \\d+%"))) << dom;
  EXPECT_TRUE(std::regex_search(
      dom, std::regex("<tr data-id=\"" + ids[0] +
                      "\" class=\"sequence\">.*?<td class=\"peer-share\"[^>]*>\\d+%</td>")))
      << dom;
  // A finished sequence plays in the page (as a click on its row does).
  ASSERT_EQ(
      Run(chromium + flags + "--dump-dom '" + url + "#play=" + ids[0] + "'", dir_ + "/play.html"),
      0);
  const std::string played = ReadAll(dir_ + "/play.html");
  EXPECT_TRUE(std::regex_search(
      played, std::regex("<video id=\"player\"[^>]*src=\"/sequences/" + ids[0] + "\\.mp4\"")))
      << played;
  const std::string artifacts = std::string(FLAMEGRID_BINARY_DIR) + "/test-artifacts";
  fs::create_directories(artifacts);
  const std::string shot = artifacts + "/dashboard.png";
  fs::remove(shot);
  ASSERT_EQ(Run(chromium + flags + "--screenshot=" + shot + " " + url, dir_ + "/shot.out"), 0)
      << ReadAll(dir_ + "/shot.out");
  ASSERT_TRUE(fs::exists(shot));
  EXPECT_GT(fs::file_size(shot), 10'000u);
  std::ifstream png(shot, std::ios::binary);
  char magic[8] = {};
  png.read(magic, 8);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
  std::printf("dashboard screenshot: %s\n", shot.c_str());
}

}  // namespace
}  // namespace flamegrid
