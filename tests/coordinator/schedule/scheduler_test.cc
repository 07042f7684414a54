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
#include <random>
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

  Credentials Register(const std::string& name, const std::string& address = "", int threads = 1) {
    Result<Registration> r = scheduler_->Register(name, threads, address);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? Credentials{r->worker_id, r->token} : Credentials{};
  }

  // A job leased to `worker`; a test failure when none is offered.
  FrameJob LeaseOne(const Credentials& worker) {
    Result<LeaseOffer> leased = scheduler_->Lease(worker);
    EXPECT_TRUE(leased.ok()) << leased.status().ToString();
    if (!leased.ok() || !leased->job.has_value()) {
      ADD_FAILURE() << "no job for worker " << worker.worker_id;
      return {};
    }
    return *leased->job;
  }
  // Whether the worker is offered a job now (a test failure on an error).
  bool Offered(const Credentials& worker, int* retry_after_ms = nullptr) {
    Result<LeaseOffer> leased = scheduler_->Lease(worker);
    EXPECT_TRUE(leased.ok()) << leased.status().ToString();
    if (leased.ok() && retry_after_ms != nullptr) *retry_after_ms = leased->retry_after_ms;
    return leased.ok() && leased->job.has_value();
  }

  // Makes `worker` trusted under `trusted_after = 1`: one honest frame,
  // settled by the reference when no replica came.
  void Vet(const Credentials& worker) {
    const FrameJob leased = LeaseOne(worker);
    ASSERT_TRUE(Upload(worker, leased, HonestPng(leased)).ok());
    env_.AdvanceMs(kReplicaWaitMs + 1);
    ASSERT_TRUE(scheduler_->Maintain().ok());
    Result<WorkerRecord> record = store_->GetWorker(worker.worker_id);
    ASSERT_TRUE(record.ok());
    ASSERT_EQ(record->verified_results, 1);
  }

  // The PNG of uniform noise a colluding worker uploads.
  std::string NoisePng(uint32_t seed) {
    Image image(kWidth, kHeight);
    std::mt19937 random(seed);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    for (int y = 0; y < kHeight; ++y) {
      for (int x = 0; x < kWidth; ++x) {
        float* p = image.Pixel(x, y);
        p[0] = unit(random);
        p[1] = unit(random);
        p[2] = unit(random);
        p[3] = 1.0f;
      }
    }
    Result<std::string> png = EncodeImage(image, "png", {});
    EXPECT_TRUE(png.ok()) << png.status().ToString();
    return png.ok() ? *png : std::string();
  }

  WorkerRecord Record(const Credentials& worker) {
    Result<WorkerRecord> record = store_->GetWorker(worker.worker_id);
    EXPECT_TRUE(record.ok()) << record.status().ToString();
    return record.ok() ? *record : WorkerRecord{};
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

TEST_F(SchedulerLeaseTest, AJobFailsOnlyWhenSeveralWorkersOneTrustedFailedIt) {
  SchedulerOptions options = TrustingOptions();
  options.max_failures = 2;
  options.job_failure_workers = 2;
  Start(options);
  const int64_t sequence = SubmitLoop();
  const Credentials a = Register("a"), b = Register("b"), c = Register("c");
  (void)scheduler_->TakeEvents();
  // One worker failing the frame, however often, counts against it alone.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const FrameJob leased = LeaseOne(a);
    ASSERT_EQ(leased.frame, 0);
    ASSERT_TRUE(scheduler_->GiveBack(a, leased.lease_id, "out of memory", true).ok());
  }
  EXPECT_TRUE(scheduler_->TakeEvents().empty());
  EXPECT_EQ(Record(a).failures, 2);
  // A second (trusted) worker fails it too: now it counts against the job...
  const FrameJob second = LeaseOne(b);
  ASSERT_EQ(second.frame, 0);
  ASSERT_TRUE(scheduler_->GiveBack(b, second.lease_id, "out of memory", true).ok());
  EXPECT_EQ(Record(b).failures, 0);
  EXPECT_TRUE(scheduler_->TakeEvents().empty());
  // ...and so does a third worker's lapse: the frame and its sequence fail.
  const FrameJob third = LeaseOne(c);
  ASSERT_EQ(third.frame, 0);
  env_.AdvanceMs(kLeaseMs + 1);
  ASSERT_TRUE(scheduler_->Maintain().ok());
  std::vector<SequenceEvent> events = scheduler_->TakeEvents();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, SequenceEventKind::kFailed);
  EXPECT_EQ(events[0].sequence_id, sequence);
  EXPECT_NE(events[0].detail.find("lease expired"), std::string::npos) << events[0].detail;
  Result<SequenceRecord> record = store_->GetSequence(sequence);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->state, SequenceState::kFailed);
  // A failed sequence's jobs are never leased again.
  EXPECT_FALSE(Offered(a));
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
  const Credentials a = Register("a", "", /*threads=*/3);  // three leases at once
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

