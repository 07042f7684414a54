// The grid's status as JSON, the shape `status --json` and GET /status.json
// share: {"seed_bytes_uploaded","peer_bytes_uploaded","sequences":[{"id",
// "kind","state","frames_total","frames_done","video_path",...,
// "seed_bytes_uploaded","peer_bytes_uploaded",...}],"workers_summary":
// {"registered","seen_recently","quarantined","trusted"},"workers_offset",
// "workers":[...]} (workers: one page, by id; the summary counts them all).
// seed_bytes_uploaded: what the coordinator sent (BitTorrent seed + web
// seed); peer_bytes_uploaded: what participants report sending each other
// (tracker announces); at the top level, their sums over the flock. Later
// issues add fields; none are renamed. Text from workers (names) is escaped
// (proto/shared/log.h's Printable) before it is quoted. Pure functions, and
// AnswerStatusJson reads the thread-safe Scheduler; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "coordinator/schedule/scheduler.h"
#include "proto/shared/json.h"

namespace flamegrid::coordinator {

std::string StatusJson(const GridSnapshot& snapshot);

// The answer to GET /status.json, whatever serves HTTP.
struct StatusJsonReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};
// `query` is the request's query string (after '?'; may be empty):
// workers_offset=N (default 0) and workers_limit=M (default 100, at most
// 1000) choose the page of workers; other parameters are ignored. 400 for a
// parameter that is not a number >= 0, 503 when the store cannot answer.
StatusJsonReply AnswerStatusJson(Scheduler& scheduler, std::string_view query);

}  // namespace flamegrid::coordinator
