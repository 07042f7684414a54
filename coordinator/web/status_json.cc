#include "coordinator/web/status_json.h"

#include <algorithm>
#include <cstdio>

#include "proto/shared/log.h"
#include "renderer/base/parse_number.h"

namespace flamegrid::coordinator {

namespace {

// The value of `key` in a query string ("a=1&b=2"); nullopt when absent.
std::optional<std::string_view> QueryValue(std::string_view query, std::string_view key) {
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    const size_t eq = pair.find('=');
    if (pair.substr(0, eq) == key) {
      return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

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
  out += "]";
  if (const std::optional<WorkerCounts>& counts = snapshot.worker_counts) {
    out += ",\"workers_summary\":{\"registered\":" + std::to_string(counts->registered) +
           ",\"seen_recently\":" + std::to_string(counts->seen) +
           ",\"quarantined\":" + std::to_string(counts->quarantined) +
           ",\"trusted\":" + std::to_string(counts->trusted) + "}";
  }
  out += ",\"workers_offset\":" + std::to_string(snapshot.workers_offset) + ",\"workers\":[";
  first = true;
  for (const WorkerRecord& w : snapshot.workers) {
    if (!first) out += ",";
    first = false;
    out += "{\"id\":" + std::to_string(w.id) + ",\"name\":" + JsonQuote(Printable(w.name)) +
           ",\"threads\":" + std::to_string(w.threads) +
           ",\"valid_results\":" + std::to_string(w.valid_results) +
           ",\"invalid_results\":" + std::to_string(w.invalid_results) +
           ",\"quarantined\":" + (w.quarantined ? "true" : "false") +
           ",\"last_seen_unix_ms\":" + std::to_string(w.last_seen_ms) + "}";
  }
  return out + "]}";
}

StatusJsonReply AnswerStatusJson(Scheduler& scheduler, std::string_view query) {
  StatusJsonReply reply;
  const auto refuse = [&reply](int status, std::string body) {
    reply.status = status;
    reply.content_type = "text/plain";
    reply.body = std::move(body);
    return reply;
  };
  // A parameter's value (`fallback` when absent); nullopt when it is not a
  // whole number >= 0.
  const auto parameter = [query](std::string_view key, int64_t fallback) -> std::optional<int64_t> {
    const std::optional<std::string_view> text = QueryValue(query, key);
    if (!text) return fallback;
    Result<int64_t> value = ParseInt64(*text, key);
    if (!value.ok() || *value < 0) return std::nullopt;
    return *value;
  };
  const std::optional<int64_t> offset = parameter("workers_offset", 0);
  const std::optional<int64_t> limit = parameter("workers_limit", kDefaultWorkerPage);
  if (!offset) return refuse(400, "workers_offset must be a whole number >= 0\n");
  if (!limit) return refuse(400, "workers_limit must be a whole number >= 0\n");
  WorkerView view;
  view.summary = true;
  view.offset = *offset;
  view.limit = static_cast<int>(std::min<int64_t>(*limit, kMaxWorkerPage));
  Result<GridSnapshot> snapshot = scheduler.Snapshot(view);
  if (!snapshot.ok()) return refuse(503, snapshot.status().ToString() + "\n");
  reply.body = StatusJson(*snapshot);
  return reply;
}

}  // namespace flamegrid::coordinator
