// The real XScreenSaver daemon runs flamegrid after install-screensaver.sh:
// under a private Xvfb, as an ordinary user (a throwaway one when the test
// runs as root, since XScreenSaver launches no hacks as root) with its own
// home, the installer edits ~/.xscreensaver, `xscreensaver -verbose` starts,
// `xscreensaver-command -activate` blanks, and the daemon's log must show
// flamegrid-view launched and the screen must show the cached loop's frames.
// Skips when Xvfb or XScreenSaver is missing. Bounded in time; every process
// it starts is killed, and the user and files are removed.
//
// FLAMEGRID_TEST_SCREENSHOT=FILE.ppm keeps the screenshot for a person to see.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "tests/assets/xscreensaver_settings.h"
#include "tests/worker/view/test_video.h"
#include "tests/worker/view/x_screen.h"
#include "worker/cache/sequence_cache.h"

namespace flamegrid {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using worker::view::testing::Rgb;
using worker::view::testing::Screenshot;

constexpr int kScreenWidth = 640;
constexpr int kScreenHeight = 480;
const fs::path kViewer = fs::path(FLAMEGRID_BINARY_DIR) / "worker/view/flamegrid-view";
const fs::path kAssets = fs::path(FLAMEGRID_SOURCE_DIR) / "assets";
const Rgb kLeft{230, 120, 20}, kRight{30, 60, 210};

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool Executable(const std::string& name) {
  for (const char* dir : {"/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/", "/usr/local/bin/"}) {
    if (access((dir + name).c_str(), X_OK) == 0) return true;
  }
  return false;
}

// Starts argv[0] (searched on PATH) with exactly `env`, output to `log`, in a
// process group of its own; -1 on failure.
pid_t Spawn(const std::vector<std::string>& args, const std::vector<std::string>& env,
            const fs::path& log) {
  std::vector<std::string> args_copy = args, env_copy = env;
  std::vector<char*> argv, envp;
  for (auto& arg : args_copy) argv.push_back(arg.data());
  argv.push_back(nullptr);
  for (auto& entry : env_copy) envp.push_back(entry.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid = -1;
  if (posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data()) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  return pid;
}

// Waits for `pid` up to `limit`; its exit code, or nullopt if it still runs.
std::optional<int> WaitFor(pid_t pid, std::chrono::milliseconds limit) {
  const auto end = Clock::now() + limit;
  int status = 0;
  while (true) {
    if (waitpid(pid, &status, WNOHANG) == pid) {
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (Clock::now() > end) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Ends a process group we started: TERM, a moment, then KILL; reaps the leader.
void EndGroup(pid_t pid) {
  if (pid <= 0) return;
  kill(-pid, SIGTERM);
  if (!WaitFor(pid, std::chrono::seconds(3))) {
    kill(-pid, SIGKILL);
    WaitFor(pid, std::chrono::seconds(3));
  }
  kill(-pid, SIGKILL);  // stragglers of the group, if any
}

// Every process owned by `uid` (the throwaway user's: only this test started them).
std::vector<pid_t> ProcessesOf(uid_t uid) {
  std::vector<pid_t> pids;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    struct stat info;
    if (stat(entry.path().c_str(), &info) == 0 && info.st_uid == uid) {
      pids.push_back(static_cast<pid_t>(std::stol(name)));
    }
  }
  return pids;
}

bool Near(const uint8_t* rgb, Rgb want, int tolerance) {
  return std::abs(rgb[0] - want.r) <= tolerance && std::abs(rgb[1] - want.g) <= tolerance &&
         std::abs(rgb[2] - want.b) <= tolerance;
}

double LumaVariance(const Screenshot& shot) {
  double sum = 0, squares = 0;
  const size_t pixels = shot.rgb.size() / 3;
  for (size_t i = 0; i < pixels; ++i) {
    const double luma =
        0.299 * shot.rgb[3 * i] + 0.587 * shot.rgb[3 * i + 1] + 0.114 * shot.rgb[3 * i + 2];
    sum += luma;
    squares += luma * luma;
  }
  const double mean = sum / static_cast<double>(pixels);
  return squares / static_cast<double>(pixels) - mean * mean;
}

void WritePpm(const fs::path& path, const Screenshot& shot) {
  std::ofstream out(path, std::ios::binary);
  out << "P6\n" << shot.width << " " << shot.height << "\n255\n";
  out.write(reinterpret_cast<const char*>(shot.rgb.data()),
            static_cast<std::streamsize>(shot.rgb.size()));
}

class XScreenSaverDaemonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!worker::view::testing::XvfbAvailable())
      GTEST_SKIP() << "Xvfb is not installed (apt-get install xvfb)";
    if (!Executable("xscreensaver") || !Executable("xscreensaver-command")) {
      GTEST_SKIP()
          << "XScreenSaver is not installed (apt-get install xscreensaver xscreensaver-data)";
    }
    if (geteuid() == 0 && (!Executable("useradd") || !Executable("setpriv"))) {
      GTEST_SKIP() << "running as root needs useradd and setpriv for a throwaway user";
    }
    ASSERT_TRUE(fs::exists(kViewer)) << kViewer;

    std::string pattern = (fs::temp_directory_path() / "fg-xscreensaver-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
    home_ = dir_ / "home";
    fs::create_directories(home_);

    if (geteuid() == 0) {
      user_ = "fgsaver" + std::to_string(getpid());
      const std::string add = "useradd --no-create-home --home-dir '" + home_.string() +
                              "' --shell /bin/sh --user-group " + user_ + " >/dev/null 2>&1";
      ASSERT_EQ(std::system(add.c_str()), 0) << add;
      created_user_ = true;
      const passwd* entry = getpwnam(user_.c_str());
      ASSERT_NE(entry, nullptr);
      uid_ = entry->pw_uid;
      gid_ = entry->pw_gid;
    } else {
      const passwd* entry = getpwuid(geteuid());
      ASSERT_NE(entry, nullptr);
      user_ = entry->pw_name;
      uid_ = geteuid();
      gid_ = getegid();
    }

    xvfb_ = std::make_unique<worker::view::testing::XvfbServer>(kScreenWidth, kScreenHeight);
    ASSERT_TRUE(xvfb_->ok()) << xvfb_->error();
  }

  void TearDown() override {
    if (daemon_ > 0) {
      // A clean exit takes the hacks down with the daemon; then make sure.
      RunAsUser({"xscreensaver-command", "-exit"}, std::chrono::seconds(5));
      if (!WaitFor(daemon_, std::chrono::seconds(3))) EndGroup(daemon_);
      kill(-daemon_, SIGKILL);
    }
    if (created_user_) {
      for (int round = 0; round < 20; ++round) {
        const std::vector<pid_t> left = ProcessesOf(uid_);
        if (left.empty()) break;
        for (pid_t pid : left) kill(pid, SIGKILL);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      const std::string remove = "userdel " + user_ + " >/dev/null 2>&1";
      EXPECT_EQ(std::system(remove.c_str()), 0) << remove;
    }
    xvfb_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  std::vector<std::string> UserEnv() const {
    return {"HOME=" + home_.string(),
            "USER=" + user_,
            "LOGNAME=" + user_,
            "PATH=/usr/local/bin:/usr/bin:/bin",
            "DISPLAY=" + xvfb_->display(),
            "TMPDIR=" + (dir_ / "tmp").string()};
  }

  std::vector<std::string> AsUser(const std::vector<std::string>& args) const {
    if (!created_user_) return args;
    std::vector<std::string> wrapped = {"setpriv", "--reuid=" + std::to_string(uid_),
                                        "--regid=" + std::to_string(gid_), "--clear-groups", "--"};
    wrapped.insert(wrapped.end(), args.begin(), args.end());
    return wrapped;
  }

  // Runs a command as the user to its end (bounded); its exit code.
  int RunAsUser(const std::vector<std::string>& args, std::chrono::milliseconds limit) {
    const pid_t pid = Spawn(AsUser(args), UserEnv(), dir_ / "commands.log");
    if (pid <= 0) return -1;
    std::optional<int> code = WaitFor(pid, limit);
    if (!code) {
      EndGroup(pid);
      return -1;
    }
    return *code;
  }

  // The things the user owns: copies of the installer, the viewer and a cache.
  void PrepareUserFiles() {
    fs::create_directories(dir_ / "tmp");
    fs::create_directories(dir_ / "assets");
    fs::copy(kAssets / "screensaver", dir_ / "assets/screensaver", fs::copy_options::recursive);
    if (fs::exists(kAssets / "systemd")) {
      fs::copy(kAssets / "systemd", dir_ / "assets/systemd", fs::copy_options::recursive);
    }
    fs::create_directories(dir_ / "bin");
    fs::copy_file(kViewer, dir_ / "bin/flamegrid-view");

    // A loop in the viewer's cache: left half one colour, right half another.
    const fs::path data = home_ / ".local/share/flamegrid";
    fs::create_directories(data);
    const fs::path video = dir_ / "loop.mp4";
    ASSERT_TRUE(worker::view::testing::WriteSplitColourVideo(video, std::vector<Rgb>(30, kLeft),
                                                     std::vector<Rgb>(30, kRight), 320, 240, 30)
                    .ok());
    worker::cache::SequenceInfo info;
    info.id = "daemon-test-loop";
    info.kind = worker::cache::SequenceKind::kLoop;
    info.frames = 30;
    info.fps = 30;
    info.name = "daemon test loop";
    ASSERT_TRUE(worker::cache::AddSequence(data, info, video).ok());

    if (created_user_) {
      for (const fs::path& root : {home_, dir_ / "tmp", dir_ / "assets", dir_ / "bin"}) {
        ASSERT_EQ(chown(root.c_str(), uid_, gid_), 0) << root;
        for (const auto& entry : fs::recursive_directory_iterator(root)) {
          ASSERT_EQ(lchown(entry.path().c_str(), uid_, gid_), 0) << entry.path();
        }
      }
    }
  }

  fs::path dir_, home_;
  std::string user_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  bool created_user_ = false;
  pid_t daemon_ = -1;
  std::unique_ptr<worker::view::testing::XvfbServer> xvfb_;
};

TEST_F(XScreenSaverDaemonTest, ActivatingTheDaemonRunsFlamegridAfterInstall) {
  PrepareUserFiles();
  if (HasFatalFailure()) return;

  const fs::path install_log = dir_ / "commands.log";
  ASSERT_EQ(RunAsUser({"bash", (dir_ / "assets/screensaver/install-screensaver.sh").string(),
                       "--no-systemctl", "--bindir", (dir_ / "bin").string()},
                      std::chrono::seconds(20)),
            0)
      << Read(install_log);
  const testing::XScreenSaverSettings settings =
      testing::ParseXScreenSaverSettings(Read(home_ / ".xscreensaver"));
  const int index = settings.Find("flamegrid-view");
  ASSERT_GE(index, 0) << Read(home_ / ".xscreensaver");
  ASSERT_EQ(settings.Get("selected"), std::to_string(index));

  const fs::path daemon_log = dir_ / "xscreensaver.log";
  daemon_ = Spawn(AsUser({"xscreensaver", "-no-splash", "-verbose"}), UserEnv(), daemon_log);
  ASSERT_GT(daemon_, 0);
  // The daemon answers once it is up; bounded.
  bool up = false;
  for (int i = 0; i < 40 && !up; ++i) {
    up = RunAsUser({"xscreensaver-command", "-version"}, std::chrono::seconds(5)) == 0;
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  ASSERT_TRUE(up) << Read(daemon_log);
  ASSERT_EQ(RunAsUser({"xscreensaver-command", "-activate"}, std::chrono::seconds(10)), 0)
      << Read(dir_ / "commands.log");

  // Its log names the hack it forked: flamegrid-view (after a fade of a few seconds).
  const std::string launched = (dir_ / "bin/flamegrid-view").string() + " --root";
  bool forked = false;
  for (auto end = Clock::now() + std::chrono::seconds(25); !forked && Clock::now() < end;) {
    const std::string log = Read(daemon_log);
    forked = log.find("forked \"" + launched) != std::string::npos;
    if (!forked) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(forked) << "the daemon did not launch flamegrid-view:\n" << Read(daemon_log);

  // The screen shows the loop: its two colours where they belong, far from flat.
  Screenshot shot;
  bool showing = false;
  for (auto end = Clock::now() + std::chrono::seconds(20); !showing && Clock::now() < end;) {
    shot = worker::view::testing::GrabRootWindow(xvfb_->display());
    showing = shot.width == kScreenWidth &&
              Near(shot.at(kScreenWidth / 4, kScreenHeight / 2), kLeft, 40) &&
              Near(shot.at(3 * kScreenWidth / 4, kScreenHeight / 2), kRight, 40);
    if (!showing) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  if (const char* keep = std::getenv("FLAMEGRID_TEST_SCREENSHOT"); keep && shot.width > 0) {
    WritePpm(keep, shot);
  }
  EXPECT_TRUE(showing) << "the cached loop never filled the screen\n" << Read(daemon_log);
  EXPECT_GT(LumaVariance(shot), 500.0) << "the screen is flat";
  EXPECT_EQ(Read(daemon_log).find("(" + (dir_ / "bin/flamegrid-view").string() + ") exited"),
            std::string::npos)
      << Read(daemon_log);
}

}  // namespace
}  // namespace flamegrid
