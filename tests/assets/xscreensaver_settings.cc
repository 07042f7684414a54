#include "tests/assets/xscreensaver_settings.h"

#include <cctype>

namespace flamegrid::testing {
namespace {

std::string Strip(std::string_view text, std::string_view blanks = " \t\r\n") {
  const size_t begin = text.find_first_not_of(blanks);
  if (begin == std::string_view::npos) return "";
  const size_t end = text.find_last_not_of(blanks);
  return std::string(text.substr(begin, end - begin + 1));
}

std::string Unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      if (i + 1 == text.size()) break;
      c = text[++i];
      if (c == 'n') c = '\n';
      if (c == 'r') c = '\r';
      if (c == 't') c = '\t';
    }
    out += c;
  }
  return out;
}

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace

std::string XScreenSaverSettings::Get(const std::string& key) const {
  auto it = values.find(key);
  return it == values.end() ? "" : it->second;
}

int XScreenSaverSettings::Find(std::string_view needle) const {
  for (size_t i = 0; i < programs.size(); ++i) {
    if (programs[i].find(needle) != std::string::npos) return static_cast<int>(i);
  }
  return -1;
}

std::map<std::string, std::string> XScreenSaverSettings::Without(
    const std::vector<std::string>& keys) const {
  std::map<std::string, std::string> rest = values;
  for (const auto& key : keys) rest.erase(key);
  return rest;
}

XScreenSaverSettings ParseXScreenSaverSettings(std::string_view text) {
  XScreenSaverSettings settings;
  const std::vector<std::string> lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string logical;
    while (true) {
      const std::string& line = lines[i];
      if (!line.empty() && line.back() == '\\' && logical.size() + line.size() >= 2) {
        logical += line.substr(0, line.size() - 1);
        if (i + 1 < lines.size()) {
          ++i;
          continue;
        }
        break;
      }
      logical += line;
      break;
    }
    const std::string entry = Strip(Unescape(logical));
    if (entry.empty() || entry[0] == '#' || entry[0] == '!' || entry[0] == ';') continue;
    const size_t colon = entry.find(':');
    if (colon == std::string::npos) continue;
    std::string key = entry.substr(0, colon);
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    settings.values[key] = Strip(std::string_view(entry).substr(colon + 1));
  }
  for (const std::string& hack : Lines(settings.Get("programs"))) {
    const std::string stripped = Strip(hack, " \t");
    if (!stripped.empty()) settings.programs.push_back(stripped);
  }
  return settings;
}

}  // namespace flamegrid::testing
