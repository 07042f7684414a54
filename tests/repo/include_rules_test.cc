// The house's one-way flow (ARCHITECTURE.md, "What each room may include"):
// renderer <- proto (the wire and the code both ends share) <- coordinator,
// worker. Every #include "room/..." in the source tree is checked against the
// table, so a shortcut from one room into another fails CI instead of
// quietly bending the house. Inside renderer/, the folders form a one-way
// graph too (RendererFolderGraph below).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
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

// Which renderer folder includes which: "genome" -> {"base", "catalogue"}.
// The folders must form a one-way graph, each going only down this order
// (ARCHITECTURE.md's renderer rooms):
//   base        includes nothing of the renderer
//   catalogue   base (variation ids, names, parameters; no formulas)
//   genome      base, catalogue
//   variations  base, catalogue, genome (formulas, PreparedXform, SIMD)
//   image       base, genome
//   render      base, catalogue, genome, variations, image
//   animate     base, genome, render, image
//   cmd         any of them
// The test below does not pin this order, only that no cycle exists, so a
// new folder needs no edit here.
using FolderGraph = std::map<std::string, std::set<std::string>>;

FolderGraph RendererFolderGraph(const fs::path& root) {
  FolderGraph graph;
  const auto folder_of = [](const std::string& path) {  // "renderer/genome/x.h" -> "genome"
    const size_t start = path.find('/') + 1;
    return path.substr(start, path.find('/', start) - start);
  };
  for (const Include& include : RoomIncludes(root, "renderer")) {
    if (FirstComponent(include.target) != "renderer") continue;
    const std::string from = folder_of(include.file);
    const std::string to = folder_of(include.target);
    graph[from];
    if (from != to) graph[from].insert(to);
  }
  return graph;
}

// One cycle of `graph` as "a -> b -> a", or "" when it has none.
std::string FindCycle(const FolderGraph& graph) {
  enum class Mark { kUnseen, kOnPath, kDone };
  std::map<std::string, Mark> marks;
  std::vector<std::string> path;
  std::string cycle;
  const std::function<bool(const std::string&)> visit = [&](const std::string& node) {
    marks[node] = Mark::kOnPath;
    path.push_back(node);
    const auto edges = graph.find(node);
    if (edges != graph.end()) {
      for (const std::string& next : edges->second) {
        if (marks[next] == Mark::kOnPath) {
          auto it = std::find(path.begin(), path.end(), next);
          for (; it != path.end(); ++it) cycle += *it + " -> ";
          cycle += next;
          return true;
        }
        if (marks[next] == Mark::kUnseen && visit(next)) return true;
      }
    }
    path.pop_back();
    marks[node] = Mark::kDone;
    return false;
  };
  for (const auto& [node, edges] : graph) {
    if (marks[node] == Mark::kUnseen && visit(node)) return cycle;
  }
  return "";
}

TEST(IncludeRules, RendererFoldersIncludeOneWay) {
  const FolderGraph graph = RendererFolderGraph(FLAMEGRID_SOURCE_DIR);
  EXPECT_EQ(FindCycle(graph), "") << "renderer folders include each other in a cycle";
}

TEST(IncludeRules, TheCycleCheckSeesFoldersAndCycles) {
  // Guards the graph and the search: real edges are found, and a cycle is.
  const FolderGraph graph = RendererFolderGraph(FLAMEGRID_SOURCE_DIR);
  ASSERT_TRUE(graph.count("genome"));
  EXPECT_TRUE(graph.at("genome").count("catalogue"));
  ASSERT_TRUE(graph.count("render"));
  EXPECT_TRUE(graph.at("render").count("variations"));
  EXPECT_EQ(FindCycle({{"a", {"b"}}, {"b", {"c"}}, {"c", {}}}), "");
  EXPECT_EQ(FindCycle({{"a", {"b"}}, {"b", {"c"}}, {"c", {"b"}}}), "b -> c -> b");
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
