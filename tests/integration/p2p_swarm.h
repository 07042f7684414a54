// P2pSwarm: an in-process swarm for tests and the offload benchmark: a
// coordinator-side Publisher with its tracker and web seed on a cpp-httplib
// server, and N participant PeerSessions, all on 127.0.0.1. Each participant
// is its own libtorrent session with its own listen port and data folder.
// Not thread-safe; one test owns it.
#pragma once

#include <httplib.h>

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
#include "worker/transfer/peer_session.h"

namespace flamegrid::testing {

inline int64_t SwarmNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

inline std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

inline std::string RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::string bytes(n, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  return bytes;
}

class P2pSwarm {
 public:
  explicit P2pSwarm(std::filesystem::path root) : root_(std::move(root)) {
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_ / "coordinator" / "videos");
  }
  ~P2pSwarm() {
    participants_.clear();
    if (http_) http_->stop();
    if (http_thread_.joinable()) http_thread_.join();
  }

  // Starts the HTTP side and the publisher; `video` becomes sequence `id`.
  bool StartCoordinator(const std::string& video, int64_t id = 1, int rate_limit = 2 << 20) {
    id_ = id;
    video_ = video;
    const auto path = root_ / "coordinator" / "videos" / (std::to_string(id) + ".mp4");
    std::ofstream(path, std::ios::binary) << video;
    http_ = std::make_unique<httplib::Server>();
    port_ = http_->bind_to_any_port("127.0.0.1");
    if (port_ <= 0) return false;
    coordinator::publish::PublisherOptions options;
    options.data_dir = (root_ / "coordinator").string();
    options.http_base = "http://127.0.0.1:" + std::to_string(port_);
    options.tracker_interval_seconds = 2;
    options.upload_rate_limit = rate_limit;
    publisher_ = std::make_unique<coordinator::publish::Publisher>(options);
    coordinator::publish::RegisterPublishRoutes(*http_, *publisher_);
    http_thread_ = std::thread([this] { http_->listen_after_bind(); });
    if (!publisher_->Start().ok()) return false;
    return publisher_->Publish(id, path.string()).ok();
  }

  // Every participant listens on 127.0.0.1 with port mapping off, whatever
  // `options` say: tests send nothing off the machine.
  transfer::PeerSession& AddParticipant(transfer::PeerSessionOptions options = {}) {
    options.listen_interfaces = "127.0.0.1:0";
    options.port_mapping = false;
    if (options.data_dir.empty()) {
      options.data_dir = root_ / ("participant" + std::to_string(participants_.size()));
    }
    participants_.push_back(std::make_unique<transfer::PeerSession>(options));
    return *participants_.back();
  }

  transfer::OfferedSequence Offer() {
    transfer::OfferedSequence o;
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
  bool Run(int timeout_ms, std::vector<transfer::TransferEvent>* events = nullptr) {
    const int64_t end = SwarmNowMs() + timeout_ms;
    while (SwarmNowMs() < end) {
      publisher_->Poll();
      bool all = true;
      for (auto& p : participants_) {
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

  coordinator::publish::Publisher& publisher() { return *publisher_; }
  std::vector<std::unique_ptr<transfer::PeerSession>>& participants() { return participants_; }
  const std::filesystem::path& root() const { return root_; }
  int http_port() const { return port_; }
  int64_t id() const { return id_; }

 private:
  std::filesystem::path root_;
  std::unique_ptr<httplib::Server> http_;
  std::thread http_thread_;
  int port_ = 0;
  int64_t id_ = 1;
  std::string video_;
  std::unique_ptr<coordinator::publish::Publisher> publisher_;
  std::vector<std::unique_ptr<transfer::PeerSession>> participants_;
};

}  // namespace flamegrid::testing
