// Store: the coordinator's durable state (sequences, frame jobs, results,
// workers) behind a narrow interface, so the scheduler can be tested against
// a store that fails on purpose. Every mutating call is one transaction: when
// it returns OK the change is committed; when it fails nothing changed.
//
// Owned by the coordinator's Scheduler. Implementations are thread-safe
// (SqliteStore serialises calls on one connection).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/store/states.h"
#include "renderer/base/status.h"

namespace flamegrid::coordinator {

class Metrics;  // coordinator/web/metrics.h

struct NewSequence {
  std::string kind = "loop";
  std::string name;
  int frames = 0;
  int width = 0;
  int height = 0;
  double quality = 0.0;
  int crf = 0;
  int fps = 0;
  uint64_t seed = 0;
  std::string genome_xml;          // as submitted
  std::string control_points_xml;  // one control point per frame
  int64_t now_ms = 0;
};

struct SequenceRecord {
  int64_t id = 0;
  std::string kind;
  std::string name;
  SequenceState state = SequenceState::kRendering;
  int frames = 0;
  int frames_done = 0;
  int width = 0;
  int height = 0;
  double quality = 0.0;
  int crf = 0;
  int fps = 0;
  uint64_t seed = 0;
  std::string control_points_xml;  // filled by GetSequence only
  std::string video_path;
  std::string failure;
  int64_t created_ms = 0;
  // Filled by coordinator/flock for status, not by the Store.
  double rating = 0.0;
  int votes = 0;
  std::vector<int64_t> parents;  // a bred child's parents
  int64_t edge_from = 0;         // an edge's loops
  int64_t edge_to = 0;
  // Filled by coordinator/publish once the video is published (empty/0 before).
  std::string video_sha256;
  uint64_t video_size = 0;
  uint64_t seed_bytes_uploaded = 0;  // sent by the coordinator: BitTorrent + web seed
  uint64_t peer_bytes_uploaded = 0;  // participants to each other, as they report it
};

struct WorkerRecord {
  int64_t id = 0;
  std::string name;
  std::string token_hash;
  int threads = 0;
  int64_t valid_results = 0;
  int64_t invalid_results = 0;
  // Results that agreed with a trusted worker's or the coordinator's own
  // render: the only record trust is earned by (frame_check.h, IsTrusted).
  int64_t verified_results = 0;
  // Render failures, refused uploads and lapsed leases counted against the
  // worker (not its job), less one per accepted result: past a threshold the
  // worker is throttled, then quarantined.
  int64_t failures = 0;
  bool quarantined = false;
  int64_t last_seen_ms = 0;
  std::string address;  // the registering peer's IP address ("" when unknown)
};

struct JobRecord {
  int64_t id = 0;
  int64_t sequence_id = 0;
  int frame = 0;
  JobState state = JobState::kPending;
  int64_t lease_id = 0;
  int64_t worker_id = 0;
  int64_t deadline_ms = 0;
  int64_t leased_ms = 0;  // when the current lease began (its life is bounded from here)
  int attempts = 0;
  int failures = 0;
  std::string last_error;
  std::string result_path;
};

struct ResultRecord {
  int64_t id = 0;
  int64_t job_id = 0;
  int64_t worker_id = 0;
  int64_t sequence_id = 0;  // its job's
  int frame = 0;
  std::string path;
  std::string sha256_hex;
  int64_t size = 0;
  ResultState state = ResultState::kPending;
  std::string check;  // how it was validated: replica, reference, trusted, pending
};

// What an accepted upload changes, in one transaction.
struct ResultCommit {
  int64_t job_id = 0;
  int64_t lease_id = 0;
  int64_t worker_id = 0;
  std::string path;
  std::string sha256_hex;
  int64_t size = 0;
  // true: the frame is final (job done, result valid); false: the result
  // waits for a replica from another worker (job goes to "replica").
  bool frame_final = true;
  std::string check;
  // A pending result from another worker that this one confirmed (0: none).
  int64_t confirmed_result_id = 0;
  int64_t now_ms = 0;
};

// Aggregate counts for monitoring (GET /metrics), read in one go.
struct GridCounts {
  std::map<SequenceState, int64_t> sequences_by_state;
  int64_t leases_outstanding = 0;  // jobs leased or replica_leased
  int64_t workers_seen = 0;        // workers seen at or after the asked time
};

// The workers in numbers, for a status that stays small with 100,000 of them.
struct WorkerCounts {
  int64_t registered = 0;
  int64_t seen = 0;  // seen at or after the asked time
  int64_t quarantined = 0;
  int64_t trusted = 0;  // as validation counts it (IsTrusted): the asked verified results
                        // and no invalid one, not quarantined
};

// A refused result, a failed render or a lapsed lease: the job goes back to
// the pool (or fails).
struct JobFailure {
  int64_t job_id = 0;
  int64_t lease_id = 0;
  int64_t worker_id = 0;
  std::string reason;
  bool counts_against_job = true;      // false for a clean give-back on shutdown
  bool counts_against_worker = false;  // the worker's failures count goes up
  bool refused_result = false;         // the worker sent something bad (invalid_results)
  bool quarantine_worker = false;      // caught cheating
  // Remember that this worker failed this job (and whether it was trusted),
  // for the rule that fails a job only after several workers failed it.
  bool record_failure = false;
  bool worker_trusted = false;
  // Nonzero: a lapse, which holds only while the lease's deadline is still
  // before this time (a heartbeat may have come in between).
  int64_t lapsed_before_ms = 0;
  int max_failures = 5;  // the job fails for good at this many
  int64_t now_ms = 0;
};

// One worker that failed a job (JobFailure.record_failure).
struct JobFailureRecord {
  int64_t worker_id = 0;
  bool trusted = false;  // trusted when it failed
};

// What LeaseJob may hand one worker.
struct LeaseLimits {
  int max_outstanding = 8;  // hard cap; the worker's registered threads (at least 1) cap it too
  int throttle_after_failures = 0;  // at this many failures: one lease at a time (0: never)
};

// LeaseJob's answer.
struct LeaseOutcome {
  std::optional<JobRecord> job;  // nullopt: none leased
  bool at_cap = false;           // the worker holds as many leases as it may
  bool throttled = false;        // the worker is past its failure threshold
};

// A sequence the store failed because one of its jobs failed too often.
struct FailedSequence {
  int64_t sequence_id = 0;
  std::string failure;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Result<int64_t> CreateSequence(const NewSequence& sequence) = 0;
  virtual Result<SequenceRecord> GetSequence(int64_t id) = 0;
  virtual Result<std::vector<SequenceRecord>> ListSequences() = 0;
  virtual Result<std::vector<SequenceRecord>> SequencesInState(SequenceState state) = 0;
  virtual Status SetSequenceState(int64_t id, SequenceState state, const std::string& video_path,
                                  const std::string& failure) = 0;
  // The accepted frame files of a sequence, ordered by frame index.
  virtual Result<std::vector<std::string>> FramePaths(int64_t sequence_id) = 0;

