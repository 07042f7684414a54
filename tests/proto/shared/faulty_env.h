// FaultyEnv: the Env's twin for tests. It forwards to a real Env (files in a
// test's temporary folder) except where a test told it to fail: the next N
// writes under "frames/" fail with a full disk, every rename fails, free
// space reads as 10 MB. Its clock is the real one until a test sets it;
// then it moves only when the test advances it, so lease deadlines and
// expiry can be tested without sleeping. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "proto/shared/env.h"

namespace flamegrid::testing {

class FaultyEnv : public EnvWrapper {
 public:
  enum class Op {
    kRead,
    kWrite,
    kRename,
    kRemove,
    kRemoveTree,
    kCreateDirectories,
    kList,
    kFileSize
  };

  explicit FaultyEnv(Env* target = Env::Default()) : EnvWrapper(target) {}

  // After `skip` matching calls succeed, the next `count` calls of `op` whose
  // path contains `path_part` fail with `status` (count < 0: all of them).
  void Fail(Op op, Status status, int count = 1, std::string path_part = "", int skip = 0) {
    std::lock_guard lock(mu_);
    faults_.push_back({op, std::move(status), count, std::move(path_part), skip});
  }
  // A full disk: ResourceExhausted, as the real Env reports ENOSPC.
  static Status DiskFull() {
    return Status::ResourceExhausted("injected: no space left on device");
  }
  void ClearFaults() {
    std::lock_guard lock(mu_);
    faults_.clear();
  }
  // How many calls of `op` were made, and how many calls were failed on purpose.
  int Calls(Op op) {
    std::lock_guard lock(mu_);
    return calls_[op];
  }
  int Injected() {
    std::lock_guard lock(mu_);
    return injected_;
  }

  // nullopt: the real free space.
  void SetFreeBytes(std::optional<uint64_t> bytes) {
    std::lock_guard lock(mu_);
    free_bytes_ = bytes;
  }
  // Freezes the clock at `now_ms`; AdvanceMs moves it.
  void SetNowMs(int64_t now_ms) {
    std::lock_guard lock(mu_);
    now_ms_ = now_ms;
  }
  void AdvanceMs(int64_t ms) {
    std::lock_guard lock(mu_);
    if (!now_ms_) now_ms_ = EnvWrapper::NowMs();
    *now_ms_ += ms;
  }

  Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes) override {
    if (auto fault = Check(Op::kRead, path)) return *fault;
    return EnvWrapper::ReadFile(path, max_bytes);
  }
  Status WriteFileAtomic(const std::string& path, std::string_view bytes, SyncPolicy sync,
                         int mode) override {
    if (auto fault = Check(Op::kWrite, path)) return *fault;
    return EnvWrapper::WriteFileAtomic(path, bytes, sync, mode);
  }
  Status RenameFile(const std::string& from, const std::string& to) override {
    if (auto fault = Check(Op::kRename, to)) return *fault;
    return EnvWrapper::RenameFile(from, to);
  }
  Status RemoveFile(const std::string& path) override {
    if (auto fault = Check(Op::kRemove, path)) return *fault;
    return EnvWrapper::RemoveFile(path);
  }
  Status RemoveTree(const std::string& path) override {
    if (auto fault = Check(Op::kRemoveTree, path)) return *fault;
    return EnvWrapper::RemoveTree(path);
  }
  Status CreateDirectories(const std::string& path) override {
    if (auto fault = Check(Op::kCreateDirectories, path)) return *fault;
    return EnvWrapper::CreateDirectories(path);
  }
  Result<std::vector<std::string>> ListDirectory(const std::string& path) override {
    if (auto fault = Check(Op::kList, path)) return *fault;
    return EnvWrapper::ListDirectory(path);
  }
  Result<uint64_t> FileSize(const std::string& path) override {
    if (auto fault = Check(Op::kFileSize, path)) return *fault;
    return EnvWrapper::FileSize(path);
  }
  Result<uint64_t> FreeBytes(const std::string& path) override {
    {
      std::lock_guard lock(mu_);
      if (free_bytes_) return *free_bytes_;
    }
    return EnvWrapper::FreeBytes(path);
  }
  int64_t NowMs() override {
    {
      std::lock_guard lock(mu_);
      if (now_ms_) return *now_ms_;
    }
    return EnvWrapper::NowMs();
  }

 private:
  struct Fault {
    Op op;
    Status status;
    int count;
    std::string path_part;
    int skip;
  };

  // The injected failure for this call, if one matches.
  std::optional<Status> Check(Op op, const std::string& path) {
    std::lock_guard lock(mu_);
    ++calls_[op];
    for (auto it = faults_.begin(); it != faults_.end(); ++it) {
      if (it->op != op || path.find(it->path_part) == std::string::npos) continue;
      if (it->skip > 0) {
        --it->skip;
        return std::nullopt;
      }
      Status status = it->status;
      if (it->count > 0 && --it->count == 0) faults_.erase(it);
      ++injected_;
      return status;
    }
    return std::nullopt;
  }

  std::mutex mu_;
  std::vector<Fault> faults_;
  std::map<Op, int> calls_;
  int injected_ = 0;
  std::optional<uint64_t> free_bytes_;
  std::optional<int64_t> now_ms_;
};

}  // namespace flamegrid::testing
