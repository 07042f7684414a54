#include "worker/idle/idle_policy.h"

#include <sstream>
#include <vector>

namespace flamegrid::worker::idle {

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

SysfsPowerSource::SysfsPowerSource(fs::path root, Env* env) : root_(std::move(root)), env_(env) {}

namespace {

// A sysfs attribute is at most a page (and says so as its size).
constexpr uint64_t kMaxAttributeBytes = 4096;

// The file's first word; empty when it cannot be read.
std::string ReadWord(Env* env, const fs::path& path) {
  Result<std::string> text = env->ReadFile(path.string(), kMaxAttributeBytes);
  if (!text.ok()) return "";
  std::string word;
  std::istringstream(*text) >> word;
  return word;
}

}  // namespace

std::optional<bool> SysfsPowerSource::OnBattery() {
  Result<std::vector<std::string>> supplies = env_->ListDirectory(root_.string());
  if (!supplies.ok()) return std::nullopt;
  bool mains_online = false;
  bool battery_discharging = false;
  for (const std::string& name : *supplies) {
    const fs::path supply = root_ / name;
    const std::string type = ReadWord(env_, supply / "type");
    if (type == "Mains" || type == "USB" || type == "USB_C" || type == "USB_PD") {
      if (ReadWord(env_, supply / "online") == "1") mains_online = true;
    } else if (type == "Battery") {
      // Peripherals (mice, headsets) report scope Device; only the system's battery counts.
      if (ReadWord(env_, supply / "scope") == "Device") continue;
      if (ReadWord(env_, supply / "status") == "Discharging") battery_discharging = true;
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

}  // namespace flamegrid::worker::idle
