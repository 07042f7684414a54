// The public HTTP side and the tracker against a hostile client, on a real
// coordinator with its default settings (tests/security/hostile_grid.h):
// slow connections, a flood of header lines, overlapping and past-the-end
// ranges, absurd ids, and tracker poisoning from one address. Each attack
// is bounded in time and bytes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <libtorrent/torrent_info.hpp>
#include <thread>

#include "tests/security/hostile_grid.h"

namespace flamegrid::testing {
namespace {

const std::string kGenome = R"(<flame name="http attack" size="64 48" scale="20"></flame>)";

std::string Get(const std::string& target, const std::string& extra_headers = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + extra_headers + "Connection: close\r\n\r\n";
}

// The body of a whole reply (after the blank line).
std::string BodyOf(const std::string& reply) {
  const size_t end = reply.find("\r\n\r\n");
  return end == std::string::npos ? "" : reply.substr(end + 4);
}

// A header's value in a reply ("" when absent); the name as the server spells it.
std::string HeaderOf(const std::string& reply, const std::string& name) {
  const std::string head = reply.substr(0, reply.find("\r\n\r\n"));
  size_t at = 0;
  while ((at = head.find("\r\n", at)) != std::string::npos) {
    at += 2;
    if (head.size() - at > name.size() + 1 &&
        strncasecmp(head.c_str() + at, name.c_str(), name.size()) == 0 &&
        head[at + name.size()] == ':') {
      const size_t value = head.find_first_not_of(' ', at + name.size() + 1);
      return head.substr(value, head.find("\r\n", value) - value);
    }
  }
  return "";
}

// A grid with one published loop: a coordinator with default HTTP and
// tracker settings, one honest worker (no BitTorrent of its own, so every
// byte the coordinator sends is the web seed's) that renders the loop.
class HttpAttackTest : public ::testing::Test {
 protected:
  void StartGrid(bool publish) {
    grid_ = std::make_unique<HostileGrid>(
        std::string("http_attack_") +
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_TRUE(grid_->Start({"--replica-wait-seconds", "0.5"})) << grid_->Log();
    if (!publish) return;
    sequence_ = SubmitLoop(grid_->admin(), grid_->data_dir(), kGenome, 4);
    ASSERT_GT(sequence_, 0);
    ASSERT_NE(grid_->StartProcess({kWorker, "--coordinator", grid_->address(), "--data",
                                   grid_->dir() + "/worker", "--threads", "1", "--name", "honest",
                                   "--fake-render", "--no-idle", "--no-transfer"},
                                  "worker.log"),
              nullptr);
    ASSERT_TRUE(WaitFor(
        [&] {
          const std::optional<v1::SequenceInfo> s = Sequence();
          return s && s->state() == "done" && s->size() > 0 && !s->sha256().empty();
        },
        90))
        << grid_->Log();
    video_size_ = Sequence()->size();
  }

  std::optional<v1::SequenceInfo> Sequence() {
    std::optional<v1::StatusResponse> status = AdminStatus(grid_->admin(), grid_->data_dir());
    if (!status) return std::nullopt;
    for (const v1::SequenceInfo& s : status->sequences()) {
      if (s.id() == sequence_) return s;
    }
    return std::nullopt;
  }

  std::unique_ptr<HostileGrid> grid_;
  int64_t sequence_ = 0;
  uint64_t video_size_ = 0;
};

TEST_F(HttpAttackTest, SixHundredSlowClientsDoNotStopAFreshOne) {
  StartGrid(false);
  // 600 connections from three addresses, each sending a header line every
  // two seconds and never finishing its request.
  std::vector<int> slow;
  for (int i = 0; i < 600; ++i) {
    const int fd = ConnectLoopback(grid_->http_port(), "127.0.0." + std::to_string(2 + i % 3));
    if (fd < 0) continue;
    fcntl(fd, F_SETFL, O_NONBLOCK);
    send(fd, "GET /healthz HTTP/1.1\r\n", 23, MSG_NOSIGNAL);
    slow.push_back(fd);
  }
  EXPECT_GE(slow.size(), 500u);
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    for (int round = 0; !done; ++round) {
      const std::string line = "X-Slow-" + std::to_string(round) + ": 1\r\n";
      for (int fd : slow) send(fd, line.data(), line.size(), MSG_NOSIGNAL);
      for (int t = 0; t < 20 && !done; ++t)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  std::this_thread::sleep_for(std::chrono::seconds(3));  // a trickle or two in
  // A fresh client from another address is answered within a bounded wait.
  int healthz = 0, status_json = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    std::optional<std::string> h =
        RawHttp(grid_->http_port(), Get("/healthz"), 3, 1 << 20, "127.0.0.9");
    std::optional<std::string> s =
        RawHttp(grid_->http_port(), Get("/status.json"), 3, 1 << 20, "127.0.0.9");
    healthz = h ? HttpStatusOf(*h) : 0;
    status_json = s ? HttpStatusOf(*s) : 0;
    std::printf("fresh client with %zu slow connections open: /healthz %d, /status.json %d\n",
                slow.size(), healthz, status_json);
    if (healthz == 200 && status_json == 200) break;
  }
  done = true;
  trickle.join();
  for (int fd : slow) close(fd);
  EXPECT_EQ(healthz, 200);
  EXPECT_EQ(status_json, 200);
}

TEST_F(HttpAttackTest, AFloodOfHeaderLinesIsRefusedWithMemoryBounded) {
  StartGrid(false);
  const int64_t before_kb = grid_->PeakRssKb();
  const int fd = ConnectLoopback(grid_->http_port(), "127.0.0.5");
  ASSERT_GE(fd, 0);
  std::string chunk = "GET /healthz HTTP/1.1\r\nHost: x\r\n";
  std::string reply;
  size_t sent = 0;
  char buffer[16384];
  // Up to 8 MB of six-byte header lines, watching for an early answer.
  constexpr size_t kFloodBytes = 8 << 20;
  while (sent < kFloodBytes) {
    while (chunk.size() < (64 << 10)) chunk += "a: b\r\n";
    const ssize_t n = send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
    chunk.clear();
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 0) > 0) break;  // answered (or closed) before the end
  }
  send(fd, "\r\n", 2, MSG_NOSIGNAL);
  pollfd p{fd, POLLIN, 0};
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < until && poll(&p, 1, 1000) >= 0) {
    if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    reply.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  const int64_t growth_kb = grid_->PeakRssKb() - before_kb;
  const int code = HttpStatusOf(reply);
  std::printf("header flood: %zu bytes sent, answered %d, peak memory grew %lld kB\n", sent, code,
              static_cast<long long>(growth_kb));
  EXPECT_TRUE(code == 431 || code == 413 || code == 400) << reply.substr(0, 200);
  EXPECT_LT(growth_kb, 32 << 10);
  // The server is still there for others.
  std::optional<std::string> healthz = RawHttp(grid_->http_port(), Get("/healthz"));
  ASSERT_TRUE(healthz);
  EXPECT_EQ(HttpStatusOf(*healthz), 200);
}

TEST_F(HttpAttackTest, RangesAreServedOnceAndPastTheEndIs416AndAbsurdIdsAre404) {
  StartGrid(true);
  const std::string id = std::to_string(sequence_);
  ASSERT_GT(video_size_, 1000u);
  const uint64_t seed_before = Sequence()->seed_bytes_uploaded();
  // One Range header of 500 overlapping whole-file ranges.
  std::string ranges = "Range: bytes=0-";
  for (int i = 1; i < 500; ++i) ranges += ",0-";
  ranges += "\r\n";
  const size_t cap = 600 * video_size_;  // what an inflated reply would reach
  for (const std::string& path : {"/videos/" + id + ".mp4", "/sequences/" + id + ".mp4"}) {
    std::optional<std::string> reply = RawHttp(grid_->http_port(), Get(path, ranges), 20, cap);
    ASSERT_TRUE(reply) << path;
    std::printf("%s with 500 ranges: status %d, %zu bytes (the video is %llu)\n", path.c_str(),
                HttpStatusOf(*reply), reply->size(), static_cast<unsigned long long>(video_size_));
    EXPECT_TRUE(HttpStatusOf(*reply) == 200 || HttpStatusOf(*reply) == 416) << path;
    EXPECT_LE(reply->size(), video_size_ + 4096) << path;
  }
  // The web seed counts what it sent: at most one copy, not 500.
  EXPECT_TRUE(WaitFor([&] { return Sequence()->seed_bytes_uploaded() > seed_before; }, 10));
  const uint64_t seed_after = Sequence()->seed_bytes_uploaded();
  std::printf("seed_bytes_uploaded: %llu -> %llu\n", static_cast<unsigned long long>(seed_before),
              static_cast<unsigned long long>(seed_after));
  EXPECT_LE(seed_after - seed_before, video_size_);

  // One honest range still works.
  std::optional<std::string> part =
      RawHttp(grid_->http_port(), Get("/sequences/" + id + ".mp4", "Range: bytes=10-19\r\n"));
  ASSERT_TRUE(part);
  EXPECT_EQ(HttpStatusOf(*part), 206);
  EXPECT_EQ(BodyOf(*part).size(), 10u);
  EXPECT_EQ(HeaderOf(*part, "Content-Range"), "bytes 10-19/" + std::to_string(video_size_));

  // A range past the end: 416 with the size.
  const std::string size = std::to_string(video_size_);
  for (const std::string& path : {"/videos/" + id + ".mp4", "/sequences/" + id + ".mp4"}) {
    std::optional<std::string> reply =
        RawHttp(grid_->http_port(), Get(path, "Range: bytes=" + size + "-\r\n"));
    ASSERT_TRUE(reply) << path;
    EXPECT_EQ(HttpStatusOf(*reply), 416) << path << "\n" << reply->substr(0, 300);
    EXPECT_EQ(HeaderOf(*reply, "Content-Range"), "bytes */" + size) << path;
  }

  // An absurd id: 8,000 digits, or not a number.
  const std::string digits(8000, '7');
  for (const std::string& path :
       {"/videos/" + digits + ".mp4", "/sequences/" + digits + ".mp4",
        "/sequences/" + digits + ".torrent", "/sequences/" + digits + "/thumbnail.png",
        std::string("/videos/abc.mp4"), std::string("/sequences/-1.mp4")}) {
    std::optional<std::string> reply = RawHttp(grid_->http_port(), Get(path));
    ASSERT_TRUE(reply) << path.substr(0, 40);
    EXPECT_EQ(HttpStatusOf(*reply), 404) << path.substr(0, 40) << "\n" << reply->substr(0, 200);
  }
}

// A keep-alive client that reconnects when the server closes: thousands of
// announces without thousands of connections.
class AnnounceClient {
 public:
  AnnounceClient(int port, std::string source) : port_(port), source_(std::move(source)) {}
  ~AnnounceClient() {
    if (fd_ >= 0) close(fd_);
  }
  // The body of GET /announce?QUERY, or "" when no answer came.
  std::string Announce(const std::string& query) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (fd_ < 0) fd_ = ConnectLoopback(port_, source_);
      if (fd_ < 0) return "";
      const std::string request = "GET /announce?" + query + " HTTP/1.1\r\nHost: x\r\n\r\n";
      if (send(fd_, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
        std::optional<std::string> body = ReadReply();
        if (body) return *body;
      }
      close(fd_);
      fd_ = -1;
    }
    return "";
  }

