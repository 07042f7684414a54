// Scheduler: the coordinator's rules, independent of the wire. Workers
// register, lease frame jobs with a deadline, extend them, give them back or
// upload frames; uploads are checked (coordinator/validate) and committed to
// the Store before they are acknowledged; lapsed leases are reissued; a
// failed render, refused upload or lapse counts against its worker until
// several workers (one trusted) failed the job or the coordinator's own
// render fails too, and a job that keeps failing fails its sequence with the
// reason; workers that keep failing are throttled, then quarantined; cheats
// are quarantined and their other frames re-checked; finished sequences are
// assembled into MP4s. Each worker holds at most its threads' worth of
// leases (and a hard cap), each lease lives at most lease_max_ms whatever
// the heartbeats, and LeaseJob calls are rate-limited per worker.
//
// Owned by the Coordinator (coordinator/service) or a test. Thread-safe: the gRPC threads call
// the worker and admin methods concurrently while one maintenance thread calls
// Maintain().
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "coordinator/schedule/frame_windows.h"
#include "coordinator/schedule/sequence_event.h"
#include "coordinator/schedule/submit_limits.h"
#include "coordinator/store/store.h"
#include "coordinator/validate/frame_check.h"
#include "coordinator/validate/verdict.h"
#include "coordinator/web/metrics.h"
#include "proto/shared/env.h"
#include "proto/shared/frame_job.h"
#include "proto/shared/frame_renderer.h"
#include "renderer/base/status.h"

namespace flamegrid::coordinator {

struct SchedulerOptions {
  std::string data_dir;
  int64_t lease_ms = 120'000;        // a lease lapses this long after its last heartbeat
  int64_t lease_max_ms = 3'600'000;  // and this long after it was leased, whatever the heartbeats
  int max_failures = 5;              // per job, before it fails for good
  // Failures count against a job only once this many distinct workers
  // failed it, one of them trusted (or the coordinator's render fails too).
  int job_failure_workers = 3;
  // A worker's failures (less one per accepted result): at this many it gets
  // one lease at a time and waits 10 s after each further failure; at
  // quarantine_after it is quarantined.
  int throttle_after_failures = 3;
  int quarantine_after_failures = 10;
  int max_leases_per_worker = 8;       // and no more than its registered threads (at least 1)
  double lease_calls_per_second = 10;  // per worker: a token bucket...
  int lease_call_burst = 20;           // ...this deep
  uint64_t max_upload_bytes = 64ull << 20;
  bool sync_full = false;  // fsync frame files (the Store has its own setting)
  ValidationPolicy validation;
  int64_t replica_wait_ms = 0;  // 0: 2 x lease_ms; then the coordinator checks alone
  int reference_threads = 1;
  std::string video_preset = "medium";
  SubmitLimits submit_limits;  // every Submit and SubmitPlanned passes CheckSubmit
};

struct Credentials {
  int64_t worker_id = 0;
  std::string token;
};

struct Registration {
  int64_t worker_id = 0;
  std::string token;
};

// Lease's answer: a job, or when to ask again.
struct LeaseOffer {
  std::optional<FrameJob> job;  // its control points shared with the cached sequence
  int retry_after_ms = 1000;    // without a job: ask again after this long
};

struct UploadMeta {
  Credentials credentials;
  int64_t lease_id = 0;
  int64_t job_id = 0;
  uint64_t size_bytes = 0;
  std::string sha256_hex;
};

struct SubmitSpec {
  std::string genome_xml;
  int frames = 0;
  int width = 0;
  int height = 0;
  double quality = 0.0;
  int crf = 0;
  int fps = 0;
  uint64_t seed = 0;
};

// A sequence whose control points are planned already (coordinator/flock's
// edges from one loop to another): it enters the grid by the same door as a
// submitted loop, with the same checks of its spec.
struct PlannedSequence {
  SubmitSpec spec;  // genome_xml: what the control points were planned from
  std::string kind;
  std::string name;
  std::string control_points_xml;  // one control point per frame
};

// Which workers a snapshot shows: a grid may have 100,000 of them, so a
// page (by id) and, when asked, their counts.
struct WorkerView {
  bool summary = false;
  int64_t offset = 0;
  int limit = 0;  // 0: none listed
};
inline constexpr int kDefaultWorkerPage = 100;
inline constexpr int kMaxWorkerPage = 1000;
// "Seen recently" in a summary: in the last hour, as GET /metrics counts.
inline constexpr int64_t kWorkerSeenWindowMs = 3'600'000;

struct GridSnapshot {
  std::vector<SequenceRecord> sequences;
  std::vector<WorkerRecord> workers;  // the page asked for
  int64_t workers_offset = 0;
  std::optional<WorkerCounts> worker_counts;  // when a summary was asked for
};

class Scheduler {
 public:
  // `store`, `env` (files and the clock) and `renderer` must outlive the
  // scheduler.
  Scheduler(Store& store, Env* env, FrameRenderer& renderer, SchedulerOptions options);

