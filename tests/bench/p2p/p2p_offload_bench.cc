// p2p_offload_bench: the offload figure of peer-assisted delivery. One
// coordinator publisher (tracker, web seed, budgeted seed) and N participant
// PeerSessions fetch one sequence; prints how many bytes the coordinator sent
// (BitTorrent + web seed) as a multiple of the file, and how long the swarm
// took. The aim: about one copy.
//
//   p2p_offload_bench [--participants 8] [--mb 4 | --kb 300] [--seed-kbps 2048]
//                     [--trials 3] [--arrival all|staggered|churn]
//                     [--interval-ms 3000] [--netns] [--super-seed]
//
// --arrival: all at once; staggered, one participant joining every
// --interval-ms; churn, staggered with every second participant leaving as
// soon as its copy is complete (tests/integration/p2p_swarm.h).
//
// Without --netns everything runs in this process on 127.0.0.1. With --netns
// (root and iproute2 needed) the coordinator and every participant are
// separate hosts: network namespaces joined by a bridge, each with an address
// of its own in 10.77.S.0/24 and no route out (tests/integration/netns.h);
// this binary runs itself inside each as `--role coordinator|participant`.
//
// Exit status 0 when every trial completed and every copy is byte-identical.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "proto/shared/digest.h"
#include "tests/integration/netns.h"
#include "tests/integration/p2p_swarm.h"
#include "tests/integration/process.h"
#include "worker/cache/sequence_cache.h"

namespace fs = std::filesystem;
using flamegrid::testing::Arrival;
using flamegrid::testing::P2pSwarm;
using flamegrid::testing::SwarmNowMs;

