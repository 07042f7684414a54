// ServeOptions: the table of `flamegrid-coordinator serve` flags and the kind
// of value each takes. The command line is parsed from it (NamedOptions)
// and the config file's keys come from it: every flag's key is its name
// without the dashes and with underscores ("--lease-seconds" is
// `lease_seconds`), so a flag added to the table gets its key for free. Values
// from either source are checked against the same kinds and ranges.
//
// Immutable tables and pure functions; safe from any thread.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "proto/shared/named_options.h"
#include "renderer/base/status.h"

namespace flamegrid::coordinator {

enum class OptionKind {
  kText,     // any non-empty string (a path, a name); `choices` may restrict it
  kAddress,  // HOST:PORT
  kCount,    // a whole number within [min, max]
  kNumber,   // a number within [min, max] (above min when min_exclusive)
  kSwitch,   // on|off (true|false in the config file)
  kFlag,     // takes no value on the command line; true|false in the config file
};

struct ServeOption {
  const char* flag;  // "--lease-seconds"
  OptionKind kind = OptionKind::kText;
  double min = 0;
  double max = 1e12;
  bool min_exclusive = false;     // kNumber: must be greater than min
  const char* choices = nullptr;  // kText: "full|normal"
};

// Every serve flag except --config (the file cannot name another file).
std::span<const ServeOption> ServeOptions();
// Null when `flag` is not a serve flag.
const ServeOption* FindServeOption(std::string_view flag);

// "--lease-seconds" -> "lease_seconds".
std::string ConfigKey(std::string_view flag);
// The serve command's options for NamedOptions: the table and --config.
std::vector<OptionSpec> ServeCommandOptions();
inline constexpr const char* kConfigFlag = "--config";

// Checks `value` (as the command line gives it; "1" for a flag) against
// `option`'s kind and range. InvalidArgument saying what is wanted, without
// naming the option (the caller names the flag or the key).
Status CheckOptionValue(const ServeOption& option, const std::string& value);
// Checks every option of `options` (flag -> value, as NamedOptions gives
// them) that the table knows; the error names the flag.
Status CheckServeOptions(const std::map<std::string, std::string>& options);

// "640x480" -> 640, 480 (positive sides; the caller checks their range).
bool ParseSize(std::string_view text, int* width, int* height);

}  // namespace flamegrid::coordinator