  // Loads or creates DIR/admin.token (mode 0600) and the data folders.
  Status Start();
  // The clock the scheduler (and the flock beside it) runs on: env->NowMs().
  int64_t Now() const { return env_->NowMs(); }
  const std::string& admin_token() const { return admin_token_; }

  // `address`: the registering peer's IP address (no port; "" when unknown).
  // Workers from one /24 (IPv6: /64) never validate each other's frames.
  Result<Registration> Register(const std::string& name, int threads,
                                const std::string& address = "");
  // A job leased to the worker, with the control points of its frame only
  // (FrameWindows); none when there is nothing to do, the
  // worker holds all the leases it may, or it asks too often.
  Result<LeaseOffer> Lease(const Credentials& credentials);
  // The new deadline; FailedPrecondition once the lease reached lease_max_ms.
  Result<int64_t> Heartbeat(const Credentials& credentials, int64_t lease_id);
  Status GiveBack(const Credentials& credentials, int64_t lease_id, const std::string& reason,
                  bool render_failed);
  // Checked before the upload's bytes are read: who, which lease, how big
  // (at most max_upload_bytes, and no more than a PNG of the job's size can
  // take: MaxPngBytes). `lease_deadline_ms`, when given, receives the
  // lease's deadline, past which the upload stream may be cut.
  Status BeginUpload(const UploadMeta& meta, int64_t* lease_deadline_ms = nullptr);
  // Validates and commits; OK means the frame is on disk and committed.
  // The returned string says how it was checked.
  Result<std::string> FinishUpload(const UploadMeta& meta, std::string_view bytes);

  Status CheckAdmin(const std::string& token);
  // OK when the credentials name a registered worker in good standing.
  Status CheckWorker(const Credentials& credentials) { return Authenticate(credentials).status(); }
  // Both refuse a spec outside options.submit_limits (CheckSubmit).
  Result<int64_t> Submit(const SubmitSpec& spec);
  // Neither plans nor runs the submit check hook (the planner checked its genomes).
  Result<int64_t> SubmitPlanned(const PlannedSequence& planned);
  // Every sequence, and the workers `workers` asks for (by default none).
  Result<GridSnapshot> Snapshot(const WorkerView& workers = {});
  // The accepted frame files of a sequence by frame index ("" where none yet).
  Result<std::vector<std::string>> FramePaths(int64_t sequence_id) {
    return store_.FramePaths(sequence_id);
  }

  // Hooks for coordinator/flock, set once before serving: a check every
  // submitted genome must pass (artists' genomes enter the flock like bred
  // ones), and annotations added to every snapshot (ratings, lineage, edges).
  void SetSubmitCheck(std::function<Status(const std::string& genome_xml)> check) {
    submit_check_ = std::move(check);
  }
  void SetSnapshotHook(std::function<void(GridSnapshot&)> hook) {
    snapshot_hook_ = std::move(hook);
  }
  // Counts leases, accepted and refused uploads into `metrics`, and sets its
  // grid levels (sequences by state, leases, workers seen) on every scrape.
  // Set once before serving; `metrics` must outlive the scheduler and the
  // scheduler its last scrape.
  void SetMetrics(Metrics* metrics);
  // Counts an upload refused before the scheduler saw its bytes (the RPC
  // layer's checks of the stream: header, size).
  void CountRefusedUpload(Refusal reason) {
    if (metrics_ != nullptr) metrics_->FrameRefused(reason);
  }

  // Sequences finished (assembled) or failed (in assembly, or with a frame
  // that failed too often) since the last call, oldest first. Start()
  // reports every sequence already done as finished, so an owner that
  // publishes what finishes also publishes what a restart found.
  std::vector<SequenceEvent> TakeEvents() { return events_.TakeAll(); }

  // One round of upkeep: lapse leases, settle replicas that waited too long,
  // re-check quarantined workers' frames, assemble finished sequences.
  Status Maintain();

 private:
  struct WorkerAuth {
    std::string token_hash;
    bool quarantined = false;
  };

