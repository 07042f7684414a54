// Tests for the idle policy with fake idle and power sources, the sysfs
// battery reader on a fake /sys tree, and the render gate's pause flag.
#include "worker/idle/idle_policy.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "tests/proto/shared/faulty_env.h"

namespace flamegrid::worker::idle {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

class FakeIdle : public IdleSource {
 public:
  IdleReading Read() override {
    std::lock_guard lock(mutex);
    return reading;
  }
  void Set(IdleReading value) {
    std::lock_guard lock(mutex);
    reading = value;
  }
  std::mutex mutex;
  IdleReading reading{.known = true, .user_idle = 0ms, .screensaver_active = false};
};

class FakePower : public PowerSource {
 public:
  std::optional<bool> OnBattery() override { return on_battery.load(); }
  std::atomic<bool> on_battery{false};
};

IdleReading Away(std::chrono::milliseconds idle) {
  return {.known = true, .user_idle = idle, .screensaver_active = false};
}

TEST(RenderWhenTest, ParsesTheThreeModes) {
  for (RenderWhen when : {RenderWhen::kAlways, RenderWhen::kIdle, RenderWhen::kScreensaver}) {
    EXPECT_EQ(*ParseRenderWhen(RenderWhenName(when)), when);
  }
  EXPECT_FALSE(ParseRenderWhen("sometimes").ok());
}

TEST(IdlePolicyTest, IdleModeRendersOnlyWhileTheUserIsAway) {
  FakeIdle idle;
  FakePower power;
  IdlePolicy policy({.when = RenderWhen::kIdle, .idle_after = 60s}, idle, power);
  idle.Set(Away(5s));
  EXPECT_FALSE(policy.Update());
  EXPECT_EQ(policy.PollEvent()->kind, RenderEventKind::kPause) << "the first answer is an event";
  idle.Set(Away(61s));
  EXPECT_TRUE(policy.Update());
  auto resume = policy.PollEvent();
  ASSERT_TRUE(resume);
  EXPECT_EQ(resume->kind, RenderEventKind::kResume);
  EXPECT_EQ(resume->reason, "the user is away");
  EXPECT_TRUE(policy.Update());
  EXPECT_FALSE(policy.PollEvent()) << "no event without a change";
  idle.Set(Away(200ms));  // the user touched the mouse
  EXPECT_FALSE(policy.Update());
  EXPECT_EQ(policy.PollEvent()->kind, RenderEventKind::kPause);
}

TEST(IdlePolicyTest, IdleModeRendersUnderAScreensaverEvenIfIdleTimeIsShort) {
  FakeIdle idle;
  FakePower power;
  IdlePolicy policy({.when = RenderWhen::kIdle, .idle_after = 60s}, idle, power);
  idle.Set({.known = true, .user_idle = 1s, .screensaver_active = true});
  EXPECT_TRUE(policy.Update());
}

TEST(IdlePolicyTest, ScreensaverModeWaitsForTheScreensaver) {
  FakeIdle idle;
  FakePower power;
  IdlePolicy policy({.when = RenderWhen::kScreensaver, .idle_after = 1s}, idle, power);
  idle.Set(Away(1h));
  EXPECT_FALSE(policy.Update()) << "idle is not enough";
  idle.Set({.known = true, .user_idle = 1h, .screensaver_active = true});
  EXPECT_TRUE(policy.Update());
}

TEST(IdlePolicyTest, AlwaysModeIgnoresTheUserButNotTheBattery) {
  FakeIdle idle;
  FakePower power;
  IdlePolicy policy({.when = RenderWhen::kAlways}, idle, power);
  idle.Set(Away(0ms));
  EXPECT_TRUE(policy.Update());
  power.on_battery = true;
  EXPECT_FALSE(policy.Update());
  EXPECT_EQ(policy.reason(), "on battery");
  IdlePolicy careless({.when = RenderWhen::kAlways, .pause_on_battery = false}, idle, power);
  EXPECT_TRUE(careless.Update());
}

TEST(IdlePolicyTest, PausesOnBatteryEvenWhenIdle) {
  FakeIdle idle;
  FakePower power;
  IdlePolicy policy({.when = RenderWhen::kIdle, .idle_after = 1s}, idle, power);
  idle.Set(Away(1h));
  EXPECT_TRUE(policy.Update());
  power.on_battery = true;
  EXPECT_FALSE(policy.Update());
  power.on_battery = false;
  EXPECT_TRUE(policy.Update());
}

TEST(IdlePolicyTest, UnknownIdleStateDoesNotRender) {
  FakeIdle idle;
  FakePower power;
  IdlePolicy policy({.when = RenderWhen::kIdle}, idle, power);
  idle.Set({});
  EXPECT_FALSE(policy.Update());
  EXPECT_NE(policy.reason().find("no display"), std::string::npos);
}

class SysfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "fg-sysfs-XXXXXX").string();
    root_ = mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(root_); }
  void Supply(const std::string& name, std::map<std::string, std::string> files) {
    fs::create_directories(root_ / name);
    for (const auto& [file, text] : files) std::ofstream(root_ / name / file) << text << "\n";
  }
  fs::path root_;
};

