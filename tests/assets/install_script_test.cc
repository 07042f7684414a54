// Tests for assets/screensaver/install-screensaver.sh against a temporary
// home folder: the XScreenSaver programs list, the systemd user unit and its
// settings, idempotence, keeping the user's other screensavers, uninstall.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace flamegrid {
namespace {

namespace fs = std::filesystem;

const fs::path kScript =
    fs::path(FLAMEGRID_SOURCE_DIR) / "assets/screensaver/install-screensaver.sh";

std::string Read(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

size_t Count(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

class InstallScriptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "fg-install-home-XXXXXX").string();
    home_ = mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(home_); }

  // Runs the script with HOME set to the temporary home and no systemctl; returns its exit code.
  int Run(const std::string& args) {
    const std::string command =
        "env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u DISPLAY -u XAUTHORITY HOME='" + home_.string() +
        "' bash '" + kScript.string() + "' --no-systemctl --bindir /opt/fg/bin " + args + " > '" +
        (home_ / "log").string() + "' 2>&1";
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  fs::path home_;
};

TEST_F(InstallScriptTest, FreshHomeGetsAScreensaverListUnitAndSettings) {
  ASSERT_EQ(Run("--coordinator grid.example.org:7070 --render-when screensaver"), 0)
      << Read(home_ / "log");
  const std::string data = (home_ / ".local/share/flamegrid").string();
  const std::string rc = Read(home_ / ".xscreensaver");
  EXPECT_NE(rc.find("programs:"), std::string::npos) << rc;
  EXPECT_NE(rc.find("\"Flamegrid\"  /opt/fg/bin/flamegrid-view --root --data " + data + " \\n\\"),
            std::string::npos)
      << rc;

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

TEST_F(InstallScriptTest, ExistingListKeepsItsScreensaversAndGetsFlamegridOnce) {
  const std::string original =
      "timeout:\t0:10:00\n"
      "mode:\t\trandom\n"
      "programs:\t\t\t\t\t\t\t      \\\n"
      "\t\t\t\t  maze -root\t\t\t\t    \\n\\\n"
      "  -\t\t\t\t  qix -root -solid\t\t\t    \\n\\\n"
      "\n"
      "pointerPollTime: 0:00:05\n";
  std::ofstream(home_ / ".xscreensaver") << original;
  ASSERT_EQ(Run(""), 0) << Read(home_ / "log");
  ASSERT_EQ(Run(""), 0) << "running again is harmless";
  const std::string rc = Read(home_ / ".xscreensaver");
  EXPECT_EQ(Count(rc, "flamegrid-view"), 1u) << rc;
  EXPECT_NE(rc.find("\n  \"Flamegrid\"  /opt/fg/bin/flamegrid-view --root --data " +
                    (home_ / ".local/share/flamegrid").string() + " \\n\\\n"),
            std::string::npos)
      << "one resource line, continued the way xscreensaver writes it:\n"
      << rc;
  EXPECT_NE(rc.find("maze -root"), std::string::npos);
  EXPECT_NE(rc.find("qix -root -solid"), std::string::npos);
  EXPECT_NE(rc.find("mode:\t\trandom"), std::string::npos);
  EXPECT_NE(rc.find("pointerPollTime: 0:00:05"), std::string::npos);
  // Flamegrid comes first in the list, the others follow as before.
  EXPECT_LT(rc.find("flamegrid-view"), rc.find("maze -root"));
  EXPECT_GT(rc.find("flamegrid-view"), rc.find("programs:"));
  EXPECT_EQ(Read(home_ / ".xscreensaver.flamegrid-backup"), original);
  EXPECT_NE(Read(home_ / "log").find("enable --now"), std::string::npos)
      << "without a coordinator it says how to start the worker later";
}

TEST_F(InstallScriptTest, ProgramsOnTheSameLineStayInTheList) {
  std::ofstream(home_ / ".xscreensaver") << "programs: qix -root\n";
  ASSERT_EQ(Run(""), 0) << Read(home_ / "log");
  const std::string rc = Read(home_ / ".xscreensaver");
  EXPECT_NE(rc.find("programs:\t\t\t\t\t\t      \\\n  \"Flamegrid\""), std::string::npos) << rc;
  EXPECT_NE(rc.find(" \\n\\\n qix -root\n"), std::string::npos) << rc;
}

TEST_F(InstallScriptTest, UninstallRemovesOnlyFlamegrid) {
  std::ofstream(home_ / ".xscreensaver") << "programs:\t\\\n  maze -root \\n\\\n\n";
  ASSERT_EQ(Run("--coordinator h:1"), 0) << Read(home_ / "log");
  ASSERT_EQ(Run("--uninstall"), 0) << Read(home_ / "log");
  const std::string rc = Read(home_ / ".xscreensaver");
  EXPECT_EQ(rc.find("flamegrid"), std::string::npos) << rc;
  EXPECT_NE(rc.find("maze -root"), std::string::npos);
  EXPECT_FALSE(fs::exists(home_ / ".config/systemd/user/flamegrid-worker.service"));
  EXPECT_FALSE(fs::exists(home_ / ".config/flamegrid/worker.env"));
}

TEST_F(InstallScriptTest, RejectsBadOptions) {
  EXPECT_EQ(Run("--render-when sometimes"), 2);
  EXPECT_EQ(Run("--frobnicate"), 2);
  EXPECT_EQ(Run("--data '/tmp/with space'"), 2);
  EXPECT_FALSE(fs::exists(home_ / ".xscreensaver"));
}

}  // namespace
}  // namespace flamegrid
