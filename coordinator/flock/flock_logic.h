// Flock logic: the pure rules of the evolving flock, apart from storage and
// RPC. Ratings from votes, choice of parents for breeding, edges that keep
// the graph of loops strongly connected (every loop can be entered and left),
// which loops retire when the flock is over its quota, and whether a preview
// render is blank.
//
// Owned by coordinator/flock (the flock engineer). Pure functions over
// values; safe from any thread (PlanBreeding advances the Random it is given).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "renderer/base/random.h"
#include "renderer/image/image.h"

namespace flamegrid::coordinator::flock {

// One vote: +1 (up) or -1 (down) from one participant, weighing what the
// participant had contributed when it voted (VoteWeight).
struct VoteEntry {
  int64_t sequence_id = 0;
  int64_t participant = 0;
  int value = 0;
  double weight = 1.0;
};

// A sequence's rating: the sum of its participants' weighted votes, each
// participant counted once (a later vote replaces the earlier one). A vote
// weighs at most 1, so identities that rendered nothing move nothing and a
// thousand fresh identities are worth no more than their validated frames.
struct Tally {
  int up = 0;
  int down = 0;
  double weighted = 0.0;
  double rating() const { return weighted; }
};

// The weight of a vote by a participant with `valid_results` validated
// frames: valid_results / full_weight_results, at most 1; 0 without
// validated work (such a vote is refused).
double VoteWeight(int64_t valid_results, int64_t full_weight_results);
// sequence id -> tally. Later entries of the same (sequence, participant) win.
std::vector<std::pair<int64_t, Tally>> TallyVotes(const std::vector<VoteEntry>& votes);

// What the rules need to know of a sequence.
struct Member {
  int64_t id = 0;
  bool is_edge = false;
  bool done = false;     // rendered and assembled
  bool retired = false;  // out of the flock
  double rating = 0.0;
  int64_t created_ms = 0;
  int64_t from = 0, to = 0;  // edges only
};

// The loops eligible as parents, best first: done, not retired, rating >= 0;
// by rating (high first), then newer first, then id.
std::vector<int64_t> RankParents(const std::vector<Member>& members);

struct BreedPlan {
  int64_t parent_a = 0;
  int64_t parent_b = 0;  // 0: a mutation of parent_a; else a crossover of a and b
  uint64_t seed = 0;
};
// `count` children from the `pool_size` best parents, favouring the better
// ranked (a size-2 tournament per parent); crossover half the time when there
// are two parents or more. Empty when there are no eligible parents.
std::vector<BreedPlan> PlanBreeding(const std::vector<Member>& members, int count, Random& rng,
                                    int pool_size = 8);

struct EdgeSpec {
  int64_t from = 0;
  int64_t to = 0;
  bool operator==(const EdgeSpec&) const = default;
};
// The edges to add so that the live loops (not retired) with the live edges
// form a strongly connected graph: the strongly connected components, ordered
// by their smallest loop id, get an edge from each to the next and from the
// last to the first. Nothing when there are fewer than two loops or the graph
// is already strongly connected. Edges touching retired or unknown loops are
// ignored.
std::vector<EdgeSpec> PlanEdges(const std::vector<Member>& members);

// True when every live loop can reach every other through live edges.
bool StronglyConnected(const std::vector<Member>& members);

// The loops to retire so at most `quota` live loops remain (quota <= 0: no
// limit). Candidates are done, live loops; the lowest rated go first, the
// oldest first among equals (then the smallest id).
std::vector<int64_t> RetirementOrder(const std::vector<Member>& members, int quota);

// Finished, live edges that touch a retired loop (they retire too). An edge
// still rendering is left to finish (its frame jobs are already out) and
// retires at a later round.
std::vector<int64_t> OrphanedEdges(const std::vector<Member>& members);

struct BlankOptions {
  double min_difference = 0.04;  // per channel, from the background (corner) colour
  double min_coverage = 0.01;    // fraction of pixels that must differ
};
// The fraction of pixels that differ visibly from the image's background.
double Coverage(const Image& image, const BlankOptions& options = {});
bool IsNearlyBlank(const Image& image, const BlankOptions& options = {});

}  // namespace flamegrid::coordinator::flock
