#include "coordinator/web/dashboard.h"

#include <algorithm>
#include <filesystem>
#include <tuple>
#include <vector>

#include "renderer/base/parse_number.h"

namespace flamegrid::coordinator {
namespace {

namespace fs = std::filesystem;

// A frame is at most an upload (SchedulerOptions::max_upload_bytes, 64 MiB
// by default); a bigger file under the frames folder is not served.
constexpr uint64_t kMaxFrameBytes = 256ull << 20;

bool ServeFile(Env& env, const std::string& path, const char* type, HttpResponse& res) {
  if (path.empty()) return false;
  Result<std::string> body = env.ReadFile(path, kMaxFrameBytes);
  if (!body.ok()) return false;
  res.SetHeader("Cache-Control", "max-age=60");
  res.SetBody(std::move(*body), type);
  return true;
}

// The id in a route's {} match; -1 (no such sequence or frame) when it
// does not fit.
int64_t ParseId(const std::string& text) {
  Result<int64_t> id = ParseInt64(text, "id");
  return id.ok() ? *id : -1;
}

}  // namespace

std::string RecentFramesJson(Scheduler& scheduler, int limit) {
  std::string out = "{\"frames\":[";
  Result<GridSnapshot> snapshot = scheduler.Snapshot();
  if (!snapshot.ok()) return out + "]}";
  // (time written, sequence, frame)
  std::vector<std::tuple<fs::file_time_type, int64_t, int>> frames;
  // Only sequences that are rendering or recently finished: the newest few.
  int looked = 0;
  for (auto it = snapshot->sequences.rbegin(); it != snapshot->sequences.rend() && looked < 20;
       ++it) {
    if (it->state == SequenceState::kRetired || it->frames_done == 0) continue;
    ++looked;
    Result<std::vector<std::string>> paths = scheduler.FramePaths(it->id);
    if (!paths.ok()) continue;
    for (size_t k = 0; k < paths->size(); ++k) {
      std::error_code ec;
      if ((*paths)[k].empty()) continue;
      const auto time = fs::last_write_time((*paths)[k], ec);
      if (!ec) frames.emplace_back(time, it->id, static_cast<int>(k));
    }
  }
  std::sort(frames.begin(), frames.end(), [](const auto& a, const auto& b) { return a > b; });
  if (static_cast<int>(frames.size()) > limit) frames.resize(limit);
  bool first = true;
  for (const auto& [time, sequence, frame] : frames) {
    if (!first) out += ",";
    first = false;
    const std::string id = std::to_string(sequence), k = std::to_string(frame);
    out += "{\"sequence\":" + id + ",\"frame\":" + k + ",\"url\":\"/sequences/" + id + "/frames/" +
           k + ".png\"}";
  }
  return out + "]}";
}

void RegisterDashboard(HttpRouter& router, Scheduler& scheduler, Env* env) {
  router.Get("/", [](const HttpRequest&, HttpResponse& res) {
    res.SetBody(kDashboardHtml, "text/html; charset=utf-8");
  });
  router.Get("/dashboard.js", [](const HttpRequest&, HttpResponse& res) {
    res.SetBody(kDashboardJs, "text/javascript; charset=utf-8");
  });
  router.Get("/dashboard.css", [](const HttpRequest&, HttpResponse& res) {
    res.SetBody(kDashboardCss, "text/css; charset=utf-8");
  });
  router.Get("/frames/recent.json", [&scheduler](const HttpRequest&, HttpResponse& res) {
    res.SetBody(RecentFramesJson(scheduler, 12), "application/json");
  });
  router.Get(
      "/sequences/{}/thumbnail.png", [&scheduler, env](const HttpRequest& req, HttpResponse& res) {
        Result<std::vector<std::string>> paths = scheduler.FramePaths(ParseId(req.params[0]));
        if (paths.ok() && !paths->empty()) {
          // The middle frame, else the accepted frame nearest to it.
          const int n = static_cast<int>(paths->size()), mid = n / 2;
          for (int d = 0; d < n; ++d) {
            for (int k : {mid - d, mid + d}) {
              if (k >= 0 && k < n && ServeFile(*env, (*paths)[k], "image/png", res)) return;
            }
          }
        }
        res.SetError(404, "no such thumbnail");
      });
  router.Get(
      "/sequences/{}/frames/{}.png", [&scheduler, env](const HttpRequest& req, HttpResponse& res) {
        Result<std::vector<std::string>> paths = scheduler.FramePaths(ParseId(req.params[0]));
        const int64_t k = ParseId(req.params[1]);
        if (paths.ok() && k >= 0 && k < static_cast<int64_t>(paths->size()) &&
            ServeFile(*env, (*paths)[k], "image/png", res)) {
          return;
        }
        res.SetError(404, "no such frame");
      });
}

}  // namespace flamegrid::coordinator
