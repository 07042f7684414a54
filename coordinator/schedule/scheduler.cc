#include "coordinator/schedule/scheduler.h"

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "coordinator/assemble/mp4_writer.h"
#include "proto/shared/digest.h"
#include "proto/shared/log.h"
#include "renderer/image/image_io.h"

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

Scheduler::Scheduler(Store& store, Env* env, grid::FrameRenderer& renderer,
                     SchedulerOptions options)
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
  FG_ASSIGN_OR_RETURN(std::vector<SequenceRecord> done, store_.SequencesInState(kSequenceDone));
  for (const SequenceRecord& sequence : done) {
    events_.Push({SequenceEventKind::kFinished, sequence.id, sequence.video_path, ""});
  }
  FG_ASSIGN_OR_RETURN(std::string seed_hex, RandomHex(8));
  random_.seed(std::stoull(seed_hex, nullptr, 16));
  return Status::Ok();
}

Result<Registration> Scheduler::Register(const std::string& name, int threads) {
  if (name.size() > 200) return Status::InvalidArgument("worker name longer than 200 bytes");
  Registration r;
  FG_ASSIGN_OR_RETURN(r.token, RandomHex(32));
  const std::string hash = Sha256Hex(r.token);
  FG_ASSIGN_OR_RETURN(r.worker_id, store_.CreateWorker(name, hash, threads, Now()));
  {
    std::lock_guard lock(mu_);
    workers_[r.worker_id] = WorkerAuth{hash, false};
  }
  GridLog("registered worker %lld \"%s\" (%d threads)", static_cast<long long>(r.worker_id),
          name.c_str(), threads);
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

namespace {

// The frame job of `frame` of `sequence`, without a lease: what the reference
// render draws and what Lease hands out once it adds the lease. The control
// points stay in the cached sequence record, shared rather than copied.
grid::FrameJob FrameOf(const std::shared_ptr<const SequenceRecord>& sequence, int frame) {
  grid::FrameJob job;
  job.sequence_id = sequence->id;
  job.frame = frame;
  job.frames_total = sequence->frames;
  job.width = sequence->width;
  job.height = sequence->height;
  job.seed = sequence->seed;
  job.control_points_xml =
      std::shared_ptr<const std::string>(sequence, &sequence->control_points_xml);
  return job;
}

}  // namespace

Result<std::optional<grid::FrameJob>> Scheduler::Lease(const Credentials& credentials) {
  FG_RETURN_IF_ERROR(Authenticate(credentials).status());
  const int64_t now = Now();
  const int64_t lease_id = static_cast<int64_t>(Draw() >> 2) + 1;
  FG_ASSIGN_OR_RETURN(std::optional<JobRecord> job, store_.LeaseJob(credentials.worker_id, lease_id,
                                                                    now, now + options_.lease_ms));
  if (!job) return std::optional<grid::FrameJob>();
  if (metrics_ != nullptr) metrics_->FrameLeased();
  FG_ASSIGN_OR_RETURN(std::shared_ptr<const SequenceRecord> sequence, Sequence(job->sequence_id));
  grid::FrameJob leased = FrameOf(sequence, job->frame);
  leased.job_id = job->id;
  leased.lease_id = job->lease_id;
  leased.deadline_unix_ms = job->deadline_ms;
  // lease_ms is at most a week (serve options), so a quarter of it fits an int.
  leased.heartbeat_interval_ms = static_cast<int>(std::max<int64_t>(100, options_.lease_ms / 4));
  leased.max_upload_bytes = options_.max_upload_bytes;
  return std::optional<grid::FrameJob>(std::move(leased));
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
      (job->state != kJobLeased && job->state != kJobReplicaLeased) ||
      (job_id != 0 && job->id != job_id)) {
    return Status::FailedPrecondition("lease " + std::to_string(lease_id) +
                                      " is not held by worker " +
                                      std::to_string(credentials.worker_id));
  }
  return job;
}

Result<int64_t> Scheduler::Heartbeat(const Credentials& credentials, int64_t lease_id) {
  FG_RETURN_IF_ERROR(Authenticate(credentials).status());
  const int64_t deadline = Now() + options_.lease_ms;
  FG_RETURN_IF_ERROR(store_.ExtendLease(lease_id, credentials.worker_id, deadline));
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
  f.counts_against_job = render_failed;
  f.max_failures = options_.max_failures;
  f.now_ms = Now();
  GridLog("job %lld (sequence %lld frame %d) %s", static_cast<long long>(job.id),
          static_cast<long long>(job.sequence_id), job.frame, f.reason.c_str());
  return store_.FailJob(f);
}

