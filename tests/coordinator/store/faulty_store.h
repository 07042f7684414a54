// FaultyStore: the Store's twin for tests. It forwards every call to a real
// Store (SQLite in a test's temporary folder) except where a test told it to
// fail: the next N calls of a chosen method fail with a chosen status and
// change nothing, as a Store's failed transaction does. It counts calls, so
// a test can also see what the scheduler asked. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "coordinator/store/store.h"

namespace flamegrid::testing {

class FaultyStore : public coordinator::Store {
 public:
  enum class Call {
    kCreateSequence,
    kGetSequence,
    kListSequences,
    kSequencesInState,
    kSetSequenceState,
    kFramePaths,
    kCreateWorker,
    kGetWorker,
    kListWorkers,
    kLeaseJob,
    kGetJobByLease,
    kExtendLease,
    kLapsedLeases,
    kFailuresOfJob,
    kCommitResult,
    kFailJob,
    kResultsOfJob,
    kValidResultsOfWorker,
    kInvalidateResult,
    kAcceptPendingResult,
    kQuarantineWorker,
    kStaleReplicaJobs,
    kCounts,
    kCountWorkers,
    kListWorkersPage,
  };

  // `target` must outlive the wrapper.
  explicit FaultyStore(coordinator::Store& target) : target_(target) {}

  // After `skip` calls of `call` succeed, the next `count` fail with `status`
  // (count < 0: all of them) without reaching the real store.
  void Fail(Call call, Status status, int count = 1, int skip = 0) {
    std::lock_guard lock(mu_);
    faults_.push_back({call, std::move(status), count, skip});
  }
  void ClearFaults() {
    std::lock_guard lock(mu_);
    faults_.clear();
  }
  // Calls of `call` made (failed ones included), and calls failed on purpose.
  int Calls(Call call) {
    std::lock_guard lock(mu_);
    return calls_[call];
  }
  int Injected() {
    std::lock_guard lock(mu_);
    return injected_;
  }

