// Tests of Flock (coordinator/flock/flock.h) against a real SQLite store and
// Scheduler with the synthetic frame renderer: votes change ratings, breeding
// makes valid children that record their parents and are rendered with the
// flock's profile, blank children and blank submissions are refused, edges
// keep the flock connected, retirement follows the rule, and an empty flock
// bootstraps itself with random genomes (a bounded number of tries).
#include "coordinator/flock/flock.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

#include "coordinator/store/sqlite_db.h"
#include "proto/shared/frame_renderer.h"
#include "renderer/genome/flam3_xml.h"
#include "tests/proto/shared/faulty_env.h"

namespace flamegrid::coordinator::flock {
namespace {

namespace fs = std::filesystem;

// The address group the test's participants vote from.
const std::string kHome = "192.0.2.0/24";

const char* kGenomes[] = {"electricsheep.244.00216.flam3", "electricsheep.244.80692.flam3"};

std::string ReadAsset(const std::string& name) {
  auto flames = ReadFlam3File(std::string(FLAMEGRID_SOURCE_DIR) + "/assets/genomes/" + name);
  EXPECT_TRUE(flames.ok()) << flames.status().ToString();
  return WriteFlam3(*flames);
}

// A genome that renders nothing visible: a black palette on a black background.
std::string BlankGenome() {
  auto flames = ParseFlam3(ReadAsset(kGenomes[0]));
  Flame flame = flames->front();
  for (auto& entry : flame.palette.colors) entry = Rgba{0, 0, 0, 1};
  flame.palette_index = -1;
  flame.background = Rgba{0, 0, 0, 1};
  return WriteFlam3(std::vector<Flame>{flame});
}

class FlockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/flamegrid-flock-test.XXXXXX";
    dir_ = mkdtemp(pattern);
    auto store = OpenSqliteStore(dir_ + "/grid.db");
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    renderer_ = MakeSyntheticFrameRenderer();
    SchedulerOptions options;
    options.data_dir = dir_;
    env_.SetNowMs(1'700'000'000'000);
    scheduler_ = std::make_unique<Scheduler>(*store_, &env_, *renderer_, options);
    ASSERT_TRUE(scheduler_->Start().ok());
    // Participants 1, 2 and 3: workers whose votes weigh in full.
    for (int i = 0; i < 3; ++i) ASSERT_EQ(Voter(FlockOptions{}.vote_full_weight_results), i + 1);
  }

  // A registered worker with `valid_results` validated frames (set in the
  // database, as accepted uploads would); its id.
  int64_t Voter(int64_t valid_results) {
    auto registered = scheduler_->Register("voter", 1);
    EXPECT_TRUE(registered.ok()) << registered.status().ToString();
    auto db = SqliteDb::Open(dir_ + "/grid.db");
    EXPECT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_TRUE((*db)
                    ->Exec("UPDATE workers SET valid_results=" + std::to_string(valid_results) +
                           " WHERE id=" + std::to_string(registered->worker_id))
                    .ok());
    return registered->worker_id;
  }
  void TearDown() override {
    flock_.reset();
    scheduler_.reset();
    store_.reset();
    fs::remove_all(dir_);
  }

  // Small loops, as the test's parents are.
  static FlockOptions SmallOptions() {
    FlockOptions options;
    options.profile.frames = 4;
    options.profile.width = 64;
    options.profile.height = 48;
    options.profile.quality = 5;
    return options;
  }

  Flock& MakeFlock(FlockOptions options = SmallOptions()) {
    options.seed = 12345;
    flock_ = std::make_unique<Flock>(*store_, *scheduler_, options);
    EXPECT_TRUE(flock_->Open(dir_).ok());
    scheduler_->SetSnapshotHook([this](GridSnapshot& s) { flock_->Annotate(s); });
    return *flock_;
  }

  // A finished loop of a real genome.
  int64_t DoneLoop(int which = 0) {
    env_.AdvanceMs(1000);
    SubmitSpec spec;
    spec.genome_xml = ReadAsset(kGenomes[which % 2]);
    spec.frames = 4;
    spec.width = 64;
    spec.height = 48;
    spec.quality = 5;
    auto id = scheduler_->Submit(spec);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_TRUE(store_->SetSequenceState(*id, SequenceState::kDone, "", "").ok());
    return *id;
  }

  SequenceRecord Find(int64_t id) {
    auto snapshot = scheduler_->Snapshot();
    EXPECT_TRUE(snapshot.ok());
    for (const SequenceRecord& s : snapshot->sequences) {
      if (s.id == id) return s;
    }
    ADD_FAILURE() << "no sequence " << id;
    return {};
  }

