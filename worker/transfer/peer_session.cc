#include "worker/transfer/peer_session.h"

#include <libtorrent/alert_types.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/settings_pack.hpp>
#include <libtorrent/torrent_handle.hpp>
#include <libtorrent/torrent_info.hpp>
#include <libtorrent/torrent_status.hpp>

#include <libtorrent/peer_info.hpp>

#include <algorithm>
#include <cerrno>
#include <set>
#include <sstream>

#include "proto/shared/swarm_session.h"
#include "worker/transfer/cache_plan.h"
#include "worker/transfer/coordinator_http.h"

namespace fs = std::filesystem;
namespace lt = libtorrent;

namespace flamegrid::worker::transfer {

struct PeerSession::Torrent {
  std::string id;
  std::shared_ptr<const lt::torrent_info> info;
  lt::torrent_handle handle;
  std::vector<std::string> web_seeds;  // held back until the swarm stalls
  std::string sha256;                  // published over gRPC; empty: unchecked
  std::string torrent_url;
  std::set<std::string> sources;  // peers that sent payload (bounded)
  bool complete = false;          // in the cache, seeding
  bool moving = false;            // its storage is moving from partial/ into the cache
  bool web_seed_added = false;
  int64_t last_done = -1;
  int64_t last_progress_ms = 0;
  uint64_t size = 0;
};

namespace {

// DIR/transfer/<id>.verify holds a digest, a size and a URL: a few hundred bytes.
constexpr uint64_t kMaxVerifyBytes = 16 << 10;

bool IsDiskFull(const lt::error_code& ec) {
  return ec == boost::system::errc::no_space_on_device ||
         (ec.category() == boost::system::generic_category() && ec.value() == ENOSPC) ||
         (ec.category() == boost::system::system_category() && ec.value() == ENOSPC);
}

Result<std::shared_ptr<const lt::torrent_info>> ParseTorrent(const std::string& bytes) {
  lt::error_code ec;
  auto info = std::make_shared<lt::torrent_info>(
      lt::span<char const>(bytes.data(), static_cast<long>(bytes.size())), ec, lt::from_span);
  if (ec) return Status::InvalidArgument("bad torrent: " + ec.message());
  if (info->num_files() != 1) return Status::InvalidArgument("a sequence torrent has one file");
  return std::shared_ptr<const lt::torrent_info>(std::move(info));
}

// DIR/transfer/<id>.verify: "sha256 size torrent-url", one line.
std::string VerifyText(const OfferedSequence& o) {
  return (o.sha256.empty() ? "-" : o.sha256) + " " + std::to_string(o.size) + " " +
         (o.torrent_url.empty() ? "-" : o.torrent_url) + "\n";
}

constexpr size_t kMaxSourcesKept = 16;

// "torrent URL": where a torrent came from, in a discard's log line.
std::string TorrentSource(const std::string& url) {
  return "torrent " + (url.empty() ? std::string("(url unknown)") : url);
}

// "a, b, c", or `none` when there is nothing to list.
template <typename Strings>
std::string ListOrNone(const Strings& items, const char* none) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? none : out;
}

}  // namespace

PeerSession::PeerSession(PeerSessionOptions options) : options_(std::move(options)) {}

PeerSession::~PeerSession() = default;

fs::path PeerSession::TransferDir() const { return options_.data_dir / "transfer"; }
fs::path PeerSession::PartialDir() const { return options_.data_dir / "transfer" / "partial"; }

uint64_t PeerSession::FreeBytes(const fs::path& path) const {
  // Space that cannot be measured does not stop a download; a write that
  // then fails on a full disk pauses it (see Poll).
  Result<uint64_t> free = options_.env->FreeBytes(path.string());
  return free.ok() ? *free : UINT64_MAX;
}

void PeerSession::RemoveIfPresent(const fs::path& path) const {
  // Best effort: what stays behind is removed with its sequence next time.
  (void)options_.env->RemoveFile(path.string());
}

