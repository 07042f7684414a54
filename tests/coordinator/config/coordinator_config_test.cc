// Tests of the coordinator's config file (coordinator/config): every serve
// flag has a key, values of each TOML type land as the command line would
// give them, the command line wins over the file, and unknown keys, bad
// types, bad ranges, malformed sizes, missing files and syntax errors are
// refused naming the key and the file's line. Also the flock profile's
// filling of unset submissions (coordinator/flock/flock_profile.h) and the
// shipped example, assets/config/coordinator.toml.
#include "coordinator/config/coordinator_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "coordinator/config/serve_options.h"
#include "coordinator/flock/flock_profile.h"
#include "coordinator/schedule/scheduler.h"
#include "tests/proto/shared/faulty_env.h"

namespace flamegrid::coordinator {
namespace {

using ::testing::HasSubstr;

const std::string kExample = std::string(FLAMEGRID_SOURCE_DIR) + "/assets/config/coordinator.toml";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<CoordinatorConfig> Parse(const std::string& text) {
  return ParseCoordinatorConfig(text, "test.toml");
}

// A value of the right kind and range for `option`, as TOML.
std::string ValidToml(const ServeOption& option) {
  switch (option.kind) {
    case OptionKind::kText: {
      if (option.choices == nullptr) return "\"some-text\"";
      const std::string choices = option.choices;
      return "\"" + choices.substr(0, choices.find('|')) + "\"";
    }
    case OptionKind::kAddress:
      return "\"127.0.0.1:7750\"";
    case OptionKind::kCount:
      return std::to_string(static_cast<long long>(option.min) + 1);
    case OptionKind::kNumber:
      return std::to_string(option.min + 1);
    case OptionKind::kSwitch:
    case OptionKind::kFlag:
      return "true";
  }
  return "";
}

TEST(ServeOptions, EveryServeFlagHasAKeyOfTheSameName) {
  ASSERT_GE(ServeOptions().size(), 20u);
  std::string text;
  for (const ServeOption& option : ServeOptions()) {
    const std::string key = ConfigKey(option.flag);
    EXPECT_EQ("--" + std::regex_replace(key, std::regex("_"), "-"), option.flag);
    EXPECT_EQ(key.find('-'), std::string::npos) << key;
    text += key + " = " + ValidToml(option) + "\n";
  }
  auto config = Parse(text);
  ASSERT_TRUE(config.ok()) << config.status().ToString() << "\n" << text;
  for (const ServeOption& option : ServeOptions()) {
    EXPECT_EQ(config->options.count(option.flag), 1u) << option.flag << " has no key";
  }
  // And the command line knows every flag of the table, and --config.
  const std::vector<OptionSpec> specs = ServeCommandOptions();
  EXPECT_EQ(specs.size(), ServeOptions().size() + 1);
  EXPECT_EQ(std::string(specs.back().name), "--config");
}

TEST(CoordinatorConfig, ValuesOfEachTypeReadAsTheCommandLineGivesThem) {
  auto config = Parse(R"(
listen = "0.0.0.0:7750"
lease_seconds = 60
replica_wait_seconds = 1.5
max_upload_mb = "32"
trusted_after = "12"
preview_check = true
flock_upkeep = "off"
fake_render = true
)");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  const std::map<std::string, std::string> want = {
      {"--listen", "0.0.0.0:7750"}, {"--lease-seconds", "60"}, {"--replica-wait-seconds", "1.5"},
      {"--max-upload-mb", "32"},    {"--trusted-after", "12"}, {"--preview-check", "on"},
      {"--flock-upkeep", "off"},    {"--fake-render", "1"}};
  EXPECT_EQ(config->options, want);
  // A flag set to false is as if not given.
  config = Parse("fake_render = false\npreview_check = false\n");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->options, (std::map<std::string, std::string>{{"--preview-check", "off"}}));
}

