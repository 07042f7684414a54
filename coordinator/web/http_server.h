// HttpServer: the coordinator's public HTTP side on GNU libmicrohttpd,
// answering the routes of an HttpRouter (coordinator/web/http_router.h):
// the dashboard, /status.json, /metrics, the tracker, torrents and the web
// seed. Built for hostile clients: an event loop (epoll) on a small pool of
// threads rather than a thread per connection, so slow clients hold
// sockets, not threads; a connection idle longer than the timeout is
// closed; connections are bounded in total and per client address; each
// connection's request line and headers fit a fixed memory budget (beyond
// it the request is refused with 431, 413 or 400). Only GET and HEAD are
// served (others: 405); a request body is never read.
//
// Start() and Stop() from one thread; handlers run on the server's threads,
// several at once, and must be thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "coordinator/web/http_router.h"
#include "renderer/base/status.h"

struct MHD_Daemon;

namespace flamegrid::coordinator {

// Safe for a public server; tests and benches may loosen them.
struct HttpServerOptions {
  int max_connections = 1000;            // open connections in all (serve --http-connections)
  int max_connections_per_address = 32;  // from one client address (--http-connections-per-address)
  int timeout_seconds = 30;              // an idle connection is closed (--http-timeout-seconds)
  size_t connection_memory_bytes = 32 << 10;  // request line and headers of one connection
  int threads = 4;                            // event loops, each with its share of connections
};

class HttpServer {
 public:
  explicit HttpServer(HttpRouter router, HttpServerOptions options = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds HOST:PORT (an empty host: every address; port 0 picks one) and
  // serves on the server's own threads.
  Status Start(const std::string& host, int port);
  int port() const { return port_; }
  // Closes every connection and joins the threads; safe to call twice.
  void Stop();

 private:
  HttpRouter router_;
  HttpServerOptions options_;
  MHD_Daemon* daemon_ = nullptr;
  int port_ = 0;
};

}  // namespace flamegrid::coordinator
