// A progress bar on stderr while a long render runs on another thread; silent
// when stderr is not a terminal. Not thread-safe: one thread updates it.
#pragma once

#include <cstdint>
#include <string>

namespace flamegrid {

class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  // Redraws when the shown permille changes.
  void Update(uint64_t done, uint64_t total);
  void Finish();
  bool enabled() const { return enabled_; }

 private:
  std::string label_;
  bool enabled_;
  int last_permille_ = -1;
};

}  // namespace flamegrid
