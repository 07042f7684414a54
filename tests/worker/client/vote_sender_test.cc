// SendPendingVotes against a coordinator that answers each vote with a
// chosen status: a vote the coordinator will never take is dropped, one it
// may take later (the worker has no validated work yet, the coordinator is
// away) stays pending.
#include "worker/client/vote_sender.h"

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "tests/integration/scratch_dir.h"
#include "worker/cache/votes.h"

namespace flamegrid::worker {
namespace {

// Answers the vote on sequence N with kAnswers[N].
class ScriptedGrid final : public v1::Grid::Service {
 public:
  grpc::Status Vote(grpc::ServerContext*, const v1::VoteRequest* request,
                    v1::VoteResponse*) override {
    switch (request->sequence_id()) {
      case 1:
        return grpc::Status::OK;
      case 2:
        return grpc::Status(grpc::StatusCode::NOT_FOUND, "no sequence 2");
      case 3:
        return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                            "3 participants of 127.0.0.0/24 voted on sequence 3 already");
      case 4:
        return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                            "only workers with validated frames may vote");
      default:
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "busy");
    }
  }
};

TEST(VoteSender, DropsVotesTheCoordinatorWillNeverTakeAndKeepsTheRest) {
  const testing::ScratchDir scratch("vote_sender");
  const std::filesystem::path& data = scratch.path();
  for (const char* id : {"1", "2", "3", "4", "5"}) {
    ASSERT_TRUE(cache::RecordVote(data, id, cache::Vote::kUp).ok());
  }
  ScriptedGrid service;
  int port = 0;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_GT(port, 0);
  auto stub = v1::Grid::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));

  Result<VoteSendReport> report = SendPendingVotes(*stub, v1::WorkerCredentials(), data, nullptr);
  server->Shutdown();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->sent, 1);
  EXPECT_EQ(report->dropped, 2);  // no such sequence; the address's bound on it is reached
  EXPECT_EQ(report->pending, 2);  // no validated work yet; coordinator busy
  Result<std::vector<cache::VoteRecord>> left = cache::ListPendingVotes(data);
  ASSERT_TRUE(left.ok());
  std::set<std::string> ids;
  for (const cache::VoteRecord& v : *left) ids.insert(v.sequence_id);
  EXPECT_EQ(ids, (std::set<std::string>{"4", "5"}));
}

}  // namespace
}  // namespace flamegrid::worker
