// HttpServer: the coordinator's plain HTTP side (cpp-httplib): GET /healthz,
// GET /status.json, GET /videos/ID.mp4. Later: the dashboard at /, torrents
// and web seeding under /sequences/. Read-only; nothing secret is served.
//
// Owned by the Coordinator (coordinator/service). Start() and Stop() from one thread; requests
// are answered on cpp-httplib's own threads, which only read the Scheduler.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "coordinator/schedule/scheduler.h"
#include "proto/shared/env.h"
#include "renderer/base/status.h"

namespace httplib {
class Server;
}

namespace flamegrid::coordinator {

class HttpServer {
 public:
  // Files are read through `env`; it and `scheduler` must outlive the server.
  HttpServer(Scheduler& scheduler, std::string data_dir, Env* env = Env::Default());
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // More routes (coordinator/publish: tracker, torrents, web seed), added by
  // Start before the server listens. Call before Start.
  void AddRoutes(std::function<void(httplib::Server&)> routes) {
    more_routes_.push_back(std::move(routes));
  }
  // Binds HOST:PORT (port 0 picks one) and serves on a background thread.
  Status Start(const std::string& host, int port);
  int port() const { return port_; }
  void Stop();

 private:
  Scheduler& scheduler_;
  std::string data_dir_;
  Env* env_;
  std::vector<std::function<void(httplib::Server&)>> more_routes_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace flamegrid::coordinator
