#include "coordinator/schedule/scheduler.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "coordinator/assemble/mp4_writer.h"
#include "proto/shared/digest.h"
#include "proto/shared/log.h"
#include "renderer/base/parse_number.h"
#include "renderer/image/image_io.h"
#include "renderer/image/png_codec.h"

namespace flamegrid::coordinator {
namespace {

std::string Join(const std::string& a, const std::string& b) {
  return (std::filesystem::path(a) / b).string();
}

// A failed check is the worker's fault (`reason`) when its code says so
// (`code`), else the coordinator's (a store or disk error).
Refusal Blame(const Status& status, StatusCode code, Refusal reason) {
  return status.code() == code ? reason : Refusal::kInternal;
}

// What a throttled worker is told to wait before asking again.
constexpr int kThrottledRetryMs = 10'000;

// The refusal a failed frame check counts as.
Refusal FrameRefusal(FrameFault fault) {
  switch (fault) {
    case FrameFault::kCorrupt:
      return Refusal::kDecodeFailure;
    case FrameFault::kWrongSize:
      return Refusal::kWrongDimensions;
    case FrameFault::kBlank:
      return Refusal::kBlankFrame;
    case FrameFault::kNone:
      break;
  }
  return Refusal::kInternal;
}

}  // namespace

Scheduler::Scheduler(Store& store, Env* env, FrameRenderer& renderer, SchedulerOptions options)
    : store_(store), env_(env), renderer_(renderer), options_(std::move(options)) {
  if (options_.replica_wait_ms <= 0) options_.replica_wait_ms = 2 * options_.lease_ms;
}

uint64_t Scheduler::Draw() {
  std::lock_guard lock(mu_);
  return random_();
}

Status Scheduler::Start() {
  FG_RETURN_IF_ERROR(env_->CreateDirectories(Join(options_.data_dir, "frames")));
  FG_RETURN_IF_ERROR(env_->CreateDirectories(Join(options_.data_dir, "videos")));
  const std::string token_path = Join(options_.data_dir, "admin.token");
  Result<std::string> existing = env_->ReadFile(token_path, 4096);
  if (existing.ok()) {
    admin_token_ = *existing;
    while (!admin_token_.empty() && std::isspace(static_cast<unsigned char>(admin_token_.back()))) {
      admin_token_.pop_back();
    }
  }
  if (admin_token_.empty()) {
    FG_ASSIGN_OR_RETURN(admin_token_, RandomHex(32));
    FG_RETURN_IF_ERROR(
        env_->WriteFileAtomic(token_path, admin_token_ + "\n", SyncPolicy::kSync, 0600));
  }
  admin_token_hash_ = Sha256Hex(admin_token_);
  FG_ASSIGN_OR_RETURN(std::vector<SequenceRecord> done,
                      store_.SequencesInState(SequenceState::kDone));
  for (const SequenceRecord& sequence : done) {
    events_.Push({SequenceEventKind::kFinished, sequence.id, sequence.video_path, ""});
  }
  FG_ASSIGN_OR_RETURN(std::string seed_hex, RandomHex(8));
  FG_ASSIGN_OR_RETURN(uint64_t seed, ParseHexUint64(seed_hex, "random seed"));
  random_.seed(seed);
  return Status::Ok();
}

Result<Registration> Scheduler::Register(const std::string& name, int threads,
                                         const std::string& address) {
  if (name.size() > 200) return Status::InvalidArgument("worker name longer than 200 bytes");
  Registration r;
  FG_ASSIGN_OR_RETURN(r.token, RandomHex(32));
  const std::string hash = Sha256Hex(r.token);
  FG_ASSIGN_OR_RETURN(r.worker_id, store_.CreateWorker(name, hash, threads, address, Now()));
  {
    std::lock_guard lock(mu_);
    workers_[r.worker_id] = WorkerAuth{hash, false};
  }
  GridLog("registered worker %lld \"%s\" (%d threads)", static_cast<long long>(r.worker_id),
          Printable(name).c_str(), threads);
  return r;
}

Result<Scheduler::WorkerAuth> Scheduler::Authenticate(const Credentials& credentials) {
  WorkerAuth auth;
  bool cached = false;
  {
    std::lock_guard lock(mu_);
    auto it = workers_.find(credentials.worker_id);
    if (it != workers_.end()) {
      auth = it->second;
      cached = true;
    }
  }
  if (!cached) {
    Result<WorkerRecord> record = store_.GetWorker(credentials.worker_id);
    if (!record.ok()) {
      if (record.status().code() == StatusCode::kNotFound) {
        return Status::PermissionDenied("unknown worker " + std::to_string(credentials.worker_id));
      }
      return record.status();
    }
    auth = WorkerAuth{record->token_hash, record->quarantined};
    std::lock_guard lock(mu_);
    workers_[credentials.worker_id] = auth;
  }
  if (!ConstantTimeEquals(Sha256Hex(credentials.token), auth.token_hash)) {
    return Status::PermissionDenied("wrong token for worker " +
                                    std::to_string(credentials.worker_id));
  }
  if (auth.quarantined) {
    return Status::PermissionDenied("worker " + std::to_string(credentials.worker_id) +
                                    " is quarantined: it returned frames that failed validation");
  }
  return auth;
}

Status Scheduler::CheckAdmin(const std::string& token) {
  if (!ConstantTimeEquals(Sha256Hex(token), admin_token_hash_)) {
    return Status::PermissionDenied("wrong admin token");
  }
  return Status::Ok();
}

Result<std::shared_ptr<const SequenceRecord>> Scheduler::Sequence(int64_t id) {
  {
    std::lock_guard lock(mu_);
    auto it = sequences_.find(id);
    if (it != sequences_.end()) return it->second;
  }
  FG_ASSIGN_OR_RETURN(SequenceRecord record, store_.GetSequence(id));
  auto shared = std::make_shared<const SequenceRecord>(std::move(record));
  std::lock_guard lock(mu_);
  sequences_[id] = shared;
  return std::shared_ptr<const SequenceRecord>(shared);
}

Result<FrameJob> Scheduler::FrameOf(int64_t sequence_id, int frame) {
  FG_ASSIGN_OR_RETURN(std::shared_ptr<const SequenceRecord> sequence, Sequence(sequence_id));
  std::shared_ptr<const FrameWindows> windows;
  {
    std::lock_guard lock(mu_);
    auto it = windows_.find(sequence_id);
    if (it != windows_.end()) windows = it->second;
  }
  if (windows == nullptr) {
    // Once per cached sequence: then each job's window costs a few copies.
    auto split = std::make_shared<const FrameWindows>(FrameWindows::Split(
        std::shared_ptr<const std::string>(sequence, &sequence->control_points_xml),
        sequence->frames));
    std::lock_guard lock(mu_);
    windows = windows_.emplace(sequence_id, std::move(split)).first->second;
  }
  FrameJob job;
  job.sequence_id = sequence->id;
  job.frame = frame;
  job.frames_total = sequence->frames;
  job.width = sequence->width;
  job.height = sequence->height;
  job.seed = sequence->seed;
  FG_ASSIGN_OR_RETURN(job.control_points_xml, windows->Window(frame));
  return job;
}

int64_t Scheduler::TakeLeaseToken(int64_t worker_id, int64_t now_ms) {
  const double rate = options_.lease_calls_per_second;
  if (rate <= 0) return 0;
  const double burst = std::max(1, options_.lease_call_burst);
  std::lock_guard lock(mu_);
  auto [it, fresh] = lease_buckets_.try_emplace(worker_id, TokenBucket{burst, now_ms});
  TokenBucket& bucket = it->second;
  if (!fresh) {
    const double elapsed_s = static_cast<double>(std::max<int64_t>(0, now_ms - bucket.at_ms)) / 1e3;
    bucket.tokens = std::min(burst, bucket.tokens + elapsed_s * rate);
    bucket.at_ms = now_ms;
  }
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return 0;
  }
  return static_cast<int64_t>(std::ceil((1 - bucket.tokens) / rate * 1e3));
}

