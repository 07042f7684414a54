// Host, port and URL-base text that both ends of the wire read: the
// coordinator when it says where its HTTP side is, a participant when it
// follows what it was told. Stateless functions over strings; safe from any
// thread.
#pragma once

#include <string>
#include <string_view>

#include "renderer/base/status.h"

namespace flamegrid {

// A host that names no one address: empty, 0.0.0.0, ::, [::] or *.
bool IsWildcardHost(std::string_view host);

struct HostPort {
  std::string host;  // as written; a V6 host keeps its brackets ("[::1]")
  int port = 0;      // 0..65535
};

// The one reader of "HOST:PORT" and "[V6]:PORT" for every flag, config key
// and URL: InvalidArgument (quoting the text, cut short) when the port is
// missing, not a number or out of range, or a V6 host lacks its brackets.
// An empty host is allowed (":7750" listens on every address).
Result<HostPort> ParseHostPort(std::string_view text);

// The host of "HOST:PORT" or "[V6]:PORT" (brackets kept), as ParseHostPort
// reads it; `address` itself when it is not HOST:PORT (a bare host).
std::string_view HostOf(std::string_view address);

// The authority ("HOST:PORT") of "scheme://HOST:PORT/path", or of
// "HOST:PORT/path" without a scheme.
std::string_view AuthorityOf(std::string_view url);

// "http://HOST:PORT" from "HOST:PORT" or a URL base (trailing '/' dropped).
std::string HttpBase(std::string_view base_or_host_port);

// The network an IP address belongs to, as the grid's rules group
// addresses: an IPv4 address's /24 ("203.0.113.0/24"), an IPv6 address's /64
// ("2001:db8:1:2::/64"; IPv4-mapped IPv6 counts as IPv4); anything else is
// its own group (the text itself).
std::string NetworkOf(std::string_view address);

}  // namespace flamegrid
