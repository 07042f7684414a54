// The coordinator's GET /metrics (cpp-httplib): Metrics::Scrape()'s text in
// Prometheus' text exposition format, "text/plain; version=0.0.4", for a
// Prometheus server to scrape. Read-only; nothing secret is served.
//
// Owned by the serve command; registered once before the server starts.
// The handler runs on cpp-httplib's threads (Metrics is thread-safe).
#pragma once

#include "coordinator/web/metrics.h"

namespace httplib {
class Server;
}

namespace flamegrid::coordinator {

// `metrics` must outlive the server.
void RegisterMetricsRoute(httplib::Server& server, Metrics& metrics);

}  // namespace flamegrid::coordinator
