#include "coordinator/web/grid_routes.h"

#include <filesystem>

#include "coordinator/web/status_json.h"
#include "renderer/base/parse_number.h"

namespace flamegrid::coordinator {

void RegisterGridRoutes(HttpRouter& router, Scheduler& scheduler, const std::string& data_dir) {
  router.Get("/healthz",
             [](const HttpRequest&, HttpResponse& res) { res.SetBody("ok\n", "text/plain"); });
  router.Get("/status.json", [&scheduler](const HttpRequest& req, HttpResponse& res) {
    StatusJsonReply reply = AnswerStatusJson(scheduler, req.query);
    res.SetBody(std::move(reply.body), std::move(reply.content_type));
    res.status = reply.status;
  });
  const std::filesystem::path videos = std::filesystem::path(data_dir) / "videos";
  router.Get("/videos/{}.mp4", [videos](const HttpRequest& req, HttpResponse& res) {
    // Only an id that is a number names a file (8,000 digits do not).
    Result<int64_t> id = ParseInt64(req.params[0], "video id");
    if (!id.ok() || *id <= 0) {
      res.SetError(404, "no such video");
      return;
    }
    ServeFileRange(req, (videos / (std::to_string(*id) + ".mp4")).string(), "video/mp4", res);
  });
}

}  // namespace flamegrid::coordinator
