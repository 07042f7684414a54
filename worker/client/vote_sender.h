// Vote sender: delivers the participant's pending local votes (DIR/votes/,
// worker/cache/votes.h) to the coordinator's Grid.Vote, oldest first, and
// removes each once the coordinator has it. Votes the coordinator refuses for
// good (unknown sequence, malformed id) are dropped; votes that fail for a
// passing reason (coordinator away) stay for the next try.
//
// Owned by the flock engineer; used by `flamegrid-worker vote` and the
// worker's loop. A plain function; safe from any thread with its own stub.
#pragma once

#include <string>

#include "flamegrid/v1/grid.grpc.pb.h"
#include "renderer/base/status.h"
#include "worker/client/in_flight_calls.h"

namespace flamegrid::worker {

struct VoteSendReport {
  int sent = 0;
  int dropped = 0;  // refused for good
  int pending = 0;  // left for later
};

// Sends every pending vote in `data_dir` with `credentials`; with `calls`,
// each call is tracked there (cancelled when the worker stops).
Result<VoteSendReport> SendPendingVotes(v1::Grid::StubInterface& stub,
                                        const v1::WorkerCredentials& credentials,
                                        const std::string& data_dir,
                                        InFlightCalls* calls = nullptr);

}  // namespace flamegrid::worker
