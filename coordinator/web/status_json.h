// The grid's status as JSON, the shape `status --json` and GET /status.json
// share: {"seed_bytes_uploaded","peer_bytes_uploaded","sequences":[{"id",
// "kind","state","frames_total","frames_done","video_path",...,
// "seed_bytes_uploaded","peer_bytes_uploaded",...}],"workers":[...]}.
// seed_bytes_uploaded: what the coordinator sent (BitTorrent seed + web
// seed); peer_bytes_uploaded: what participants report sending each other
// (tracker announces); at the top level, their sums over the flock. Later
// issues add fields; none are renamed. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "coordinator/schedule/scheduler.h"
#include "proto/shared/json.h"

namespace flamegrid::coordinator {

std::string StatusJson(const GridSnapshot& snapshot);

}  // namespace flamegrid::coordinator
