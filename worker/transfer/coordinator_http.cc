#include "worker/transfer/coordinator_http.h"

#include <httplib.h>

#include "proto/shared/address.h"

namespace flamegrid::worker::transfer {

std::string ReplaceWildcardHost(const std::string& url, const std::string& grpc_address) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  // "[::]:80", "0.0.0.0:80" or ":80": the host, and the ":PORT" kept as it is.
  const std::string_view authority = AuthorityOf(url);
  const std::string_view host = HostOf(authority);
  if (!IsWildcardHost(host)) return url;
  std::string client_host(HostOf(grpc_address));
  // gRPC targets may carry a scheme ("dns:///host:port", "ipv4:host:port").
  if (const size_t slash = client_host.rfind('/'); slash != std::string::npos) {
    client_host = client_host.substr(slash + 1);
  }
  if (client_host.rfind("ipv4:", 0) == 0) client_host = client_host.substr(5);
  if (client_host.rfind("ipv6:", 0) == 0) client_host = client_host.substr(5);
  const size_t start = scheme + 3;
  return url.substr(0, start) + client_host + std::string(authority.substr(host.size())) +
         url.substr(start + authority.size());
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

Result<std::string> FetchBounded(const std::string& url, size_t max_bytes, InFlightCalls* calls) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return Status::InvalidArgument("not a URL: " + url);
  const size_t path_start = url.find('/', scheme + 3);
  const std::string origin = path_start == std::string::npos ? url : url.substr(0, path_start);
  const std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  httplib::Client http(origin);
  if (!http.is_valid()) return Status::InvalidArgument("cannot fetch " + url);
  http.set_connection_timeout(3);
  http.set_read_timeout(10);
  // httplib's stop() shuts the socket down under a read that waits.
  const InFlightCalls::Scope tracked(calls, &http, [&http] { http.stop(); });
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

}  // namespace flamegrid::worker::transfer