  std::string dir_;
  testing::FaultyEnv env_;  // its clock moves only when a test advances it
  std::unique_ptr<Store> store_;
  std::unique_ptr<FrameRenderer> renderer_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<Flock> flock_;
};

TEST_F(FlockTest, VotesChangeRatings) {
  Flock& flock = MakeFlock();
  const int64_t a = DoneLoop(), b = DoneLoop(1);
  EXPECT_EQ(Find(a).rating, 0);
  ASSERT_TRUE(flock.Vote(1, a, +1, kHome).ok());
  ASSERT_TRUE(flock.Vote(2, a, +1, kHome).ok());
  ASSERT_TRUE(flock.Vote(1, a, +1, kHome).ok());  // one vote per participant
  ASSERT_TRUE(flock.Vote(3, b, -1, kHome).ok());
  EXPECT_EQ(Find(a).rating, 2);
  EXPECT_EQ(Find(a).votes, 2);
  EXPECT_EQ(Find(b).rating, -1);
  ASSERT_TRUE(flock.Vote(1, a, -1, kHome).ok());  // a change of mind replaces the vote
  EXPECT_EQ(Find(a).rating, 0);
  EXPECT_EQ(flock.Vote(1, 999, +1, kHome).code(), StatusCode::kNotFound);
  EXPECT_EQ(flock.Vote(1, a, 3, kHome).code(), StatusCode::kInvalidArgument);
}

