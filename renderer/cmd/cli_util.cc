#include "renderer/cmd/cli_util.h"

#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdio>

namespace flamegrid::cli {

Result<uint64_t> ParseByteSize(const std::string& text) {
  size_t pos = 0;
  double number = 0;
  try {
    number = std::stod(text, &pos);
  } catch (...) {
    return Status::InvalidArgument("'" + text + "' is not a size (try 512M or 2G)");
  }
  std::string suffix;
  for (size_t i = pos; i < text.size(); ++i) suffix += static_cast<char>(std::toupper(text[i]));
  double scale = 1;
  if (suffix.empty() || suffix == "B") {
    scale = 1;
  } else if (suffix == "K" || suffix == "KB" || suffix == "KIB") {
    scale = 1024.0;
  } else if (suffix == "M" || suffix == "MB" || suffix == "MIB") {
    scale = 1024.0 * 1024;
  } else if (suffix == "G" || suffix == "GB" || suffix == "GIB") {
    scale = 1024.0 * 1024 * 1024;
  } else if (suffix == "T" || suffix == "TB" || suffix == "TIB") {
    scale = 1024.0 * 1024 * 1024 * 1024;
  } else {
    return Status::InvalidArgument("unknown size suffix in '" + text + "' (use K, M, G or T)");
  }
  double bytes = number * scale;
  if (!std::isfinite(bytes) || bytes <= 0 || bytes > 1.8e19) {
    return Status::InvalidArgument("size '" + text + "' is out of range");
  }
  return static_cast<uint64_t>(bytes);
}

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

NamedOptions::NamedOptions(CLI::App& app, std::span<const OptionSpec> specs) {
  for (const OptionSpec& spec : specs) {
    CLI::Option* option = spec.takes_value
                              ? app.add_option(spec.name, values_[spec.name])
                                    ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
                              : app.add_flag(spec.name);
    options_.emplace_back(spec.name, option);
  }
}

std::map<std::string, std::string> NamedOptions::Given() const {
  std::map<std::string, std::string> given;
  for (const auto& [name, option] : options_) {
    if (option->count() == 0) continue;
    given[name] = option->get_expected() == 0 ? "1" : values_.at(name);
  }
  return given;
}

}  // namespace flamegrid::cli
