#include "coordinator/web/status_json.h"

#include <cstdio>

namespace flamegrid::coordinator {

std::string JsonEscape(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

namespace {

std::string FormatNumber(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  return buffer;
}

}  // namespace

std::string StatusJson(const GridSnapshot& snapshot) {
  std::string out = "{\"sequences\":[";
  bool first = true;
  for (const SequenceRecord& s : snapshot.sequences) {
    if (!first) out += ",";
    first = false;
    out += "{\"id\":" + std::to_string(s.id) + ",\"kind\":" + JsonEscape(s.kind) +
           ",\"state\":" + JsonEscape(s.state) + ",\"frames_total\":" + std::to_string(s.frames) +
           ",\"frames_done\":" + std::to_string(s.frames_done) +
           ",\"video_path\":" + JsonEscape(s.video_path) + ",\"name\":" + JsonEscape(s.name) +
           ",\"width\":" + std::to_string(s.width) + ",\"height\":" + std::to_string(s.height) +
           ",\"failure\":" + JsonEscape(s.failure) +
           ",\"created_unix_ms\":" + std::to_string(s.created_ms) +
           ",\"rating\":" + FormatNumber(s.rating) + ",\"votes\":" + std::to_string(s.votes) +
           ",\"parents\":[";
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
    out += "{\"id\":" + std::to_string(w.id) + ",\"name\":" + JsonEscape(w.name) +
           ",\"threads\":" + std::to_string(w.threads) +
           ",\"valid_results\":" + std::to_string(w.valid_results) +
           ",\"invalid_results\":" + std::to_string(w.invalid_results) +
           ",\"quarantined\":" + (w.quarantined ? "true" : "false") +
           ",\"last_seen_unix_ms\":" + std::to_string(w.last_seen_ms) + "}";
  }
  return out + "]}";
}

}  // namespace flamegrid::coordinator