void Scheduler::SetMetrics(Metrics* metrics) {
  metrics_ = metrics;
  if (metrics_ == nullptr) return;
  metrics_->OnScrape([this](Metrics& m) {
    Result<GridCounts> counts = store_.Counts(Now() - 3'600'000);
    if (!counts.ok()) return;  // the scrape shows the last levels
    GridLevels levels;
    levels.sequences_by_state = std::move(counts->sequences_by_state);
    levels.leases_outstanding = counts->leases_outstanding;
    levels.workers_seen_last_hour = counts->workers_seen;
    m.SetGrid(levels);
  });
}

Status Scheduler::BeginUpload(const UploadMeta& meta) {
  Refusal why = Refusal::kInternal;
  Status checked = CheckUpload(meta, &why);
  if (!checked.ok()) CountRefusedUpload(why);
  return checked;
}

Status Scheduler::CheckUpload(const UploadMeta& meta, Refusal* why) {
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
  Status held = HeldLease(meta.credentials, meta.lease_id, meta.job_id).status();
  *why = Blame(held, StatusCode::kFailedPrecondition, Refusal::kBadLease);
  return held;
}

Result<Image> Scheduler::ReferenceRender(const SequenceRecord& sequence, int frame) {
  FG_ASSIGN_OR_RETURN(std::shared_ptr<const SequenceRecord> full, Sequence(sequence.id));
  grid::FrameRenderOptions options;
  options.threads = options_.reference_threads;
  options.size_scale = options_.validation.reference_size_scale;
  options.quality_scale = options_.validation.reference_quality_scale;
  return renderer_.RenderFrame(FrameOf(full, frame), options);
}

Result<Image> Scheduler::LoadFrame(const std::string& path) {
  FG_ASSIGN_OR_RETURN(std::string bytes, env_->ReadFile(path, options_.max_upload_bytes));
  return DecodeImage(bytes);
}

