// What the collusion, sabotage and hoarding tests share: a hostile
// identity's calls made by hand (lease with the whole answer, give back,
// heartbeat), the noise a colluder uploads, and a wait for an honest
// flamegrid-worker process. Stateless functions over stubs the caller owns;
// thread-safe as far as the stubs are.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "flamegrid/v1/grid.grpc.pb.h"
#include "renderer/image/image.h"
#include "renderer/image/image_io.h"
#include "tests/security/hostile_grid.h"

namespace flamegrid::testing {

// LeaseJob's whole answer and status (the caller judges both).
struct LeaseAnswer {
  grpc::Status status;
  v1::LeaseResponse response;
};
inline LeaseAnswer TryLease(v1::Grid::Stub& grid, const v1::WorkerCredentials& credentials) {
  v1::LeaseRequest request;
  *request.mutable_credentials() = credentials;
  LeaseAnswer answer;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  answer.status = grid.LeaseJob(&context, request, &answer.response);
  return answer;
}

inline grpc::Status GiveBack(v1::Grid::Stub& grid, const v1::WorkerCredentials& credentials,
                             int64_t lease_id, bool render_failed, const std::string& reason) {
  v1::GiveBackRequest request;
  *request.mutable_credentials() = credentials;
  request.set_lease_id(lease_id);
  request.set_render_failed(render_failed);
  request.set_reason(reason);
  v1::GiveBackResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return grid.GiveBack(&context, request, &response);
}

inline grpc::Status Heartbeat(v1::Grid::Stub& grid, const v1::WorkerCredentials& credentials,
                              int64_t lease_id) {
  v1::HeartbeatRequest request;
  *request.mutable_credentials() = credentials;
  request.set_lease_id(lease_id);
  v1::HeartbeatResponse response;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return grid.Heartbeat(&context, request, &response);
}

// Uniform RGB noise of `width` x `height`, the same for the same `seed`.
inline Image Noise(int width, int height, uint32_t seed) {
  Image image(width, height);
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      float* p = image.Pixel(x, y);
      p[0] = unit(random);
      p[1] = unit(random);
      p[2] = unit(random);
      p[3] = 1.0f;
    }
  }
  return image;
}
inline std::string Png(const Image& image) {
  Result<std::string> png = EncodeImage(image, "png", {});
  EXPECT_TRUE(png.ok()) << png.status().ToString();
  return png.ok() ? *png : std::string();
}

// The sequence's record in the admin status (a test failure if missing).
inline std::optional<v1::SequenceInfo> SequenceOf(HostileGrid& grid, int64_t id) {
  std::optional<v1::StatusResponse> status = AdminStatus(grid.admin(), grid.data_dir());
  if (!status) return std::nullopt;
  for (const v1::SequenceInfo& s : status->sequences()) {
    if (s.id() == id) return s;
  }
  return std::nullopt;
}
inline std::optional<v1::WorkerInfo> WorkerNamed(HostileGrid& grid, const std::string& name) {
  std::optional<v1::StatusResponse> status = AdminStatus(grid.admin(), grid.data_dir());
  if (!status) return std::nullopt;
  for (const v1::WorkerInfo& w : status->workers()) {
    if (w.name() == name) return w;
  }
  return std::nullopt;
}

// Starts an honest flamegrid-worker (fake renders, loopback only) named `name`.
inline ChildProcess* StartHonestWorker(HostileGrid& grid, const std::string& name) {
  return grid.StartProcess(
      {kWorker, "--coordinator", grid.address(), "--data", grid.dir() + "/worker-" + name,
       "--threads", "1", "--name", name, "--fake-render", "--no-idle", "--bt-listen", "127.0.0.1:0",
       "--no-port-mapping"},
      "worker-" + name + ".log");
}

inline constexpr const char* kTestGenome =
    R"(<flame name="hostile" size="64 48" scale="20"></flame>)";

}  // namespace flamegrid::testing
