// Tests for assets/screensaver/install-screensaver.sh against a temporary
// home folder: the ~/.xscreensaver it writes or edits (read back the way
// XScreenSaver 6 reads it), the previous selection it keeps and puts back,
// the systemd user unit and its settings, idempotence, failures.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/assets/xscreensaver_settings.h"

namespace flamegrid {
namespace {

namespace fs = std::filesystem;
using testing::ParseXScreenSaverSettings;
using testing::XScreenSaverSettings;

const fs::path kScript =
    fs::path(FLAMEGRID_SOURCE_DIR) / "assets/screensaver/install-screensaver.sh";
const std::vector<std::string> kSelection = {"mode", "selected", "programs"};

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

std::vector<std::string> Plus(std::vector<std::string> list, const std::string& more) {
  list.push_back(more);
  return list;
}

// A ~/.xscreensaver in odd but valid formatting: tabs, comments (one continued
// with a backslash), a key in capitals, a named hack split over two lines,
// disabled hacks, two hacks on one line, a last hack without "\n".
const char kOddFile[] =
    "# my settings\twith tabs\n"
    "timeout:\t0:05:00\n"
    "Mode:\tone\n"
    "selected:   2\n"
    "! a comment \\\n"
    "  that continues: still a comment\n"
    "programs:  maze --root \\n\\\n"
    "\t\"My Qix\"  qix --root \\\n"
    "\t   -solid \\n\\\n"
    "-\tGL:   cubenetic --root   \\n  xlyap --root \\n\\\n"
    "  deco -root\n"
    "dpmsEnabled: True\n"
    "textLiteral:\ta \\\\ backslash\n";

class InstallScriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "fg-install-home-XXXXXX").string();
    home_ = mkdtemp(pattern.data());
    entry_ = "\"Flamegrid\"  /opt/fg/bin/flamegrid-view --root --data " +
             (home_ / ".local/share/flamegrid").string();
  }
  void TearDown() override { fs::remove_all(home_); }

  // Runs `script` with HOME set to the temporary home, no systemctl, and
  // `env` before it; returns its exit code. The output goes to home/log.
  int RunWith(const std::string& env, const fs::path& script, const std::string& args) {
    const std::string command =
        "env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u DISPLAY -u XAUTHORITY HOME='" + home_.string() +
        "' " + env + " bash '" + script.string() + "' --no-systemctl " + args + " > '" +
        (home_ / "log").string() + "' 2>&1";
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  int Run(const std::string& args) { return RunWith("", kScript, "--bindir /opt/fg/bin " + args); }

  fs::path rc() const { return home_ / ".xscreensaver"; }
  XScreenSaverSettings Settings() const { return ParseXScreenSaverSettings(Read(rc())); }
  std::string Log() const { return Read(home_ / "log"); }

  fs::path home_;
  std::string entry_;  // flamegrid's hack as the script writes it
};

TEST_F(InstallScriptTest, FreshHomeGetsACompleteFileThatRunsFlamegrid) {
  ASSERT_EQ(Run("--coordinator grid.example.org:7070 --render-when screensaver"), 0) << Log();
  const XScreenSaverSettings settings = Settings();
  const int index = settings.Find("flamegrid-view");
  ASSERT_GE(index, 0) << Read(rc());
  EXPECT_EQ(settings.programs[index], entry_);
  EXPECT_EQ(settings.Get("mode"), "one");
  EXPECT_EQ(settings.Get("selected"), std::to_string(index));
  // The whole settings file, as xscreensaver-settings writes it.
  for (const char* key :
       {"timeout", "cycle", "lock", "fade", "dpmsenabled", "textmode", "pointerhysteresis"}) {
    EXPECT_NE(settings.Get(key), "") << key << " is missing:\n" << Read(rc());
  }
  if (fs::exists("/etc/X11/app-defaults/XScreenSaver")) {
    // The system's list comes first, so every other hack keeps its number.
    const XScreenSaverSettings system = ParseXScreenSaverSettings(
        "programs:" +
        Read("/etc/X11/app-defaults/XScreenSaver")
            .substr(Read("/etc/X11/app-defaults/XScreenSaver").find("*programs:") + 10));
    ASSERT_GT(system.programs.size(), 10u);
    EXPECT_EQ(settings.programs, Plus(system.programs, entry_));
    EXPECT_EQ(settings.Get("timeout"), "0:10:00");
  }
  EXPECT_FALSE(fs::exists(home_ / ".xscreensaver.flamegrid-backup")) << "nothing to back up";

  const std::string data = (home_ / ".local/share/flamegrid").string();
  const std::string unit = Read(home_ / ".config/systemd/user/flamegrid-worker.service");
  EXPECT_NE(unit.find("ExecStart=/opt/fg/bin/flamegrid-worker --coordinator"), std::string::npos)
      << unit;
  EXPECT_NE(unit.find("EnvironmentFile=" + (home_ / ".config/flamegrid/worker.env").string()),
            std::string::npos);
  EXPECT_EQ(unit.find("@WORKER@"), std::string::npos) << "every placeholder filled in";
  EXPECT_EQ(unit.find("@ENVFILE@"), std::string::npos) << "every placeholder filled in";
  EXPECT_NE(unit.find("WantedBy=default.target"), std::string::npos);

  const std::string env = Read(home_ / ".config/flamegrid/worker.env");
  EXPECT_NE(env.find("FLAMEGRID_COORDINATOR=grid.example.org:7070"), std::string::npos) << env;
  EXPECT_NE(env.find("FLAMEGRID_DATA=" + data), std::string::npos);
  EXPECT_NE(env.find("FLAMEGRID_RENDER_WHEN=screensaver"), std::string::npos);

  EXPECT_TRUE(fs::exists(home_ / ".local/share/flamegrid/xscreensaver/flamegrid.xml"));
  EXPECT_TRUE(fs::is_directory(home_ / ".local/share/flamegrid/cache"));
}

