#include "worker/idle/idle_policy.h"

#include <fstream>
#include <system_error>

namespace flamegrid::idle {

namespace fs = std::filesystem;

const char* RenderWhenName(RenderWhen when) {
  switch (when) {
    case RenderWhen::kAlways:
      return "always";
    case RenderWhen::kIdle:
      return "idle";
    case RenderWhen::kScreensaver:
      return "screensaver";
  }
  return "?";
}

Result<RenderWhen> ParseRenderWhen(std::string_view text) {
  if (text == "always") return RenderWhen::kAlways;
  if (text == "idle") return RenderWhen::kIdle;
  if (text == "screensaver") return RenderWhen::kScreensaver;
  return Status::InvalidArgument("render when \"" + std::string(text) +
                                 "\"? expected always, idle or screensaver");
}

SysfsPowerSource::SysfsPowerSource(fs::path root) : root_(std::move(root)) {}

namespace {

std::string ReadWord(const fs::path& path) {
  std::ifstream in(path);
  std::string word;
  in >> word;
  return word;
}

}  // namespace

std::optional<bool> SysfsPowerSource::OnBattery() {
  std::error_code error;
  fs::directory_iterator it(root_, error);
  if (error) return std::nullopt;
  bool mains_online = false;
  bool battery_discharging = false;
  for (; it != fs::directory_iterator(); it.increment(error)) {
    if (error) return std::nullopt;
    const fs::path supply = it->path();
    const std::string type = ReadWord(supply / "type");
    if (type == "Mains" || type == "USB" || type == "USB_C" || type == "USB_PD") {
      if (ReadWord(supply / "online") == "1") mains_online = true;
    } else if (type == "Battery") {
      // Peripherals (mice, headsets) report scope Device; only the system's battery counts.
      if (ReadWord(supply / "scope") == "Device") continue;
      if (ReadWord(supply / "status") == "Discharging") battery_discharging = true;
    }
  }
  return !mains_online && battery_discharging;
}

IdlePolicy::IdlePolicy(IdlePolicyOptions options, IdleSource& idle, PowerSource& power)
    : options_(options), idle_(idle), power_(power) {}

bool IdlePolicy::Update() {
  bool allow = false;
  std::string why;
  const std::optional<bool> on_battery = power_.OnBattery();
  if (options_.pause_on_battery && on_battery.value_or(false)) {
    why = "on battery";
  } else if (options_.when == RenderWhen::kAlways) {
    allow = true;
    why = "rendering always";
  } else {
    const IdleReading reading = idle_.Read();
    if (!reading.known) {
      why = "cannot tell whether the user is away (no display)";
    } else if (reading.screensaver_active) {
      allow = true;
      why = "the screensaver is running";
    } else if (options_.when == RenderWhen::kScreensaver) {
      why = "waiting for the screensaver";
    } else if (reading.user_idle >= options_.idle_after) {
      allow = true;
      why = "the user is away";
    } else {
      why = "the user is here";
    }
  }
  if (!decided_ || allow != may_render_) {
    events_.push_back({allow ? RenderEventKind::kResume : RenderEventKind::kPause, why});
  }
  decided_ = true;
  may_render_ = allow;
  reason_ = std::move(why);
  return may_render_;
}

std::optional<RenderEvent> IdlePolicy::PollEvent() {
  if (events_.empty()) return std::nullopt;
  RenderEvent event = std::move(events_.front());
  events_.pop_front();
  return event;
}

RenderGate::RenderGate(IdlePolicyOptions options, std::unique_ptr<IdleSource> idle,
                       std::unique_ptr<PowerSource> power, std::chrono::milliseconds poll_interval)
    : idle_(std::move(idle)),
      power_(std::move(power)),
      policy_(options, *idle_, *power_),
      poll_interval_(poll_interval) {
  // Decide once before returning, so callers never start on a stale default.
  const bool allow = policy_.Update();
  paused_.store(!allow);
  while (auto event = policy_.PollEvent()) events_.push_back(std::move(*event));
  thread_ = std::thread([this] { Run(); });
}

RenderGate::~RenderGate() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

bool RenderGate::WaitUntilMayRender(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return stop_ || !paused_.load(); });
  return !paused_.load();
}

std::optional<RenderEvent> RenderGate::PollEvent() {
  std::lock_guard lock(mutex_);
  if (events_.empty()) return std::nullopt;
  RenderEvent event = std::move(events_.front());
  events_.pop_front();
  return event;
}

void RenderGate::Run() {
  std::unique_lock lock(mutex_);
  while (!changed_.wait_for(lock, poll_interval_, [&] { return stop_; })) {
    lock.unlock();
    const bool allow = policy_.Update();  // the policy is touched only by this thread
    lock.lock();
    paused_.store(!allow);
    while (auto event = policy_.PollEvent()) events_.push_back(std::move(*event));
    changed_.notify_all();
  }
}

}  // namespace flamegrid::idle
