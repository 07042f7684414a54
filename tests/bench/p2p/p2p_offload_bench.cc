// p2p_offload_bench: the offload figure of peer-assisted delivery. One
// coordinator publisher (tracker, web seed, budgeted seed) and N participant
// PeerSessions in this process on 127.0.0.1 fetch one sequence of a few MB;
// prints how many bytes the coordinator sent (BitTorrent + web seed) as a
// multiple of the file, and how long the swarm took.
//
//   p2p_offload_bench [--participants 8] [--mb 4] [--seed-kbps 2048] [--trials 3]
//
// Exit status 0 when every trial completed and every copy is byte-identical.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "tests/integration/p2p_swarm.h"
#include "worker/cache/sequence_cache.h"

using flamegrid::testing::P2pSwarm;
using flamegrid::testing::SwarmNowMs;

int main(int argc, char** argv) {
  int participants = 8, mb = 4, seed_kbps = 2048, trials = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const int v = std::atoi(argv[i + 1]);
    if (a == "--participants") participants = v;
    if (a == "--mb") mb = v;
    if (a == "--seed-kbps") seed_kbps = v;
    if (a == "--trials") trials = v;
  }
  const size_t size = static_cast<size_t>(mb) << 20;
  std::printf(
      "offload: %d participants fetch one %d MB sequence; coordinator seed budget %d KB/s\n",
      participants, mb, seed_kbps);
  std::printf("%-6s %-10s %-14s %-14s %-8s %s\n", "trial", "seconds", "bittorrent_B", "webseed_B",
              "x_file", "peers_B");
  double worst = 0;
  bool ok = true;
  for (int trial = 0; trial < trials; ++trial) {
    P2pSwarm swarm(std::filesystem::temp_directory_path() /
                   ("fg_p2p_offload_" + std::to_string(getpid())));
    const std::string video = flamegrid::testing::RandomBytes(size, 100 + trial);
    if (!swarm.StartCoordinator(video, 1, seed_kbps * 1024)) {
      std::fprintf(stderr, "cannot start the coordinator side\n");
      return 1;
    }
    for (int i = 0; i < participants; ++i) {
      auto& p = swarm.AddParticipant();
      if (!p.Start().ok() || !p.Offer({swarm.Offer()}, SwarmNowMs()).ok()) return 1;
    }
    const int64_t start = SwarmNowMs();
    const bool done = swarm.Run(120'000);
    const double seconds = (SwarmNowMs() - start) / 1000.0;
    swarm.publisher().Poll();
    const auto stats = *swarm.publisher().Stats(1);
    const double ratio = static_cast<double>(stats.uploaded()) / static_cast<double>(size);
    const uint64_t needed = static_cast<uint64_t>(participants) * size;
    std::printf(
        "%-6d %-10.2f %-14llu %-14llu %-8.3f %llu\n", trial, seconds,
        static_cast<unsigned long long>(stats.bt_uploaded),
        static_cast<unsigned long long>(stats.web_uploaded), ratio,
        static_cast<unsigned long long>(needed > stats.uploaded() ? needed - stats.uploaded() : 0));
    worst = std::max(worst, ratio);
    ok &= done;
    for (int i = 0; i < participants && done; ++i) {
      const auto copy = flamegrid::testing::ReadAll(
          flamegrid::cache::VideoPath(swarm.root() / ("participant" + std::to_string(i)), "1"));
      if (copy != video) {
        std::fprintf(stderr, "participant %d: copy differs\n", i);
        ok = false;
      }
    }
    std::filesystem::remove_all(swarm.root());
  }
  std::printf("worst: the coordinator sent %.3f x the file (target <= 1.5); %s\n", worst,
              ok ? "all copies byte-identical" : "SOME TRIALS FAILED");
  return ok ? 0 : 1;
}
