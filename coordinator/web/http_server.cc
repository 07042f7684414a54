#include "coordinator/web/http_server.h"

#include <httplib.h>

#include <filesystem>

#include "coordinator/web/dashboard.h"
#include "coordinator/web/status_json.h"

namespace flamegrid::coordinator {
namespace {

// A loop's video is a few MB; one this big is not sent whole from memory.
constexpr uint64_t kMaxVideoBytes = 1ull << 30;

}  // namespace

HttpServer::HttpServer(Scheduler& scheduler, std::string data_dir, Env* env)
    : scheduler_(scheduler), data_dir_(std::move(data_dir)), env_(env) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start(const std::string& host, int port) {
  server_ = std::make_unique<httplib::Server>();
  RegisterDashboard(*server_, scheduler_, env_);  // GET / and its parts (dashboard.h)
  for (const auto& routes : more_routes_) routes(*server_);
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server_->Get("/status.json", [this](const httplib::Request& req, httplib::Response& res) {
    const size_t query = req.target.find('?');
    StatusJsonReply reply = AnswerStatusJson(
        scheduler_,
        query == std::string::npos ? "" : std::string_view(req.target).substr(query + 1));
    res.status = reply.status;
    res.set_content(std::move(reply.body), reply.content_type.c_str());
  });
  server_->Get(R"(/videos/(\d+)\.mp4)", [this](const httplib::Request& req,
                                               httplib::Response& res) {
    const std::string path =
        (std::filesystem::path(data_dir_) / "videos" / (req.matches[1].str() + ".mp4")).string();
    // Videos are small (a few MB); the web seed (coordinator/publish) streams ranges.
    Result<std::string> body = env_->ReadFile(path, kMaxVideoBytes);
    if (!body.ok()) {
      res.status = body.status().code() == StatusCode::kNotFound ? 404 : 500;
      if (res.status == 500) res.set_content(body.status().ToString() + "\n", "text/plain");
      return;
    }
    res.set_content(std::move(*body), "video/mp4");
  });
  if (port == 0) {
    port_ = server_->bind_to_any_port(host);
  } else {
    port_ = server_->bind_to_port(host, port) ? port : -1;
  }
  if (port_ <= 0) {
    return Status::Unavailable("cannot listen for HTTP on " + host + ":" + std::to_string(port));
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return Status::Ok();
}

void HttpServer::Stop() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace flamegrid::coordinator
