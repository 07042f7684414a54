#include "worker/transfer/coordinator_http.h"

#include <httplib.h>

namespace flamegrid::transfer {

namespace {

// The host of "HOST:PORT" or "[V6]:PORT" (brackets kept).
std::string HostOf(const std::string& address) {
  const size_t colon = address.rfind(':');
  const size_t bracket = address.find(']');
  if (colon == std::string::npos || (bracket != std::string::npos && colon < bracket)) {
    return address;
  }
  return address.substr(0, colon);
}

bool IsWildcardHost(const std::string& host) {
  return host.empty() || host == "0.0.0.0" || host == "[::]" || host == "::" || host == "*";
}

}  // namespace

std::string HttpBase(const std::string& base_or_host_port) {
  std::string base = base_or_host_port;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.find("://") == std::string::npos) base = "http://" + base;
  return base;
}

std::string ReplaceWildcardHost(const std::string& url, const std::string& grpc_address) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t start = scheme + 3;
  size_t end = url.find('/', start);
  if (end == std::string::npos) end = url.size();
  const std::string authority = url.substr(start, end - start);
  // The host part of the authority: "[::]:80", "0.0.0.0:80", ":80".
  size_t port_colon = authority.rfind(':');
  if (port_colon != std::string::npos && authority.find(']') != std::string::npos &&
      port_colon < authority.find(']')) {
    port_colon = std::string::npos;
  }
  const std::string host =
      port_colon == std::string::npos ? authority : authority.substr(0, port_colon);
  if (!IsWildcardHost(host)) return url;
  std::string client_host = HostOf(grpc_address);
  // gRPC targets may carry a scheme ("dns:///host:port", "ipv4:host:port").
  if (const size_t slash = client_host.rfind('/'); slash != std::string::npos) {
    client_host = client_host.substr(slash + 1);
  }
  if (client_host.rfind("ipv4:", 0) == 0) client_host = client_host.substr(5);
  if (client_host.rfind("ipv6:", 0) == 0) client_host = client_host.substr(5);
  const std::string port = port_colon == std::string::npos ? "" : authority.substr(port_colon);
  return url.substr(0, start) + client_host + port + url.substr(end);
}

Result<std::string> TorrentUrl(int64_t id, const std::string& override_base,
                               const std::string& published_url, const std::string& public_http,
                               const std::string& grpc_address) {
  const std::string path = "/sequences/" + std::to_string(id) + ".torrent";
  if (!override_base.empty()) return HttpBase(override_base) + path;
  if (!published_url.empty()) return ReplaceWildcardHost(published_url, grpc_address);
  if (!public_http.empty()) return ReplaceWildcardHost(HttpBase(public_http) + path, grpc_address);
  return Status::FailedPrecondition(
      "the coordinator does not say where its HTTP side is (an older coordinator?); "
      "give --coordinator-http HOST:PORT");
}

Result<std::string> FetchBounded(const std::string& url, size_t max_bytes) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return Status::InvalidArgument("not a URL: " + url);
  const size_t path_start = url.find('/', scheme + 3);
  const std::string origin = path_start == std::string::npos ? url : url.substr(0, path_start);
  const std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  httplib::Client http(origin);
  if (!http.is_valid()) return Status::InvalidArgument("cannot fetch " + url);
  http.set_connection_timeout(5);
  http.set_read_timeout(10);
  std::string body;
  bool too_big = false;
  auto res = http.Get(path, [&](const char* data, size_t length) {
    if (body.size() + length > max_bytes) {
      too_big = true;
      return false;
    }
    body.append(data, length);
    return true;
  });
  if (too_big) {
    return Status::ResourceExhausted(url + " is larger than " + std::to_string(max_bytes) +
                                     " bytes; refused");
  }
  if (!res) return Status::Unavailable("fetching " + url + ": " + httplib::to_string(res.error()));
  if (res->status == 404) return Status::NotFound(url + ": not published yet");
  if (res->status != 200) {
    return Status::Unavailable("fetching " + url + ": HTTP " + std::to_string(res->status));
  }
  return body;
}

}  // namespace flamegrid::transfer
