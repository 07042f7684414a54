// The house's one-way flow (ARCHITECTURE.md, "What each room may include"):
// renderer <- proto (the wire and the code both ends share) <- coordinator,
// worker. Every #include "room/..." in the source tree is checked against the
// table, so a shortcut from one room into another fails CI instead of
// quietly bending the house.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

// The rooms a room's files may include from (itself included).
const std::map<std::string, std::set<std::string>>& AllowedRooms() {
  static const std::map<std::string, std::set<std::string>> kAllowed = {
      {"renderer", {"renderer"}},
      {"proto", {"proto", "renderer"}},
      {"coordinator", {"coordinator", "proto", "renderer"}},
      {"worker", {"worker", "proto", "renderer"}},
  };
  return kAllowed;
}

std::string FirstComponent(const std::string& path) { return path.substr(0, path.find('/')); }

struct Include {
  std::string file;    // relative to the source root
  std::string target;  // what it includes, "room/..."
};

// Every quoted include of a room path in the files under `room`.
std::vector<Include> RoomIncludes(const fs::path& root, const std::string& room) {
  static const std::regex kInclude(R"re(^\s*#\s*include\s*"([^"]+)")re");
  std::vector<Include> found;
  for (const auto& entry : fs::recursive_directory_iterator(root / room)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".h" && ext != ".cc")) continue;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      std::smatch match;
      if (!std::regex_search(line, match, kInclude)) continue;
      const std::string target = match[1];
      if (AllowedRooms().count(FirstComponent(target)) == 0) continue;  // system, generated, local
      found.push_back({fs::relative(entry.path(), root).string(), target});
    }
  }
  return found;
}

std::vector<std::string> Violations(const fs::path& root) {
  std::vector<std::string> violations;
  for (const auto& [room, allowed] : AllowedRooms()) {
    for (const Include& include : RoomIncludes(root, room)) {
      if (allowed.count(FirstComponent(include.target)) == 0) {
        violations.push_back(include.file + " includes " + include.target);
      }
    }
  }
  return violations;
}

TEST(IncludeRules, EveryRoomIncludesOnlyWhatTheTableAllows) {
  const std::vector<std::string> violations = Violations(FLAMEGRID_SOURCE_DIR);
  EXPECT_TRUE(violations.empty()) << "includes against ARCHITECTURE.md's table:\n"
                                  << ::testing::PrintToString(violations);
}

TEST(IncludeRules, TheCheckSeesIncludes) {
  // Guards the scanner itself: if it found nothing it would pass vacuously.
  EXPECT_GT(RoomIncludes(FLAMEGRID_SOURCE_DIR, "coordinator").size(), 50u);
  EXPECT_GT(RoomIncludes(FLAMEGRID_SOURCE_DIR, "worker").size(), 20u);
}

}  // namespace
