// ChildProcess and helpers for multi-process grid tests on 127.0.0.1: start
// a binary with its output in a log file, signal it, and always reap it (the
// destructor SIGKILLs a process still running, so a failed test leaves none
// behind). Not thread-safe; one test owns its processes.
#pragma once

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace flamegrid::testing {

class ChildProcess {
 public:
  ChildProcess() = default;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess() { Kill(SIGKILL); }

  // Starts `argv` with stdout and stderr appended to `log_path`.
  bool Start(const std::vector<std::string>& argv, const std::string& log_path) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int rc = posix_spawn(&pid_, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    log_path_ = log_path;
    if (rc != 0) pid_ = -1;
    return rc == 0;
  }

  // Sends `signal` and waits for the exit (SIGKILL after 10 s). Returns the
  // exit status as waitpid reports it, or -1 when nothing was running.
  int Kill(int signal) {
    if (pid_ <= 0) return -1;
    ::kill(pid_, signal);
    int status = 0;
    for (int i = 0; i < 1000; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ::kill(pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

  int pid() const { return pid_; }

  bool Running() {
    if (pid_ <= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return false;
    }
    return true;
  }

  std::string Log() const {
    std::ifstream in(log_path_);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

// Whether `port` on 127.0.0.1 can be bound now, for TCP and for UDP (the
// BitTorrent seed speaks uTP on the port it listens on).
inline bool PortBindable(int port) {
  for (int type : {SOCK_STREAM, SOCK_DGRAM}) {
    const int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    close(fd);
    if (!bound) return false;
  }
  return true;
}

// A port on 127.0.0.1 that is free now, for a process the test starts later.
//
// Why not bind to port 0 and close: that port comes from the kernel's
// ephemeral range, which every outgoing connection also draws from, and the
// tests running beside this one open thousands. One of them took such a port
// between the pick and the coordinator's bind ("Address already in use", a
// failed CI run). So the port is drawn at random from below the ephemeral
// range, where the kernel never hands ports out, and reserved against the
// other test processes by an flock(2) on a file named for it, held until this
// process exits (the kernel drops the lock even if it is killed).
inline int FreePort() {
  int ephemeral_low = 32768;
  if (std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range"); range) {
    range >> ephemeral_low;
  }
  const int first = 10000;
  const int last = std::min(ephemeral_low - 1, 65535);
  const std::filesystem::path locks =
      std::filesystem::temp_directory_path() / "flamegrid-test-ports";
  std::error_code error;
  std::filesystem::create_directories(locks, error);
  static std::mt19937 random(std::random_device{}() ^ static_cast<unsigned>(getpid()));
  for (int attempt = 0; last - first >= 1000 && attempt < 500; ++attempt) {
    const int port = std::uniform_int_distribution<int>(first, last)(random);
    const std::string lock = (locks / std::to_string(port)).string();
    const int fd = open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) break;  // no lock folder: fall back to the kernel's pick
    if (flock(fd, LOCK_EX | LOCK_NB) != 0 || !PortBindable(port)) {
      close(fd);
      continue;
    }
    return port;  // fd stays open: the reservation lasts as long as this process
  }
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t length = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
  close(fd);
  return ntohs(addr.sin_port);
}

// Polls `condition` every 50 ms until it holds or `seconds` pass.
inline bool WaitFor(const std::function<bool()>& condition, double seconds) {
  const auto until = std::chrono::steady_clock::now() +
                     std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  while (std::chrono::steady_clock::now() < until) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

// The whole file at `path` ("" when it cannot be read).
inline std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// Prints the last `max_bytes` of every *.log file in `dir` to stderr: what a
// failed multi-process test shows of its processes.
inline void PrintLogTails(const std::string& dir, size_t max_bytes = 6000) {
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() != ".log") continue;
    std::string log = ReadAll(entry.path());
    if (log.size() > max_bytes) log = "..." + log.substr(log.size() - max_bytes);
    std::fprintf(stderr, "==== %s\n%s\n", entry.path().c_str(), log.c_str());
  }
}

}  // namespace flamegrid::testing
