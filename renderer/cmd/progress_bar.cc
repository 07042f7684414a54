#include "renderer/cmd/progress_bar.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace flamegrid {

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)), enabled_(isatty(STDERR_FILENO) == 1) {}

void ProgressBar::Update(uint64_t done, uint64_t total) {
  if (!enabled_ || total == 0) return;
  int permille = static_cast<int>(std::min<uint64_t>(1000, done * 1000 / total));
  if (permille == last_permille_) return;
  last_permille_ = permille;
  constexpr int kWidth = 40;
  int filled = permille * kWidth / 1000;
  std::fprintf(stderr, "\r%s [%.*s%*s] %5.1f%%", label_.c_str(), filled,
               "========================================", kWidth - filled, "", permille / 10.0);
  std::fflush(stderr);
}

void ProgressBar::Finish() {
  if (!enabled_ || last_permille_ < 0) return;
  Update(1, 1);
  std::fputc('\n', stderr);
}

}  // namespace flamegrid