Status PeerSession::Start() {
  FG_RETURN_IF_ERROR(options_.env->CreateDirectories(PartialDir().string()));
  FG_RETURN_IF_ERROR(options_.env->CreateDirectories(cache::CacheDir(options_.data_dir).string()));
  lt::settings_pack pack =
      ClosedSwarmSettings(options_.listen_interfaces, "flamegrid-worker/0.1",
                          lt::alert_category::error | lt::alert_category::status |
                              lt::alert_category::storage | lt::alert_category::peer |
                              lt::alert_category::port_mapping | lt::alert_category::block_progress,
                          options_.port_mapping);
  // Short request queues: a slow source (the coordinator's budgeted seed)
  // is not asked for pieces that other peers will have long before it
  // gets round to them.
  pack.set_int(lt::settings_pack::request_queue_time, 1);
  FG_ASSIGN_OR_RETURN(
      StartedSession started,
      StartSwarmSession(std::move(pack), options_.upload_rate_limit, options_.peer_exchange));
  session_ = std::move(started.session);
  listen_port_ = started.tcp_port;
  // Seed what the cache holds and resume what was being fetched.
  Env& env = *options_.env;
  FG_ASSIGN_OR_RETURN(std::vector<std::string> files, env.ListDirectory(TransferDir().string()));
  for (const std::string& file : files) {
    const fs::path path = TransferDir() / file;
    if (path.extension() != ".torrent") continue;
    const std::string id = path.stem().string();
    if (!cache::ValidateSequenceId(id).ok()) continue;
    auto bytes = env.ReadFile(path.string(), kMaxTorrentBytes);
    if (!bytes.ok()) continue;
    const bool cached = env.FileExists(cache::InfoPath(options_.data_dir, id).string()) &&
                        env.FileExists(cache::VideoPath(options_.data_dir, id).string());
    if (!cached && !env.FileExists((TransferDir() / (id + ".json")).string())) continue;
    // A download resumes only with what it must be checked against.
    std::string sha256 = "-", size = "0", url = "-";
    if (!cached) {
      auto verify = env.ReadFile((TransferDir() / (id + ".verify")).string(), kMaxVerifyBytes);
      if (!verify.ok()) continue;
      std::istringstream(*verify) >> sha256 >> size >> url;
      if (sha256.size() != 64) continue;
    }
    if (auto s = AddTorrent(id, *bytes, cached, 0); !s.ok()) {
      pending_.push_back({TransferEventKind::kError, id, s.ToString()});
    } else if (!cached) {
      torrents_[id]->sha256 = sha256;
      torrents_[id]->torrent_url = url == "-" ? "" : url;
    }
  }
  return Status::Ok();
}

Status PeerSession::AddTorrent(const std::string& id, const std::string& torrent_bytes,
                               bool complete, int64_t now_ms) {
  FG_ASSIGN_OR_RETURN(auto info, ParseTorrent(torrent_bytes));
  const std::string expected = id + ".mp4";
  if (info->files().file_path(lt::file_index_t{0}) != expected) {
    return Status::InvalidArgument("torrent of " + id + " names " +
                                   info->files().file_path(lt::file_index_t{0}));
  }
  auto t = std::make_unique<Torrent>();
  t->id = id;
  t->complete = complete;
  t->size = static_cast<uint64_t>(info->total_size());
  t->last_progress_ms = now_ms;
  auto copy = std::make_shared<lt::torrent_info>(*info);
  for (const lt::web_seed_entry& w : copy->web_seeds()) t->web_seeds.push_back(w.url);
  // Peers first; the coordinator's web seed is the backstop (see Poll).
  if (!complete) copy->set_web_seeds({});
  t->info = copy;
  lt::add_torrent_params params;
  params.ti = std::const_pointer_cast<lt::torrent_info>(t->info);
  params.save_path = (complete ? cache::CacheDir(options_.data_dir) : PartialDir()).string();
  params.flags &= ~lt::torrent_flags::auto_managed;
  params.flags &= ~lt::torrent_flags::paused;
  lt::error_code ec;
  t->handle = session_->add_torrent(std::move(params), ec);
  if (ec) return Status::Internal("adding " + id + ": " + ec.message());
  if (!complete) pending_.push_back({TransferEventKind::kStarted, id, ""});
  torrents_[id] = std::move(t);
  return Status::Ok();
}

