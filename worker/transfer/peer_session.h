// PeerSession: the participant's BitTorrent session (libtorrent). It fetches
// the sequences the cache plan wants (worker/transfer/cache_plan.h: best-rated
// and newest first, within --cache-max-mb), from peers first and from the
// coordinator's web seed as a backstop when the swarm stalls; hands each
// verified video to the cache through cache::AddSequence; and seeds what it
// holds to other participants within an upload budget.
//
// Files under the worker's data folder DIR:
//   DIR/transfer/<id>.torrent        the sequence's torrent (kept while held)
//   DIR/transfer/<id>.json           the cache metadata to write on completion
//   DIR/transfer/partial/<id>.mp4    a download in progress; after a restart
//                                    it is hash-checked and resumed
//   DIR/cache/<id>.{mp4,json}        finished (sequence_cache.h); seeded from here
//
// Safety: every piece is hash-checked (v1 SHA-1 and v2 SHA-256 trees) before
// it is written as good; peers that send bad data are banned (libtorrent's
// smart ban). A full disk pauses downloads with a clear event and retries.
//
// Owned by one thread (the worker's transfer loop), which calls every method;
// libtorrent's work reports back as TransferEvents that Poll() returns. Not
// thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "renderer/base/status.h"
#include "worker/cache/sequence_cache.h"

namespace libtorrent {
struct session;
}

namespace flamegrid::transfer {

struct PeerSessionOptions {
  std::filesystem::path data_dir;
  uint64_t cache_max_bytes = 0;  // 0: no quota
  int upload_rate_limit = 0;     // bytes per second for seeding; 0: unlimited
  std::string listen_interfaces = "127.0.0.1:0";
  // Add the web seed when, over this long, a download got less than
  // web_seed_min_rate bytes per second: the swarm does not move it (no
  // reachable peer has what it lacks, and the coordinator's seed only
  // trickles while it believes the swarm can finish without it).
  int web_seed_after_ms = 8000;
  int web_seed_min_rate = 32 << 10;
  // Retry paused downloads (full disk) this often.
  int disk_full_retry_ms = 10000;
  // Keep this much disk free beyond a download's size.
  uint64_t reserve_bytes = 16ull << 20;
  // Free bytes on the file system holding `path`; null: std::filesystem::space.
  // Tests inject a full disk here.
  std::function<uint64_t(const std::filesystem::path&)> free_bytes;
};

// A sequence the flock offers: its metadata and its torrent (bencoded).
struct OfferedSequence {
  cache::SequenceInfo info;
  int64_t created_ms = 0;
  std::string torrent;
};

enum class TransferEventKind {
  kStarted,     // a download began (or resumed)
  kCompleted,   // verified and in the cache
  kEvicted,     // removed to keep within the quota
  kDiskFull,    // downloads paused: not enough space
  kPeerBanned,  // a peer sent corrupt data and was banned
  kError,       // anything else, with the message
};

struct TransferEvent {
  TransferEventKind kind;
  std::string id;
  std::string message;
};

struct TransferCounters {
  uint64_t uploaded = 0;    // payload bytes sent to peers
  uint64_t downloaded = 0;  // payload bytes received
  int downloading = 0;
  int seeding = 0;
  int peers = 0;  // connected peers, all torrents
};

class PeerSession {
 public:
  explicit PeerSession(PeerSessionOptions options);
  ~PeerSession();
  PeerSession(const PeerSession&) = delete;
  PeerSession& operator=(const PeerSession&) = delete;

  // Opens the session; seeds what the cache holds and resumes partial downloads.
  Status Start();
  // The flock's current sequences: plans the cache, evicts, starts downloads.
  Status Offer(const std::vector<OfferedSequence>& offered, int64_t now_ms);
  // Processes libtorrent's alerts; returns what happened since the last call.
  std::vector<TransferEvent> Poll(int64_t now_ms);
  bool Holds(const std::string& id) const { return torrents_.count(id) != 0; }
  bool Complete(const std::string& id) const;
  TransferCounters Counters() const;
  int listen_port() const { return listen_port_; }

 private:
  struct Torrent;
  Status AddTorrent(const std::string& id, const std::string& torrent_bytes, bool complete,
                    int64_t now_ms);
  void Remove(const std::string& id, bool delete_cached);
  void Finish(Torrent& t, std::vector<TransferEvent>* events);
  uint64_t FreeBytes(const std::filesystem::path& path) const;
  std::filesystem::path TransferDir() const;
  std::filesystem::path PartialDir() const;

  PeerSessionOptions options_;
  std::unique_ptr<libtorrent::session> session_;
  int listen_port_ = 0;
  std::map<std::string, std::unique_ptr<Torrent>> torrents_;  // by sequence id
  std::vector<TransferEvent> pending_;
  bool disk_full_ = false;
  int64_t disk_full_since_ms_ = 0;
};

}  // namespace flamegrid::transfer
