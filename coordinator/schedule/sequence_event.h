// SequenceEvent: what happened to a sequence, reported by the part that made
// it happen (the scheduler assembles or fails it, the publisher publishes it)
// and polled by the owner, after libtorrent's alerts: no callbacks into
// foreign threads, no polling of whole snapshots to find what changed.
//
// SequenceEventQueue is thread-safe: any thread pushes, the owner takes.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace flamegrid::coordinator {

enum class SequenceEventKind {
  kFinished,   // assembled: the video is at `video_path`
  kFailed,     // failed for good: `detail` says why
  kPublished,  // its torrent is served: `detail` is the video's SHA-256
};

struct SequenceEvent {
  SequenceEventKind kind = SequenceEventKind::kFinished;
  int64_t sequence_id = 0;
  std::string video_path;
  std::string detail;
};

class SequenceEventQueue {
 public:
  void Push(SequenceEvent event) {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(event));
  }
  // Everything pushed since the last call, oldest first.
  std::vector<SequenceEvent> TakeAll() {
    std::lock_guard lock(mu_);
    return std::exchange(events_, {});
  }

 private:
  std::mutex mu_;
  std::vector<SequenceEvent> events_;
};

}  // namespace flamegrid::coordinator
