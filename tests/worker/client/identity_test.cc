// Tests for the worker's identity file: round trip, a missing or bad file,
// and a failed write that must not lose the identity saved before.
#include "worker/client/identity.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "tests/proto/shared/faulty_env.h"

namespace flamegrid::worker {
namespace {

namespace fs = std::filesystem;
using flamegrid::testing::FaultyEnv;

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "fg-identity-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(IdentityTest, SavedIdentityLoadsBackPrivately) {
  auto none = LoadIdentity(dir_ + "/data");
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_FALSE(none->has_value()) << "a new data folder has no identity";
  ASSERT_TRUE(SaveIdentity(dir_ + "/data", {42, "secret", "127.0.0.1:7070"}).ok());
  auto loaded = LoadIdentity(dir_ + "/data");
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ((*loaded)->worker_id, 42);
  EXPECT_EQ((*loaded)->token, "secret");
  EXPECT_EQ((*loaded)->coordinator, "127.0.0.1:7070");
  EXPECT_EQ(fs::status(dir_ + "/data/identity").permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(IdentityTest, AFailedWriteIsAnErrorAndKeepsTheSavedIdentity) {
  FaultyEnv env;
  ASSERT_TRUE(SaveIdentity(dir_, {7, "first", "a:1"}, &env).ok());
  env.Fail(FaultyEnv::Op::kWrite, FaultyEnv::DiskFull(), 1, "identity");
  const Status failed = SaveIdentity(dir_, {8, "second", "b:2"}, &env);
  EXPECT_EQ(failed.code(), StatusCode::kResourceExhausted) << failed.ToString();
  auto loaded = LoadIdentity(dir_, &env);
  ASSERT_TRUE(loaded.ok() && loaded->has_value());
  EXPECT_EQ((*loaded)->worker_id, 7);
  EXPECT_EQ((*loaded)->token, "first");
}

TEST_F(IdentityTest, AnUnreadableOrBadFileIsAnErrorNotANewWorker) {
  FaultyEnv env;
  ASSERT_TRUE(SaveIdentity(dir_, {7, "first", "a:1"}, &env).ok());
  env.Fail(FaultyEnv::Op::kRead, Status::IoError("injected: EIO"), 1, "identity");
  EXPECT_EQ(LoadIdentity(dir_, &env).status().code(), StatusCode::kIoError);
  std::ofstream(dir_ + "/identity") << "worker_id=7x\ntoken=t\n";
  auto bad = LoadIdentity(dir_, &env);
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);
  EXPECT_NE(bad.status().message().find("worker_id"), std::string::npos) << bad.status().message();
  std::ofstream(dir_ + "/identity") << std::string(kMaxIdentityBytes + 1, 'x');
  EXPECT_EQ(LoadIdentity(dir_, &env).status().code(), StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace flamegrid::worker
