// The Debian packages (.ci/cmake/FlamegridPackaging.cmake): runs cpack on this
// build tree into a temporary folder, once for the suite, then reads the
// packages with dpkg-deb. Each package holds exactly the files it should (so a
// missing install rule and a test or bench binary that leaks in both fail),
// its Depends came from dpkg-shlibdeps, the coordinator's configuration is a
// conffile, and the installed systemd units name the installed paths.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace flamegrid {
namespace {

namespace fs = std::filesystem;

// Runs a shell command; returns its exit code and puts stdout and stderr in *output.
int RunShell(const std::string& command, std::string* output) {
  output->clear();
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::array<char, 4096> buffer;
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) output->append(buffer.data(), n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Quote(const fs::path& path) { return "'" + path.string() + "'"; }

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

// What each package must hold: every regular file, and nothing else.
const std::map<std::string, std::set<std::string>>& ExpectedFiles() {
  static const auto* expected = new std::map<std::string, std::set<std::string>>{
      {"flamegrid-coordinator",
       {"/usr/bin/flamegrid-coordinator", "/usr/lib/systemd/system/flamegrid-coordinator.service",
        "/etc/flamegrid/coordinator.toml", "/usr/share/man/man1/flamegrid-coordinator.1.gz",
        "/usr/share/doc/flamegrid-coordinator/copyright"}},
      {"flamegrid-worker",
       {"/usr/bin/flamegrid-worker", "/usr/bin/flamegrid-view",
        "/usr/bin/flamegrid-install-screensaver", "/usr/lib/systemd/user/flamegrid-worker.service",
        "/usr/share/xscreensaver/config/flamegrid.xml", "/usr/share/man/man1/flamegrid-worker.1.gz",
        "/usr/share/man/man1/flamegrid-view.1.gz",
        "/usr/share/man/man1/flamegrid-install-screensaver.1.gz",
        "/usr/share/doc/flamegrid-worker/copyright"}},
      {"flamegrid-tools",
       {"/usr/bin/flamegrid-render", "/usr/bin/flamegrid-genome",
        "/usr/lib/flamegrid/libflamegrid_oiio.so", "/usr/share/man/man1/flamegrid-render.1.gz",
        "/usr/share/man/man1/flamegrid-genome.1.gz", "/usr/share/doc/flamegrid-tools/copyright"}},
  };
  return *expected;
}

class PackagingTest : public ::testing::Test {
 protected:
  // One cpack run serves every test: it is the slow part (strip, dpkg-shlibdeps, xz).
  static void SetUpTestSuite() {
    std::string pattern = (fs::temp_directory_path() / "fg-packages-XXXXXX").string();
    out_ = new fs::path(mkdtemp(pattern.data()));
    log_ = new std::string;
    std::string arch;
    if (RunShell("dpkg --print-architecture", &arch) != 0) {
      *log_ = "dpkg --print-architecture failed: " + arch;
      return;
    }
    arch_ = new std::string(Trim(arch));
    cpack_status_ = RunShell("cd " + Quote(FLAMEGRID_BINARY_DIR) +
                                 " && cpack -G DEB --config CPackConfig.cmake -B " + Quote(*out_),
                             log_);
  }
  static void TearDownTestSuite() {
    std::error_code ignored;
    fs::remove_all(*out_, ignored);
    delete out_;
    delete log_;
    delete arch_;
  }

  void SetUp() override {
    ASSERT_NE(arch_, nullptr) << *log_;
    ASSERT_EQ(cpack_status_, 0) << "cpack failed:\n" << *log_;
  }

  static fs::path Deb(const std::string& package) {
    return *out_ / (package + "_" + FLAMEGRID_VERSION + "_" + *arch_ + ".deb");
  }

  // The regular files in a package, as absolute paths.
  static std::set<std::string> Files(const std::string& package) {
    std::string listing;
    EXPECT_EQ(RunShell("dpkg-deb -c " + Quote(Deb(package)), &listing), 0) << listing;
    std::set<std::string> files;
    std::istringstream lines(listing);
    for (std::string line; std::getline(lines, line);) {
      if (line.empty() || line[0] != '-') continue;  // directories and links
      const size_t at = line.find(" ./");
      if (at != std::string::npos) files.insert(line.substr(at + 2));
    }
    return files;
  }

  static std::string Field(const std::string& package, const std::string& field) {
    std::string value;
    EXPECT_EQ(RunShell("dpkg-deb -f " + Quote(Deb(package)) + " " + field, &value), 0) << value;
    return Trim(value);
  }

  // A file of the package's data, read without installing it.
  static std::string Extract(const std::string& package, const std::string& path) {
    std::string text;
    EXPECT_EQ(RunShell("dpkg-deb --fsys-tarfile " + Quote(Deb(package)) + " | tar -xOf - ." + path,
                       &text),
              0)
        << text;
    return text;
  }

  static inline fs::path* out_ = nullptr;
  static inline std::string* log_ = nullptr;
  static inline std::string* arch_ = nullptr;
  static inline int cpack_status_ = -1;
};

TEST_F(PackagingTest, MakesThreePackagesNamedPackageVersionArch) {
  std::set<std::string> debs;
  for (const auto& entry : fs::directory_iterator(*out_)) {
    if (entry.path().extension() == ".deb") debs.insert(entry.path().filename().string());
  }
  std::set<std::string> expected;
  for (const auto& [package, files] : ExpectedFiles()) {
    expected.insert(Deb(package).filename().string());
  }
  EXPECT_EQ(debs, expected) << *log_;
}

TEST_F(PackagingTest, EachPackageHoldsExactlyItsFiles) {
  for (const auto& [package, expected] : ExpectedFiles()) {
    const std::set<std::string> files = Files(package);
    for (const std::string& path : expected) {
      EXPECT_EQ(files.count(path), 1u) << path << " is missing from " << package;
    }
    for (const std::string& path : files) {
      EXPECT_EQ(expected.count(path), 1u) << package << " should not hold " << path;
    }
  }
}

TEST_F(PackagingTest, NoTestOrBenchmarkInAnyPackage) {
  for (const auto& [package, expected] : ExpectedFiles()) {
    for (const std::string& path : Files(package)) {
      const std::string name = fs::path(path).filename().string();
      EXPECT_EQ(name.find("test"), std::string::npos) << package << ": " << path;
      EXPECT_EQ(name.find("bench"), std::string::npos) << package << ": " << path;
      EXPECT_EQ(name.find("gtest"), std::string::npos) << package << ": " << path;
      EXPECT_EQ(name.find("fuzz"), std::string::npos) << package << ": " << path;
    }
  }
}

TEST_F(PackagingTest, DependsComeFromDpkgShlibdepsAndNamePalettes) {
  for (const auto& [package, files] : ExpectedFiles()) {
    const std::string depends = Field(package, "Depends");
    // Only dpkg-shlibdeps adds libc6: nothing names it by hand.
    EXPECT_NE(depends.find("libc6"), std::string::npos) << package << ": " << depends;
    EXPECT_NE(depends.find("libstdc++6"), std::string::npos) << package << ": " << depends;
    EXPECT_NE(depends.find("flam3-palette"), std::string::npos) << package << ": " << depends;
  }
  EXPECT_NE(Field("flamegrid-coordinator", "Depends").find("libsqlite3"), std::string::npos);
  EXPECT_NE(Field("flamegrid-worker", "Depends").find("libsdl2"), std::string::npos);
  // The module links OpenImageIO; the package that holds it depends on it.
  EXPECT_NE(Field("flamegrid-tools", "Depends").find("libopenimageio"), std::string::npos);
}

TEST_F(PackagingTest, ControlFieldsAreFilledIn) {
  for (const auto& [package, files] : ExpectedFiles()) {
    EXPECT_EQ(Field(package, "Package"), package);
    EXPECT_EQ(Field(package, "Version"), FLAMEGRID_VERSION);
    EXPECT_EQ(Field(package, "Architecture"), *arch_);
    for (const char* field : {"Maintainer", "Description", "Section", "Homepage"}) {
      EXPECT_FALSE(Field(package, field).empty()) << package << " has no " << field;
    }
  }
}

TEST_F(PackagingTest, CoordinatorConfigurationIsAConffile) {
  const fs::path control = *out_ / "control";
  std::string output;
  ASSERT_EQ(RunShell("dpkg-deb -e " + Quote(Deb("flamegrid-coordinator")) + " " + Quote(control),
                     &output),
            0)
      << output;
  std::ifstream in(control / "conffiles");
  std::ostringstream conffiles;
  conffiles << in.rdbuf();
  EXPECT_EQ(conffiles.str(), "/etc/flamegrid/coordinator.toml\n");
  for (const char* script : {"postinst", "prerm", "postrm"}) {
    const fs::perms perms = fs::status(control / script).permissions();
    EXPECT_NE(perms & fs::perms::owner_exec, fs::perms::none) << script << " is not executable";
  }
}

TEST_F(PackagingTest, UnitsNameTheInstalledPaths) {
  const std::string coordinator =
      Extract("flamegrid-coordinator", "/usr/lib/systemd/system/flamegrid-coordinator.service");
  EXPECT_NE(coordinator.find("\nExecStart=/usr/bin/flamegrid-coordinator serve --config "
                             "/etc/flamegrid/coordinator.toml\n"),
            std::string::npos)
      << coordinator;
  EXPECT_NE(coordinator.find("\nStateDirectory=flamegrid\n"), std::string::npos);
  EXPECT_NE(coordinator.find("\nDynamicUser=yes\n"), std::string::npos);

  const std::string worker =
      Extract("flamegrid-worker", "/usr/lib/systemd/user/flamegrid-worker.service");
  EXPECT_NE(worker.find("\nExecStart=/usr/bin/flamegrid-worker --coordinator"), std::string::npos)
      << worker;
  EXPECT_NE(worker.find("\nEnvironmentFile=%E/flamegrid/worker.env\n"), std::string::npos);
  EXPECT_NE(worker.find("\nNice=19\n"), std::string::npos);
  for (const std::string* unit : {&coordinator, &worker}) {
    for (const char* placeholder : {"@COORDINATOR@", "@CONFIG@", "@WORKER@", "@ENVFILE@"}) {
      EXPECT_EQ(unit->find(placeholder), std::string::npos) << placeholder << " left in a unit";
    }
  }
}

TEST_F(PackagingTest, ManPagesDescribeTheirProgram) {
  std::string text;
  ASSERT_EQ(RunShell("dpkg-deb --fsys-tarfile " + Quote(Deb("flamegrid-tools")) +
                         " | tar -xOf - ./usr/share/man/man1/flamegrid-render.1.gz | gzip -dc",
                     &text),
            0)
      << text;
  EXPECT_NE(text.find(".TH FLAMEGRID-RENDER \"1\""), std::string::npos) << text.substr(0, 400);
  EXPECT_NE(text.find("flamegrid-render \\- render fractal flames"), std::string::npos)
      << text.substr(0, 400);
}

}  // namespace
}  // namespace flamegrid
