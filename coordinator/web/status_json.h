// The grid's status as JSON, the shape `status --json` and GET /status.json
// share: {"sequences":[{"id","kind","state","frames_total","frames_done",
// "video_path",...}],"workers":[...]}. Later issues add fields; none are
// renamed. Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "coordinator/schedule/scheduler.h"
#include "renderer/base/json.h"

namespace flamegrid::coordinator {

std::string StatusJson(const GridSnapshot& snapshot);

}  // namespace flamegrid::coordinator
