// Tests for worker/transfer: the cache plan, and PeerSessions fetching from an
// in-process coordinator publisher on 127.0.0.1 (byte-identical copies, quota
// eviction, a full disk, resuming a partial download, copies that are not what
// the coordinator published), and where the coordinator's HTTP side is.
#include "worker/transfer/peer_session.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <libtorrent/bdecode.hpp>
#include <libtorrent/bencode.hpp>
#include <libtorrent/entry.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <libtorrent/torrent_info.hpp>

#include <optional>
#include <set>

#include "tests/integration/p2p_swarm.h"
#include "tests/integration/scratch_dir.h"
#include "tests/proto/shared/faulty_env.h"
#include "worker/cache/sequence_cache.h"
#include "worker/transfer/cache_plan.h"
#include "worker/transfer/coordinator_http.h"

namespace flamegrid::worker::transfer {
namespace {

namespace fs = std::filesystem;
namespace lt = libtorrent;
using testing::FaultyEnv;
using testing::P2pSwarm;
using testing::RandomBytes;
using testing::ReadAll;
using testing::ScratchDir;
using testing::SwarmNowMs;

TEST(CachePlan, KeepsBestRatedThenNewestWithinQuota) {
  std::vector<CacheCandidate> c = {{"old", 40, 0, 1, false},
                                   {"new", 40, 0, 5, false},
                                   {"liked", 40, 3, 0, false},
                                   {"small", 10, -1, 0, false}};
  const CachePlan plan = PlanCache(c, 100);
  EXPECT_EQ(plan.fetch, (std::vector<std::string>{"liked", "new", "small"}));
  EXPECT_TRUE(plan.evict.empty());
  EXPECT_EQ(plan.kept_bytes, 90u);
}

TEST(CachePlan, EvictsCachedThatNoLongerFit) {
  std::vector<CacheCandidate> c = {{"cached-low", 60, -2, 0, true},
                                   {"fresh-high", 60, 5, 9, false}};
  const CachePlan plan = PlanCache(c, 100);
  EXPECT_EQ(plan.fetch, std::vector<std::string>{"fresh-high"});
  EXPECT_EQ(plan.evict, std::vector<std::string>{"cached-low"});
}

TEST(CachePlan, NoQuotaKeepsEverything) {
  const CachePlan plan = PlanCache({{"a", 1ull << 40, 0, 0, false}, {"b", 1, 0, 0, true}}, 0);
  EXPECT_EQ(plan.fetch, std::vector<std::string>{"a"});
  EXPECT_TRUE(plan.evict.empty());
}

TEST(PeerSession, ParticipantsEndWithByteIdenticalCopies) {
  const ScratchDir scratch("transfer_identical");
  P2pSwarm swarm(scratch.path());
  const std::string video = RandomBytes(1 << 20, 7);
  ASSERT_TRUE(swarm.StartCoordinator(video));
  for (int i = 0; i < 3; ++i) {
    PeerSession& p = swarm.AddParticipant();
    ASSERT_TRUE(p.Start().ok());
    ASSERT_TRUE(p.Offer({swarm.Offer()}, SwarmNowMs()).ok());
  }
  ASSERT_TRUE(swarm.Run(60'000));
  // The seeding copy moves from partial/ to the cache in the background.
  for (int round = 0; round < 200; ++round) {
    bool moved = true;
    for (int i = 0; i < 3; ++i) {
      moved &= !fs::exists(swarm.root() / ("participant" + std::to_string(i)) / "transfer" /
                           "partial" / "1.mp4");
    }
    if (moved) break;
    swarm.Run(50);
  }
  for (int i = 0; i < 3; ++i) {
    const fs::path dir = swarm.root() / ("participant" + std::to_string(i));
    EXPECT_EQ(ReadAll(worker::cache::VideoPath(dir, "1")), video) << i;
    auto contents = worker::cache::ReadCache(dir);
    ASSERT_TRUE(contents.ok());
    ASSERT_EQ(contents->sequences.size(), 1u);
    EXPECT_EQ(contents->sequences[0].name, "test sequence");
    EXPECT_FALSE(fs::exists(dir / "transfer" / "partial" / "1.mp4"));
  }
  swarm.publisher().Poll();
  auto stats = swarm.publisher().Stats(1);
  ASSERT_TRUE(stats.has_value());
  EXPECT_EQ(stats->size, video.size());
  EXPECT_EQ(stats->sha256.size(), 64u);
}

TEST(PeerSession, FullDiskPausesWithAClearMessage) {
  const ScratchDir scratch("transfer_diskfull");
  P2pSwarm swarm(scratch.path());
  ASSERT_TRUE(swarm.StartCoordinator(RandomBytes(256 << 10, 8)));
  FaultyEnv env;
  env.SetFreeBytes(1 << 20);  // below the reserve
  PeerSessionOptions options;
  options.env = &env;
  PeerSession& p = swarm.AddParticipant(options);
  ASSERT_TRUE(p.Start().ok());
  ASSERT_TRUE(p.Offer({swarm.Offer()}, SwarmNowMs()).ok());
  auto events = p.Poll(SwarmNowMs());
  bool paused = false;
  for (const auto& e : events) {
    if (e.kind == TransferEventKind::kDiskFull) {
      paused = true;
      EXPECT_NE(e.message.find("disk full"), std::string::npos) << e.message;
      EXPECT_NE(e.message.find("paused"), std::string::npos) << e.message;
    }
  }
  EXPECT_TRUE(paused);
  EXPECT_FALSE(p.Holds("1"));
}

TEST(PeerSession, AFailedWriteIsAClearErrorAndTheNextOfferFetches) {
  const ScratchDir scratch("transfer_failedwrite");
  P2pSwarm swarm(scratch.path());
  const std::string video = RandomBytes(256 << 10, 11);
  ASSERT_TRUE(swarm.StartCoordinator(video));
  FaultyEnv env;
  PeerSessionOptions options;
  options.env = &env;
  PeerSession& p = swarm.AddParticipant(options);
  ASSERT_TRUE(p.Start().ok());
  // The disk fills up as the download's resume record is written.
  env.Fail(FaultyEnv::Op::kWrite, FaultyEnv::DiskFull(), 1, ".verify");
  const Status failed = p.Offer({swarm.Offer()}, SwarmNowMs());
  EXPECT_EQ(failed.code(), StatusCode::kResourceExhausted) << failed.ToString();
  EXPECT_NE(failed.message().find("download of 1"), std::string::npos) << failed.ToString();
  EXPECT_FALSE(p.Holds("1")) << "no download without its resume record";
  ASSERT_TRUE(p.Offer({swarm.Offer()}, SwarmNowMs()).ok());
  ASSERT_TRUE(swarm.Run(60'000));
  EXPECT_EQ(ReadAll(worker::cache::VideoPath(swarm.root() / "participant0", "1")), video);
}

TEST(PeerSession, QuotaEvictsTheLowerRatedSequence) {
  const ScratchDir scratch("transfer_quota");
  P2pSwarm swarm(scratch.path());
  ASSERT_TRUE(swarm.StartCoordinator(RandomBytes(300 << 10, 9), 1));
  // A second published sequence, better rated.
  const fs::path second = swarm.root() / "coordinator" / "videos" / "2.mp4";
  const std::string video2 = RandomBytes(300 << 10, 10);
  std::ofstream(second, std::ios::binary) << video2;
  ASSERT_TRUE(swarm.publisher().Publish(2, second.string()).ok());
  PeerSessionOptions options;
  options.cache_max_bytes = 400 << 10;  // room for one
  PeerSession& p = swarm.AddParticipant(options);
  ASSERT_TRUE(p.Start().ok());
  OfferedSequence first = swarm.Offer();
  ASSERT_TRUE(p.Offer({first}, SwarmNowMs()).ok());
  ASSERT_TRUE(swarm.Run(30'000));
  OfferedSequence better = first;
  better.info.id = "2";
  better.info.rating = 10;
  better.torrent = *swarm.publisher().TorrentFile(2);
  better.sha256 = swarm.publisher().Stats(2)->sha256;
  ASSERT_TRUE(p.Offer({first, better}, SwarmNowMs()).ok());
  const int64_t end = SwarmNowMs() + 30'000;
  while (!p.Complete("2") && SwarmNowMs() < end) {
    swarm.publisher().Poll();
    p.Poll(SwarmNowMs());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(p.Complete("2"));
  EXPECT_FALSE(p.Holds("1"));
  const fs::path dir = swarm.root() / "participant0";
  // libtorrent may still be moving 1's storage into the cache when it is
  // evicted; the session deletes what that move puts back once it is over.
  const int64_t settle = SwarmNowMs() + 10'000;
  while (fs::exists(worker::cache::VideoPath(dir, "1")) && SwarmNowMs() < settle) {
    p.Poll(SwarmNowMs());
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_FALSE(fs::exists(worker::cache::InfoPath(dir, "1")));
  EXPECT_FALSE(fs::exists(worker::cache::VideoPath(dir, "1")));
  EXPECT_EQ(ReadAll(worker::cache::VideoPath(dir, "2")), video2);
}

TEST(PeerSession, InterruptedDownloadResumesAfterRestart) {
  const ScratchDir scratch("transfer_resume");
  P2pSwarm swarm(scratch.path());
  const std::string video = RandomBytes(512 << 10, 11);
  ASSERT_TRUE(swarm.StartCoordinator(video));
  const fs::path dir = swarm.root() / "participant0";
  {
    // A previous run left the torrent, its metadata, what the coordinator
    // published for it and half the file, with a corrupt tail (hash checks
    // keep only the good pieces).
    fs::create_directories(dir / "transfer" / "partial");
    OfferedSequence o = swarm.Offer();
    Env& env = *Env::Default();
    const std::string transfer = (dir / "transfer").string();
    ASSERT_TRUE(env.WriteFileAtomic(transfer + "/1.torrent", o.torrent, SyncPolicy::kNone).ok());
    ASSERT_TRUE(env.WriteFileAtomic(transfer + "/1.json", worker::cache::SequenceInfoToJson(o.info),
                                    SyncPolicy::kNone)
                    .ok());
    ASSERT_TRUE(
        env.WriteFileAtomic(transfer + "/1.verify",
                            o.sha256 + " " + std::to_string(o.size) + " " + o.torrent_url + "\n",
                            SyncPolicy::kNone)
            .ok());
    std::string partial = video.substr(0, 256 << 10) + std::string(64 << 10, 'x');
    std::ofstream(dir / "transfer" / "partial" / "1.mp4", std::ios::binary) << partial;
  }
  PeerSession& p = swarm.AddParticipant();
  ASSERT_TRUE(p.Start().ok());
  EXPECT_TRUE(p.Holds("1"));  // resumed without being offered again
  ASSERT_TRUE(swarm.Run(30'000));
  EXPECT_EQ(ReadAll(worker::cache::VideoPath(dir, "1")), video);
  const auto c = p.Counters();
  EXPECT_LT(c.downloaded, video.size());  // the good half was not fetched again
}

TEST(PeerSession, CorruptSourceCannotDamageTheCopy) {
  const ScratchDir scratch("transfer_corrupt");
  P2pSwarm swarm(scratch.path());
  const std::string video = RandomBytes(512 << 10, 12);
  ASSERT_TRUE(swarm.StartCoordinator(video));
  // A malicious web seed: every byte it serves is flipped.
  httplib::Server bad;
  // On an address of its own (Linux answers all of 127/8): banning the bad
  // seed's address must not also ban the good sources on 127.0.0.1.
  const int bad_port = bad.bind_to_any_port("127.0.0.2");
  ASSERT_GT(bad_port, 0);
  std::string corrupt = video;
  for (char& c : corrupt) c = static_cast<char>(~c);
  bad.Get("/bad/1.mp4", [&corrupt](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(corrupt.size(), "video/mp4",
                             [&corrupt](size_t offset, size_t length, httplib::DataSink& sink) {
                               sink.write(corrupt.data() + offset, length);
                               return true;
                             });
  });
  std::thread serving([&bad] { bad.listen_after_bind(); });
  // The same torrent (same info hash), with the bad seed listed before the
  // coordinator's. libtorrent may ban the coordinator's BitTorrent peer too
  // (it served blocks of the pieces that failed); the coordinator's web seed
  // is the backstop that still completes the copy.
  OfferedSequence offer = swarm.Offer();
  lt::error_code ec;
  lt::bdecode_node node = lt::bdecode(offer.torrent, ec);
  ASSERT_FALSE(ec);
  lt::entry torrent;
  torrent = node;
  const lt::entry good_seed = torrent["url-list"];
  torrent["url-list"] = lt::entry::list_type{
      lt::entry("http://127.0.0.2:" + std::to_string(bad_port) + "/bad/"), good_seed};
  offer.torrent.clear();
  lt::bencode(std::back_inserter(offer.torrent), torrent);

  PeerSessionOptions options;
  options.web_seed_after_ms = 0;  // use the (bad) web seed at once
  PeerSession& p = swarm.AddParticipant(options);
  ASSERT_TRUE(p.Start().ok());
  ASSERT_TRUE(p.Offer({offer}, SwarmNowMs()).ok());
  std::vector<TransferEvent> events;
  // Bounded, with room for libtorrent's 30 s wait before it retries a web
  // seed that failed while the bad one was being found out.
  const bool done = swarm.Run(150'000, &events);
  bad.stop();
  serving.join();
  ASSERT_TRUE(done);
  EXPECT_EQ(ReadAll(worker::cache::VideoPath(swarm.root() / "participant0", "1")), video);
  bool banned = false;
  bool hash_failed = false;
  for (const TransferEvent& e : events) {
    banned |= e.kind == TransferEventKind::kPeerBanned;
    hash_failed |= e.message.find("hash for piece") != std::string::npos;
  }
  EXPECT_TRUE(hash_failed);  // the bad seed was really used...
  EXPECT_TRUE(banned);       // ...and dropped
}

TEST(PeerSession, ATorrentOfAnotherSizeThanPublishedIsRefusedBeforeDownloading) {
  const ScratchDir scratch("transfer_wrongsize");
  P2pSwarm swarm(scratch.path());
  ASSERT_TRUE(swarm.StartCoordinator(RandomBytes(100 << 10, 13)));
  PeerSession& p = swarm.AddParticipant();
  ASSERT_TRUE(p.Start().ok());
  OfferedSequence offer = swarm.Offer();
  offer.size += 1;
  ASSERT_TRUE(p.Offer({offer}, SwarmNowMs()).ok());
  EXPECT_FALSE(p.Holds("1"));
  bool discarded = false;
  for (const TransferEvent& e : p.Poll(SwarmNowMs())) {
    if (e.kind != TransferEventKind::kDiscarded) continue;
    discarded = true;
    EXPECT_NE(e.message.find("coordinator published " + std::to_string(offer.size)),
              std::string::npos)
        << e.message;
    EXPECT_NE(e.message.find(offer.torrent_url), std::string::npos) << e.message;
  }
  EXPECT_TRUE(discarded);
  EXPECT_TRUE(p.Refused("1", SwarmNowMs()));
}

TEST(PeerSession, ACopyThatIsNotThePublishedVideoIsDiscardedAndRetriedLater) {
  const ScratchDir scratch("transfer_wrongsha");
  P2pSwarm swarm(scratch.path());
  const std::string video = RandomBytes(200 << 10, 14);
  ASSERT_TRUE(swarm.StartCoordinator(video));
  PeerSessionOptions options;
  options.retry_backoff_ms = 300;
  PeerSession& p = swarm.AddParticipant(options);
  ASSERT_TRUE(p.Start().ok());
  // The torrent and its pieces are consistent, but the coordinator published
  // another digest over gRPC: the finished copy must not enter the cache.
  OfferedSequence lied = swarm.Offer();
  lied.sha256 = std::string(64, '0');
  ASSERT_TRUE(p.Offer({lied}, SwarmNowMs()).ok());
  std::optional<TransferEvent> discarded;
  const int64_t end = SwarmNowMs() + 30'000;
  while (!discarded && SwarmNowMs() < end) {
    swarm.publisher().Poll();
    for (const TransferEvent& e : p.Poll(SwarmNowMs())) {
      if (e.kind == TransferEventKind::kDiscarded) discarded = e;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(discarded.has_value());
  EXPECT_NE(discarded->message.find("SHA-256 mismatch"), std::string::npos) << discarded->message;
  EXPECT_NE(discarded->message.find(lied.torrent_url), std::string::npos) << discarded->message;
  EXPECT_NE(discarded->message.find("peers: 127.0.0.1:"), std::string::npos) << discarded->message;
  const fs::path dir = swarm.root() / "participant0";
  EXPECT_FALSE(p.Holds("1"));
  EXPECT_FALSE(fs::exists(worker::cache::InfoPath(dir, "1")));
  EXPECT_FALSE(fs::exists(worker::cache::VideoPath(dir, "1")));
  EXPECT_FALSE(fs::exists(dir / "transfer" / "partial" / "1.mp4"));
  EXPECT_FALSE(fs::exists(dir / "transfer" / "1.torrent"));
  auto contents = worker::cache::ReadCache(dir);
  ASSERT_TRUE(contents.ok());
  EXPECT_TRUE(contents->sequences.empty());
  // Not again at once (no hot loop)...
  ASSERT_TRUE(p.Offer({lied}, SwarmNowMs()).ok());
  EXPECT_FALSE(p.Holds("1"));
  // ...but after the backoff, and a right digest lets the copy in.
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  ASSERT_TRUE(p.Offer({swarm.Offer()}, SwarmNowMs()).ok());
  EXPECT_TRUE(p.Holds("1"));
  ASSERT_TRUE(swarm.Run(30'000));
  EXPECT_EQ(ReadAll(worker::cache::VideoPath(dir, "1")), video);
}

TEST(CoordinatorHttp, URLsComeFromTheCoordinatorAndWildcardHostsAreReplaced) {
  EXPECT_EQ(*TorrentUrl(3, "", "http://10.0.0.5:9000/sequences/3.torrent", "", "x:1"),
            "http://10.0.0.5:9000/sequences/3.torrent");
  EXPECT_EQ(*TorrentUrl(3, "", "", "http://10.0.0.5:9000", "x:1"),
            "http://10.0.0.5:9000/sequences/3.torrent");
  EXPECT_EQ(*TorrentUrl(3, "127.0.0.1:81", "http://10.0.0.5:9000/sequences/3.torrent", "", "x:1"),
            "http://127.0.0.1:81/sequences/3.torrent");
  EXPECT_EQ(*TorrentUrl(3, "", "http://0.0.0.0:9000/sequences/3.torrent", "", "grid.example:7750"),
            "http://grid.example:9000/sequences/3.torrent");
  EXPECT_EQ(ReplaceWildcardHost("http://[::]:9000/a", "[2001:db8::1]:7750"),
            "http://[2001:db8::1]:9000/a");
  EXPECT_EQ(ReplaceWildcardHost("http://10.0.0.5:9000/a", "grid.example:7750"),
            "http://10.0.0.5:9000/a");
  EXPECT_FALSE(TorrentUrl(3, "", "", "", "x:1").ok());  // no guessing
}

TEST(CoordinatorHttp, AnOversizedTorrentIsRefusedWhileReading) {
  httplib::Server server;
  const int port = server.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  const std::string big(kMaxTorrentBytes + 1, 'd');
  server.Get("/big.torrent", [&big](const httplib::Request&, httplib::Response& res) {
    res.set_content(big, "application/x-bittorrent");
  });
  server.Get("/small.torrent", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("d4:infoe", "application/x-bittorrent");
  });
  std::thread serving([&server] { server.listen_after_bind(); });
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  auto big_result = FetchBounded(base + "/big.torrent", kMaxTorrentBytes);
  auto small_result = FetchBounded(base + "/small.torrent", kMaxTorrentBytes);
  auto missing = FetchBounded(base + "/none.torrent", kMaxTorrentBytes);
  server.stop();
  serving.join();
  ASSERT_FALSE(big_result.ok());
  EXPECT_EQ(big_result.status().code(), StatusCode::kResourceExhausted);
  ASSERT_TRUE(small_result.ok());
  EXPECT_EQ(*small_result, "d4:infoe");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
}

// The extension names a BitTorrent peer at 127.0.0.1:`port` announces for
// the torrent `torrent_bytes` (its LTEP handshake's "m" dictionary, BEP 10),
// read as a remote peer would; empty when none came within a few seconds.
std::set<std::string> AnnouncedExtensions(int port, const std::string& torrent_bytes) {
  lt::error_code ec;
  lt::torrent_info info(
      lt::span<char const>(torrent_bytes.data(), static_cast<long>(torrent_bytes.size())), ec,
      lt::from_span);
  if (ec) return {};
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return {};
  }
  std::string handshake =
      "\x13"
      "BitTorrent protocol";
  std::string reserved(8, '\0');
  reserved[5] = 0x10;  // the extension protocol
  const lt::sha1_hash hash = info.info_hashes().get_best();
  handshake += reserved + std::string(hash.data(), hash.size()) + "-XX0000-000000000000";
  (void)!write(fd, handshake.data(), handshake.size());
  auto read_exactly = [fd](size_t n) {
    std::string bytes(n, '\0');
    size_t got = 0;
    while (got < n) {
      const ssize_t r = read(fd, bytes.data() + got, n - got);
      if (r <= 0) return std::string();
      got += static_cast<size_t>(r);
    }
    return bytes;
  };
  std::set<std::string> names;
  if (read_exactly(68).size() == 68) {
    for (int message = 0; message < 16; ++message) {
      const std::string length_bytes = read_exactly(4);
      if (length_bytes.size() != 4) break;
      const uint32_t length = (uint32_t{static_cast<uint8_t>(length_bytes[0])} << 24) |
                              (uint32_t{static_cast<uint8_t>(length_bytes[1])} << 16) |
                              (uint32_t{static_cast<uint8_t>(length_bytes[2])} << 8) |
                              uint32_t{static_cast<uint8_t>(length_bytes[3])};
      if (length == 0) continue;  // keep-alive
      if (length > (1 << 20)) break;
      const std::string body = read_exactly(length);
      if (body.size() != length) break;
      if (body.size() < 2 || body[0] != 20 || body[1] != 0) continue;
      const lt::bdecode_node dict =
          lt::bdecode(lt::span<char const>(body.data() + 2, static_cast<long>(length - 2)), ec);
      const lt::bdecode_node m = dict.dict_find_dict("m");
      for (int i = 0; i < m.dict_size(); ++i) names.insert(std::string(m.dict_at(i).first));
      break;
    }
  }
  close(fd);
  return names;
}

// Peer exchange is off unless asked for: a peer cannot feed the session
// addresses to dial (before: libtorrent's default plugins, ut_pex among them).
TEST(PeerSession, PeerExchangeIsOffUnlessTheOperatorTurnsItOn) {
  const ScratchDir scratch("transfer_pex");
  P2pSwarm swarm(scratch.path());
  ASSERT_TRUE(swarm.StartCoordinator(RandomBytes(64 << 10, 3)));
  PeerSession& closed = swarm.AddParticipant();
  PeerSessionOptions open_options;
  open_options.peer_exchange = true;
  PeerSession& open = swarm.AddParticipant(open_options);
  const OfferedSequence offered = swarm.Offer();
  for (PeerSession* p : {&closed, &open}) {
    ASSERT_TRUE(p->Start().ok());
    ASSERT_TRUE(p->Offer({offered}, SwarmNowMs()).ok());
  }
  // A session still checking the torrent turns peers away: ask again then.
  auto announced = [&](PeerSession& p) {
    std::set<std::string> names;
    for (int attempt = 0; attempt < 20 && names.empty(); ++attempt) {
      if (attempt > 0) swarm.Run(250);
      names = AnnouncedExtensions(p.listen_port(), offered.torrent);
    }
    return names;
  };
  const std::set<std::string> closed_names = announced(closed);
  const std::set<std::string> open_names = announced(open);
  // Both speak the extension protocol (ut_metadata stays); only one offers ut_pex.
  EXPECT_TRUE(closed_names.count("ut_metadata")) << closed_names.size();
  EXPECT_FALSE(closed_names.count("ut_pex"));
  EXPECT_TRUE(open_names.count("ut_metadata")) << open_names.size();
  EXPECT_TRUE(open_names.count("ut_pex"));
}

}  // namespace
}  // namespace flamegrid::worker::transfer