TEST(CoordinatorConfig, TheFlockTableIsTheProfile) {
  auto config = Parse(R"(
[flock]
frames = 64
size = "320x240"
quality = 250.5
fps = 25
bootstrap_loops = 3
)");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->profile.frames, 64);
  EXPECT_EQ(config->profile.width, 320);
  EXPECT_EQ(config->profile.height, 240);
  EXPECT_EQ(config->profile.quality, 250.5);
  EXPECT_EQ(config->profile.fps, 25);
  EXPECT_EQ(config->profile.bootstrap_loops, 3);
  EXPECT_TRUE(config->options.empty());
  // Keys left out keep the built-in profile (Electric Sheep's).
  config = Parse("[flock]\nframes = 10\n");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->profile.frames, 10);
  EXPECT_EQ(config->profile.width, FlockProfile{}.width);
  EXPECT_EQ(config->profile.quality, FlockProfile{}.quality);
}

TEST(CoordinatorConfig, FlagsGivenOnTheCommandLineOverrideTheFile) {
  auto config = Parse("listen = \"0.0.0.0:7750\"\nlease_seconds = 60\ndata = \"/var/lib/x\"\n");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  const auto merged =
      MergeServeOptions(config->options, {{"--lease-seconds", "5"}, {"--fake-render", "1"}});
  EXPECT_EQ(merged.at("--lease-seconds"), "5");
  EXPECT_EQ(merged.at("--listen"), "0.0.0.0:7750");
  EXPECT_EQ(merged.at("--data"), "/var/lib/x");
  EXPECT_EQ(merged.at("--fake-render"), "1");
}

TEST(CoordinatorConfig, UnknownKeysAreRefusedByName) {
  auto config = Parse("listen = \"0.0.0.0:1\"\nlease_second = 60\n");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(config.status().message(), HasSubstr("test.toml:2:1: lease_second: unknown key"));
  EXPECT_THAT(config.status().message(), HasSubstr("did you mean lease_seconds?"));

  config = Parse("[flock]\nframes = 8\nframe_rate = 30\n");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(), HasSubstr("test.toml:3:1: flock.frame_rate: unknown key"));

  // A serve key written below [flock] belongs above it.
  config = Parse("[flock]\nlease_seconds = 30\n");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(), HasSubstr("flock.lease_seconds: unknown key"));
  EXPECT_THAT(config.status().message(), HasSubstr("top-level key"));

  // A profile key at the top level belongs in [flock]; --config is no key.
  config = Parse("frames = 30\n");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(), HasSubstr("frames: unknown key"));
  EXPECT_THAT(config.status().message(), HasSubstr("[flock]"));
  EXPECT_FALSE(Parse("config = \"other.toml\"\n").ok());
  EXPECT_FALSE(Parse("lease-seconds = 60\n").ok());  // keys use underscores
  EXPECT_FALSE(Parse("[server]\nlisten = \"0.0.0.0:1\"\n").ok());
  EXPECT_FALSE(Parse("[flock.extra]\nframes = 2\n").ok());
}

TEST(CoordinatorConfig, BadTypesAreRefusedWithTheKeyAndLine) {
  auto config = Parse("# a comment\nlisten = \"0.0.0.0:1\"\nlease_seconds = true\n");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(),
              HasSubstr("test.toml:3:17: lease_seconds: must be a number (got a boolean)"));

  const std::vector<std::pair<std::string, std::string>> cases = {
      {"listen = 7750\n", "listen: must be a string (got an integer)"},
      {"breed_count = 2.5\n", "breed_count: must be a whole number (got a float)"},
      {"preview_check = 1\n", "preview_check: must be true, false"},
      {"fake_render = \"yes\"\n", "fake_render: must be true or false"},
      {"data = [\"a\"]\n", "data: must be a string (got an array)"},
      {"lease_seconds = \"soon\"\n", "lease_seconds: must be a number (got \"soon\")"},
      {"flock = 3\n", "flock: must be a table"},
      {"[flock]\nframes = \"many\"\n", "flock.frames: must be a whole number"},
      {"[flock]\nquality = true\n", "flock.quality: must be a number (got a boolean)"},
  };
  for (const auto& [text, want] : cases) {
    auto c = Parse(text);
    ASSERT_FALSE(c.ok()) << text;
    EXPECT_THAT(c.status().message(), HasSubstr(want)) << text;
    EXPECT_THAT(c.status().message(), HasSubstr("test.toml:")) << text;
  }
}