void PeerSession::Remove(const std::string& id, bool delete_cached) {
  auto it = torrents_.find(id);
  if (it != torrents_.end()) {
    // A storage move still queued on libtorrent's disk thread would put the
    // video back into the cache after we delete it: remember to delete it
    // again once the move is over (see Poll).
    if (delete_cached && it->second->moving) {
      removed_while_moving_.push_back({id, it->second->handle, 0});
    }
    session_->remove_torrent(it->second->handle);
    torrents_.erase(it);
  }
  if (delete_cached) {
    RemoveIfPresent(cache::InfoPath(options_.data_dir, id));  // the commit marker first
    RemoveIfPresent(cache::VideoPath(options_.data_dir, id));
  }
  RemoveIfPresent(PartialDir() / (id + ".mp4"));
  RemoveIfPresent(TransferDir() / (id + ".torrent"));
  RemoveIfPresent(TransferDir() / (id + ".json"));
  RemoveIfPresent(TransferDir() / (id + ".verify"));
}

void PeerSession::DeleteStrayCopy(const std::string& id) {
  // Only a copy nobody holds: not if the sequence came back in the meantime.
  if (torrents_.count(id) ||
      options_.env->FileExists(cache::InfoPath(options_.data_dir, id).string())) {
    return;
  }
  RemoveIfPresent(cache::VideoPath(options_.data_dir, id));
  RemoveIfPresent(PartialDir() / (id + ".mp4"));
}

void PeerSession::MovedAfterRemoval(const libtorrent::torrent_handle& handle) {
  for (auto it = removed_while_moving_.begin(); it != removed_while_moving_.end(); ++it) {
    if (it->handle != handle) continue;
    DeleteStrayCopy(it->id);
    removed_while_moving_.erase(it);
    return;
  }
}

bool PeerSession::Refused(const std::string& id, int64_t now_ms) const {
  auto it = refused_.find(id);
  return it != refused_.end() && now_ms < it->second.until_ms;
}

std::string PeerSession::Sources(const Torrent& t) const {
  std::set<std::string> peers = t.sources;
  if (t.handle.is_valid()) {
    std::vector<lt::peer_info> connected;
    t.handle.get_peer_info(connected);
    for (const lt::peer_info& p : connected) {
      if (p.connection_type != lt::peer_info::standard_bittorrent || p.total_download == 0)
        continue;
      if (peers.size() >= kMaxSourcesKept) break;
      std::ostringstream endpoint;
      endpoint << p.ip;
      peers.insert(endpoint.str());
    }
  }
  return TorrentSource(t.torrent_url) + "; peers: " + ListOrNone(peers, "none") + "; web seed: " +
         ListOrNone(t.web_seed_added ? t.web_seeds : std::vector<std::string>{}, "not used");
}

void PeerSession::Discard(const std::string& id, const std::string& why, const std::string& source,
                          int64_t now_ms, std::vector<TransferEvent>* events) {
  Remove(id, /*delete_cached=*/false);
  Backoff& b = refused_[id];
  b.delay_ms = b.delay_ms == 0 ? options_.retry_backoff_ms
                               : std::min(b.delay_ms * 2, options_.max_retry_backoff_ms);
  b.until_ms = now_ms + b.delay_ms;
  events->push_back({TransferEventKind::kDiscarded, id,
                     why + " (from " + source + "); copy deleted, retrying in " +
                         std::to_string((b.delay_ms + 999) / 1000) + " s"});
}