TEST_F(InstallScriptTest, ExistingFileKeepsEverythingAndSelectsFlamegrid) {
  Write(rc(), kOddFile);
  const XScreenSaverSettings before = ParseXScreenSaverSettings(kOddFile);
  ASSERT_EQ(before.programs.size(), 5u) << "the test's own reading of the file";
  ASSERT_EQ(Run(""), 0) << Log();
  const XScreenSaverSettings after = Settings();
  EXPECT_EQ(after.Without(kSelection), before.Without(kSelection)) << Read(rc());
  EXPECT_EQ(after.programs, Plus(before.programs, entry_)) << Read(rc());
  EXPECT_EQ(after.Get("mode"), "one");
  EXPECT_EQ(after.Get("selected"), "5") << "after the user's five hacks, disabled ones counted";
  // Every comment and line of the user's survives.
  for (const char* line :
       {"# my settings\twith tabs\n", "! a comment \\\n", "  that continues: still a comment\n",
        "\t   -solid \\n\\\n", "-\tGL:   cubenetic --root   \\n  xlyap --root \\n\\\n"}) {
    EXPECT_NE(Read(rc()).find(line), std::string::npos) << line;
  }
  EXPECT_EQ(Read(home_ / ".xscreensaver.flamegrid-backup"), kOddFile);
  const std::string previous = Read(home_ / ".config/flamegrid/xscreensaver-previous");
  EXPECT_NE(previous.find("mode\tMode:\tone\n"), std::string::npos) << previous;
  EXPECT_NE(previous.find("selected\tselected:   2\n"), std::string::npos) << previous;
  EXPECT_NE(Log().find("enable --now"), std::string::npos)
      << "without a coordinator it says how to start the worker later";
}

TEST_F(InstallScriptTest, RunningAgainChangesNothing) {
  Write(rc(), kOddFile);
  ASSERT_EQ(Run(""), 0) << Log();
  const std::string once = Read(rc());
  const std::string previous = Read(home_ / ".config/flamegrid/xscreensaver-previous");
  ASSERT_EQ(Run(""), 0) << Log();
  EXPECT_EQ(Read(rc()), once);
  EXPECT_EQ(Count(Read(rc()), "flamegrid-view"), 1u);
  EXPECT_EQ(Read(home_ / ".config/flamegrid/xscreensaver-previous"), previous)
      << "the selection from before flamegrid is still the one remembered";
  EXPECT_EQ(Read(home_ / ".xscreensaver.flamegrid-backup"), kOddFile);
}

TEST_F(InstallScriptTest, AnotherViewerPathReplacesTheEntryInPlace) {
  Write(rc(), kOddFile);
  ASSERT_EQ(Run(""), 0) << Log();
  ASSERT_EQ(RunWith("", kScript, "--bindir /usr/bin"), 0) << Log();
  const XScreenSaverSettings after = Settings();
  EXPECT_EQ(Count(Read(rc()), "flamegrid-view"), 1u) << Read(rc());
  ASSERT_EQ(after.Find("flamegrid-view"), 5);
  EXPECT_EQ(after.programs[5].find("\"Flamegrid\"  /usr/bin/flamegrid-view --root"), 0u);
  EXPECT_EQ(after.Get("selected"), "5");
}