 private:
  std::optional<std::string> ReadReply() {
    std::string data;
    char buffer[16384];
    for (;;) {
      const size_t end = data.find("\r\n\r\n");
      if (end != std::string::npos) {
        const std::string length = HeaderOf(data, "Content-Length");
        const size_t want = end + 4 + std::strtoull(length.c_str(), nullptr, 10);
        if (!length.empty() && data.size() >= want) {
          if (HeaderOf(data, "Connection") == "close") {
            close(fd_);
            fd_ = -1;
          }
          return data.substr(end + 4, want - end - 4);
        }
      }
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 5000) <= 0) return std::nullopt;
      const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) return std::nullopt;
      data.append(buffer, static_cast<size_t>(n));
    }
  }

  int port_;
  std::string source_;
  int fd_ = -1;
};

std::string Escaped(const std::string& bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    char escaped[4];
    std::snprintf(escaped, sizeof escaped, "%%%02X", c);
    out += escaped;
  }
  return out;
}

// The compact peers of an announce answer, as "a.b.c.d:port".
std::vector<std::string> PeersOf(const std::string& body) {
  std::vector<std::string> peers;
  const size_t at = body.find("5:peers");
  if (at == std::string::npos) return peers;
  const size_t colon = body.find(':', at + 7);
  const size_t length = std::strtoull(body.c_str() + at + 7, nullptr, 10);
  for (size_t i = colon + 1; i + 6 <= colon + 1 + length && i + 6 <= body.size(); i += 6) {
    const auto* b = reinterpret_cast<const unsigned char*>(body.data() + i);
    peers.push_back(std::to_string(b[0]) + "." + std::to_string(b[1]) + "." + std::to_string(b[2]) +
                    "." + std::to_string(b[3]) + ":" + std::to_string(b[4] << 8 | b[5]));
  }
  return peers;
}