bool PeerSession::Complete(const std::string& id) const {
  auto it = torrents_.find(id);
  return it != torrents_.end() && it->second->complete;
}

Status PeerSession::Offer(const std::vector<OfferedSequence>& offered, int64_t now_ms) {
  if (!session_) return Status::FailedPrecondition("peer session not started");
  std::vector<CacheCandidate> candidates;
  std::map<std::string, const OfferedSequence*> by_id;
  for (const OfferedSequence& o : offered) {
    if (!cache::ValidateSequenceInfo(o.info).ok()) continue;
    if (!Holds(o.info.id) && Refused(o.info.id, now_ms)) continue;
    auto info = ParseTorrent(o.torrent);
    if (!info.ok()) {
      pending_.push_back({TransferEventKind::kError, o.info.id, info.status().ToString()});
      continue;
    }
    const auto torrent_size = static_cast<uint64_t>((*info)->total_size());
    if (!Holds(o.info.id) && o.size != 0 && torrent_size != o.size) {
      Discard(o.info.id,
              "the torrent of " + o.info.id + " describes " + std::to_string(torrent_size) +
                  " bytes but the coordinator published " + std::to_string(o.size),
              TorrentSource(o.torrent_url), now_ms, &pending_);
      continue;
    }
    by_id[o.info.id] = &o;
    candidates.push_back({o.info.id, static_cast<uint64_t>((*info)->total_size()), o.info.rating,
                          o.created_ms, Holds(o.info.id)});
  }
  // What we hold but the flock no longer lists still counts against the quota.
  for (const auto& [id, t] : torrents_) {
    if (by_id.count(id)) continue;
    double rating = -1e9;
    if (auto text = options_.env->ReadFile(cache::InfoPath(options_.data_dir, id).string(),
                                           cache::kMaxInfoBytes);
        text.ok()) {
      if (auto info = cache::SequenceInfoFromJson(*text); info.ok()) rating = info->rating;
    }
    candidates.push_back({id, t->size, rating, 0, true});
  }
  const CachePlan plan = PlanCache(std::move(candidates), options_.cache_max_bytes);
  for (const std::string& id : plan.evict) {
    Remove(id, /*delete_cached=*/true);
    pending_.push_back({TransferEventKind::kEvicted, id, "evicted to stay within the cache quota"});
  }
  if (disk_full_) return Status::Ok();  // Poll retries
  for (const std::string& id : plan.fetch) {
    const OfferedSequence& o = *by_id.at(id);
    auto info = ParseTorrent(o.torrent);
    const uint64_t size = static_cast<uint64_t>((*info)->total_size());
    const uint64_t free = FreeBytes(PartialDir());
    if (free < size + options_.reserve_bytes) {
      disk_full_ = true;
      disk_full_since_ms_ = now_ms;
      for (auto& [tid, t] : torrents_) {
        if (!t->complete) t->handle.pause();
      }
      pending_.push_back({TransferEventKind::kDiskFull, id,
                          "disk full: " + std::to_string(free >> 20) + " MB free, " + id +
                              " needs " + std::to_string((size + options_.reserve_bytes) >> 20) +
                              " MB; downloads paused"});
      return Status::Ok();
    }
    // A download starts only once what it resumes from after a restart is on disk.
    auto record = [&](const char* suffix, std::string_view bytes) {
      return options_.env
          ->WriteFileAtomic((TransferDir() / (id + suffix)).string(), bytes, SyncPolicy::kSync,
                            0644)
          .WithContext("recording the download of " + id);
    };
    FG_RETURN_IF_ERROR(record(".torrent", o.torrent));
    FG_RETURN_IF_ERROR(record(".json", cache::SequenceInfoToJson(o.info)));
    FG_RETURN_IF_ERROR(record(".verify", VerifyText(o)));
    FG_RETURN_IF_ERROR(AddTorrent(id, o.torrent, false, now_ms));
    torrents_[id]->sha256 = o.sha256;
    torrents_[id]->torrent_url = o.torrent_url;
  }
  return Status::Ok();
}

