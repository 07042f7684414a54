// Publisher: publishes each assembled sequence as a hybrid (v1+v2) torrent
// and seeds it from the coordinator. The .torrent names the coordinator's
// HTTP port as its tracker (coordinator/publish/tracker.h) and as a BEP 19
// web seed (GET /sequences/ID.mp4, see http_routes.h), so any standard client
// with nothing but the .torrent can fetch the video.
//
// Files under the coordinator's data folder DIR:
//   DIR/torrents/<id>.torrent   the published torrent (made once, then reused)
//   DIR/torrents/<id>.stats     "sha256 size bt_uploaded web_uploaded", the
//                               video's digest and the bytes the coordinator
//                               sent for it (persisted by Poll)
//
// Owned by the Coordinator (coordinator/service). Start, Publish and Poll are called from one
// owner thread (the session's alerts are polled there, libtorrent style); the
// readers (TorrentFile, Stats, VideoPath, AddWebSeedBytes, tracker()) are
// thread-safe and called by the HTTP threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/publish/tracker.h"
#include "proto/shared/env.h"
#include "renderer/base/status.h"

namespace libtorrent {
struct session;
}

namespace flamegrid::coordinator::publish {

struct PublisherOptions {
  std::string data_dir;
  // The torrents folder's files are read and written through it; must
  // outlive the publisher.
  Env* env = Env::Default();
  // Where participants reach the coordinator's HTTP port, e.g.
  // "http://127.0.0.1:7751" (no trailing slash).
  std::string http_base;
  std::string listen_interfaces = "127.0.0.1:0";  // the BitTorrent port
  int tracker_interval_seconds = 30;
  // Tracker entries one address may hold per swarm (Tracker); tests with
  // every participant on 127.0.0.1 raise it (serve --tracker-peers-per-address).
  int tracker_peers_per_address = Tracker::kDefaultPeersPerAddress;
  // The coordinator is a backstop, not the main source: it unchokes few
  // peers at a time and sends at most this many bytes per second (0: no
  // limit), so participants that are faster among themselves fetch most
  // pieces from each other and the coordinator sends about one copy.
  int upload_rate_limit = 2 << 20;
  int unchoke_slots = 1;
  // While the swarm can finish without us, a torrent is seeded at this rate
  // only (bytes per second): when the connected peers hold every piece
  // between them, or when the tracker knows a participant with a complete
  // copy (a seed does not connect to a seed, so the coordinator cannot see
  // those; a participant arriving after others completed gets its copy from
  // them). A participant that cannot reach them falls back to the web seed
  // (worker/transfer/peer_session.h), so the trickle is no promise to finish.
  int backstop_rate_limit = 16 << 10;
  // BEP 16 super-seeding (libtorrent's torrent_flags::super_seeding): each
  // peer is shown one piece at a time, the next only once the last has been
  // seen elsewhere. Off: with libtorrent 2.0.8 it sent no BitTorrent payload
  // at all between separate hosts (p2p_offload_bench --super-seed --netns),
  // as it stalled on 127.0.0.1; every participant waited for the web seed.
  bool super_seeding = false;
  // One 16 KiB block per piece: a block a peer receives is at once a piece
  // it can share (larger pieces leave many half-done pieces in the swarm).
  int piece_size = 16 * 1024;
};

struct PublishedStats {
  std::string sha256;
  uint64_t size = 0;
  uint64_t bt_uploaded = 0;   // BitTorrent payload bytes sent
  uint64_t web_uploaded = 0;  // web seed bytes sent
  uint64_t uploaded() const { return bt_uploaded + web_uploaded; }
};

class Publisher {
 public:
  explicit Publisher(PublisherOptions options);
  ~Publisher();
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  Status Start();
  // Sets http_base when the HTTP port is known only after the options were
  // made (port 0). Call before the first Publish.
  void SetHttpBase(std::string http_base) { options_.http_base = std::move(http_base); }
  // Makes (or loads) the torrent for `video_path` and seeds it. Idempotent.
  Status Publish(int64_t id, const std::string& video_path);
  // Processes alerts, refreshes the upload counters and persists them.
  void Poll();
  // The BitTorrent listen port (0 before Start).
  int bt_port() const;

  std::optional<std::string> TorrentFile(int64_t id);
  std::optional<PublishedStats> Stats(int64_t id);
  // Every published sequence's stats summed (sha256 empty): GET /metrics.
  PublishedStats TotalStats();
  std::optional<std::string> VideoPath(int64_t id);
  void AddWebSeedBytes(int64_t id, uint64_t bytes);
  Tracker& tracker() { return tracker_; }

 private:
  struct Entry;
  Status SaveStats(int64_t id, const PublishedStats& stats);

  PublisherOptions options_;
  Tracker tracker_;
  std::unique_ptr<libtorrent::session> session_;
  int bt_port_ = 0;

  std::mutex mu_;  // guards entries_
  std::map<int64_t, std::shared_ptr<Entry>> entries_;
};

}  // namespace flamegrid::coordinator::publish
