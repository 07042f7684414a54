// ScratchDir: a new, empty folder of one test's own under GoogleTest's
// TempDir(), named PREFIX.XXXXXX by mkdtemp(3), so that neither a test
// running at the same time nor an earlier run's leftovers (a coordinator's
// database, an appended log) can be found in it. The destructor removes it
// with everything inside, unless the test has failed: then it stays, for
// whoever looks into the failure. Declare it before whatever writes into it
// (processes, swarms), so that it goes last.
//
// One test owns one ScratchDir; not thread-safe.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <system_error>

namespace flamegrid::testing {

class ScratchDir {
 public:
  explicit ScratchDir(const std::string& prefix) {
    std::string pattern = ::testing::TempDir();
    if (!pattern.empty() && pattern.back() != '/') pattern += '/';
    pattern += "flamegrid-" + prefix + ".XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "cannot make a scratch folder " << pattern;
      return;
    }
    path_ = pattern;
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    if (path_.empty()) return;
    if (::testing::Test::HasFailure()) {
      std::fprintf(stderr, "scratch folder kept for the failed test: %s\n", path_.c_str());
      return;
    }
    std::error_code error;
    std::filesystem::remove_all(path_, error);
  }

  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace flamegrid::testing