  Result<int64_t> CreateSequence(const coordinator::NewSequence& sequence) override {
    if (auto fault = Check(Call::kCreateSequence)) return *fault;
    return target_.CreateSequence(sequence);
  }
  Result<coordinator::SequenceRecord> GetSequence(int64_t id) override {
    if (auto fault = Check(Call::kGetSequence)) return *fault;
    return target_.GetSequence(id);
  }
  Result<std::vector<coordinator::SequenceRecord>> ListSequences() override {
    if (auto fault = Check(Call::kListSequences)) return *fault;
    return target_.ListSequences();
  }
  Result<std::vector<coordinator::SequenceRecord>> SequencesInState(
      coordinator::SequenceState state) override {
    if (auto fault = Check(Call::kSequencesInState)) return *fault;
    return target_.SequencesInState(state);
  }
  Status SetSequenceState(int64_t id, coordinator::SequenceState state,
                          const std::string& video_path, const std::string& failure) override {
    if (auto fault = Check(Call::kSetSequenceState)) return *fault;
    return target_.SetSequenceState(id, state, video_path, failure);
  }
  Result<std::vector<std::string>> FramePaths(int64_t sequence_id) override {
    if (auto fault = Check(Call::kFramePaths)) return *fault;
    return target_.FramePaths(sequence_id);
  }
  Result<int64_t> CreateWorker(const std::string& name, const std::string& token_hash, int threads,
                               const std::string& address, int64_t now_ms) override {
    if (auto fault = Check(Call::kCreateWorker)) return *fault;
    return target_.CreateWorker(name, token_hash, threads, address, now_ms);
  }
  Result<coordinator::WorkerRecord> GetWorker(int64_t id) override {
    if (auto fault = Check(Call::kGetWorker)) return *fault;
    return target_.GetWorker(id);
  }
  Result<std::vector<coordinator::WorkerRecord>> ListWorkers() override {
    if (auto fault = Check(Call::kListWorkers)) return *fault;
    return target_.ListWorkers();
  }
  Result<coordinator::LeaseOutcome> LeaseJob(int64_t worker_id, int64_t lease_id, int64_t now_ms,
                                             int64_t deadline_ms,
                                             const coordinator::LeaseLimits& limits) override {
    if (auto fault = Check(Call::kLeaseJob)) return *fault;
    return target_.LeaseJob(worker_id, lease_id, now_ms, deadline_ms, limits);
  }
  Result<coordinator::JobRecord> GetJobByLease(int64_t lease_id) override {
    if (auto fault = Check(Call::kGetJobByLease)) return *fault;
    return target_.GetJobByLease(lease_id);
  }
  Result<int64_t> ExtendLease(int64_t lease_id, int64_t worker_id, int64_t deadline_ms,
                              int64_t max_life_ms) override {
    if (auto fault = Check(Call::kExtendLease)) return *fault;
    return target_.ExtendLease(lease_id, worker_id, deadline_ms, max_life_ms);
  }
  Result<std::vector<coordinator::JobRecord>> LapsedLeases(int64_t now_ms) override {
    if (auto fault = Check(Call::kLapsedLeases)) return *fault;
    return target_.LapsedLeases(now_ms);
  }
  Result<std::vector<coordinator::JobFailureRecord>> FailuresOfJob(int64_t job_id) override {
    if (auto fault = Check(Call::kFailuresOfJob)) return *fault;
    return target_.FailuresOfJob(job_id);
  }
  Status CommitResult(const coordinator::ResultCommit& commit) override {
    if (auto fault = Check(Call::kCommitResult)) return *fault;
    return target_.CommitResult(commit);
  }
  Result<std::optional<coordinator::FailedSequence>> FailJob(
      const coordinator::JobFailure& failure) override {
    if (auto fault = Check(Call::kFailJob)) return *fault;
    return target_.FailJob(failure);
  }
  Result<std::vector<coordinator::ResultRecord>> ResultsOfJob(int64_t job_id) override {
    if (auto fault = Check(Call::kResultsOfJob)) return *fault;
    return target_.ResultsOfJob(job_id);
  }
  Result<std::vector<coordinator::ResultRecord>> ValidResultsOfWorker(int64_t worker_id) override {
    if (auto fault = Check(Call::kValidResultsOfWorker)) return *fault;
    return target_.ValidResultsOfWorker(worker_id);
  }
  Status InvalidateResult(int64_t result_id, const std::string& reason) override {
    if (auto fault = Check(Call::kInvalidateResult)) return *fault;
    return target_.InvalidateResult(result_id, reason);
  }
  Status AcceptPendingResult(int64_t result_id, const std::string& check, int64_t now_ms) override {
    if (auto fault = Check(Call::kAcceptPendingResult)) return *fault;
    return target_.AcceptPendingResult(result_id, check, now_ms);
  }
  Status QuarantineWorker(int64_t worker_id) override {
    if (auto fault = Check(Call::kQuarantineWorker)) return *fault;
    return target_.QuarantineWorker(worker_id);
  }
  Result<std::vector<coordinator::JobRecord>> StaleReplicaJobs(int64_t older_than_ms) override {
    if (auto fault = Check(Call::kStaleReplicaJobs)) return *fault;
    return target_.StaleReplicaJobs(older_than_ms);
  }
  Result<coordinator::GridCounts> Counts(int64_t seen_since_ms) override {
    if (auto fault = Check(Call::kCounts)) return *fault;
    return target_.Counts(seen_since_ms);
  }
  Result<coordinator::WorkerCounts> CountWorkers(int64_t seen_since_ms,
                                                 int64_t trusted_after) override {
    if (auto fault = Check(Call::kCountWorkers)) return *fault;
    return target_.CountWorkers(seen_since_ms, trusted_after);
  }
  Result<std::vector<coordinator::WorkerRecord>> ListWorkersPage(int64_t offset,
                                                                 int limit) override {
    if (auto fault = Check(Call::kListWorkersPage)) return *fault;
    return target_.ListWorkersPage(offset, limit);
  }

 private:
  struct Fault {
    Call call;
    Status status;
    int count;  // < 0: forever
    int skip;
  };

  // The status to fail this call with, if a fault matches it.
  std::optional<Status> Check(Call call) {
    std::lock_guard lock(mu_);
    ++calls_[call];
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
      if (it->call != call) continue;
      if (it->skip > 0) {
        --it->skip;
        continue;
      }
      Status status = it->status;
      if (it->count > 0 && --it->count == 0) faults_.erase(it);
      ++injected_;
      return status;
    }
    return std::nullopt;
  }

  coordinator::Store& target_;
  std::mutex mu_;
  std::vector<Fault> faults_;
  std::map<Call, int> calls_;
  int injected_ = 0;
};

}  // namespace flamegrid::testing
