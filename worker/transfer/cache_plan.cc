#include "worker/transfer/cache_plan.h"

#include <algorithm>

namespace flamegrid::worker::transfer {

CachePlan PlanCache(std::vector<CacheCandidate> candidates, uint64_t quota_bytes) {
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const CacheCandidate& a, const CacheCandidate& b) {
                     if (a.rating != b.rating) return a.rating > b.rating;
                     if (a.created_ms != b.created_ms) return a.created_ms > b.created_ms;
                     return a.id > b.id;
                   });
  CachePlan plan;
  for (const CacheCandidate& c : candidates) {
    const bool fits = quota_bytes == 0 || plan.kept_bytes + c.size <= quota_bytes;
    if (fits) {
      plan.kept_bytes += c.size;
      if (!c.cached) plan.fetch.push_back(c.id);
    } else if (c.cached) {
      plan.evict.push_back(c.id);
    }
  }
  return plan;
}

}  // namespace flamegrid::worker::transfer
