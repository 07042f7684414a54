// Tests of the flock's pure rules (coordinator/flock/flock_logic.h): vote
// tallies, parent choice, edges that keep the loops strongly connected,
// retirement order and blank detection.
#include "coordinator/flock/flock_logic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace flamegrid::coordinator::flock {
namespace {

Member Loop(int64_t id, double rating = 0, int64_t created = 0, bool done = true) {
  Member m;
  m.id = id;
  m.rating = rating;
  m.created_ms = created ? created : id * 1000;
  m.done = done;
  return m;
}

Member Edge(int64_t id, int64_t from, int64_t to) {
  Member m;
  m.id = id;
  m.is_edge = true;
  m.from = from;
  m.to = to;
  return m;
}

TEST(FlockLogicTest, OneVotePerParticipantPerSequence) {
  std::vector<VoteEntry> votes = {{1, 10, +1}, {1, 11, +1}, {1, 10, +1}, {2, 10, -1},
                                  {2, 11, +1}, {2, 10, +1}, {3, 12, -1}};
  auto tallies = TallyVotes(votes);
  ASSERT_EQ(tallies.size(), 3u);
  EXPECT_EQ(tallies[0].first, 1);
  EXPECT_EQ(tallies[0].second.rating(), 2);  // participant 10's repeat counts once
  EXPECT_EQ(tallies[1].second.rating(), 2);  // participant 10 changed their mind to up
  EXPECT_EQ(tallies[1].second.up, 2);
  EXPECT_EQ(tallies[2].second.rating(), -1);
}

TEST(FlockLogicTest, AVoteWeighsItsVotersValidatedFramesUpToOne) {
  EXPECT_EQ(VoteWeight(0, 8), 0.0);  // nothing rendered: no say
  EXPECT_EQ(VoteWeight(-3, 8), 0.0);
  EXPECT_EQ(VoteWeight(2, 8), 0.25);
  EXPECT_EQ(VoteWeight(8, 8), 1.0);
  EXPECT_EQ(VoteWeight(1'000'000, 8), 1.0);  // capped: a big renderer is one voice
  EXPECT_EQ(VoteWeight(1, 1), 1.0);
}

TEST(FlockLogicTest, ARatingSumsWeightedVotesNotIdentities) {
  // 3,000 identities with one validated frame each (weight 1/8) against two
  // full-weight participants: the rating moves by what they rendered.
  std::vector<VoteEntry> votes;
  for (int64_t p = 100; p < 3100; ++p) votes.push_back({1, p, +1, VoteWeight(1, 8)});
  votes.push_back({1, 1, -1, 1.0});
  votes.push_back({1, 2, -1, 1.0});
  votes.push_back({2, 1, +1, 5.0});  // a weight from outside [0, 1] counts as 1
  const auto tallies = TallyVotes(votes);
  ASSERT_EQ(tallies.size(), 2u);
  EXPECT_DOUBLE_EQ(tallies[0].second.rating(), 3000 / 8.0 - 2);
  EXPECT_EQ(tallies[0].second.up, 3000);
  EXPECT_EQ(tallies[0].second.down, 2);
  EXPECT_DOUBLE_EQ(tallies[1].second.rating(), 1.0);
}

TEST(FlockLogicTest, ParentsAreDoneLiveLoopsRatedZeroOrBetterBestFirst) {
  std::vector<Member> members = {
      Loop(1, 3),   Loop(2, -1), Loop(3, 5), Loop(4, 3), Loop(5, 9, 0, /*done=*/false),
      Edge(6, 1, 3)};
  members.push_back(Loop(7, 10));
  members.back().retired = true;
  // Rating first; 4 is newer than 1.
  EXPECT_EQ(RankParents(members), (std::vector<int64_t>{3, 4, 1}));
}

TEST(FlockLogicTest, BreedingPlansUseEligibleParents) {
  std::vector<Member> members = {Loop(1, 3), Loop(2, -4), Loop(3, 1), Loop(4, 0)};
  Random rng(42);
  auto plans = PlanBreeding(members, 200, rng);
  ASSERT_EQ(plans.size(), 200u);
  int crosses = 0;
  std::map<int64_t, int> picked;
  for (const BreedPlan& p : plans) {
    EXPECT_NE(p.parent_a, 2);  // down-rated loops do not breed
    EXPECT_NE(p.parent_b, 2);
    EXPECT_NE(p.parent_a, p.parent_b);
    ++picked[p.parent_a];
    if (p.parent_b) ++crosses;
  }
  EXPECT_GT(crosses, 50);
  EXPECT_LT(crosses, 150);
  EXPECT_GT(picked[1], picked[4]);  // the best rated is picked more often
  std::vector<Member> none = {Loop(1, -1), Loop(2, 5, 0, false)};
  EXPECT_TRUE(PlanBreeding(none, 3, rng).empty());
}

TEST(FlockLogicTest, PlannedEdgesMakeTheGraphStronglyConnected) {
  // Many random flocks: loops, some existing edges (some retired or dangling).
  Random rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<Member> members;
    const int loops = 1 + static_cast<int>(rng.Below(9));
    for (int i = 1; i <= loops; ++i) {
      members.push_back(Loop(i));
      if (rng.Below(5) == 0) members.back().retired = true;
    }
    int64_t next = 100;
    const int edges = static_cast<int>(rng.Below(12));
    for (int e = 0; e < edges; ++e) {
      members.push_back(Edge(next++, 1 + rng.Below(loops + 1), 1 + rng.Below(loops + 1)));
    }
    const std::vector<EdgeSpec> plan = PlanEdges(members);
    for (const EdgeSpec& e : plan) {
      EXPECT_NE(e.from, e.to);
      members.push_back(Edge(next++, e.from, e.to));
    }
    EXPECT_TRUE(StronglyConnected(members)) << "trial " << trial;
    EXPECT_TRUE(PlanEdges(members).empty()) << "trial " << trial;
    // Every live loop can be entered and left when there are two or more.
    std::set<int64_t> live, entered, left;
    for (const Member& m : members) {
      if (!m.is_edge && !m.retired) live.insert(m.id);
    }
    for (const Member& m : members) {
      if (m.is_edge && live.count(m.from) && live.count(m.to) && m.from != m.to) {
        left.insert(m.from);
        entered.insert(m.to);
      }
    }
    if (live.size() >= 2) {
      EXPECT_EQ(entered, live);
      EXPECT_EQ(left, live);
    }
  }
}

