// Tests for coordinator/publish: the HTTP tracker's parsing, peer lists and
// delivery accounting (participants' reported uploads), and the publisher's
// torrent, web seed and byte counters over real HTTP.
#include "coordinator/publish/tracker.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <cstdio>
#include <libtorrent/add_torrent_params.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/settings_pack.hpp>
#include <libtorrent/torrent_handle.hpp>
#include <libtorrent/torrent_info.hpp>
#include <libtorrent/torrent_status.hpp>

#include "tests/integration/p2p_swarm.h"
#include "tests/integration/scratch_dir.h"

namespace flamegrid::coordinator::publish {
namespace {

const std::string kHash(20, 'h');

// A peer whose id follows from its port (one peer per port).
Announce Peer(uint32_t ip, int port, uint64_t left) {
  Announce a;
  a.info_hash = kHash;
  a.peer_id = "-FW0100-port" + std::to_string(port);
  a.ipv4 = ip;
  a.port = port;
  a.left = left;
  return a;
}

// The compact entry of ip:port in an answer.
std::string Compact(uint32_t ip, int port) {
  const char bytes[6] = {static_cast<char>(ip >> 24),  static_cast<char>(ip >> 16),
                         static_cast<char>(ip >> 8),   static_cast<char>(ip),
                         static_cast<char>(port >> 8), static_cast<char>(port)};
  return std::string(bytes, 6);
}

TEST(Tracker, ParsesAnEscapedAnnounce) {
  Announce a;
  std::string error;
  ASSERT_TRUE(ParseAnnounceQuery(
      "info_hash=%00%01%02hhhhhhhhhhhhhhhh%FF&peer_id=-LT2080-abc&port=6881&left=0&event=started"
      "&numwant=5&compact=1",
      &a, &error))
      << error;
  EXPECT_EQ(a.info_hash.size(), 20u);
  EXPECT_EQ(a.info_hash[0], '\0');
  EXPECT_EQ(static_cast<unsigned char>(a.info_hash[19]), 0xFF);
  EXPECT_EQ(a.port, 6881);
  EXPECT_EQ(a.event, "started");
  EXPECT_EQ(a.numwant, 5);
  EXPECT_FALSE(ParseAnnounceQuery("info_hash=short&port=1", &a, &error));
  Announce b;
  EXPECT_FALSE(ParseAnnounceQuery("info_hash=hhhhhhhhhhhhhhhhhhhh", &b, &error));
  EXPECT_EQ(error, "port is required");
}

TEST(Tracker, ParsesIpv4) {
  uint32_t ip = 0;
  EXPECT_TRUE(ParseIpv4("127.0.0.1", &ip));
  EXPECT_EQ(ip, 0x7f000001u);
  EXPECT_FALSE(ParseIpv4("::1", &ip));
  EXPECT_FALSE(ParseIpv4("1.2.3", &ip));
  EXPECT_FALSE(ParseIpv4("1.2.3.256", &ip));
}

TEST(Tracker, CompactListsOtherPeersOnlyAndExpiresSilentOnes) {
  Tracker tracker(10);
  EXPECT_NE(tracker.Handle(Peer(0x7f000001, 1000, 0), 0).find("unknown torrent"),
            std::string::npos);
  tracker.Allow(kHash);
  const std::string first = tracker.Handle(Peer(0x7f000001, 1000, 0), 0);
  EXPECT_NE(first.find("5:peers0:"), std::string::npos) << first;
  const std::string second = tracker.Handle(Peer(0x7f000001, 1001, 500), 1000);
  // The seed on port 1000 (0x03e8), compact: 7f 00 00 01 03 e8.
  const std::string compact("\x7f\x00\x00\x01\x03\xe8", 6);
  EXPECT_NE(second.find("5:peers6:" + compact), std::string::npos);
  EXPECT_NE(second.find("8:completei1e"), std::string::npos);
  EXPECT_NE(second.find("10:incompletei1e"), std::string::npos);
  EXPECT_EQ(tracker.PeerCount(kHash), 2u);
  // Seeds are not told about seeds.
  EXPECT_NE(tracker.Handle(Peer(0x7f000001, 1002, 0), 2000).find("5:peers6:"), std::string::npos);
  Announce stop = Peer(0x7f000001, 1002, 0);
  stop.event = "stopped";
  tracker.Handle(stop, 2000);
  EXPECT_EQ(tracker.PeerCount(kHash), 2u);
  // Thirty silent seconds later only the asker remains.
  tracker.Handle(Peer(0x7f000001, 1003, 9), 40'000);
  EXPECT_EQ(tracker.PeerCount(kHash), 1u);
}

TEST(Tracker, SumsWhatParticipantsReportUploadingOncePerPeerAndClampsIt) {
  Tracker tracker(30);
  const std::string v1(20, '1'), v2(20, '2');  // a hybrid torrent's two hashes
  tracker.Allow(v1, 7, 1000);
  tracker.Allow(v2, 7, 1000);
  EXPECT_EQ(tracker.PeerBytesUploaded(7), 0u);
  auto announce = [&](const std::string& hash, int port, uint64_t uploaded,
                      const std::string& peer_id = "-FW0100-participant1") {
    Announce a;
    a.info_hash = hash;
    a.peer_id = peer_id;
    a.ipv4 = 0x7f000001;
    a.port = port;
    a.uploaded = uploaded;
    tracker.Handle(a, 0);
  };
  announce(v1, 1000, 300);
  announce(v2, 1000, 300);  // the same peer on the v2 hash: counted once
  EXPECT_EQ(tracker.PeerBytesUploaded(7), 300u);
  const std::string second_peer = "-FW0100-participant2";
  announce(v1, 1001, 200, second_peer);
  EXPECT_EQ(tracker.PeerBytesUploaded(7), 500u);
  announce(v1, 1000, 400);  // the last report wins
  EXPECT_EQ(tracker.PeerBytesUploaded(7), 600u);
  announce(v1, 1000, 50);  // restarted: counts again from 0, the 400 stay
  EXPECT_EQ(tracker.PeerBytesUploaded(7), 650u);
  // Self-reported, so bounded: 2 peers x 1000 bytes.
  announce(v1, 1001, uint64_t{1} << 60, second_peer);
  EXPECT_EQ(tracker.PeerBytesUploaded(7), 450u + 2000u);
  // The coordinator's own seed is counted by the Publisher, not here.
  announce(v1, 1002, 999, "-FC0100-coordinator0");
  EXPECT_EQ(tracker.PeerBytesUploaded(7), 450u + 2000u);
  EXPECT_EQ(tracker.PeerBytesUploaded(8), 0u);
}

TEST(Tracker, KeepsABoundedNumberOfPeersPerSwarm) {
  Tracker tracker(30);
  tracker.Allow(kHash, 1, 100);
  for (int i = 0; i < static_cast<int>(Tracker::kMaxPeersPerSwarm) + 50; ++i) {
    Announce a = Peer(0x0a000000 + static_cast<uint32_t>(i), 1000, 5);
    a.uploaded = 1;
    tracker.Handle(a, 0);
  }
  EXPECT_EQ(tracker.PeerCount(kHash), Tracker::kMaxPeersPerSwarm);
}

TEST(Tracker, OneAddressHoldsAFewEntriesPerSwarmAndRealPeersStayListed) {
  Tracker tracker(30, 4);
  tracker.Allow(kHash, 1, 100);
  const uint32_t real = 0x0a000001, attacker = 0x0a000066;
  tracker.Handle(Peer(real, 6000, 0), 0);
  for (int port = 1; port <= 10000; ++port) tracker.Handle(Peer(attacker, port, 100), port);
  // The attacker's four latest entries and the real peer.
  EXPECT_EQ(tracker.PeerCount(kHash), 5u);
  Announce asker = Peer(0x0a000077, 7000, 100);
  asker.numwant = 200;
  const std::string answer = tracker.Handle(asker, 10'001);
  EXPECT_NE(answer.find(Compact(real, 6000)), std::string::npos);
  EXPECT_NE(answer.find(Compact(attacker, 10000)), std::string::npos);
  EXPECT_EQ(answer.find(Compact(attacker, 9996)), std::string::npos);
  // One peer id moving between ports is one entry.
  for (int port = 1; port <= 100; ++port) {
    Announce a = Peer(0x0a000099, 1, 100);
    a.port = port;
    tracker.Handle(a, 10'002);
  }
  EXPECT_EQ(tracker.PeerCount(kHash), 7u);
}

TEST(Tracker, StoppedRemovesOnlyTheCallersOwnEntry) {
  Tracker tracker(30);
  tracker.Allow(kHash);
  const uint32_t ip = 0x0a000001;
  tracker.Handle(Peer(ip, 6000, 0), 0);
  // The same address and port, another peer id.
  Announce neighbour = Peer(ip, 6000, 0);
  neighbour.peer_id = "-XX0001-neighbour001";
  neighbour.event = "stopped";
  tracker.Handle(neighbour, 1);
  // Another address with the peer's own id.
  Announce elsewhere = Peer(0x0a000002, 6000, 0);
  elsewhere.peer_id = Peer(ip, 6000, 0).peer_id;
  elsewhere.event = "stopped";
  tracker.Handle(elsewhere, 2);
  EXPECT_EQ(tracker.PeerCount(kHash), 1u);
  Announce own = Peer(ip, 6000, 0);
  own.event = "stopped";
  tracker.Handle(own, 3);
  EXPECT_EQ(tracker.PeerCount(kHash), 0u);
}

TEST(Tracker, RefusesANegativeOrMalformedLeft) {
  for (const char* left : {"-1", "-9223372036854775808", "1e3", "", "99999999999999999999"}) {
    Announce a;
    std::string error;
    EXPECT_FALSE(ParseAnnounceQuery(
        std::string("info_hash=hhhhhhhhhhhhhhhhhhhh&port=1&left=") + left, &a, &error))
        << left;
    EXPECT_EQ(error, "bad left: must be a byte count") << left;
  }
  Announce a;
  std::string error;
  EXPECT_TRUE(ParseAnnounceQuery("info_hash=hhhhhhhhhhhhhhhhhhhh&port=1&left=0", &a, &error));
}

TEST(Tracker, ParsesUploaded) {
  Announce a;
  std::string error;
  ASSERT_TRUE(ParseAnnounceQuery("info_hash=hhhhhhhhhhhhhhhhhhhh&port=1&uploaded=12345&ip=10.9.8.7",
                                 &a, &error))
      << error;
  EXPECT_EQ(a.uploaded, 12345u);
  EXPECT_EQ(a.ipv4, 0u);  // a claimed ip= is not taken
}

TEST(Publisher, TheTrackerListsAPeerWhereItsAnnounceCameFromNotWhereItClaims) {
  const testing::ScratchDir scratch("publish_remote");
  testing::P2pSwarm swarm(scratch.path());
  ASSERT_TRUE(swarm.StartCoordinator(testing::RandomBytes(50'000, 4), 5));
  lt::error_code ec;
  lt::torrent_info info(*swarm.publisher().TorrentFile(5), ec, lt::from_span);
  ASSERT_FALSE(ec);
  std::string hash;
  for (unsigned char c : info.info_hashes().v1.to_string()) {
    char escaped[4];
    std::snprintf(escaped, sizeof escaped, "%%%02X", c);
    hash += escaped;
  }
  httplib::Client client("127.0.0.1", swarm.http_port());
  // A peer that claims to be 10.1.2.3 and reports 4000 bytes sent.
  auto first =
      client.Get("/announce?info_hash=" + hash +
                 "&peer_id=-FW0100-aaaaaaaaaaaa&port=7001&ip=10.1.2.3&uploaded=4000&left=0");
  ASSERT_TRUE(first);
  auto second =
      client.Get("/announce?info_hash=" + hash + "&peer_id=-FW0100-bbbbbbbbbbbb&port=7002&left=9");
  ASSERT_TRUE(second);
  // The first peer is listed at 127.0.0.1 (where it connected from), port 7001 (0x1b59).
  EXPECT_NE(second->body.find(std::string("\x7f\x00\x00\x01\x1b\x59", 6)), std::string::npos);
  EXPECT_EQ(second->body.find(std::string("\x0a\x01\x02\x03", 4)), std::string::npos);
  EXPECT_EQ(swarm.publisher().tracker().PeerBytesUploaded(5), 4000u);
}

TEST(Publisher, ServesTheTorrentAndAWebSeedWithRangesAndCountsBytes) {
  const testing::ScratchDir scratch("publish_web");
  testing::P2pSwarm swarm(scratch.path());
  const std::string video = testing::RandomBytes(200'000, 3);
  ASSERT_TRUE(swarm.StartCoordinator(video, 42));
  httplib::Client client("127.0.0.1", swarm.http_port());
  auto torrent = client.Get("/sequences/42.torrent");
  ASSERT_TRUE(torrent);
  ASSERT_EQ(torrent->status, 200);
  lt::error_code ec;
  lt::torrent_info info(torrent->body, ec, lt::from_span);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_TRUE(info.info_hashes().has_v1());
  EXPECT_TRUE(info.info_hashes().has_v2());  // hybrid
  EXPECT_EQ(info.total_size(), static_cast<int64_t>(video.size()));
  ASSERT_EQ(info.trackers().size(), 1u);
  EXPECT_EQ(info.trackers()[0].url,
            "http://127.0.0.1:" + std::to_string(swarm.http_port()) + "/announce");
  ASSERT_EQ(info.web_seeds().size(), 1u);
  EXPECT_EQ(info.web_seeds()[0].url,
            "http://127.0.0.1:" + std::to_string(swarm.http_port()) + "/sequences/");
  EXPECT_EQ(client.Get("/sequences/7.torrent")->status, 404);

  auto range = client.Get("/sequences/42.mp4", {{"Range", "bytes=1000-1999"}});
  ASSERT_TRUE(range);
  EXPECT_EQ(range->status, 206);
  EXPECT_EQ(range->body, video.substr(1000, 1000));
  auto whole = client.Get("/sequences/42.mp4");
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->body, video);
  // Counted once the server has sent the bytes, which may be a moment
  // after the client read them.
  EXPECT_TRUE(testing::WaitFor(
      [&] { return swarm.publisher().Stats(42)->web_uploaded == 1000u + video.size(); }, 5));
  EXPECT_EQ(swarm.publisher().Stats(42)->web_uploaded, 1000u + video.size());
  // Several ranges: the whole body once; past the end: 416 with the size.
  auto several = client.Get("/sequences/42.mp4", {{"Range", "bytes=0-9,5-14,0-"}});
  ASSERT_TRUE(several);
  EXPECT_EQ(several->status, 200);
  EXPECT_EQ(several->body, video);
  auto past = client.Get("/sequences/42.mp4", {{"Range", "bytes=200000-"}});
  ASSERT_TRUE(past);
  EXPECT_EQ(past->status, 416);
  EXPECT_EQ(past->get_header_value("Content-Range"), "bytes */200000");
  EXPECT_TRUE(testing::WaitFor(
      [&] { return swarm.publisher().Stats(42)->web_uploaded == 1000u + 2 * video.size(); }, 5));

  // The counters persist across publisher restarts.
  swarm.publisher().Poll();
  const std::string stats =
      testing::ReadAll(swarm.root() / "coordinator" / "torrents" / "42.stats");
  EXPECT_NE(stats.find(" " + std::to_string(1000 + 2 * video.size())), std::string::npos) << stats;

  auto announce = client.Get("/announce?port=1");
  ASSERT_TRUE(announce);
  EXPECT_NE(announce->body.find("failure reason"), std::string::npos);
}

TEST(Publisher, AStockBitTorrentClientWithOnlyTheTorrentFetchesTheSequence) {
  // No flamegrid code on the client side: a plain libtorrent session given
  // the .torrent served at /sequences/ID.torrent, and nothing else.
  const testing::ScratchDir scratch("publish_stock");
  testing::P2pSwarm swarm(scratch.path());
  const std::string video = testing::RandomBytes(300'000, 5);
  ASSERT_TRUE(swarm.StartCoordinator(video, 9));
  httplib::Client client("127.0.0.1", swarm.http_port());
  auto torrent = client.Get("/sequences/9.torrent");
  ASSERT_TRUE(torrent);
  ASSERT_EQ(torrent->status, 200);

  lt::settings_pack pack;
  pack.set_str(lt::settings_pack::listen_interfaces, "127.0.0.1:0");
  pack.set_bool(lt::settings_pack::enable_dht, false);
  pack.set_bool(lt::settings_pack::enable_lsd, false);
  pack.set_bool(lt::settings_pack::enable_upnp, false);
  pack.set_bool(lt::settings_pack::enable_natpmp, false);
  lt::session session(pack);
  lt::error_code ec;
  lt::add_torrent_params params;
  params.ti = std::make_shared<lt::torrent_info>(torrent->body, ec, lt::from_span);
  ASSERT_FALSE(ec) << ec.message();
  const auto save = swarm.root() / "stock-client";
  std::filesystem::create_directories(save);
  params.save_path = save.string();
  lt::torrent_handle handle = session.add_torrent(std::move(params), ec);
  ASSERT_FALSE(ec) << ec.message();
  const int64_t end = testing::SwarmNowMs() + 60'000;
  while (!handle.status().is_seeding && testing::SwarmNowMs() < end) {
    swarm.publisher().Poll();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(handle.status().is_seeding);
  EXPECT_EQ(testing::ReadAll(save / "9.mp4"), video);
}

}  // namespace
}  // namespace flamegrid::coordinator::publish
