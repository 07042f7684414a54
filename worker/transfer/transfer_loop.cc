#include "worker/transfer/transfer_loop.h"

#include <chrono>
#include <filesystem>
#include <thread>

#include "proto/shared/log.h"
#include "renderer/base/parse_number.h"
#include "worker/transfer/coordinator_http.h"

namespace flamegrid::worker::transfer {

namespace {

namespace fs = std::filesystem;

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
    case TransferEventKind::kDiscarded:
      return "DISCARDED";
    case TransferEventKind::kNotice:
      return "note";
    case TransferEventKind::kError:
      return "error";
  }
  return "?";
}

}  // namespace

TransferLoop::TransferLoop(std::shared_ptr<grpc::Channel> channel, TransferLoopOptions options)
    : stub_(v1::Grid::NewStub(channel)), options_(std::move(options)), session_(options_.session) {}

Status TransferLoop::Refresh(int64_t now_ms, const std::atomic<bool>& stop) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::ListFlockRequest request;
  v1::ListFlockResponse response;
  grpc::Status status;
  {
    const InFlightCalls::Scope tracked(calls_, &context);
    status = stub_->ListFlock(&context, request, &response);
  }
  if (!status.ok()) return Status::Unavailable("listing the flock: " + status.error_message());
  std::vector<OfferedSequence> offered;
  if (response.sequences_size() > kMaxListedSequences && !listing_capped_logged_) {
    GridLog("transfer: the coordinator lists %d sequences; considering the first %d",
            response.sequences_size(), kMaxListedSequences);
    listing_capped_logged_ = true;
  }
  int considered = 0;
  for (const v1::SequenceInfo& s : response.sequences()) {
    if (stop || ++considered > kMaxListedSequences) break;
    if (s.state() != "done") continue;
    if (s.sha256().size() != 64 || s.size() == 0) continue;  // not published yet
    const std::string id = std::to_string(s.id());
    if (!session_.Holds(id) && session_.Refused(id, now_ms)) continue;
    Result<std::string> url = TorrentUrl(s.id(), options_.coordinator_http, s.torrent_url(),
                                         response.public_http(), options_.coordinator);
    if (!url.ok()) {
      if (last_error_ != url.status().message()) {
        GridLog("transfer: %s", url.status().ToString().c_str());
      }
      last_error_ = url.status().message();
      continue;
    }
    auto it = torrents_.find(s.id());
    if (it == torrents_.end() && !session_.Holds(id)) {
      if (auto refused = oversized_until_ms_.find(s.id());
          refused != oversized_until_ms_.end() && now_ms < refused->second) {
        continue;
      }
      Result<std::string> torrent = FetchBounded(*url, kMaxTorrentBytes, calls_);
      if (!torrent.ok()) {
        if (torrent.status().code() == StatusCode::kResourceExhausted) {
          oversized_until_ms_[s.id()] = now_ms + kRefusedTorrentRetryMs;
        }
        if (torrent.status().code() != StatusCode::kNotFound &&
            last_error_ != torrent.status().message()) {
          GridLog("transfer: %s", torrent.status().ToString().c_str());
        }
        last_error_ = torrent.status().message();
        continue;
      }
      it = torrents_.emplace(s.id(), std::move(*torrent)).first;
    }
    if (it == torrents_.end()) {
      // Held from an earlier run: the session has its torrent on disk.
      const fs::path held = options_.session.data_dir / "transfer" / (id + ".torrent");
      Result<std::string> bytes = options_.session.env->ReadFile(held.string(), kMaxTorrentBytes);
      if (!bytes.ok() || bytes->empty()) continue;
      it = torrents_.emplace(s.id(), std::move(*bytes)).first;
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
    o.sha256 = s.sha256();
    o.size = s.size();
    o.torrent_url = *url;
    offered.push_back(std::move(o));
  }
  return session_.Offer(offered, now_ms);
}

Status TransferLoop::Run(const std::atomic<bool>& stop) {
  FG_RETURN_IF_ERROR(session_.Start());
  InFlightCalls calls(stop);
  calls_ = &calls;
  GridLog(
      "peer session listening on %s (port %d, TCP and uTP, port mapping %s), cache in %s, "
      "quota %llu MB",
      options_.session.listen_interfaces.c_str(), session_.listen_port(),
      options_.session.port_mapping ? "on" : "off",
      cache::CacheDir(options_.session.data_dir).c_str(),
      static_cast<unsigned long long>(options_.session.cache_max_bytes >> 20));
  int64_t next_refresh = 0;
  while (!stop) {
    const int64_t now = options_.session.env->NowMs();
    if (now >= next_refresh) {
      if (Status s = Refresh(now, stop); !s.ok()) GridLog("transfer: %s", s.ToString().c_str());
      next_refresh = now + options_.list_interval_ms;
    }
    for (const TransferEvent& e : session_.Poll(now)) {
      // A discarded copy's torrent may be what was wrong: fetch it afresh.
      if (e.kind == TransferEventKind::kDiscarded) {
        if (Result<int64_t> id = ParseInt64(e.id, "sequence id"); id.ok()) torrents_.erase(*id);
      }
      GridLog("transfer: %s %s%s%s", EventName(e.kind), e.id.c_str(), e.message.empty() ? "" : ": ",
              e.message.c_str());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  calls_ = nullptr;
  const TransferCounters c = session_.Counters();
  GridLog("peer session closing: %llu bytes uploaded, %llu downloaded",
          static_cast<unsigned long long>(c.uploaded),
          static_cast<unsigned long long>(c.downloaded));
  return Status::Ok();
}

}  // namespace flamegrid::worker::transfer
