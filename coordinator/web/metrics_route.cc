#include "coordinator/web/metrics_route.h"

namespace flamegrid::coordinator {

void RegisterMetricsRoute(HttpRouter& router, Metrics& metrics) {
  router.Get("/metrics", [&metrics](const HttpRequest&, HttpResponse& res) {
    res.SetHeader("Cache-Control", "no-store");
    res.SetBody(metrics.Scrape(), Metrics::kContentType);
  });
}

}  // namespace flamegrid::coordinator