TEST_F(HttpAttackTest, OneAddressCannotPoisonTheTracker) {
  StartGrid(true);
  std::optional<std::string> torrent =
      RawHttp(grid_->http_port(), Get("/sequences/" + std::to_string(sequence_) + ".torrent"));
  ASSERT_TRUE(torrent);
  const std::string body = BodyOf(*torrent);
  lt::error_code ec;
  lt::torrent_info info(body, ec, lt::from_span);
  ASSERT_FALSE(ec) << ec.message();
  const std::string hash = "info_hash=" + Escaped(info.info_hashes().v1.to_string());

  // A real peer (a seed) on 127.0.0.1:6000.
  AnnounceClient real(grid_->http_port(), "127.0.0.1");
  const std::string real_id = "&peer_id=-FW0100-realpeer0001";
  ASSERT_NE(real.Announce(hash + real_id + "&port=6000&left=0&event=started").find("5:peers"),
            std::string::npos);

  // One address announces ports 1..10000, each as a new peer.
  AnnounceClient attacker(grid_->http_port(), "127.0.0.66");
  for (int port = 1; port <= 10000; ++port) {
    char id[21];
    std::snprintf(id, sizeof id, "-XX0001-%012d", port);
    attacker.Announce(hash + "&peer_id=" + id + "&port=" + std::to_string(port) + "&left=100");
  }
  // A stopped from the real peer's address with another peer id, and one
  // from the attacker's address with the real peer's id.
  AnnounceClient neighbour(grid_->http_port(), "127.0.0.1");
  neighbour.Announce(hash + "&peer_id=-XX0001-neighbour001&port=6000&left=0&event=stopped");
  attacker.Announce(hash + real_id + "&port=6000&left=0&event=stopped");

  // A fresh participant asks for as many peers as it may.
  AnnounceClient fresh(grid_->http_port(), "127.0.0.77");
  const std::vector<std::string> peers = PeersOf(
      fresh.Announce(hash + "&peer_id=-FW0100-freshpeer001&port=7000&left=100&numwant=200"));
  size_t from_attacker = 0;
  bool real_listed = false;
  for (const std::string& peer : peers) {
    if (peer.rfind("127.0.0.66:", 0) == 0) ++from_attacker;
    if (peer == "127.0.0.1:6000") real_listed = true;
  }
  std::printf("tracker after 10000 announces from one address: %zu peers listed, %zu of them its\n",
              peers.size(), from_attacker);
  EXPECT_LE(from_attacker, 4u);
  EXPECT_TRUE(real_listed) << "the real peer was crowded out or removed";

  // A negative or malformed left is refused.
  for (const char* left : {"-1", "-100", "12x"}) {
    const std::string answer =
        fresh.Announce(hash + "&peer_id=-FW0100-freshpeer001&port=7000&left=" + left);
    EXPECT_NE(answer.find("failure reason"), std::string::npos) << left << ": " << answer;
  }
}

}  // namespace
}  // namespace flamegrid::testing
