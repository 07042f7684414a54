// The gRPC face of the coordinator: flamegrid.v1.Grid (workers) and
// flamegrid.v1.Admin (operator tools) translated onto the Scheduler, with
// flamegrid::Status mapped to gRPC status codes (proto/shared/grpc_status.h).
// Also the proto conversions the command-line tools share.
//
// Owned by the Coordinator (coordinator/service); gRPC calls these services from its own threads
// (the Scheduler is thread-safe).
#pragma once

#include <grpcpp/grpcpp.h>

#include "coordinator/flock/flock.h"
#include "coordinator/rpc/upload_streams.h"
#include "coordinator/rpc/admission.h"
#include "coordinator/schedule/scheduler.h"
#include "flamegrid/v1/grid.grpc.pb.h"
#include "proto/shared/grpc_status.h"

namespace flamegrid::coordinator {

void ToProto(const SequenceRecord& record, v1::SequenceInfo* info);
void ToProto(const WorkerRecord& record, v1::WorkerInfo* info);
// InvalidArgument when a sequence is in a state this build does not know.
Result<GridSnapshot> FromProto(const v1::StatusResponse& response);

class GridService final : public v1::Grid::Service {
 public:
  // `flock` (may be null: votes are refused) and `env` (the clock upload
  // streams are timed by) must outlive the service.
  explicit GridService(Scheduler& scheduler, flock::Flock* flock = nullptr,
                       UploadStreamLimits uploads = {}, Env* env = Env::Default())
      : scheduler_(scheduler), flock_(flock), uploads_(env, uploads) {
    uploads_.StartWatchdog();
  }

  // Where participants reach the HTTP side ("http://HOST:PORT"): sent in
  // RegisterResponse and ListFlockResponse, and each published sequence's
  // torrent URL is made from it. Call before the server starts.
  void SetPublicHttp(std::string base) { public_http_ = std::move(base); }
  // The door of Register (rate limit, proof of work); null: none. Must
  // outlive the service; set before the server starts.
  void SetAdmission(Admission* admission) { admission_ = admission; }

  grpc::Status Register(grpc::ServerContext*, const v1::RegisterRequest* request,
                        v1::RegisterResponse* response) override;
  grpc::Status RegisterChallenge(grpc::ServerContext* context,
                                 const v1::RegisterChallengeRequest* request,
                                 v1::RegisterChallengeResponse* response) override;
  grpc::Status LeaseJob(grpc::ServerContext*, const v1::LeaseRequest* request,
                        v1::LeaseResponse* response) override;
  grpc::Status Heartbeat(grpc::ServerContext*, const v1::HeartbeatRequest* request,
                         v1::HeartbeatResponse* response) override;
  grpc::Status UploadFrame(grpc::ServerContext*, grpc::ServerReader<v1::UploadChunk>* reader,
                           v1::UploadResponse* response) override;
  grpc::Status GiveBack(grpc::ServerContext*, const v1::GiveBackRequest* request,
                        v1::GiveBackResponse* response) override;
  grpc::Status ListFlock(grpc::ServerContext*, const v1::ListFlockRequest* request,
                         v1::ListFlockResponse* response) override;
  grpc::Status Vote(grpc::ServerContext*, const v1::VoteRequest* request,
                    v1::VoteResponse* response) override;

 private:
  Scheduler& scheduler_;
  flock::Flock* flock_;
  Admission* admission_ = nullptr;
  std::string public_http_;
  UploadStreams uploads_;
};

class AdminService final : public v1::Admin::Service {
 public:
  // `flock` (may be null: breeding is refused) must outlive the service.
  explicit AdminService(Scheduler& scheduler, flock::Flock* flock = nullptr)
      : scheduler_(scheduler), flock_(flock) {}

  grpc::Status Submit(grpc::ServerContext*, const v1::SubmitRequest* request,
                      v1::SubmitResponse* response) override;
  grpc::Status Status(grpc::ServerContext*, const v1::StatusRequest* request,
                      v1::StatusResponse* response) override;
  grpc::Status Breed(grpc::ServerContext*, const v1::BreedRequest* request,
                     v1::BreedResponse* response) override;

 private:
  Scheduler& scheduler_;
  flock::Flock* flock_;
};

}  // namespace flamegrid::coordinator
