// FlockStore: the flock's own durable facts, in DATA/flock.db next to the
// grid's database: votes (one per participant per sequence, with its weight
// and the voter's address group), lineage
// (parents of bred children), edges (which loops an edge joins) and
// retirements. Kept apart from the grid's Store so the flock's rules never
// touch frame jobs.
//
// Owned by Flock (coordinator/flock). Thread-safe: calls are serialised on
// one connection.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "coordinator/flock/flock_logic.h"
#include "coordinator/store/sqlite_db.h"
#include "renderer/base/status.h"

namespace flamegrid::coordinator::flock {

struct Lineage {
  std::vector<int64_t> parents;
  std::string action;  // e.g. "mutate one_xform 2" or "cross alternate"
};

class FlockStore {
 public:
  ~FlockStore();
  static Result<std::unique_ptr<FlockStore>> Open(const std::string& path);

  // Records (or replaces) `participant`'s vote on `sequence_id`: +1 or -1,
  // weighing `weight`, cast from address group `address`.
  Status PutVote(int64_t sequence_id, int64_t participant, int value, double weight,
                 const std::string& address, int64_t now_ms);
  // Participants other than `participant` who voted on `sequence_id` from
  // address group `address`.
  Result<int64_t> VotersFrom(int64_t sequence_id, const std::string& address, int64_t participant);
  Result<std::vector<VoteEntry>> Votes();
  Status PutLineage(int64_t sequence_id, const Lineage& lineage);
  Result<std::map<int64_t, Lineage>> AllLineage();
  Status PutEdge(int64_t sequence_id, int64_t from, int64_t to);
  Result<std::map<int64_t, EdgeSpec>> Edges();

 private:
  explicit FlockStore(std::unique_ptr<SqliteDb> db);
  std::mutex mu_;
  std::unique_ptr<SqliteDb> db_;
};

}  // namespace flamegrid::coordinator::flock