  Result<WorkerAuth> Authenticate(const Credentials& credentials);
  Result<std::shared_ptr<const SequenceRecord>> Sequence(int64_t id);
  // The frame job of `frame` of the sequence, without a lease, carrying its
  // window of control points: what Lease hands out and the reference render draws.
  Result<FrameJob> FrameOf(int64_t sequence_id, int frame);
  Result<JobRecord> HeldLease(const Credentials& credentials, int64_t lease_id, int64_t job_id);
  // BeginUpload and FinishUpload, saying why they refused in `why`.
  Status CheckUpload(const UploadMeta& meta, Refusal* why, int64_t* lease_deadline_ms);
  // The most bytes an upload for a frame of `sequence_id` may declare.
  Result<uint64_t> UploadBound(int64_t sequence_id);
  Result<std::string> CommitUpload(const UploadMeta& meta, std::string_view bytes, Refusal* why);
  // The checks of an upload that need no image: who, which lease, size, hash.
  Result<JobRecord> CheckUploadBytes(const UploadMeta& meta, std::string_view bytes, Refusal* why);
  // The evidence every verdict starts from: when it is judged, the rules and
  // which frame.
  UploadEvidence EvidenceFor(JudgedAt at, int64_t sequence_id, int frame) const;
  // DecideUpload, rendering the coordinator's reference of the frame when the
  // rules ask for it. `mine` is the judged result's image, `replica` the
  // image of the result it was a replica of (null: none).
  Result<UploadVerdict> Decide(UploadEvidence& evidence, const SequenceRecord& sequence,
                               const Result<Image>& mine, const Result<Image>* replica);
  // Checks an upload's image, gathers the evidence (the pending result it
  // replicates, set in `first`, or its worker's record) and decides.
  Result<UploadVerdict> JudgeUpload(const JobRecord& job, const SequenceRecord& sequence,
                                    int64_t worker, std::string_view bytes,
                                    std::optional<ResultRecord>* first, FrameFault* fault);
  // Gives a refused upload's job back (quarantining its worker if the
  // verdict says so); returns the refusal. `fault`: the image check's.
  Status RefuseUpload(const UploadMeta& meta, const JobRecord& job, const UploadVerdict& verdict,
                      FrameFault fault);
  // Frees the job of a failed render, refused upload or lapse (`failure`
  // says which lease, whose and why): BlameFailure decides whom it counts
  // against (`evidence` as far as the caller knows: whether the reference
  // may or did render), rendering the frame itself when the rules ask. A
  // worker whose failures reach quarantine_after_failures is quarantined.
  Status CountFailure(const JobRecord& job, JobFailure failure, FailureEvidence evidence);
  // Whether the worker is trusted (IsTrusted on its record).
  bool Trusted(const WorkerRecord& worker) const;
  // Takes a LeaseJob token of the worker's bucket: 0 when it had one, else
  // the milliseconds until it has.
  int64_t TakeLeaseToken(int64_t worker_id, int64_t now_ms);
  // Empties the worker's bucket so that its next LeaseJob token comes
  // `wait_ms` from now (a throttled worker's failure).
  void DelayLeases(int64_t worker_id, int64_t now_ms, int64_t wait_ms);
  // The one door of Submit and SubmitPlanned (after their checks): plans the
  // loop unless planned, creates the sequence with its jobs.
  Result<int64_t> Enter(const PlannedSequence& planned);
  Result<Image> ReferenceRender(const SequenceRecord& sequence, int frame);
  Result<Image> LoadFrame(const std::string& path);
  Status Quarantine(int64_t worker_id, const std::string& why);
  Status RecheckWorker(int64_t worker_id);
  Status SettleStaleReplicas();
  Status AssembleFinished();
  // Reports a sequence the store failed with its job (none: nothing).
  void ReportFailed(const std::optional<FailedSequence>& failed);
  uint64_t Draw();

  Store& store_;
  Env* env_;
  FrameRenderer& renderer_;
  SchedulerOptions options_;
  std::string admin_token_;
  std::string admin_token_hash_;
  std::function<Status(const std::string&)> submit_check_;
  std::function<void(GridSnapshot&)> snapshot_hook_;
  Metrics* metrics_ = nullptr;
  SequenceEventQueue events_;

  std::mutex mu_;  // guards everything below
  std::map<int64_t, WorkerAuth> workers_;
  std::map<int64_t, std::shared_ptr<const SequenceRecord>> sequences_;
  std::map<int64_t, std::shared_ptr<const FrameWindows>> windows_;  // split on first use
  std::deque<int64_t> recheck_queue_;
  struct TokenBucket {
    double tokens = 0;
    int64_t at_ms = 0;
  };
  std::map<int64_t, TokenBucket> lease_buckets_;  // by worker
  std::mt19937_64 random_;
};

}  // namespace flamegrid::coordinator
