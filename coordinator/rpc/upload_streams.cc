#include "coordinator/rpc/upload_streams.h"

#include <algorithm>
#include <chrono>

#include "proto/shared/log.h"

namespace flamegrid::coordinator {

UploadStreams::Stream::~Stream() {
  if (owner_ != nullptr) owner_->Close(id_);
}

Status UploadStreams::Stream::Claim(int64_t lease_id, int64_t deadline_ms) {
  std::lock_guard lock(owner_->mu_);
  auto [holder, fresh] = owner_->by_lease_.try_emplace(lease_id, id_);
  if (!fresh && holder->second != id_) {
    return Status::AlreadyExists("lease " + std::to_string(lease_id) +
                                 " already has an upload in flight");
  }
  Entry& entry = owner_->streams_.at(id_);
  entry.lease_id = lease_id;
  entry.deadline_ms = deadline_ms;
  return Status::Ok();
}

void UploadStreams::Stream::Reading() {
  const int64_t now = owner_->env_->NowMs();
  std::lock_guard lock(owner_->mu_);
  owner_->streams_.at(id_).reading_since_ms = now;
}

void UploadStreams::Stream::Working() {
  std::lock_guard lock(owner_->mu_);
  owner_->streams_.at(id_).reading_since_ms = -1;
}

std::string UploadStreams::Stream::cancelled() const {
  std::lock_guard lock(owner_->mu_);
  return owner_->streams_.at(id_).cancelled;
}

UploadStreams::UploadStreams(Env* env, UploadStreamLimits limits) : env_(env), limits_(limits) {}

UploadStreams::~UploadStreams() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
}

Result<UploadStreams::Stream> UploadStreams::Open(Cancel cancel, const std::string& network) {
  const int64_t now = env_->NowMs();
  std::lock_guard lock(mu_);
  if (streams_.size() >= static_cast<size_t>(std::max(0, limits_.max_streams))) {
    // Unavailable, not ResourceExhausted: a worker retries it (the frame is
    // fine, the coordinator is busy).
    return Status::Unavailable("the coordinator has " + std::to_string(streams_.size()) +
                               " uploads in flight, its bound; retry later");
  }
  const auto open = by_network_.find(network);
  const int from_network = open == by_network_.end() ? 0 : open->second;
  if (from_network >= std::max(0, limits_.max_streams_per_network)) {
    return Status::Unavailable("the coordinator has " + std::to_string(from_network) +
                               " uploads in flight from " + network +
                               ", its bound for one network; retry later");
  }
  ++by_network_[network];
  const uint64_t id = next_id_++;
  Entry entry;
  entry.cancel = std::move(cancel);
  entry.network = network;
  entry.reading_since_ms = now;  // the header is the first chunk it waits for
  streams_.emplace(id, std::move(entry));
  return Stream(this, id);
}

void UploadStreams::Close(uint64_t id) {
  std::lock_guard lock(mu_);
  auto it = streams_.find(id);
  if (it == streams_.end()) return;
  if (it->second.lease_id != 0) {
    auto holder = by_lease_.find(it->second.lease_id);
    if (holder != by_lease_.end() && holder->second == id) by_lease_.erase(holder);
  }
  if (auto open = by_network_.find(it->second.network);
      open != by_network_.end() && --open->second <= 0) {
    by_network_.erase(open);
  }
  streams_.erase(it);
}

int UploadStreams::CancelStalled() {
  const int64_t now = env_->NowMs();
  int cancelled = 0;
  std::lock_guard lock(mu_);
  for (auto& [id, entry] : streams_) {
    if (entry.reading_since_ms < 0 || !entry.cancelled.empty()) continue;
    std::string why;
    if (now - entry.reading_since_ms > limits_.idle_ms) {
      why = "no chunk for " + std::to_string(now - entry.reading_since_ms) + " ms";
    } else if (entry.lease_id != 0 && now > entry.deadline_ms) {
      why = "its lease's deadline passed " + std::to_string(now - entry.deadline_ms) + " ms ago";
    } else {
      continue;
    }
    GridLog("cancelling the upload stream of lease %lld: %s",
            static_cast<long long>(entry.lease_id), why.c_str());
    entry.cancelled = std::move(why);
    entry.cancel();
    ++cancelled;
  }
  return cancelled;
}

void UploadStreams::StartWatchdog() {
  const auto period = std::chrono::milliseconds(std::clamp<int64_t>(limits_.idle_ms / 4, 10, 1000));
  watchdog_ = std::thread([this, period] {
    std::unique_lock lock(mu_);
    while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
      lock.unlock();
      CancelStalled();
      lock.lock();
    }
  });
}

size_t UploadStreams::open_streams() const {
  std::lock_guard lock(mu_);
  return streams_.size();
}

}  // namespace flamegrid::coordinator
