// The coordinator's GET /metrics (an HttpRouter route): Metrics::Scrape()'s text in
// Prometheus' text exposition format, "text/plain; version=0.0.4", for a
// Prometheus server to scrape. Read-only; nothing secret is served.
//
// Owned by the serve command; registered once before the server starts.
// The handler runs on the HTTP server's threads (Metrics is thread-safe).
#pragma once

#include "coordinator/web/http_router.h"
#include "coordinator/web/metrics.h"

namespace flamegrid::coordinator {

// `metrics` must outlive the server.
void RegisterMetricsRoute(HttpRouter& router, Metrics& metrics);

}  // namespace flamegrid::coordinator
