#include "renderer/base/parse_number.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <system_error>

namespace flamegrid {
namespace {

Status NotA(std::string_view kind, std::string_view text, std::string_view what) {
  constexpr size_t kShown = 40;  // a hostile value is not echoed whole
  std::string shown(text.substr(0, kShown));
  if (text.size() > kShown) shown += "...";
  return Status::InvalidArgument(std::string(what) + ": '" + shown + "' is not " +
                                 std::string(kind));
}

template <typename T>
Result<T> ParseIntegral(std::string_view text, std::string_view what, int base,
                        std::string_view kind) {
  T value{};
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
  if (text.empty() || ec == std::errc::invalid_argument || ptr != end) {
    return NotA(kind, text, what);
  }
  if (ec == std::errc::result_out_of_range)
    return NotA(std::string(kind) + " in range", text, what);
  return value;
}

}  // namespace

Result<int64_t> ParseInt64(std::string_view text, std::string_view what) {
  return ParseIntegral<int64_t>(text, what, 10, "an integer");
}

Result<uint64_t> ParseUint64(std::string_view text, std::string_view what) {
  return ParseIntegral<uint64_t>(text, what, 10, "a non-negative integer");
}

Result<uint64_t> ParseHexUint64(std::string_view text, std::string_view what) {
  return ParseIntegral<uint64_t>(text, what, 16, "a hexadecimal number");
}

Result<int> ParseInt(std::string_view text, std::string_view what) {
  return ParseIntegral<int>(text, what, 10, "an integer");
}

Result<double> ParseDouble(std::string_view text, std::string_view what) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value)) {
    return NotA("a finite number", text, what);
  }
  return value;
}

Result<uint64_t> ParseByteSize(std::string_view text) {
  size_t digits = 0;
  while (digits < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) {
    ++digits;
  }
  Result<double> number = ParseDouble(text.substr(0, digits), "size");
  if (!number.ok()) {
    return Status::InvalidArgument("'" + std::string(text.substr(0, 40)) +
                                   "' is not a size (try 512M or 2G)");
  }
  std::string suffix;
  for (char c : text.substr(digits))
    suffix += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
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
    return Status::InvalidArgument("unknown size suffix in '" + std::string(text.substr(0, 40)) +
                                   "' (use K, M, G or T)");
  }
  const double bytes = *number * scale;
  if (!std::isfinite(bytes) || bytes <= 0 || bytes > 1.8e19) {
    return Status::InvalidArgument("size '" + std::string(text.substr(0, 40)) +
                                   "' is out of range");
  }
  return static_cast<uint64_t>(bytes);
}

}  // namespace flamegrid