TEST(CoordinatorConfig, OutOfRangeValuesAreRefused) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"lease_seconds = 0\n", "lease_seconds: must be greater than 0"},
      {"max_failures = 0\n", "max_failures: must be at least 1"},
      {"breed_count = 5000\n", "breed_count: must be at least 1 and at most 1000"},
      {"tracker_interval = -3\n", "tracker_interval: must be at least 1"},
      {"sync = \"sometimes\"\n", "sync: must be one of full|normal"},
      {"video_preset = \"quick\"\n", "video_preset: must be one of ultrafast|"},
      {"listen = \"0.0.0.0\"\n", "listen: must be HOST:PORT"},
      {"http = \"0.0.0.0:99999\"\n", "http: must be HOST:PORT"},
      {"data = \"\"\n", "data: must not be empty"},
      {"[flock]\nframes = 1\n", "flock.frames: must be at least 2"},
      {"[flock]\nquality = 0\n", "flock.quality: must be greater than 0"},
      {"[flock]\nfps = 1000\n", "flock.fps: must be at least 1 and at most 240"},
      {"[flock]\nbootstrap_loops = -1\n", "flock.bootstrap_loops: must be at least 0"},
  };
  for (const auto& [text, want] : cases) {
    auto c = Parse(text);
    ASSERT_FALSE(c.ok()) << text;
    EXPECT_THAT(c.status().message(), HasSubstr(want)) << text;
  }
}

TEST(CoordinatorConfig, MalformedSizesAreRefused) {
  for (const std::string size : {"640*480", "640x", "x480", "640x480x2", "-640x480", "big", ""}) {
    auto c = Parse("[flock]\nsize = \"" + size + "\"\n");
    ASSERT_FALSE(c.ok()) << size;
    EXPECT_THAT(c.status().message(), HasSubstr("test.toml:2:8: flock.size: must be \"WxH\""))
        << size;
  }
  auto c = Parse("[flock]\nsize = 640\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("flock.size: must be a string"));
  c = Parse("[flock]\nsize = \"8x8\"\n");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.status().message(), HasSubstr("flock.size: each side must be 16 to 8192"));
  c = Parse("[flock]\nsize = \"1280X720\"\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->profile.width, 1280);
  EXPECT_EQ(c->profile.height, 720);
}

TEST(CoordinatorConfig, SyntaxErrorsNameTheFileAndLine) {
  auto config = Parse("listen = \"0.0.0.0:1\"\nlease_seconds = \n");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(config.status().message(), HasSubstr("test.toml:2:"));
  EXPECT_THAT(config.status().message(), HasSubstr("TOML syntax error"));
  // A key given twice is a TOML error too.
  config = Parse("lease_seconds = 1\nlease_seconds = 2\n");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(), HasSubstr("test.toml:2:"));
}

TEST(CoordinatorConfig, MissingOrUnreadableFilesAreNamed) {
  auto config = LoadCoordinatorConfig("/nonexistent/flamegrid/coordinator.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(config.status().message(),
              HasSubstr("cannot read config /nonexistent/flamegrid/coordinator.toml"));
  config = LoadCoordinatorConfig(FLAMEGRID_SOURCE_DIR);
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(config.status().message(), HasSubstr("is a directory"));
}

// The file is read through the Env it is given, and only up to
// kMaxConfigBytes: a bigger one is refused unread, naming it.
TEST(CoordinatorConfig, TheFileIsReadThroughEnvWithASizeBound) {
  char pattern[] = "/tmp/flamegrid-config-test.XXXXXX";
  const std::string dir = mkdtemp(pattern);
  const std::string path = dir + "/coordinator.toml";
  {
    std::ofstream out(path);
    out << "lease_seconds = 60\n";
    out << std::string(kMaxConfigBytes, '#') << "\n";  // one long comment
  }
  auto config = LoadCoordinatorConfig(path);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(config.status().message(), HasSubstr("cannot read config " + path));

  std::ofstream(path, std::ios::trunc) << "lease_seconds = 60\n";
  testing::FaultyEnv env;
  EXPECT_TRUE(LoadCoordinatorConfig(path, &env).ok());
  EXPECT_EQ(env.Calls(testing::FaultyEnv::Op::kRead), 1);
  env.Fail(testing::FaultyEnv::Op::kRead, Status::IoError("injected: bad sector"));
  config = LoadCoordinatorConfig(path, &env);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kIoError);
  EXPECT_THAT(config.status().message(),
              HasSubstr("cannot read config " + path + ": injected: bad sector"));
  std::filesystem::remove_all(dir);
}

