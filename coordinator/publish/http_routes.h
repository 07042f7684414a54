// The publisher's routes on the coordinator's HTTP port (cpp-httplib):
//   GET /announce                 the BitTorrent tracker (compact peer lists;
//                                 the peer is the request's remote address)
//   GET /sequences/ID.torrent     the sequence's torrent
//   GET/HEAD /sequences/ID.mp4    the BEP 19 web seed (range requests); the
//                                 bytes sent are counted per sequence
// Owned by the serve command; registered once before the server starts.
// Handlers run on cpp-httplib's threads and only use the Publisher's
// thread-safe readers.
#pragma once

#include "coordinator/publish/publisher.h"

namespace httplib {
class Server;
}

namespace flamegrid::coordinator::publish {

void RegisterPublishRoutes(httplib::Server& server, Publisher& publisher);

}  // namespace flamegrid::coordinator::publish
