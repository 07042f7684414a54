#include "coordinator/publish/publisher.h"

#include <libtorrent/alert_types.hpp>
#include <libtorrent/bencode.hpp>
#include <libtorrent/create_torrent.hpp>
#include <libtorrent/peer_info.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/settings_pack.hpp>
#include <libtorrent/torrent_handle.hpp>
#include <libtorrent/torrent_info.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <thread>

#include "proto/shared/digest.h"
#include "proto/shared/log.h"
#include "proto/shared/swarm_session.h"

namespace fs = std::filesystem;
namespace lt = libtorrent;

namespace flamegrid::coordinator::publish {

struct Publisher::Entry {
  std::string torrent;  // bencoded
  std::string video_path;
  lt::torrent_handle handle;
  PublishedStats stats;
  uint64_t bt_base = 0;  // bt_uploaded persisted before this run
  uint64_t persisted_total = 0;
  bool throttled = false;                   // the swarm holds every piece: backstop rate
  std::vector<std::string> tracker_hashes;  // the 20-byte hashes peers announce
};

namespace {

// The stats file is one line; a torrent of a loop (16 KiB pieces) tens of kB.
constexpr uint64_t kMaxStatsBytes = 4 << 10;
constexpr uint64_t kMaxTorrentBytes = 64ull << 20;
// A loop's video is a few MB; it is read whole once, for its digest.
constexpr uint64_t kMaxVideoBytes = 1ull << 30;

}  // namespace

Publisher::Publisher(PublisherOptions options)
    : options_(std::move(options)),
      tracker_(options_.tracker_interval_seconds, options_.tracker_peers_per_address) {}

Publisher::~Publisher() {
  if (session_) Poll();  // persist the last counters
}

int Publisher::bt_port() const { return bt_port_; }

Status Publisher::Start() {
  FG_RETURN_IF_ERROR(options_.env->CreateDirectories(options_.data_dir + "/torrents"));
  lt::settings_pack pack = ClosedSwarmSettings(
      options_.listen_interfaces, "flamegrid-coordinator/0.1",
      lt::alert_category::error | lt::alert_category::status | lt::alert_category::storage);
  // The backstop: few peers at a time and a budget, so participants get most
  // pieces from each other (see PublisherOptions).
  pack.set_int(lt::settings_pack::unchoke_slots_limit, options_.unchoke_slots);
  // Re-choose the unchoked peers often: one that completed frees its slot.
  pack.set_int(lt::settings_pack::unchoke_interval, 2);
  // Few requests queued per peer: a request that waits at our budgeted seed
  // is a piece the swarm would have delivered meanwhile (a duplicate).
  pack.set_int(lt::settings_pack::max_allowed_in_request_queue, 4);
  pack.set_int(lt::settings_pack::optimistic_unchoke_interval, 4);
  // No BEP 6 allowed-fast pieces: a peer may ask for those while choked, and
  // the set is derived from the peer's /24, so every participant of a LAN
  // (or of 127.0.0.1) gets the same few pieces straight from the coordinator
  // (5 pieces of 19 to each of 8 peers was two copies of a 300 KB loop).
  pack.set_int(lt::settings_pack::allowed_fast_set_size, 0);
  FG_ASSIGN_OR_RETURN(StartedSession started,
                      StartSwarmSession(std::move(pack), options_.upload_rate_limit));
  session_ = std::move(started.session);
  bt_port_ = started.tcp_port;
  return Status::Ok();
}

Status Publisher::Publish(int64_t id, const std::string& video_path) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (entries_.count(id)) return Status::Ok();
  }
  if (!session_) return Status::FailedPrecondition("publisher not started");
  const fs::path video(video_path);
  const fs::path dir = fs::path(options_.data_dir) / "torrents";
  const fs::path torrent_path = dir / (std::to_string(id) + ".torrent");
  const fs::path stats_path = dir / (std::to_string(id) + ".stats");
  auto entry = std::make_shared<Entry>();
  entry->video_path = video_path;

  // The digest and counters: from the stats file, or computed now.
  if (auto text = options_.env->ReadFile(stats_path.string(), kMaxStatsBytes); text.ok()) {
    std::istringstream in(*text);
    in >> entry->stats.sha256 >> entry->stats.size >> entry->stats.bt_uploaded >>
        entry->stats.web_uploaded;
    if (!in) entry->stats = {};
  }
  if (entry->stats.sha256.size() != 64) {
    FG_ASSIGN_OR_RETURN(std::string bytes, options_.env->ReadFile(video.string(), kMaxVideoBytes));
    entry->stats = PublishedStats{Sha256Hex(bytes), bytes.size(), 0, 0};
  }
  entry->bt_base = entry->stats.bt_uploaded;

  if (auto existing = options_.env->ReadFile(torrent_path.string(), kMaxTorrentBytes);
      existing.ok()) {
    entry->torrent = *existing;
  } else {
    lt::file_storage files;
    lt::add_files(files, video.string());
    if (files.num_files() != 1 || files.total_size() <= 0) {
      return Status::InvalidArgument("cannot publish " + video.string() + ": missing or empty");
    }
    // Default flags make a hybrid torrent (v1 and v2 metadata) in libtorrent 2.0.
    lt::create_torrent ct(files, options_.piece_size);
    ct.add_tracker(options_.http_base + "/announce");
    ct.add_url_seed(options_.http_base + "/sequences/");
    ct.set_creator("flamegrid");
    ct.set_comment(("flamegrid sequence " + std::to_string(id)).c_str());
    lt::error_code hash_error;
    lt::set_piece_hashes(ct, video.parent_path().string(), hash_error);
    if (hash_error) {
      return Status::Internal("hashing " + video.string() + ": " + hash_error.message());
    }
    std::vector<char> buffer;
    lt::bencode(std::back_inserter(buffer), ct.generate());
    entry->torrent.assign(buffer.begin(), buffer.end());
    // Made once per sequence and named by every participant: kept across a power cut.
    FG_RETURN_IF_ERROR(
        options_.env->WriteFileAtomic(torrent_path.string(), entry->torrent, SyncPolicy::kSync));
  }
  lt::error_code parse_error;
  auto info = std::make_shared<lt::torrent_info>(
      lt::span<char const>(entry->torrent.data(), static_cast<long>(entry->torrent.size())),
      parse_error, lt::from_span);
  if (parse_error) return Status::Internal("bad torrent for " + std::to_string(id));
  const lt::info_hash_t hashes = info->info_hashes();
  if (hashes.has_v1()) entry->tracker_hashes.push_back(hashes.v1.to_string());
  if (hashes.has_v2()) entry->tracker_hashes.push_back(hashes.v2.to_string().substr(0, 20));
  for (const std::string& hash : entry->tracker_hashes) tracker_.Allow(hash, id, entry->stats.size);

  lt::add_torrent_params params;
  params.ti = info;
  params.save_path = video.parent_path().string();
  params.flags |= lt::torrent_flags::seed_mode;
  params.flags &= ~lt::torrent_flags::auto_managed;
  params.flags &= ~lt::torrent_flags::paused;
  if (options_.super_seeding) params.flags |= lt::torrent_flags::super_seeding;
  lt::error_code add_error;
  entry->handle = session_->add_torrent(std::move(params), add_error);
  if (add_error) return Status::Internal("seeding " + video.string() + ": " + add_error.message());
  entry->persisted_total = entry->stats.uploaded();
  FG_RETURN_IF_ERROR(SaveStats(id, entry->stats));
  {
    std::lock_guard<std::mutex> lock(mu_);
    entries_[id] = entry;
  }
  GridLog("published sequence %lld: %llu bytes, sha256 %s", static_cast<long long>(id),
          static_cast<unsigned long long>(entry->stats.size), entry->stats.sha256.c_str());
  return Status::Ok();
}

