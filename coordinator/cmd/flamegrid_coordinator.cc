// flamegrid-coordinator: serve | submit | status.
//
//   serve  [--config FILE]  (TOML: every flag below as a key, and the [flock] profile;
//          flags given here override the file's keys; coordinator/config)
//          --listen HOST:PORT --http HOST:PORT --data DIR [--lease-seconds N]
//          [--max-upload-mb N] [--tls-cert F --tls-key F] [--sync full|normal]
//          [--fake-render] [--trusted-after N] [--new-worker-replicas N]
//          [--replica-wait-seconds N] [--video-preset P]
//          [--flock-quota N] [--breed-interval-seconds N] [--breed-count N]
//          [--preview-check on|off]  (default: on, off with --fake-render)
//          [--flock-upkeep on|off]   (scheduled breeding, retirement, edges; default on)
//          [--seed-rate-kbps N] [--bt-listen HOST:PORT] [--public-http HOST:PORT]
//          [--tracker-interval SECONDS]  (BitTorrent publishing, coordinator/publish)
//   submit --coordinator HOST:PORT --token-file F GENOME.flam3 [--frames N] [--size WxH]
//          [--quality Q] [--crf N] [--fps N] [--seed S] [--tls-ca F]
//          (frames, size, quality and fps left out take the coordinator's flock profile)
//   status --coordinator HOST:PORT --token-file F [--json] [--tls-ca F]
//   breed  --coordinator HOST:PORT --token-file F [--count N] [--tls-ca F]
#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "coordinator/config/coordinator_config.h"
#include "coordinator/config/serve_options.h"
#include "coordinator/flock/flock.h"
#include "coordinator/publish/http_routes.h"
#include "coordinator/publish/publisher.h"
#include "coordinator/rpc/grid_service.h"
#include "coordinator/schedule/scheduler.h"
#include "coordinator/web/http_server.h"
#include "coordinator/web/metrics_route.h"
#include "coordinator/web/status_json.h"
#include "proto/shared/address.h"
#include "proto/shared/frame_renderer.h"
#include "proto/shared/log.h"
#include "proto/shared/named_options.h"

namespace fg = flamegrid;
namespace fc = flamegrid::coordinator;

namespace {

struct Args {
  std::map<std::string, std::string> options;
  std::vector<std::string> positional;
  std::string error;

  bool Has(const std::string& key) const { return options.count(key) != 0; }
  std::string Get(const std::string& key, const std::string& fallback = "") const {
    auto it = options.find(key);
    return it == options.end() ? fallback : it->second;
  }
};

// The options each command knows (fg::cli::NamedOptions parses them).
const std::map<std::string, std::vector<fg::cli::OptionSpec>>& KnownOptions() {
  static const auto* known = new std::map<std::string, std::vector<fg::cli::OptionSpec>>{
      // The serve flags live in a table shared with the config file's keys.
      {"serve", fc::ServeCommandOptions()},
      {"submit",
       {{"--coordinator", true},
        {"--token-file", true},
        {"--frames", true},
        {"--size", true},
        {"--quality", true},
        {"--crf", true},
        {"--fps", true},
        {"--seed", true},
        {"--tls-ca", true}}},
      {"status",
       {{"--coordinator", true}, {"--token-file", true}, {"--json", false}, {"--tls-ca", true}}},
      {"breed",
       {{"--coordinator", true}, {"--token-file", true}, {"--count", true}, {"--tls-ca", true}}},
  };
  return *known;
}

// Parses argv[first..] for `command`. Returns false with a message in
// args.error (or true with `help` set for --help).
bool Parse(const std::string& command, int argc, char** argv, int first, Args* args, bool* help) {
  CLI::App app("flamegrid-coordinator " + command, "flamegrid-coordinator " + command);
  fg::cli::NamedOptions named(app, KnownOptions().at(command));
  if (command == "submit") app.add_option("genome", args->positional, "GENOME.flam3");
  std::vector<std::string> rest(argv + first, argv + argc);
  std::reverse(rest.begin(), rest.end());  // CLI11 takes them last first
  try {
    app.parse(rest);
  } catch (const CLI::CallForHelp&) {
    *help = true;
    return true;
  } catch (const CLI::ParseError& e) {
    args->error = command + ": " + e.what();
    return false;
  }
  args->options = named.Given();
  return true;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "flamegrid-coordinator: %s\n", message.c_str());
  return 1;
}

