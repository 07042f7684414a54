#include "worker/client/worker_client.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>
#include <thread>
#include <utility>

#include "proto/shared/digest.h"
#include "proto/shared/grpc_status.h"
#include "proto/shared/job_wire.h"
#include "proto/shared/log.h"
#include "proto/shared/proof_of_work.h"
#include "renderer/image/image_io.h"
#include "worker/client/vote_sender.h"

namespace flamegrid::worker {
namespace {

using Clock = std::chrono::steady_clock;

int64_t UnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// An answer worth asking again: the coordinator is away, slow or had a
// passing fault (gRPC's INTERNAL and UNKNOWN both read as kInternal).
bool Transient(const grpc::Status& answer) {
  const StatusCode code = FromGrpc(answer).code();
  return code == StatusCode::kUnavailable || code == StatusCode::kDeadlineExceeded ||
         code == StatusCode::kInternal;
}

void SetDeadline(grpc::ClientContext* context, int seconds) {
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
}

// Backoff for an absent coordinator: 0.5 s, doubling, at most 30 s, with jitter.
class Backoff {
 public:
  int64_t Next() {
    const int64_t base = delay_ms_;
    delay_ms_ = std::min<int64_t>(30'000, delay_ms_ * 2);
    std::uniform_int_distribution<int64_t> jitter(0, base / 4);
    return base + jitter(rng_);
  }
  void Reset() { delay_ms_ = 500; }

 private:
  int64_t delay_ms_ = 500;
  std::mt19937_64 rng_{std::random_device{}()};
};

// A rate for people: "5.2 M", "830.0 k", "1.25 G".
std::string PerSecond(double count, double seconds) {
  const double rate = seconds > 0 ? count / seconds : 0.0;
  char text[32];
  if (rate >= 1e9) {
    std::snprintf(text, sizeof text, "%.2f G", rate / 1e9);
  } else if (rate >= 1e6) {
    std::snprintf(text, sizeof text, "%.1f M", rate / 1e6);
  } else if (rate >= 1e3) {
    std::snprintf(text, sizeof text, "%.1f k", rate / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%.0f", rate);
  }
  return text;
}

}  // namespace

WorkerClient::WorkerClient(std::shared_ptr<grpc::Channel> channel, FrameRenderer& renderer,
                           WorkerOptions options)
    : stub_(v1::Grid::NewStub(channel)),
      renderer_(renderer),
      options_(std::move(options)),
      budget_(options_.render_limits) {}

void WorkerClient::Sleep(int64_t ms, const std::atomic<bool>& stop) {
  const auto until = Clock::now() + std::chrono::milliseconds(ms);
  while (!stop && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

v1::WorkerCredentials WorkerClient::Credentials() const {
  v1::WorkerCredentials c;
  c.set_worker_id(identity_.worker_id);
  c.set_token(identity_.token);
  return c;
}

Status WorkerClient::EnsureRegistered(const std::atomic<bool>& stop, bool reuse_saved) {
  FG_ASSIGN_OR_RETURN(std::optional<WorkerIdentity> saved, LoadIdentity(options_.data_dir));
  if (reuse_saved && saved && saved->coordinator == options_.coordinator) {
    identity_ = *saved;
    GridLog("worker %lld (\"%s\"): identity from %s/identity",
            static_cast<long long>(identity_.worker_id), options_.name.c_str(),
            options_.data_dir.c_str());
    return Status::Ok();
  }
  Backoff backoff;
  v1::RegisterChallengeResponse puzzle;  // solved when the coordinator asks for proof
  std::string nonce;
  int puzzles = 0;
  while (!stop) {
    v1::RegisterRequest request;
    request.set_name(options_.name);
    request.set_threads(options_.threads);
    request.set_version("flamegrid-worker 0.1");
    request.set_pow_challenge(puzzle.challenge());
    request.set_pow_nonce(nonce);
    v1::RegisterResponse response;
    grpc::ClientContext context;
    SetDeadline(&context, 10);
    const InFlightCalls::Scope tracked = Track(&context);  // SIGTERM cancels it
    grpc::Status s = stub_->Register(&context, request, &response);
    if (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
      // "proof of work required" (or a stale puzzle): solve a fresh one, a
      // few times at most (a coordinator that refuses every solution is not
      // asked forever).
      if (++puzzles > 3) {
        return Status::PermissionDenied("registration refused: " + s.error_message());
      }
      FG_RETURN_IF_ERROR(SolveRegisterChallenge(stop, &puzzle, &nonce)
                             .WithContext("registration refused: " + s.error_message()));
      continue;
    }
    if (s.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      // Too many registrations from our address: wait as the coordinator says.
      const int64_t wait = std::max<int64_t>(backoff.Next(), 5'000);
      GridLog("registration deferred (%s); retrying in %.1f s",
              Printable(s.error_message()).c_str(), wait / 1000.0);
      Sleep(wait, stop);
      continue;
    }
    if (s.ok()) {
      identity_ = WorkerIdentity{response.worker_id(), response.token(), options_.coordinator};
      FG_RETURN_IF_ERROR(SaveIdentity(options_.data_dir, identity_));
      GridLog("registered with %s as worker %lld (\"%s\")", options_.coordinator.c_str(),
              static_cast<long long>(identity_.worker_id), options_.name.c_str());
      return Status::Ok();
    }
    if (!Transient(s))
      return Status::PermissionDenied("registration refused: " + s.error_message());
    const int64_t wait = backoff.Next();
    GridLog("coordinator %s unreachable (%s); retrying in %.1f s", options_.coordinator.c_str(),
            Printable(s.error_message()).c_str(), wait / 1000.0);
    Sleep(wait, stop);
  }
  return Status::Cancelled("stopped");
}

Status WorkerClient::SolveRegisterChallenge(const std::atomic<bool>& stop,
                                            v1::RegisterChallengeResponse* puzzle,
                                            std::string* nonce) {
  v1::RegisterChallengeRequest request;
  grpc::ClientContext context;
  SetDeadline(&context, 10);
  const InFlightCalls::Scope tracked = Track(&context);
  grpc::Status s = stub_->RegisterChallenge(&context, request, puzzle);
  if (!s.ok()) return FromGrpc(s);
  if (puzzle->challenge().empty() || puzzle->difficulty_bits() > kMaxProofOfWorkBits) {
    return Status::FailedPrecondition("the coordinator asks for a proof of work of " +
                                      std::to_string(puzzle->difficulty_bits()) +
                                      " bits and gave no puzzle this worker can solve");
  }
  GridLog("solving the coordinator's registration puzzle (%d bits)", puzzle->difficulty_bits());
  const auto started = Clock::now();
  std::optional<std::string> solved =
      SolveChallenge(puzzle->challenge(), puzzle->difficulty_bits(), &stop);
  if (!solved) return Status::Cancelled("stopped");
  *nonce = std::move(*solved);
  GridLog("puzzle solved in %.1f s", std::chrono::duration<double>(Clock::now() - started).count());
  return Status::Ok();
}

Status WorkerClient::Run(const std::atomic<bool>& stop) {
  // Every call below but the last give-back is cancelled the moment `stop` rises.
  InFlightCalls calls(stop);
  calls_ = &calls;
  stop_ = &stop;
  struct Unset {
    WorkerClient* client;
    ~Unset() {
      client->calls_ = nullptr;
      client->stop_ = nullptr;
    }
  } unset{this};
  FG_RETURN_IF_ERROR(EnsureRegistered(stop, true));
  Backoff backoff;
  bool idle_logged = false;
  bool pause_logged = false;
  // One LeaseJob call: a job, or none when the loop should go round again
  // (after waiting, backing off or registering anew); an error ends the worker.
  auto lease = [&]() -> Result<std::optional<FrameJob>> {
    v1::LeaseRequest request;
    *request.mutable_credentials() = Credentials();
    v1::LeaseResponse response;
    grpc::ClientContext context;
    SetDeadline(&context, 15);
    const InFlightCalls::Scope tracked = Track(&context);
    grpc::Status s = stub_->LeaseJob(&context, request, &response);
    if (const Status answer = FromGrpc(s); !answer.ok()) {
      if (answer.code() == StatusCode::kPermissionDenied) {
        if (s.error_message().find("unknown worker") != std::string::npos) {
          // The coordinator lost track of us (new data folder): register anew.
          GridLog("coordinator does not know worker %lld; registering again",
                  static_cast<long long>(identity_.worker_id));
          FG_RETURN_IF_ERROR(EnsureRegistered(stop, false));
          return std::optional<FrameJob>();
        }
        GridLog("coordinator refuses this worker: %s", s.error_message().c_str());
        return Status::PermissionDenied(s.error_message());
      }
      const int64_t wait = backoff.Next();
      GridLog("cannot lease a job (%s: %s); retrying in %.1f s",
              answer.code() == StatusCode::kUnavailable ? "coordinator away" : "error",
              s.error_message().c_str(), wait / 1000.0);
      Sleep(wait, stop);
      return std::optional<FrameJob>();
    }
    backoff.Reset();
    if (!response.job_available()) {
      if (!stop) SendVotes();
      if (!idle_logged) GridLog("no job available; waiting");
      idle_logged = true;
      Sleep(std::max(100, response.retry_after_ms()), stop);
      return std::optional<FrameJob>();
    }
    idle_logged = false;
    return Receive(response.job());
  };
  // The next job: leased on its own, or handed out with the last upload's answer.
  std::optional<FrameJob> next;
  while (!stop) {
    if (options_.max_jobs > 0 && jobs_done_ >= options_.max_jobs) break;
    if (Paused()) {
      if (!pause_logged) GridLog("paused: the machine's owner needs it");
      pause_logged = true;
      if (next) GiveBack(*std::exchange(next, std::nullopt), "the machine's owner is back", false);
      Sleep(250, stop);
      continue;
    }
    if (pause_logged) GridLog("resuming: the machine is free again");
    pause_logged = false;
    if (!next) {
      FG_ASSIGN_OR_RETURN(next, lease());
      if (!next) continue;
    }
    const FrameJob job = *std::exchange(next, std::nullopt);
    FG_RETURN_IF_ERROR(Work(job, stop, &next));
    if (!stop) SendVotes();
  }
  if (next) GiveBack(*next, "worker shutting down", false);
  GridLog("worker stopping after %d frame(s)", jobs_done_);
  return Status::Ok();
}

std::optional<FrameJob> WorkerClient::Receive(const v1::FrameJob& wire) {
  Result<FrameJob> job = JobFromWire(wire);
  if (job.ok()) return std::move(*job);
  // Given back as a failed render, so a sequence that cannot be rendered
  // fails after max_failures instead of being leased for ever.
  FrameJob refused;
  refused.lease_id = wire.lease_id();
  refused.sequence_id = wire.sequence_id();
  refused.frame = wire.frame();
  GiveBack(refused, job.status().ToString(), true);
  return std::nullopt;
}

Result<std::string> WorkerClient::RenderJob(const FrameJob& job, const std::atomic<bool>& stop,
                                            bool* lease_lost, uint64_t* iterations) {
  FrameJob render_job = job;
  if (options_.cheat == "wrong-frame")
    render_job.frame = (job.frame + job.frames_total / 2) % job.frames_total;

  std::atomic<bool> cancel{false};
  std::atomic<double> progress{0.0};
  std::atomic<uint64_t> samples_total{0};
  std::atomic<bool> finished{false};
  Result<Image> image = Status::Internal("render did not run");
  FrameRenderOptions render_options;
  render_options.threads = options_.threads;
  render_options.max_memory_bytes = options_.max_memory_bytes;
  render_options.cancel = &cancel;
  render_options.progress = &progress;
  render_options.samples_total = &samples_total;
  render_options.iterations = iterations;
  std::thread render([&] {
    image = renderer_.RenderFrame(render_job, render_options);
    finished = true;
  });
  // The loop polls the render's state and keeps the lease alive meanwhile.
  const auto start = Clock::now();
  auto next_heartbeat = start + std::chrono::milliseconds(job.heartbeat_interval_ms);
  RenderBudget::Check over_budget;
  while (!finished) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (stop || Paused()) cancel = true;
    if (!cancel) {
      const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      over_budget = budget_.Judge(samples_total.load(), elapsed, progress.load());
      if (over_budget.verdict != RenderBudget::Verdict::kContinue) cancel = true;
    }
    if (!cancel && Clock::now() >= next_heartbeat) {
      v1::HeartbeatRequest request;
      *request.mutable_credentials() = Credentials();
      request.set_lease_id(job.lease_id);
      request.set_progress(progress.load());
      v1::HeartbeatResponse response;
      grpc::ClientContext context;
      SetDeadline(&context, 5);
      const InFlightCalls::Scope tracked = Track(&context);
      grpc::Status s = stub_->Heartbeat(&context, request, &response);
      if (const StatusCode code = FromGrpc(s).code();
          code == StatusCode::kFailedPrecondition || code == StatusCode::kPermissionDenied) {
        GridLog("lease on frame %d lost (%s); abandoning it", job.frame, s.error_message().c_str());
        *lease_lost = true;
        cancel = true;
      }
      next_heartbeat = Clock::now() + std::chrono::milliseconds(job.heartbeat_interval_ms);
    }
  }
  render.join();
  if (over_budget.verdict == RenderBudget::Verdict::kTooSlow) {
    return Status::DeadlineExceeded(over_budget.why);
  }
  if (over_budget.verdict == RenderBudget::Verdict::kTooBig) {
    return Status::ResourceExhausted(over_budget.why);
  }
  if (!image.ok()) return image.status();
  if (options_.cheat == "noise") {
    std::mt19937 rng(static_cast<uint32_t>(job.frame * 7919 + 1));
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    for (size_t i = 0; i < image->rgba.size(); ++i) {
      image->rgba[i] = (i % 4 == 3) ? 1.0f : uniform(rng);
    }
  }
  ImageWriteOptions write;
  write.software = "flamegrid-worker";
  return EncodeImage(*image, "png", write);
}

Status WorkerClient::Work(const FrameJob& job, const std::atomic<bool>& stop,
                          std::optional<FrameJob>* next) {
  GridLog("rendering frame %d (of %d) of sequence %lld at %dx%d (lease %lld)", job.frame,
          job.frames_total, static_cast<long long>(job.sequence_id), job.width, job.height,
          static_cast<long long>(job.lease_id));
  const auto start = Clock::now();
  bool lease_lost = false;
  uint64_t iterations = 0;
  Result<std::string> png = RenderJob(job, stop, &lease_lost, &iterations);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (lease_lost) return Status::Ok();
  if (stop) {
    GiveBack(job, "worker shutting down", false);
    return Status::Ok();
  }
  if (Paused() && !png.ok()) {
    GridLog("frame %d stopped: the machine's owner is back; giving its lease back", job.frame);
    GiveBack(job, "the machine's owner is back", false);
    return Status::Ok();
  }
  if (!png.ok()) {
    // Too slow for its budget is this machine's doing, not the job's.
    const bool job_at_fault = png.status().code() != StatusCode::kDeadlineExceeded;
    GridLog("render of frame %d %s: %s", job.frame, job_at_fault ? "failed" : "stopped",
            png.status().ToString().c_str());
    GiveBack(job, png.status().ToString(), job_at_fault);
    return Status::Ok();
  }
  budget_.Measured(iterations, seconds);
  std::string answer;
  Status uploaded = Upload(job, *png, seconds, stop, next, &answer);
  if (uploaded.ok()) ++jobs_done_;
  if (!uploaded.ok() && stop) GiveBack(job, "worker shutting down", false);
  // The frame's one line: how long it took, how fast it iterated, what became of it.
  GridLog("frame %d of seq %lld: %.2f s, %s iter/s, %s (%zu bytes): %s", job.frame,
          static_cast<long long>(job.sequence_id), seconds,
          PerSecond(static_cast<double>(iterations), seconds).c_str(),
          uploaded.ok() ? "uploaded" : "refused", png->size(),
          uploaded.ok() ? answer.c_str() : uploaded.message().c_str());
  return Status::Ok();
}

Status WorkerClient::Upload(const FrameJob& job, const std::string& png, double seconds,
                            const std::atomic<bool>& stop, std::optional<FrameJob>* next,
                            std::string* answer) {
  if (job.max_upload_bytes > 0 && png.size() > job.max_upload_bytes) {
    GiveBack(job, "frame of " + std::to_string(png.size()) + " bytes is over the upload bound",
             true);
    return Status::ResourceExhausted("frame over the upload bound");
  }
  const std::string sha = Sha256Hex(png);
  Backoff backoff;
  for (;;) {
    v1::UploadResponse response;
    grpc::ClientContext context;
    SetDeadline(&context, 60);
    const InFlightCalls::Scope tracked = Track(&context);
    auto writer = stub_->UploadFrame(&context, &response);
    v1::UploadChunk header;
    v1::UploadHeader* h = header.mutable_header();
    *h->mutable_credentials() = Credentials();
    h->set_lease_id(job.lease_id);
    h->set_job_id(job.job_id);
    h->set_size_bytes(png.size());
    h->set_sha256_hex(sha);
    h->set_format("png");
    h->set_render_seconds(seconds);
    // Ask for the next job in the same call unless this one is our last.
    const bool last =
        stop || Paused() || (options_.max_jobs > 0 && jobs_done_ + 1 >= options_.max_jobs);
    h->set_lease_next(!last);
    bool sent = writer->Write(header);
    constexpr size_t kChunk = 64 * 1024;
    for (size_t at = 0; sent && at < png.size(); at += kChunk) {
      v1::UploadChunk chunk;
      chunk.set_data(png.substr(at, kChunk));
      sent = writer->Write(chunk);
    }
    writer->WritesDone();
    grpc::Status s = writer->Finish();
    if (s.ok()) {
      *answer = response.message();
      if (response.has_next() && response.next().job_available())
        *next = Receive(response.next().job());
      return Status::Ok();
    }
    // Keep a finished frame while its lease may still hold: the coordinator
    // may only be restarting.
    if (!stop && Transient(s) && UnixMs() < job.deadline_unix_ms + 60'000) {
      const int64_t wait = backoff.Next();
      GridLog("upload of frame %d failed (%s); retrying in %.1f s", job.frame,
              s.error_message().c_str(), wait / 1000.0);
      Sleep(wait, stop);
      continue;
    }
    return Status(StatusCode::kFailedPrecondition, s.error_message());
  }
}

void WorkerClient::GiveBack(const FrameJob& job, const std::string& reason, bool render_failed) {
  v1::GiveBackRequest request;
  *request.mutable_credentials() = Credentials();
  request.set_lease_id(job.lease_id);
  request.set_reason(reason);
  request.set_render_failed(render_failed);
  v1::GiveBackResponse response;
  grpc::ClientContext context;
  // Not cancelled on stop (a lease given back is worth a try), but short
  // then: a coordinator that stopped answering must not hold the exit.
  SetDeadline(&context, Stopping() ? 2 : 5);
  grpc::Status s = stub_->GiveBack(&context, request, &response);
  GridLog("gave back frame %d of sequence %lld (%s)%s", job.frame,
          static_cast<long long>(job.sequence_id), reason.c_str(),
          s.ok() ? "" : (": " + s.error_message()).c_str());
}

void WorkerClient::SendVotes() {
  // The participant's votes from the viewer (DIR/votes/), delivered between jobs.
  Result<VoteSendReport> report =
      SendPendingVotes(*stub_, Credentials(), options_.data_dir, calls_);
  if (!report.ok()) {
    GridLog("cannot send votes: %s", report.status().ToString().c_str());
  } else if (report->sent > 0) {
    GridLog("sent %d vote(s)", report->sent);
  }
}

}  // namespace flamegrid::worker
