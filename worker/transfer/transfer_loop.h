// TransferLoop: drives a participant's PeerSession. Every few seconds it
// lists the flock (Grid.ListFlock), fetches the torrents it has not seen from
// where the coordinator says they are (SequenceInfo.torrent_url, else its
// public HTTP base; --coordinator-http overrides; see coordinator_http.h),
// and offers them to the session with the SHA-256 and size the coordinator
// published over gRPC; in between it polls the session and logs its events.
// A sequence the coordinator has not published yet (no digest) is skipped.
//
// Against a hostile coordinator: the listing's size is bounded by the
// channel's receive limit (kMaxFlockListBytes; flamegrid-worker gives the
// loop a channel of its own with it), at most kMaxListedSequences of it are
// considered per refresh, a torrent is read up to kMaxTorrentBytes and one
// that is larger is not asked for again before kRefusedTorrentRetryMs.
//
// Owned by flamegrid-worker: Run() blocks on the calling thread (the main
// thread with --no-render, a helper thread beside the renderer otherwise)
// until `stop` is set. Not thread-safe; the PeerSession lives on that thread.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <map>
#include <memory>
#include <string>

#include "flamegrid/v1/grid.grpc.pb.h"
#include "renderer/base/status.h"
#include "worker/client/in_flight_calls.h"
#include "worker/transfer/peer_session.h"

namespace flamegrid::worker::transfer {

// The most a ListFlock answer may weigh (a sequence's entry is a few hundred
// bytes: tens of thousands of sequences).
inline constexpr int kMaxFlockListBytes = 8 << 20;
// The most sequences of one listing the loop considers (newest first).
inline constexpr int kMaxListedSequences = 1000;
// A torrent refused as too large is fetched again only after this long.
inline constexpr int64_t kRefusedTorrentRetryMs = 10 * 60'000;

struct TransferLoopOptions {
  // Also the loop's files and clock: session.env.
  PeerSessionOptions session;
  // The gRPC address the participant reached the coordinator at: it stands
  // in for a wildcard host (0.0.0.0) in the URLs the coordinator sends.
  std::string coordinator;
  // Override of the coordinator's HTTP side (HOST:PORT or http://HOST:PORT);
  // empty: where the coordinator says it is.
  std::string coordinator_http;
  int list_interval_ms = 3000;
};

class TransferLoop {
 public:
  TransferLoop(std::shared_ptr<grpc::Channel> channel, TransferLoopOptions options);
  Status Run(const std::atomic<bool>& stop);

 private:
  Status Refresh(int64_t now_ms, const std::atomic<bool>& stop);

  std::unique_ptr<v1::Grid::Stub> stub_;
  TransferLoopOptions options_;
  PeerSession session_;
  std::map<int64_t, std::string> torrents_;        // fetched .torrent files by sequence id
  std::map<int64_t, int64_t> oversized_until_ms_;  // torrents refused as too large
  std::string last_error_;                         // logged once until it changes
  bool listing_capped_logged_ = false;
  InFlightCalls* calls_ = nullptr;  // Run's: a stop cancels a listing or fetch
};

}  // namespace flamegrid::worker::transfer
