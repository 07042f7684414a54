// The community corpus (tests/data/corpus: flames made with JWildfire,
// Apophysis and Fractorium by other people, kept under their own licences, see
// tests/data/corpus/SOURCES.md): every flame reads and renders at a tiny size,
// except those listed in tests/data/corpus/expected_unknown.tsv with the
// unknown variations they name. The list must be exact, both ways: a flame that
// now renders must leave it, so it shrinks as variations land.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "renderer/genome/flam3_xml.h"
#include "renderer/render/renderer.h"

namespace flamegrid {
namespace {

const std::string kCorpusDir = std::string(FLAMEGRID_TEST_DATA) + "/corpus";

// Tiny and quick: about 32 pixels wide, about 4 samples per output pixel.
constexpr double kTargetWidth = 32;
constexpr double kTargetSampleDensity = 4;

// A flame of the corpus: file relative to tests/data/corpus, and its index there.
using FlameKey = std::pair<std::string, int>;
// The unknown variations a flame names, sorted, without repeats.
using UnknownNames = std::set<std::string>;

// The variation names an error message quotes as 'unknown variation "NAME"'.
UnknownNames UnknownVariationsIn(const std::string& message) {
  UnknownNames names;
  const std::string marker = "unknown variation \"";
  for (size_t at = message.find(marker); at != std::string::npos; at = message.find(marker, at)) {
    at += marker.size();
    const size_t end = message.find('"', at);
    if (end == std::string::npos) break;
    names.insert(message.substr(at, end - at));
  }
  return names;
}

std::string Join(const UnknownNames& names) {
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : " ") + name;
  return joined;
}

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kCorpusDir)) {
    const std::string extension = entry.path().extension().string();
    if (!entry.is_regular_file() || (extension != ".flame" && extension != ".flam3")) continue;
    files.push_back(std::filesystem::relative(entry.path(), kCorpusDir).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// expected_unknown.tsv: file <TAB> flame index <TAB> unknown variations,
// separated by spaces; '#' starts a comment line.
std::map<FlameKey, UnknownNames> ExpectedUnknown() {
  std::map<FlameKey, UnknownNames> expected;
  std::ifstream in(kCorpusDir + "/expected_unknown.tsv");
  EXPECT_TRUE(in.good()) << "cannot read " << kCorpusDir << "/expected_unknown.tsv";
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string file, names;
    int index = -1;
    std::getline(fields, file, '\t');
    fields >> index;
    fields.ignore(1, '\t');
    std::getline(fields, names);
    std::istringstream words(names);
    UnknownNames set;
    for (std::string word; words >> word;) set.insert(word);
    EXPECT_FALSE(file.empty() || index < 0 || set.empty()) << "malformed line: " << line;
    EXPECT_TRUE(expected.emplace(FlameKey{file, index}, set).second) << "repeated: " << line;
  }
  return expected;
}

TEST(CommunityCorpus, EveryFlameRendersExceptTheListedUnknownVariations) {
  const std::vector<std::string> files = CorpusFiles();
  ASSERT_FALSE(files.empty()) << "no flames under " << kCorpusDir;
  std::map<FlameKey, UnknownNames> unknown;  // what this build cannot render, and why
  int flames = 0, rendered = 0;
  for (const std::string& file : files) {
    Result<Flam3Document> document = ReadFlam3FileEach(kCorpusDir + "/" + file);
    ASSERT_TRUE(document.ok()) << file << ": " << document.status().ToString();
    for (const FlameReadResult& read : document->flames) {
      ++flames;
      if (!read.flame.ok()) {
        const std::string message = read.flame.status().ToString();
        UnknownNames names = UnknownVariationsIn(message);
        // Only unknown variations may excuse a flame; any other error fails.
        EXPECT_FALSE(names.empty()) << file << " " << read.label << ": " << message;
        if (!names.empty()) unknown[{file, read.index}] = std::move(names);
        continue;
      }
      const Flame& flame = *read.flame;
      RenderOptions options;
      options.size_scale = kTargetWidth / std::max(flame.width, 1);
      options.quality_scale = kTargetSampleDensity / std::max(flame.sample_density, 1e-9);
      options.seed = 1;
      options.threads = 1;
      Result<Image> image = RenderFlame(flame, options);
      EXPECT_TRUE(image.ok()) << file << " " << read.label << ": " << image.status().ToString();
      if (image.ok()) {
        ++rendered;
        EXPECT_GT(image->width, 0) << file << " " << read.label;
      }
    }
  }
  std::printf("COMMUNITY corpus: %zu files, %d flames, %d render, %zu name unknown variations\n",
              files.size(), flames, rendered, unknown.size());

  const std::map<FlameKey, UnknownNames> expected = ExpectedUnknown();
  for (const auto& [key, names] : unknown) {
    auto it = expected.find(key);
    if (it == expected.end()) {
      ADD_FAILURE() << key.first << " flame " << key.second << " names unknown variations ["
                    << Join(names) << "] and is not in expected_unknown.tsv";
    } else {
      EXPECT_EQ(Join(it->second), Join(names))
          << key.first << " flame " << key.second << ": expected_unknown.tsv is out of date";
    }
  }
  for (const auto& [key, names] : expected) {
    EXPECT_TRUE(unknown.count(key))
        << key.first << " flame " << key.second << " is listed in expected_unknown.tsv (["
        << Join(names) << "]) but now renders (or does not exist): remove its line";
  }
}

}  // namespace
}  // namespace flamegrid
