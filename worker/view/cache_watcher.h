// CacheWatcher: reads the sequence cache again every few seconds on its own
// thread, so the viewer picks up downloads without ever waiting on the disk
// (or on whoever is filling the cache).
//
// The owner polls PollChange() from its thread; the watcher posts a new
// CacheContents only when the set of sequences or skipped entries changed.
// Thread-safe as described; the destructor stops and joins the thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "worker/cache/sequence_cache.h"

namespace flamegrid::worker::view {

class CacheWatcher {
 public:
  CacheWatcher(std::filesystem::path data_dir, std::chrono::milliseconds interval);
  ~CacheWatcher();
  CacheWatcher(const CacheWatcher&) = delete;
  CacheWatcher& operator=(const CacheWatcher&) = delete;

  // The latest contents when they changed since the last call (the first scan counts).
  std::optional<Result<cache::CacheContents>> PollChange();

 private:
  void Run();

  const std::filesystem::path data_dir_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::optional<Result<cache::CacheContents>> pending_;
  std::thread thread_;
};

}  // namespace flamegrid::worker::view
