// flamegrid-coordinator: serve | submit | status.
//
//   serve  [--config FILE]  (TOML: every flag below as a key, and the [flock] profile;
//          flags given here override the file's keys; coordinator/config)
//          --listen HOST:PORT --http HOST:PORT --data DIR [--lease-seconds N]
//          [--max-upload-mb N] [--tls-cert F --tls-key F] [--sync full|normal]
//          [--fake-render] [--trusted-after N] [--new-worker-replicas N]
//          [--replica-wait-seconds N] [--video-preset P]
//          [--upload-idle-seconds N] [--max-upload-streams N] [--rpc-threads N]
//          [--max-upload-streams-per-address N]
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
#include <type_traits>
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

// A number flag (the command line's, or the config file's key) into
// `*field`; `fallback` when it was not given. CheckServeOptions already
// checked its range; the parse names the flag should it still fail.
template <typename T>
fg::Status ReadFlag(const Args& args, const char* flag, std::type_identity_t<T> fallback,
                    T* field) {
  if (!args.Has(flag)) {
    *field = fallback;
    return fg::Status::Ok();
  }
  const std::string text = args.Get(flag);
  fg::Result<T> value = [&]() -> fg::Result<T> {
    if constexpr (std::is_same_v<T, double>) {
      return fg::ParseDouble(text, flag);
    } else if constexpr (std::is_same_v<T, int64_t>) {
      return fg::ParseInt64(text, flag);
    } else {
      return fg::ParseInt(text, flag);
    }
  }();
  if (!value.ok()) return value.status();
  *field = *value;
  return fg::Status::Ok();
}

// A flag in seconds (fractions allowed) into a field in milliseconds.
fg::Status ReadSecondsAsMs(const Args& args, const char* flag, double fallback_seconds,
                           int64_t* field_ms) {
  double seconds = 0;
  FG_RETURN_IF_ERROR(ReadFlag(args, flag, fallback_seconds, &seconds));
  *field_ms = static_cast<int64_t>(seconds * 1000);
  return fg::Status::Ok();
}

