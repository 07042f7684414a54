// flamegrid-worker: a volunteer's renderer for the grid.
//
//   flamegrid-worker --coordinator HOST:PORT --data DIR [--threads N] [--name NAME]
//                    [--max-memory-mb N] [--tls-ca F] [--no-idle]
//                    [--fake-render [--fake-render-ms N]] [--max-jobs N]
//                    [--no-render] [--cache-max-mb N] [--upload-kbps N]
//                    [--coordinator-http HOST:PORT] [--no-transfer]
//                    [--bt-listen HOST:PORT] [--no-port-mapping] [--peer-exchange]
//                    [--render-minutes N]
//     Beside rendering, the worker fetches the flock's sequences over
//     BitTorrent into DIR/cache (quota --cache-max-mb) and seeds them
//     (worker/transfer); --no-render only receives and shares. The
//     coordinator says where its HTTP side is (--coordinator-http overrides).
//     The peer session listens on every interface (--bt-listen chooses one)
//     over TCP and uTP, and asks the home router to forward its port with
//     UPnP / NAT-PMP unless --no-port-mapping. Peers come from the
//     coordinator's tracker only; --peer-exchange also lets peers name other
//     peers (libtorrent's ut_pex: a hostile peer can feed it any address).
//     One render may run at most --render-minutes (60), and less when the
//     job's samples at this worker's measured speed predict less
//     (worker/client/render_budget.h).
//   flamegrid-worker vote --data DIR ID up|down [--coordinator HOST:PORT]
//     records the participant's vote in DIR/votes/ and sends the pending votes
//     with the worker's identity (DIR/identity); what cannot be sent now is
//     sent by the running worker later.
//
// Runs at idle priority; SIGTERM or SIGINT gives the current lease back and exits 0.
#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "proto/shared/env.h"
#include "proto/shared/frame_renderer.h"
#include "proto/shared/log.h"
#include "proto/shared/named_options.h"
#include "renderer/base/parse_number.h"
#include "worker/cache/votes.h"
#include "worker/client/identity.h"
#include "worker/client/vote_sender.h"
#include "worker/client/worker_client.h"
#include "worker/idle/idle.h"
#include "worker/idle/idle_policy.h"
#include "worker/transfer/transfer_loop.h"

namespace fg = flamegrid;

