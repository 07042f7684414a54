#include "worker/transfer/transfer_loop.h"

#include <httplib.h>

#include <chrono>
#include <thread>

#include "proto/support/log.h"

namespace flamegrid::transfer {

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

const char* EventName(TransferEventKind kind) {
  switch (kind) {
    case TransferEventKind::kStarted:
      return "fetching";
    case TransferEventKind::kCompleted:
      return "cached";
    case TransferEventKind::kEvicted:
      return "evicted";
    case TransferEventKind::kDiskFull:
      return "PAUSED";
    case TransferEventKind::kPeerBanned:
      return "banned a peer";
    case TransferEventKind::kError:
      return "error";
  }
  return "?";
}

}  // namespace

std::string DefaultCoordinatorHttp(const std::string& grpc_address) {
  const size_t colon = grpc_address.rfind(':');
  if (colon == std::string::npos) return grpc_address + ":7751";
  try {
    return grpc_address.substr(0, colon + 1) +
           std::to_string(std::stoi(grpc_address.substr(colon + 1)) + 1);
  } catch (...) {
    return grpc_address.substr(0, colon) + ":7751";
  }
}

TransferLoop::TransferLoop(std::shared_ptr<grpc::Channel> channel, TransferLoopOptions options)
    : stub_(v1::Grid::NewStub(channel)), options_(std::move(options)), session_(options_.session) {}

Status TransferLoop::Refresh(int64_t now_ms) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::ListFlockRequest request;
  v1::ListFlockResponse response;
  grpc::Status status = stub_->ListFlock(&context, request, &response);
  if (!status.ok()) return Status::Unavailable("listing the flock: " + status.error_message());
  const size_t colon = options_.coordinator_http.rfind(':');
  httplib::Client http(options_.coordinator_http.substr(0, colon),
                       std::stoi(options_.coordinator_http.substr(colon + 1)));
  http.set_connection_timeout(5);
  http.set_read_timeout(10);
  std::vector<OfferedSequence> offered;
  for (const v1::SequenceInfo& s : response.sequences()) {
    if (s.state() != "done") continue;
    auto it = torrents_.find(s.id());
    if (it == torrents_.end()) {
      auto res = http.Get("/sequences/" + std::to_string(s.id()) + ".torrent");
      if (!res || res->status != 200) continue;  // not published yet
      it = torrents_.emplace(s.id(), res->body).first;
    }
    OfferedSequence o;
    o.info.id = std::to_string(s.id());
    o.info.kind = s.kind() == "edge" ? cache::SequenceKind::kEdge : cache::SequenceKind::kLoop;
    if (s.kind() == "edge") {
      o.info.from = std::to_string(s.edge_from());
      o.info.to = std::to_string(s.edge_to());
    }
    o.info.name = s.name();
    o.info.rating = s.rating();
    o.info.frames = s.frames_total();
    o.created_ms = s.created_unix_ms();
    o.torrent = it->second;
    offered.push_back(std::move(o));
  }
  return session_.Offer(offered, now_ms);
}

Status TransferLoop::Run(const std::atomic<bool>& stop) {
  FG_RETURN_IF_ERROR(session_.Start());
  GridLog("peer session on 127.0.0.1:%d, cache in %s, quota %llu MB", session_.listen_port(),
          cache::CacheDir(options_.session.data_dir).c_str(),
          static_cast<unsigned long long>(options_.session.cache_max_bytes >> 20));
  int64_t next_refresh = 0;
  while (!stop) {
    const int64_t now = NowMs();
    if (now >= next_refresh) {
      if (Status s = Refresh(now); !s.ok()) GridLog("transfer: %s", s.ToString().c_str());
      next_refresh = now + options_.list_interval_ms;
    }
    for (const TransferEvent& e : session_.Poll(now)) {
      GridLog("transfer: %s %s%s%s", EventName(e.kind), e.id.c_str(), e.message.empty() ? "" : ": ",
              e.message.c_str());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  const TransferCounters c = session_.Counters();
  GridLog("peer session closing: %llu bytes uploaded, %llu downloaded",
          static_cast<unsigned long long>(c.uploaded),
          static_cast<unsigned long long>(c.downloaded));
  return Status::Ok();
}

}  // namespace flamegrid::transfer
