// The libtorrent session setup that both ends of peer transfer share: the
// coordinator's seed (coordinator/publish) and each participant's
// PeerSession (worker/transfer). A flamegrid swarm is closed: peers find each
// other through the coordinator's tracker, so DHT, local discovery and port
// mapping stay off. Stateless functions; the session they return is the
// caller's.
#pragma once

#include <libtorrent/session.hpp>
#include <libtorrent/settings_pack.hpp>

#include <memory>
#include <string>

#include "renderer/base/status.h"

namespace flamegrid::swarm {

// Settings for a closed swarm on `listen_interfaces` ("127.0.0.1:0", ...).
// Callers add their own role's settings before starting the session.
libtorrent::settings_pack ClosedSwarmSettings(const std::string& listen_interfaces,
                                              const std::string& user_agent,
                                              libtorrent::alert_category_t alerts);

struct StartedSession {
  std::unique_ptr<libtorrent::session> session;
  int tcp_port = 0;
};

// Starts a session with `pack`. A positive `upload_rate_limit` (bytes/s)
// holds for every peer, local ones included (libtorrent exempts them by
// default). Waits, bounded, for the TCP listen port; a port that does not
// open is Unavailable.
Result<StartedSession> StartSwarmSession(libtorrent::settings_pack pack, int upload_rate_limit);

}  // namespace flamegrid::swarm
