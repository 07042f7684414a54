#include "proto/shared/swarm_session.h"

#include <libtorrent/alert_types.hpp>
#include <libtorrent/extensions/smart_ban.hpp>
#include <libtorrent/extensions/ut_metadata.hpp>
#include <libtorrent/extensions/ut_pex.hpp>
#include <libtorrent/ip_filter.hpp>
#include <libtorrent/session_params.hpp>

#include <algorithm>
#include <chrono>
#include <vector>

namespace lt = libtorrent;

namespace flamegrid {

lt::settings_pack ClosedSwarmSettings(const std::string& listen_interfaces,
                                      const std::string& user_agent, lt::alert_category_t alerts,
                                      bool port_mapping) {
  lt::settings_pack pack;
  pack.set_str(lt::settings_pack::listen_interfaces, listen_interfaces);
  pack.set_bool(lt::settings_pack::enable_dht, false);
  pack.set_bool(lt::settings_pack::enable_lsd, false);
  pack.set_bool(lt::settings_pack::enable_upnp, port_mapping);
  pack.set_bool(lt::settings_pack::enable_natpmp, port_mapping);
  pack.set_bool(lt::settings_pack::enable_incoming_utp, true);
  pack.set_bool(lt::settings_pack::enable_outgoing_utp, true);
  pack.set_bool(lt::settings_pack::enable_incoming_tcp, true);
  pack.set_bool(lt::settings_pack::enable_outgoing_tcp, true);
  const bool coordinator = user_agent.rfind("flamegrid-coordinator", 0) == 0;
  pack.set_str(lt::settings_pack::peer_fingerprint,
               coordinator ? kCoordinatorPeerIdPrefix : kParticipantPeerIdPrefix);
  // Participants of a closed network (and tests) may share one address.
  pack.set_bool(lt::settings_pack::allow_multiple_connections_per_ip, true);
  // Re-announce as often as our tracker asks. libtorrent otherwise waits at
  // least 5 minutes between announces, and the tracker forgets a peer after
  // three of its intervals: peers vanished from the peer lists (and the
  // coordinator stopped seeing the seeds it defers to) after 90 s.
  pack.set_int(lt::settings_pack::min_announce_interval, 1);
  pack.set_int(lt::settings_pack::alert_mask, alerts);
  pack.set_str(lt::settings_pack::user_agent, user_agent);
  return pack;
}

Result<StartedSession> StartSwarmSession(lt::settings_pack pack, int upload_rate_limit,
                                         bool peer_exchange) {
  if (upload_rate_limit > 0) {
    pack.set_int(lt::settings_pack::upload_rate_limit, upload_rate_limit);
  }
  StartedSession started;
  // Not libtorrent's default plugins (they include ut_pex): ours, one by one.
  started.session = std::make_unique<lt::session>(
      lt::session_params(std::move(pack), std::vector<std::shared_ptr<lt::plugin>>{}));
  started.session->add_extension(&lt::create_smart_ban_plugin);
  started.session->add_extension(&lt::create_ut_metadata_plugin);
  if (peer_exchange) started.session->add_extension(&lt::create_ut_pex_plugin);
  if (upload_rate_limit > 0) {
    lt::ip_filter classes;
    const auto global = 1u << static_cast<std::uint32_t>(lt::session::global_peer_class_id);
    classes.add_rule(lt::make_address("0.0.0.0"), lt::make_address("255.255.255.255"), global);
    classes.add_rule(lt::make_address("::"),
                     lt::make_address("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), global);
    started.session->set_peer_class_filter(classes);
  }
  // The listen sockets open asynchronously; wait (bounded) for a TCP port.
  // A failed interface (no IPv6 here, say) does not fail the session while
  // another one listens.
  const std::string interfaces =
      started.session->get_settings().get_str(lt::settings_pack::listen_interfaces);
  const int interface_count =
      1 + static_cast<int>(std::count(interfaces.begin(), interfaces.end(), ','));
  std::string failures;
  int tcp_failures = 0;
  for (int i = 0; i < 100 && started.tcp_port == 0 && tcp_failures < interface_count; ++i) {
    started.session->wait_for_alert(std::chrono::milliseconds(50));
    std::vector<lt::alert*> alerts;
    started.session->pop_alerts(&alerts);
    for (lt::alert* a : alerts) {
      if (auto* ok = lt::alert_cast<lt::listen_succeeded_alert>(a)) {
        if (ok->socket_type == lt::socket_type_t::tcp) started.tcp_port = ok->port;
      } else if (auto* failed = lt::alert_cast<lt::listen_failed_alert>(a)) {
        failures += (failures.empty() ? "" : "; ") + failed->message();
        if (failed->socket_type == lt::socket_type_t::tcp) ++tcp_failures;
      }
    }
  }
  if (started.tcp_port == 0) started.tcp_port = started.session->listen_port();
  if (started.tcp_port == 0) {
    return Status::Unavailable("BitTorrent cannot listen" + (failures.empty()
                                                                 ? std::string(": no port opened")
                                                                 : ": " + failures));
  }
  return started;
}

}  // namespace flamegrid