void Publisher::Poll() {
  if (!session_) return;
  const int64_t now_ms = TrackerNowMs();
  std::vector<lt::alert*> alerts;
  session_->pop_alerts(&alerts);
  for (lt::alert* a : alerts) {
    if (lt::alert_cast<lt::file_error_alert>(a) || lt::alert_cast<lt::torrent_error_alert>(a)) {
      GridLog("publish: %s", a->message().c_str());
    }
  }
  std::vector<std::pair<int64_t, std::shared_ptr<Entry>>> entries;
  {
    std::lock_guard<std::mutex> lock(mu_);
    entries.assign(entries_.begin(), entries_.end());
  }
  for (auto& [id, entry] : entries) {
    if (!entry->handle.is_valid()) continue;
    // Backstop: once the connected peers hold every piece between them, or a
    // participant elsewhere holds the whole video, the swarm can finish
    // without us; send only a trickle until that changes.
    std::vector<lt::peer_info> peers;
    entry->handle.get_peer_info(peers);
    const int pieces =
        entry->handle.torrent_file() ? entry->handle.torrent_file()->num_pieces() : 0;
    std::vector<bool> held(static_cast<size_t>(pieces), false);
    int covered = 0;
    for (const lt::peer_info& p : peers) {
      if (p.connection_type != lt::peer_info::standard_bittorrent) continue;
      for (int i = 0; i < pieces && i < p.pieces.size(); ++i) {
        if (!held[static_cast<size_t>(i)] && p.pieces[lt::piece_index_t{i}]) {
          held[static_cast<size_t>(i)] = true;
          ++covered;
        }
      }
    }
    size_t seeds_elsewhere = 0;
    for (const std::string& hash : entry->tracker_hashes) {
      seeds_elsewhere = std::max(seeds_elsewhere, tracker_.SeedCount(hash, bt_port_, now_ms));
    }
    const bool swarm_complete = (pieces > 0 && covered == pieces) || seeds_elsewhere > 0;
    if (swarm_complete != entry->throttled) {
      entry->handle.set_upload_limit(swarm_complete ? options_.backstop_rate_limit : 0);
      entry->throttled = swarm_complete;
    }
    const lt::torrent_status st = entry->handle.status({});
    PublishedStats snapshot;
    {
      std::lock_guard<std::mutex> lock(mu_);
      entry->stats.bt_uploaded = entry->bt_base + static_cast<uint64_t>(st.total_payload_upload);
      snapshot = entry->stats;
    }
    if (snapshot.uploaded() != entry->persisted_total) {
      if (SaveStats(id, snapshot).ok()) entry->persisted_total = snapshot.uploaded();
    }
  }
}

