#include "proto/support/address.h"

namespace flamegrid {

bool IsWildcardHost(std::string_view host) {
  return host.empty() || host == "0.0.0.0" || host == "::" || host == "[::]" || host == "*";
}

std::string_view HostOf(std::string_view address) {
  const size_t colon = address.rfind(':');
  const size_t bracket = address.find(']');
  if (colon == std::string_view::npos || (bracket != std::string_view::npos && colon < bracket)) {
    return address;
  }
  return address.substr(0, colon);
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

}  // namespace flamegrid
