// What the multi-process grid tests share beside ChildProcess: where the
// binaries are, and the few admin and worker RPCs they make by hand (read the
// admin token, ask for status, submit a loop, register, lease). Stateless
// functions over stubs the caller owns; not thread-safe beyond the stubs.
#pragma once

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

#include "flamegrid/v1/grid.grpc.pb.h"
#include "proto/shared/digest.h"

namespace flamegrid::testing {

inline const std::string kCoordinator = FLAMEGRID_BINARY_DIR "/coordinator/flamegrid-coordinator";
inline const std::string kWorker = FLAMEGRID_BINARY_DIR "/worker/flamegrid-worker";

// The token a coordinator wrote into its data folder ("" before it has).
inline std::string ReadAdminToken(const std::string& data_dir) {
  std::ifstream in(data_dir + "/admin.token");
  std::string token;
  in >> token;
  return token;
}

// The admin Status reply, or nothing when the coordinator did not answer
// within two seconds (it may still be starting).
inline std::optional<v1::StatusResponse> AdminStatus(v1::Admin::Stub& admin,
                                                     const std::string& data_dir) {
  v1::StatusRequest request;
  request.set_admin_token(ReadAdminToken(data_dir));
  v1::StatusResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
  context.set_wait_for_ready(true);
  if (!admin.Status(&context, request, &response).ok()) return std::nullopt;
  return response;
}

// Submits `genome_xml` as a loop of `frames` frames at width x height and
// quality 10; returns its sequence id (0, and a test failure, if refused).
inline int64_t SubmitLoop(v1::Admin::Stub& admin, const std::string& data_dir,
                          const std::string& genome_xml, int frames, int width = 64,
                          int height = 48) {
  v1::SubmitRequest request;
  request.set_admin_token(ReadAdminToken(data_dir));
  request.set_genome_xml(genome_xml);
  request.set_frames(frames);
  request.set_width(width);
  request.set_height(height);
  request.set_quality(10);
  v1::SubmitResponse response;
  grpc::ClientContext context;
  grpc::Status s = admin.Submit(&context, request, &response);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return response.sequence_id();
}

// Registers a worker named `name`; its id and token, or a test failure.
inline v1::WorkerCredentials RegisterWorker(v1::Grid::Stub& grid, const std::string& name) {
  v1::RegisterRequest request;
  request.set_name(name);
  v1::RegisterResponse response;
  grpc::ClientContext context;
  EXPECT_TRUE(grid.Register(&context, request, &response).ok());
  v1::WorkerCredentials credentials;
  credentials.set_worker_id(response.worker_id());
  credentials.set_token(response.token());
  return credentials;
}

// Leases one job; a test failure when none is offered.
inline v1::FrameJob LeaseJob(v1::Grid::Stub& grid, const v1::WorkerCredentials& credentials) {
  v1::LeaseRequest request;
  *request.mutable_credentials() = credentials;
  v1::LeaseResponse response;
  grpc::ClientContext context;
  EXPECT_TRUE(grid.LeaseJob(&context, request, &response).ok());
  EXPECT_TRUE(response.job_available());
  return response.job();
}

// Uploads `bytes` for `job` in 16 KiB chunks, as a worker does. The header's
// hash, declared size and token are right unless overridden, so a test can
// send each lie on its own. `answer`, when given, receives the reply.
struct UploadLies {
  std::optional<std::string> sha256_hex;
  std::optional<uint64_t> size_bytes;
  std::optional<std::string> token;
};
inline grpc::Status UploadFrame(v1::Grid::Stub& grid, const v1::WorkerCredentials& credentials,
                                const v1::FrameJob& job, const std::string& bytes,
                                const UploadLies& lies = {}, bool lease_next = false,
                                v1::UploadResponse* answer = nullptr) {
  v1::UploadResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  auto writer = grid.UploadFrame(&context, &response);
  v1::UploadChunk header;
  auto* h = header.mutable_header();
  *h->mutable_credentials() = credentials;
  if (lies.token) h->mutable_credentials()->set_token(*lies.token);
  h->set_lease_id(job.lease_id());
  h->set_job_id(job.job_id());
  h->set_size_bytes(lies.size_bytes.value_or(bytes.size()));
  h->set_sha256_hex(lies.sha256_hex.value_or(Sha256Hex(bytes)));
  h->set_format("png");
  h->set_lease_next(lease_next);
  writer->Write(header);
  for (size_t at = 0; at < bytes.size(); at += 16384) {
    v1::UploadChunk chunk;
    chunk.set_data(bytes.substr(at, 16384));
    if (!writer->Write(chunk)) break;
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  if (answer) *answer = response;
  return status;
}

}  // namespace flamegrid::testing
