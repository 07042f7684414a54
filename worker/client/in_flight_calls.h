// InFlightCalls: the calls a worker loop has under way (gRPC calls, HTTP
// fetches), cancelled the moment its stop flag rises. A deadline alone
// bounds a call to a coordinator that stopped answering (its network cut
// mid-call) by seconds, not by how soon the owner wants to stop: a watcher
// thread polls the flag and cancels every tracked call (a gRPC call with
// ClientContext::TryCancel), and a call tracked after the stop is cancelled
// as it starts.
//
// Thread-safe: Track and the scopes it returns may be used from any thread;
// the owner keeps the InFlightCalls alive while its calls run (a scope must
// end before it does).
#pragma once

#include <grpcpp/client_context.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace flamegrid::worker {

class InFlightCalls {
 public:
  // Tracks one call (of `context`, about to start) for its lifetime; with
  // null `calls`, nothing.
  class Scope {
   public:
    Scope(InFlightCalls* calls, grpc::ClientContext* context)
        : Scope(calls, context, [context] { context->TryCancel(); }) {}
    // Any other call: `cancel` makes it return soon, from another thread.
    Scope(InFlightCalls* calls, const void* key, std::function<void()> cancel)
        : calls_(calls), key_(key) {
      if (calls_ != nullptr) calls_->Add(key_, std::move(cancel));
    }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    ~Scope() {
      if (calls_ != nullptr) calls_->Remove(key_);
    }

   private:
    InFlightCalls* calls_;
    const void* key_;
  };

  explicit InFlightCalls(const std::atomic<bool>& stop)
      : stop_(stop), watcher_([this] { Watch(); }) {}
  ~InFlightCalls() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closing_ = true;
    }
    wake_.notify_all();
    watcher_.join();
  }
  InFlightCalls(const InFlightCalls&) = delete;
  InFlightCalls& operator=(const InFlightCalls&) = delete;

  // Tracks `context` (of a call about to start) until the scope ends.
  [[nodiscard]] Scope Track(grpc::ClientContext* context) { return Scope(this, context); }

 private:
  struct Call {
    const void* key;
    std::function<void()> cancel;
  };
  void Add(const void* key, std::function<void()> cancel) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopped_) {
      cancel();
    } else {
      calls_.push_back({key, std::move(cancel)});
    }
  }
  void Remove(const void* key) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::erase_if(calls_, [key](const Call& call) { return call.key == key; });
  }

  void Watch() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!closing_) {
      if (!stopped_ && stop_.load()) {
        stopped_ = true;
        for (const Call& call : calls_) call.cancel();
        calls_.clear();
      }
      wake_.wait_for(lock, std::chrono::milliseconds(20));
    }
  }

  const std::atomic<bool>& stop_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Call> calls_;
  bool stopped_ = false;
  bool closing_ = false;
  std::thread watcher_;  // last: it starts once the members above exist
};

}  // namespace flamegrid::worker
