// Grid load benchmark: many simulated workers (instant synthetic renders)
// against one in-process coordinator (Coordinator::Open with fake renders, as
// `flamegrid-coordinator serve --fake-render` runs) over gRPC on 127.0.0.1. Each round trip
// is a lease and the upload of its frame. Prints round trips per second,
// latency percentiles, and checks afterwards in the database that no job was
// lost or duplicated (every acknowledged upload is exactly one result row;
// every done job has exactly one accepted frame).
//
//   grid_load_bench [--workers 1000] [--clients 64] [--seconds 10] [--separate-lease]
//
// By default each upload asks for the worker's next lease in the same call
// (UploadHeader.lease_next), as flamegrid-worker does; --separate-lease makes
// every lease its own LeaseJob call.
//
// Goal (the grid issue): >= 2,000 round trips/s with 1,000 workers on 2 cores.
#include <grpcpp/grpcpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "coordinator/service/coordinator.h"
#include "flamegrid/v1/grid.grpc.pb.h"
#include "proto/shared/digest.h"
#include "proto/shared/frame_renderer.h"
#include "renderer/image/image_io.h"

namespace fg = flamegrid;
namespace fc = flamegrid::coordinator;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kFrames = 100000;  // one long sequence: it never finishes during the run
constexpr int kBuckets = 64;     // distinct pre-encoded frames (neighbours look alike)
constexpr int kWidth = 32, kHeight = 24;