TEST_F(FlockTest, AVoteWeighsWhatItsVoterRenderedAndNeedsValidatedWork) {
  Flock& flock = MakeFlock();
  const int64_t a = DoneLoop();
  const std::string away = "198.51.100.0/24";
  const int64_t fresh = Voter(0), quarter = Voter(2);  // a vote weighs 1 from 8 frames
  EXPECT_EQ(flock.Vote(fresh, a, +1, away).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(flock.Vote(999, a, +1, away).code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(flock.Vote(quarter, a, +1, away).ok());
  EXPECT_DOUBLE_EQ(Find(a).rating, 0.25);
  EXPECT_EQ(Find(a).votes, 1);
  ASSERT_TRUE(flock.Vote(1, a, -1, kHome).ok());
  EXPECT_DOUBLE_EQ(Find(a).rating, -0.75);
  ASSERT_TRUE(store_->QuarantineWorker(1).ok());
  EXPECT_EQ(flock.Vote(1, a, +1, kHome).code(), StatusCode::kPermissionDenied);
}

TEST_F(FlockTest, FewParticipantsFromOneAddressVoteOnOneSequence) {
  Flock& flock = MakeFlock();
  const int64_t a = DoneLoop(), b = DoneLoop(1);
  const int64_t fourth = Voter(8);
  for (int64_t participant : {1, 2, 3}) ASSERT_TRUE(flock.Vote(participant, a, +1, kHome).ok());
  const Status refused = flock.Vote(fourth, a, +1, kHome);
  EXPECT_EQ(refused.code(), StatusCode::kResourceExhausted);
  EXPECT_NE(refused.message().find("3 participants from " + kHome), std::string::npos)
      << refused.message();
  EXPECT_TRUE(flock.Vote(1, a, -1, kHome).ok());                   // a change of mind
  EXPECT_TRUE(flock.Vote(fourth, b, +1, kHome).ok());              // another sequence
  EXPECT_TRUE(flock.Vote(fourth, a, +1, "198.51.100.0/24").ok());  // another address
  EXPECT_EQ(Find(a).rating, 2);
  EXPECT_EQ(Find(a).votes, 4);
}

TEST_F(FlockTest, BreedingMakesValidChildrenWithParents) {
  Flock& flock = MakeFlock();
  const int64_t a = DoneLoop(), b = DoneLoop(1), bad = DoneLoop();
  ASSERT_TRUE(flock.Vote(1, a, +1, kHome).ok());
  ASSERT_TRUE(flock.Vote(1, b, +1, kHome).ok());
  ASSERT_TRUE(flock.Vote(1, bad, -1, kHome).ok());
  auto report = flock.Breed(4);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->children.size(), 4u);
  for (int64_t child : report->children) {
    const SequenceRecord s = Find(child);
    EXPECT_EQ(s.kind, "loop");
    EXPECT_EQ(s.state, SequenceState::kRendering);
    EXPECT_EQ(s.frames, 4);
    ASSERT_FALSE(s.parents.empty());
    ASSERT_LE(s.parents.size(), 2u);
    for (int64_t p : s.parents) EXPECT_TRUE(p == a || p == b) << p;
    // The child's control points are a parseable genome that is not blank.
    auto record = store_->GetSequence(child);
    ASSERT_TRUE(record.ok());
    auto flames = ParseFlam3(record->control_points_xml);
    ASSERT_TRUE(flames.ok()) << flames.status().ToString();
    ASSERT_FALSE(flames->empty());
    auto coverage = PreviewCoverage(flames->front(), PreviewOptions{});
    ASSERT_TRUE(coverage.ok());
    EXPECT_GE(*coverage, PreviewOptions{}.blank.min_coverage);
  }
}

TEST_F(FlockTest, BreedingNeedsParents) {
  Flock& flock = MakeFlock();
  EXPECT_EQ(flock.Breed(1).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(FlockTest, BlankChildrenAreDiscardedBeforeAnyoneRendersThem) {
  FlockOptions options = SmallOptions();
  options.preview.blank.min_coverage = 1.01;  // no preview can pass: every child is "blank"
  Flock& flock = MakeFlock(options);
  DoneLoop();
  const size_t before = scheduler_->Snapshot()->sequences.size();
  auto report = flock.Breed(2);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->children.empty());
  EXPECT_EQ(report->discarded, 8);  // every attempt (4 per child) discarded
  EXPECT_EQ(scheduler_->Snapshot()->sequences.size(), before);  // no frame jobs were made
}

TEST_F(FlockTest, BlankSubmissionsAreRefused) {
  EXPECT_EQ(CheckGenomeXml(BlankGenome(), {}).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(CheckGenomeXml(ReadAsset(kGenomes[0]), {}).ok());
  EXPECT_EQ(CheckGenomeXml("<flame", {}).code(), StatusCode::kInvalidArgument);
  Flock& flock = MakeFlock();
  scheduler_->SetSubmitCheck([&](const std::string& xml) { return flock.CheckGenome(xml); });
  SubmitSpec spec;
  spec.genome_xml = BlankGenome();
  spec.frames = 4;
  spec.width = 64;
  spec.height = 48;
  auto id = scheduler_->Submit(spec);
  EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(id.status().message().find("blank"), std::string::npos) << id.status().ToString();
  spec.genome_xml = ReadAsset(kGenomes[1]);
  EXPECT_TRUE(scheduler_->Submit(spec).ok());
}

TEST_F(FlockTest, EdgesKeepTheFlockConnected) {
  Flock& flock = MakeFlock();
  const int64_t a = DoneLoop(), b = DoneLoop(1), c = DoneLoop();
  auto created = flock.ConnectEdges();
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  ASSERT_EQ(created->size(), 3u);
  std::set<std::pair<int64_t, int64_t>> ends;
  for (int64_t id : *created) {
    const SequenceRecord s = Find(id);
    EXPECT_EQ(s.kind, "edge");
    EXPECT_EQ(s.frames, 4);
    ends.insert({s.edge_from, s.edge_to});
    auto record = store_->GetSequence(id);
    auto points = ParseFlam3(record->control_points_xml);
    ASSERT_TRUE(points.ok());
    EXPECT_EQ(points->size(), 4u);  // one control point per frame, rendered like a loop's
  }
  EXPECT_EQ(ends, (std::set<std::pair<int64_t, int64_t>>{{a, b}, {b, c}, {c, a}}));
  EXPECT_TRUE(StronglyConnected(*flock.Members()));
  EXPECT_TRUE(flock.ConnectEdges()->empty());  // nothing more to do
  const int64_t d = DoneLoop(1);
  auto more = flock.ConnectEdges();
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(more->empty());
  EXPECT_TRUE(StronglyConnected(*flock.Members()));
  (void)d;
}

// Loops made before the submit limits were tightened: their edges are
// refused, once each, and the upkeep round carries on.
TEST_F(FlockTest, AnEdgePastTheSubmitLimitsIsLeftOutWithoutFailingUpkeep) {
  DoneLoop();
  DoneLoop(1);
  SchedulerOptions tighter;
  tighter.data_dir = dir_;
  tighter.submit_limits.max_frames = 3;  // the loops have 4
  scheduler_ = std::make_unique<Scheduler>(*store_, &env_, *renderer_, tighter);
  ASSERT_TRUE(scheduler_->Start().ok());
  Flock& flock = MakeFlock();
  for (int round = 0; round < 2; ++round) {
    auto created = flock.ConnectEdges();
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    EXPECT_TRUE(created->empty());
  }
  auto members = flock.Members();
  ASSERT_TRUE(members.ok());
  for (const Member& m : *members) EXPECT_FALSE(m.is_edge);
  EXPECT_TRUE(flock.Maintain().ok());
}

TEST_F(FlockTest, RetirementFollowsTheRule) {
  FlockOptions options = SmallOptions();
  options.quota = 2;
  Flock& flock = MakeFlock(options);
  const int64_t a = DoneLoop(), b = DoneLoop(1), c = DoneLoop(), d = DoneLoop(1);
  ASSERT_TRUE(flock.Vote(1, a, +1, kHome).ok());
  ASSERT_TRUE(flock.Vote(1, c, -1, kHome).ok());
  auto edges = flock.ConnectEdges();
  ASSERT_TRUE(edges.ok());
  for (int64_t e : *edges)
    ASSERT_TRUE(store_->SetSequenceState(e, SequenceState::kDone, "", "").ok());
  // Ratings: a +1, b 0, c -1, d 0. Two must go: c (lowest), then b (older than d).
  auto retired = flock.Retire();
  ASSERT_TRUE(retired.ok()) << retired.status().ToString();
  ASSERT_GE(retired->size(), 2u);
  EXPECT_EQ((*retired)[0], c);
  EXPECT_EQ((*retired)[1], b);
  EXPECT_EQ(Find(c).state, SequenceState::kRetired);
  EXPECT_EQ(Find(b).state, SequenceState::kRetired);
  EXPECT_EQ(Find(a).state, SequenceState::kDone);
  EXPECT_EQ(Find(d).state, SequenceState::kDone);
  // Edges that touched b or c retired with them; new ones reconnect a and d.
  auto members = flock.Members();
  ASSERT_TRUE(members.ok());
  for (const Member& m : *members) {
    if (m.is_edge && (m.from == b || m.from == c || m.to == b || m.to == c)) {
      EXPECT_TRUE(m.retired) << "edge " << m.id;
    }
  }
  ASSERT_TRUE(flock.ConnectEdges().ok());
  EXPECT_TRUE(StronglyConnected(*flock.Members()));
  EXPECT_TRUE(flock.Retire()->empty());
}

TEST_F(FlockTest, MaintainBreedsOnScheduleRetiresAndConnects) {
  FlockOptions options = SmallOptions();
  options.breed_interval_ms = 60'000;
  options.breed_count = 2;
  options.quota = 3;
  Flock& flock = MakeFlock(options);
  const int64_t a = DoneLoop(), b = DoneLoop(1);
  ASSERT_TRUE(flock.Vote(1, a, +1, kHome).ok());
  ASSERT_TRUE(flock.Maintain().ok());  // not due yet: only edges
  auto members = flock.Members();
  ASSERT_TRUE(members.ok());
  EXPECT_EQ(
      std::count_if(members->begin(), members->end(), [](const Member& m) { return !m.is_edge; }),
      2);
  EXPECT_TRUE(StronglyConnected(*members));
  env_.AdvanceMs(61'000);
  ASSERT_TRUE(flock.Maintain().ok());  // due: two children, then edges to them
  members = flock.Members();
  int loops = 0;
  for (const Member& m : *members) {
    if (!m.is_edge && m.id != a && m.id != b) {
      ++loops;
      EXPECT_FALSE(Find(m.id).parents.empty());
    }
  }
  EXPECT_EQ(loops, 2);
  EXPECT_TRUE(StronglyConnected(*members));
  // Four live loops, quota 3. The children are still rendering, so the
  // candidates are a (+1) and b (0): b, the lowest rated, retires.
  env_.AdvanceMs(5'000);
  ASSERT_TRUE(flock.Maintain().ok());
  EXPECT_EQ(Find(b).state, SequenceState::kRetired);
  EXPECT_EQ(Find(a).state, SequenceState::kDone);
  EXPECT_TRUE(StronglyConnected(*flock.Members()));
}

TEST_F(FlockTest, ChildrenAreRenderedWithTheFlocksProfile) {
  FlockOptions options = SmallOptions();
  options.profile.frames = 6;
  options.profile.width = 80;
  options.profile.height = 60;
  options.profile.quality = 7;
  options.profile.fps = 12;
  Flock& flock = MakeFlock(options);
  const int64_t a = DoneLoop(), b = DoneLoop(1);  // 4 frames of 64x48 at quality 5
  ASSERT_TRUE(flock.Vote(1, a, +1, kHome).ok());
  ASSERT_TRUE(flock.Vote(1, b, +1, kHome).ok());
  auto report = flock.Breed(2);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->children.size(), 2u);
  for (int64_t child : report->children) {
    auto record = store_->GetSequence(child);
    ASSERT_TRUE(record.ok());
    EXPECT_EQ(record->frames, 6);
    EXPECT_EQ(record->width, 80);
    EXPECT_EQ(record->height, 60);
    EXPECT_EQ(record->quality, 7);
    EXPECT_EQ(record->fps, 12);
  }
}

TEST_F(FlockTest, AnEmptyFlockBootstrapsItselfWithRandomGenomes) {
  FlockOptions options = SmallOptions();
  options.profile.frames = 5;
  options.profile.bootstrap_loops = 2;
  Flock& flock = MakeFlock(options);
  auto report = flock.Bootstrap();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->loops.size(), 2u);
  EXPECT_LE(report->attempts, 2 * kBootstrapAttemptsPerLoop);
  for (int64_t id : report->loops) {
    const SequenceRecord s = Find(id);
    EXPECT_EQ(s.kind, "loop");
    EXPECT_EQ(s.state, SequenceState::kRendering);
    EXPECT_EQ(s.frames, 5);
    EXPECT_EQ(s.width, 64);
    EXPECT_EQ(s.height, 48);
    EXPECT_TRUE(s.parents.empty());
    // Each passed the preview check breeding children pass.
    auto record = store_->GetSequence(id);
    ASSERT_TRUE(record.ok());
    auto flames = ParseFlam3(record->control_points_xml);  // the synthetic planner keeps the genome
    ASSERT_TRUE(flames.ok()) << flames.status().ToString();
    ASSERT_EQ(flames->size(), 1u);
    EXPECT_EQ(flames->front().width, 64);  // framed for the profile
    EXPECT_EQ(flames->front().sample_density, 5);
    auto coverage = PreviewCoverage(flames->front(), PreviewOptions{});
    ASSERT_TRUE(coverage.ok());
    EXPECT_GE(*coverage, PreviewOptions{}.blank.min_coverage);
  }
  // The flock has live loops now: nothing more.
  report = flock.Bootstrap();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->loops.empty());
  EXPECT_EQ(report->attempts, 0);
  EXPECT_EQ(scheduler_->Snapshot()->sequences.size(), 2u);
}

TEST_F(FlockTest, UpkeepBootstrapsAgainWhenTheLiveLoopsFallToZero) {
  FlockOptions options = SmallOptions();
  options.profile.bootstrap_loops = 1;
  Flock& flock = MakeFlock(options);
  const int64_t only = DoneLoop();
  ASSERT_TRUE(flock.Maintain().ok());  // a live loop: no bootstrap
  EXPECT_EQ(scheduler_->Snapshot()->sequences.size(), 1u);
  ASSERT_TRUE(store_->SetSequenceState(only, SequenceState::kFailed, "", "test").ok());
  env_.AdvanceMs(5'000);
  ASSERT_TRUE(flock.Maintain().ok());
  auto members = flock.Members();
  ASSERT_TRUE(members.ok());
  int live = 0;
  for (const Member& m : *members) {
    if (!m.is_edge && !m.retired) {
      ++live;
      EXPECT_NE(m.id, only);
    }
  }
  EXPECT_EQ(live, 1);
}

TEST_F(FlockTest, BootstrapIsOffWithZeroLoops) {
  Flock& flock = MakeFlock();  // bootstrap_loops = 0, the built-in default
  auto report = flock.Bootstrap();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->loops.empty());
  ASSERT_TRUE(flock.Maintain().ok());
  EXPECT_TRUE(scheduler_->Snapshot()->sequences.empty());
}

TEST_F(FlockTest, BootstrapGivesUpAfterBoundedAttemptsWhenEveryGenomeIsBlank) {
  FlockOptions options = SmallOptions();
  options.profile.bootstrap_loops = 3;
  options.preview.blank.min_coverage = 1.01;  // no preview can pass
  Flock& flock = MakeFlock(options);
  auto report = flock.Bootstrap();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->loops.empty());
  EXPECT_EQ(report->attempts, 3 * kBootstrapAttemptsPerLoop);
  EXPECT_EQ(report->discarded, 3 * kBootstrapAttemptsPerLoop);
  EXPECT_TRUE(scheduler_->Snapshot()->sequences.empty());
  // Upkeep returns (it does not spin on the failing generator) and makes nothing.
  env_.AdvanceMs(5'000);
  ASSERT_TRUE(flock.Maintain().ok());
  EXPECT_TRUE(scheduler_->Snapshot()->sequences.empty());
}

}  // namespace
}  // namespace flamegrid::coordinator::flock
