// Test helper: reads a ~/.xscreensaver file the way XScreenSaver 6 does
// (driver/prefs.c and driver/prefs.c's parse_init_file): a line ending in a
// backslash continues on the next, \n \r \t and \X are unescaped, lines
// starting with # ! or ; are comments, "key: value" with the last of a key
// winning, and the programs value holds one hack a line ("selected: N" counts
// them from 0, disabled "-" hacks included). Kept apart from the script it
// checks, so the two readings of the format are written independently.
// Stateless; safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace flamegrid::testing {

struct XScreenSaverSettings {
  std::map<std::string, std::string> values;  // lower-case key -> value; programs too
  std::vector<std::string> programs;          // the hacks in order, each as written

  // The value of `key`, or "" when absent.
  std::string Get(const std::string& key) const;
  // The index of the first hack whose line contains `needle`, or -1.
  int Find(std::string_view needle) const;
  // Every setting but the ones named, for "nothing else changed" checks.
  std::map<std::string, std::string> Without(const std::vector<std::string>& keys) const;
};

XScreenSaverSettings ParseXScreenSaverSettings(std::string_view text);

}  // namespace flamegrid::testing
