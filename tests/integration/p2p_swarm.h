// P2pSwarm: an in-process swarm for tests and the offload benchmark: a
// coordinator-side Publisher with its tracker and web seed on the
// coordinator's HTTP server (coordinator/web/http_server.h), and N participant PeerSessions, all on
// 127.0.0.1. Each participant is its own libtorrent session with its own listen port and data
// folder. Participants join at once or over time, and may leave once complete (Arrival,
// RunArrivals), as they do on a real grid. Not thread-safe; one test owns it.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "coordinator/publish/http_routes.h"
#include "coordinator/publish/publisher.h"
#include "coordinator/web/http_server.h"
#include "tests/integration/process.h"
#include "worker/transfer/peer_session.h"

namespace flamegrid::testing {

inline int64_t SwarmNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline std::string RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::string bytes(n, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  return bytes;
}

// How participants join a swarm: all at once; one every interval
// (staggered); or staggered with every second one leaving as soon as its copy
// is complete (churn), taking its pieces with it.
enum class Arrival { kAll, kStaggered, kChurn };

inline bool ParseArrival(const std::string& text, Arrival* out) {
  if (text == "all")
    *out = Arrival::kAll;
  else if (text == "staggered")
    *out = Arrival::kStaggered;
  else if (text == "churn")
    *out = Arrival::kChurn;
  else
    return false;
  return true;
}

inline const char* ArrivalName(Arrival arrival) {
  switch (arrival) {
    case Arrival::kAll:
      return "all";
    case Arrival::kStaggered:
      return "staggered";
    case Arrival::kChurn:
      return "churn";
  }
  return "?";
}

// When participant `index` joins, in ms after the first.
inline int64_t JoinDelayMs(Arrival arrival, int index, int interval_ms) {
  return arrival == Arrival::kAll ? 0 : int64_t{index} * interval_ms;
}

// Whether participant `index` leaves as soon as its copy is complete.
inline bool LeavesWhenDone(Arrival arrival, int index) {
  return arrival == Arrival::kChurn && index % 2 == 1;
}

class P2pSwarm {
 public:
  // Tracker entries (and a quarter of the HTTP connections) one address may
  // hold: here every participant shares 127.0.0.1.
  static constexpr int kLoopbackPeers = 256;

  explicit P2pSwarm(std::filesystem::path root) : root_(std::move(root)) {
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "coordinator" / "videos");
  }
  ~P2pSwarm() {
    participants_.clear();
    if (http_) http_->Stop();
  }

  // Starts the HTTP side and the publisher; `video` becomes sequence `id`.
  bool StartCoordinator(const std::string& video, int64_t id = 1, int rate_limit = 2 << 20,
                        bool super_seeding = false) {
    id_ = id;
    video_ = video;
    const auto path = root_ / "coordinator" / "videos" / (std::to_string(id) + ".mp4");
    std::ofstream(path, std::ios::binary) << video;
    coordinator::publish::PublisherOptions options;
    options.data_dir = (root_ / "coordinator").string();
    options.tracker_interval_seconds = 2;
    options.tracker_peers_per_address = kLoopbackPeers;  // every peer is on 127.0.0.1
    options.upload_rate_limit = rate_limit;
    options.super_seeding = super_seeding;
    publisher_ = std::make_unique<coordinator::publish::Publisher>(options);
    coordinator::HttpRouter routes;
    coordinator::publish::RegisterPublishRoutes(routes, *publisher_);
    coordinator::HttpServerOptions http;
    http.max_connections_per_address = kLoopbackPeers * 4;
    http_ = std::make_unique<coordinator::HttpServer>(std::move(routes), http);
    if (!http_->Start("127.0.0.1", 0).ok()) return false;
    port_ = http_->port();
    publisher_->SetHttpBase("http://127.0.0.1:" + std::to_string(port_));
    if (!publisher_->Start().ok()) return false;
    return publisher_->Publish(id, path.string()).ok();
  }

