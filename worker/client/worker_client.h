// WorkerClient: the volunteer's loop. Registers once (identity kept in the
// data folder), then leases a frame job, renders it with a FrameRenderer
// while heartbeating the lease, uploads the PNG (streamed, with its SHA-256
// and size), and repeats. When the coordinator is away it backs off
// (0.5 s doubling to 30 s) and resumes; a finished frame is kept and its
// upload retried while its lease can still be valid. On stop (SIGTERM) it
// cancels the render and gives the lease back, and every call under way is
// cancelled at once. A render that outruns its budget (render_budget.h) is
// stopped and its lease given back. Logs say what it is doing.
//
// Owned by flamegrid-worker's main thread: Run() blocks until `stop` is set.
// The render runs on a helper thread that reports back through a state the
// loop polls; nothing calls back into the owner.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "flamegrid/v1/grid.grpc.pb.h"
#include "proto/shared/frame_job.h"
#include "proto/shared/frame_renderer.h"
#include "renderer/base/status.h"
#include "worker/client/identity.h"
#include "worker/client/in_flight_calls.h"
#include "worker/client/render_budget.h"

namespace flamegrid::worker {

struct WorkerOptions {
  std::string coordinator;  // HOST:PORT
  std::string data_dir;
  std::string name;
  int threads = 1;
  uint64_t max_memory_bytes = 0;
  int max_jobs = 0;  // 0: no limit (tests stop after N)
  // Test only: "noise" uploads random pixels, "wrong-frame" renders another frame.
  std::string cheat;
  // Raised while the machine's owner needs it (idle::RenderGate::pause_flag()):
  // no new lease is taken, and a render under way stops and its lease goes back.
  const std::atomic<bool>* pause = nullptr;
  // How long one render may run (worker/client/render_budget.h).
  RenderLimits render_limits;
};

class WorkerClient {
 public:
  WorkerClient(std::shared_ptr<grpc::Channel> channel, FrameRenderer& renderer,
               WorkerOptions options);

  // Runs until `stop` is set, max_jobs are done, or the worker is quarantined.
  Status Run(const std::atomic<bool>& stop);

  int jobs_done() const { return jobs_done_; }

 private:
  Status EnsureRegistered(const std::atomic<bool>& stop, bool reuse_saved);
  // Asks the coordinator for a registration puzzle and solves it (a second
  // or so of CPU at its default difficulty).
  Status SolveRegisterChallenge(const std::atomic<bool>& stop,
                                v1::RegisterChallengeResponse* puzzle, std::string* nonce);
  // Processes one job: render with heartbeats, upload. Errors are logged and
  // the job given back; only a stop or a lost identity is returned. `next`
  // receives the lease the coordinator piggybacks on the upload's answer.
  Status Work(const FrameJob& job, const std::atomic<bool>& stop, std::optional<FrameJob>* next);
  // The job the coordinator sent, checked (proto/shared/job_wire.h); nullopt
  // when it cannot be rendered, after giving its lease back as a failed render.
  std::optional<FrameJob> Receive(const v1::FrameJob& wire);
  bool Paused() const { return options_.pause != nullptr && options_.pause->load(); }
  // `iterations` receives the points the render computed. A render stopped
  // by the render budget is DeadlineExceeded (too slow: no blame) or
  // ResourceExhausted (the job is too big for this worker).
  Result<std::string> RenderJob(const FrameJob& job, const std::atomic<bool>& stop,
                                bool* lease_lost, uint64_t* iterations);
  // `answer` receives the coordinator's word on an accepted frame.
  Status Upload(const FrameJob& job, const std::string& png, double seconds,
                const std::atomic<bool>& stop, std::optional<FrameJob>* next, std::string* answer);
  void GiveBack(const FrameJob& job, const std::string& reason, bool render_failed);
  v1::WorkerCredentials Credentials() const;
  // Sends the participant's pending local votes (worker/client/vote_sender.h).
  void SendVotes();
  // Sleeps up to `ms`, waking early on stop.
  static void Sleep(int64_t ms, const std::atomic<bool>& stop);

  // Tracks a call so that a stop cancels it at once (Run's InFlightCalls).
  InFlightCalls::Scope Track(grpc::ClientContext* context) { return calls_->Track(context); }
  bool Stopping() const { return stop_ != nullptr && stop_->load(); }

  std::unique_ptr<v1::Grid::Stub> stub_;
  FrameRenderer& renderer_;
  WorkerOptions options_;
  WorkerIdentity identity_;
  RenderBudget budget_;
  int jobs_done_ = 0;
  // Set for the duration of Run.
  const std::atomic<bool>* stop_ = nullptr;
  InFlightCalls* calls_ = nullptr;
};

}  // namespace flamegrid::worker