TEST(FlockLogicTest, EdgesForThreeNewLoopsFormACycle) {
  std::vector<Member> members = {Loop(1), Loop(2), Loop(3)};
  EXPECT_EQ(PlanEdges(members), (std::vector<EdgeSpec>{{1, 2}, {2, 3}, {3, 1}}));
  EXPECT_TRUE(PlanEdges({Loop(1)}).empty());
}

TEST(FlockLogicTest, RetirementTakesTheLowestRatedOldestFirst) {
  std::vector<Member> members = {Loop(1, 2, 100), Loop(2, -1, 500), Loop(3, -1, 200),
                                 Loop(4, 0, 50),  Loop(5, 0, 60),   Loop(6, -5, 900, false)};
  // 6 live loops, quota 3: three go. 6 is still rendering, so not a candidate.
  EXPECT_EQ(RetirementOrder(members, 3), (std::vector<int64_t>{3, 2, 4}));
  EXPECT_TRUE(RetirementOrder(members, 6).empty());
  EXPECT_TRUE(RetirementOrder(members, 0).empty());
  members[2].retired = true;  // loop 3
  members.push_back(Edge(7, 1, 3));
  members.push_back(Edge(8, 1, 2));
  members.push_back(Edge(9, 3, 1));
  members[members.size() - 3].done = true;  // edge 7 is finished
  members[members.size() - 2].done = true;
  // Edge 9 touches retired loop 3 too but is still rendering: it retires later.
  EXPECT_EQ(OrphanedEdges(members), (std::vector<int64_t>{7}));
}

TEST(FlockLogicTest, BlankImagesAreDetected) {
  Image image(40, 30);
  for (size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 1.0f;
  EXPECT_TRUE(IsNearlyBlank(image));
  image.Pixel(5, 5)[0] = 1.0f;  // one lit pixel of 1200 is still blank
  EXPECT_TRUE(IsNearlyBlank(image));
  for (int x = 0; x < 40; ++x) {
    for (int y = 10; y < 14; ++y) image.Pixel(x, y)[1] = 0.8f;
  }
  EXPECT_FALSE(IsNearlyBlank(image));
  EXPECT_NEAR(Coverage(image), 161.0 / 1200.0, 1e-9);
}

}  // namespace
}  // namespace flamegrid::coordinator::flock