TEST_F(InstallScriptTest, KeepSelectionAddsFlamegridWithoutSelectingIt) {
  Write(rc(), kOddFile);
  ASSERT_EQ(Run("--keep-selection"), 0) << Log();
  const XScreenSaverSettings after = Settings();
  EXPECT_EQ(after.programs.size(), 6u);
  EXPECT_EQ(after.Find("flamegrid-view"), 5);
  EXPECT_NE(Read(rc()).find("Mode:\tone\nselected:   2\n"), std::string::npos) << Read(rc());
  EXPECT_FALSE(fs::exists(home_ / ".config/flamegrid/xscreensaver-previous"));
}

TEST_F(InstallScriptTest, KeepSelectionRenumbersASystemHackAfterTheUsersList) {
  // selected: 3 with a two-hack list is the system list's second hack, which
  // XScreenSaver appends after the user's list: flamegrid goes before it.
  Write(rc(), "mode: one\nselected: 3\nprograms: maze --root \\n qix --root\n");
  ASSERT_EQ(Run("--keep-selection"), 0) << Log();
  const XScreenSaverSettings after = Settings();
  EXPECT_EQ(after.Find("flamegrid-view"), 2);
  EXPECT_EQ(after.Get("selected"), "4");
  EXPECT_EQ(after.Get("mode"), "one");
}

TEST_F(InstallScriptTest, UninstallPutsTheFileBackExactly) {
  Write(rc(), kOddFile);
  ASSERT_EQ(Run("--coordinator h:1"), 0) << Log();
  ASSERT_EQ(Run("--uninstall"), 0) << Log();
  EXPECT_EQ(Read(rc()), kOddFile);
  EXPECT_FALSE(fs::exists(home_ / ".config/flamegrid/xscreensaver-previous"));
  EXPECT_FALSE(fs::exists(home_ / ".config/systemd/user/flamegrid-worker.service"));
  EXPECT_FALSE(fs::exists(home_ / ".config/flamegrid/worker.env"));
  EXPECT_NE(Log().find("previous selection is back"), std::string::npos) << Log();
}

TEST_F(InstallScriptTest, UninstallRestoresTheSelectionAndKeepsLaterChanges) {
  Write(rc(), kOddFile);
  ASSERT_EQ(Run(""), 0) << Log();
  // The user changes something else meanwhile; the backup no longer matches.
  std::ofstream(rc(), std::ios::app) << "lock:\t\tTrue\n";
  ASSERT_EQ(Run("--uninstall"), 0) << Log();
  const XScreenSaverSettings before = ParseXScreenSaverSettings(kOddFile);
  const XScreenSaverSettings after = Settings();
  EXPECT_EQ(after.programs, before.programs) << Read(rc());
  EXPECT_EQ(after.Get("mode"), "one");
  EXPECT_EQ(after.Get("selected"), "2");
  EXPECT_EQ(after.Get("lock"), "True");
  EXPECT_EQ(after.Without({"lock"}), before.Without({})) << Read(rc());
}

TEST_F(InstallScriptTest, UninstallKeepsANewerChoiceAndItsNumber) {
  Write(rc(), "mode: random\nprograms: maze --root \\n qix --root\n");
  ASSERT_EQ(Run(""), 0) << Log();
  ASSERT_EQ(Settings().Get("selected"), "2");
  // xscreensaver-settings rewrote the file: the system's hacks follow
  // flamegrid, and the user chose one of them.
  Write(rc(),
        "mode:\t\tone\nselected:\t3\nprograms:\t\t\\\n"
        "\t\tmaze --root\t\\n\\\n\t\tqix --root\t\\n\\\n"
        "\t\t" +
            entry_ + "\t\\n\\\n\t\tdeco --root\t\\n\\\n\t\txlyap --root\t\\n\\\n\n");
  ASSERT_EQ(Run("--uninstall"), 0) << Log();
  const XScreenSaverSettings after = Settings();
  EXPECT_EQ(after.programs,
            (std::vector<std::string>{"maze --root", "qix --root", "deco --root", "xlyap --root"}))
      << Read(rc());
  EXPECT_EQ(after.Get("mode"), "one");
  EXPECT_EQ(after.Get("selected"), "2") << "still deco, one place up";
}

TEST_F(InstallScriptTest, UninstallOfAFreshFileGoesBackToTheDefaults) {
  ASSERT_EQ(Run(""), 0) << Log();
  ASSERT_EQ(Run("--uninstall"), 0) << Log();
  const XScreenSaverSettings after = Settings();
  EXPECT_EQ(after.Find("flamegrid"), -1) << Read(rc());
  EXPECT_EQ(after.Get("mode"), "random");
  EXPECT_EQ(after.Get("selected"), "-1");
}

