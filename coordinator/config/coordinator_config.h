// CoordinatorConfig: `flamegrid-coordinator serve --config FILE`, a TOML file
// (read with toml++) whose top-level keys are the serve flags (ServeOptions:
// `lease_seconds = 60` is --lease-seconds 60) and whose [flock] table is the
// FlockProfile (frames, size, quality, fps, bootstrap_loops). Values may be
// TOML strings, integers, floats or booleans where they make sense. Unknown
// keys and bad values are refused naming the key and FILE:LINE:COLUMN; flags
// given on the command line override the file (MergeServeOptions).
// assets/config/coordinator.toml is the annotated example.
//
// Pure functions over values (LoadCoordinatorConfig reads one file through
// an Env); safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "coordinator/flock/flock_profile.h"
#include "proto/shared/env.h"
#include "renderer/base/status.h"

namespace flamegrid::coordinator {

struct CoordinatorConfig {
  // Flag -> value as the command line would give them ("--lease-seconds" ->
  // "60", "--fake-render" -> "1"), each checked against ServeOptions.
  std::map<std::string, std::string> options;
  FlockProfile profile;  // the built-in profile where [flock] leaves a key out
};

// The [flock] table's keys.
inline constexpr const char* kFlockTable = "flock";
inline constexpr const char* kFlockKeys[] = {"frames", "size", "quality", "fps", "bootstrap_loops"};

// Parses the TOML `text`; `source` (the file's path) names it in errors.
// InvalidArgument for a syntax error, an unknown key or a bad value.
Result<CoordinatorConfig> ParseCoordinatorConfig(std::string_view text, const std::string& source);
// A config file is a page of keys; a bigger one is a mistake, not read.
inline constexpr uint64_t kMaxConfigBytes = 1 << 20;
// Reads (through `env`) and parses `path`; NotFound, IoError or
// ResourceExhausted (larger than kMaxConfigBytes) naming it when it cannot
// be read.
Result<CoordinatorConfig> LoadCoordinatorConfig(const std::string& path, Env* env = Env::Default());

// The file's options with `command_line`'s on top: a flag given on the
// command line wins over the file's key.
std::map<std::string, std::string> MergeServeOptions(
    const std::map<std::string, std::string>& file,
    const std::map<std::string, std::string>& command_line);

}  // namespace flamegrid::coordinator
