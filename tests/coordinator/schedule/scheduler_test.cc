// Tests of the coordinator's Scheduler (coordinator/schedule/scheduler.h) on
// its own: the real Scheduler on a real SQLite store in a temporary folder,
// wrapped by a FaultyStore (fails chosen store calls), with a FaultyEnv
// (frozen clock, full disks) and the synthetic frame renderer, whose frames
// the tests render and encode as PNG the way a worker uploads them. Leases
// lapse and are reissued, heartbeats hold them; replicas that agree are
// accepted, replicas that disagree and results that waited too long are
// settled with the coordinator's own render; a quarantined worker's other
// frames are re-checked and re-rendered; failures in the middle of an upload
// lose nothing and leave no orphan file; refused uploads free their job.
// Plus the rules of the upload verdict (coordinator/validate/verdict.h).
#include "coordinator/schedule/scheduler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "coordinator/validate/verdict.h"
#include "proto/shared/digest.h"
#include "proto/shared/frame_renderer.h"
#include "renderer/genome/flam3_xml.h"
#include "renderer/image/image_io.h"
#include "tests/coordinator/store/faulty_store.h"
#include "tests/proto/shared/faulty_env.h"

namespace flamegrid::coordinator {
namespace {

namespace fs = std::filesystem;
using testing::FaultyEnv;
using testing::FaultyStore;

constexpr int64_t kLeaseMs = 10'000;
constexpr int64_t kReplicaWaitMs = 60'000;
constexpr int kFrames = 4;
constexpr int kWidth = 64;
constexpr int kHeight = 48;

// A new worker's results wait for a replica (the default policy).
SchedulerOptions ReplicatingOptions() {
  SchedulerOptions options;
  options.lease_ms = kLeaseMs;
  options.replica_wait_ms = kReplicaWaitMs;
  return options;
}

// Every worker is trusted from the start: its results are final at once
// (the spot check comes once in a billion), unless it has a bad record.
SchedulerOptions TrustingOptions() {
  SchedulerOptions options = ReplicatingOptions();
  options.validation.new_worker_replicas = 0;
  options.validation.trusted_after = 0;
  options.validation.trusted_spot_check_every = 1'000'000'000;
  return options;
}

class SchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/flamegrid-scheduler-test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    env_.SetNowMs(1'700'000'000'000);
    renderer_ = MakeSyntheticFrameRenderer();
  }
  void TearDown() override {
    scheduler_.reset();
    faulty_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  void Start(SchedulerOptions options) {
    auto store = OpenSqliteStore(dir_ + "/grid.db");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    faulty_ = std::make_unique<FaultyStore>(*store_);
    options.data_dir = dir_;
    scheduler_ = std::make_unique<Scheduler>(*faulty_, &env_, *renderer_, options);
    ASSERT_TRUE(scheduler_->Start().ok());
  }

  int64_t SubmitLoop() {
    SubmitSpec spec;
    spec.genome_xml = "<flame name=\"test\"/>";
    spec.frames = kFrames;
    spec.width = kWidth;
    spec.height = kHeight;
    spec.quality = 5;
    Result<int64_t> id = scheduler_->Submit(spec);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  Credentials Register(const std::string& name) {
    Result<Registration> r = scheduler_->Register(name, 1);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? Credentials{r->worker_id, r->token} : Credentials{};
  }

  // A job leased to `worker`; a test failure when none is offered.
  FrameJob LeaseOne(const Credentials& worker) {
    Result<std::optional<FrameJob>> leased = scheduler_->Lease(worker);
    EXPECT_TRUE(leased.ok()) << leased.status().ToString();
    if (!leased.ok() || !leased->has_value()) {
      ADD_FAILURE() << "no job for worker " << worker.worker_id;
      return {};
    }
    return **leased;
  }

  // The PNG a worker uploads for frame `frame` of the leased sequence
  // (the job's own frame: an honest render; another frame: a wrong one).
  std::string RenderPng(const FrameJob& leased, int frame, int width = kWidth,
                        int height = kHeight) {
    if (leased.control_points_xml == nullptr) return "";  // LeaseOne failed the test already
    FrameJob job = leased;
    job.frame = frame;
    job.width = width;
    job.height = height;
    Result<Image> image = renderer_->RenderFrame(job, {});
    EXPECT_TRUE(image.ok()) << image.status().ToString();
    Result<std::string> png = EncodeImage(*image, "png", {});
    EXPECT_TRUE(png.ok()) << png.status().ToString();
    return png.ok() ? *png : std::string();
  }
  std::string HonestPng(const FrameJob& leased) { return RenderPng(leased, leased.frame); }
  // Half a loop away: as far from the right frame as the pattern gets.
  std::string WrongPng(const FrameJob& leased) {
    return RenderPng(leased, (leased.frame + kFrames / 2) % kFrames);
  }

  Result<std::string> Upload(const Credentials& worker, const FrameJob& leased,
                             const std::string& bytes) {
    UploadMeta meta;
    meta.credentials = worker;
    meta.lease_id = leased.lease_id;
    meta.job_id = leased.job_id;
    meta.size_bytes = bytes.size();
    meta.sha256_hex = Sha256Hex(bytes);
    FG_RETURN_IF_ERROR(scheduler_->BeginUpload(meta));
    return scheduler_->FinishUpload(meta, bytes);
  }

  // Every file under DATA/frames.
  std::vector<std::string> FrameFiles() {
    std::vector<std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir_ + "/frames")) {
      if (entry.is_regular_file()) files.push_back(entry.path().string());
    }
    return files;
  }