TEST_F(InstallScriptTest, ProgramsOnTheSameLineStayInTheList) {
  Write(rc(), "programs: qix -root\n");
  ASSERT_EQ(Run(""), 0) << Log();
  EXPECT_EQ(Settings().programs, (std::vector<std::string>{"qix -root", entry_})) << Read(rc());
  EXPECT_EQ(Settings().Get("selected"), "1");
  ASSERT_EQ(Run("--uninstall"), 0) << Log();
  EXPECT_EQ(Read(rc()), "programs: qix -root\n");
}

TEST_F(InstallScriptTest, FlamegridSharingALineWithAnotherHackIsTakenOutAlone) {
  Write(rc(), "programs: " + entry_ + " \\n maze --root\nmode: one\nselected: 1\n");
  ASSERT_EQ(Run("--uninstall"), 0) << Log();
  const XScreenSaverSettings after = Settings();
  EXPECT_EQ(after.programs, std::vector<std::string>{"maze --root"}) << Read(rc());
  EXPECT_EQ(after.Get("selected"), "0") << "maze moved up one";
  EXPECT_EQ(after.Get("mode"), "one");
}

TEST_F(InstallScriptTest, AFailedEditLeavesTheFileAsItWas) {
  Write(rc(), kOddFile);
  // An awk that loses the end of every file it writes.
  const fs::path bin = home_ / "bin";
  Write(bin / "awk",
        "#!/bin/sh\n/usr/bin/awk \"$@\" || exit $?\n"
        "if [ -n \"$FG_INFO\" ] && [ -f \"$FG_OUT\" ]; then\n"
        "  head -n 3 \"$FG_OUT\" > \"$FG_OUT.cut\" && mv \"$FG_OUT.cut\" \"$FG_OUT\"\nfi\n");
  fs::permissions(bin / "awk", fs::perms::owner_all);
  const std::string path = "PATH='" + bin.string() + ":" + std::getenv("PATH") + "'";
  EXPECT_NE(RunWith(path, kScript, "--bindir /opt/fg/bin"), 0) << Log();
  EXPECT_NE(Log().find("unchanged"), std::string::npos) << Log();
  EXPECT_EQ(Read(rc()), kOddFile);
  for (const auto& file : fs::directory_iterator(home_)) {
    EXPECT_EQ(file.path().filename().string().find(".xscreensaver.flamegrid-tmp"),
              std::string::npos)
        << file.path();
  }
}

TEST_F(InstallScriptTest, FindsTheViewerBesideItselfAndTheUnitInAssetsSystemd) {
  // Installed as /usr/bin/flamegrid-install-screensaver, the viewer is beside
  // it; in the source tree the unit may live in assets/systemd/.
  const fs::path tree = home_ / "tree";
  fs::create_directories(tree / "screensaver");
  fs::copy_file(kScript, tree / "screensaver/install-screensaver.sh");
  for (const char* program : {"flamegrid-view", "flamegrid-worker"}) {
    Write(tree / "screensaver" / program, "#!/bin/sh\n");
    fs::permissions(tree / "screensaver" / program, fs::perms::owner_all);
  }
  Write(tree / "systemd/flamegrid-worker.service",
        "[Service]\nEnvironmentFile=@ENVFILE@\nExecStart=@WORKER@ --x\n");
  ASSERT_EQ(RunWith("PATH=/usr/bin:/bin", tree / "screensaver/install-screensaver.sh", ""), 0)
      << Log();
  const XScreenSaverSettings settings = Settings();
  const int index = settings.Find("flamegrid-view");
  ASSERT_GE(index, 0);
  EXPECT_EQ(settings.programs[index].find("\"Flamegrid\"  " +
                                          (tree / "screensaver/flamegrid-view").string()),
            0u)
      << settings.programs[index];
  const std::string unit = Read(home_ / ".config/systemd/user/flamegrid-worker.service");
  EXPECT_NE(unit.find("ExecStart=" + (tree / "screensaver/flamegrid-worker").string() + " --x"),
            std::string::npos)
      << unit;
}

TEST_F(InstallScriptTest, RejectsBadOptions) {
  EXPECT_EQ(Run("--render-when sometimes"), 2);
  EXPECT_EQ(Run("--frobnicate"), 2);
  EXPECT_EQ(Run("--data '/tmp/with space'"), 2);
  EXPECT_EQ(Run("--data"), 2);
  EXPECT_FALSE(fs::exists(rc()));
}

}  // namespace
}  // namespace flamegrid
