#include "coordinator/publish/tracker.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "coordinator/web/http_router.h"
#include "proto/shared/swarm_session.h"

namespace flamegrid::coordinator::publish {

namespace {

std::string BencodeString(std::string_view s) {
  return std::to_string(s.size()) + ":" + std::string(s);
}

bool ParseUint(std::string_view text, uint64_t* out) {
  if (text.empty() || text.size() > 19) return false;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

bool ParseIpv4(std::string_view text, uint32_t* out) {
  uint32_t value = 0;
  int parts = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('.', start);
    if (end == std::string_view::npos) end = text.size();
    uint64_t part = 0;
    if (!ParseUint(text.substr(start, end - start), &part) || part > 255) return false;
    value = (value << 8) | static_cast<uint32_t>(part);
    ++parts;
    start = end + 1;
    if (end == text.size()) break;
  }
  if (parts != 4) return false;
  *out = value;
  return true;
}

bool ParseAnnounceQuery(std::string_view query, Announce* out, std::string* error) {
  bool have_port = false;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string_view key = pair.substr(0, eq);
    const std::string value = PercentDecode(pair.substr(eq + 1));
    uint64_t number = 0;
    if (key == "info_hash") {
      out->info_hash = value;
    } else if (key == "peer_id") {
      out->peer_id = value;
    } else if (key == "port") {
      if (!ParseUint(value, &number) || number == 0 || number > 65535) {
        *error = "bad port";
        return false;
      }
      out->port = static_cast<int>(number);
      have_port = true;
    } else if (key == "event") {
      out->event = value;
    } else if (key == "left") {
      // A negative or malformed left is refused: it decides who is a seed.
      if (!ParseUint(value, &number)) {
        *error = "bad left: must be a byte count";
        return false;
      }
      out->left = number;
    } else if (key == "uploaded") {
      if (ParseUint(value, &number)) out->uploaded = number;
    } else if (key == "numwant") {
      if (ParseUint(value, &number))
        out->numwant = static_cast<int>(std::min<uint64_t>(number, 200));
    }
  }
  if (out->info_hash.size() != 20) {
    *error = "info_hash must be 20 bytes";
    return false;
  }
  if (!have_port) {
    *error = "port is required";
    return false;
  }
  return true;
}

std::string TrackerFailure(std::string_view why) {
  return "d" + BencodeString("failure reason") + BencodeString(why) + "e";
}

void Tracker::Allow(const std::string& info_hash, int64_t sequence, uint64_t size) {
  std::lock_guard<std::mutex> lock(mu_);
  allowed_[info_hash] = Allowed{sequence, size};
}

template <typename Map>
size_t Tracker::CountFrom(const Map& map, uint32_t ipv4) {
  size_t n = 0;
  for (auto it = map.lower_bound(PeerKey{ipv4, ""}); it != map.end() && it->first.ipv4 == ipv4;
       ++it) {
    ++n;
  }
  return n;
}

uint64_t Tracker::SumReports(const std::map<PeerKey, UploadReport>& reports) {
  uint64_t sum = 0;
  for (const auto& [peer, report] : reports) sum += report.total;
  return sum;
}

uint64_t Tracker::PeerBytesUploaded(int64_t sequence) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = uploaded_.find(sequence);
  return it == uploaded_.end() ? 0 : SumReports(it->second);
}

size_t Tracker::PeerCount(const std::string& info_hash) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = swarms_.find(info_hash);
  return it == swarms_.end() ? 0 : it->second.size();
}

uint64_t Tracker::PeerBytesUploadedTotal() {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t total = 0;
  for (const auto& [sequence, reports] : uploaded_) total += SumReports(reports);
  return total;
}

size_t Tracker::SeedCount(const std::string& info_hash, int except_port, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = swarms_.find(info_hash);
  if (it == swarms_.end()) return 0;
  const int64_t expiry_ms = int64_t{3} * interval_seconds_ * 1000;
  size_t seeds = 0;
  for (const auto& [key, peer] : it->second) {
    if (peer.seed && peer.port != except_port && now_ms - peer.seen_ms <= expiry_ms) ++seeds;
  }
  return seeds;
}

