// Dashboard: the coordinator's web page at its HTTP root, for operators and
// artists: the flock as a graph with a thumbnail per sequence, progress,
// ratings and lineage, workers with their throughput, recent frames. Plain
// HTML/CSS/JS from coordinator/web/assets/, embedded in the binary at build
// time; the page reads /status.json, /frames/recent.json and the thumbnails.
//
// Routes: GET /, /dashboard.js, /dashboard.css,
// /sequences/ID/thumbnail.png (the middle accepted frame, else the nearest),
// /sequences/ID/frames/K.png (an accepted frame), /frames/recent.json.
//
// Owned by the flock engineer. RegisterDashboard is called once before the
// server starts; the handlers run on the HTTP server's threads and only read.
#pragma once

#include <string>

#include "coordinator/schedule/scheduler.h"
#include "coordinator/web/http_router.h"
#include "proto/shared/env.h"

namespace flamegrid::coordinator {

// Frame files are read through `env`, which must outlive the server.
void RegisterDashboard(HttpRouter& router, Scheduler& scheduler, Env* env);

// The JSON of /frames/recent.json: the `limit` most recently accepted frames
// of unretired sequences, newest first:
// {"frames":[{"sequence":ID,"frame":K,"url":"/sequences/ID/frames/K.png"}]}.
std::string RecentFramesJson(Scheduler& scheduler, int limit);

// The embedded assets (generated at build time).
extern const char* const kDashboardHtml;
extern const char* const kDashboardJs;
extern const char* const kDashboardCss;

}  // namespace flamegrid::coordinator
