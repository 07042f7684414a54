// Where a participant finds the coordinator's HTTP side (the .torrent files,
// tracker and web seed) and how it fetches from there. The coordinator says
// where it is (ListFlockResponse.public_http, SequenceInfo.torrent_url), so
// a participant needs only --coordinator HOST:PORT; --coordinator-http
// overrides. Nothing here guesses a port.
//
// Stateless functions; safe from any thread (each fetch has its own client).
#pragma once

#include <cstddef>
#include <string>

#include "renderer/base/status.h"
#include "worker/client/in_flight_calls.h"

namespace flamegrid::worker::transfer {

// At most this many bytes of a .torrent are read; a larger one is refused.
inline constexpr size_t kMaxTorrentBytes = 1 << 20;

// A coordinator that listens on every interface (0.0.0.0, ::) cannot name
// the address its clients use; this puts the host of `grpc_address` (the
// address this participant reached the coordinator at) in place of such a
// wildcard host in `url`. Other URLs are returned as they are.
std::string ReplaceWildcardHost(const std::string& url, const std::string& grpc_address);

// The URL of sequence `id`'s torrent: `override_base` + /sequences/ID.torrent
// when an override is given; else `published_url` (SequenceInfo.torrent_url);
// else `public_http` + /sequences/ID.torrent. Wildcard hosts are replaced as
// above. FailedPrecondition when the coordinator said nothing and there is
// no override.
Result<std::string> TorrentUrl(int64_t id, const std::string& override_base,
                               const std::string& published_url, const std::string& public_http,
                               const std::string& grpc_address);

// GETs `url` (http://HOST:PORT/PATH) and returns the body, reading at most
// `max_bytes`: a longer body is refused (ResourceExhausted) without being
// held. NotFound for a 404 (not published yet), Unavailable otherwise. With
// `calls`, the fetch is tracked there: a stop ends it at once.
Result<std::string> FetchBounded(const std::string& url, size_t max_bytes,
                                 InFlightCalls* calls = nullptr);

}  // namespace flamegrid::worker::transfer
