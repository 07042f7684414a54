// Numbers from text, for every layer: command-line values, config values,
// file names, HTTP parameters. Each parser takes the whole text (no leading
// or trailing characters, no whitespace), checks the range of its type and
// returns InvalidArgument naming `what` and the text otherwise; nothing
// throws, so a bad value on a daemon thread is an error, not a dead thread.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "renderer/base/status.h"

namespace flamegrid {

Result<int64_t> ParseInt64(std::string_view text, std::string_view what = "value");
Result<uint64_t> ParseUint64(std::string_view text, std::string_view what = "value");
// Base 16, without a 0x prefix.
Result<uint64_t> ParseHexUint64(std::string_view text, std::string_view what = "value");
Result<int> ParseInt(std::string_view text, std::string_view what = "value");
// Finite numbers only ("1.5", "-2e3"); "inf" and "nan" are refused.
Result<double> ParseDouble(std::string_view text, std::string_view what = "value");
// "512M", "2G", "1.5GiB", "1000000" -> bytes. Suffixes are binary (K = 1024);
// the size must be positive.
Result<uint64_t> ParseByteSize(std::string_view text);

}  // namespace flamegrid