namespace {

struct Options {
  int participants = 8;
  size_t size = size_t{4} << 20;
  int seed_kbps = 2048;
  int trials = 3;
  Arrival arrival = Arrival::kAll;
  int interval_ms = 3000;
  bool netns = false;
  bool super_seed = false;
  // --role (inside a namespace)
  std::string role, dir, address, torrent, stop, sha256;
  uint64_t expected_size = 0;
  bool leave = false;
};

struct Trial {
  bool done = false;
  double seconds = 0;
  uint64_t bt = 0, web = 0;
};

void WriteText(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  std::ofstream(tmp, std::ios::binary) << text;
  fs::rename(tmp, path);
}

// Inside the coordinator's namespace: tracker, web seed and seed on
// ADDRESS:17400, the torrent written to DIR/torrent, the counters to
// DIR/stats ("bt web") until STOP exists.
int RunCoordinator(const Options& o) {
  const fs::path dir = o.dir;
  flamegrid::coordinator::publish::PublisherOptions options;
  options.data_dir = (dir / "coordinator").string();
  options.http_base = "http://" + o.address + ":17400";
  options.listen_interfaces = o.address + ":0";
  options.tracker_interval_seconds = 2;
  options.upload_rate_limit = o.seed_kbps * 1024;
  options.super_seeding = o.super_seed;
  options.tracker_peers_per_address = flamegrid::testing::P2pSwarm::kLoopbackPeers;
  flamegrid::coordinator::publish::Publisher publisher(options);
  flamegrid::coordinator::HttpRouter routes;
  flamegrid::coordinator::publish::RegisterPublishRoutes(routes, publisher);
  flamegrid::coordinator::HttpServer http(std::move(routes));
  if (!http.Start(o.address, 17400).ok()) {
    std::fprintf(stderr, "cannot listen on %s:17400\n", o.address.c_str());
    return 1;
  }
  auto stop_http = [&] { http.Stop(); };
  if (!publisher.Start().ok() ||
      !publisher.Publish(1, (dir / "coordinator" / "videos" / "1.mp4").string()).ok()) {
    std::fprintf(stderr, "cannot publish\n");
    stop_http();
    return 1;
  }
  WriteText(dir / "torrent", *publisher.TorrentFile(1));
  while (!fs::exists(o.stop)) {
    publisher.Poll();
    const auto stats = *publisher.Stats(1);
    WriteText(dir / "stats",
              std::to_string(stats.bt_uploaded) + " " + std::to_string(stats.web_uploaded) + "\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  publisher.Poll();
  const auto stats = *publisher.Stats(1);
  WriteText(dir / "stats",
            std::to_string(stats.bt_uploaded) + " " + std::to_string(stats.web_uploaded) + "\n");
  stop_http();
  return 0;
}

// Inside a participant's namespace: fetch the torrent's sequence into DIR,
// write DIR/done once complete, then leave (--leave 1) or seed until STOP.
int RunParticipant(const Options& o) {
  flamegrid::worker::transfer::PeerSessionOptions options;
  options.data_dir = o.dir;
  options.listen_interfaces = o.address + ":0";
  options.port_mapping = false;
  flamegrid::worker::transfer::PeerSession session(options);
  flamegrid::worker::transfer::OfferedSequence offer;
  offer.info.id = "1";
  offer.info.name = "bench sequence";
  offer.info.frames = 30;
  offer.info.rating = 1;
  offer.torrent = flamegrid::testing::ReadAll(o.torrent);
  // The copy is checked against the published digest, as a worker does.
  offer.sha256 = o.sha256;
  offer.size = o.expected_size;
  if (!session.Start().ok() || !session.Offer({offer}, SwarmNowMs()).ok()) return 1;
  bool done = false;
  const int64_t start = SwarmNowMs();
  while (!fs::exists(o.stop)) {
    for (const auto& e : session.Poll(SwarmNowMs())) {
      std::fprintf(stderr, "event %d %s %s\n", static_cast<int>(e.kind), e.id.c_str(),
                   e.message.c_str());
    }
    if (!done && session.Complete("1")) {
      done = true;
      const auto counters = session.Counters();
      std::fprintf(stderr, "complete after %lld ms: %llu bytes downloaded\n",
                   static_cast<long long>(SwarmNowMs() - start),
                   static_cast<unsigned long long>(counters.downloaded));
      WriteText(fs::path(o.dir) / "done", std::to_string(SwarmNowMs()) + "\n");
      if (o.leave) return 0;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

std::string SelfPath() {
  std::error_code ec;
  return fs::read_symlink("/proc/self/exe", ec).string();
}

// One trial on separate hosts: the coordinator in host 0, participant i in host i+1.
Trial RunNetnsTrial(const Options& o, const std::string& video, const fs::path& dir,
                    std::string* error) {
  Trial trial;
  flamegrid::testing::NetnsLab lab(o.participants + 1, 70 + getpid() % 100);
  if (!lab.Create(error)) return trial;
  fs::create_directories(dir / "coordinator" / "videos");
  std::ofstream(dir / "coordinator" / "videos" / "1.mp4", std::ios::binary) << video;
  const std::string self = SelfPath();
  const std::string sha256 = flamegrid::Sha256Hex(video);
  const std::string stop = (dir / "stop").string();
  std::vector<std::unique_ptr<flamegrid::testing::ChildProcess>> processes;
  auto start = [&](int host, std::vector<std::string> argv, const std::string& log) {
    processes.push_back(std::make_unique<flamegrid::testing::ChildProcess>());
    return processes.back()->Start(lab.Command(host, argv), (dir / log).string());
  };
  std::vector<std::string> coordinator = {self,
                                          "--role",
                                          "coordinator",
                                          "--dir",
                                          dir.string(),
                                          "--address",
                                          lab.Address(0),
                                          "--stop",
                                          stop,
                                          "--seed-kbps",
                                          std::to_string(o.seed_kbps)};
  if (o.super_seed) coordinator.push_back("--super-seed");

  if (!start(0, coordinator, "coordinator.log") ||
      !flamegrid::testing::WaitFor([&] { return fs::exists(dir / "torrent"); }, 20)) {
    *error = "the coordinator did not start (see " + (dir / "coordinator.log").string() + ")";
    return trial;
  }
  const int64_t begin = SwarmNowMs();
  int joined = 0;
  auto all_done = [&] {
    for (int i = 0; i < o.participants; ++i) {
      if (!fs::exists(dir / ("participant" + std::to_string(i)) / "done")) return false;
    }
    return true;
  };
  while (SwarmNowMs() - begin < 180'000 && !all_done()) {
    while (joined < o.participants &&
           SwarmNowMs() - begin >=
               flamegrid::testing::JoinDelayMs(o.arrival, joined, o.interval_ms)) {
      const std::string name = "participant" + std::to_string(joined);
      start(joined + 1,
            {self, "--role", "participant", "--dir", (dir / name).string(), "--address",
             lab.Address(joined + 1), "--torrent", (dir / "torrent").string(), "--stop", stop,
             "--leave", flamegrid::testing::LeavesWhenDone(o.arrival, joined) ? "1" : "0",
             "--sha256", sha256, "--size", std::to_string(video.size())},
            name + ".log");
      ++joined;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  trial.done = all_done();
  trial.seconds = (SwarmNowMs() - begin) / 1000.0;
  WriteText(stop, "stop\n");
  // Every role exits by itself once STOP exists; the coordinator writes its
  // last counters first.
  flamegrid::testing::WaitFor([&] { return !processes.front()->Running(); }, 10);
  for (auto& p : processes) p->Kill(SIGTERM);
  std::istringstream stats(flamegrid::testing::ReadAll(dir / "stats"));
  stats >> trial.bt >> trial.web;
  if (!trial.done) *error = "not every participant completed in 180 s; logs in " + dir.string();
  return trial;
}

Trial RunLoopbackTrial(const Options& o, const std::string& video, const fs::path& dir) {
  Trial trial;
  P2pSwarm swarm(dir);
  if (!swarm.StartCoordinator(video, 1, o.seed_kbps * 1024, o.super_seed)) {
    std::fprintf(stderr, "cannot start the coordinator side\n");
    return trial;
  }
  const int64_t start = SwarmNowMs();
  trial.done = swarm.RunArrivals(o.participants, o.arrival, o.interval_ms, 180'000);
  trial.seconds = (SwarmNowMs() - start) / 1000.0;
  swarm.publisher().Poll();
  const auto stats = *swarm.publisher().Stats(1);
  trial.bt = stats.bt_uploaded;
  trial.web = stats.web_uploaded;
  return trial;
}

bool ParseOptions(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--netns") {
      o->netns = true;
      continue;
    }
    if (a == "--super-seed") {
      o->super_seed = true;
      continue;
    }

    if (i + 1 >= argc) {
      std::fprintf(stderr, "%s needs a value\n", a.c_str());
      return false;
    }
    const std::string v = argv[++i];
    const int n = std::atoi(v.c_str());
    if (a == "--participants")
      o->participants = n;
    else if (a == "--mb")
      o->size = static_cast<size_t>(n) << 20;
    else if (a == "--kb")
      o->size = static_cast<size_t>(n) << 10;
    else if (a == "--seed-kbps")
      o->seed_kbps = n;
    else if (a == "--trials")
      o->trials = n;
    else if (a == "--interval-ms")
      o->interval_ms = n;
    else if (a == "--role")
      o->role = v;
    else if (a == "--dir")
      o->dir = v;
    else if (a == "--address")
      o->address = v;
    else if (a == "--torrent")
      o->torrent = v;
    else if (a == "--stop")
      o->stop = v;
    else if (a == "--leave")
      o->leave = v == "1";
    else if (a == "--sha256")
      o->sha256 = v;
    else if (a == "--size")
      o->expected_size = std::strtoull(v.c_str(), nullptr, 10);
    else if (a == "--arrival") {
      if (!flamegrid::testing::ParseArrival(v, &o->arrival)) {
        std::fprintf(stderr, "--arrival is all, staggered or churn\n");
        return false;
      }
    } else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return false;
    }
  }
  if (o->participants < 1 || o->participants > 60 || o->size == 0 || o->trials < 1) {
    std::fprintf(stderr, "bad --participants, --mb/--kb or --trials\n");
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseOptions(argc, argv, &o)) return 2;
  if (o.role == "coordinator") return RunCoordinator(o);
  if (o.role == "participant") return RunParticipant(o);
  if (o.netns) {
    const std::string why = flamegrid::testing::NetnsUnavailableReason();
    if (!why.empty()) {
      std::fprintf(stderr, "--netns: %s\n", why.c_str());
      return 2;
    }
  }
  std::printf(
      "offload: %d participants (%s arrival%s) fetch one %zu KB sequence %s; coordinator seed "
      "budget %d KB/s%s\n",
      o.participants, flamegrid::testing::ArrivalName(o.arrival),
      o.arrival == Arrival::kAll ? ""
                                 : (", every " + std::to_string(o.interval_ms) + " ms").c_str(),
      o.size >> 10, o.netns ? "on separate hosts (network namespaces)" : "on 127.0.0.1",
      o.seed_kbps, o.super_seed ? ", super-seeding" : "");
  std::printf("%-6s %-10s %-14s %-14s %-8s %s\n", "trial", "seconds", "bittorrent_B", "webseed_B",
              "x_file", "peers_B");
  double worst = 0, sum = 0;
  bool ok = true;
  for (int trial = 0; trial < o.trials; ++trial) {
    const fs::path dir = fs::temp_directory_path() / ("fg_p2p_offload_" + std::to_string(getpid()) +
                                                      "_" + std::to_string(trial));
    fs::remove_all(dir);
    const std::string video = flamegrid::testing::RandomBytes(o.size, 100 + trial);
    std::string error;
    const Trial t =
        o.netns ? RunNetnsTrial(o, video, dir, &error) : RunLoopbackTrial(o, video, dir);
    const uint64_t sent = t.bt + t.web;
    const double ratio = static_cast<double>(sent) / static_cast<double>(o.size);
    const uint64_t needed = static_cast<uint64_t>(o.participants) * o.size;
    std::printf("%-6d %-10.2f %-14llu %-14llu %-8.3f %llu\n", trial, t.seconds,
                static_cast<unsigned long long>(t.bt), static_cast<unsigned long long>(t.web),
                ratio, static_cast<unsigned long long>(needed > sent ? needed - sent : 0));
    std::fflush(stdout);
    worst = std::max(worst, ratio);
    sum += ratio;
    bool trial_ok = t.done;
    for (int i = 0; i < o.participants && t.done; ++i) {
      const auto copy = flamegrid::testing::ReadAll(
          flamegrid::worker::cache::VideoPath(dir / ("participant" + std::to_string(i)), "1"));
      if (copy != video) {
        std::fprintf(stderr, "participant %d: copy differs\n", i);
        trial_ok = false;
      }
    }
    if (!error.empty()) std::fprintf(stderr, "trial %d: %s\n", trial, error.c_str());
    if (trial_ok && !std::getenv("FG_OFFLOAD_KEEP")) fs::remove_all(dir);
    ok &= trial_ok;
  }
  std::printf("mean %.3f, worst %.3f: the coordinator sent that many times the file; %s\n",
              sum / o.trials, worst, ok ? "all copies byte-identical" : "SOME TRIALS FAILED");
  return ok ? 0 : 1;
}
