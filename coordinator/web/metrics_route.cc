#include "coordinator/web/metrics_route.h"

#include <httplib.h>

namespace flamegrid::coordinator {

void RegisterMetricsRoute(httplib::Server& server, Metrics& metrics) {
  server.Get("/metrics", [&metrics](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_content(metrics.Scrape(), Metrics::kContentType);
  });
}

}  // namespace flamegrid::coordinator
