#include "proto/shared/address.h"

#include <arpa/inet.h>

#include <cstring>
#include <optional>

#include "renderer/base/parse_number.h"

namespace flamegrid {

bool IsWildcardHost(std::string_view host) {
  return host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]" || host == "*";
}

Result<HostPort> ParseHostPort(std::string_view text) {
  auto refuse = [&](const std::string& why) {
    return Status::InvalidArgument("'" + std::string(text.substr(0, 80)) +
                                   "' is not HOST:PORT (e.g. 0.0.0.0:7750): " + why);
  };
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return refuse("no port");
  HostPort parsed;
  parsed.host = std::string(text.substr(0, colon));
  if (parsed.host.find(':') != std::string::npos &&
      (parsed.host.front() != '[' || parsed.host.back() != ']')) {
    return refuse("an IPv6 host goes in brackets, [::1]:7750");
  }
  Result<int> port = ParseInt(text.substr(colon + 1), "port");
  if (!port.ok() || *port < 0 || *port > 65535) return refuse("the port is not 0..65535");
  parsed.port = *port;
  return parsed;
}

std::string_view HostOf(std::string_view address) {
  Result<HostPort> parsed = ParseHostPort(address);
  return parsed.ok() ? address.substr(0, parsed->host.size()) : address;
}

std::string_view AuthorityOf(std::string_view url) {
  if (const size_t scheme = url.find("://"); scheme != std::string_view::npos) {
    url = url.substr(scheme + 3);
  }
  return url.substr(0, url.find('/'));
}

std::string HttpBase(std::string_view base_or_host_port) {
  std::string base(base_or_host_port);
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.find("://") == std::string::npos) base = "http://" + base;
  return base;
}

namespace {

// The first 8 bytes (/64) of an IPv6 address, or the first 3 (/24) of an
// IPv4 one, as text; nullopt when `address` is neither.
std::optional<std::string> Prefix(const std::string& address) {
  unsigned char bytes[16];
  char text[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, address.c_str(), bytes) == 1) {
    bytes[3] = 0;
    if (inet_ntop(AF_INET, bytes, text, sizeof text) == nullptr) return std::nullopt;
    return std::string(text) + "/24";
  }
  if (inet_pton(AF_INET6, address.c_str(), bytes) != 1) return std::nullopt;
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(bytes, kMapped, sizeof kMapped) == 0) {
    bytes[15] = 0;
    if (inet_ntop(AF_INET, bytes + 12, text, sizeof text) == nullptr) return std::nullopt;
    return std::string(text) + "/24";
  }
  std::memset(bytes + 8, 0, 8);
  if (inet_ntop(AF_INET6, bytes, text, sizeof text) == nullptr) return std::nullopt;
  return std::string(text) + "/64";
}

}  // namespace

std::string NetworkOf(std::string_view address) {
  const std::string text(address);
  return Prefix(text).value_or(text);
}

}  // namespace flamegrid