void Scheduler::DelayLeases(int64_t worker_id, int64_t now_ms, int64_t wait_ms) {
  const double rate = options_.lease_calls_per_second;
  if (rate <= 0) return;  // no bucket to delay: the throttle is one lease at a time
  std::lock_guard lock(mu_);
  TokenBucket& bucket = lease_buckets_.try_emplace(worker_id, TokenBucket{0, now_ms}).first->second;
  // Refill to now, then take what the wait would refill: the next token
  // comes `wait_ms` from now.
  const double elapsed_s = static_cast<double>(std::max<int64_t>(0, now_ms - bucket.at_ms)) / 1e3;
  bucket.tokens = std::min<double>(1, bucket.tokens + elapsed_s * rate) -
                  rate * static_cast<double>(wait_ms) / 1e3;
  bucket.at_ms = now_ms;
}

Result<LeaseOffer> Scheduler::Lease(const Credentials& credentials) {
  FG_RETURN_IF_ERROR(Authenticate(credentials).status());
  const int64_t now = Now();
  LeaseOffer offer;
  if (const int64_t wait = TakeLeaseToken(credentials.worker_id, now); wait > 0) {
    offer.retry_after_ms = static_cast<int>(std::clamp<int64_t>(wait, 100, 60'000));
    return offer;
  }
  const int64_t lease_id = static_cast<int64_t>(Draw() >> 2) + 1;
  LeaseLimits limits;
  limits.max_outstanding = options_.max_leases_per_worker;
  limits.throttle_after_failures = options_.throttle_after_failures;
  FG_ASSIGN_OR_RETURN(
      LeaseOutcome outcome,
      store_.LeaseJob(credentials.worker_id, lease_id, now,
                      now + std::min(options_.lease_ms, options_.lease_max_ms), limits));
  // A worker that keeps failing waits longer between asks.
  if (outcome.throttled) offer.retry_after_ms = kThrottledRetryMs;
  if (!outcome.job) return offer;
  const std::optional<JobRecord>& job = outcome.job;
  if (metrics_ != nullptr) metrics_->FrameLeased();
  FG_ASSIGN_OR_RETURN(FrameJob leased, FrameOf(job->sequence_id, job->frame));
  leased.job_id = job->id;
  leased.lease_id = job->lease_id;
  leased.deadline_unix_ms = job->deadline_ms;
  // lease_ms is at most a week (serve options), so a quarter of it fits an int.
  leased.heartbeat_interval_ms = static_cast<int>(std::max<int64_t>(100, options_.lease_ms / 4));
  FG_ASSIGN_OR_RETURN(leased.max_upload_bytes, UploadBound(job->sequence_id));
  offer.job = std::move(leased);
  return offer;
}

Result<JobRecord> Scheduler::HeldLease(const Credentials& credentials, int64_t lease_id,
                                       int64_t job_id) {
  Result<JobRecord> job = store_.GetJobByLease(lease_id);
  if (!job.ok()) {
    if (job.status().code() == StatusCode::kNotFound) {
      return Status::FailedPrecondition("lease " + std::to_string(lease_id) +
                                        " is unknown or has lapsed");
    }
    return job.status();
  }
  if (job->worker_id != credentials.worker_id ||
      (job->state != JobState::kLeased && job->state != JobState::kReplicaLeased) ||
      (job_id != 0 && job->id != job_id)) {
    return Status::FailedPrecondition("lease " + std::to_string(lease_id) +
                                      " is not held by worker " +
                                      std::to_string(credentials.worker_id));
  }
  return job;
}

Result<int64_t> Scheduler::Heartbeat(const Credentials& credentials, int64_t lease_id) {
  FG_RETURN_IF_ERROR(Authenticate(credentials).status());
  const int64_t now = Now();
  FG_ASSIGN_OR_RETURN(int64_t deadline,
                      store_.ExtendLease(lease_id, credentials.worker_id, now + options_.lease_ms,
                                         options_.lease_max_ms));
  if (deadline <= now) {
    return Status::FailedPrecondition(
        "lease " + std::to_string(lease_id) + " reached its longest life of " +
        std::to_string(options_.lease_max_ms / 1000) + " s: heartbeats no longer extend it");
  }
  return deadline;
}

Status Scheduler::GiveBack(const Credentials& credentials, int64_t lease_id,
                           const std::string& reason, bool render_failed) {
  FG_RETURN_IF_ERROR(Authenticate(credentials).status());
  FG_ASSIGN_OR_RETURN(JobRecord job, HeldLease(credentials, lease_id, 0));
  JobFailure f;
  f.job_id = job.id;
  f.lease_id = lease_id;
  f.worker_id = credentials.worker_id;
  f.reason = (render_failed ? "render failed on worker " : "given back by worker ") +
             std::to_string(credentials.worker_id) + ": " + reason;
  GridLog("job %lld (sequence %lld frame %d) %s", static_cast<long long>(job.id),
          static_cast<long long>(job.sequence_id), job.frame, Printable(f.reason).c_str());
  if (render_failed) return CountFailure(job, std::move(f), FailureEvidence{});
  // A clean give-back (the worker is stopping) counts against nobody.
  f.counts_against_job = false;
  f.max_failures = options_.max_failures;
  f.now_ms = Now();
  FG_ASSIGN_OR_RETURN(std::optional<FailedSequence> failed, store_.FailJob(f));
  ReportFailed(failed);
  return Status::Ok();
}

bool Scheduler::Trusted(const WorkerRecord& worker) const {
  return !worker.quarantined &&
         IsTrusted(options_.validation, worker.verified_results, worker.invalid_results);
}

Status Scheduler::CountFailure(const JobRecord& job, JobFailure f, FailureEvidence evidence) {
  FG_ASSIGN_OR_RETURN(WorkerRecord worker, store_.GetWorker(f.worker_id));
  FG_ASSIGN_OR_RETURN(std::vector<JobFailureRecord> before, store_.FailuresOfJob(job.id));
  f.worker_trusted = Trusted(worker);
  evidence.job_failure_workers = options_.job_failure_workers;
  evidence.distinct_workers = 1;
  evidence.trusted_among = f.worker_trusted;
  for (const JobFailureRecord& r : before) {
    if (r.worker_id == f.worker_id) continue;
    ++evidence.distinct_workers;
    evidence.trusted_among = evidence.trusted_among || r.trusted;
  }
  FailureBlame blame = BlameFailure(evidence);
  if (blame == FailureBlame::kNeedReference) {
    FG_ASSIGN_OR_RETURN(std::shared_ptr<const SequenceRecord> sequence, Sequence(job.sequence_id));
    Result<Image> reference = ReferenceRender(*sequence, job.frame);
    evidence.reference_failed = !reference.ok();
    if (!reference.ok()) {
      f.reason += "; the coordinator's own render failed too: " + reference.status().message();
    }
    blame = BlameFailure(evidence);
  }
  f.record_failure = true;
  f.counts_against_job = blame == FailureBlame::kJob;
  f.counts_against_worker = blame == FailureBlame::kWorker;
  f.max_failures = options_.max_failures;
  f.now_ms = Now();
  FG_ASSIGN_OR_RETURN(std::optional<FailedSequence> failed, store_.FailJob(f));
  ReportFailed(failed);
  if (f.quarantine_worker) return Quarantine(f.worker_id, f.reason);
  if (f.counts_against_worker && !worker.quarantined &&
      worker.failures + 1 >= options_.quarantine_after_failures) {
    return Quarantine(f.worker_id, std::to_string(worker.failures + 1) +
                                       " failures counted against it; last: " + f.reason);
  }
  if (f.counts_against_worker && options_.throttle_after_failures > 0 &&
      worker.failures + 1 >= options_.throttle_after_failures) {
    DelayLeases(f.worker_id, Now(), kThrottledRetryMs);  // throttled: each failure costs a wait
  }
  return Status::Ok();
}

void Scheduler::SetMetrics(Metrics* metrics) {
  metrics_ = metrics;
  if (metrics_ == nullptr) return;
  metrics_->OnScrape([this](Metrics& m) {
    Result<GridCounts> counts = store_.Counts(Now() - 3'600'000);
    if (!counts.ok()) return;  // the scrape shows the last levels
    GridLevels levels;
    for (const auto& [state, count] : counts->sequences_by_state) {
      levels.sequences_by_state[ToString(state)] = count;
    }
    levels.leases_outstanding = counts->leases_outstanding;
    levels.workers_seen_last_hour = counts->workers_seen;
    m.SetGrid(levels);
  });
}

Status Scheduler::BeginUpload(const UploadMeta& meta, int64_t* lease_deadline_ms) {
  Refusal why = Refusal::kInternal;
  Status checked = CheckUpload(meta, &why, lease_deadline_ms);
  if (!checked.ok()) CountRefusedUpload(why);
  return checked;
}

Result<uint64_t> Scheduler::UploadBound(int64_t sequence_id) {
  FG_ASSIGN_OR_RETURN(std::shared_ptr<const SequenceRecord> sequence, Sequence(sequence_id));
  return std::min(options_.max_upload_bytes, MaxPngBytes(sequence->width, sequence->height));
}

Status Scheduler::CheckUpload(const UploadMeta& meta, Refusal* why, int64_t* lease_deadline_ms) {
  if (Status s = Authenticate(meta.credentials).status(); !s.ok()) {
    *why = Blame(s, StatusCode::kPermissionDenied, Refusal::kUnauthorized);
    return s;
  }
  *why = Refusal::kBadHeader;
  if (meta.size_bytes == 0) return Status::InvalidArgument("upload declares 0 bytes");
  if (meta.size_bytes > options_.max_upload_bytes) {
    *why = Refusal::kTooLarge;
    return Status::ResourceExhausted("upload of " + std::to_string(meta.size_bytes) +
                                     " bytes is over the bound of " +
                                     std::to_string(options_.max_upload_bytes));
  }
  if (meta.sha256_hex.size() != 64) {
    return Status::InvalidArgument("upload needs a SHA-256 of 64 hex digits");
  }
  Result<JobRecord> held = HeldLease(meta.credentials, meta.lease_id, meta.job_id);
  if (!held.ok()) {
    *why = Blame(held.status(), StatusCode::kFailedPrecondition, Refusal::kBadLease);
    return held.status();
  }
  *why = Refusal::kInternal;
  FG_ASSIGN_OR_RETURN(const uint64_t bound, UploadBound(held->sequence_id));
  if (meta.size_bytes > bound) {
    *why = Refusal::kTooLarge;
    return Status::ResourceExhausted("upload of " + std::to_string(meta.size_bytes) +
                                     " bytes is over the bound of " + std::to_string(bound) +
                                     " for a frame of this job's size");
  }
  if (lease_deadline_ms != nullptr) *lease_deadline_ms = held->deadline_ms;
  return Status::Ok();
}

Result<Image> Scheduler::ReferenceRender(const SequenceRecord& sequence, int frame) {
  FG_ASSIGN_OR_RETURN(FrameJob job, FrameOf(sequence.id, frame));
  FrameRenderOptions options;
  options.threads = options_.reference_threads;
  options.size_scale = options_.validation.reference_size_scale;
  options.quality_scale = options_.validation.reference_quality_scale;
  return renderer_.RenderFrame(job, options);
}

Result<Image> Scheduler::LoadFrame(const std::string& path) {
  FG_ASSIGN_OR_RETURN(std::string bytes, env_->ReadFile(path, options_.max_upload_bytes));
  return DecodeImage(bytes);
}

Status Scheduler::Quarantine(int64_t worker_id, const std::string& why) {
  GridLog("quarantining worker %lld: %s", static_cast<long long>(worker_id),
          Printable(why).c_str());
  FG_RETURN_IF_ERROR(store_.QuarantineWorker(worker_id));
  std::lock_guard lock(mu_);
  workers_.erase(worker_id);  // reload with the flag on next use
  recheck_queue_.push_back(worker_id);
  return Status::Ok();
}

Result<std::string> Scheduler::FinishUpload(const UploadMeta& meta, std::string_view bytes) {
  Refusal why = Refusal::kInternal;
  Result<std::string> committed = CommitUpload(meta, bytes, &why);
  if (metrics_ != nullptr) {
    if (committed.ok()) {
      metrics_->FrameAccepted();
    } else {
      metrics_->FrameRefused(why);
    }
  }
  return committed;
}

Result<JobRecord> Scheduler::CheckUploadBytes(const UploadMeta& meta, std::string_view bytes,
                                              Refusal* why) {
  if (Status s = Authenticate(meta.credentials).status(); !s.ok()) {
    *why = Blame(s, StatusCode::kPermissionDenied, Refusal::kUnauthorized);
    return s;
  }
  Result<JobRecord> held = HeldLease(meta.credentials, meta.lease_id, meta.job_id);
  if (!held.ok()) {
    *why = Blame(held.status(), StatusCode::kFailedPrecondition, Refusal::kBadLease);
    return held.status();
  }
  if (bytes.size() != meta.size_bytes) {
    *why = Refusal::kBadSize;
    return Status::InvalidArgument("upload carried " + std::to_string(bytes.size()) +
                                   " bytes, the header declared " +
                                   std::to_string(meta.size_bytes));
  }
  if (Sha256Hex(bytes) != meta.sha256_hex) {
    *why = Refusal::kBadHash;
    return Status::Corruption("upload does not match its SHA-256 (sent " + meta.sha256_hex + ")");
  }
  return held;
}

UploadEvidence Scheduler::EvidenceFor(JudgedAt at, int64_t sequence_id, int frame) const {
  UploadEvidence evidence;
  evidence.at = at;
  evidence.policy = options_.validation;
  evidence.sequence_id = sequence_id;
  evidence.frame = frame;
  return evidence;
}

Result<UploadVerdict> Scheduler::Decide(UploadEvidence& evidence, const SequenceRecord& sequence,
                                        const Result<Image>& mine, const Result<Image>* replica) {
  UploadVerdict verdict = DecideUpload(evidence);
  if (verdict.kind != VerdictKind::kNeedReference) return verdict;
  FG_ASSIGN_OR_RETURN(Image reference, ReferenceRender(sequence, evidence.frame));
  // An unreadable frame is as far from the reference as a frame can be.
  evidence.reference_difference = mine.ok() ? FrameDifference(*mine, reference) : 1.0;
  if (replica != nullptr) {
    evidence.replica_reference_difference =
        replica->ok() ? FrameDifference(**replica, reference) : 1.0;
  }
  verdict = DecideUpload(evidence);
  if (verdict.kind == VerdictKind::kNeedReference) {
    return Status::Internal("the upload verdict asks for a comparison it was given");
  }
  return verdict;
}

Result<UploadVerdict> Scheduler::JudgeUpload(const JobRecord& job, const SequenceRecord& sequence,
                                             int64_t worker, std::string_view bytes,
                                             std::optional<ResultRecord>* first,
                                             FrameFault* fault) {
  UploadEvidence evidence = EvidenceFor(JudgedAt::kUpload, job.sequence_id, job.frame);
  const Result<Image> image =
      CheckUploadedFrame(bytes, sequence.width, sequence.height, &evidence.fault);
  *fault = evidence.fault;
  if (!image.ok()) {
    evidence.fault_detail = image.status().message();
    return DecideUpload(evidence);
  }
  FG_ASSIGN_OR_RETURN(WorkerRecord record, store_.GetWorker(worker));
  if (job.state != JobState::kReplicaLeased) {
    evidence.verified_results = record.verified_results;
    evidence.invalid_results = record.invalid_results;
    evidence.draw = Draw();
    return Decide(evidence, sequence, image, nullptr);
  }
  // A second volunteer's render is compared with the first one's.
  evidence.second_render = true;
  FG_ASSIGN_OR_RETURN(std::vector<ResultRecord> results, store_.ResultsOfJob(job.id));
  for (const ResultRecord& r : results) {
    if (r.state == ResultState::kPending) *first = r;
  }
  if (!*first) return DecideUpload(evidence);
  FG_ASSIGN_OR_RETURN(WorkerRecord first_worker, store_.GetWorker((*first)->worker_id));
  evidence.trusted = Trusted(record);
  evidence.replica_trusted = Trusted(first_worker);
  evidence.same_network = SameNetwork(record.address, first_worker.address);
  const Result<Image> first_image = LoadFrame((*first)->path);
  evidence.replica_difference = first_image.ok() ? FrameDifference(*image, *first_image) : 1.0;
  return Decide(evidence, sequence, image, &first_image);
}

Status Scheduler::RefuseUpload(const UploadMeta& meta, const JobRecord& job,
                               const UploadVerdict& verdict, FrameFault fault) {
  const int64_t worker = meta.credentials.worker_id;
  GridLog("refused frame %d of sequence %lld from worker %lld: %s", job.frame,
          static_cast<long long>(job.sequence_id), static_cast<long long>(worker),
          Printable(verdict.reason).c_str());
  JobFailure failure;
  failure.job_id = job.id;
  failure.lease_id = meta.lease_id;
  failure.worker_id = worker;
  failure.reason = verdict.reason;
  failure.refused_result = true;
  failure.quarantine_worker = verdict.quarantine_worker;
  // A frame judged wrong against the coordinator's render is the worker's
  // doing: the coordinator could render it. A broken image may be the frame's.
  FailureEvidence evidence;
  if (fault == FrameFault::kNone) evidence.reference_failed = false;
  FG_RETURN_IF_ERROR(CountFailure(job, std::move(failure), evidence));
  return Status::InvalidArgument(verdict.reason);
}

Result<std::string> Scheduler::CommitUpload(const UploadMeta& meta, std::string_view bytes,
                                            Refusal* why) {
  FG_ASSIGN_OR_RETURN(JobRecord job, CheckUploadBytes(meta, bytes, why));
  FG_ASSIGN_OR_RETURN(std::shared_ptr<const SequenceRecord> sequence, Sequence(job.sequence_id));
  const int64_t worker = meta.credentials.worker_id;
  std::optional<ResultRecord> first;  // the result this upload is a replica of
  FrameFault fault = FrameFault::kNone;
  FG_ASSIGN_OR_RETURN(UploadVerdict verdict,
                      JudgeUpload(job, *sequence, worker, bytes, &first, &fault));
  if (verdict.invalidate_replica) {
    FG_RETURN_IF_ERROR(store_.InvalidateResult(first->id, verdict.replica_reason));
    FG_RETURN_IF_ERROR(Quarantine(first->worker_id, verdict.replica_reason));
  }
  if (verdict.kind == VerdictKind::kRefuse) {
    *why = fault == FrameFault::kNone ? Refusal::kValidationMismatch : FrameRefusal(fault);
    return RefuseUpload(meta, job, verdict, fault);
  }

  const std::string dir = Join(Join(options_.data_dir, "frames"), std::to_string(job.sequence_id));
  FG_RETURN_IF_ERROR(env_->CreateDirectories(dir));
  // One file per upload attempt: a retried upload of the same lease racing
  // the first must not overwrite, nor on refusal delete, the committed file.
  char attempt[17];
  std::snprintf(attempt, sizeof attempt, "%016llx", static_cast<unsigned long long>(Draw()));
  ResultCommit commit;
  commit.job_id = job.id;
  commit.lease_id = meta.lease_id;
  commit.worker_id = worker;
  commit.path = Join(dir, std::to_string(job.frame) + "-" + std::to_string(meta.lease_id) + "-" +
                              attempt + ".png");
  commit.sha256_hex = meta.sha256_hex;
  commit.size = static_cast<int64_t>(bytes.size());
  commit.frame_final = verdict.kind == VerdictKind::kAccept;
  commit.check = ResultCheckName(verdict.check);
  if (verdict.confirm_replica) commit.confirmed_result_id = first->id;
  commit.now_ms = Now();
  FG_RETURN_IF_ERROR(env_->WriteFileAtomic(
      commit.path, bytes, options_.sync_full ? SyncPolicy::kSync : SyncPolicy::kNone));
  if (Status committed = store_.CommitResult(commit); !committed.ok()) {
    (void)env_->RemoveFile(commit.path);
    return committed;
  }
  GridLog("accepted frame %d of sequence %lld from worker %lld (%s)", job.frame,
          static_cast<long long>(job.sequence_id), static_cast<long long>(worker),
          commit.frame_final ? commit.check.c_str() : "waiting for a replica");
  return commit.frame_final ? "accepted (" + commit.check + " check)"
                            : std::string("stored; waiting for a second volunteer's render");
}

Result<int64_t> Scheduler::Submit(const SubmitSpec& spec) {
  FG_RETURN_IF_ERROR(CheckSubmit(spec, options_.submit_limits));
  if (submit_check_) FG_RETURN_IF_ERROR(submit_check_(spec.genome_xml));
  PlannedSequence planned;
  planned.spec = spec;
  planned.kind = "loop";
  const size_t name_at = spec.genome_xml.find("name=\"");
  if (name_at != std::string::npos) {
    const size_t end = spec.genome_xml.find('"', name_at + 6);
    if (end != std::string::npos)
      planned.name = spec.genome_xml.substr(name_at + 6, end - name_at - 6);
  }
  return Enter(planned);
}

Result<int64_t> Scheduler::SubmitPlanned(const PlannedSequence& planned) {
  if (planned.control_points_xml.empty()) {
    return Status::InvalidArgument("a planned sequence needs its control points");
  }
  FG_RETURN_IF_ERROR(CheckSubmit(planned.spec, options_.submit_limits));
  return Enter(planned);
}

Result<int64_t> Scheduler::Enter(const PlannedSequence& planned) {
  const SubmitSpec& spec = planned.spec;
  NewSequence n;
  n.control_points_xml = planned.control_points_xml;
  if (n.control_points_xml.empty()) {
    LoopPlan plan;
    plan.frames = spec.frames;
    plan.width = spec.width;
    plan.height = spec.height;
    plan.quality = spec.quality;
    Result<std::string> points = renderer_.PlanLoop(spec.genome_xml, plan);
    if (!points.ok()) return Status::InvalidArgument(points.status().message());
    n.control_points_xml = std::move(*points);
  }
  n.kind = planned.kind;
  n.name = planned.name;
  n.frames = spec.frames;
  n.width = spec.width;
  n.height = spec.height;
  n.quality = spec.quality;
  n.crf = spec.crf > 0 ? spec.crf : 20;
  n.fps = spec.fps > 0 ? spec.fps : 30;
  n.seed = spec.seed;
  n.genome_xml = spec.genome_xml;
  n.now_ms = Now();
  FG_ASSIGN_OR_RETURN(int64_t id, store_.CreateSequence(n));
  GridLog("sequence %lld: %s of %d frames at %dx%d submitted", static_cast<long long>(id),
          n.kind.c_str(), spec.frames, spec.width, spec.height);
  return id;
}

Result<GridSnapshot> Scheduler::Snapshot(const WorkerView& workers) {
  GridSnapshot s;
  FG_ASSIGN_OR_RETURN(s.sequences, store_.ListSequences());
  s.workers_offset = std::max<int64_t>(0, workers.offset);
  const int limit = std::clamp(workers.limit, 0, kMaxWorkerPage);
  if (limit > 0) {
    FG_ASSIGN_OR_RETURN(s.workers, store_.ListWorkersPage(s.workers_offset, limit));
  }
  if (workers.summary) {
    FG_ASSIGN_OR_RETURN(s.worker_counts, store_.CountWorkers(Now() - kWorkerSeenWindowMs,
                                                             options_.validation.trusted_after));
  }
  if (snapshot_hook_) snapshot_hook_(s);
  return s;
}

Status Scheduler::RecheckWorker(int64_t worker_id) {
  FG_ASSIGN_OR_RETURN(std::vector<ResultRecord> results, store_.ValidResultsOfWorker(worker_id));
  int invalidated = 0;
  for (const ResultRecord& r : results) {
    FG_ASSIGN_OR_RETURN(std::shared_ptr<const SequenceRecord> sequence, Sequence(r.sequence_id));
    UploadEvidence evidence = EvidenceFor(JudgedAt::kRecheck, r.sequence_id, r.frame);
    FG_ASSIGN_OR_RETURN(UploadVerdict verdict,
                        Decide(evidence, *sequence, LoadFrame(r.path), nullptr));
    if (verdict.kind == VerdictKind::kRefuse) {
      FG_RETURN_IF_ERROR(store_.InvalidateResult(r.id, verdict.reason));
      ++invalidated;
    }
  }
  GridLog("re-checked %zu frames of quarantined worker %lld: %d invalidated", results.size(),
          static_cast<long long>(worker_id), invalidated);
  return Status::Ok();
}

Status Scheduler::SettleStaleReplicas() {
  FG_ASSIGN_OR_RETURN(std::vector<JobRecord> stale,
                      store_.StaleReplicaJobs(Now() - options_.replica_wait_ms));
  for (const JobRecord& job : stale) {
    FG_ASSIGN_OR_RETURN(std::vector<ResultRecord> results, store_.ResultsOfJob(job.id));
    for (const ResultRecord& r : results) {
      if (r.state != ResultState::kPending) continue;
      // No second volunteer came: the coordinator checks the frame alone.
      FG_ASSIGN_OR_RETURN(std::shared_ptr<const SequenceRecord> sequence,
                          Sequence(job.sequence_id));
      UploadEvidence evidence = EvidenceFor(JudgedAt::kReplicaWait, job.sequence_id, job.frame);
      FG_ASSIGN_OR_RETURN(UploadVerdict verdict,
                          Decide(evidence, *sequence, LoadFrame(r.path), nullptr));
      if (verdict.kind == VerdictKind::kAccept) {
        FG_RETURN_IF_ERROR(store_.AcceptPendingResult(r.id, ResultCheckName(verdict.check), Now()));
      } else {
        FG_RETURN_IF_ERROR(store_.InvalidateResult(r.id, verdict.reason));
        if (verdict.quarantine_worker) FG_RETURN_IF_ERROR(Quarantine(r.worker_id, verdict.reason));
      }
    }
  }
  return Status::Ok();
}

Status Scheduler::AssembleFinished() {
  FG_ASSIGN_OR_RETURN(std::vector<SequenceRecord> ready,
                      store_.SequencesInState(SequenceState::kAssembling));
  for (const SequenceRecord& sequence : ready) {
    FG_ASSIGN_OR_RETURN(std::vector<std::string> paths, store_.FramePaths(sequence.id));
    const std::string video =
        Join(Join(options_.data_dir, "videos"), std::to_string(sequence.id) + ".mp4");
    VideoOptions video_options;
    video_options.fps = sequence.fps;
    video_options.crf = sequence.crf;
    video_options.preset = options_.video_preset;
    GridLog("sequence %lld: assembling %zu frames into %s", static_cast<long long>(sequence.id),
            paths.size(), video.c_str());
    Status s = AssembleMp4(paths, video, video_options);
    if (s.ok()) {
      FG_RETURN_IF_ERROR(store_.SetSequenceState(sequence.id, SequenceState::kDone, video, ""));
      GridLog("sequence %lld: done: %s", static_cast<long long>(sequence.id), video.c_str());
      events_.Push({SequenceEventKind::kFinished, sequence.id, video, ""});
    } else {
      GridLog("sequence %lld: assembly failed: %s", static_cast<long long>(sequence.id),
              s.ToString().c_str());
      FG_RETURN_IF_ERROR(store_.SetSequenceState(sequence.id, SequenceState::kFailed, "",
                                                 "assembly: " + s.ToString()));
      events_.Push({SequenceEventKind::kFailed, sequence.id, "", "assembly: " + s.ToString()});
    }
  }
  return Status::Ok();
}

void Scheduler::ReportFailed(const std::optional<FailedSequence>& failed) {
  if (!failed) return;
  GridLog("sequence %lld: failed: %s", static_cast<long long>(failed->sequence_id),
          Printable(failed->failure).c_str());
  events_.Push({SequenceEventKind::kFailed, failed->sequence_id, "", failed->failure});
}

Status Scheduler::Maintain() {
  const int64_t now = Now();
  FG_ASSIGN_OR_RETURN(std::vector<JobRecord> lapsed, store_.LapsedLeases(now));
  int freed = 0;
  for (const JobRecord& job : lapsed) {
    JobFailure f;
    f.job_id = job.id;
    f.lease_id = job.lease_id;
    f.worker_id = job.worker_id;
    f.reason = "lease expired (worker " + std::to_string(job.worker_id) +
               " did not return the frame before its deadline)";
    f.lapsed_before_ms = now;
    // A frame that hangs a worker could hang the coordinator's render too.
    FailureEvidence evidence;
    evidence.reference_possible = false;
    Status counted = CountFailure(job, std::move(f), evidence);
    // Uploaded, given back or extended meanwhile: not a lapse any more.
    if (counted.code() == StatusCode::kFailedPrecondition) continue;
    FG_RETURN_IF_ERROR(counted);
    ++freed;
  }
  if (freed > 0) GridLog("%d lease(s) lapsed; their jobs are reissued", freed);
  FG_RETURN_IF_ERROR(SettleStaleReplicas());
  for (;;) {
    int64_t worker = 0;
    {
      std::lock_guard lock(mu_);
      if (recheck_queue_.empty()) break;
      worker = recheck_queue_.front();
      recheck_queue_.pop_front();
    }
    FG_RETURN_IF_ERROR(RecheckWorker(worker));
  }
  return AssembleFinished();
}

}  // namespace flamegrid::coordinator