// A bad command line or config file: exit 2 before anything starts.
int Refuse(const std::string& message) {
  std::fprintf(stderr, "flamegrid-coordinator: %s\n", message.c_str());
  return 2;
}

fg::Result<std::string> ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fg::Status::NotFound("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

std::shared_ptr<grpc::Channel> Connect(const Args& args, std::string* error) {
  const std::string target = args.Get("--coordinator");
  if (target.empty()) {
    *error = "--coordinator HOST:PORT is required";
    return nullptr;
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (args.Has("--tls-ca")) {
    auto ca = ReadText(args.Get("--tls-ca"));
    if (!ca.ok()) {
      *error = ca.status().ToString();
      return nullptr;
    }
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = *ca;
    credentials = grpc::SslCredentials(ssl);
  }
  return grpc::CreateChannel(target, credentials);
}

// Where participants reach the HTTP side, "http://HOST:PORT": --public-http
// when given; else the HTTP listen address, a wildcard host replaced by the
// gRPC listen host (the address clients already use), when that is not one.
std::string PublicHttpBase(const Args& args, const std::string& grpc_host,
                           const std::string& http_host, int http_port) {
  std::string base = args.Get("--public-http");
  if (base.empty()) {
    const std::string host = fg::IsWildcardHost(http_host) && !fg::IsWildcardHost(grpc_host)
                                 ? grpc_host
                                 : (http_host.empty() ? "0.0.0.0" : http_host);
    base = host + ":" + std::to_string(http_port);
  }
  return fg::HttpBase(base);
}

// The host the BitTorrent seed binds when --bt-listen is not given: that of
// --public-http when it is an IP address of this machine (a name, or the
// outside address of a router that forwards to us, cannot be bound), else
// the HTTP listen host.
std::string BtListenHost(const std::string& public_http, const std::string& http_host) {
  const std::string fallback = http_host.empty() ? "0.0.0.0" : http_host;
  if (public_http.empty()) return fallback;
  const std::string host(fg::HostOf(fg::AuthorityOf(public_http)));
  std::string bare = host;
  if (bare.size() > 2 && bare.front() == '[') bare = bare.substr(1, bare.size() - 2);
  if (fg::IsWildcardHost(host)) return fallback;
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

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop = true; }

int Serve(const Args& command_line) {
  // The config file's keys under the flags given on the command line.
  Args args = command_line;
  fc::FlockProfile profile;
  if (command_line.Has(fc::kConfigFlag)) {
    auto config = fc::LoadCoordinatorConfig(command_line.Get(fc::kConfigFlag));
    if (!config.ok()) return Refuse(config.status().message());
    args.options = fc::MergeServeOptions(config->options, command_line.options);
    profile = config->profile;
  }
  if (auto s = fc::CheckServeOptions(args.options); !s.ok()) return Refuse(s.message());
  const std::string data = args.Get("--data");
  if (data.empty()) return Fail("serve needs --data DIR");
  auto grpc_address = fg::ParseHostPort(args.Get("--listen", "127.0.0.1:7750"));
  if (!grpc_address.ok()) return Fail("--listen: " + grpc_address.status().message());
  auto http_address = fg::ParseHostPort(args.Get("--http", "127.0.0.1:7751"));
  if (!http_address.ok()) return Fail("--http: " + http_address.status().message());
  const std::string grpc_host = grpc_address->host, http_host = http_address->host;
  const int grpc_port = grpc_address->port, http_port = http_address->port;

  if (auto s = flamegrid::Env::Default()->CreateDirectories(data); !s.ok())
    return Fail(s.ToString());

  fc::Metrics metrics;  // GET /metrics (coordinator/web/metrics.h)
  fc::SqliteOptions store_options;
  store_options.metrics = &metrics;
  store_options.sync_full = args.Get("--sync", "normal") == "full";
  auto store = fc::OpenSqliteStore(data + "/grid.db", store_options);
  if (!store.ok()) return Fail(store.status().ToString());
  std::unique_ptr<fg::grid::FrameRenderer> renderer = args.Has("--fake-render")
                                                          ? fg::grid::MakeSyntheticFrameRenderer()
                                                          : fg::grid::MakeLibraryFrameRenderer();

  fc::SchedulerOptions options;
  options.data_dir = data;
  options.sync_full = store_options.sync_full;
  try {
    options.lease_ms = static_cast<int64_t>(std::stod(args.Get("--lease-seconds", "120")) * 1000);
    options.max_upload_bytes =
        static_cast<uint64_t>(std::stod(args.Get("--max-upload-mb", "64")) * 1024 * 1024);
    options.max_failures = std::stoi(args.Get("--max-failures", "5"));
    options.validation.trusted_after = std::stoi(args.Get("--trusted-after", "10"));
    options.validation.new_worker_replicas = std::stoi(args.Get("--new-worker-replicas", "3"));
    options.replica_wait_ms =
        static_cast<int64_t>(std::stod(args.Get("--replica-wait-seconds", "0")) * 1000);
  } catch (...) {
    return Fail("a numeric option has a non-numeric value");
  }
  options.video_preset = args.Get("--video-preset", "medium");
  fc::Scheduler scheduler(**store, flamegrid::Env::Default(), *renderer, options);
  scheduler.SetMetrics(&metrics);
  if (auto s = scheduler.Start(); !s.ok()) return Fail(s.ToString());

  fc::flock::FlockOptions flock_options;
  flock_options.profile = profile;
  try {
    flock_options.quota = std::stoi(args.Get("--flock-quota", "0"));
    flock_options.breed_interval_ms =
        static_cast<int64_t>(std::stod(args.Get("--breed-interval-seconds", "0")) * 1000);
    flock_options.breed_count = std::stoi(args.Get("--breed-count", "1"));
  } catch (...) {
    return Fail("a numeric option has a non-numeric value");
  }
  fc::flock::Flock flock(**store, scheduler, flock_options);
  if (auto s = flock.Open(data); !s.ok()) return Fail(s.ToString());
  // Synthetic test genomes render nothing, so --fake-render turns the check off by default.
  if (args.Get("--preview-check", args.Has("--fake-render") ? "off" : "on") == "on") {
    scheduler.SetSubmitCheck([&flock](const std::string& xml) { return flock.CheckGenome(xml); });
  }
  // Scheduled breeding, retirement and edges; off for tests that want a static flock.
  const bool flock_upkeep = args.Get("--flock-upkeep", "on") == "on";
  // Finished sequences are published as torrents (coordinator/publish): the
  // tracker, the .torrent files and the web seed live on the HTTP port.
  fc::publish::PublisherOptions publish_options;
  publish_options.data_dir = data;
  // The BitTorrent seed listens where --bt-listen says, else on the host of
  // the public address (when that is an IP address), else the HTTP host.
  publish_options.listen_interfaces =
      args.Get("--bt-listen", BtListenHost(args.Get("--public-http"), http_host) + ":0");
  try {
    publish_options.upload_rate_limit = std::stoi(args.Get("--seed-rate-kbps", "2048")) * 1024;
    publish_options.tracker_interval_seconds = std::stoi(args.Get("--tracker-interval", "30"));
  } catch (...) {
    return Fail("a numeric option has a non-numeric value");
  }
  fc::publish::Publisher publisher(publish_options);
  scheduler.SetSnapshotHook([&flock, &publisher](fc::GridSnapshot& snapshot) {
    flock.Annotate(snapshot);
    for (fc::SequenceRecord& s : snapshot.sequences) {  // publishing stats
      if (auto stats = publisher.Stats(s.id)) {
        s.video_sha256 = stats->sha256;
        s.video_size = stats->size;
        s.seed_bytes_uploaded = stats->uploaded();
        s.peer_bytes_uploaded = publisher.tracker().PeerBytesUploaded(s.id);
      }
    }
  });

  // The HTTP side first: its port (maybe chosen by the system) is part of
  // the public address the gRPC service hands out.
  fc::HttpServer http(scheduler, data);
  http.AddRoutes(
      [&publisher](httplib::Server& s) { fc::publish::RegisterPublishRoutes(s, publisher); });
  metrics.OnScrape([&publisher](fc::Metrics& m) {
    const fc::publish::PublishedStats sent = publisher.TotalStats();
    m.SetDelivery(sent.bt_uploaded, sent.web_uploaded,
                  publisher.tracker().PeerBytesUploadedTotal());
  });
  http.AddRoutes([&metrics](httplib::Server& s) { fc::RegisterMetricsRoute(s, metrics); });
  if (auto s = http.Start(http_host, http_port); !s.ok()) return Fail(s.ToString());
  const std::string http_base = PublicHttpBase(args, grpc_host, http_host, http.port());
  if (http_base.find("://0.0.0.0:") != std::string::npos ||
      http_base.find("://[::]:") != std::string::npos) {
    fg::GridLog(
        "warning: gRPC and HTTP listen on every interface and no --public-http is given: "
        "torrents name %s, which only this machine can reach (workers substitute the "
        "host they reached gRPC at for the URLs they are sent)",
        http_base.c_str());
  }
  publisher.SetHttpBase(http_base);
  fc::GridService grid(scheduler, &flock);
  grid.SetPublicHttp(http_base);
  fc::AdminService admin(scheduler, &flock);
  grpc::ServerBuilder builder;
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (args.Has("--tls-cert") || args.Has("--tls-key")) {
    auto cert = ReadText(args.Get("--tls-cert"));
    auto key = ReadText(args.Get("--tls-key"));
    if (!cert.ok() || !key.ok()) return Fail("TLS needs readable --tls-cert and --tls-key");
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({*key, *cert});
    credentials = grpc::SslServerCredentials(ssl);
  }
  int bound_port = 0;
  builder.AddListeningPort(grpc_host + ":" + std::to_string(grpc_port), credentials, &bound_port);
  builder.RegisterService(&grid);
  // gRPC's sync server otherwise keeps at most 2 idle pollers and creates and
  // destroys a thread for nearly every concurrent call under load.
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 4);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 256);
  builder.RegisterService(&admin);
  builder.SetMaxReceiveMessageSize(8 << 20);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || bound_port == 0) {
    return Fail("cannot listen on " + grpc_host + ":" + std::to_string(grpc_port));
  }
  if (auto s = publisher.Start(); !s.ok()) return Fail(s.ToString());

  signal(SIGTERM, OnSignal);
  signal(SIGINT, OnSignal);
  signal(SIGPIPE, SIG_IGN);
  fg::GridLog("coordinator serving gRPC on %s:%d%s, HTTP on %s:%d, data in %s", grpc_host.c_str(),
              bound_port, args.Has("--tls-cert") ? " (TLS)" : "", http_host.c_str(), http.port(),
              data.c_str());
  fg::GridLog("admin token in %s/admin.token", data.c_str());
  fg::GridLog("participants are told the HTTP side is at %s; BitTorrent seed on %s port %d",
              http_base.c_str(), publish_options.listen_interfaces.c_str(), publisher.bt_port());
  fg::GridLog("flock profile: %d frames at %dx%d, quality %g, %d fps, %d bootstrap loops",
              profile.frames, profile.width, profile.height, profile.quality, profile.fps,
              profile.bootstrap_loops);
  // A fresh coordinator seeds its own flock (upkeep does it again whenever the
  // flock runs out of live loops).
  if (auto bootstrap = flock.Bootstrap(); !bootstrap.ok()) {
    fg::GridLog("flock bootstrap: %s", bootstrap.status().ToString().c_str());
  }

  std::thread maintenance([&] {
    while (!g_stop) {
      if (auto s = scheduler.Maintain(); !s.ok()) {
        fg::GridLog("maintenance: %s", s.ToString().c_str());
      }
      if (flock_upkeep) {
        if (auto s = flock.Maintain(); !s.ok()) fg::GridLog("flock: %s", s.ToString().c_str());
      }
      for (int i = 0; i < 5 && !g_stop; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  });
  // The publisher's owner thread: publishes what got assembled, polls the seed.
  std::thread publishing([&] {
    // Finished sequences waiting to be published (a refusal, such as a full
    // disk, is retried every half second).
    std::map<int64_t, std::string> unpublished;  // id -> video path
    std::map<int64_t, std::string> refused;      // id -> last refusal, logged once
    for (int tick = 0; !g_stop; ++tick) {
      for (const fc::SequenceEvent& event : scheduler.TakeEvents()) {
        if (event.kind == fc::SequenceEventKind::kFinished) {
          unpublished[event.sequence_id] = event.video_path;
        }
      }
      if (tick % 5 == 0) {
        for (auto it = unpublished.begin(); it != unpublished.end();) {
          const auto [id, video] = *it;
          if (auto st = publisher.Publish(id, video); !st.ok()) {
            if (refused[id] != st.ToString()) {
              fg::GridLog("publish %lld: %s", static_cast<long long>(id), st.ToString().c_str());
            }
            refused[id] = st.ToString();
            ++it;
          } else {
            it = unpublished.erase(it);
          }
        }
      }
      publisher.Poll();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  while (!g_stop) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  fg::GridLog("coordinator shutting down");
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  http.Stop();
  maintenance.join();
  publishing.join();
  return 0;
}

fg::Result<std::string> AdminToken(const Args& args) {
  const std::string file = args.Get("--token-file");
  if (file.empty()) return fg::Status::InvalidArgument("--token-file F is required");
  FG_ASSIGN_OR_RETURN(std::string token, ReadText(file));
  return Trim(token);
}

int Submit(const Args& args) {
  if (args.positional.size() != 1) return Fail("submit needs exactly one GENOME.flam3");
  auto token = AdminToken(args);
  if (!token.ok()) return Fail(token.status().ToString());
  auto genome = ReadText(args.positional[0]);
  if (!genome.ok()) return Fail(genome.status().ToString());
  fg::v1::SubmitRequest request;
  request.set_admin_token(*token);
  request.set_genome_xml(*genome);
  // Left out: 0, which the coordinator fills from its flock profile.
  int width = 0, height = 0;
  if (args.Has("--size") && !fc::ParseSize(args.Get("--size"), &width, &height)) {
    return Fail("--size wants WxH, e.g. 320x240");
  }
  try {
    request.set_frames(std::stoi(args.Get("--frames", "0")));
    request.set_quality(std::stod(args.Get("--quality", "0")));
    request.set_crf(std::stoi(args.Get("--crf", "0")));
    request.set_fps(std::stoi(args.Get("--fps", "0")));
    request.set_seed(std::stoull(args.Get("--seed", "1")));
  } catch (...) {
    return Fail("a numeric option has a non-numeric value");
  }
  request.set_width(width);
  request.set_height(height);
  std::string error;
  auto channel = Connect(args, &error);
  if (!channel) return Fail(error);
  auto stub = fg::v1::Admin::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  fg::v1::SubmitResponse response;
  grpc::Status status = stub->Submit(&context, request, &response);
  if (!status.ok()) {
    return Fail("submit refused: " + flamegrid::FromGrpc(status).ToString());
  }
  const std::string frames =
      request.frames() > 0 ? std::to_string(request.frames()) : "the profile's";
  const std::string size =
      width > 0 ? std::to_string(width) + "x" + std::to_string(height) : "the profile's size";
  std::printf("submitted %s: a loop of %s frames at %s\n", args.positional[0].c_str(),
              frames.c_str(), size.c_str());
  std::printf("%lld\n", static_cast<long long>(response.sequence_id()));
  return 0;
}

int StatusCommand(const Args& args) {
  auto token = AdminToken(args);
  if (!token.ok()) return Fail(token.status().ToString());
  std::string error;
  auto channel = Connect(args, &error);
  if (!channel) return Fail(error);
  auto stub = fg::v1::Admin::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  fg::v1::StatusRequest request;
  request.set_admin_token(*token);
  fg::v1::StatusResponse response;
  grpc::Status status = stub->Status(&context, request, &response);
  if (!status.ok()) return Fail("status refused: " + flamegrid::FromGrpc(status).ToString());
  const fg::Result<fc::GridSnapshot> read = fc::FromProto(response);
  if (!read.ok()) return Fail("status: " + read.status().ToString());
  const fc::GridSnapshot& snapshot = *read;
  if (args.Has("--json")) {
    std::printf("%s\n", fc::StatusJson(snapshot).c_str());
    return 0;
  }
  std::printf("%-6s %-6s %-11s %-9s %-6s %-12s %s\n", "id", "kind", "state", "frames", "rating",
              "lineage", "video");
  for (const auto& s : snapshot.sequences) {
    std::string lineage;
    if (s.kind == "edge") {
      lineage = std::to_string(s.edge_from) + "->" + std::to_string(s.edge_to);
    } else {
      for (int64_t p : s.parents) lineage += (lineage.empty() ? "of " : "x") + std::to_string(p);
    }
    std::printf("%-6lld %-6s %-11s %4d/%-4d %-6g %-12s %s%s\n", static_cast<long long>(s.id),
                s.kind.c_str(), ToString(s.state), s.frames_done, s.frames, s.rating,
                lineage.c_str(), s.video_path.c_str(),
                s.failure.empty() ? "" : ("  (" + s.failure + ")").c_str());
  }
  std::printf("\n%-6s %-20s %-7s %-7s %s\n", "worker", "name", "valid", "invalid", "");
  for (const auto& w : snapshot.workers) {
    std::printf("%-6lld %-20s %-7lld %-7lld %s\n", static_cast<long long>(w.id), w.name.c_str(),
                static_cast<long long>(w.valid_results), static_cast<long long>(w.invalid_results),
                w.quarantined ? "QUARANTINED" : "");
  }
  return 0;
}

int Breed(const Args& args) {
  auto token = AdminToken(args);
  if (!token.ok()) return Fail(token.status().ToString());
  std::string error;
  auto channel = Connect(args, &error);
  if (!channel) return Fail(error);
  auto stub = fg::v1::Admin::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(300));
  fg::v1::BreedRequest request;
  request.set_admin_token(*token);
  try {
    request.set_count(std::stoi(args.Get("--count", "1")));
  } catch (...) {
    return Fail("--count wants a number");
  }
  fg::v1::BreedResponse response;
  grpc::Status status = stub->Breed(&context, request, &response);
  if (!status.ok()) return Fail("breed refused: " + flamegrid::FromGrpc(status).ToString());
  for (const std::string& note : response.notes()) std::fprintf(stderr, "%s\n", note.c_str());
  std::fprintf(stderr, "bred %d children, discarded %d blank\n", response.children_size(),
               response.discarded());
  for (int64_t id : response.children()) std::printf("%lld\n", static_cast<long long>(id));
  return response.children_size() > 0 ? 0 : 1;
}

}  // namespace

constexpr const char* kUsage = R"(usage: flamegrid-coordinator COMMAND [options]

  serve   [--config FILE] --listen HOST:PORT --http HOST:PORT --data DIR
          [--lease-seconds N] [--max-failures N] [--max-upload-mb N] [--sync full|normal]
          [--video-preset NAME] [--trusted-after N]
          [--new-worker-replicas N] [--replica-wait-seconds N] [--tls-cert F --tls-key F]
          [--breed-interval-seconds N] [--breed-count N] [--flock-quota N]
          [--preview-check on|off] [--flock-upkeep on|off] [--fake-render]
          [--seed-rate-kbps N] [--bt-listen HOST:PORT] [--public-http HOST:PORT]
          [--tracker-interval SECONDS]
          Runs the coordinator; writes DIR/admin.token (mode 0600). --config
          reads a TOML file: each flag as a key (lease_seconds = 60), the
          [flock] profile (frames, size, quality, fps, bootstrap_loops); flags
          given override the file. Finished
          sequences are published as torrents: GET /sequences/ID.torrent, tracker
          at /announce, web seed at /sequences/ID.mp4 on the HTTP port.
          --public-http: where participants reach the HTTP port (sent to them
          over gRPC; default: the --http address, a wildcard host replaced by
          the --listen host). --bt-listen: the seed's BitTorrent port (default:
          the --public-http host if it is this machine's, else the --http host).
  submit  --coordinator HOST:PORT --token-file F GENOME.flam3 [--frames N] [--size WxH]
          [--quality Q] [--crf N] [--fps N] [--seed S]
          Submits a loop; frames, size, quality and fps left out take the
          coordinator's flock profile. The last line printed is the sequence id.
  status  --coordinator HOST:PORT --token-file F [--json]
  breed   --coordinator HOST:PORT --token-file F [--count N]
          Breeds N children from well-rated loops.
  Clients take --tls-ca F to talk to a TLS coordinator.
)";

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (KnownOptions().count(command) == 0) {
    return Fail("unknown command \"" + command + "\" (serve, submit, status, breed)");
  }
  Args args;
  bool help = false;
  if (!Parse(command, argc, argv, 2, &args, &help)) {
    std::fprintf(stderr, "flamegrid-coordinator %s\n", args.error.c_str());
    return 2;
  }
  if (help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "serve") return Serve(args);
  if (command == "submit") return Submit(args);
  if (command == "status") return StatusCommand(args);
  if (command == "breed") return Breed(args);
  return Fail("unknown command \"" + command + "\" (serve, submit, status, breed)");
}