std::string Tracker::Handle(const Announce& announce, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto allowed = allowed_.find(announce.info_hash);
  if (allowed == allowed_.end()) return TrackerFailure("unknown torrent");
  auto& swarm = swarms_[announce.info_hash];
  const PeerKey key{announce.ipv4, announce.peer_id};
  // Forget peers that missed three announces.
  const int64_t expiry_ms = int64_t{3} * interval_seconds_ * 1000;
  for (auto it = swarm.begin(); it != swarm.end();) {
    it = now_ms - it->second.seen_ms > expiry_ms ? swarm.erase(it) : std::next(it);
  }
  if (announce.event == "stopped") {
    swarm.erase(key);  // the caller's own entry, nobody else's
  } else if (swarm.count(key)) {
    swarm[key] = Peer{announce.ipv4, announce.port, announce.left == 0, now_ms};
  } else {
    // A new entry. The address's longest silent one makes room when the
    // address holds its share already.
    if (CountFrom(swarm, announce.ipv4) >= max_peers_per_address_) {
      auto oldest = swarm.end();
      for (auto it = swarm.lower_bound(PeerKey{announce.ipv4, ""});
           it != swarm.end() && it->first.ipv4 == announce.ipv4; ++it) {
        if (oldest == swarm.end() || it->second.seen_ms < oldest->second.seen_ms) oldest = it;
      }
      swarm.erase(oldest);
    }
    if (swarm.size() < kMaxPeersPerSwarm) {
      swarm[key] = Peer{announce.ipv4, announce.port, announce.left == 0, now_ms};
    }
  }
  // What this participant says it sent (the coordinator's own seed is
  // counted by the Publisher, not here).
  const bool own_seed = announce.peer_id.rfind(kCoordinatorPeerIdPrefix, 0) == 0;
  if (!own_seed && announce.uploaded > 0) {
    auto& reports = uploaded_[allowed->second.sequence];
    const bool known = reports.count(key) > 0;
    if (known || (reports.size() < kMaxUploadReports &&
                  CountFrom(reports, announce.ipv4) < max_peers_per_address_)) {
      UploadReport& r = reports[key];
      // A count lower than the last one: the peer restarted and counts from 0 again.
      if (announce.uploaded < r.last) r.earlier += r.last;
      r.last = announce.uploaded;
      r.total = r.earlier + r.last;
      if (allowed->second.size > 0) {
        const uint64_t peers = std::max<uint64_t>(1, swarm.size());
        const uint64_t bound = peers * allowed->second.size;
        if (bound / peers == allowed->second.size) r.total = std::min(r.total, bound);
      }
    }
  }
  std::vector<const Peer*> others;
  int complete = 0, incomplete = 0;
  for (const auto& [k, peer] : swarm) {
    (peer.seed ? complete : incomplete)++;
    if (k.ipv4 == key.ipv4 && k.peer_id == key.peer_id) continue;
    // A seed needs no seeds.
    if (announce.left == 0 && peer.seed) continue;
    others.push_back(&peer);
  }
  std::shuffle(others.begin(), others.end(), random_);
  if (static_cast<int>(others.size()) > announce.numwant) others.resize(announce.numwant);
  std::string compact;
  for (const Peer* p : others) {
    const char bytes[6] = {static_cast<char>(p->ipv4 >> 24), static_cast<char>(p->ipv4 >> 16),
                           static_cast<char>(p->ipv4 >> 8),  static_cast<char>(p->ipv4),
                           static_cast<char>(p->port >> 8),  static_cast<char>(p->port)};
    compact.append(bytes, 6);
  }
  return "d" + BencodeString("complete") + "i" + std::to_string(complete) + "e" +
         BencodeString("incomplete") + "i" + std::to_string(incomplete) + "e" +
         BencodeString("interval") + "i" + std::to_string(interval_seconds_) + "e" +
         BencodeString("min interval") + "i" + std::to_string(std::max(1, interval_seconds_ / 2)) +
         "e" + BencodeString("peers") + BencodeString(compact) + "e";
}

}  // namespace flamegrid::coordinator::publish