  virtual Result<int64_t> CreateWorker(const std::string& name, const std::string& token_hash,
                                       int threads, const std::string& address, int64_t now_ms) = 0;
  virtual Result<WorkerRecord> GetWorker(int64_t id) = 0;
  virtual Result<std::vector<WorkerRecord>> ListWorkers() = 0;

  // Leases the next free job to `worker_id`, unless it holds as many leases
  // as `limits` allow: first a job waiting for a replica that this worker
  // has not rendered, then a pending one; never a job of a failed or retired
  // sequence. No job when there is nothing to do.
  virtual Result<LeaseOutcome> LeaseJob(int64_t worker_id, int64_t lease_id, int64_t now_ms,
                                        int64_t deadline_ms, const LeaseLimits& limits) = 0;
  virtual Result<JobRecord> GetJobByLease(int64_t lease_id) = 0;
  // Moves the lease's deadline to `deadline_ms`, but never past its start
  // plus `max_life_ms`; returns the deadline it set.
  virtual Result<int64_t> ExtendLease(int64_t lease_id, int64_t worker_id, int64_t deadline_ms,
                                      int64_t max_life_ms) = 0;
  // Leased jobs whose deadline is before `now_ms` (FailJob frees them).
  virtual Result<std::vector<JobRecord>> LapsedLeases(int64_t now_ms) = 0;
  // The workers that failed the job so far (JobFailure.record_failure).
  virtual Result<std::vector<JobFailureRecord>> FailuresOfJob(int64_t job_id) = 0;

  virtual Status CommitResult(const ResultCommit& commit) = 0;
  // The sequence it failed, when the job failed for good and took its
  // (not yet failed or done) sequence with it.
  virtual Result<std::optional<FailedSequence>> FailJob(const JobFailure& failure) = 0;

  virtual Result<std::vector<ResultRecord>> ResultsOfJob(int64_t job_id) = 0;
  virtual Result<std::vector<ResultRecord>> ValidResultsOfWorker(int64_t worker_id) = 0;
  // Marks a result invalid; if it was its job's accepted frame, the job goes
  // back to pending and its sequence back to rendering (unless already done).
  virtual Status InvalidateResult(int64_t result_id, const std::string& reason) = 0;
  // Accepts a result that was waiting for a replica (it passed another check):
  // the result becomes valid, its job done, its worker credited.
  virtual Status AcceptPendingResult(int64_t result_id, const std::string& check,
                                     int64_t now_ms) = 0;
  // Quarantines the worker; its trust (verified_results) is gone with it.
  virtual Status QuarantineWorker(int64_t worker_id) = 0;
  // Jobs that have waited for a replica since before `older_than_ms`.
  virtual Result<std::vector<JobRecord>> StaleReplicaJobs(int64_t older_than_ms) = 0;
  // Sequences by state, outstanding leases, and workers seen since `seen_since_ms`.
  virtual Result<GridCounts> Counts(int64_t seen_since_ms) = 0;
  // One pass over the workers: how many there are, were seen since
  // `seen_since_ms`, are quarantined, have `trusted_after` valid results.
  virtual Result<WorkerCounts> CountWorkers(int64_t seen_since_ms, int64_t trusted_after) = 0;
  // At most `limit` workers in id order after skipping `offset`.
  virtual Result<std::vector<WorkerRecord>> ListWorkersPage(int64_t offset, int limit) = 0;
};

struct SqliteOptions {
  // true: fsync every commit (survives power loss); false: WAL with
  // synchronous=NORMAL (survives a killed process, which is what a crash is).
  bool sync_full = false;
  // Optional: each group commit is timed into it (must outlive the store).
  Metrics* metrics = nullptr;
};

// Opens (creating if needed) the SQLite database at `path` in WAL mode.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options = {});

}  // namespace flamegrid::coordinator
