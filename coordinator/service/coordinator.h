// Coordinator: the whole grid server as one object, opened the way LevelDB
// opens a DB. Coordinator::Open(options) opens the SQLite store under the
// data folder, starts the scheduler, the flock and the publisher (the
// BitTorrent seed), binds the HTTP side (dashboard, /status.json, /metrics,
// tracker, torrents, web seed) and the gRPC side (flamegrid.v1.Grid and
// flamegrid.v1.Admin), and starts its two threads: maintenance (leases,
// assembly, the flock's upkeep) and publishing (the publisher's owner).
// `flamegrid-coordinator serve`, the load bench and the tests all open it the
// same way.
//
// What happens to sequences is reported as typed events the owner polls
// (PollEvents): finished and failed as the scheduler reports them, published
// once their torrent is served. No callbacks into the owner's threads.
//
// Thread-safety: every method may be called from any thread. Serve() blocks
// until Stop(); Stop() is idempotent and may be called from another thread
// (a signal-watching loop), never from a signal handler. The destructor
// stops.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "coordinator/flock/flock.h"
#include "coordinator/publish/publisher.h"
#include "coordinator/rpc/upload_streams.h"
#include "coordinator/rpc/admission.h"
#include "coordinator/schedule/scheduler.h"
#include "coordinator/schedule/sequence_event.h"
#include "coordinator/web/http_server.h"
#include "coordinator/web/metrics.h"
#include "proto/shared/address.h"
#include "proto/shared/env.h"
#include "proto/shared/frame_renderer.h"
#include "renderer/base/status.h"

namespace grpc {
class Server;
}

namespace flamegrid::coordinator {

class GridService;
class AdminService;

struct CoordinatorOptions {
  // The data folder (created with its parents): grid.db, admin.token,
  // frames, videos, the flock's files, torrents.
  std::string data_dir;
  // gRPC and HTTP listen addresses; port 0 picks a free port (see grpc_port()
  // and http_port()). An empty host listens on every address.
  HostPort grpc_listen{"127.0.0.1", 7750};
  HostPort http_listen{"127.0.0.1", 7751};
  // The HTTP side's bounds on connections, idle time and header memory.
  HttpServerOptions http;
  // Where participants reach the HTTP side ("HOST:PORT" or a URL base);
  // empty: the HTTP listen address, a wildcard host replaced by the gRPC
  // listen host when that is not one.
  std::string public_http;
  // PEM files of the gRPC side's TLS certificate and key; both empty: plain.
  std::string tls_cert_file;
  std::string tls_key_file;

  // Upload streams: how long one may wait for a chunk, how many at once.
  UploadStreamLimits uploads;
  // The gRPC server's threads at most (its pollers and the calls they run),
  // so that stalled calls cannot make it start threads without end. Above
  // uploads.max_streams, so the other calls always find one.
  int rpc_threads = 256;

  // The scheduler's rules; its data_dir and sync_full are set from here.
  SchedulerOptions scheduler;
  // Who may register how often, and at what price (coordinator/rpc/admission.h).
  AdmissionOptions admission;
  // fsync frames and use SQLite's synchronous=FULL.
  bool sync_full = false;
  // Quota, breeding, the flock profile.
  flock::FlockOptions flock;
  // Scheduled breeding, retirement and edges (off: a static flock).
  bool flock_upkeep = true;
  // Submitted genomes must render a non-blank preview.
  bool preview_check = true;
  // Frames are synthetic test images (proto/shared/frame_renderer.h), not
  // rendered flames.
  bool fake_render = false;
  // The BitTorrent seed's listen interfaces (libtorrent's "HOST:PORT[,...]");
  // empty: the host of public_http when that is an IP address of this
  // machine, else the HTTP listen host, on a free port.
  std::string bt_listen;
  // The seed's rates and tracker interval; Open sets data_dir, http_base,
  // listen_interfaces and env.
  publish::PublisherOptions publish;

  // Files and the clock; must outlive the coordinator.
  Env* env = Env::Default();
};

class Coordinator {
 public:
  // Opens and starts everything; on failure nothing is left running and the
  // Status says what could not be opened or bound.
  static Result<std::unique_ptr<Coordinator>> Open(CoordinatorOptions options);

  ~Coordinator();
  Coordinator(const Coordinator&) = delete;
  Coordinator& operator=(const Coordinator&) = delete;

  // Blocks until Stop() (from another thread).
  void Serve();
  // Shuts both servers down and joins the threads. Idempotent.
  void Stop();

  // Sequences finished, failed or published since the last call, oldest
  // first. A reopened coordinator reports what was already finished.
  std::vector<SequenceEvent> PollEvents() { return events_.TakeAll(); }

  int grpc_port() const { return grpc_port_; }
  int http_port() const;
  int bt_port() const;
  // "http://HOST:PORT": where participants are told the HTTP side is.
  const std::string& http_base() const { return http_base_; }
  const std::string& data_dir() const { return options_.data_dir; }
  const std::string& admin_token() const { return scheduler_->admin_token(); }
  std::string admin_token_path() const { return options_.data_dir + "/admin.token"; }
  std::string database_path() const { return options_.data_dir + "/grid.db"; }

  // The parts, for an owner that drives them in process (the load bench).
  Scheduler& scheduler() { return *scheduler_; }
  Metrics& metrics() { return *metrics_; }

 private:
  explicit Coordinator(CoordinatorOptions options);
  Status Start();
  void Maintain();
  void PublishFinished();
  // Sleeps `ms` unless stopped; false once stopped.
  bool Pause(int ms);

  CoordinatorOptions options_;
  std::string http_base_;
  int grpc_port_ = 0;

  // In the order they start; destroyed in reverse.
  std::unique_ptr<Metrics> metrics_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<FrameRenderer> renderer_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<flock::Flock> flock_;
  std::unique_ptr<publish::Publisher> publisher_;
  std::unique_ptr<HttpServer> http_;
  std::unique_ptr<Admission> admission_;
  std::unique_ptr<GridService> grid_service_;
  std::unique_ptr<AdminService> admin_service_;
  std::unique_ptr<grpc::Server> grpc_server_;
  std::thread maintenance_;
  std::thread publishing_;

  SequenceEventQueue events_;

  bool serving_ = false;  // Open succeeded
  std::once_flag stop_once_;
  std::mutex stop_mu_;  // guards stopping_ and stopped_
  std::condition_variable stop_cv_;
  bool stopping_ = false;  // the threads are to end
  bool stopped_ = false;   // everything has ended: Serve returns
};

}  // namespace flamegrid::coordinator
