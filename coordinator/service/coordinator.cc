#include "coordinator/service/coordinator.h"

#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>

#include "coordinator/publish/http_routes.h"
#include "coordinator/rpc/grid_service.h"
#include "coordinator/web/dashboard.h"
#include "coordinator/web/grid_routes.h"
#include "coordinator/web/http_server.h"
#include "coordinator/web/metrics_route.h"
#include "proto/shared/log.h"

namespace flamegrid::coordinator {
namespace {

// A PEM certificate or key is a few kB; anything this big is not one.
constexpr uint64_t kMaxPemBytes = 1 << 20;

// Where participants reach the HTTP side, "http://HOST:PORT": `public_http`
// when given; else the HTTP listen address, a wildcard host replaced by the
// gRPC listen host (the address clients already use), when that is not one.
std::string PublicHttpBase(const std::string& public_http, const std::string& grpc_host,
                           const std::string& http_host, int http_port) {
  std::string base = public_http;
  if (base.empty()) {
    const std::string host = IsWildcardHost(http_host) && !IsWildcardHost(grpc_host)
                                 ? grpc_host
                                 : (http_host.empty() ? "0.0.0.0" : http_host);
    base = host + ":" + std::to_string(http_port);
  }
  return HttpBase(base);
}

// The host the BitTorrent seed binds when no listen interfaces are given:
// that of `public_http` when it is an IP address of this machine (a name, or
// the outside address of a router that forwards to us, cannot be bound), else
// the HTTP listen host.
std::string BtListenHost(const std::string& public_http, const std::string& http_host) {
  const std::string fallback = http_host.empty() ? "0.0.0.0" : http_host;
  if (public_http.empty()) return fallback;
  const std::string host(HostOf(AuthorityOf(public_http)));
  std::string bare = host;
  if (bare.size() > 2 && bare.front() == '[') bare = bare.substr(1, bare.size() - 2);
  if (IsWildcardHost(host)) return fallback;
  sockaddr_storage address{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (inet_pton(AF_INET, bare.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    length = sizeof *v4;
  } else if (inet_pton(AF_INET6, bare.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    length = sizeof *v6;
  } else {
    return fallback;
  }
  const int fd = socket(address.ss_family, SOCK_DGRAM, 0);
  const bool local = fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&address), length) == 0;
  if (fd >= 0) close(fd);
  return local ? host : fallback;
}

}  // namespace

Result<std::unique_ptr<Coordinator>> Coordinator::Open(CoordinatorOptions options) {
  if (options.data_dir.empty()) return Status::InvalidArgument("the coordinator needs a data dir");
  if (options.env == nullptr) return Status::InvalidArgument("the coordinator needs an Env");
  // On failure the half-started coordinator is destroyed here, which stops
  // whatever it had started.
  std::unique_ptr<Coordinator> coordinator(new Coordinator(std::move(options)));
  FG_RETURN_IF_ERROR(coordinator->Start());
  return coordinator;
}

Coordinator::Coordinator(CoordinatorOptions options) : options_(std::move(options)) {}

Coordinator::~Coordinator() { Stop(); }

int Coordinator::http_port() const { return http_ ? http_->port() : 0; }

int Coordinator::bt_port() const { return publisher_ ? publisher_->bt_port() : 0; }

Status Coordinator::Start() {
  Env* env = options_.env;
  const std::string& data = options_.data_dir;
  const HostPort& grpc_listen = options_.grpc_listen;
  const HostPort& http_listen = options_.http_listen;
  FG_RETURN_IF_ERROR(env->CreateDirectories(data));

  metrics_ = std::make_unique<Metrics>();  // GET /metrics (coordinator/web/metrics.h)
  SqliteOptions store_options;
  store_options.metrics = metrics_.get();
  store_options.sync_full = options_.sync_full;
  FG_ASSIGN_OR_RETURN(store_, OpenSqliteStore(data + "/grid.db", store_options));
  renderer_ = options_.fake_render ? MakeSyntheticFrameRenderer() : MakeLibraryFrameRenderer();

  SchedulerOptions scheduler_options = options_.scheduler;
  scheduler_options.data_dir = data;
  scheduler_options.sync_full = options_.sync_full;
  scheduler_ = std::make_unique<Scheduler>(*store_, env, *renderer_, scheduler_options);
  scheduler_->SetMetrics(metrics_.get());
  FG_RETURN_IF_ERROR(scheduler_->Start());

  flock_ = std::make_unique<flock::Flock>(*store_, *scheduler_, options_.flock);
  FG_RETURN_IF_ERROR(flock_->Open(data));
  if (options_.preview_check) {
    scheduler_->SetSubmitCheck(
        [flock = flock_.get()](const std::string& xml) { return flock->CheckGenome(xml); });
  }

  // Finished sequences are published as torrents (coordinator/publish): the
  // tracker, the .torrent files and the web seed live on the HTTP port.
  publish::PublisherOptions publish_options = options_.publish;
  publish_options.data_dir = data;
  publish_options.env = env;
  // The seed listens where bt_listen says, else on the host of the public
  // address (when that is an IP address), else the HTTP host.
  publish_options.listen_interfaces =
      options_.bt_listen.empty() ? BtListenHost(options_.public_http, http_listen.host) + ":0"
                                 : options_.bt_listen;
  publisher_ = std::make_unique<publish::Publisher>(publish_options);
  scheduler_->SetSnapshotHook(
      [flock = flock_.get(), publisher = publisher_.get()](GridSnapshot& snapshot) {
        flock->Annotate(snapshot);
        for (SequenceRecord& s : snapshot.sequences) {  // publishing stats
          if (auto stats = publisher->Stats(s.id)) {
            s.video_sha256 = stats->sha256;
            s.video_size = stats->size;
            s.seed_bytes_uploaded = stats->uploaded();
            s.peer_bytes_uploaded = publisher->tracker().PeerBytesUploaded(s.id);
          }
        }
      });

  // The HTTP side first: its port (maybe chosen by the system) is part of
  // the public address the gRPC service hands out.
  HttpRouter routes;
  RegisterDashboard(routes, *scheduler_, env);  // GET / and its parts
  RegisterGridRoutes(routes, *scheduler_, data);
  publish::RegisterPublishRoutes(routes, *publisher_);
  RegisterMetricsRoute(routes, *metrics_);
  metrics_->OnScrape([publisher = publisher_.get()](Metrics& m) {
    const publish::PublishedStats sent = publisher->TotalStats();
    m.SetDelivery(sent.bt_uploaded, sent.web_uploaded,
                  publisher->tracker().PeerBytesUploadedTotal());
  });
  http_ = std::make_unique<HttpServer>(std::move(routes), options_.http);
  FG_RETURN_IF_ERROR(http_->Start(http_listen.host, http_listen.port));
  http_base_ =
      PublicHttpBase(options_.public_http, grpc_listen.host, http_listen.host, http_->port());
  if (http_base_.find("://0.0.0.0:") != std::string::npos ||
      http_base_.find("://[::]:") != std::string::npos) {
    GridLog(
        "warning: gRPC and HTTP listen on every interface and no --public-http is given: "
        "torrents name %s, which only this machine can reach (workers substitute the "
        "host they reached gRPC at for the URLs they are sent)",
        http_base_.c_str());
  }
  publisher_->SetHttpBase(http_base_);

  FG_ASSIGN_OR_RETURN(admission_, Admission::Create(options_.admission, env));
  grid_service_ =
      std::make_unique<GridService>(*scheduler_, flock_.get(), options_.uploads, options_.env);
  grid_service_->SetPublicHttp(http_base_);
  grid_service_->SetAdmission(admission_.get());
  admin_service_ = std::make_unique<AdminService>(*scheduler_, flock_.get());
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  const bool tls = !options_.tls_cert_file.empty() || !options_.tls_key_file.empty();
  if (tls) {
    Result<std::string> cert = env->ReadFile(options_.tls_cert_file, kMaxPemBytes);
    Result<std::string> key = env->ReadFile(options_.tls_key_file, kMaxPemBytes);
    if (!cert.ok() || !key.ok()) {
      return Status::InvalidArgument(
          "TLS needs a readable certificate and key (--tls-cert, --tls-key): " +
          (cert.ok() ? key.status() : cert.status()).message());
    }
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({*key, *cert});
    credentials = grpc::SslServerCredentials(ssl);
  }
  const std::string grpc_address = grpc_listen.host + ":" + std::to_string(grpc_listen.port);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(grpc_address, credentials, &grpc_port_);
  builder.RegisterService(grid_service_.get());
  // gRPC's sync server otherwise keeps at most 2 idle pollers and creates and
  // destroys a thread for nearly every concurrent call under load.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 4);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 256);
  // Beyond this many threads a new call is answered RESOURCE_EXHAUSTED at
  // once instead of getting a thread of its own.
  grpc::ResourceQuota quota("flamegrid-grpc");
  quota.SetMaxThreads(options_.rpc_threads);
  builder.SetResourceQuota(quota);
  builder.RegisterService(admin_service_.get());
  builder.SetMaxReceiveMessageSize(8 << 20);
  grpc_server_ = builder.BuildAndStart();
  if (!grpc_server_ || grpc_port_ == 0) {
    return Status::Unavailable("cannot listen on " + grpc_address);
  }
  FG_RETURN_IF_ERROR(publisher_->Start());

  GridLog("coordinator serving gRPC on %s:%d%s, HTTP on %s:%d, data in %s",
          grpc_listen.host.c_str(), grpc_port_, tls ? " (TLS)" : "", http_listen.host.c_str(),
          http_->port(), data.c_str());
  GridLog("admin token in %s/admin.token", data.c_str());
  GridLog("participants are told the HTTP side is at %s; BitTorrent seed on %s port %d",
          http_base_.c_str(), publish_options.listen_interfaces.c_str(), publisher_->bt_port());
  const FlockProfile& profile = options_.flock.profile;
  GridLog("flock profile: %d frames at %dx%d, quality %g, %d fps, %d bootstrap loops",
          profile.frames, profile.width, profile.height, profile.quality, profile.fps,
          profile.bootstrap_loops);
  // A fresh coordinator seeds its own flock (upkeep does it again whenever the
  // flock runs out of live loops).
  if (auto bootstrap = flock_->Bootstrap(); !bootstrap.ok()) {
    GridLog("flock bootstrap: %s", bootstrap.status().ToString().c_str());
  }
  maintenance_ = std::thread([this] { Maintain(); });
  publishing_ = std::thread([this] { PublishFinished(); });
  serving_ = true;
  return Status::Ok();
}

bool Coordinator::Pause(int ms) {
  std::unique_lock lock(stop_mu_);
  return !stop_cv_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
}

void Coordinator::Maintain() {
  do {
    if (auto s = scheduler_->Maintain(); !s.ok()) {
      GridLog("maintenance: %s", s.ToString().c_str());
    }
    if (options_.flock_upkeep) {
      if (auto s = flock_->Maintain(); !s.ok()) GridLog("flock: %s", s.ToString().c_str());
    }
  } while (Pause(500));
}

// The publisher's owner thread: forwards the scheduler's events, publishes
// what got assembled, polls the seed.
void Coordinator::PublishFinished() {
  // Finished sequences waiting to be published (a refusal, such as a full
  // disk, is retried every half second).
  std::map<int64_t, std::string> unpublished;  // id -> video path
  std::map<int64_t, std::string> refused;      // id -> last refusal, logged once
  int tick = 0;
  do {
    for (SequenceEvent& event : scheduler_->TakeEvents()) {
      if (event.kind == SequenceEventKind::kFinished) {
        unpublished[event.sequence_id] = event.video_path;
      }
      events_.Push(std::move(event));
    }
    if (tick++ % 5 == 0) {
      for (auto it = unpublished.begin(); it != unpublished.end();) {
        const auto [id, video] = *it;
        if (Status st = publisher_->Publish(id, video); !st.ok()) {
          if (refused[id] != st.ToString()) {
            GridLog("publish %lld: %s", static_cast<long long>(id), st.ToString().c_str());
          }
          refused[id] = st.ToString();
          ++it;
          continue;
        }
        SequenceEvent published;
        published.kind = SequenceEventKind::kPublished;
        published.sequence_id = id;
        published.video_path = video;
        if (auto stats = publisher_->Stats(id)) published.detail = stats->sha256;
        events_.Push(std::move(published));
        refused.erase(id);
        it = unpublished.erase(it);
      }
    }
    publisher_->Poll();
  } while (Pause(100));
}

void Coordinator::Serve() {
  std::unique_lock lock(stop_mu_);
  stop_cv_.wait(lock, [this] { return stopped_; });
}

void Coordinator::Stop() {
  std::call_once(stop_once_, [this] {
    {
      std::lock_guard lock(stop_mu_);
      stopping_ = true;
    }
    stop_cv_.notify_all();
    if (serving_) GridLog("coordinator shutting down");
    if (grpc_server_) {
      grpc_server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    }
    if (http_) http_->Stop();
    if (maintenance_.joinable()) maintenance_.join();
    if (publishing_.joinable()) publishing_.join();
    {
      std::lock_guard lock(stop_mu_);
      stopped_ = true;
    }
    stop_cv_.notify_all();
  });
}

}  // namespace flamegrid::coordinator