  std::vector<ResultRecord> ResultsOf(int64_t job_id) {
    Result<std::vector<ResultRecord>> results = store_->ResultsOfJob(job_id);
    EXPECT_TRUE(results.ok()) << results.status().ToString();
    return results.ok() ? *results : std::vector<ResultRecord>{};
  }

  std::string dir_;
  FaultyEnv env_;  // its clock moves only when a test advances it
  std::unique_ptr<FrameRenderer> renderer_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<FaultyStore> faulty_;
  std::unique_ptr<Scheduler> scheduler_;
};

class SchedulerLeaseTest : public SchedulerTest {};
class SchedulerValidationTest : public SchedulerTest {};
class SchedulerFaultTest : public SchedulerTest {};

TEST_F(SchedulerLeaseTest, LapsedLeaseIsReissuedToAnotherWorker) {
  Start(ReplicatingOptions());
  SubmitLoop();
  const Credentials a = Register("a"), b = Register("b");
  const FrameJob first = LeaseOne(a);
  EXPECT_EQ(first.deadline_unix_ms, scheduler_->Now() + kLeaseMs);

  env_.AdvanceMs(kLeaseMs + 1);
  ASSERT_TRUE(scheduler_->Maintain().ok());
  const FrameJob again = LeaseOne(b);
  EXPECT_EQ(again.job_id, first.job_id);  // the lapsed job comes back first
  EXPECT_NE(again.lease_id, first.lease_id);
  // The first worker's lease is gone: its late upload is refused.
  Result<std::string> late = Upload(a, first, HonestPng(first));
  EXPECT_EQ(late.status().code(), StatusCode::kFailedPrecondition) << late.status().ToString();
  EXPECT_TRUE(Upload(b, again, HonestPng(again)).ok());
}

TEST_F(SchedulerLeaseTest, HeartbeatsExtendTheDeadline) {
  Start(ReplicatingOptions());
  SubmitLoop();
  const Credentials a = Register("a"), b = Register("b");
  const FrameJob held = LeaseOne(a);
  for (int beat = 0; beat < 3; ++beat) {
    env_.AdvanceMs(kLeaseMs * 3 / 4);
    ASSERT_TRUE(scheduler_->Maintain().ok());  // the last beat still holds the lease
    Result<int64_t> deadline = scheduler_->Heartbeat(a, held.lease_id);
    ASSERT_TRUE(deadline.ok()) << "beat " << beat << ": " << deadline.status().ToString();
    EXPECT_EQ(*deadline, scheduler_->Now() + kLeaseMs);
  }
  // Long past the first deadline, the job is still a's: b gets another one.
  EXPECT_GT(scheduler_->Now(), held.deadline_unix_ms);
  EXPECT_NE(LeaseOne(b).job_id, held.job_id);
  Result<std::string> uploaded = Upload(a, held, HonestPng(held));
  EXPECT_TRUE(uploaded.ok()) << uploaded.status().ToString();
}

