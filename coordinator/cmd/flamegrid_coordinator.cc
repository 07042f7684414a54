// flamegrid-coordinator: serve | submit | status.
//
//   serve  [--config FILE]  (TOML: every flag below as a key, and the [flock] profile;
//          flags given here override the file's keys; coordinator/config)
//          --listen HOST:PORT --http HOST:PORT --data DIR [--lease-seconds N]
//          [--max-upload-mb N] [--tls-cert F --tls-key F] [--sync full|normal]
//          [--fake-render] [--trusted-after N] [--new-worker-replicas N]
//          [--replica-wait-seconds N] [--video-preset P]
//          [--lease-max-seconds N] [--max-leases-per-worker N] [--lease-calls-per-second R]
//          [--lease-call-burst N] [--job-failure-workers N] [--throttle-after-failures N]
//          [--quarantine-after-failures N]  (hostile volunteers: README "Validation policy")
//          [--flock-quota N] [--breed-interval-seconds N] [--breed-count N]
//          [--preview-check on|off]  (default: on, off with --fake-render)
//          [--flock-upkeep on|off]   (scheduled breeding, retirement, edges; default on)
//          [--seed-rate-kbps N] [--bt-listen HOST:PORT] [--public-http HOST:PORT]
//          [--max-frames N] [--max-frame-side N] [--max-pixels N] [--max-quality Q]
//          [--max-supersample N] [--max-temporal-samples N]
//          [--max-temporal-filter-width F]  (what a submission may ask for)
//          [--register-burst N] [--register-per-minute N] [--register-pow-bits N]
//          [--register-pow-bits-loopback N]  (who may register, coordinator/rpc/admission.h)
//          [--votes-per-address N] [--vote-full-weight-results N]  (coordinator/flock)
//          [--tracker-interval SECONDS] [--tracker-peers-per-address N]
//                                        (BitTorrent publishing, coordinator/publish)
//          [--http-connections N] [--http-connections-per-address N]
//          [--http-timeout-seconds N]    (the HTTP side's bounds, coordinator/web)
//   submit --coordinator HOST:PORT --token-file F GENOME.flam3 [--frames N] [--size WxH]
//          [--quality Q] [--crf N] [--fps N] [--seed S] [--tls-ca F]
//          (frames, size, quality and fps left out take the coordinator's flock profile)
//   status --coordinator HOST:PORT --token-file F [--json] [--tls-ca F]
//          [--workers-offset N] [--workers-limit N]  (a page of workers; a summary of all)
//   breed  --coordinator HOST:PORT --token-file F [--count N] [--tls-ca F]
#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "coordinator/config/coordinator_config.h"
#include "coordinator/config/serve_options.h"
#include "coordinator/rpc/grid_service.h"
#include "coordinator/service/coordinator.h"
#include "coordinator/web/status_json.h"
#include "proto/shared/address.h"
#include "proto/shared/env.h"
#include "proto/shared/log.h"
#include "proto/shared/named_options.h"
#include "renderer/base/parse_number.h"

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

// The options each command knows (fg::NamedOptions parses them).
const std::map<std::string, std::vector<fg::OptionSpec>>& KnownOptions() {
  static const auto* known = new std::map<std::string, std::vector<fg::OptionSpec>>{
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
       {{"--coordinator", true},
        {"--token-file", true},
        {"--json", false},
        {"--tls-ca", true},
        {"--workers-offset", true},
        {"--workers-limit", true}}},
      {"breed",
       {{"--coordinator", true}, {"--token-file", true}, {"--count", true}, {"--tls-ca", true}}},
  };
  return *known;
}

