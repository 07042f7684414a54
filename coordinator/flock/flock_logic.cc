#include "coordinator/flock/flock_logic.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

namespace flamegrid::coordinator::flock {

double VoteWeight(int64_t valid_results, int64_t full_weight_results) {
  if (valid_results <= 0) return 0.0;
  if (full_weight_results <= 1) return 1.0;
  return std::min(1.0,
                  static_cast<double>(valid_results) / static_cast<double>(full_weight_results));
}

std::vector<std::pair<int64_t, Tally>> TallyVotes(const std::vector<VoteEntry>& votes) {
  std::map<std::pair<int64_t, int64_t>, const VoteEntry*> last;
  for (const VoteEntry& v : votes) last[{v.sequence_id, v.participant}] = &v;
  std::map<int64_t, Tally> tallies;
  for (const auto& [key, vote] : last) {
    Tally& t = tallies[key.first];
    if (vote->value > 0) ++t.up;
    if (vote->value < 0) ++t.down;
    t.weighted += vote->value * std::clamp(vote->weight, 0.0, 1.0);
  }
  return {tallies.begin(), tallies.end()};
}

std::vector<int64_t> RankParents(const std::vector<Member>& members) {
  std::vector<const Member*> eligible;
  for (const Member& m : members) {
    if (!m.is_edge && m.done && !m.retired && m.rating >= 0) eligible.push_back(&m);
  }
  std::sort(eligible.begin(), eligible.end(), [](const Member* a, const Member* b) {
    if (a->rating != b->rating) return a->rating > b->rating;
    if (a->created_ms != b->created_ms) return a->created_ms > b->created_ms;
    return a->id < b->id;
  });
  std::vector<int64_t> ids;
  for (const Member* m : eligible) ids.push_back(m->id);
  return ids;
}

std::vector<BreedPlan> PlanBreeding(const std::vector<Member>& members, int count, Random& rng,
                                    int pool_size) {
  std::vector<int64_t> pool = RankParents(members);
  if (pool_size > 0 && static_cast<int>(pool.size()) > pool_size) pool.resize(pool_size);
  std::vector<BreedPlan> plans;
  if (pool.empty()) return plans;
  const uint32_t n = static_cast<uint32_t>(pool.size());
  // Tournament of two: the better ranked (smaller index) of two random picks.
  auto pick = [&]() -> size_t { return std::min(rng.Below(n), rng.Below(n)); };
  for (int i = 0; i < count; ++i) {
    BreedPlan plan;
    const size_t a = pick();
    plan.parent_a = pool[a];
    if (n >= 2 && rng.Uniform01() < 0.5) {
      size_t b = pick();
      if (b == a) b = (a + 1 + rng.Below(n - 1)) % n;
      plan.parent_b = pool[b];
    }
    plan.seed = rng.NextU64();
    plans.push_back(plan);
  }
  return plans;
}

namespace {

struct Graph {
  std::vector<int64_t> loops;                // sorted ids
  std::map<int64_t, std::set<int64_t>> out;  // live edges between live loops
};

Graph LiveGraph(const std::vector<Member>& members) {
  Graph g;
  std::set<int64_t> live;
  for (const Member& m : members) {
    if (!m.is_edge && !m.retired) live.insert(m.id);
  }
  g.loops.assign(live.begin(), live.end());
  for (int64_t id : g.loops) g.out[id];
  for (const Member& m : members) {
    if (m.is_edge && !m.retired && live.count(m.from) && live.count(m.to) && m.from != m.to) {
      g.out[m.from].insert(m.to);
    }
  }
  return g;
}

// Tarjan's strongly connected components; component index per loop.
std::map<int64_t, int> Components(const Graph& g, int* count) {
  std::map<int64_t, int> index, low, component;
  std::vector<int64_t> stack;
  std::set<int64_t> on_stack;
  int next = 0;
  *count = 0;
  std::function<void(int64_t)> visit = [&](int64_t v) {
    index[v] = low[v] = next++;
    stack.push_back(v);
    on_stack.insert(v);
    for (int64_t w : g.out.at(v)) {
      if (!index.count(w)) {
        visit(w);
        low[v] = std::min(low[v], low[w]);
      } else if (on_stack.count(w)) {
        low[v] = std::min(low[v], index[w]);
      }
    }
    if (low[v] == index[v]) {
      int64_t w = 0;
      do {
        w = stack.back();
        stack.pop_back();
        on_stack.erase(w);
        component[w] = *count;
      } while (w != v);
      ++*count;
    }
  };
  for (int64_t v : g.loops) {
    if (!index.count(v)) visit(v);
  }
  return component;
}

}  // namespace

std::vector<EdgeSpec> PlanEdges(const std::vector<Member>& members) {
  const Graph g = LiveGraph(members);
  std::vector<EdgeSpec> edges;
  if (g.loops.size() < 2) return edges;
  int count = 0;
  const std::map<int64_t, int> component = Components(g, &count);
  if (count <= 1) return edges;
  // Each component's representative: its smallest loop id; components in that order.
  std::map<int, int64_t> representative;
  for (int64_t id : g.loops) {  // ascending, so the first seen is the smallest
    representative.emplace(component.at(id), id);
  }
  std::vector<int64_t> order;
  for (const auto& [c, id] : representative) order.push_back(id);
  std::sort(order.begin(), order.end());
  for (size_t i = 0; i < order.size(); ++i) {
    edges.push_back({order[i], order[(i + 1) % order.size()]});
  }
  return edges;
}

bool StronglyConnected(const std::vector<Member>& members) {
  const Graph g = LiveGraph(members);
  if (g.loops.size() < 2) return true;
  int count = 0;
  Components(g, &count);
  return count == 1;
}

std::vector<int64_t> RetirementOrder(const std::vector<Member>& members, int quota) {
  std::vector<const Member*> live, candidates;
  for (const Member& m : members) {
    if (m.is_edge || m.retired) continue;
    live.push_back(&m);
    if (m.done) candidates.push_back(&m);
  }
  std::vector<int64_t> out;
  if (quota <= 0 || static_cast<int>(live.size()) <= quota) return out;
  std::sort(candidates.begin(), candidates.end(), [](const Member* a, const Member* b) {
    if (a->rating != b->rating) return a->rating < b->rating;
    if (a->created_ms != b->created_ms) return a->created_ms < b->created_ms;
    return a->id < b->id;
  });
  const size_t excess = live.size() - static_cast<size_t>(quota);
  for (size_t i = 0; i < candidates.size() && i < excess; ++i) out.push_back(candidates[i]->id);
  return out;
}

std::vector<int64_t> OrphanedEdges(const std::vector<Member>& members) {
  std::set<int64_t> live;
  for (const Member& m : members) {
    if (!m.is_edge && !m.retired) live.insert(m.id);
  }
  std::vector<int64_t> out;
  for (const Member& m : members) {
    if (m.is_edge && m.done && !m.retired && (!live.count(m.from) || !live.count(m.to))) {
      out.push_back(m.id);
    }
  }
  return out;
}

double Coverage(const Image& image, const BlankOptions& options) {
  if (image.width <= 0 || image.height <= 0) return 0.0;
  // The background: the most common of the four corners' colours (the first corner).
  const float* bg = image.Pixel(0, 0);
  size_t differ = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const float* p = image.Pixel(x, y);
      double d = 0.0;
      for (int c = 0; c < 3; ++c) d = std::max(d, std::fabs(static_cast<double>(p[c] - bg[c])));
      if (d > options.min_difference) ++differ;
    }
  }
  return static_cast<double>(differ) / (static_cast<double>(image.width) * image.height);
}

bool IsNearlyBlank(const Image& image, const BlankOptions& options) {
  return Coverage(image, options) < options.min_coverage;
}

}  // namespace flamegrid::coordinator::flock