TEST_F(SchedulerLeaseTest, UntrustedWorkersFailingAFrameCountAgainstThemWhileTheReferenceRenders) {
  SchedulerOptions options = ReplicatingOptions();
  options.max_failures = 1;
  options.throttle_after_failures = 0;
  options.quarantine_after_failures = 1000;
  Start(options);
  const int64_t sequence = SubmitLoop();
  // Many fresh identities give the frame back as unrenderable: the
  // coordinator renders it fine, so each failure is its worker's.
  for (int i = 0; i < 5; ++i) {
    const Credentials saboteur = Register("saboteur" + std::to_string(i));
    const FrameJob leased = LeaseOne(saboteur);
    ASSERT_EQ(leased.frame, 0);
    ASSERT_TRUE(scheduler_->GiveBack(saboteur, leased.lease_id, "cannot render", true).ok());
    EXPECT_EQ(Record(saboteur).failures, 1);
  }
  Result<SequenceRecord> record = store_->GetSequence(sequence);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->state, SequenceState::kRendering);
  EXPECT_TRUE(scheduler_->TakeEvents().empty());
}

TEST_F(SchedulerLeaseTest, AWorkerThatKeepsFailingIsThrottledThenQuarantined) {
  SchedulerOptions options = ReplicatingOptions();
  options.throttle_after_failures = 2;
  options.quarantine_after_failures = 4;
  Start(options);
  SubmitLoop();
  const Credentials saboteur = Register("saboteur", "", 4);
  for (int failure = 1; failure <= 4; ++failure) {
    const FrameJob leased = LeaseOne(saboteur);
    const std::string small = RenderPng(leased, leased.frame, kWidth / 2, kHeight / 2);
    EXPECT_EQ(Upload(saboteur, leased, small).status().code(), StatusCode::kInvalidArgument);
    if (failure >= 2 && failure < 4) {
      // Throttled: each failure costs a wait...
      int retry_after_ms = 0;
      EXPECT_FALSE(Offered(saboteur, &retry_after_ms));
      EXPECT_GE(retry_after_ms, 5'000);
      env_.AdvanceMs(retry_after_ms);
    }
    if (failure == 2) {
      // ...and it holds one lease at a time.
      const FrameJob held = LeaseOne(saboteur);
      env_.AdvanceMs(1'000);  // its bucket has tokens again: the cap alone refuses
      int retry_after_ms = 0;
      EXPECT_FALSE(Offered(saboteur, &retry_after_ms));
      EXPECT_GE(retry_after_ms, 5'000);
      ASSERT_TRUE(scheduler_->GiveBack(saboteur, held.lease_id, "stopping", false).ok());
    }
  }
  EXPECT_TRUE(Record(saboteur).quarantined);
  EXPECT_EQ(scheduler_->Lease(saboteur).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(SchedulerLeaseTest, OutstandingLeasesAreCappedByThreadsAndTheHardCap) {
  SchedulerOptions options = ReplicatingOptions();
  options.max_leases_per_worker = 3;
  Start(options);
  SubmitLoop();
  SubmitLoop();
  const Credentials one = Register("one", "", 1), many = Register("many", "", 64),
                    none = Register("none", "", 0);
  LeaseOne(one);
  EXPECT_FALSE(Offered(one));
  LeaseOne(none);  // no threads declared still means one lease
  EXPECT_FALSE(Offered(none));
  for (int i = 0; i < 3; ++i) LeaseOne(many);
  EXPECT_FALSE(Offered(many));
  // Work remains for others: the caps left it in the pool.
  const Credentials other = Register("other");
  LeaseOne(other);
}

TEST_F(SchedulerLeaseTest, LeaseCallsAreRateLimitedPerWorker) {
  SchedulerOptions options = ReplicatingOptions();
  options.lease_calls_per_second = 2;
  options.lease_call_burst = 3;
  Start(options);
  SubmitLoop();
  SubmitLoop();
  const Credentials greedy = Register("greedy", "", 8), calm = Register("calm");
  for (int i = 0; i < 3; ++i) LeaseOne(greedy);
  int retry_after_ms = 0;
  EXPECT_FALSE(Offered(greedy, &retry_after_ms));
  EXPECT_EQ(retry_after_ms, 500);  // one token at 2 a second
  LeaseOne(calm);                  // another worker's bucket is its own
  env_.AdvanceMs(500);
  LeaseOne(greedy);
}

TEST_F(SchedulerLeaseTest, HeartbeatsCannotKeepALeasePastItsLongestLife) {
  SchedulerOptions options = ReplicatingOptions();
  options.lease_max_ms = 2 * kLeaseMs;
  Start(options);
  SubmitLoop();
  const Credentials hoarder = Register("hoarder"), honest = Register("honest");
  const FrameJob held = LeaseOne(hoarder);
  env_.AdvanceMs(kLeaseMs * 3 / 4);
  Result<int64_t> deadline = scheduler_->Heartbeat(hoarder, held.lease_id);
  ASSERT_TRUE(deadline.ok()) << deadline.status().ToString();
  EXPECT_EQ(*deadline, scheduler_->Now() + kLeaseMs);
  env_.AdvanceMs(kLeaseMs * 3 / 4);
  deadline = scheduler_->Heartbeat(hoarder, held.lease_id);
  ASSERT_TRUE(deadline.ok()) << deadline.status().ToString();
  EXPECT_EQ(*deadline, held.deadline_unix_ms - kLeaseMs + 2 * kLeaseMs);  // capped
  env_.AdvanceMs(kLeaseMs * 3 / 4);
  EXPECT_EQ(scheduler_->Heartbeat(hoarder, held.lease_id).status().code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(scheduler_->Maintain().ok());
  EXPECT_EQ(LeaseOne(honest).job_id, held.job_id);
}

TEST_F(SchedulerLeaseTest, ARetiredSequencesJobsAreNotLeased) {
  Start(ReplicatingOptions());
  const int64_t retired = SubmitLoop();
  const int64_t live = SubmitLoop();
  ASSERT_TRUE(store_->SetSequenceState(retired, SequenceState::kRetired, "", "").ok());
  const Credentials a = Register("a", "", 8);
  for (int i = 0; i < kFrames; ++i) EXPECT_EQ(LeaseOne(a).sequence_id, live);
  EXPECT_FALSE(Offered(a));
}

TEST_F(SchedulerValidationTest, UntrustedReplicasThatAgreeAreSettledByTheReference) {
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
  // Neither is trusted: their agreement alone is not final.
  EXPECT_EQ(*accepted, "accepted (reference check)");
  const std::vector<ResultRecord> results = ResultsOf(first.job_id);
  ASSERT_EQ(results.size(), 2u);
  for (const ResultRecord& r : results) {
    EXPECT_EQ(r.state, ResultState::kValid);
    EXPECT_EQ(r.check, "reference");
    EXPECT_EQ(r.frame, first.frame);
    EXPECT_EQ(r.sequence_id, first.sequence_id);
  }
  // Both agreed with the reference: both earned trust.
  EXPECT_EQ(Record(a).verified_results, 1);
  EXPECT_EQ(Record(b).verified_results, 1);
}

TEST_F(SchedulerValidationTest, AgreementWithATrustedWorkerOnAnotherNetworkIsFinal) {
  SchedulerOptions options = ReplicatingOptions();
  options.validation.trusted_after = 1;
  options.validation.new_worker_replicas = 1;
  Start(options);
  SubmitLoop();
  const Credentials vet = Register("vet", "198.51.100.7");
  Vet(vet);
  const Credentials fresh = Register("fresh", "203.0.113.9");
  const FrameJob first = LeaseOne(fresh);
  ASSERT_TRUE(Upload(fresh, first, HonestPng(first)).ok());
  const FrameJob second = LeaseOne(vet);
  ASSERT_EQ(second.job_id, first.job_id);
  Result<std::string> accepted = Upload(vet, second, HonestPng(second));
  ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
  EXPECT_EQ(*accepted, "accepted (replica check)");
  EXPECT_EQ(Record(fresh).verified_results, 1);  // vouched for by a trusted worker
}

TEST_F(SchedulerValidationTest, ATrustedWorkerOnTheSameNetworkDoesNotVouch) {
  SchedulerOptions options = ReplicatingOptions();
  options.validation.trusted_after = 1;
  options.validation.new_worker_replicas = 1;
  Start(options);
  SubmitLoop();
  const Credentials vet = Register("vet", "198.51.100.7");
  Vet(vet);
  // A fresh identity from the vet's /24 uploads noise; the vet uploads the
  // same noise: no vouching within a network, the reference refuses both.
  const Credentials sybil = Register("sybil", "198.51.100.200");
  const FrameJob first = LeaseOne(sybil);
  const std::string noise = NoisePng(7);
  ASSERT_TRUE(Upload(sybil, first, noise).ok());
  const FrameJob second = LeaseOne(vet);
  ASSERT_EQ(second.job_id, first.job_id);
  Result<std::string> refused = Upload(vet, second, noise);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument) << refused.status().ToString();
  for (const ResultRecord& r : ResultsOf(first.job_id)) {
    EXPECT_EQ(r.state, ResultState::kInvalid);
  }
  EXPECT_TRUE(Record(sybil).quarantined);
  EXPECT_TRUE(Record(vet).quarantined);
  EXPECT_EQ(Record(vet).verified_results, 0);  // trust is lost with the disagreement
}

TEST_F(SchedulerValidationTest, ColludingFreshIdentitiesCannotAcceptNoise) {
  Start(ReplicatingOptions());
  const int64_t sequence = SubmitLoop();
  std::vector<Credentials> sybils;
  for (int i = 0; i < 4; ++i) sybils.push_back(Register("sybil" + std::to_string(i)));
  int accepted = 0;
  for (int round = 0; round < 2 * kFrames; ++round) {
    const Credentials& who = sybils[round % sybils.size()];
    Result<LeaseOffer> offer = scheduler_->Lease(who);
    if (!offer.ok() || !offer->job) continue;  // quarantined, or nothing left
    Result<std::string> uploaded = Upload(who, *offer->job, NoisePng(offer->job->frame));
    if (uploaded.ok() && uploaded->rfind("accepted", 0) == 0) ++accepted;
  }
  EXPECT_EQ(accepted, 0);
  Result<SequenceRecord> record = store_->GetSequence(sequence);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->frames_done, 0);
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
  e.verified_results = 100;  // trusted, and the draw is no spot check
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
  e.verified_results = 5;  // known, not yet trusted
  e.draw = 1;
  EXPECT_EQ(DecideUpload(e).kind, VerdictKind::kNeedReference);
  e.invalid_results = 1;  // a bad record: replicated
  EXPECT_EQ(DecideUpload(e).kind, VerdictKind::kAwaitReplica);
  EXPECT_EQ(DecideUpload(e).check, ResultCheck::kPending);
  e = Evidence();
  e.verified_results = 0;  // new
  EXPECT_EQ(DecideUpload(e).kind, VerdictKind::kAwaitReplica);
}

TEST(SchedulerVerdictTest, TheReferenceAcceptsOrRefusesAndQuarantines) {
  UploadEvidence e = Evidence();
  e.verified_results = 5;
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

TEST(SchedulerVerdictTest, ReplicasThatAgreeWithATrustedSideConfirmEachOther) {
  UploadEvidence e = Evidence();
  e.second_render = true;
  e.replica_difference = e.policy.replica_tolerance;
  for (const bool mine : {true, false}) {
    e.trusted = mine;
    e.replica_trusted = !mine;
    const UploadVerdict v = DecideUpload(e);
    EXPECT_EQ(v.kind, VerdictKind::kAccept);
    EXPECT_EQ(v.check, ResultCheck::kReplica);
    EXPECT_TRUE(v.confirm_replica);
    EXPECT_FALSE(v.invalidate_replica);
  }
}

TEST(SchedulerVerdictTest, UntrustedOrSameNetworkAgreementAsksTheReference) {
  UploadEvidence e = Evidence();
  e.second_render = true;
  e.replica_difference = 0.0;                                    // identical uploads
  EXPECT_EQ(DecideUpload(e).kind, VerdictKind::kNeedReference);  // nobody trusted
  e.trusted = e.replica_trusted = true;
  e.same_network = true;
  EXPECT_EQ(DecideUpload(e).kind, VerdictKind::kNeedReference);  // one /24 or /64
  // Both agree with the reference: accepted, and the replica confirmed.
  e.reference_difference = e.replica_reference_difference = 0.01;
  UploadVerdict v = DecideUpload(e);
  EXPECT_EQ(v.kind, VerdictKind::kAccept);
  EXPECT_EQ(v.check, ResultCheck::kReference);
  EXPECT_TRUE(v.confirm_replica);
  // The same noise twice: this one refused, the other invalidated, both quarantined.
  e.reference_difference = e.replica_reference_difference = 0.3;
  v = DecideUpload(e);
  EXPECT_EQ(v.kind, VerdictKind::kRefuse);
  EXPECT_TRUE(v.quarantine_worker);
  EXPECT_TRUE(v.invalidate_replica);
  EXPECT_FALSE(v.confirm_replica);
}

TEST(SchedulerVerdictTest, TrustComesOnlyFromVerifiedResults) {
  ValidationPolicy policy;
  policy.trusted_after = 3;
  EXPECT_FALSE(IsTrusted(policy, 2, 0));
  EXPECT_TRUE(IsTrusted(policy, 3, 0));
  EXPECT_FALSE(IsTrusted(policy, 30, 1));  // a refused result
}

TEST(SchedulerVerdictTest, NetworksAreSlash24AndSlash64) {
  EXPECT_TRUE(SameNetwork("127.0.0.1", "127.0.0.2"));
  EXPECT_TRUE(SameNetwork("203.0.113.1", "::ffff:203.0.113.250"));
  EXPECT_TRUE(SameNetwork("2001:db8:1:2::1", "2001:db8:1:2:ffff::9"));
  EXPECT_FALSE(SameNetwork("203.0.113.1", "203.0.114.1"));
  EXPECT_FALSE(SameNetwork("2001:db8:1:2::1", "2001:db8:1:3::1"));
  EXPECT_FALSE(SameNetwork("", ""));  // unknown vouches for nothing and matches nothing
}

TEST(SchedulerVerdictTest, FailuresCountAgainstTheWorkerFirst) {
  FailureEvidence e;
  e.job_failure_workers = 3;
  EXPECT_EQ(BlameFailure(e), FailureBlame::kWorker);  // one worker
  e.trusted_among = true;
  EXPECT_EQ(BlameFailure(e), FailureBlame::kWorker);  // one trusted worker
  e.distinct_workers = 2;
  e.trusted_among = false;
  EXPECT_EQ(BlameFailure(e), FailureBlame::kNeedReference);  // the coordinator tries it
  e.reference_failed = false;
  EXPECT_EQ(BlameFailure(e), FailureBlame::kWorker);
  e.reference_failed = true;
  EXPECT_EQ(BlameFailure(e), FailureBlame::kJob);
  e.reference_failed.reset();
  e.distinct_workers = 3;
  EXPECT_EQ(BlameFailure(e), FailureBlame::kNeedReference);  // many, none trusted
  e.trusted_among = true;
  EXPECT_EQ(BlameFailure(e), FailureBlame::kJob);
  // A lapse is never checked with the reference.
  e.trusted_among = false;
  e.reference_possible = false;
  EXPECT_EQ(BlameFailure(e), FailureBlame::kWorker);
  // A frame the coordinator rendered fine is the worker's failure, whoever else failed.
  e.trusted_among = true;
  e.reference_failed = false;
  EXPECT_EQ(BlameFailure(e), FailureBlame::kWorker);
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
