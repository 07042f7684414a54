// UploadStreams: the UploadFrame streams in flight on the gRPC server, kept
// so that a hostile volunteer cannot hold the server's threads and memory.
// At most `max_streams` are open at once and `max_streams_per_network` from
// one network (proto/shared/address.h's NetworkOf: IPv4 /24, IPv6 /64), so
// one attacker cannot take every slot from honest workers; a lease has at
// most one, and a
// stream waiting for a chunk longer than `idle_ms`, or still reading past
// its lease's deadline, is cancelled: the sync server blocks its thread in
// ServerReader::Read, and ServerContext::TryCancel makes that Read return
// false, so the handler returns and frees its thread and buffer.
//
// Thread-safe: handlers open and use streams from gRPC's threads while the
// watchdog thread (StartWatchdog) sweeps them. A stream's cancel function
// is called with the registry's lock held, only while its Stream is alive,
// so it never reaches a finished call's context.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "proto/shared/env.h"
#include "renderer/base/status.h"

namespace flamegrid::coordinator {

struct UploadStreamLimits {
  int64_t idle_ms = 10'000;          // the longest wait for a stream's next chunk
  int max_streams = 64;              // streams open at once, over all leases
  int max_streams_per_network = 16;  // of them from one network
};

class UploadStreams {
 public:
  // Cancels one stream's call (ServerContext::TryCancel in the service).
  using Cancel = std::function<void()>;

  // One open stream; closes itself when destroyed. Move-only.
  class Stream {
   public:
    Stream(Stream&& other) noexcept : owner_(other.owner_), id_(other.id_) {
      other.owner_ = nullptr;
    }
    Stream& operator=(Stream&&) = delete;
    Stream(const Stream&) = delete;
    ~Stream();

    // Ties the stream to `lease_id`, which its upload may use until
    // `deadline_ms` (the lease's): AlreadyExists while another stream holds
    // the lease.
    Status Claim(int64_t lease_id, int64_t deadline_ms);
    // Brackets a blocking Read: only time spent waiting for a chunk counts
    // as idle (checking and storing a frame may take longer).
    void Reading();
    void Working();
    // Why the watchdog cancelled the stream ("" while it has not).
    std::string cancelled() const;

   private:
    friend class UploadStreams;
    Stream(UploadStreams* owner, uint64_t id) : owner_(owner), id_(id) {}
    UploadStreams* owner_;
    uint64_t id_;
  };

  // `env` gives the clock and must outlive this.
  UploadStreams(Env* env, UploadStreamLimits limits);
  ~UploadStreams();  // stops the watchdog
  UploadStreams(const UploadStreams&) = delete;
  UploadStreams& operator=(const UploadStreams&) = delete;

  // Registers a new stream from `network` (NetworkOf the peer; "" counts as
  // one network), waiting for a chunk from now; Unavailable (which workers
  // retry) when max_streams are open, or max_streams_per_network from it.
  Result<Stream> Open(Cancel cancel, const std::string& network = "");

  // Cancels the streams that waited for a chunk longer than idle_ms or read
  // past their lease's deadline; how many it cancelled. The watchdog calls
  // it; tests call it with a frozen clock.
  int CancelStalled();
  // A thread that calls CancelStalled every idle_ms / 4 (at least every
  // second) until destruction.
  void StartWatchdog();

  size_t open_streams() const;

 private:
  struct Entry {
    Cancel cancel;
    int64_t lease_id = 0;  // 0: not yet claimed
    int64_t deadline_ms = 0;
    int64_t reading_since_ms = -1;  // -1: working, not waiting for a chunk
    std::string cancelled;
    std::string network;
  };

  void Close(uint64_t id);

  Env* env_;
  const UploadStreamLimits limits_;
  mutable std::mutex mu_;
  std::map<uint64_t, Entry> streams_;
  std::map<int64_t, uint64_t> by_lease_;
  std::map<std::string, int> by_network_;  // open streams per network (none: absent)
  uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::thread watchdog_;
};

}  // namespace flamegrid::coordinator
