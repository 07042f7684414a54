#include "worker/view/cache_watcher.h"

#include <string>
#include <vector>

namespace flamegrid::worker::view {

namespace {

// What makes two scans differ for the viewer.
std::string Fingerprint(const Result<cache::CacheContents>& contents) {
  if (!contents.ok()) return "error:" + contents.status().ToString();
  std::string out;
  for (const auto& info : contents->sequences) out += cache::SequenceInfoToJson(info);
  for (const auto& skipped : contents->skipped) {
    out += skipped.path.string() + ":" + skipped.reason + "\n";
  }
  return out;
}

}  // namespace

CacheWatcher::CacheWatcher(std::filesystem::path data_dir, std::chrono::milliseconds interval)
    : data_dir_(std::move(data_dir)), interval_(interval), thread_([this] { Run(); }) {}

CacheWatcher::~CacheWatcher() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::optional<Result<cache::CacheContents>> CacheWatcher::PollChange() {
  std::lock_guard lock(mutex_);
  std::optional<Result<cache::CacheContents>> change = std::move(pending_);
  pending_.reset();
  return change;
}

void CacheWatcher::Run() {
  std::string last;
  bool first = true;
  std::unique_lock lock(mutex_);
  while (!stop_) {
    lock.unlock();
    Result<cache::CacheContents> contents = cache::ReadCache(data_dir_);
    std::string fingerprint = Fingerprint(contents);
    lock.lock();
    if (first || fingerprint != last) {
      pending_ = std::move(contents);
      last = std::move(fingerprint);
      first = false;
    }
    wake_.wait_for(lock, interval_, [&] { return stop_; });
  }
}

}  // namespace flamegrid::worker::view
