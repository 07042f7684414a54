// Flock: the coordinator's evolving flock. Participants' votes rate
// sequences; Breed() makes children of well-rated loops by mutation and
// crossover (renderer/animate), discarding those whose cheap preview render
// is blank before any volunteer renders them; ConnectEdges() adds edge
// sequences so every loop can be entered and left; Retire() keeps the flock
// within its quota (lowest rated, oldest first). Artists' submissions pass
// the same preview check (CheckGenome). Children are rendered with the
// coordinator's FlockProfile, and a flock with no live loop is bootstrapped
// with random genomes (Bootstrap) so a fresh coordinator makes sheep with
// nobody submitting. The rules are in flock_logic.h; this class joins them to
// the grid's Store/Scheduler and the FlockStore.
//
// Owned by the Coordinator (coordinator/service) or a test. Thread-safe: RPC threads call
// Vote/Breed/Annotate while the maintenance thread calls Maintain; one mutex
// serialises the mutating operations.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "coordinator/flock/flock_logic.h"
#include "coordinator/flock/flock_profile.h"
#include "coordinator/flock/flock_store.h"
#include "coordinator/schedule/scheduler.h"
#include "coordinator/store/store.h"
#include "renderer/base/status.h"
#include "renderer/genome/flame.h"

namespace flamegrid::coordinator::flock {

struct PreviewOptions {
  int width = 64;         // the preview's width; height keeps the aspect
  double quality = 10.0;  // samples per pixel of the preview
  BlankOptions blank;
};

// Renders `flame` small and cheaply; the fraction of pixels that differ from
// the background (Coverage).
Result<double> PreviewCoverage(const Flame& flame, const PreviewOptions& options);
// OK, or InvalidArgument saying why the genome cannot enter the flock
// (malformed, or its preview is blank or nearly so).
Status CheckGenomeXml(const std::string& genome_xml, const PreviewOptions& options);

struct FlockOptions {
  int quota = 0;                  // live loops at most; 0: no limit
  int64_t breed_interval_ms = 0;  // scheduled breeding; 0: only on demand
  int breed_count = 1;            // children per scheduled round
  int pool_size = 8;              // parents are drawn from this many best loops
  // Votes: participants of one address group who may vote on one sequence,
  // and the validated frames after which a participant's vote weighs 1
  // (VoteWeight; a participant without validated work may not vote).
  int votes_per_address = 3;
  int64_t vote_full_weight_results = 8;
  PreviewOptions preview;
  FlockProfile profile;  // frames, size, quality and fps of bred and bootstrapped loops
  uint64_t seed = 0;     // 0: random
};

// Random genomes tried per bootstrapped loop before the round gives up on it.
inline constexpr int kBootstrapAttemptsPerLoop = 8;
// After a bootstrap round that made nothing, upkeep waits this long before
// another (a genome generator that keeps failing costs a few previews a minute).
inline constexpr int64_t kBootstrapRetryMs = 60'000;

struct BootstrapReport {
  std::vector<int64_t> loops;  // new sequence ids
  int attempts = 0;            // random genomes tried
  int discarded = 0;           // of them, blank or refused
};

struct BreedReport {
  std::vector<int64_t> children;  // new sequence ids
  int discarded = 0;              // blank children thrown away
  std::vector<std::string> notes;
};

class Flock {
 public:
  // `store` and `scheduler` must outlive the flock.
  Flock(Store& store, Scheduler& scheduler, FlockOptions options);

  // Opens DATA/flock.db.
  Status Open(const std::string& data_dir);

  // `participant` (a worker id) votes +1 or -1 on `sequence_id` from address
  // group `address` (coordinator/rpc/admission.h's ParsePeer); a later vote
  // by the same participant replaces the earlier one. The vote weighs what
  // the participant has rendered (VoteWeight): FailedPrecondition while it
  // has no validated frame, PermissionDenied when quarantined, and
  // ResourceExhausted when votes_per_address others from `address` voted on
  // the sequence already.
  Status Vote(int64_t participant, int64_t sequence_id, int value, const std::string& address);
  Result<BreedReport> Breed(int count);
  // Creates the edges PlanEdges asks for; returns their ids. An edge that
  // cannot be made (the scheduler refuses it, say past the submit limits, or a
  // loop's genome does not read) is logged once and left out, not retried
  // every round nor failing the round.
  Result<std::vector<int64_t>> ConnectEdges();
  // Retires loops over the quota (and the edges that touch them); returns the ids.
  Result<std::vector<int64_t>> Retire();
  // When the flock has no live loop (none rendering or done) and the profile
  // asks for bootstrap loops: seeds that many loops of random genomes
  // (renderer/animate) framed by the profile, each passing the preview check,
  // trying at most kBootstrapAttemptsPerLoop genomes per loop. An empty report
  // when the flock has live loops or bootstrapping is off.
  Result<BootstrapReport> Bootstrap();
  // Scheduled upkeep: breeding when due, bootstrap when the flock is empty,
  // retirement, edges.
  Status Maintain();

  // Fills rating, votes, parents and edge ends of the snapshot's sequences.
  void Annotate(GridSnapshot& snapshot);
  Status CheckGenome(const std::string& genome_xml) {
    return CheckGenomeXml(genome_xml, options_.preview);
  }
  Result<std::vector<Member>> Members();
  const FlockProfile& profile() const { return options_.profile; }

 private:
  int64_t Now() const;
  Result<Flame> GenomeOf(int64_t sequence_id);
  Result<std::vector<Member>> MembersLocked(std::vector<SequenceRecord>* records);
  // Plans and submits the edge `e` from the loop `from`.
  Result<int64_t> CreateEdge(const EdgeSpec& e, const SequenceRecord& from);

  Store& store_;
  Scheduler& scheduler_;
  FlockOptions options_;
  std::unique_ptr<FlockStore> db_;
  std::mutex mu_;       // serialises Breed/ConnectEdges/Retire/Maintain
  std::mutex vote_mu_;  // serialises votes (the per-address count and the write)
  Random rng_;
  int64_t last_breed_ms_ = 0;
  int64_t last_upkeep_ms_ = 0;
  int64_t last_failed_bootstrap_ms_ = 0;  // guarded by mu_; 0: the last round did not fail
  std::set<std::pair<int64_t, int64_t>> unmade_edges_;  // guarded by mu_: (from, to)
};

}  // namespace flamegrid::coordinator::flock