// Parses argv[first..] for `command`. Returns false with a message in
// args.error (or true with `help` set for --help).
bool Parse(const std::string& command, int argc, char** argv, int first, Args* args, bool* help) {
  CLI::App app("flamegrid-coordinator " + command, "flamegrid-coordinator " + command);
  fg::NamedOptions named(app, KnownOptions().at(command));
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

// Small text files: a token, a genome, a CA certificate.
constexpr uint64_t kMaxTextBytes = 16 << 20;

fg::Result<std::string> ReadText(const std::string& path) {
  return fg::Env::Default()->ReadFile(path, kMaxTextBytes);
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

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop = true; }

// The serve flags (flag -> value, checked by CheckServeOptions) as the
// coordinator's options.
fg::Result<fc::SubmitLimits> ToSubmitLimits(const Args& args) {
  const fc::SubmitLimits defaults;
  fc::SubmitLimits limits;
  FG_ASSIGN_OR_RETURN(
      limits.max_frames,
      fg::ParseInt(args.Get("--max-frames", std::to_string(defaults.max_frames)), "--max-frames"));
  FG_ASSIGN_OR_RETURN(
      limits.max_frame_side,
      fg::ParseInt(args.Get("--max-frame-side", std::to_string(defaults.max_frame_side)),
                   "--max-frame-side"));
  FG_ASSIGN_OR_RETURN(limits.max_pixels,
                      fg::ParseInt64(args.Get("--max-pixels", std::to_string(defaults.max_pixels)),
                                     "--max-pixels"));
  FG_ASSIGN_OR_RETURN(
      limits.max_quality,
      fg::ParseDouble(args.Get("--max-quality", std::to_string(defaults.max_quality)),
                      "--max-quality"));
  FG_ASSIGN_OR_RETURN(
      limits.max_supersample,
      fg::ParseInt(args.Get("--max-supersample", std::to_string(defaults.max_supersample)),
                   "--max-supersample"));
  FG_ASSIGN_OR_RETURN(limits.max_temporal_samples,
                      fg::ParseInt(args.Get("--max-temporal-samples",
                                            std::to_string(defaults.max_temporal_samples)),
                                   "--max-temporal-samples"));
  FG_ASSIGN_OR_RETURN(limits.max_temporal_filter_width,
                      fg::ParseDouble(args.Get("--max-temporal-filter-width",
                                               std::to_string(defaults.max_temporal_filter_width)),
                                      "--max-temporal-filter-width"));
  return limits;
}

fg::Result<fc::CoordinatorOptions> ToCoordinatorOptions(const Args& args,
                                                        const fc::FlockProfile& profile) {
  fc::CoordinatorOptions options;
  options.data_dir = args.Get("--data");
  if (options.data_dir.empty()) return fg::Status::InvalidArgument("serve needs --data DIR");
  auto grpc_listen = fg::ParseHostPort(args.Get("--listen", "127.0.0.1:7750"));
  if (!grpc_listen.ok()) return grpc_listen.status().WithContext("--listen");
  auto http_listen = fg::ParseHostPort(args.Get("--http", "127.0.0.1:7751"));
  if (!http_listen.ok()) return http_listen.status().WithContext("--http");
  options.grpc_listen = *grpc_listen;
  options.http_listen = *http_listen;
  options.public_http = args.Get("--public-http");
  options.tls_cert_file = args.Get("--tls-cert");
  options.tls_key_file = args.Get("--tls-key");
  options.sync_full = args.Get("--sync", "normal") == "full";
  options.fake_render = args.Has("--fake-render");
  // Synthetic test genomes render nothing, so --fake-render turns the check off by default.
  options.preview_check = args.Get("--preview-check", options.fake_render ? "off" : "on") == "on";
  // Scheduled breeding, retirement and edges; off for tests that want a static flock.
  options.flock_upkeep = args.Get("--flock-upkeep", "on") == "on";

  fc::SchedulerOptions& scheduler = options.scheduler;
  FG_ASSIGN_OR_RETURN(const double lease_seconds,
                      fg::ParseDouble(args.Get("--lease-seconds", "120"), "--lease-seconds"));
  scheduler.lease_ms = static_cast<int64_t>(lease_seconds * 1000);
  FG_ASSIGN_OR_RETURN(const double max_upload_mb,
                      fg::ParseDouble(args.Get("--max-upload-mb", "64"), "--max-upload-mb"));
  scheduler.max_upload_bytes = static_cast<uint64_t>(max_upload_mb * 1024 * 1024);
  FG_ASSIGN_OR_RETURN(
      const double upload_idle_seconds,
      fg::ParseDouble(args.Get("--upload-idle-seconds", "10"), "--upload-idle-seconds"));
  options.uploads.idle_ms = static_cast<int64_t>(upload_idle_seconds * 1000);
  FG_ASSIGN_OR_RETURN(options.uploads.max_streams,
                      fg::ParseInt(args.Get("--max-upload-streams", "64"), "--max-upload-streams"));
  FG_ASSIGN_OR_RETURN(options.rpc_threads,
                      fg::ParseInt(args.Get("--rpc-threads", "256"), "--rpc-threads"));
  FG_ASSIGN_OR_RETURN(scheduler.max_failures,
                      fg::ParseInt(args.Get("--max-failures", "5"), "--max-failures"));
  FG_ASSIGN_OR_RETURN(scheduler.validation.trusted_after,
                      fg::ParseInt(args.Get("--trusted-after", "10"), "--trusted-after"));
  FG_ASSIGN_OR_RETURN(
      scheduler.validation.new_worker_replicas,
      fg::ParseInt(args.Get("--new-worker-replicas", "3"), "--new-worker-replicas"));
  FG_ASSIGN_OR_RETURN(
      const double replica_wait_seconds,
      fg::ParseDouble(args.Get("--replica-wait-seconds", "0"), "--replica-wait-seconds"));
  scheduler.replica_wait_ms = static_cast<int64_t>(replica_wait_seconds * 1000);
  FG_ASSIGN_OR_RETURN(
      const double lease_max_seconds,
      fg::ParseDouble(args.Get("--lease-max-seconds", "3600"), "--lease-max-seconds"));
  scheduler.lease_max_ms = static_cast<int64_t>(lease_max_seconds * 1000);
  FG_ASSIGN_OR_RETURN(
      scheduler.max_leases_per_worker,
      fg::ParseInt(args.Get("--max-leases-per-worker", "8"), "--max-leases-per-worker"));
  FG_ASSIGN_OR_RETURN(
      scheduler.lease_calls_per_second,
      fg::ParseDouble(args.Get("--lease-calls-per-second", "10"), "--lease-calls-per-second"));
  FG_ASSIGN_OR_RETURN(scheduler.lease_call_burst,
                      fg::ParseInt(args.Get("--lease-call-burst", "20"), "--lease-call-burst"));
  FG_ASSIGN_OR_RETURN(
      scheduler.job_failure_workers,
      fg::ParseInt(args.Get("--job-failure-workers", "3"), "--job-failure-workers"));
  FG_ASSIGN_OR_RETURN(
      scheduler.throttle_after_failures,
      fg::ParseInt(args.Get("--throttle-after-failures", "3"), "--throttle-after-failures"));
  FG_ASSIGN_OR_RETURN(
      scheduler.quarantine_after_failures,
      fg::ParseInt(args.Get("--quarantine-after-failures", "10"), "--quarantine-after-failures"));
  scheduler.video_preset = args.Get("--video-preset", "medium");
  FG_ASSIGN_OR_RETURN(scheduler.submit_limits, ToSubmitLimits(args));
  // The flock's own loops must pass the limits its submissions pass.
  fc::SubmitSpec profile_loop;
  profile_loop.frames = profile.frames;
  profile_loop.width = profile.width;
  profile_loop.height = profile.height;
  profile_loop.quality = profile.quality;
  profile_loop.fps = profile.fps;
  if (fg::Status s = fc::CheckSubmit(profile_loop, scheduler.submit_limits); !s.ok()) {
    return fg::Status::InvalidArgument("the [flock] profile is outside the submit limits: " +
                                       s.message());
  }

  // Registration and votes: the options' defaults unless given.
  fc::AdmissionOptions& admission = options.admission;
  if (args.Has("--register-burst")) {
    FG_ASSIGN_OR_RETURN(admission.register_burst,
                        fg::ParseDouble(args.Get("--register-burst"), "--register-burst"));
  }
  if (args.Has("--register-per-minute")) {
    FG_ASSIGN_OR_RETURN(
        admission.register_per_minute,
        fg::ParseDouble(args.Get("--register-per-minute"), "--register-per-minute"));
  }
  if (args.Has("--register-pow-bits")) {
    FG_ASSIGN_OR_RETURN(admission.pow_bits,
                        fg::ParseInt(args.Get("--register-pow-bits"), "--register-pow-bits"));
  }
  if (args.Has("--register-pow-bits-loopback")) {
    FG_ASSIGN_OR_RETURN(
        admission.pow_bits_loopback,
        fg::ParseInt(args.Get("--register-pow-bits-loopback"), "--register-pow-bits-loopback"));
  }
  if (args.Has("--votes-per-address")) {
    FG_ASSIGN_OR_RETURN(options.flock.votes_per_address,
                        fg::ParseInt(args.Get("--votes-per-address"), "--votes-per-address"));
  }
  if (args.Has("--vote-full-weight-results")) {
    FG_ASSIGN_OR_RETURN(
        options.flock.vote_full_weight_results,
        fg::ParseInt64(args.Get("--vote-full-weight-results"), "--vote-full-weight-results"));
  }

  options.flock.profile = profile;
  FG_ASSIGN_OR_RETURN(options.flock.quota,
                      fg::ParseInt(args.Get("--flock-quota", "0"), "--flock-quota"));
  FG_ASSIGN_OR_RETURN(
      const double breed_interval_seconds,
      fg::ParseDouble(args.Get("--breed-interval-seconds", "0"), "--breed-interval-seconds"));
  options.flock.breed_interval_ms = static_cast<int64_t>(breed_interval_seconds * 1000);
  FG_ASSIGN_OR_RETURN(options.flock.breed_count,
                      fg::ParseInt(args.Get("--breed-count", "1"), "--breed-count"));

  // The BitTorrent seed listens where --bt-listen says (empty: the
  // coordinator picks from --public-http and --http).
  options.bt_listen = args.Get("--bt-listen");
  FG_ASSIGN_OR_RETURN(const int seed_rate_kbps,
                      fg::ParseInt(args.Get("--seed-rate-kbps", "2048"), "--seed-rate-kbps"));
  options.publish.upload_rate_limit = seed_rate_kbps * 1024;
  FG_ASSIGN_OR_RETURN(options.publish.tracker_interval_seconds,
                      fg::ParseInt(args.Get("--tracker-interval", "30"), "--tracker-interval"));
  FG_ASSIGN_OR_RETURN(
      options.publish.tracker_peers_per_address,
      fg::ParseInt(args.Get("--tracker-peers-per-address",
                            std::to_string(fc::publish::Tracker::kDefaultPeersPerAddress)),
                   "--tracker-peers-per-address"));

  // The HTTP side's bounds (coordinator/web/http_server.h): safe defaults
  // for a public server; tests with many clients on 127.0.0.1 loosen them.
  fc::HttpServerOptions& http = options.http;
  FG_ASSIGN_OR_RETURN(
      http.max_connections,
      fg::ParseInt(args.Get("--http-connections", std::to_string(http.max_connections)),
                   "--http-connections"));
  FG_ASSIGN_OR_RETURN(http.max_connections_per_address,
                      fg::ParseInt(args.Get("--http-connections-per-address",
                                            std::to_string(http.max_connections_per_address)),
                                   "--http-connections-per-address"));
  FG_ASSIGN_OR_RETURN(
      http.timeout_seconds,
      fg::ParseInt(args.Get("--http-timeout-seconds", std::to_string(http.timeout_seconds)),
                   "--http-timeout-seconds"));
  return options;
}

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
  auto options = ToCoordinatorOptions(args, profile);
  if (!options.ok()) return Fail(options.status().message());

  signal(SIGTERM, OnSignal);
  signal(SIGINT, OnSignal);
  signal(SIGPIPE, SIG_IGN);
  auto coordinator = fc::Coordinator::Open(*std::move(options));
  if (!coordinator.ok()) return Fail(coordinator.status().ToString());
  // Signals only set g_stop; this loop turns it into Stop(), which Serve
  // waits for. The command line has no use for the sequence events, so they
  // are drained rather than left to pile up.
  std::thread watcher([&coordinator] {
    while (!g_stop) {
      (void)(*coordinator)->PollEvents();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    (*coordinator)->Stop();
  });
  (*coordinator)->Serve();
  watcher.join();
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
  auto frames = fg::ParseInt(args.Get("--frames", "0"), "--frames");
  auto quality = fg::ParseDouble(args.Get("--quality", "0"), "--quality");
  auto crf = fg::ParseInt(args.Get("--crf", "0"), "--crf");
  auto fps = fg::ParseInt(args.Get("--fps", "0"), "--fps");
  auto seed = fg::ParseUint64(args.Get("--seed", "1"), "--seed");
  for (const fg::Status& s :
       {frames.status(), quality.status(), crf.status(), fps.status(), seed.status()}) {
    if (!s.ok()) return Fail(s.message());
  }
  request.set_frames(*frames);
  request.set_quality(*quality);
  request.set_crf(*crf);
  request.set_fps(*fps);
  request.set_seed(*seed);
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
  const std::string frame_count =
      request.frames() > 0 ? std::to_string(request.frames()) : "the profile's";
  const std::string size =
      width > 0 ? std::to_string(width) + "x" + std::to_string(height) : "the profile's size";
  std::printf("submitted %s: a loop of %s frames at %s\n", args.positional[0].c_str(),
              frame_count.c_str(), size.c_str());
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
  auto offset = fg::ParseInt64(args.Get("--workers-offset", "0"), "--workers-offset");
  auto limit = fg::ParseInt(args.Get("--workers-limit", "0"), "--workers-limit");
  if (!offset.ok()) return Fail(offset.status().message());
  if (!limit.ok()) return Fail(limit.status().message());
  request.set_workers_offset(*offset);
  request.set_workers_limit(*limit);
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
                s.failure.empty() ? "" : ("  (" + fg::Printable(s.failure) + ")").c_str());
  }
  if (snapshot.worker_counts) {
    const fc::WorkerCounts& c = *snapshot.worker_counts;
    std::printf(
        "\nworkers: %lld registered, %lld seen in the last hour, %lld trusted, %lld "
        "quarantined (listing %zu from offset %lld)\n",
        static_cast<long long>(c.registered), static_cast<long long>(c.seen),
        static_cast<long long>(c.trusted), static_cast<long long>(c.quarantined),
        snapshot.workers.size(), static_cast<long long>(snapshot.workers_offset));
  }
  std::printf("\n%-6s %-20s %-7s %-7s %s\n", "worker", "name", "valid", "invalid", "");
  for (const auto& w : snapshot.workers) {
    std::printf("%-6lld %-20s %-7lld %-7lld %s\n", static_cast<long long>(w.id),
                fg::Printable(w.name).c_str(), static_cast<long long>(w.valid_results),
                static_cast<long long>(w.invalid_results), w.quarantined ? "QUARANTINED" : "");
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
  auto count = fg::ParseInt(args.Get("--count", "1"), "--count");
  if (!count.ok()) return Fail(count.status().message());
  request.set_count(*count);
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
          [--lease-max-seconds N] [--max-leases-per-worker N] [--lease-calls-per-second R]
          [--lease-call-burst N] [--job-failure-workers N] [--throttle-after-failures N]
          [--quarantine-after-failures N]
          [--breed-interval-seconds N] [--breed-count N] [--flock-quota N]
          [--preview-check on|off] [--flock-upkeep on|off] [--fake-render]
          [--seed-rate-kbps N] [--bt-listen HOST:PORT] [--public-http HOST:PORT]
          [--max-frames N] [--max-frame-side N]
          [--max-pixels N] [--max-quality Q] [--max-supersample N]
          [--max-temporal-samples N] [--max-temporal-filter-width F]
          [--register-burst N] [--register-per-minute N]
          [--register-pow-bits N] [--register-pow-bits-loopback N]
          [--votes-per-address N] [--vote-full-weight-results N]
          [--tracker-interval SECONDS] [--tracker-peers-per-address N]
          [--http-connections N] [--http-connections-per-address N]
          [--http-timeout-seconds N]
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
          [--workers-offset N] [--workers-limit N]
          The sequences, a summary of the workers and a page of them (by id;
          100 by default, at most 1000).
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