void PeerSession::Finish(Torrent& t, int64_t now_ms, std::vector<TransferEvent>* events) {
  const std::string id = t.id;
  auto meta_text =
      options_.env->ReadFile((TransferDir() / (id + ".json")).string(), cache::kMaxInfoBytes);
  Result<cache::SequenceInfo> meta = meta_text.ok()
                                         ? cache::SequenceInfoFromJson(*meta_text)
                                         : Result<cache::SequenceInfo>(meta_text.status());
  if (!meta.ok()) {
    events->push_back({TransferEventKind::kError, id, meta.status().ToString()});
    return;
  }
  const fs::path partial = PartialDir() / (id + ".mp4");
  if (Status s = cache::AddSequence(options_.data_dir, *meta, partial, t.sha256, options_.env);
      !s.ok()) {
    if (s.code() == StatusCode::kCorruption) {  // not the published video
      const std::string source = Sources(t);
      Discard(id, "discarded " + id + ": " + s.message(), source, now_ms, events);
      return;
    }
    const bool full = FreeBytes(cache::CacheDir(options_.data_dir)) < t.size;
    if (full) {
      disk_full_ = true;
      events->push_back({TransferEventKind::kDiskFull, id,
                         "disk full: cannot move " + id + " into the cache; downloads paused"});
    } else {
      events->push_back({TransferEventKind::kError, id, s.ToString()});
    }
    return;
  }
  // Seed from the cache copy (identical bytes, so libtorrent takes it as is);
  // the partial file goes once the storage has moved (see Poll).
  t.complete = true;
  t.moving = true;
  t.handle.move_storage(cache::CacheDir(options_.data_dir).string(),
                        lt::move_flags_t::dont_replace);
  RemoveIfPresent(TransferDir() / (id + ".json"));
  events->push_back({TransferEventKind::kCompleted, id, ""});
}

