// Small helpers shared by the command-line tools: byte sizes, terminal
// progress, table-driven options. Not thread-safe unless stated.
#pragma once

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "renderer/base/status.h"

namespace flamegrid::cli {

// "512M", "2G", "1.5GiB", "1000000" → bytes. Suffixes are binary (K = 1024).
Result<uint64_t> ParseByteSize(const std::string& text);

// Draws a progress bar on stderr while a long call runs on another thread.
// Only when stderr is a terminal; otherwise it stays silent.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  // Redraws from the atomics (both written by the renderer).
  void Update(uint64_t done, uint64_t total);
  void Finish();
  bool enabled() const { return enabled_; }

 private:
  std::string label_;
  bool enabled_;
  int last_permille_ = -1;
};

// One option of a command that reads its options by name.
struct OptionSpec {
  const char* name;  // "--data"
  bool takes_value;  // false: a flag
};

// Declares `specs` on a CLI11 app, which then does the parsing (unknown
// options, missing values, --name=value; a repeated option keeps its last
// value). After app.parse(), Given() maps each option that was given to its
// value, "1" for a flag. Must outlive the parse; not copyable (CLI11 keeps
// pointers into it).
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

}  // namespace flamegrid::cli