Status Publisher::SaveStats(int64_t id, const PublishedStats& stats) {
  const fs::path path = fs::path(options_.data_dir) / "torrents" / (std::to_string(id) + ".stats");
  // Rewritten whenever the counters move: a power cut may lose the last few.
  return options_.env->WriteFileAtomic(path.string(),
                                       stats.sha256 + " " + std::to_string(stats.size) + " " +
                                           std::to_string(stats.bt_uploaded) + " " +
                                           std::to_string(stats.web_uploaded) + "\n",
                                       SyncPolicy::kNone);
}

std::optional<std::string> Publisher::TorrentFile(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  return it->second->torrent;
}

std::optional<PublishedStats> Publisher::Stats(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  return it->second->stats;
}

PublishedStats Publisher::TotalStats() {
  std::lock_guard<std::mutex> lock(mu_);
  PublishedStats total;
  for (const auto& [id, entry] : entries_) {
    total.size += entry->stats.size;
    total.bt_uploaded += entry->stats.bt_uploaded;
    total.web_uploaded += entry->stats.web_uploaded;
  }
  return total;
}

std::optional<std::string> Publisher::VideoPath(int64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return std::nullopt;
  return it->second->video_path;
}

void Publisher::AddWebSeedBytes(int64_t id, uint64_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(id);
  if (it != entries_.end()) it->second->stats.web_uploaded += bytes;
}

}  // namespace flamegrid::coordinator::publish
