// Tracker: a minimal BitTorrent HTTP tracker (BEP 3 announce with BEP 23
// compact peer lists) for the coordinator's own torrents. Participants on a
// closed network find each other through it; no DHT is needed. Only info
// hashes the Publisher allowed are tracked; peers that stop announcing expire.
//
// A peer is listed at the address its announce came from (the HTTP
// connection's remote address), never one it claims: the `ip` parameter is
// ignored, so a peer cannot point the swarm at someone else. Entries are
// keyed by that address and the peer id: an announce (`stopped` too) only
// ever changes the caller's own entry, and one address holds at most
// max_peers_per_address entries per swarm (a new one replaces the address's
// longest silent entry), so one machine announcing ports 1..10000 cannot
// crowd real peers out of the answers. A negative or malformed `left` is
// refused.
//
// Delivery accounting: each announce's `uploaded` (the bytes that peer sent
// for the torrent this session) is kept per (sequence, peer), last value
// wins (a lower count means the peer restarted: what it reported before is
// kept); the sum over a sequence's peers is its peer_bytes_uploaded. It is
// self-reported, so each value is clamped to (peers in the swarm x file
// size), the coordinator's own seed (peer id kCoordinatorPeerIdPrefix) is
// left out (its bytes are counted by the Publisher), a swarm keeps at most
// kMaxPeersPerSwarm peers and kMaxUploadReports reports, and one address at
// most max_peers_per_address reports per sequence.
//
// Owned by the Publisher. Thread-safe: HTTP server threads announce while
// the publisher allows new hashes.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <tuple>

namespace flamegrid::coordinator::publish {

// One parsed announce: the raw query parameters a client sends.
struct Announce {
  std::string info_hash;  // 20 raw bytes
  std::string peer_id;
  uint32_t ipv4 = 0;  // host byte order; from the connection
  int port = 0;
  std::string event;      // "", started, completed, stopped
  uint64_t left = 0;      // bytes the peer still lacks (0: a seed)
  uint64_t uploaded = 0;  // payload bytes this peer sent for the torrent (self-reported)
  int numwant = 50;
};

// Parses the query string of an announce ("a=b&c=d", no leading '?').
// Returns false with `error` set when info_hash or port is missing or bad,
// or `left` is not a non-negative number.
bool ParseAnnounceQuery(std::string_view query, Announce* out, std::string* error);
// A bencoded {"failure reason": why}.
std::string TrackerFailure(std::string_view why);
// Parses a dotted IPv4 address; false for anything else.
bool ParseIpv4(std::string_view text, uint32_t* out);

// The tracker's clock: steady milliseconds, as announces and the publisher's
// seed count read it.
inline int64_t TrackerNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

class Tracker {
 public:
  static constexpr size_t kMaxPeersPerSwarm = 2000;
  static constexpr size_t kMaxUploadReports = 4000;
  // Entries one address may hold per swarm: a few participants behind one
  // NAT; tests running every peer on 127.0.0.1 raise it.
  static constexpr int kDefaultPeersPerAddress = 4;

  explicit Tracker(int interval_seconds = 30, int max_peers_per_address = kDefaultPeersPerAddress)
      : interval_seconds_(interval_seconds),
        max_peers_per_address_(static_cast<size_t>(std::max(1, max_peers_per_address))) {}

  // Tracks `info_hash`. A hybrid torrent's v1 and v2 hashes name the same
  // `sequence` (so one peer's reports count once); `size` bounds the reports.
  void Allow(const std::string& info_hash, int64_t sequence = 0, uint64_t size = 0);
  // Records the peer and returns the bencoded response: a compact list of up
  // to numwant other peers (never the asker), or a failure reason.
  std::string Handle(const Announce& announce, int64_t now_ms);
  // Peers currently tracked for a hash (tests, status).
  size_t PeerCount(const std::string& info_hash);
  // Complete peers (seeds) that announced for a hash within three intervals,
  // except those listening on `except_port` (the coordinator's own seed).
  size_t SeedCount(const std::string& info_hash, int except_port, int64_t now_ms);
  // The bytes participants report having sent each other for `sequence`.
  uint64_t PeerBytesUploaded(int64_t sequence);
  // The same summed over every sequence (GET /metrics).
  uint64_t PeerBytesUploadedTotal();

 private:
  // Where an announce came from and who it says it is.
  struct PeerKey {
    uint32_t ipv4 = 0;
    std::string peer_id;
    bool operator<(const PeerKey& other) const {
      return std::tie(ipv4, peer_id) < std::tie(other.ipv4, other.peer_id);
    }
  };
  struct Peer {
    uint32_t ipv4 = 0;
    int port = 0;
    bool seed = false;
    int64_t seen_ms = 0;
  };
  // Entries of `map` (keyed by PeerKey) from `ipv4`.
  template <typename Map>
  static size_t CountFrom(const Map& map, uint32_t ipv4);

  const int interval_seconds_;
  const size_t max_peers_per_address_;
  std::mutex mu_;
  struct Allowed {
    int64_t sequence = 0;
    uint64_t size = 0;
  };
  std::map<std::string, Allowed> allowed_;                 // by info hash
  std::map<std::string, std::map<PeerKey, Peer>> swarms_;  // hash -> (ip, peer id) -> peer
  struct UploadReport {
    uint64_t earlier = 0;  // reported by the peer's earlier sessions
    uint64_t last = 0;     // its latest report
    uint64_t total = 0;    // earlier + last, clamped
  };
  // sequence -> (ip, peer id) -> what it reported
  std::map<int64_t, std::map<PeerKey, UploadReport>> uploaded_;
  static uint64_t SumReports(const std::map<PeerKey, UploadReport>& reports);
  std::mt19937_64 random_{0x5eed};
};

}  // namespace flamegrid::coordinator::publish