TEST_F(SchedulerLeaseTest, AJobThatFailsTooOftenFailsItsSequenceAsAnEvent) {
  SchedulerOptions options = ReplicatingOptions();
  options.max_failures = 2;
  Start(options);
  const int64_t sequence = SubmitLoop();
  const Credentials a = Register("a");
  (void)scheduler_->TakeEvents();
  const FrameJob once = LeaseOne(a);
  ASSERT_TRUE(scheduler_->GiveBack(a, once.lease_id, "out of memory", true).ok());
  EXPECT_TRUE(scheduler_->TakeEvents().empty());
  const FrameJob twice = LeaseOne(a);
  ASSERT_EQ(twice.job_id, once.job_id);
  env_.AdvanceMs(kLeaseMs + 1);
  ASSERT_TRUE(scheduler_->Maintain().ok());  // the second failure: a lapse
  std::vector<SequenceEvent> events = scheduler_->TakeEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, SequenceEventKind::kFailed);
  EXPECT_EQ(events[0].sequence_id, sequence);
  EXPECT_NE(events[0].detail.find("lease expired"), std::string::npos) << events[0].detail;
  Result<SequenceRecord> record = store_->GetSequence(sequence);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->state, SequenceState::kFailed);
}

// Submit and SubmitPlanned (the flock's edges) are both held to the submit
// limits, naming the field; nothing enters the store.
TEST_F(SchedulerLeaseTest, BothDoorsRefuseASpecPastTheSubmitLimits) {
  SchedulerOptions options = ReplicatingOptions();
  options.submit_limits.max_frames = kFrames - 1;
  Start(options);
  SubmitSpec spec;
  spec.genome_xml = "<flame name=\"test\"/>";
  spec.frames = kFrames;
  spec.width = kWidth;
  spec.height = kHeight;
  Result<int64_t> submitted = scheduler_->Submit(spec);
  EXPECT_EQ(submitted.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(submitted.status().message().find("frames"), std::string::npos);
  PlannedSequence edge;
  edge.spec = spec;
  edge.kind = "edge";
  edge.control_points_xml = spec.genome_xml;
  Result<int64_t> planned = scheduler_->SubmitPlanned(edge);
  EXPECT_EQ(planned.status().code(), StatusCode::kInvalidArgument);
  edge.spec.frames = kFrames - 1;
  edge.spec.quality = std::nan("");
  planned = scheduler_->SubmitPlanned(edge);
  EXPECT_EQ(planned.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(planned.status().message().find("quality"), std::string::npos);
  Result<std::vector<SequenceRecord>> sequences = store_->ListSequences();
  ASSERT_TRUE(sequences.ok());
  EXPECT_TRUE(sequences->empty());
}

// With the real loop planner, a leased job and the reference render carry
// the control points around their frame, not the whole loop's.
TEST_F(SchedulerLeaseTest, ALeasedJobCarriesOnlyItsFramesControlPoints) {
  renderer_ = MakeLibraryFrameRenderer();
  Start(TrustingOptions());
  SubmitSpec spec;
  spec.genome_xml =
      R"(<flame name="two" size="64 48" scale="20" quality="5" temporal_samples="4">)"
      R"(<xform weight="1" color="0" linear="1" coefs="0.5 0 0 0.5 0 0" animate="1"/>)"
      R"(<xform weight="1" color="1" spherical="1" coefs="0.5 0 0 0.5 0.5 0"/></flame>)";
  spec.frames = 200;
  spec.width = kWidth;
  spec.height = kHeight;
  spec.quality = 5;
  ASSERT_TRUE(scheduler_->Submit(spec).ok());
  const Credentials a = Register("a");
  for (int i = 0; i < 3; ++i) {
    const FrameJob job = LeaseOne(a);
    ASSERT_NE(job.control_points_xml, nullptr);
    Result<std::vector<Flame>> points = ParseFlam3(*job.control_points_xml);
    ASSERT_TRUE(points.ok()) << points.status().ToString();
    EXPECT_LE(points->size(), 5u) << "frame " << job.frame;
    EXPECT_LE(points->front().time, job.frame);
    EXPECT_GE(points->back().time, job.frame);
    Result<Image> image = renderer_->RenderFrame(job, {});
    EXPECT_TRUE(image.ok()) << image.status().ToString();
  }
}

TEST_F(SchedulerValidationTest, ReplicasThatAgreeAreAccepted) {
  Start(ReplicatingOptions());
  SubmitLoop();
  const Credentials a = Register("a"), b = Register("b");
  const FrameJob first = LeaseOne(a);
  Result<std::string> stored = Upload(a, first, HonestPng(first));
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_NE(stored->find("waiting"), std::string::npos) << *stored;
  // b is offered the frame that waits for a replica before any new one.
  const FrameJob second = LeaseOne(b);
  ASSERT_EQ(second.job_id, first.job_id);
  Result<std::string> accepted = Upload(b, second, HonestPng(second));
  ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
  EXPECT_EQ(*accepted, "accepted (replica check)");
  const std::vector<ResultRecord> results = ResultsOf(first.job_id);
  ASSERT_EQ(results.size(), 2u);
  for (const ResultRecord& r : results) {
    EXPECT_EQ(r.state, ResultState::kValid);
    EXPECT_EQ(r.check, "replica");
    EXPECT_EQ(r.frame, first.frame);
    EXPECT_EQ(r.sequence_id, first.sequence_id);
  }
}

TEST_F(SchedulerValidationTest, ReplicasThatDisagreeAreJudgedByTheReference) {
  Start(ReplicatingOptions());
  SubmitLoop();
  const Credentials cheat = Register("cheat"), honest = Register("honest");
  const FrameJob first = LeaseOne(cheat);
  ASSERT_TRUE(Upload(cheat, first, WrongPng(first)).ok());  // waits for a replica
  const FrameJob second = LeaseOne(honest);
  ASSERT_EQ(second.job_id, first.job_id);
  Result<std::string> accepted = Upload(honest, second, HonestPng(second));
  ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
  EXPECT_EQ(*accepted, "accepted (reference check)");
  const std::vector<ResultRecord> results = ResultsOf(first.job_id);
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].state, ResultState::kInvalid);  // the cheat's
  EXPECT_EQ(results[1].state, ResultState::kValid);
  EXPECT_EQ(results[1].check, "reference");
  // The cheat is quarantined: it may lease nothing more.
  EXPECT_EQ(scheduler_->Lease(cheat).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(SchedulerValidationTest, AWrongReplicaIsRefusedAndTheFirstStillWaits) {
  Start(ReplicatingOptions());
  SubmitLoop();
  const Credentials honest = Register("honest"), cheat = Register("cheat");
  const FrameJob first = LeaseOne(honest);
  ASSERT_TRUE(Upload(honest, first, HonestPng(first)).ok());
  const FrameJob second = LeaseOne(cheat);
  ASSERT_EQ(second.job_id, first.job_id);
  Result<std::string> refused = Upload(cheat, second, WrongPng(second));
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(scheduler_->Lease(cheat).status().code(), StatusCode::kPermissionDenied);
  const std::vector<ResultRecord> results = ResultsOf(first.job_id);
  ASSERT_EQ(results.size(), 1u);  // nothing of the cheat's was kept
  EXPECT_EQ(results[0].state, ResultState::kPending);
  EXPECT_EQ(FrameFiles().size(), 1u);
}

TEST_F(SchedulerValidationTest, AResultNoReplicaCameForIsSettledByTheReference) {
  Start(ReplicatingOptions());
  SubmitLoop();
  const Credentials honest = Register("honest"), cheat = Register("cheat");
  const FrameJob good = LeaseOne(honest);
  const FrameJob bad = LeaseOne(cheat);
  ASSERT_NE(good.job_id, bad.job_id);
  ASSERT_TRUE(Upload(honest, good, HonestPng(good)).ok());
  ASSERT_TRUE(Upload(cheat, bad, WrongPng(bad)).ok());

  env_.AdvanceMs(kReplicaWaitMs / 2);
  ASSERT_TRUE(scheduler_->Maintain().ok());  // not yet: both still wait
  EXPECT_EQ(ResultsOf(good.job_id)[0].state, ResultState::kPending);
  EXPECT_EQ(ResultsOf(bad.job_id)[0].state, ResultState::kPending);

  env_.AdvanceMs(kReplicaWaitMs);
  ASSERT_TRUE(scheduler_->Maintain().ok());
  const ResultRecord settled = ResultsOf(good.job_id)[0];
  EXPECT_EQ(settled.state, ResultState::kValid);
  EXPECT_EQ(settled.check, "reference");
  EXPECT_EQ(ResultsOf(bad.job_id)[0].state, ResultState::kInvalid);
  EXPECT_EQ(scheduler_->Lease(cheat).status().code(), StatusCode::kPermissionDenied);
  // The accepted frame counts; the refused one is rendered again.
  Result<std::vector<std::string>> paths = scheduler_->FramePaths(good.sequence_id);
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ((*paths)[good.frame], settled.path);
  EXPECT_EQ((*paths)[bad.frame], "");
  EXPECT_EQ(LeaseOne(honest).job_id, bad.job_id);
}

TEST_F(SchedulerValidationTest, QuarantineRechecksTheWorkersOtherFrames) {
  Start(TrustingOptions());
  const int64_t sequence = SubmitLoop();
  const Credentials cheat = Register("cheat"), honest = Register("honest");
  // Trusted, the cheat's wrong frames 0 and 1 are accepted at once.
  for (int frame = 0; frame < 2; ++frame) {
    const FrameJob leased = LeaseOne(cheat);
    ASSERT_EQ(leased.frame, frame);
    Result<std::string> accepted = Upload(cheat, leased, WrongPng(leased));
    ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
    EXPECT_EQ(*accepted, "accepted (trusted check)");
  }
  // A corrupt upload spoils its record: its next frame waits for a replica...
  const FrameJob corrupt = LeaseOne(cheat);
  EXPECT_FALSE(Upload(cheat, corrupt, "not a png").ok());
  const FrameJob replicated = LeaseOne(cheat);
  ASSERT_EQ(replicated.job_id, corrupt.job_id);
  Result<std::string> waiting = Upload(cheat, replicated, WrongPng(replicated));
  ASSERT_TRUE(waiting.ok()) << waiting.status().ToString();
  EXPECT_NE(waiting->find("waiting"), std::string::npos) << *waiting;
  // ...none comes; the reference catches it, and then its other frames.
  env_.AdvanceMs(kReplicaWaitMs + 1);
  ASSERT_TRUE(scheduler_->Maintain().ok());
  EXPECT_EQ(scheduler_->Lease(cheat).status().code(), StatusCode::kPermissionDenied);
  Result<std::vector<std::string>> paths = scheduler_->FramePaths(sequence);
  ASSERT_TRUE(paths.ok());
  for (const std::string& path : *paths) EXPECT_EQ(path, "");
  Result<std::vector<ResultRecord>> left = store_->ValidResultsOfWorker(cheat.worker_id);
  ASSERT_TRUE(left.ok());
  EXPECT_TRUE(left->empty());
  // The honest worker renders them again, and they count.
  for (int frame = 0; frame < 3; ++frame) {
    const FrameJob leased = LeaseOne(honest);
    EXPECT_EQ(leased.frame, frame);
    Result<std::string> accepted = Upload(honest, leased, HonestPng(leased));
    EXPECT_TRUE(accepted.ok()) << accepted.status().ToString();
  }
  Result<SequenceRecord> record = store_->GetSequence(sequence);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->frames_done, 3);
}

TEST_F(SchedulerFaultTest, ADiskFullWriteLosesNothingAndLeavesNoFile) {
  Start(TrustingOptions());
  const int64_t sequence = SubmitLoop();
  const Credentials a = Register("a");
  const FrameJob leased = LeaseOne(a);
  const std::string png = HonestPng(leased);
  env_.Fail(FaultyEnv::Op::kWrite, FaultyEnv::DiskFull(), 1, "frames/");
  Result<std::string> full = Upload(a, leased, png);
  EXPECT_EQ(full.status().code(), StatusCode::kResourceExhausted) << full.status().ToString();
  EXPECT_EQ(env_.Injected(), 1);
  EXPECT_TRUE(FrameFiles().empty());
  EXPECT_TRUE(ResultsOf(leased.job_id).empty());
  // The lease still holds: the retry commits the frame.
  Result<std::string> retried = Upload(a, leased, png);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  Result<std::vector<std::string>> paths = scheduler_->FramePaths(sequence);
  ASSERT_TRUE(paths.ok());
  EXPECT_EQ(FrameFiles(), std::vector<std::string>{(*paths)[leased.frame]});
}

TEST_F(SchedulerFaultTest, AFailedCommitLosesNothingAndLeavesNoFile) {
  Start(ReplicatingOptions());
  SubmitLoop();
  const Credentials a = Register("a");
  const FrameJob leased = LeaseOne(a);
  const std::string png = HonestPng(leased);
  faulty_->Fail(FaultyStore::Call::kCommitResult, Status::IoError("injected: disk I/O error"));
  Result<std::string> failed = Upload(a, leased, png);
  EXPECT_EQ(failed.status().code(), StatusCode::kIoError) << failed.status().ToString();
  EXPECT_EQ(faulty_->Injected(), 1);
  EXPECT_TRUE(FrameFiles().empty());
  EXPECT_TRUE(ResultsOf(leased.job_id).empty());
  Result<std::string> retried = Upload(a, leased, png);
  ASSERT_TRUE(retried.ok()) << retried.status().ToString();
  const std::vector<ResultRecord> results = ResultsOf(leased.job_id);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(FrameFiles(), std::vector<std::string>{results[0].path});
}

TEST_F(SchedulerFaultTest, ARefusedUploadLeavesItsJobLeasable) {
  Start(ReplicatingOptions());
  SubmitLoop();
  const Credentials a = Register("a"), b = Register("b");
  const FrameJob leased = LeaseOne(a);
  Result<std::string> small = Upload(a, leased, RenderPng(leased, leased.frame, 32, 24));
  EXPECT_EQ(small.status().code(), StatusCode::kInvalidArgument) << small.status().ToString();
  const FrameJob again = LeaseOne(b);
  EXPECT_EQ(again.job_id, leased.job_id);
  std::string corrupt = HonestPng(again);
  corrupt.resize(corrupt.size() / 2);
  Result<std::string> broken = Upload(b, again, corrupt);
  EXPECT_EQ(broken.status().code(), StatusCode::kInvalidArgument) << broken.status().ToString();
  const FrameJob third = LeaseOne(a);
  EXPECT_EQ(third.job_id, leased.job_id);
  EXPECT_TRUE(FrameFiles().empty());
  EXPECT_TRUE(ResultsOf(leased.job_id).empty());
  // Neither refusal quarantined anyone: each counts against its worker.
  Result<WorkerRecord> record = store_->GetWorker(b.worker_id);
  ASSERT_TRUE(record.ok());
  EXPECT_FALSE(record->quarantined);
  EXPECT_EQ(record->invalid_results, 1);
}

// The verdict's rules, without a scheduler.

UploadEvidence Evidence() {
  UploadEvidence e;
  e.valid_results = 100;  // trusted, and the draw is no spot check
  e.draw = 1;
  return e;
}

TEST(SchedulerVerdictTest, AFaultyImageIsRefusedWithoutQuarantine) {
  UploadEvidence e = Evidence();
  e.fault = FrameFault::kWrongSize;
  e.fault_detail = "wrong size";
  const UploadVerdict v = DecideUpload(e);
  EXPECT_EQ(v.kind, VerdictKind::kRefuse);
  EXPECT_FALSE(v.quarantine_worker);
  EXPECT_EQ(v.reason, "wrong size");
}

TEST(SchedulerVerdictTest, TrustDecidesTheCheck) {
  UploadEvidence e = Evidence();
  EXPECT_EQ(DecideUpload(e).kind, VerdictKind::kAccept);
  EXPECT_EQ(DecideUpload(e).check, ResultCheck::kTrusted);
  e.draw = 0;  // the spot check
  EXPECT_EQ(DecideUpload(e).kind, VerdictKind::kNeedReference);
  e.valid_results = 5;  // known, not yet trusted
  e.draw = 1;
  EXPECT_EQ(DecideUpload(e).kind, VerdictKind::kNeedReference);
  e.invalid_results = 1;  // a bad record: replicated
  EXPECT_EQ(DecideUpload(e).kind, VerdictKind::kAwaitReplica);
  EXPECT_EQ(DecideUpload(e).check, ResultCheck::kPending);
  e = Evidence();
  e.valid_results = 0;  // new
  EXPECT_EQ(DecideUpload(e).kind, VerdictKind::kAwaitReplica);
}

TEST(SchedulerVerdictTest, TheReferenceAcceptsOrRefusesAndQuarantines) {
  UploadEvidence e = Evidence();
  e.valid_results = 5;
  e.reference_difference = e.policy.reference_tolerance;
  UploadVerdict v = DecideUpload(e);
  EXPECT_EQ(v.kind, VerdictKind::kAccept);
  EXPECT_EQ(v.check, ResultCheck::kReference);
  e.reference_difference = e.policy.reference_tolerance + 0.01;
  v = DecideUpload(e);
  EXPECT_EQ(v.kind, VerdictKind::kRefuse);
  EXPECT_TRUE(v.quarantine_worker);
  EXPECT_NE(v.reason.find("reference"), std::string::npos) << v.reason;
}

TEST(SchedulerVerdictTest, ReplicasThatAgreeConfirmEachOther) {
  UploadEvidence e = Evidence();
  e.second_render = true;
  e.replica_difference = e.policy.replica_tolerance;
  const UploadVerdict v = DecideUpload(e);
  EXPECT_EQ(v.kind, VerdictKind::kAccept);
  EXPECT_EQ(v.check, ResultCheck::kReplica);
  EXPECT_TRUE(v.confirm_replica);
  EXPECT_FALSE(v.invalidate_replica);
}

TEST(SchedulerVerdictTest, ReplicasThatDisagreeAskTheReferenceWhoIsWrong) {
  UploadEvidence e = Evidence();
  e.second_render = true;
  e.replica_difference = e.policy.replica_tolerance + 0.01;
  EXPECT_EQ(DecideUpload(e).kind, VerdictKind::kNeedReference);
  const double good = 0.01, bad = e.policy.reference_tolerance + 0.2;
  // The first was wrong.
  e.reference_difference = good;
  e.replica_reference_difference = bad;
  UploadVerdict v = DecideUpload(e);
  EXPECT_EQ(v.kind, VerdictKind::kAccept);
  EXPECT_EQ(v.check, ResultCheck::kReference);
  EXPECT_TRUE(v.invalidate_replica);
  EXPECT_FALSE(v.confirm_replica);
  // This one is wrong.
  e.reference_difference = bad;
  e.replica_reference_difference = good;
  v = DecideUpload(e);
  EXPECT_EQ(v.kind, VerdictKind::kRefuse);
  EXPECT_TRUE(v.quarantine_worker);
  EXPECT_FALSE(v.invalidate_replica);
  EXPECT_FALSE(v.confirm_replica);
}

TEST(SchedulerVerdictTest, AVanishedFirstRenderLeavesThisOneWaiting) {
  UploadEvidence e = Evidence();
  e.second_render = true;
  EXPECT_EQ(DecideUpload(e).kind, VerdictKind::kAwaitReplica);
}

TEST(SchedulerVerdictTest, LaterChecksGoByTheReferenceAlone) {
  UploadEvidence e = Evidence();
  e.at = JudgedAt::kReplicaWait;
  EXPECT_EQ(DecideUpload(e).kind, VerdictKind::kNeedReference);
  e.reference_difference = 0.0;
  EXPECT_EQ(DecideUpload(e).kind, VerdictKind::kAccept);
  EXPECT_EQ(DecideUpload(e).check, ResultCheck::kReference);
  e.reference_difference = 1.0;
  EXPECT_TRUE(DecideUpload(e).quarantine_worker);
  // A quarantined worker's frame is only invalidated: it is quarantined already.
  e.at = JudgedAt::kRecheck;
  const UploadVerdict v = DecideUpload(e);
  EXPECT_EQ(v.kind, VerdictKind::kRefuse);
  EXPECT_FALSE(v.quarantine_worker);
}

}  // namespace
}  // namespace flamegrid::coordinator
