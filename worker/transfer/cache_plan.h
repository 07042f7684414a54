// CachePlan: which sequences a participant keeps within its disk quota, as a
// pure function (no I/O) so the policy is easy to test.
//
// Policy: candidates are ranked best-rated first, then newest first; the plan
// keeps them greedily in that order while they fit in the quota (a sequence
// too big to fit is skipped, smaller lower-ranked ones may still fit).
// Everything cached but not kept is evicted; everything kept but not cached
// is fetched, in rank order. Thread-safe (stateless).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace flamegrid::worker::transfer {

struct CacheCandidate {
  std::string id;
  uint64_t size = 0;
  double rating = 0;
  int64_t created_ms = 0;
  bool cached = false;  // complete on disk (or being fetched: counts as held)
};

struct CachePlan {
  std::vector<std::string> fetch;  // in rank order
  std::vector<std::string> evict;
  uint64_t kept_bytes = 0;
};

// `quota_bytes` 0 means no limit.
CachePlan PlanCache(std::vector<CacheCandidate> candidates, uint64_t quota_bytes);

}  // namespace flamegrid::worker::transfer
