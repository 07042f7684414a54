// Env: the files and the clock a flamegrid program uses, behind one interface
// after LevelDB's Env, so a test can break exactly one call (a full disk on
// the third write, a clock that jumps) and see that nothing is lost. Every
// file the coordinator and the worker keep (frames, videos, tokens, indexes,
// torrents) goes through it; nothing else writes files by hand.
//
// One set of error codes everywhere: a missing file is NotFound, a file
// bigger than the caller allows is ResourceExhausted, a full disk is
// ResourceExhausted, anything else the system refuses is IoError.
//
// Defaults (`max_bytes`, `mode`) are written on Env only: call through an
// Env& or pass every argument.
//
// EnvWrapper forwards every call to another Env; a test derives from it and
// overrides only the call it wants to break. Env::Default() is the real
// thing. Implementations are thread-safe.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "renderer/base/status.h"

namespace flamegrid {

// How hard WriteFileAtomic works to keep a write across a power cut.
enum class SyncPolicy {
  kNone,  // atomic against a killed process (rename), not a power cut
  kSync,  // the data and the rename are on disk when the call returns
};

class Env {
 public:
  Env() = default;
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;
  virtual ~Env() = default;

  // The real file system and clock; one process-wide instance.
  static Env* Default();

  // The whole file; ResourceExhausted (without reading it) when it is larger
  // than `max_bytes`.
  virtual Result<std::string> ReadFile(
      const std::string& path, uint64_t max_bytes = std::numeric_limits<uint64_t>::max()) = 0;
  // A reader sees either the old file, or all of `bytes`: written to a
  // temporary file beside `path`, then renamed over it. On failure the
  // temporary file is gone and `path` is as it was.
  virtual Status WriteFileAtomic(const std::string& path, std::string_view bytes, SyncPolicy sync,
                                 int mode = 0644) = 0;
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  // NotFound when there is no such file.
  virtual Status RemoveFile(const std::string& path) = 0;
  // A directory and everything under it; OK when it does not exist.
  virtual Status RemoveTree(const std::string& path) = 0;
  // Creates `path` and its parents; OK when it exists.
  virtual Status CreateDirectories(const std::string& path) = 0;
  virtual bool FileExists(const std::string& path) = 0;
  virtual Result<uint64_t> FileSize(const std::string& path) = 0;
  // The names (not paths) in a directory, sorted; NotFound when it is missing.
  virtual Result<std::vector<std::string>> ListDirectory(const std::string& path) = 0;
  // Bytes an unprivileged writer may still use on the file system of `path`.
  virtual Result<uint64_t> FreeBytes(const std::string& path) = 0;
  // Wall-clock milliseconds since the Unix epoch.
  virtual int64_t NowMs() = 0;
};

// Forwards every call to `target`, which must outlive the wrapper.
class EnvWrapper : public Env {
 public:
  explicit EnvWrapper(Env* target) : target_(target) {}
  Env* target() const { return target_; }

  Result<std::string> ReadFile(const std::string& path, uint64_t max_bytes) override {
    return target_->ReadFile(path, max_bytes);
  }
  Status WriteFileAtomic(const std::string& path, std::string_view bytes, SyncPolicy sync,
                         int mode) override {
    return target_->WriteFileAtomic(path, bytes, sync, mode);
  }
  Status RenameFile(const std::string& from, const std::string& to) override {
    return target_->RenameFile(from, to);
  }
  Status RemoveFile(const std::string& path) override { return target_->RemoveFile(path); }
  Status RemoveTree(const std::string& path) override { return target_->RemoveTree(path); }
  Status CreateDirectories(const std::string& path) override {
    return target_->CreateDirectories(path);
  }
  bool FileExists(const std::string& path) override { return target_->FileExists(path); }
  Result<uint64_t> FileSize(const std::string& path) override { return target_->FileSize(path); }
  Result<std::vector<std::string>> ListDirectory(const std::string& path) override {
    return target_->ListDirectory(path);
  }
  Result<uint64_t> FreeBytes(const std::string& path) override { return target_->FreeBytes(path); }
  int64_t NowMs() override { return target_->NowMs(); }

 private:
  Env* target_;
};

}  // namespace flamegrid