TEST(CoordinatorConfig, CommandLineValuesAreCheckedLikeTheFile) {
  EXPECT_TRUE(CheckServeOptions({{"--lease-seconds", "0.5"}, {"--fake-render", "1"}}).ok());
  Status s = CheckServeOptions({{"--lease-seconds", "ten"}});
  EXPECT_THAT(s.message(), HasSubstr("--lease-seconds: must be a number"));
  s = CheckServeOptions({{"--preview-check", "yes"}});
  EXPECT_THAT(s.message(), HasSubstr("--preview-check: must be on or off"));
  s = CheckServeOptions({{"--trusted-after", "10abc"}});
  EXPECT_THAT(s.message(), HasSubstr("--trusted-after: must be a whole number"));
}

TEST(CoordinatorConfig, TheShippedExampleListsEveryKeyWithTheElectricSheepProfile) {
  const std::string text = ReadFile(kExample);
  ASSERT_FALSE(text.empty()) << kExample;
  auto config = ParseCoordinatorConfig(text, kExample);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  for (const ServeOption& option : ServeOptions()) {
    const std::regex listed("(^|\n)#? ?" + ConfigKey(option.flag) + " = ");
    EXPECT_TRUE(std::regex_search(text, listed)) << ConfigKey(option.flag) << " is not listed";
  }
  for (const char* key : kFlockKeys) {
    EXPECT_TRUE(std::regex_search(text, std::regex("(^|\n)" + std::string(key) + " = ")))
        << key << " is not set in [flock]";
  }
  EXPECT_EQ(config->options.at("--data"), "/var/lib/flamegrid");
  EXPECT_EQ(config->options.at("--listen").rfind("0.0.0.0:", 0), 0u);
  EXPECT_EQ(config->options.at("--http").rfind("0.0.0.0:", 0), 0u);
  EXPECT_EQ(config->profile.frames, 128);
  EXPECT_EQ(config->profile.width, 640);
  EXPECT_EQ(config->profile.height, 480);
  EXPECT_EQ(config->profile.fps, 30);
  EXPECT_EQ(config->profile.quality, FlockProfile{}.quality);
  EXPECT_GT(config->profile.bootstrap_loops, 0);
}

TEST(FlockProfile, UnsetSubmissionFieldsTakeTheProfile) {
  FlockProfile profile;
  profile.frames = 12;
  profile.width = 320;
  profile.height = 240;
  profile.quality = 77;
  profile.fps = 24;
  SubmitSpec spec;
  ASSERT_TRUE(FillFromProfile(profile, spec).ok());
  EXPECT_EQ(spec.frames, 12);
  EXPECT_EQ(spec.width, 320);
  EXPECT_EQ(spec.height, 240);
  EXPECT_EQ(spec.quality, 77);
  EXPECT_EQ(spec.fps, 24);
  // Given fields stay; a negative quality asks for the genome's own.
  SubmitSpec given;
  given.frames = 4;
  given.width = 64;
  given.height = 48;
  given.quality = -1;
  given.fps = 10;
  ASSERT_TRUE(FillFromProfile(profile, given).ok());
  EXPECT_EQ(given.frames, 4);
  EXPECT_EQ(given.width, 64);
  EXPECT_EQ(given.height, 48);
  EXPECT_EQ(given.quality, -1);
  EXPECT_EQ(given.fps, 10);
  SubmitSpec half;
  half.width = 64;
  EXPECT_EQ(FillFromProfile(profile, half).code(), StatusCode::kInvalidArgument);
  // The built-in profile is Electric Sheep's.
  EXPECT_EQ(FlockProfile{}.frames, 128);
  EXPECT_EQ(FlockProfile{}.width, 640);
  EXPECT_EQ(FlockProfile{}.height, 480);
  EXPECT_EQ(FlockProfile{}.fps, 30);
}

}  // namespace
}  // namespace flamegrid::coordinator
