// The libtorrent session setup that both ends of peer transfer share: the
// coordinator's seed (coordinator/publish) and each participant's
// PeerSession (worker/transfer). A flamegrid swarm is closed: peers find each
// other through the coordinator's tracker, so DHT and local discovery stay
// off, and so is peer exchange (libtorrent's ut_pex plugin) unless asked for:
// through it any peer can name any address as a peer, and the session would
// dial them. uTP is on both ways (home routers pass it where TCP may struggle), and
// a participant behind a home router asks it to forward its port (UPnP and
// NAT-PMP) unless told not to: tests turn port mapping off, since it sends
// SSDP multicast and talks to the gateway. Stateless functions; the session
// they return is the caller's.
#pragma once

#include <libtorrent/session.hpp>
#include <libtorrent/settings_pack.hpp>

#include <memory>
#include <string>

#include "renderer/base/status.h"

namespace flamegrid {

// Settings for a closed swarm on `listen_interfaces` ("127.0.0.1:0",
// "0.0.0.0:0,[::]:0", ...). `port_mapping` turns UPnP and NAT-PMP on.
// The peer id starts with kCoordinatorPeerIdPrefix when `user_agent` names
// the coordinator, so its tracker can tell the coordinator's own seed from
// participants. Callers add their own role's settings before starting.
libtorrent::settings_pack ClosedSwarmSettings(const std::string& listen_interfaces,
                                              const std::string& user_agent,
                                              libtorrent::alert_category_t alerts,
                                              bool port_mapping = false);

// The peer id prefix of the coordinator's seed ("-FC" + version + "-").
inline constexpr const char* kCoordinatorPeerIdPrefix = "-FC0100-";
// The peer id prefix of a participant.
inline constexpr const char* kParticipantPeerIdPrefix = "-FW0100-";

struct StartedSession {
  std::unique_ptr<libtorrent::session> session;
  int tcp_port = 0;
};

// Starts a session with `pack`. A positive `upload_rate_limit` (bytes/s)
// holds for every peer, local ones included (libtorrent exempts them by
// default). Waits, bounded, for a TCP listen port: with several interfaces
// (IPv4 and IPv6) one that opens is enough (a host without IPv6 still
// serves IPv4); none opening is Unavailable, naming why. The session's
// plugins are smart ban (peers that send corrupt pieces are banned) and
// ut_metadata; ut_pex only with `peer_exchange`.
Result<StartedSession> StartSwarmSession(libtorrent::settings_pack pack, int upload_rate_limit,
                                         bool peer_exchange = false);

}  // namespace flamegrid