std::vector<TransferEvent> PeerSession::Poll(int64_t now_ms) {
  std::vector<TransferEvent> events;
  events.swap(pending_);
  if (!session_) return events;
  auto find = [this](const lt::torrent_handle& h) -> Torrent* {
    for (auto& [id, t] : torrents_) {
      if (t->handle == h) return t.get();
    }
    return nullptr;
  };
  std::vector<lt::alert*> alerts;
  session_->pop_alerts(&alerts);
  std::vector<std::string> finished;
  for (lt::alert* a : alerts) {
    if (auto* done = lt::alert_cast<lt::torrent_finished_alert>(a)) {
      if (Torrent* t = find(done->handle); t && !t->complete) finished.push_back(t->id);
    } else if (auto* fe = lt::alert_cast<lt::file_error_alert>(a)) {
      Torrent* t = find(fe->handle);
      const std::string id = t ? t->id : "";
      if (IsDiskFull(fe->error)) {
        if (!disk_full_) disk_full_since_ms_ = now_ms;
        disk_full_ = true;
        events.push_back({TransferEventKind::kDiskFull, id,
                          "disk full while writing " + id + "; downloads paused"});
      } else {
        events.push_back({TransferEventKind::kError, id, fe->message()});
      }
    } else if (auto* moved = lt::alert_cast<lt::storage_moved_alert>(a)) {
      if (Torrent* t = find(moved->handle)) {
        t->moving = false;
        RemoveIfPresent(PartialDir() / (t->id + ".mp4"));
      }
      MovedAfterRemoval(moved->handle);
    } else if (auto* failed = lt::alert_cast<lt::storage_moved_failed_alert>(a)) {
      if (Torrent* t = find(failed->handle)) t->moving = false;
      MovedAfterRemoval(failed->handle);
    } else if (auto* ban = lt::alert_cast<lt::peer_ban_alert>(a)) {
      Torrent* t = find(ban->handle);
      events.push_back({TransferEventKind::kPeerBanned, t ? t->id : "", ban->message()});
    } else if (auto* block = lt::alert_cast<lt::block_finished_alert>(a)) {
      // Who sent what (named if the copy is discarded): peers and web seeds.
      Torrent* t = find(block->handle);
      if (t && t->sources.size() < kMaxSourcesKept) {
        std::ostringstream endpoint;
        endpoint << block->endpoint;
        t->sources.insert(endpoint.str());
      }
    } else if (auto* mapped = lt::alert_cast<lt::portmap_alert>(a)) {
      events.push_back({TransferEventKind::kNotice, "", mapped->message()});
    } else if (auto* unmapped = lt::alert_cast<lt::portmap_error_alert>(a)) {
      events.push_back({TransferEventKind::kNotice, "", unmapped->message()});
    } else if (auto* hf = lt::alert_cast<lt::hash_failed_alert>(a)) {
      Torrent* t = find(hf->handle);
      events.push_back({TransferEventKind::kError, t ? t->id : "", hf->message()});
    }
  }
  for (const std::string& id : finished) {
    auto it = torrents_.find(id);
    if (it != torrents_.end()) Finish(*it->second, now_ms, &events);
  }
  // A removed torrent whose move never reports back is forgotten after a
  // while, its stray copy deleted.
  for (auto it = removed_while_moving_.begin(); it != removed_while_moving_.end();) {
    if (it->since_ms == 0) it->since_ms = now_ms;
    if (now_ms - it->since_ms > kRemovedMoveWaitMs) {
      DeleteStrayCopy(it->id);
      it = removed_while_moving_.erase(it);
    } else {
      ++it;
    }
  }
  // A full disk: retry now and then (the owner may have freed space).
  if (disk_full_ && now_ms - disk_full_since_ms_ >= options_.disk_full_retry_ms) {
    disk_full_since_ms_ = now_ms;
    bool room = true;
    for (auto& [id, t] : torrents_) {
      if (!t->complete && FreeBytes(PartialDir()) < options_.reserve_bytes) room = false;
    }
    if (room && FreeBytes(PartialDir()) >= options_.reserve_bytes) {
      disk_full_ = false;
      for (auto& [id, t] : torrents_) {
        if (t->complete) continue;
        t->handle.clear_error();
        t->handle.resume();
        t->last_progress_ms = now_ms;
      }
    }
  }
  // The web seed backstop for downloads the swarm does not move, or moves
  // only at the coordinator's trickle: measured over windows of
  // web_seed_after_ms.
  for (auto& [id, t] : torrents_) {
    if (t->complete || t->web_seed_added || disk_full_) continue;
    const lt::torrent_status st = t->handle.status({});
    if (t->last_done < 0) {
      t->last_done = st.total_wanted_done;
      t->last_progress_ms = now_ms;
      continue;
    }
    const int64_t window_ms = now_ms - t->last_progress_ms;
    if (window_ms < options_.web_seed_after_ms) continue;
    const int64_t gained = st.total_wanted_done - t->last_done;
    if (gained * 1000 < int64_t{options_.web_seed_min_rate} * window_ms) {
      for (const std::string& url : t->web_seeds) t->handle.add_url_seed(url);
      t->web_seed_added = true;
    } else {
      t->last_done = st.total_wanted_done;
      t->last_progress_ms = now_ms;
    }
  }
  return events;
}

TransferCounters PeerSession::Counters() const {
  TransferCounters c;
  for (const auto& [id, t] : torrents_) {
    const lt::torrent_status st = t->handle.status({});
    c.uploaded += static_cast<uint64_t>(st.total_payload_upload);
    c.downloaded += static_cast<uint64_t>(st.total_payload_download);
    (t->complete ? c.seeding : c.downloading)++;
    c.peers += st.num_peers;
  }
  return c;
}

}  // namespace flamegrid::worker::transfer
