// The genome fuzzer's dictionary (tests/fuzz/flam3.dict) keeps step with the
// reader: every flame and xform attribute name and alias of the tables, their
// enumerated values, and every variation and variation parameter name of the
// catalogue. A failure prints the lines to append.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <string_view>

#include "renderer/catalogue/variation.h"
#include "renderer/genome/flam3_attributes.h"

namespace flamegrid {
namespace {

// The tokens of a libFuzzer dictionary: the quoted part of each entry line,
// with \" \\ and \xNN escapes undone.
std::set<std::string> ReadDictionary(const std::string& path) {
  std::set<std::string> tokens;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const size_t open = line.find('"');
    const size_t close = line.rfind('"');
    if (line.empty() || line[0] == '#' || open == std::string::npos || close <= open) continue;
    std::string token;
    for (size_t i = open + 1; i < close; ++i) {
      if (line[i] == '\\' && i + 1 < close) {
        if (line[i + 1] == 'x' && i + 3 < close) {
          auto hex = [](char h) { return h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10; };
          token += static_cast<char>(hex(line[i + 2]) * 16 + hex(line[i + 3]));
          i += 3;
        } else {
          token += line[++i];
        }
      } else {
        token += line[i];
      }
    }
    tokens.insert(token);
  }
  return tokens;
}

// "name=" for each XML name of `spec` (patterns and markers, "*...", are no names).
template <typename Target>
void AddNames(const AttributeSpec<Target>& spec, std::set<std::string>& wanted) {
  if (spec.name.front() != '*') wanted.insert(std::string(spec.name) + "=");
  std::string_view aliases = spec.aliases;
  while (!aliases.empty()) {
    const size_t space = aliases.find(' ');
    const std::string_view alias = aliases.substr(0, space);
    if (!alias.empty()) wanted.insert(std::string(alias) + "=");
    aliases = space == std::string_view::npos ? std::string_view() : aliases.substr(space + 1);
  }
  for (const EnumName& value : spec.enumeration.names) {
    wanted.insert("\"" + std::string(value.name) + "\"");
  }
}

TEST(FuzzDictionary, HasEveryNameTheReaderKnows) {
  const std::string path = std::string(FLAMEGRID_SOURCE_DIR) + "/tests/fuzz/flam3.dict";
  const std::set<std::string> have = ReadDictionary(path);
  ASSERT_GT(have.size(), 100u) << "cannot read " << path;

  std::set<std::string> wanted;
  for (const FlameAttributeSpec& spec : FlameAttributes()) AddNames(spec, wanted);
  for (const XformAttributeSpec& spec : XformAttributes()) AddNames(spec, wanted);
  for (const VariationInfo& info : AllVariations()) wanted.insert(std::string(info.name) + "=");
  for (const VariationParamInfo& param : kVariationParams) {
    wanted.insert(std::string(param.name) + "=");
  }

  std::string missing;
  for (const std::string& token : wanted) {
    if (have.count(token) == 0) {
      std::string escaped;
      for (char c : token) escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
      missing += "\"" + escaped + "\"\n";
    }
  }
  EXPECT_TRUE(missing.empty()) << "append to tests/fuzz/flam3.dict:\n" << missing;
}

}  // namespace
}  // namespace flamegrid
