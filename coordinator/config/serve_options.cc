#include "coordinator/config/serve_options.h"

#include <cstdio>

#include "proto/shared/address.h"
#include "renderer/base/parse_number.h"

namespace flamegrid::coordinator {
namespace {

using K = OptionKind;

// libx264's presets, fastest first (coordinator/assemble encodes with libx264).
constexpr const char* kVideoPresets =
    "ultrafast|superfast|veryfast|faster|fast|medium|slow|slower|veryslow|placebo";

// One row per serve flag. A new flag needs only its row: its config key, its
// command-line parsing and its check follow from it.
constexpr ServeOption kServeOptions[] = {
    {"--listen", K::kAddress},
    {"--http", K::kAddress},
    {"--data", K::kText},
    {"--lease-seconds", K::kNumber, 0, 7 * 86400, /*min_exclusive=*/true},
    {"--max-failures", K::kCount, 1, 1000000},
    {"--max-upload-mb", K::kNumber, 0, 1 << 20, /*min_exclusive=*/true},
    {"--upload-idle-seconds", K::kNumber, 0, 3600, /*min_exclusive=*/true},
    {"--max-upload-streams", K::kCount, 1, 100000},
    {"--max-upload-streams-per-address", K::kCount, 1, 100000},
    {"--rpc-threads", K::kCount, 8, 100000},
    {"--sync", K::kText, 0, 0, false, "full|normal"},
    {"--video-preset", K::kText, 0, 0, false, kVideoPresets},
    {"--trusted-after", K::kCount, 0, 1000000000},
    {"--new-worker-replicas", K::kCount, 0, 100},
    {"--replica-wait-seconds", K::kNumber, 0, 365 * 86400},
    {"--lease-max-seconds", K::kNumber, 0, 30 * 86400, /*min_exclusive=*/true},
    {"--max-leases-per-worker", K::kCount, 1, 10000},
    {"--lease-calls-per-second", K::kNumber, 0, 1e6},  // per worker; 0: no limit
    {"--lease-call-burst", K::kCount, 1, 1000000},
    {"--job-failure-workers", K::kCount, 1, 1000},
    {"--throttle-after-failures", K::kCount, 0, 1000000},  // 0: never throttled
    {"--quarantine-after-failures", K::kCount, 1, 1000000},
    {"--tls-cert", K::kText},
    {"--tls-key", K::kText},
    {"--breed-interval-seconds", K::kNumber, 0, 365 * 86400},
    {"--breed-count", K::kCount, 1, 1000},
    {"--flock-quota", K::kCount, 0, 1000000},
    {"--preview-check", K::kSwitch},
    {"--flock-upkeep", K::kSwitch},
    {"--fake-render", K::kFlag},
    {"--seed-rate-kbps", K::kCount, 0, 1 << 21},  // kB/s; x1024 must fit an int
    {"--bt-listen", K::kText},  // libtorrent's listen_interfaces: HOST:PORT[,HOST:PORT]
    {"--public-http", K::kAddress},
    {"--tracker-interval", K::kCount, 1, 86400},
    // What a submitted sequence may ask for (coordinator/schedule/submit_limits.h).
    {"--max-frames", K::kCount, 2, 1000000},
    {"--max-frame-side", K::kCount, 16, 32768},
    {"--max-pixels", K::kCount, 256, int64_t{1} << 27},
    {"--max-quality", K::kNumber, 0, 1e7, /*min_exclusive=*/true},
    {"--max-supersample", K::kCount, 1, 16},
    {"--max-temporal-samples", K::kCount, 1, 1000000},
    {"--max-temporal-filter-width", K::kNumber, 0, 1000},
    // Registration (coordinator/rpc/admission.h) and votes (coordinator/flock).
    {"--register-burst", K::kCount, 1, 1e9},
    {"--register-per-minute", K::kNumber, 0, 1e9, /*min_exclusive=*/true},
    {"--register-pow-bits", K::kCount, 0, 30},
    {"--register-pow-bits-loopback", K::kCount, 0, 30},
    {"--votes-per-address", K::kCount, 1, 1000000},
    {"--vote-full-weight-results", K::kCount, 1, 1000000000},
    {"--tracker-peers-per-address", K::kCount, 1, 100000},
    {"--http-connections", K::kCount, 4, 1000000},
    {"--http-connections-per-address", K::kCount, 1, 1000000},
    {"--http-timeout-seconds", K::kCount, 1, 86400},
};

std::string FormatLimit(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

Status CheckRange(const ServeOption& option, double v, const std::string& value) {
  const bool too_small = option.min_exclusive ? v <= option.min : v < option.min;
  if (too_small || v > option.max) {
    return Status::InvalidArgument("must be " +
                                   (option.min_exclusive ? "greater than " + FormatLimit(option.min)
                                                         : "at least " + FormatLimit(option.min)) +
                                   " and at most " + FormatLimit(option.max) + " (got " + value +
                                   ")");
  }
  return Status::Ok();
}

bool InChoices(const char* choices, const std::string& value) {
  std::string_view rest(choices);
  while (!rest.empty()) {
    const size_t bar = rest.find('|');
    if (rest.substr(0, bar) == value) return true;
    if (bar == std::string_view::npos) break;
    rest.remove_prefix(bar + 1);
  }
  return false;
}

}  // namespace

std::span<const ServeOption> ServeOptions() { return kServeOptions; }

const ServeOption* FindServeOption(std::string_view flag) {
  for (const ServeOption& option : kServeOptions) {
    if (flag == option.flag) return &option;
  }
  return nullptr;
}

std::string ConfigKey(std::string_view flag) {
  while (!flag.empty() && flag.front() == '-') flag.remove_prefix(1);
  std::string key(flag);
  for (char& c : key) {
    if (c == '-') c = '_';
  }
  return key;
}

std::vector<OptionSpec> ServeCommandOptions() {
  std::vector<OptionSpec> specs;
  for (const ServeOption& option : kServeOptions) {
    specs.push_back({option.flag, option.kind != OptionKind::kFlag});
  }
  specs.push_back({kConfigFlag, true});
  return specs;
}

bool ParseSize(std::string_view text, int* width, int* height) {
  const size_t x = text.find_first_of("xX");
  if (x == std::string_view::npos) return false;
  Result<int> w = ParseInt(text.substr(0, x)), h = ParseInt(text.substr(x + 1));
  if (!w.ok() || !h.ok()) return false;
  if (*w <= 0 || *h <= 0 || *w > 1'000'000 || *h > 1'000'000) return false;
  *width = *w;
  *height = *h;
  return true;
}

Status CheckOptionValue(const ServeOption& option, const std::string& value) {
  switch (option.kind) {
    case OptionKind::kText:
      if (value.empty()) return Status::InvalidArgument("must not be empty");
      if (option.choices != nullptr && !InChoices(option.choices, value)) {
        return Status::InvalidArgument("must be one of " + std::string(option.choices) +
                                       " (got \"" + value + "\")");
      }
      return Status::Ok();
    case OptionKind::kAddress: {
      Result<HostPort> address = ParseHostPort(value);
      if (!address.ok() || address->host.empty()) {
        return Status::InvalidArgument("must be HOST:PORT, e.g. 0.0.0.0:7750 (got \"" + value +
                                       "\")");
      }
      return Status::Ok();
    }
    case OptionKind::kCount: {
      Result<int64_t> v = ParseInt64(value);
      if (!v.ok()) {
        return Status::InvalidArgument("must be a whole number (got \"" + value + "\")");
      }
      return CheckRange(option, static_cast<double>(*v), value);
    }
    case OptionKind::kNumber: {
      Result<double> v = ParseDouble(value);
      if (!v.ok()) return Status::InvalidArgument("must be a number (got \"" + value + "\")");
      return CheckRange(option, *v, value);
    }
    case OptionKind::kSwitch:
      if (value != "on" && value != "off") {
        return Status::InvalidArgument("must be on or off (got \"" + value + "\")");
      }
      return Status::Ok();
    case OptionKind::kFlag:
      return Status::Ok();
  }
  return Status::Internal("unknown option kind");
}

Status CheckServeOptions(const std::map<std::string, std::string>& options) {
  for (const auto& [flag, value] : options) {
    const ServeOption* option = FindServeOption(flag);
    if (option == nullptr) continue;
    if (Status s = CheckOptionValue(*option, value); !s.ok()) {
      return Status::InvalidArgument(flag + ": " + s.message());
    }
  }
  return Status::Ok();
}

}  // namespace flamegrid::coordinator
