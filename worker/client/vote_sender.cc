#include "worker/client/vote_sender.h"

#include <grpcpp/grpcpp.h>

#include <chrono>

#include "proto/shared/grpc_status.h"
#include "proto/shared/log.h"
#include "renderer/base/parse_number.h"
#include "worker/cache/votes.h"

namespace flamegrid::worker {

Result<VoteSendReport> SendPendingVotes(v1::Grid::StubInterface& stub,
                                        const v1::WorkerCredentials& credentials,
                                        const std::string& data_dir, InFlightCalls* calls) {
  VoteSendReport report;
  FG_ASSIGN_OR_RETURN(std::vector<cache::VoteRecord> votes, cache::ListPendingVotes(data_dir));
  for (const cache::VoteRecord& vote : votes) {
    const Result<int64_t> parsed = ParseInt64(vote.sequence_id, "sequence id");
    const int64_t sequence_id = parsed.ok() ? *parsed : 0;
    if (sequence_id <= 0) {
      GridLog("dropping a vote on \"%s\": not a sequence id", vote.sequence_id.c_str());
      (void)cache::RemoveVote(vote);
      ++report.dropped;
      continue;
    }
    v1::VoteRequest request;
    *request.mutable_credentials() = credentials;
    request.set_sequence_id(sequence_id);
    request.set_up(vote.vote == cache::Vote::kUp);
    v1::VoteResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    const InFlightCalls::Scope tracked(calls, &context);
    const Status answer = FromGrpc(stub.Vote(&context, request, &response));
    if (answer.ok()) {
      FG_RETURN_IF_ERROR(cache::RemoveVote(vote));
      ++report.sent;
    } else if (answer.code() == StatusCode::kNotFound ||
               answer.code() == StatusCode::kInvalidArgument ||
               answer.code() == StatusCode::kResourceExhausted) {
      // No such sequence, or this network's voters on it are counted in
      // full: asking again cannot change the answer. (FailedPrecondition,
      // no validated work yet, may change: that vote waits.)
      GridLog("coordinator refused the vote on %lld: %s", static_cast<long long>(sequence_id),
              Printable(answer.message()).c_str());
      (void)cache::RemoveVote(vote);
      ++report.dropped;
    } else {
      ++report.pending;
    }
  }
  return report;
}

}  // namespace flamegrid::worker
