// The repository stands alone: a user's clone has nothing beside it, so no
// build file, script, test or data file may reach outside the source tree.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

bool IsCheckedFile(const fs::path& path) {
  static const std::set<std::string> kExtensions = {".cc",   ".h",    ".sh",  ".txt", ".cmake", ".py",
                                                    ".json", ".toml", ".tsv", ".in",  ".service"};
  const std::string name = path.filename().string();
  return kExtensions.count(path.extension().string()) > 0 || name == "run" || name == "install-deps";
}

// Files under the source tree that mention the folder beside the clone.
std::vector<std::string> FilesReachingOutside(const fs::path& root) {
  // Spelt in two pieces so this file does not find itself.
  const std::string needle = std::string("../") + "shared";
  std::vector<std::string> found;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    const std::string name = it->path().filename().string();
    if (it->is_directory() && (name == ".git" || name == "build" || name == "out" || name == ".cache")) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || !IsCheckedFile(it->path())) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find(needle) != std::string::npos) {
      found.push_back(fs::relative(it->path(), root).string());
    }
  }
  return found;
}

TEST(SelfContained, NoFileReadsOutsideTheRepository) {
  const auto found = FilesReachingOutside(FLAMEGRID_SOURCE_DIR);
  EXPECT_TRUE(found.empty()) << "these files reach outside the repository: " << ::testing::PrintToString(found);
}

TEST(SelfContained, SheepGenomesAreInTheRepository) {
  const fs::path sheep = FLAMEGRID_SHEEP_GENOMES;
  ASSERT_EQ(fs::relative(sheep, FLAMEGRID_SOURCE_DIR).string().rfind("..", 0), std::string::npos)
      << sheep << " is outside the source tree";
  int count = 0;
  for (const auto& entry : fs::directory_iterator(sheep)) count += entry.path().extension() == ".flam3";
  EXPECT_EQ(count, 8);
}

}  // namespace