int64_t QueryInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  int64_t value = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  int workers = 1000, clients = 64;
  double seconds = 10;
  bool separate_lease = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--separate-lease") {
      separate_lease = true;
    } else if (i + 1 < argc && a == "--workers") {
      workers = std::atoi(argv[++i]);
    } else if (i + 1 < argc && a == "--clients") {
      clients = std::atoi(argv[++i]);
    } else if (i + 1 < argc && a == "--seconds") {
      seconds = std::atof(argv[++i]);
    } else {
      std::fprintf(stderr, "unknown argument %s\n", a.c_str());
      return 2;
    }
  }
  clients = std::min(clients, workers);
  char pattern[] = "/tmp/flamegrid-load.XXXXXX";
  const std::string dir = mkdtemp(pattern);

  fc::CoordinatorOptions options;
  options.data_dir = dir;
  options.grpc_listen = {"127.0.0.1", 0};
  options.http_listen = {"127.0.0.1", 0};
  options.bt_listen = "127.0.0.1:0";
  options.fake_render = true;
  options.preview_check = false;
  options.flock_upkeep = false;  // the one long sequence is all the work there is
  options.scheduler.lease_ms = 60'000;
  // Every simulated worker registers from 127.0.0.1 at once.
  options.admission.register_burst = 1e9;
  options.uploads.max_streams_per_network = options.uploads.max_streams;  // 64 clients, one address
  // Stand-in frames: a loop of any length is one small genome to plan.
  options.scheduler.submit_limits.max_frames = kFrames;
  auto coordinator = fc::Coordinator::Open(options);
  if (!coordinator.ok()) {
    return std::fprintf(stderr, "%s\n", coordinator.status().ToString().c_str()), 1;
  }
  // Counted as the coordinator counts (GET /metrics), and scraped every second.
  fc::Metrics& metrics = (*coordinator)->metrics();
  fc::SubmitSpec spec;
  spec.genome_xml = "<flame name=\"load\" size=\"32 24\"></flame>";
  spec.frames = kFrames;
  spec.width = kWidth;
  spec.height = kHeight;
  auto sequence = (*coordinator)->scheduler().Submit(spec);
  if (!sequence.ok()) return std::fprintf(stderr, "%s\n", sequence.status().ToString().c_str()), 1;
  const int port = (*coordinator)->grpc_port();
  auto renderer = fg::MakeSyntheticFrameRenderer();

  std::vector<std::string> pngs(kBuckets);
  for (int b = 0; b < kBuckets; ++b) {
    fg::FrameJob job;
    job.frame = static_cast<int>(static_cast<int64_t>(b) * kFrames / kBuckets);
    job.frames_total = kFrames;
    job.width = kWidth;
    job.height = kHeight;
    pngs[b] = *fg::EncodeImage(*renderer->RenderFrame(job, {}), "png", {});
  }
  std::vector<std::string> shas;
  for (const auto& p : pngs) shas.push_back(fg::Sha256Hex(p));

  // A few channels shared by the clients, as many processes' connections would be.
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int c = 0; c < 4; ++c) {
    grpc::ChannelArguments args;
    args.SetInt("flamegrid.channel", c);  // distinct channels, distinct connections
    channels.push_back(grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                                 grpc::InsecureChannelCredentials(), args));
  }
  std::vector<fg::v1::WorkerCredentials> identities(workers);
  {
    auto stub = fg::v1::Grid::NewStub(channels[0]);
    for (int w = 0; w < workers; ++w) {
      fg::v1::RegisterRequest request;
      request.set_name("sim-" + std::to_string(w));
      fg::v1::RegisterResponse response;
      grpc::ClientContext context;
      if (!stub->Register(&context, request, &response).ok()) return 1;
      identities[w].set_worker_id(response.worker_id());
      identities[w].set_token(response.token());
    }
  }

  std::atomic<bool> stop{false};
  std::atomic<int64_t> round_trips{0}, errors{0}, acked_final{0}, acked_pending{0}, idle{0};
  std::mutex latency_mu;
  std::vector<double> latencies_ms;
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  std::thread scraper([&] {
    while (!stop) {
      (void)metrics.Scrape();
      for (int i = 0; i < 10 && !stop; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto stub = fg::v1::Grid::NewStub(channels[c % channels.size()]);
      std::vector<double> mine;
      // Leases handed out with an upload's answer, per simulated worker.
      std::map<int, fg::v1::FrameJob> held;
      for (int w = c; !stop; w += clients) {
        if (w >= workers) w = c;
        const auto t0 = Clock::now();
        fg::v1::LeaseResponse leased;
        if (auto it = held.find(w); it != held.end()) {
          *leased.mutable_job() = std::move(it->second);
          leased.set_job_available(true);
          held.erase(it);
        } else {
          fg::v1::LeaseRequest lease;
          *lease.mutable_credentials() = identities[w];
          grpc::ClientContext context;
          if (!stub->LeaseJob(&context, lease, &leased).ok()) {
            ++errors;
            continue;
          }
        }
        if (!leased.job_available()) {
          ++idle;
          continue;
        }
        const fg::v1::FrameJob& job = leased.job();
        const int bucket = static_cast<int>(static_cast<int64_t>(job.frame()) * kBuckets / kFrames);
        fg::v1::UploadResponse response;
        grpc::ClientContext context;
        auto writer = stub->UploadFrame(&context, &response);
        fg::v1::UploadChunk header;
        auto* h = header.mutable_header();
        *h->mutable_credentials() = identities[w];
        h->set_lease_id(job.lease_id());
        h->set_job_id(job.job_id());
        h->set_size_bytes(pngs[bucket].size());
        h->set_sha256_hex(shas[bucket]);
        h->set_lease_next(!separate_lease);
        writer->Write(header);
        fg::v1::UploadChunk data;
        data.set_data(pngs[bucket]);
        writer->Write(data);
        writer->WritesDone();
        grpc::Status s = writer->Finish();
        if (!s.ok()) {
          ++errors;
          continue;
        }
        (response.message().rfind("accepted", 0) == 0 ? acked_final : acked_pending)++;
        if (response.has_next() && response.next().job_available()) {
          held[w] = response.next().job();
        }
        ++round_trips;
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      }
      std::lock_guard lock(latency_mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000)));
  stop = true;
  for (auto& t : threads) t.join();
  scraper.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto percentile = [&](double p) {
    if (latencies_ms.empty()) return 0.0;
    return latencies_ms[std::min(latencies_ms.size() - 1,
                                 static_cast<size_t>(p * latencies_ms.size()))];
  };
  std::printf("workers %d, client threads %d, %.1f s, %s\n", workers, clients, elapsed,
              separate_lease ? "a LeaseJob call per frame" : "next lease in the upload's answer");
  std::printf("round trips (lease + upload): %lld = %.0f per second\n",
              static_cast<long long>(round_trips.load()), round_trips / elapsed);
  std::printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", percentile(0.5),
              percentile(0.9), percentile(0.99), latencies_ms.empty() ? 0 : latencies_ms.back());
  std::printf("acknowledged: %lld final, %lld waiting for a replica; errors %lld, idle %lld\n",
              static_cast<long long>(acked_final.load()),
              static_cast<long long>(acked_pending.load()), static_cast<long long>(errors.load()),
              static_cast<long long>(idle.load()));
  const bool counted = metrics.FramesAccepted() == static_cast<double>(acked_final + acked_pending);
  std::printf("metrics: %.0f leased, %.0f accepted -> %s\n", metrics.FramesLeased(),
              metrics.FramesAccepted(), counted ? "as acknowledged" : "MISCOUNTED");

  // Nothing lost, nothing twice: the database agrees with what was acknowledged.
  const std::string database = (*coordinator)->database_path();
  coordinator->reset();  // stopped and closed
  sqlite3* db = nullptr;
  sqlite3_open(database.c_str(), &db);
  const int64_t results = QueryInt(db, "SELECT COUNT(*) FROM results");
  const int64_t done = QueryInt(db, "SELECT COUNT(*) FROM jobs WHERE state='done'");
  const int64_t frames_done = QueryInt(db, "SELECT frames_done FROM sequences");
  const int64_t doubled = QueryInt(
      db,
      "SELECT COUNT(*) FROM (SELECT job_id FROM results WHERE state='valid' GROUP BY job_id "
      "HAVING COUNT(*) > 2)");
  const int64_t same_worker_twice = QueryInt(
      db,
      "SELECT COUNT(*) FROM (SELECT job_id, worker_id FROM results GROUP BY job_id, worker_id "
      "HAVING COUNT(*) > 1)");
  const int64_t replica_jobs =
      QueryInt(db, "SELECT COUNT(*) FROM jobs WHERE state LIKE 'replica%'");
  sqlite3_close(db);
  const bool consistent = results == acked_final + acked_pending && done == frames_done &&
                          doubled == 0 && same_worker_twice == 0 && counted;
  std::printf(
      "database: %lld results for %lld acknowledged uploads; %lld jobs done (sequence "
      "counts %lld); %lld awaiting replicas; %lld over-replicated; %lld rendered twice "
      "by one worker -> %s\n",
      static_cast<long long>(results), static_cast<long long>(acked_final + acked_pending),
      static_cast<long long>(done), static_cast<long long>(frames_done),
      static_cast<long long>(replica_jobs), static_cast<long long>(doubled),
      static_cast<long long>(same_worker_twice), consistent ? "consistent" : "INCONSISTENT");
  std::filesystem::remove_all(dir);
  return consistent ? 0 : 1;
}
