#include "proto/shared/env.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "tests/proto/shared/faulty_env.h"

namespace flamegrid {
namespace {

namespace fs = std::filesystem;

class EnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("fg_env_test." + std::to_string(::getpid()));
    fs::remove_all(dir_);
    ASSERT_TRUE(Env::Default()->CreateDirectories(dir_.string()).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

TEST_F(EnvTest, WritesAtomicallyAndReadsBack) {
  Env* env = Env::Default();
  ASSERT_TRUE(env->WriteFileAtomic(Path("a"), "first", SyncPolicy::kSync).ok());
  ASSERT_TRUE(env->WriteFileAtomic(Path("a"), "second", SyncPolicy::kNone).ok());
  EXPECT_EQ(*env->ReadFile(Path("a")), "second");
  EXPECT_EQ(*env->FileSize(Path("a")), 6u);
  // Nothing but the file itself: no temporary file was left behind.
  EXPECT_EQ(*env->ListDirectory(dir_.string()), std::vector<std::string>{"a"});
}

TEST_F(EnvTest, OneSetOfErrorCodes) {
  Env* env = Env::Default();
  EXPECT_EQ(env->ReadFile(Path("missing")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(env->RemoveFile(Path("missing")).code(), StatusCode::kNotFound);
  EXPECT_EQ(env->FileSize(Path("missing")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(env->ListDirectory(Path("missing")).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(env->RemoveTree(Path("missing")).ok());
  ASSERT_TRUE(env->WriteFileAtomic(Path("big"), std::string(100, 'x'), SyncPolicy::kNone).ok());
  EXPECT_EQ(env->ReadFile(Path("big"), 99).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(env->ReadFile(Path("big"), 100)->size(), 100u);
  EXPECT_EQ(env->WriteFileAtomic(Path("no/such/dir/f"), "x", SyncPolicy::kNone).code(),
            StatusCode::kNotFound);
  EXPECT_GT(*env->FreeBytes(dir_.string()), 0u);
}

TEST_F(EnvTest, FaultyTwinBreaksOnlyTheCallItWasToldTo) {
  testing::FaultyEnv env;
  env.Fail(testing::FaultyEnv::Op::kWrite, testing::FaultyEnv::DiskFull(), 1, "frames", 1);
  EXPECT_TRUE(env.WriteFileAtomic(Path("frames-1"), "x", SyncPolicy::kNone, 0644).ok());  // skipped
  EXPECT_TRUE(env.WriteFileAtomic(Path("other"), "x", SyncPolicy::kNone, 0644).ok());  // no match
  EXPECT_EQ(env.WriteFileAtomic(Path("frames-2"), "x", SyncPolicy::kNone, 0644).code(),
            StatusCode::kResourceExhausted);
  EXPECT_TRUE(env.WriteFileAtomic(Path("frames-3"), "x", SyncPolicy::kNone, 0644).ok());  // used up
  EXPECT_FALSE(Env::Default()->FileExists(Path("frames-2")));
  EXPECT_EQ(env.Injected(), 1);
  EXPECT_EQ(env.Calls(testing::FaultyEnv::Op::kWrite), 4);

  env.SetNowMs(1000);
  env.AdvanceMs(500);
  EXPECT_EQ(env.NowMs(), 1500);
  env.SetFreeBytes(10);
  EXPECT_EQ(*env.FreeBytes(dir_.string()), 10u);
}

}  // namespace
}  // namespace flamegrid
