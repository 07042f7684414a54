// Small helpers shared by the command-line tools: byte sizes, terminal
// progress. Not thread-safe unless stated.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

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

}  // namespace flamegrid::cli