// The serve flags (flag -> value, checked by CheckServeOptions) as the
// coordinator's options.
fg::Result<fc::SubmitLimits> ToSubmitLimits(const Args& args) {
  const fc::SubmitLimits defaults;
  fc::SubmitLimits limits;
  FG_RETURN_IF_ERROR(ReadFlag(args, "--max-frames", defaults.max_frames, &limits.max_frames));
  FG_RETURN_IF_ERROR(
      ReadFlag(args, "--max-frame-side", defaults.max_frame_side, &limits.max_frame_side));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--max-pixels", defaults.max_pixels, &limits.max_pixels));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--max-quality", defaults.max_quality, &limits.max_quality));
  FG_RETURN_IF_ERROR(
      ReadFlag(args, "--max-supersample", defaults.max_supersample, &limits.max_supersample));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--max-temporal-samples", defaults.max_temporal_samples,
                              &limits.max_temporal_samples));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--max-temporal-filter-width",
                              defaults.max_temporal_filter_width,
                              &limits.max_temporal_filter_width));
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
  FG_RETURN_IF_ERROR(ReadSecondsAsMs(args, "--lease-seconds", 120, &scheduler.lease_ms));
  FG_ASSIGN_OR_RETURN(const double max_upload_mb,
                      fg::ParseDouble(args.Get("--max-upload-mb", "64"), "--max-upload-mb"));
  scheduler.max_upload_bytes = static_cast<uint64_t>(max_upload_mb * 1024 * 1024);
  FG_RETURN_IF_ERROR(ReadSecondsAsMs(args, "--upload-idle-seconds", 10, &options.uploads.idle_ms));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--max-upload-streams", 64, &options.uploads.max_streams));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--max-upload-streams-per-address", 16,
                              &options.uploads.max_streams_per_network));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--rpc-threads", 256, &options.rpc_threads));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--max-failures", 5, &scheduler.max_failures));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--trusted-after", 10, &scheduler.validation.trusted_after));
  FG_RETURN_IF_ERROR(
      ReadFlag(args, "--new-worker-replicas", 3, &scheduler.validation.new_worker_replicas));
  FG_RETURN_IF_ERROR(
      ReadSecondsAsMs(args, "--replica-wait-seconds", 0, &scheduler.replica_wait_ms));
  FG_RETURN_IF_ERROR(ReadSecondsAsMs(args, "--lease-max-seconds", 3600, &scheduler.lease_max_ms));
  FG_RETURN_IF_ERROR(
      ReadFlag(args, "--max-leases-per-worker", 8, &scheduler.max_leases_per_worker));
  FG_RETURN_IF_ERROR(
      ReadFlag(args, "--lease-calls-per-second", 10.0, &scheduler.lease_calls_per_second));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--lease-call-burst", 20, &scheduler.lease_call_burst));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--job-failure-workers", 3, &scheduler.job_failure_workers));
  FG_RETURN_IF_ERROR(
      ReadFlag(args, "--throttle-after-failures", 3, &scheduler.throttle_after_failures));
  FG_RETURN_IF_ERROR(
      ReadFlag(args, "--quarantine-after-failures", 10, &scheduler.quarantine_after_failures));
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
  FG_RETURN_IF_ERROR(
      ReadFlag(args, "--register-burst", admission.register_burst, &admission.register_burst));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--register-per-minute", admission.register_per_minute,
                              &admission.register_per_minute));
  FG_RETURN_IF_ERROR(
      ReadFlag(args, "--register-pow-bits", admission.pow_bits, &admission.pow_bits));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--register-pow-bits-loopback", admission.pow_bits_loopback,
                              &admission.pow_bits_loopback));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--votes-per-address", options.flock.votes_per_address,
                              &options.flock.votes_per_address));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--vote-full-weight-results",
                              options.flock.vote_full_weight_results,
                              &options.flock.vote_full_weight_results));

  options.flock.profile = profile;
  FG_RETURN_IF_ERROR(ReadFlag(args, "--flock-quota", 0, &options.flock.quota));
  FG_RETURN_IF_ERROR(
      ReadSecondsAsMs(args, "--breed-interval-seconds", 0, &options.flock.breed_interval_ms));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--breed-count", 1, &options.flock.breed_count));

  // The BitTorrent seed listens where --bt-listen says (empty: the
  // coordinator picks from --public-http and --http).
  options.bt_listen = args.Get("--bt-listen");
  FG_ASSIGN_OR_RETURN(const int seed_rate_kbps,
                      fg::ParseInt(args.Get("--seed-rate-kbps", "2048"), "--seed-rate-kbps"));
  options.publish.upload_rate_limit = seed_rate_kbps * 1024;
  FG_RETURN_IF_ERROR(
      ReadFlag(args, "--tracker-interval", 30, &options.publish.tracker_interval_seconds));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--tracker-peers-per-address",
                              fc::publish::Tracker::kDefaultPeersPerAddress,
                              &options.publish.tracker_peers_per_address));

  // The HTTP side's bounds (coordinator/web/http_server.h): safe defaults
  // for a public server; tests with many clients on 127.0.0.1 loosen them.
  fc::HttpServerOptions& http = options.http;
  FG_RETURN_IF_ERROR(
      ReadFlag(args, "--http-connections", http.max_connections, &http.max_connections));
  FG_RETURN_IF_ERROR(ReadFlag(args, "--http-connections-per-address",
                              http.max_connections_per_address, &http.max_connections_per_address));
  FG_RETURN_IF_ERROR(
      ReadFlag(args, "--http-timeout-seconds", http.timeout_seconds, &http.timeout_seconds));
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
          [--upload-idle-seconds N] [--max-upload-streams N] [--rpc-threads N]
          [--max-upload-streams-per-address N]
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
