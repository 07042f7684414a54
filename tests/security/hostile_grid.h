// HostileGrid: what every security test shares. It starts a real
// flamegrid-coordinator process on 127.0.0.1 (gRPC and HTTP on free ports,
// its own data folder under the test's temporary directory), hands out
// stubs to play the hostile volunteer with, reads the coordinator's memory
// from /proc (VmHWM: the peak resident set, VmRSS: now) and speaks raw HTTP
// with a bound on time and bytes. Its folder is a new ScratchDir. The
// destructor kills the coordinator and everything started through it, so a
// failed test leaves no process behind, then removes the folder.
//
// One test owns one HostileGrid; not thread-safe except the stubs, which
// gRPC lets many threads use at once.
#pragma once

#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "flamegrid/v1/grid.grpc.pb.h"
#include "tests/integration/grid_rpc.h"
#include "tests/integration/process.h"
#include "tests/integration/scratch_dir.h"

namespace flamegrid::testing {

// A field of /proc/PID/status in kB ("VmHWM", "VmRSS"); -1 when unreadable.
inline int64_t ProcStatusKb(int pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) != 0) continue;
    return std::strtoll(line.c_str() + field.size() + 1, nullptr, 10);
  }
  return -1;
}

// Opens a TCP connection to 127.0.0.1:`port` from `source` (any 127.x.y.z:
// Linux answers the whole 127/8 on loopback, so a test can play many
// addresses); -1 on failure.
inline int ConnectLoopback(int port, const std::string& source = "") {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (!source.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    if (bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      close(fd);
      return -1;
    }
  }
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Sends `request` as is and reads the reply until the server closes, `max_bytes`
// arrived or `seconds` passed. nullopt: could not connect or nothing came back.
inline std::optional<std::string> RawHttp(int port, const std::string& request, double seconds = 5,
                                          size_t max_bytes = 1 << 20,
                                          const std::string& source = "") {
  const int fd = ConnectLoopback(port, source);
  if (fd < 0) return std::nullopt;
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  for (size_t sent = 0; sent < request.size();) {
    const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  std::string reply;
  char buffer[16384];
  while (reply.size() < max_bytes) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          until - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) break;
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    reply.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  if (reply.empty()) return std::nullopt;
  return reply;
}

// The status code of an HTTP reply ("HTTP/1.1 404 ..." -> 404; 0 if none).
inline int HttpStatusOf(const std::string& reply) {
  if (reply.rfind("HTTP/1.", 0) != 0 || reply.size() < 12) return 0;
  return std::atoi(reply.c_str() + 9);
}

class HostileGrid {
 public:
  // `name`: what the test's scratch folder is named after.
  explicit HostileGrid(const std::string& name) : scratch_(name), dir_(scratch_.str()) {}
  ~HostileGrid() {
    for (auto& p : others_) p->Kill(SIGKILL);
    if (coordinator_) coordinator_->Kill(SIGKILL);
  }

  // Starts `flamegrid-coordinator serve` with `extra` flags after the ones
  // that place it (listen, http, data) and waits until it answers Status.
  // `fake_render` renders stand-in frames instead of flames (fast).
  bool Start(const std::vector<std::string>& extra = {}, bool fake_render = true) {
    grpc_port_ = FreePort();
    http_port_ = FreePort();
    address_ = "127.0.0.1:" + std::to_string(grpc_port_);
    std::vector<std::string> argv = {kCoordinator,     "serve",
                                     "--listen",       address_,
                                     "--http",         "127.0.0.1:" + std::to_string(http_port_),
                                     "--data",         data_dir(),
                                     "--video-preset", "ultrafast"};
    if (fake_render) argv.push_back("--fake-render");
    argv.insert(argv.end(), extra.begin(), extra.end());
    coordinator_ = std::make_unique<ChildProcess>();
    if (!coordinator_->Start(argv, dir_ + "/coordinator.log")) return false;
    channel_ = grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
    grid_ = v1::Grid::NewStub(channel_);
    admin_ = v1::Admin::NewStub(channel_);
    // Stops waiting as soon as the coordinator exits (a port taken, say).
    bool answered = false;
    WaitFor(
        [&] {
          answered = AdminStatus(*admin_, data_dir()).has_value();
          return answered || !coordinator_->Running();
        },
        30);
    return answered;
  }

  // A further process (an honest worker, say), killed with the grid.
  ChildProcess* StartProcess(const std::vector<std::string>& argv, const std::string& log_name) {
    others_.push_back(std::make_unique<ChildProcess>());
    if (!others_.back()->Start(argv, dir_ + "/" + log_name)) return nullptr;
    return others_.back().get();
  }

  // A new channel of its own (each hostile identity may want one, so that
  // the coordinator sees separate connections).
  std::shared_ptr<grpc::Channel> NewChannel() const {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    return grpc::CreateCustomChannel(address_, grpc::InsecureChannelCredentials(), args);
  }

  v1::Grid::Stub& grid() { return *grid_; }
  v1::Admin::Stub& admin() { return *admin_; }
  const std::string& address() const { return address_; }
  int http_port() const { return http_port_; }
  std::string data_dir() const { return dir_ + "/data"; }
  const std::string& dir() const { return dir_; }
  ChildProcess& coordinator() { return *coordinator_; }
  int64_t PeakRssKb() const { return ProcStatusKb(coordinator_->pid(), "VmHWM"); }
  int64_t RssKb() const { return ProcStatusKb(coordinator_->pid(), "VmRSS"); }
  std::string Log() const { return coordinator_ ? coordinator_->Log() : ""; }

 private:
  ScratchDir scratch_;  // first: removed after the processes are gone
  std::string dir_;
  std::string address_;
  int grpc_port_ = 0;
  int http_port_ = 0;
  std::unique_ptr<ChildProcess> coordinator_;
  std::vector<std::unique_ptr<ChildProcess>> others_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Grid::Stub> grid_;
  std::unique_ptr<v1::Admin::Stub> admin_;
};

}  // namespace flamegrid::testing
