// p2p_swarm_sim: a round-based model of one flock sequence delivered to a
// growing swarm of participants (up to 10,000), to show how the server's
// bytes per participant fall as the swarm grows. No network: a model of the
// policy coordinator/publish and worker/transfer implement.
//
// Model. The video is P pieces. Participants join at a steady rate; each
// knows up to K random others (the tracker's peer list) and the server. Each
// round every participant uploads up to U pieces to neighbours that lack
// them (rarest first); the server uploads up to S pieces per round, but only
// pieces no participant holds yet (the backstop throttle) or to a participant
// none of whose neighbours can give it anything (the web seed fallback).
// Complete participants keep seeding, then leave after L rounds on average.
//
//   p2p_swarm_sim [--participants 10000] [--pieces 256] [--seed 1]
//
// Prints, as the swarm grows, the server's pieces sent per completed
// participant (1.0 = one whole file each, a plain server's cost).
#include <algorithm>
#include <bitset>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr int kMaxPieces = 1024;

struct Peer {
  std::bitset<kMaxPieces> have;
  int count = 0;
  std::vector<int> neighbours;
  int done_round = -1;
  bool gone = false;
};

}  // namespace

int main(int argc, char** argv) {
  int participants = 10000, pieces = 256;
  uint64_t seed = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--participants") participants = std::atoi(argv[i + 1]);
    if (a == "--pieces") pieces = std::min(kMaxPieces, std::atoi(argv[i + 1]));
    if (a == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 10);
  }
  const int kNeighbours = 40;  // peer list size
  const int kUpload = 4;       // pieces a participant sends per round
  const int kServer = 16;      // the server's budget, pieces per round
  const int kJoinPerRound = std::max(1, participants / 400);
  const int kLinger = 60;  // rounds a complete participant keeps seeding (mean)
  std::mt19937_64 random(seed);
  std::vector<Peer> peers;
  peers.reserve(participants);
  std::vector<int> swarm_count(pieces, 0);  // holders per piece among present peers
  uint64_t server_pieces = 0;
  int completed = 0;
  int next_report = 10;
  std::printf("%-12s %-10s %-8s %-22s %s\n", "participants", "complete", "round",
              "server_pieces/complete", "server_share_of_bytes");
  for (int round = 0; completed < participants && round < 100000; ++round) {
    // Joins: each new participant gets a random peer list; links are mutual.
    for (int j = 0; j < kJoinPerRound && static_cast<int>(peers.size()) < participants; ++j) {
      const int id = static_cast<int>(peers.size());
      peers.emplace_back();
      for (int k = 0; k < kNeighbours && id > 0; ++k) {
        const int other = static_cast<int>(random() % static_cast<uint64_t>(id));
        if (peers[other].gone) continue;
        peers[id].neighbours.push_back(other);
        peers[other].neighbours.push_back(id);
      }
    }
    // Participants upload: for a random neighbour that lacks something, the
    // rarest piece it lacks.
    std::vector<std::pair<int, int>> transfers;  // (to, piece)
    for (int from = 0; from < static_cast<int>(peers.size()); ++from) {
      Peer& p = peers[from];
      if (p.gone || p.count == 0 || p.neighbours.empty()) continue;
      for (int u = 0; u < kUpload; ++u) {
        const int to = p.neighbours[random() % p.neighbours.size()];
        Peer& q = peers[to];
        if (q.gone || q.count == pieces) continue;
        int best = -1;
        for (int piece = 0; piece < pieces; ++piece) {
          if (p.have[piece] && !q.have[piece] &&
              (best < 0 || swarm_count[piece] < swarm_count[best])) {
            best = piece;
          }
        }
        if (best >= 0) transfers.push_back({to, best});
      }
    }
    // The server: pieces nobody holds, then participants stuck with no source.
    int budget = kServer;
    std::vector<int> order(peers.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::shuffle(order.begin(), order.end(), random);
    for (int piece = 0; piece < pieces && budget > 0; ++piece) {
      if (swarm_count[piece] > 0) continue;
      for (int id : order) {
        if (!peers[id].gone && !peers[id].have[piece]) {
          transfers.push_back({id, piece});
          --budget;
          break;
        }
      }
    }
    for (int id : order) {
      if (budget <= 0) break;
      Peer& q = peers[id];
      if (q.gone || q.count == pieces) continue;
      bool source = false;
      for (int n : q.neighbours) {
        if (!peers[n].gone && (peers[n].have & ~q.have).any()) {
          source = true;
          break;
        }
      }
      if (source) continue;
      for (int piece = 0; piece < pieces; ++piece) {
        if (!q.have[piece]) {
          transfers.push_back({id, piece});
          --budget;
          break;
        }
      }
    }
    server_pieces += static_cast<uint64_t>(kServer - budget);
    for (auto [to, piece] : transfers) {
      Peer& q = peers[to];
      if (q.have[piece]) continue;
      q.have[piece] = true;
      ++q.count;
      ++swarm_count[piece];
      if (q.count == pieces) {
        q.done_round = round;
        ++completed;
      }
    }
    // Complete participants leave after a while (their pieces with them).
    for (Peer& p : peers) {
      if (p.gone || p.done_round < 0) continue;
      if (random() % kLinger == 0) {
        p.gone = true;
        for (int piece = 0; piece < pieces; ++piece) swarm_count[piece] -= p.have[piece];
      }
    }
    if (completed >= next_report || completed == participants) {
      const double per = static_cast<double>(server_pieces) / pieces / completed;
      std::printf("%-12zu %-10d %-8d %-22.4f %.2f%%\n", peers.size(), completed, round, per,
                  100.0 * per);
      while (next_report <= completed) next_report *= 10;
      if (completed == participants) break;
    }
  }
  std::printf(
      "a central server alone sends 1.0 file per participant; here the server sent %.4f "
      "files per participant over %d participants\n",
      static_cast<double>(server_pieces) / pieces / std::max(1, completed), completed);
  return 0;
}
