// The publisher's routes on the coordinator's HTTP port (an HttpRouter,
// coordinator/web/http_router.h):
//   GET /announce                 the BitTorrent tracker (compact peer lists;
//                                 the peer is the request's remote address)
//   GET /sequences/ID.torrent     the sequence's torrent
//   GET/HEAD /sequences/ID.mp4    the BEP 19 web seed (one byte range per
//                                 request); the bytes actually sent are
//                                 counted per sequence
// Owned by the serve command; registered once before the server starts.
// Handlers run on the HTTP server's threads and only use the Publisher's
// thread-safe readers; the server must stop before the Publisher goes.
#pragma once

#include "coordinator/publish/publisher.h"
#include "coordinator/web/http_router.h"

namespace flamegrid::coordinator::publish {

void RegisterPublishRoutes(HttpRouter& router, Publisher& publisher);

}  // namespace flamegrid::coordinator::publish
