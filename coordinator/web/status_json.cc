#include "coordinator/web/status_json.h"

#include <cstdio>

namespace flamegrid::coordinator {

namespace {

std::string FormatNumber(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

}  // namespace

std::string StatusJson(const GridSnapshot& snapshot) {
  // The whole flock's delivery: what the coordinator sent, what participants
  // sent each other.
  uint64_t seed_bytes = 0, peer_bytes = 0;
  for (const SequenceRecord& s : snapshot.sequences) {
    seed_bytes += s.seed_bytes_uploaded;
    peer_bytes += s.peer_bytes_uploaded;
  }
  std::string out = "{\"seed_bytes_uploaded\":" + std::to_string(seed_bytes) +
                    ",\"peer_bytes_uploaded\":" + std::to_string(peer_bytes) + ",\"sequences\":[";
  bool first = true;
  for (const SequenceRecord& s : snapshot.sequences) {
    if (!first) out += ",";
    first = false;
    out += "{\"id\":" + std::to_string(s.id) + ",\"kind\":" + JsonQuote(s.kind) +
           ",\"state\":" + JsonQuote(ToString(s.state)) +
           ",\"frames_total\":" + std::to_string(s.frames) +
           ",\"frames_done\":" + std::to_string(s.frames_done) +
           ",\"video_path\":" + JsonQuote(s.video_path) + ",\"name\":" + JsonQuote(s.name) +
           ",\"width\":" + std::to_string(s.width) + ",\"height\":" + std::to_string(s.height) +
           ",\"failure\":" + JsonQuote(s.failure) +
           ",\"created_unix_ms\":" + std::to_string(s.created_ms) +
           ",\"rating\":" + FormatNumber(s.rating) + ",\"votes\":" + std::to_string(s.votes) +
           ",\"sha256\":" + JsonQuote(s.video_sha256) +
           ",\"size\":" + std::to_string(s.video_size) +
           ",\"seed_bytes_uploaded\":" + std::to_string(s.seed_bytes_uploaded) +
           ",\"peer_bytes_uploaded\":" + std::to_string(s.peer_bytes_uploaded) + ",\"parents\":[";
    for (size_t i = 0; i < s.parents.size(); ++i) {
      out += (i ? "," : "") + std::to_string(s.parents[i]);
    }
    out += "]";
    if (s.kind == "edge") {
      out += ",\"from\":" + std::to_string(s.edge_from) + ",\"to\":" + std::to_string(s.edge_to);
    }
    out += "}";
  }
  out += "],\"workers\":[";
  first = true;
  for (const WorkerRecord& w : snapshot.workers) {
    if (!first) out += ",";
    first = false;
    out += "{\"id\":" + std::to_string(w.id) + ",\"name\":" + JsonQuote(w.name) +
           ",\"threads\":" + std::to_string(w.threads) +
           ",\"valid_results\":" + std::to_string(w.valid_results) +
           ",\"invalid_results\":" + std::to_string(w.invalid_results) +
           ",\"quarantined\":" + (w.quarantined ? "true" : "false") +
           ",\"last_seen_unix_ms\":" + std::to_string(w.last_seen_ms) + "}";
  }
  return out + "]}";
}

}  // namespace flamegrid::coordinator
