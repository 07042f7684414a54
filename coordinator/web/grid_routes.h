// The grid's own routes on the coordinator's HTTP port: GET /healthz,
// GET /status.json (the grid's state, coordinator/web/status_json.h) and
// GET /videos/ID.mp4 (an assembled loop, with one byte range at most). The
// dashboard (dashboard.h), /metrics (metrics_route.h) and the publisher's
// routes (coordinator/publish/http_routes.h) are registered beside them.
//
// Registered once before the server starts; the handlers run on the HTTP
// server's threads and only read the Scheduler and the data folder.
#pragma once

#include <string>

#include "coordinator/schedule/scheduler.h"
#include "coordinator/web/http_router.h"

namespace flamegrid::coordinator {

// `scheduler` must outlive the server; videos are read from DATA_DIR/videos.
void RegisterGridRoutes(HttpRouter& router, Scheduler& scheduler, const std::string& data_dir);

}  // namespace flamegrid::coordinator
