#include "coordinator/validate/verdict.h"

#include <cstdio>

#include "proto/shared/address.h"

namespace flamegrid::coordinator {
namespace {

std::string DifferenceText(double d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", d);
  return text;
}

UploadVerdict Accept(ResultCheck check) {
  UploadVerdict v;
  v.kind = VerdictKind::kAccept;
  v.check = check;
  return v;
}

UploadVerdict AwaitReplica() {
  UploadVerdict v;
  v.kind = VerdictKind::kAwaitReplica;
  v.check = ResultCheck::kPending;
  return v;
}

UploadVerdict NeedReference() {
  UploadVerdict v;
  v.kind = VerdictKind::kNeedReference;
  return v;
}

// The result alone against the coordinator's render: accepted, or refused
// and (unless the worker is already quarantined) its worker quarantined.
UploadVerdict JudgeByReference(const UploadEvidence& e) {
  if (!e.reference_difference) return NeedReference();
  const double d = *e.reference_difference;
  const double tolerance = e.policy.reference_tolerance;
  if (d <= tolerance) return Accept(ResultCheck::kReference);
  UploadVerdict v;
  v.kind = VerdictKind::kRefuse;
  v.quarantine_worker = e.at != JudgedAt::kRecheck;
  switch (e.at) {
    case JudgedAt::kUpload:
      v.reason = "frame differs from the reference render by " + DifferenceText(d) +
                 " (tolerance " + DifferenceText(tolerance) + ")";
      break;
    case JudgedAt::kReplicaWait:
      v.reason = "frame " + std::to_string(e.frame) + " of sequence " +
                 std::to_string(e.sequence_id) + " differs from the reference render by " +
                 DifferenceText(d);
      break;
    case JudgedAt::kRecheck:
      v.reason = "re-checked after its worker was quarantined: differs from the reference by " +
                 DifferenceText(d);
      break;
  }
  return v;
}

// A second volunteer's render of a frame that holds the first one's.
UploadVerdict JudgeSecondRender(const UploadEvidence& e) {
  // The first result vanished (invalidated meanwhile): this one waits alone.
  if (!e.replica_difference) return AwaitReplica();
  // Agreement is final only when a trusted worker on another network vouches:
  // fresh identities are free, and one machine can hold many of them.
  const bool vouched = (e.trusted || e.replica_trusted) && !e.same_network;
  if (*e.replica_difference <= e.policy.replica_tolerance && vouched) {
    UploadVerdict v = Accept(ResultCheck::kReplica);
    v.confirm_replica = true;
    return v;
  }
  // They disagree, or nobody vouches: the coordinator's own render decides.
  if (!e.reference_difference || !e.replica_reference_difference) return NeedReference();
  UploadVerdict v = JudgeByReference(e);
  const double theirs = *e.replica_reference_difference;
  if (theirs > e.policy.reference_tolerance) {
    v.invalidate_replica = true;
    v.replica_reason = "frame " + std::to_string(e.frame) + " of sequence " +
                       std::to_string(e.sequence_id) + " differs from the reference render by " +
                       DifferenceText(theirs) + " (judged with a replica)";
  } else if (v.kind == VerdictKind::kAccept) {
    v.confirm_replica = true;  // both agree with the reference
  }
  return v;
}

}  // namespace

bool SameNetwork(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  return NetworkOf(a) == NetworkOf(b);
}

FailureBlame BlameFailure(const FailureEvidence& e) {
  // The coordinator rendered the frame: the failure is the worker's.
  if (e.reference_failed == false) return FailureBlame::kWorker;
  if (e.distinct_workers >= e.job_failure_workers && e.trusted_among) return FailureBlame::kJob;
  // A second worker failed it too: the coordinator's own render says
  // whether the frame can be rendered at all.
  if (e.distinct_workers >= 2 && e.reference_possible) {
    return e.reference_failed.has_value() ? FailureBlame::kJob : FailureBlame::kNeedReference;
  }
  return FailureBlame::kWorker;
}

const char* ResultCheckName(ResultCheck check) {
  switch (check) {
    case ResultCheck::kPending:
      return "pending";
    case ResultCheck::kReplica:
      return "replica";
    case ResultCheck::kReference:
      return "reference";
    case ResultCheck::kTrusted:
      return "trusted";
  }
  return "?";
}

UploadVerdict DecideUpload(const UploadEvidence& e) {
  if (e.fault != FrameFault::kNone) {
    UploadVerdict v;
    v.kind = VerdictKind::kRefuse;
    v.reason = e.fault_detail;
    return v;
  }
  if (e.at != JudgedAt::kUpload) return JudgeByReference(e);
  if (e.second_render) return JudgeSecondRender(e);
  switch (ChooseCheck(e.policy, e.verified_results, e.invalid_results, e.draw)) {
    case CheckKind::kReplica:
      return AwaitReplica();
    case CheckKind::kReference:
      return JudgeByReference(e);
    case CheckKind::kTrusted:
      return Accept(ResultCheck::kTrusted);
  }
  return NeedReference();
}

}  // namespace flamegrid::coordinator