TEST_F(SysfsTest, LaptopOnMainsAndOnBattery) {
  Supply("AC", {{"type", "Mains"}, {"online", "1"}});
  Supply("BAT0", {{"type", "Battery"}, {"status", "Charging"}});
  SysfsPowerSource power(root_);
  EXPECT_EQ(power.OnBattery(), false);
  Supply("AC", {{"type", "Mains"}, {"online", "0"}});
  Supply("BAT0", {{"type", "Battery"}, {"status", "Discharging"}});
  EXPECT_EQ(power.OnBattery(), true);
}

TEST_F(SysfsTest, DesktopsAndPeripheralBatteriesAreNotOnBattery) {
  SysfsPowerSource power(root_);
  EXPECT_EQ(power.OnBattery(), false) << "no supplies at all: a desktop";
  Supply("hidpp_battery_0", {{"type", "Battery"}, {"scope", "Device"}, {"status", "Discharging"}});
  EXPECT_EQ(power.OnBattery(), false) << "a wireless mouse's battery";
  SysfsPowerSource missing(root_ / "absent");
  EXPECT_EQ(missing.OnBattery(), std::nullopt);
}

TEST_F(SysfsTest, AFailedReadIsUnknownNotACrash) {
  Supply("AC", {{"type", "Mains"}, {"online", "0"}});
  Supply("BAT0", {{"type", "Battery"}, {"status", "Discharging"}});
  flamegrid::testing::FaultyEnv env;
  SysfsPowerSource power(root_, &env);
  env.Fail(flamegrid::testing::FaultyEnv::Op::kList, Status::IoError("injected: EIO"));
  EXPECT_EQ(power.OnBattery(), std::nullopt) << "the supplies cannot be listed";
  EXPECT_EQ(power.OnBattery(), true) << "the next reading sees the battery again";
  env.Fail(flamegrid::testing::FaultyEnv::Op::kRead, Status::IoError("injected: EIO"), 1,
           "BAT0/status");
  EXPECT_EQ(power.OnBattery(), false) << "a status that cannot be read is not discharging";
  // An attribute larger than a page is not sysfs's: it is not read.
  Supply("BAT0", {{"type", "Battery"}, {"status", "Discharging" + std::string(5000, ' ')}});
  EXPECT_EQ(power.OnBattery(), false);
}

TEST(RenderGateTest, PauseFlagFollowsThePolicy) {
  auto idle_owned = std::make_unique<FakeIdle>();
  auto power_owned = std::make_unique<FakePower>();
  FakeIdle* idle = idle_owned.get();
  idle->Set(Away(1h));
  RenderGate gate({.when = RenderWhen::kIdle, .idle_after = 1s}, std::move(idle_owned),
                  std::move(power_owned), 5ms);
  EXPECT_TRUE(gate.MayRender()) << "decided before the constructor returns";
  EXPECT_FALSE(gate.pause_flag()->load());
  idle->Set(Away(0ms));  // the user is back
  for (int i = 0; i < 2000 && !gate.pause_flag()->load(); ++i) std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(gate.pause_flag()->load());
  EXPECT_FALSE(gate.WaitUntilMayRender(1ms));
  idle->Set(Away(1h));
  EXPECT_TRUE(gate.WaitUntilMayRender(10s));
  std::vector<RenderEventKind> kinds;
  while (auto event = gate.PollEvent()) kinds.push_back(event->kind);
  EXPECT_EQ(kinds, (std::vector<RenderEventKind>{RenderEventKind::kResume, RenderEventKind::kPause,
                                                 RenderEventKind::kResume}));
}

}  // namespace
}  // namespace flamegrid::worker::idle
