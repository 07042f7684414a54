// Table-driven command-line options for the grid's daemons: a command
// declares its options as a table of OptionSpec, CLI11 parses them (unknown
// options, missing values, --name=value; a repeated option keeps its last
// value), and the command reads what was given by name. Not thread-safe.
#pragma once

#include <CLI/CLI.hpp>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace flamegrid {

// One option of a command that reads its options by name.
struct OptionSpec {
  const char* name;  // "--data"
  bool takes_value;  // false: a flag
};

// Declares `specs` on a CLI11 app. After app.parse(), Given() maps each option
// that was given to its value, "1" for a flag. Must outlive the parse; not
// copyable (CLI11 keeps pointers into it).
class NamedOptions {
 public:
  NamedOptions(CLI::App& app, std::span<const OptionSpec> specs);
  NamedOptions(const NamedOptions&) = delete;
  NamedOptions& operator=(const NamedOptions&) = delete;

  std::map<std::string, std::string> Given() const;

 private:
  std::map<std::string, std::string> values_;
  std::vector<std::pair<std::string, CLI::Option*>> options_;
};

}  // namespace flamegrid