Status Scheduler::Quarantine(int64_t worker_id, const std::string& why) {
  GridLog("quarantining worker %lld: %s", static_cast<long long>(worker_id), why.c_str());
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

Result<std::string> Scheduler::CommitUpload(const UploadMeta& meta, std::string_view bytes,
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
  JobRecord job = std::move(*held);
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
  FG_ASSIGN_OR_RETURN(std::shared_ptr<const SequenceRecord> sequence, Sequence(job.sequence_id));
  const int64_t worker = meta.credentials.worker_id;

  JobFailure failure;
  failure.job_id = job.id;
  failure.lease_id = meta.lease_id;
  failure.worker_id = worker;
  failure.max_failures = options_.max_failures;
  failure.counts_against_worker = true;
  failure.now_ms = Now();

  FrameFault fault = FrameFault::kNone;
  Result<Image> image = CheckUploadedFrame(bytes, sequence->width, sequence->height, &fault);
  if (!image.ok()) {
    *why = FrameRefusal(fault);
    failure.reason = image.status().message();
    GridLog("refused frame %d of sequence %lld from worker %lld: %s", job.frame,
            static_cast<long long>(job.sequence_id), static_cast<long long>(worker),
            failure.reason.c_str());
    FG_RETURN_IF_ERROR(store_.FailJob(failure));
    return image.status();
  }

  const std::string dir = Join(Join(options_.data_dir, "frames"), std::to_string(job.sequence_id));
  FG_RETURN_IF_ERROR(env_->CreateDirectories(dir));
  // One file per upload attempt: a retried upload of the same lease racing
  // the first must not overwrite, nor on refusal delete, the committed file.
  char attempt[17];
  std::snprintf(attempt, sizeof attempt, "%016llx", static_cast<unsigned long long>(Draw()));
  const std::string path = Join(dir, std::to_string(job.frame) + "-" +
                                         std::to_string(meta.lease_id) + "-" + attempt + ".png");
  FG_RETURN_IF_ERROR(env_->WriteFileAtomic(
      path, bytes, options_.sync_full ? SyncPolicy::kSync : SyncPolicy::kNone));

  ResultCommit commit;
  commit.job_id = job.id;
  commit.lease_id = meta.lease_id;
  commit.worker_id = worker;
  commit.path = path;
  commit.sha256_hex = meta.sha256_hex;
  commit.size = static_cast<int64_t>(bytes.size());
  commit.now_ms = failure.now_ms;

  // Refuses this upload as a cheat: the job goes back, the worker is quarantined.
  auto refuse = [&](const std::string& reason) -> Status {
    *why = Refusal::kValidationMismatch;
    (void)env_->RemoveFile(path);
    failure.reason = reason;
    failure.quarantine_worker = true;
    FG_RETURN_IF_ERROR(store_.FailJob(failure));
    FG_RETURN_IF_ERROR(Quarantine(worker, reason));
    return Status::InvalidArgument(reason);
  };
  auto difference_text = [](double d) { return std::to_string(d).substr(0, 5); };

  if (job.state == kJobReplicaLeased) {
    // A second volunteer's render: compare it with the first.
    FG_ASSIGN_OR_RETURN(std::vector<ResultRecord> results, store_.ResultsOfJob(job.id));
    const ResultRecord* first = nullptr;
    for (const ResultRecord& r : results) {
      if (r.state == kResultPending) first = &r;
    }
    if (first != nullptr) {
      Result<Image> first_image = LoadFrame(first->path);
      const double d = first_image.ok() ? FrameDifference(*image, *first_image) : 1.0;
      if (d <= options_.validation.replica_tolerance) {
        commit.frame_final = true;
        commit.check = "replica";
        commit.confirmed_result_id = first->id;
      } else {
        // They disagree: the coordinator's own render decides who is wrong.
        FG_ASSIGN_OR_RETURN(Image reference, ReferenceRender(*sequence, job.frame));
        const double mine = FrameDifference(*image, reference);
        const double theirs = first_image.ok() ? FrameDifference(*first_image, reference) : 1.0;
        const double tolerance = options_.validation.reference_tolerance;
        if (theirs > tolerance) {
          FG_RETURN_IF_ERROR(store_.InvalidateResult(
              first->id, "disagreed with a replica and the reference render"));
          FG_RETURN_IF_ERROR(
              Quarantine(first->worker_id, "frame " + std::to_string(job.frame) + " of sequence " +
                                               std::to_string(job.sequence_id) +
                                               " differs from the reference render by " +
                                               difference_text(theirs)));
        }
        if (mine > tolerance) {
          return refuse("frame differs from the reference render by " + difference_text(mine) +
                        " (tolerance " + difference_text(tolerance) + ")");
        }
        commit.frame_final = true;
        commit.check = "reference";
      }
    }
    if (commit.check.empty()) {  // the first result vanished: judge this one alone
      commit.frame_final = false;
      commit.check = "pending";
    }
  } else {
    FG_ASSIGN_OR_RETURN(WorkerRecord record, store_.GetWorker(worker));
    const CheckKind kind =
        ChooseCheck(options_.validation, record.valid_results, record.invalid_results, Draw());
    if (kind == CheckKind::kReplica) {
      commit.frame_final = false;
      commit.check = "pending";
    } else {
      if (kind == CheckKind::kReference) {
        FG_ASSIGN_OR_RETURN(Image reference, ReferenceRender(*sequence, job.frame));
        const double d = FrameDifference(*image, reference);
        if (d > options_.validation.reference_tolerance) {
          return refuse("frame differs from the reference render by " + difference_text(d) +
                        " (tolerance " + difference_text(options_.validation.reference_tolerance) +
                        ")");
        }
      }
      commit.frame_final = true;
      commit.check = CheckKindName(kind);
    }
  }

  Status committed = store_.CommitResult(commit);
  if (!committed.ok()) {
    (void)env_->RemoveFile(path);
    return committed;
  }
  GridLog("accepted frame %d of sequence %lld from worker %lld (%s)", job.frame,
          static_cast<long long>(job.sequence_id), static_cast<long long>(worker),
          commit.frame_final ? commit.check.c_str() : "waiting for a replica");
  return commit.frame_final ? "accepted (" + commit.check + " check)"
                            : std::string("stored; waiting for a second volunteer's render");
}

Result<int64_t> Scheduler::Submit(const SubmitSpec& spec) {
  if (spec.frames < 2 || spec.frames > 100000) {
    return Status::InvalidArgument("frames must be between 2 and 100000");
  }
  if (spec.width < 16 || spec.height < 16 || spec.width > 8192 || spec.height > 8192) {
    return Status::InvalidArgument("size must be between 16x16 and 8192x8192");
  }
  if (spec.crf < 0 || spec.crf > 51) return Status::InvalidArgument("crf must be 0..51");
  grid::LoopPlan plan;
  plan.frames = spec.frames;
  plan.width = spec.width;
  plan.height = spec.height;
  plan.quality = spec.quality;
  if (submit_check_) FG_RETURN_IF_ERROR(submit_check_(spec.genome_xml));
  Result<std::string> points = renderer_.PlanLoop(spec.genome_xml, plan);
  if (!points.ok()) {
    return Status::InvalidArgument(points.status().message());
  }
  NewSequence n;
  n.kind = "loop";
  const size_t name_at = spec.genome_xml.find("name=\"");
  if (name_at != std::string::npos) {
    const size_t end = spec.genome_xml.find('"', name_at + 6);
    if (end != std::string::npos) n.name = spec.genome_xml.substr(name_at + 6, end - name_at - 6);
  }
  n.frames = spec.frames;
  n.width = spec.width;
  n.height = spec.height;
  n.quality = spec.quality;
  n.crf = spec.crf > 0 ? spec.crf : 20;
  n.fps = spec.fps > 0 ? spec.fps : 30;
  n.seed = spec.seed;
  n.genome_xml = spec.genome_xml;
  n.control_points_xml = std::move(*points);
  n.now_ms = Now();
  FG_ASSIGN_OR_RETURN(int64_t id, store_.CreateSequence(n));
  GridLog("sequence %lld: loop of %d frames at %dx%d submitted", static_cast<long long>(id),
          spec.frames, spec.width, spec.height);
  return id;
}

Result<GridSnapshot> Scheduler::Snapshot() {
  GridSnapshot s;
  FG_ASSIGN_OR_RETURN(s.sequences, store_.ListSequences());
  FG_ASSIGN_OR_RETURN(s.workers, store_.ListWorkers());
  if (snapshot_hook_) snapshot_hook_(s);
  return s;
}

Status Scheduler::RecheckWorker(int64_t worker_id) {
  FG_ASSIGN_OR_RETURN(std::vector<ResultRecord> results, store_.ValidResultsOfWorker(worker_id));
  int invalidated = 0;
  for (const ResultRecord& r : results) {
    Result<Image> mine = LoadFrame(r.path);
    // Frame files are DATA/frames/SEQUENCE/FRAME-LEASE-ATTEMPT.png (FinishUpload names them).
    const std::filesystem::path p(r.path);
    const int64_t sequence_id = std::stoll(p.parent_path().filename().string());
    const int frame = std::stoi(p.filename().string());
    FG_ASSIGN_OR_RETURN(std::shared_ptr<const SequenceRecord> sequence, Sequence(sequence_id));
    FG_ASSIGN_OR_RETURN(Image reference, ReferenceRender(*sequence, frame));
    const double d = mine.ok() ? FrameDifference(*mine, reference) : 1.0;
    if (d > options_.validation.reference_tolerance) {
      FG_RETURN_IF_ERROR(store_.InvalidateResult(
          r.id, "re-checked after its worker was quarantined: differs from the reference"));
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
      if (r.state != kResultPending) continue;
      // No second volunteer came: the coordinator checks the frame alone.
      FG_ASSIGN_OR_RETURN(std::shared_ptr<const SequenceRecord> sequence,
                          Sequence(job.sequence_id));
      Result<Image> mine = LoadFrame(r.path);
      FG_ASSIGN_OR_RETURN(Image reference, ReferenceRender(*sequence, job.frame));
      const double d = mine.ok() ? FrameDifference(*mine, reference) : 1.0;
      if (d <= options_.validation.reference_tolerance) {
        FG_RETURN_IF_ERROR(store_.AcceptPendingResult(r.id, "reference", Now()));
      } else {
        FG_RETURN_IF_ERROR(store_.InvalidateResult(r.id, "differs from the reference render"));
        FG_RETURN_IF_ERROR(Quarantine(r.worker_id, "frame " + std::to_string(job.frame) +
                                                       " differs from the reference render"));
      }
    }
  }
  return Status::Ok();
}

Status Scheduler::AssembleFinished() {
  FG_ASSIGN_OR_RETURN(std::vector<SequenceRecord> ready,
                      store_.SequencesInState(kSequenceAssembling));
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
      FG_RETURN_IF_ERROR(store_.SetSequenceState(sequence.id, kSequenceDone, video, ""));
      GridLog("sequence %lld: done: %s", static_cast<long long>(sequence.id), video.c_str());
      events_.Push({SequenceEventKind::kFinished, sequence.id, video, ""});
    } else {
      GridLog("sequence %lld: assembly failed: %s", static_cast<long long>(sequence.id),
              s.ToString().c_str());
      FG_RETURN_IF_ERROR(
          store_.SetSequenceState(sequence.id, kSequenceFailed, "", "assembly: " + s.ToString()));
      events_.Push({SequenceEventKind::kFailed, sequence.id, "", "assembly: " + s.ToString()});
    }
  }
  return Status::Ok();
}

Status Scheduler::Maintain() {
  FG_ASSIGN_OR_RETURN(int lapsed, store_.ExpireLeases(Now(), options_.max_failures));
  if (lapsed > 0) GridLog("%d lease(s) lapsed; their jobs are reissued", lapsed);
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
