// TransferLoop: drives a participant's PeerSession. Every few seconds it
// lists the flock (Grid.ListFlock), fetches the torrents it has not seen from
// the coordinator's HTTP port (GET /sequences/ID.torrent), and offers them to
// the session; in between it polls the session and logs its events.
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
#include "worker/transfer/peer_session.h"

namespace flamegrid::transfer {

struct TransferLoopOptions {
  PeerSessionOptions session;
  std::string coordinator_http;  // HOST:PORT of the coordinator's HTTP side
  int list_interval_ms = 3000;
};

class TransferLoop {
 public:
  TransferLoop(std::shared_ptr<grpc::Channel> channel, TransferLoopOptions options);
  Status Run(const std::atomic<bool>& stop);

 private:
  Status Refresh(int64_t now_ms);

  std::unique_ptr<v1::Grid::Stub> stub_;
  TransferLoopOptions options_;
  PeerSession session_;
  std::map<int64_t, std::string> torrents_;  // fetched .torrent files by sequence id
};

// "host:port" of the coordinator's HTTP side by the serve defaults: the gRPC
// address with its port plus one.
std::string DefaultCoordinatorHttp(const std::string& grpc_address);

}  // namespace flamegrid::transfer
