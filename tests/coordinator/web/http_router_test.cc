// Tests for coordinator/web/http_router.h: routes by pattern (digits only
// in {}), query values, and the one reading of a Range header; and for the
// server in front of it (coordinator/web/http_server.h) on 127.0.0.1.
#include "coordinator/web/http_router.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <thread>

#include "coordinator/web/http_server.h"
#include "tests/integration/scratch_dir.h"

namespace flamegrid::coordinator {
namespace {

TEST(HttpRouter, MatchesDigitsOnlyAndAnswers404Otherwise) {
  HttpRouter router;
  router.Get("/sequences/{}.mp4", [](const HttpRequest& req, HttpResponse& res) {
    res.SetBody("video " + req.params[0], "text/plain");
  });
  router.Get("/sequences/{}/frames/{}.png", [](const HttpRequest& req, HttpResponse& res) {
    res.SetBody(req.params[0] + "/" + req.params[1], "text/plain");
  });
  auto handle = [&](const std::string& path) {
    HttpRequest req;
    req.method = "GET";
    req.path = path;
    HttpResponse res;
    router.Handle(req, res);
    return std::to_string(res.status) + " " + res.body;
  };
  EXPECT_EQ(handle("/sequences/42.mp4"), "200 video 42");
  EXPECT_EQ(handle("/sequences/4/frames/17.png"), "200 4/17");
  EXPECT_EQ(handle("/sequences/abc.mp4").substr(0, 3), "404");
  EXPECT_EQ(handle("/sequences/-1.mp4").substr(0, 3), "404");
  EXPECT_EQ(handle("/sequences/.mp4").substr(0, 3), "404");
  EXPECT_EQ(handle("/sequences/42.mp4x").substr(0, 3), "404");
  // A long id still matches; the route decides (its number does not fit).
  EXPECT_EQ(handle("/sequences/" + std::string(8000, '7') + ".mp4").substr(0, 9), "200 video");
}

TEST(HttpRouter, ReadsQueryValuesAndHeadersCaseInsensitively) {
  HttpRequest req;
  req.query = "a=1&page=%32&empty&b=x%00y";
  req.headers = {{"range", "bytes=0-1"}};
  EXPECT_EQ(req.QueryValue("page"), "2");
  EXPECT_EQ(req.QueryValue("empty"), "");
  EXPECT_EQ(req.QueryValue("b"), std::string("x\0y", 3));
  EXPECT_FALSE(req.QueryValue("c"));
  EXPECT_EQ(req.Header("Range"), "bytes=0-1");
  EXPECT_FALSE(req.Header("Host"));
}

TEST(ByteRange, ServesOneRangeAndNeverInflates) {
  using Kind = ByteRange::Kind;
  const uint64_t size = 1000;
  auto part = [&](const char* header) {
    const ByteRange r = ParseByteRange(header, size);
    return r.kind == Kind::kPart    ? std::to_string(r.offset) + "+" + std::to_string(r.length)
           : r.kind == Kind::kWhole ? "whole"
                                    : "416";
  };
  EXPECT_EQ(ParseByteRange(std::nullopt, size).kind, Kind::kWhole);
  EXPECT_EQ(part("bytes=0-99"), "0+100");
  EXPECT_EQ(part("bytes=900-"), "900+100");
  EXPECT_EQ(part("bytes=900-5000"), "900+100");
  EXPECT_EQ(part("bytes=-10"), "990+10");
  EXPECT_EQ(part("bytes=-5000"), "0+1000");
  // Several ranges (overlapping or not): the whole body once.
  EXPECT_EQ(part("bytes=0-,0-,0-"), "whole");
  EXPECT_EQ(part("bytes=0-9,20-29"), "whole");
  // Past the end, or an empty suffix: 416.
  EXPECT_EQ(part("bytes=1000-"), "416");
  EXPECT_EQ(part("bytes=5000-6000"), "416");
  EXPECT_EQ(part("bytes=-0"), "416");
  EXPECT_EQ(part(("bytes=" + std::string(8000, '9') + "-").c_str()), "416");
  // Not a range we read: ignored, the whole body.
  EXPECT_EQ(part("bytes=20-10"), "whole");
  EXPECT_EQ(part("items=0-1"), "whole");
  EXPECT_EQ(part("bytes=a-b"), "whole");
  EXPECT_EQ(part("bytes=5"), "whole");
  EXPECT_EQ(ParseByteRange("bytes=0-", 0).kind, Kind::kUnsatisfiable);
}

TEST(HttpServer, StreamsAFileRangeAndCountsOnlyWhatItSent) {
  const testing::ScratchDir scratch("http_server_file");
  const std::filesystem::path file = scratch.path() / "http_server_file.bin";
  const std::string bytes(100'000, 'v');
  std::ofstream(file, std::ios::binary) << bytes;
  std::atomic<uint64_t> sent{0};
  std::atomic<int> exchanges{0};
  HttpRouter router;
  router.Get("/file", [&](const HttpRequest& req, HttpResponse& res) {
    ServeFileRange(req, file.string(), "application/octet-stream", res, [&](uint64_t n) {
      sent += n;
      ++exchanges;
    });
  });
  router.Get("/peer", [](const HttpRequest& req, HttpResponse& res) {
    res.SetBody(req.peer_address + " " + req.query, "text/plain");
  });
  HttpServer server(std::move(router));
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  ASSERT_GT(server.port(), 0);
  httplib::Client client("127.0.0.1", server.port());
  auto wait_for_exchanges = [&](int n) {
    for (int i = 0; i < 500 && exchanges < n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return exchanges.load();
  };

  auto part = client.Get("/file", {{"Range", "bytes=100-199"}});
  ASSERT_TRUE(part);
  EXPECT_EQ(part->status, 206);
  EXPECT_EQ(part->body.size(), 100u);
  EXPECT_EQ(wait_for_exchanges(1), 1);
  EXPECT_EQ(sent, 100u);
  // HEAD sends no body, so counts nothing.
  auto head = client.Head("/file");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->get_header_value("Content-Length"), "100000");
  EXPECT_EQ(wait_for_exchanges(2), 2);
  EXPECT_EQ(sent, 100u);
  // Not GET or HEAD: 405; nothing is read or counted.
  auto post = client.Post("/file", "body", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  EXPECT_EQ(client.Get("/nothing")->status, 404);
  auto peer = client.Get("/peer?x=1");
  ASSERT_TRUE(peer);
  EXPECT_EQ(peer->body, "127.0.0.1 x=1");
  server.Stop();
  EXPECT_EQ(sent, 100u);
}

TEST(HttpServer, AClientThatGoesAwayIsCountedForWhatReachedIt) {
  const testing::ScratchDir scratch("http_server_big");
  const std::filesystem::path file = scratch.path() / "http_server_big.bin";
  constexpr uint64_t kSize = uint64_t{64} << 20;
  std::ofstream(file, std::ios::binary).close();
  std::filesystem::resize_file(file, kSize);  // sparse: no 64 MB written
  std::atomic<uint64_t> sent{0};
  std::atomic<bool> ended{false};
  HttpRouter router;
  router.Get("/big", [&](const HttpRequest& req, HttpResponse& res) {
    ServeFileRange(req, file.string(), "application/octet-stream", res, [&](uint64_t n) {
      sent = n;
      ended = true;
    });
  });
  HttpServer server(std::move(router));
  ASSERT_TRUE(server.Start("127.0.0.1", 0).ok());
  {
    httplib::Client client("127.0.0.1", server.port());
    uint64_t received = 0;
    // Reads 1 MB of the 64 MB, then hangs up.
    client.Get("/big", [&](const char*, size_t n) {
      received += n;
      return received < (1 << 20);
    });
  }
  for (int i = 0; i < 500 && !ended; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  server.Stop();
  ASSERT_TRUE(ended);
  std::printf("a client that read 1 MB of 64 MB: %llu bytes counted\n",
              static_cast<unsigned long long>(sent.load()));
  EXPECT_GT(sent, 0u);
  EXPECT_LT(sent, kSize / 2);
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace flamegrid::coordinator