  // Every participant listens on 127.0.0.1 with port mapping off, whatever
  // `options` say: tests send nothing off the machine.
  worker::transfer::PeerSession& AddParticipant(worker::transfer::PeerSessionOptions options = {}) {
    options.listen_interfaces = "127.0.0.1:0";
    options.port_mapping = false;
    if (options.data_dir.empty()) {
      options.data_dir = root_ / ("participant" + std::to_string(participants_.size()));
    }
    participants_.push_back(std::make_unique<worker::transfer::PeerSession>(options));
    return *participants_.back();
  }

  worker::transfer::OfferedSequence Offer() {
    worker::transfer::OfferedSequence o;
    o.info.id = std::to_string(id_);
    o.info.name = "test sequence";
    o.info.frames = 30;
    o.info.rating = 1;
    o.torrent = *publisher_->TorrentFile(id_);
    // What the coordinator publishes over gRPC: the copy is checked against it.
    o.sha256 = publisher_->Stats(id_)->sha256;
    o.size = publisher_->Stats(id_)->size;
    o.torrent_url = "http://127.0.0.1:" + std::to_string(port_) + "/sequences/" +
                    std::to_string(id_) + ".torrent";
    return o;
  }

  // Polls everything until every participant holds a complete copy or the
  // time runs out. Returns true when all are complete.
  bool Run(int timeout_ms, std::vector<worker::transfer::TransferEvent>* events = nullptr) {
    const int64_t end = SwarmNowMs() + timeout_ms;
    while (SwarmNowMs() < end) {
      publisher_->Poll();
      bool all = true;
      for (auto& p : participants_) {
        if (!p) continue;  // left (RunArrivals)
        for (auto& e : p->Poll(SwarmNowMs())) {
          if (events) events->push_back(e);
        }
        all &= p->Complete(std::to_string(id_));
      }
      if (all) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  // Adds `count` participants (default options) as `arrival` says, one every
  // `interval_ms`, each offered the sequence when it joins; those that leave
  // are closed once complete (their data folders stay, for checking). Returns
  // true when every participant completed within `timeout_ms`.
  bool RunArrivals(int count, Arrival arrival, int interval_ms, int timeout_ms) {
    const int64_t start = SwarmNowMs();
    const size_t first = participants_.size();
    std::vector<bool> done(static_cast<size_t>(count), false);
    int joined = 0, completed = 0;
    while (SwarmNowMs() - start < timeout_ms) {
      while (joined < count && SwarmNowMs() - start >= JoinDelayMs(arrival, joined, interval_ms)) {
        auto& p = AddParticipant();
        if (!p.Start().ok() || !p.Offer({Offer()}, SwarmNowMs()).ok()) return false;
        ++joined;
      }
      publisher_->Poll();
      for (int i = 0; i < joined; ++i) {
        auto& p = participants_[first + static_cast<size_t>(i)];
        if (!p) continue;
        p->Poll(SwarmNowMs());
        if (!done[static_cast<size_t>(i)] && p->Complete(std::to_string(id_))) {
          done[static_cast<size_t>(i)] = true;
          ++completed;
          if (LeavesWhenDone(arrival, i)) p.reset();
        }
      }
      if (completed == count) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  coordinator::publish::Publisher& publisher() { return *publisher_; }
  std::vector<std::unique_ptr<worker::transfer::PeerSession>>& participants() {
    return participants_;
  }
  const std::filesystem::path& root() const { return root_; }
  int http_port() const { return port_; }
  int64_t id() const { return id_; }

 private:
  std::filesystem::path root_;
  std::unique_ptr<coordinator::HttpServer> http_;
  int port_ = 0;
  int64_t id_ = 1;
  std::string video_;
  std::unique_ptr<coordinator::publish::Publisher> publisher_;
  std::vector<std::unique_ptr<worker::transfer::PeerSession>> participants_;
};

}  // namespace flamegrid::testing
