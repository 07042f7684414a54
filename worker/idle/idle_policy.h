// When the machine's owner lets the worker render: the policy, and the
// sources it reads (user idle time and screensaver state, mains or battery).
//
// Modes: always (render whenever, still paused on battery if asked), idle
// (the user has been away `idle_after`, or a screensaver runs), screensaver
// (only while a screensaver runs). The sources sit behind small interfaces
// so tests use fakes; the real ones read X11 (the MIT screensaver extension's
// idle time, XScreenSaver's _SCREENSAVER_STATUS) and /sys/class/power_supply.
//
// IdlePolicy is not thread-safe (one owner calls Update). RenderGate runs a
// policy on its own thread and is thread-safe: render threads read its pause
// flag (pass it as RenderOptions::cancel), the worker waits on it and polls
// its events. It re-reads the sources every `poll_interval` (250 ms), so the
// flag rises well within a second of the user's return.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "proto/shared/env.h"
#include "renderer/base/status.h"

namespace flamegrid::worker::idle {

enum class RenderWhen { kAlways, kIdle, kScreensaver };

const char* RenderWhenName(RenderWhen when);  // "always", "idle", "screensaver"
Result<RenderWhen> ParseRenderWhen(std::string_view text);

struct IdleReading {
  bool known = false;  // false: no display to ask (headless, or DISPLAY unset)
  std::chrono::milliseconds user_idle{0};
  bool screensaver_active = false;
};

class IdleSource {
 public:
  virtual ~IdleSource() = default;
  virtual IdleReading Read() = 0;
};

class PowerSource {
 public:
  virtual ~PowerSource() = default;
  // True on battery, false on mains or with no battery at all, nullopt if unknown.
  virtual std::optional<bool> OnBattery() = 0;
};

// The X display named by `display` ("" = $DISPLAY); connects per reading, so a
// display that comes and goes (logins, logouts) is simply "unknown" meanwhile.
std::unique_ptr<IdleSource> MakeX11IdleSource(std::string display = "");

// Reads <root>/*/type, online and status through `env`: mains online means
// not on battery; otherwise a discharging battery means on battery.
class SysfsPowerSource : public PowerSource {
 public:
  explicit SysfsPowerSource(std::filesystem::path root = "/sys/class/power_supply",
                            Env* env = Env::Default());
  std::optional<bool> OnBattery() override;

 private:
  std::filesystem::path root_;
  Env* env_;
};

struct IdlePolicyOptions {
  RenderWhen when = RenderWhen::kIdle;
  std::chrono::milliseconds idle_after = std::chrono::minutes(5);
  bool pause_on_battery = true;
};

enum class RenderEventKind { kResume, kPause };

struct RenderEvent {
  RenderEventKind kind = RenderEventKind::kPause;
  std::string reason;  // "the user is away", "on battery", ...
};

class IdlePolicy {
 public:
  IdlePolicy(IdlePolicyOptions options, IdleSource& idle, PowerSource& power);

  // Reads the sources and decides; emits an event when the answer changes
  // (the first Update always emits one). Returns MayRender().
  bool Update();
  bool MayRender() const { return may_render_; }
  const std::string& reason() const { return reason_; }
  std::optional<RenderEvent> PollEvent();

 private:
  IdlePolicyOptions options_;
  IdleSource& idle_;
  PowerSource& power_;
  bool decided_ = false;
  bool may_render_ = false;
  std::string reason_ = "not decided yet";
  std::deque<RenderEvent> events_;
};

class RenderGate {
 public:
  RenderGate(IdlePolicyOptions options, std::unique_ptr<IdleSource> idle,
             std::unique_ptr<PowerSource> power,
             std::chrono::milliseconds poll_interval = std::chrono::milliseconds(250));
  ~RenderGate();
  RenderGate(const RenderGate&) = delete;
  RenderGate& operator=(const RenderGate&) = delete;

  // True while rendering must stop: hand it to the renderer as its cancel flag.
  const std::atomic<bool>* pause_flag() const { return &paused_; }
  bool MayRender() const { return !paused_.load(); }
  // Blocks until rendering is allowed or `timeout` passes; returns MayRender().
  bool WaitUntilMayRender(std::chrono::milliseconds timeout);
  std::optional<RenderEvent> PollEvent();

 private:
  void Run();

  std::unique_ptr<IdleSource> idle_;
  std::unique_ptr<PowerSource> power_;
  IdlePolicy policy_;
  const std::chrono::milliseconds poll_interval_;
  std::atomic<bool> paused_{true};
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<RenderEvent> events_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace flamegrid::worker::idle