namespace {

std::atomic<bool> g_stop{false};
void OnSignal(int) { g_stop = true; }

int Fail(const std::string& message) {
  std::fprintf(stderr, "flamegrid-worker: %s\n", message.c_str());
  return 1;
}

// A command-line value the worker cannot use: a usage error, exit 2.
int UsageError(const fg::Status& status) {
  std::fprintf(stderr, "flamegrid-worker: %s (see --help)\n", status.message().c_str());
  return 2;
}

// A size in MiB (`what`) as bytes, refusing sizes that do not fit.
fg::Result<uint64_t> ParseMebibytes(const std::string& text, const std::string& what) {
  FG_ASSIGN_OR_RETURN(uint64_t mb, fg::ParseUint64(text, what));
  if (mb > (UINT64_MAX >> 20)) return fg::Status::InvalidArgument(what + " is too large");
  return mb << 20;
}

int VoteCommand(int argc, char** argv) {
  std::string data, coordinator;
  std::vector<std::string> positional;
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if ((a == "--data" || a == "--coordinator") && i + 1 < argc) {
      (a == "--data" ? data : coordinator) = argv[++i];
    } else if (a.rfind("--", 0) == 0) {
      return Fail("vote: unexpected option " + a);
    } else {
      positional.push_back(a);
    }
  }
  if (data.empty() || positional.size() != 2) {
    std::fprintf(stderr, "usage: flamegrid-worker vote --data DIR ID up|down\n");
    return 2;
  }
  auto vote = fg::worker::cache::ParseVote(positional[1]);
  if (!vote.ok()) return Fail(vote.status().ToString());
  auto file = fg::worker::cache::RecordVote(data, positional[0], *vote);
  if (!file.ok()) return Fail(file.status().ToString());
  auto identity = fg::worker::LoadIdentity(data);
  if (!identity.ok() || !*identity) {
    std::printf("vote recorded; it will be sent once this worker has registered\n");
    return 0;
  }
  if (coordinator.empty()) coordinator = (*identity)->coordinator;
  fg::v1::WorkerCredentials credentials;
  credentials.set_worker_id((*identity)->worker_id);
  credentials.set_token((*identity)->token);
  auto stub =
      fg::v1::Grid::NewStub(grpc::CreateChannel(coordinator, grpc::InsecureChannelCredentials()));
  auto report = fg::worker::SendPendingVotes(*stub, credentials, data);
  if (!report.ok()) return Fail(report.status().ToString());
  if (report->pending > 0) {
    std::printf("vote recorded; the coordinator is away, it will be sent later\n");
  } else if (report->dropped > 0 && report->sent == 0) {
    return Fail("the coordinator refused the vote");
  } else {
    std::printf("vote sent\n");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "vote") return VoteCommand(argc, argv);
  // fg::NamedOptions parses; the code below reads the values by name.
  const fg::OptionSpec known[] = {
      {"--coordinator", true},      {"--data", true},
      {"--threads", true},          {"--name", true},
      {"--max-memory-mb", true},    {"--max-jobs", true},
      {"--tls-ca", true},           {"--render-when", true},
      {"--idle-minutes", true},     {"--render-on-battery", false},
      {"--no-idle", false},         {"--fake-render", false},
      {"--fake-render-ms", true},   {"--no-render", false},
      {"--no-transfer", false},     {"--cache-max-mb", true},
      {"--upload-kbps", true},      {"--coordinator-http", true},
      {"--test-cheat", true},       {"--bt-listen", true},
      {"--no-port-mapping", false}, {"--peer-exchange", false},
      {"--render-minutes", true},
  };
  std::map<std::string, std::string> options;
  {
    CLI::App app("flamegrid-worker", "flamegrid-worker");
    app.set_help_flag();  // the usage below is the help
    fg::NamedOptions named(app, known);
    CLI::Option* help = app.add_flag("--help,-h");
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      std::fprintf(stderr, "flamegrid-worker: %s (see --help)\n", e.what());
      return 2;
    }
    options = named.Given();
    if (help->count() > 0) options["--help"] = "1";
  }
  auto get = [&](const std::string& key, const std::string& fallback = "") {
    auto it = options.find(key);
    return it == options.end() ? fallback : it->second;
  };
  if (options.count("--help") || get("--coordinator").empty() || get("--data").empty()) {
    std::fprintf(options.count("--help") ? stdout : stderr,
                 "usage: flamegrid-worker --coordinator HOST:PORT --data DIR [--threads N] "
                 "[--name NAME] [--max-memory-mb N] [--tls-ca F]\n"
                 "         [--render-when always|idle|screensaver] [--idle-minutes N] "
                 "[--render-on-battery]\n"
                 "         [--no-render] [--cache-max-mb N] [--upload-kbps N] "
                 "[--coordinator-http HOST:PORT] [--no-transfer]\n"
                 "         [--bt-listen HOST:PORT] [--no-port-mapping] [--peer-exchange] "
                 "[--render-minutes N]\n"
                 "       flamegrid-worker vote --data DIR ID up|down\n"
                 "--render-when defaults to $FLAMEGRID_RENDER_WHEN, else always; the worker "
                 "pauses on battery unless --render-on-battery.\n");
    return options.count("--help") ? 0 : 2;
  }
  fg::worker::WorkerOptions worker;
  worker.coordinator = get("--coordinator");
  worker.data_dir = get("--data");
  char host[256] = "worker";
  gethostname(host, sizeof host - 1);
  worker.name = get("--name", host);
  {
    auto threads = fg::ParseInt(
        get("--threads", std::to_string(std::thread::hardware_concurrency())), "--threads");
    if (!threads.ok()) return UsageError(threads.status());
    worker.threads = *threads;
    auto memory = ParseMebibytes(get("--max-memory-mb", "2048"), "--max-memory-mb");
    if (!memory.ok()) return UsageError(memory.status());
    worker.max_memory_bytes = *memory;
    auto max_jobs = fg::ParseInt(get("--max-jobs", "0"), "--max-jobs");
    if (!max_jobs.ok()) return UsageError(max_jobs.status());
    worker.max_jobs = *max_jobs;
    auto render_minutes = fg::ParseDouble(get("--render-minutes", "60"), "--render-minutes");
    if (!render_minutes.ok()) return UsageError(render_minutes.status());
    if (!(*render_minutes > 0 && *render_minutes <= 7 * 24 * 60)) {
      return UsageError(fg::Status::InvalidArgument("--render-minutes must be in (0, 10080]"));
    }
    worker.render_limits.max_seconds = *render_minutes * 60;
    // A short cap (tests) shortens the floor with it.
    worker.render_limits.floor_seconds =
        std::min(worker.render_limits.floor_seconds, worker.render_limits.max_seconds / 4);
  }
  worker.cheat = get("--test-cheat");

  // When the machine's owner lets us render: a gate thread watches idle time,
  // the screensaver and the battery, and raises the worker's pause flag.
  const char* when_env = std::getenv("FLAMEGRID_RENDER_WHEN");
  auto when = fg::worker::idle::ParseRenderWhen(get("--render-when", when_env ? when_env : "always"));
  if (!when.ok()) return UsageError(when.status());
  fg::worker::idle::IdlePolicyOptions policy;
  policy.when = *when;
  policy.pause_on_battery = !options.count("--render-on-battery");
  {
    auto minutes = fg::ParseDouble(get("--idle-minutes", "5"), "--idle-minutes");
    if (!minutes.ok()) return UsageError(minutes.status());
    if (!(*minutes >= 0 && *minutes <= 24 * 60)) {
      return UsageError(fg::Status::InvalidArgument("--idle-minutes must be 0..1440"));
    }
    policy.idle_after = std::chrono::milliseconds(static_cast<int64_t>(*minutes * 60000));
  }
  fg::worker::idle::RenderGate gate(policy, fg::worker::idle::MakeX11IdleSource(),
                            std::make_unique<fg::worker::idle::SysfsPowerSource>());
  worker.pause = gate.pause_flag();

  if (!options.count("--no-idle")) {
    if (auto s = fg::worker::EnterIdlePriority(); !s.ok()) {
      fg::GridLog("warning: %s", s.ToString().c_str());
    }
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (options.count("--tls-ca")) {
    // A CA bundle is a few hundred kilobytes at most.
    auto pem = fg::Env::Default()->ReadFile(get("--tls-ca"), 4 << 20);
    if (!pem.ok()) return Fail("cannot read --tls-ca: " + pem.status().ToString());
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = std::move(*pem);
    credentials = grpc::SslCredentials(ssl);
  }
  grpc::ChannelArguments channel_args;
  channel_args.SetInt(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, 64 << 20);
  // The worker keeps its own backoff; gRPC's should not add minutes to it.
  channel_args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 250);
  channel_args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 250);
  channel_args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  auto channel = grpc::CreateCustomChannel(worker.coordinator, credentials, channel_args);
  // The transfer loop's listings have a tighter bound than jobs (which carry
  // control points): a channel of its own.
  grpc::ChannelArguments transfer_args;
  transfer_args.SetInt(GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH,
                       fg::worker::transfer::kMaxFlockListBytes);
  transfer_args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 250);
  transfer_args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 250);
  transfer_args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  auto transfer_channel = grpc::CreateCustomChannel(worker.coordinator, credentials, transfer_args);

  std::unique_ptr<fg::FrameRenderer> renderer;
  if (options.count("--fake-render")) {
    auto render_ms = fg::ParseInt(get("--fake-render-ms", "0"), "--fake-render-ms");
    if (!render_ms.ok()) return UsageError(render_ms.status());
    renderer = fg::MakeSyntheticFrameRenderer(*render_ms);
  } else {
    renderer = fg::MakeLibraryFrameRenderer();
  }
  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);

  fg::GridLog(
      "worker \"%s\" starting: coordinator %s, data %s, %d thread(s), idle priority, "
      "rendering %s%s",
      worker.name.c_str(), worker.coordinator.c_str(), worker.data_dir.c_str(), worker.threads,
      fg::worker::idle::RenderWhenName(policy.when),
      options.count("--fake-render") ? ", fake renders" : "");
  // The peer session: fetch and seed the flock's sequences (worker/transfer).
  fg::worker::transfer::TransferLoopOptions transfer;
  transfer.session.data_dir = worker.data_dir;
  transfer.coordinator = worker.coordinator;
  transfer.coordinator_http = get("--coordinator-http");  // else where the coordinator says
  if (options.count("--bt-listen")) transfer.session.listen_interfaces = get("--bt-listen");
  transfer.session.port_mapping = !options.count("--no-port-mapping");
  transfer.session.peer_exchange = options.count("--peer-exchange") != 0;
  {
    auto cache_max = ParseMebibytes(get("--cache-max-mb", "0"), "--cache-max-mb");
    if (!cache_max.ok()) return UsageError(cache_max.status());
    transfer.session.cache_max_bytes = *cache_max;
    auto upload_kbps = fg::ParseInt(get("--upload-kbps", "0"), "--upload-kbps");
    if (!upload_kbps.ok()) return UsageError(upload_kbps.status());
    if (*upload_kbps < 0 || *upload_kbps > INT_MAX / 1024) {
      return UsageError(fg::Status::InvalidArgument("--upload-kbps must be 0.." +
                                                    std::to_string(INT_MAX / 1024)));
    }
    transfer.session.upload_rate_limit = *upload_kbps * 1024;
  }
  if (options.count("--no-render")) {
    fg::GridLog("not rendering (--no-render): receiving and sharing sequences only");
    fg::worker::transfer::TransferLoop loop(transfer_channel, transfer);
    if (fg::Status t = loop.Run(g_stop); !t.ok()) {
      fg::GridLog("worker exits: %s", t.ToString().c_str());
      return 3;
    }
    return 0;
  }
  std::atomic<bool> transfer_stop{false};
  std::thread transfer_thread;
  if (!options.count("--no-transfer")) {
    transfer_thread = std::thread([&] {
      fg::worker::transfer::TransferLoop loop(transfer_channel, transfer);
      if (fg::Status t = loop.Run(transfer_stop); !t.ok()) {
        fg::GridLog("peer session stopped: %s", t.ToString().c_str());
      }
    });
  }
  fg::worker::WorkerClient client(channel, *renderer, worker);
  fg::Status s = client.Run(g_stop);
  transfer_stop = true;
  if (transfer_thread.joinable()) transfer_thread.join();
  if (!s.ok() && s.code() != fg::StatusCode::kCancelled) {
    fg::GridLog("worker exits: %s", s.ToString().c_str());
    return 3;
  }
  return 0;
}
