// Upload verdict: the one place that decides what a frame result is worth.
// The scheduler gathers the evidence (the image check's outcome, how the
// result compares with a replica and with the coordinator's own render, the
// worker's record) and DecideUpload turns it into a verdict: accept, wait
// for a second volunteer, or refuse; whom to quarantine; which other result
// to confirm or invalidate; and how the result was checked. Agreement is
// final only when one side is a trusted worker on another network; two
// untrusted identities (or two from one /24 or /64) that agree are judged by
// the coordinator's own render. BlameFailure decides whether a failed render
// or refused upload counts against the job or only against its worker.
// They render and read nothing themselves, so every rule is unit-testable.
//
// A comparison the rules need but the evidence lacks (the reference render
// is costly, so the scheduler makes it only on demand) is asked for with
// VerdictKind::kNeedReference: the caller renders, fills the evidence in and
// decides again. Pure functions on value types; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "coordinator/validate/frame_check.h"

namespace flamegrid::coordinator {

// How a result was (or will be) validated, as the results table stores it.
enum class ResultCheck {
  kPending,    // waiting for a replica
  kReplica,    // agreed with a second volunteer's render
  kReference,  // agreed with the coordinator's own render
  kTrusted,    // accepted on its worker's record
};

const char* ResultCheckName(ResultCheck check);

// Why the result is being judged.
enum class JudgedAt {
  kUpload,       // a worker just uploaded it
  kReplicaWait,  // it waited for a replica longer than the policy allows
  kRecheck,      // its worker was quarantined; an accepted frame is looked at again
};

struct UploadEvidence {
  JudgedAt at = JudgedAt::kUpload;
  // The image check of the upload (kUpload only); `fault_detail` says why.
  FrameFault fault = FrameFault::kNone;
  std::string fault_detail;
  // kUpload: the job already holds another worker's result waiting for this
  // one as its replica. `replica_difference` is their difference (1.0 when
  // the other file is unreadable); nullopt when that result vanished.
  bool second_render = false;
  std::optional<double> replica_difference;
  // Whether this result's worker and the replica's are trusted, and whether
  // they share a network (proto/shared/address.h's NetworkOf): then neither vouches for the other.
  bool trusted = false;
  bool replica_trusted = false;
  bool same_network = false;
  // Differences from the coordinator's render: this result's, and (when
  // replicas disagree) the other result's. nullopt: not rendered yet.
  std::optional<double> reference_difference;
  std::optional<double> replica_reference_difference;
  // The worker's record (verified_results: WorkerRecord's) and the policy
  // that turns it into a check.
  int64_t verified_results = 0;
  int64_t invalid_results = 0;
  ValidationPolicy policy;
  uint64_t draw = 0;        // uniform random number for the trusted worker's spot check
  int64_t sequence_id = 0;  // for the reasons' text
  int frame = 0;
};

enum class VerdictKind {
  kAccept,         // the frame is final
  kAwaitReplica,   // kept, pending a second volunteer's render
  kRefuse,         // refused (kUpload: the job goes back; later: the result is invalidated)
  kNeedReference,  // decide again with the reference difference(s) filled in
};

struct UploadVerdict {
  VerdictKind kind = VerdictKind::kRefuse;
  ResultCheck check = ResultCheck::kPending;
  bool quarantine_worker = false;  // this result's worker was caught cheating
  // The other worker's result this one was a replica of (second_render).
  bool confirm_replica = false;     // it is valid: accept it with this one
  bool invalidate_replica = false;  // it is wrong: invalidate it, quarantine its worker
  std::string reason;               // why this result was refused
  std::string replica_reason;       // why the other result was invalidated
};

UploadVerdict DecideUpload(const UploadEvidence& evidence);

// Whether results from these two addresses may vouch for each other.
bool SameNetwork(const std::string& a, const std::string& b);

// A failed render (a give-back with render_failed), a refused upload or a
// lapsed lease of one job.
struct FailureEvidence {
  // Distinct workers that failed the job, this one included, and whether a
  // trusted one is among them.
  int distinct_workers = 1;
  bool trusted_among = false;
  // The failure can be checked with the coordinator's own render (not for
  // a lapse: a frame that hangs a worker would hang the coordinator).
  bool reference_possible = true;
  // Whether the coordinator's reference render of the frame failed too;
  // nullopt: not tried yet; false (it rendered) puts the failure on the worker.
  std::optional<bool> reference_failed;
  int job_failure_workers = 3;  // the policy: this many distinct workers, one trusted
};

enum class FailureBlame {
  kWorker,         // the worker's failure count goes up; the job is retried
  kJob,            // the job's failure count goes up (it fails for good at max_failures)
  kNeedReference,  // decide again with reference_failed filled in
};

FailureBlame BlameFailure(const FailureEvidence& evidence);

}  // namespace flamegrid::coordinator
