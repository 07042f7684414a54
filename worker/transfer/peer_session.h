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
//   DIR/transfer/<id>.verify         what the coordinator published over gRPC
//                                    for it: SHA-256, size and torrent URL
//   DIR/transfer/partial/<id>.mp4    a download in progress; after a restart
//                                    it is hash-checked and resumed
//   DIR/cache/<id>.{mp4,json}        finished (sequence_cache.h); seeded from here
//
// Safety: every piece is hash-checked (v1 SHA-1 and v2 SHA-256 trees) before
// it is written as good; peers that send bad data are banned (libtorrent's
// smart ban). The torrent itself comes over plain HTTP, so it is checked
// against what the coordinator published over gRPC (ListFlock): its length
// must be the published size before the download starts, and the finished
// file's SHA-256 must be the published digest before it enters the cache. A
// copy that fails is discarded (torrent removed, partial file deleted), an
// event names where it came from (torrent URL, peers, web seed), and the
// sequence is not tried again before a backoff (1 min, doubling to 1 h).
// A full disk pauses downloads with a clear event and retries.
//
// Reachability: by default the session listens on every interface (IPv4 and
// IPv6, TCP and uTP) and asks the home router to forward its port (UPnP,
// NAT-PMP); tests listen on 127.0.0.1 with port mapping off.
//
// Owned by one thread (the worker's transfer loop), which calls every method;
// libtorrent's work reports back as TransferEvents that Poll() returns. Not
// thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <libtorrent/torrent_handle.hpp>

#include "proto/shared/env.h"
#include "renderer/base/status.h"
#include "worker/cache/sequence_cache.h"

namespace libtorrent {
struct session;
}

namespace flamegrid::worker::transfer {

struct PeerSessionOptions {
  std::filesystem::path data_dir;
  uint64_t cache_max_bytes = 0;  // 0: no quota
  int upload_rate_limit = 0;     // bytes per second for seeding; 0: unlimited
  // libtorrent's listen_interfaces: every interface, a port picked by the system.
  std::string listen_interfaces = "0.0.0.0:0,[::]:0";
  // UPnP and NAT-PMP (off in tests: they send SSDP multicast and talk to the gateway).
  bool port_mapping = true;
  // Peer exchange (ut_pex): off, so peers come from the coordinator's
  // tracker only; a peer cannot feed the session addresses to dial.
  bool peer_exchange = false;
  // After a discarded copy, wait this long before trying the sequence again;
  // it doubles with each further failure up to max_retry_backoff_ms.
  int64_t retry_backoff_ms = 60'000;
  int64_t max_retry_backoff_ms = 3'600'000;
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
  // Every file the session keeps and the free space it checks go through
  // this Env; tests pass a FaultyEnv (a full disk, a failed write).
  Env* env = Env::Default();
};

// A sequence the flock offers: its metadata and its torrent (bencoded), with
// what the coordinator published for it over gRPC, which the torrent and the
// finished file are checked against (empty sha256 / zero size: unchecked).
struct OfferedSequence {
  cache::SequenceInfo info;
  int64_t created_ms = 0;
  std::string torrent;
  std::string sha256;       // of the video, 64 hex digits
  uint64_t size = 0;        // of the video, bytes
  std::string torrent_url;  // where the torrent came from (for messages)
};

enum class TransferEventKind {
  kStarted,     // a download began (or resumed)
  kCompleted,   // verified and in the cache
  kEvicted,     // removed to keep within the quota
  kDiskFull,    // downloads paused: not enough space
  kPeerBanned,  // a peer sent corrupt data and was banned
  kDiscarded,   // the torrent or the finished copy is not what the coordinator published
  kNotice,      // for the log: a port mapping, say
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
  // True while a discarded sequence waits out its backoff.
  bool Refused(const std::string& id, int64_t now_ms) const;
  bool Complete(const std::string& id) const;
  TransferCounters Counters() const;
  int listen_port() const { return listen_port_; }

 private:
  struct Torrent;
  Status AddTorrent(const std::string& id, const std::string& torrent_bytes, bool complete,
                    int64_t now_ms);
  void Remove(const std::string& id, bool delete_cached);
  void Finish(Torrent& t, int64_t now_ms, std::vector<TransferEvent>* events);
  // Drops `id` (its torrent and partial file), reports why and where it came
  // from, and holds it back for the backoff.
  void Discard(const std::string& id, const std::string& why, const std::string& source,
               int64_t now_ms, std::vector<TransferEvent>* events);
  std::string Sources(const Torrent& t) const;
  // Deletes the cached video of `id` unless the sequence is held again.
  void DeleteStrayCopy(const std::string& id);
  // A storage move finished (or failed) for a torrent removed while moving.
  void MovedAfterRemoval(const libtorrent::torrent_handle& handle);
  uint64_t FreeBytes(const std::filesystem::path& path) const;
  void RemoveIfPresent(const std::filesystem::path& path) const;
  std::filesystem::path TransferDir() const;
  std::filesystem::path PartialDir() const;

  PeerSessionOptions options_;
  std::unique_ptr<libtorrent::session> session_;
  int listen_port_ = 0;
  std::map<std::string, std::unique_ptr<Torrent>> torrents_;  // by sequence id
  std::vector<TransferEvent> pending_;
  struct Backoff {
    int64_t until_ms = 0;
    int64_t delay_ms = 0;
  };
  std::map<std::string, Backoff> refused_;  // discarded sequences by id
  // Sequences evicted while libtorrent was still moving their storage into
  // the cache; since_ms is set by the first Poll after the removal.
  struct RemovedWhileMoving {
    std::string id;
    libtorrent::torrent_handle handle;
    int64_t since_ms = 0;
  };
  static constexpr int64_t kRemovedMoveWaitMs = 30'000;
  std::vector<RemovedWhileMoving> removed_while_moving_;
  bool disk_full_ = false;
  int64_t disk_full_since_ms_ = 0;
};

}  // namespace flamegrid::worker::transfer
