// Tests for coordinator/web/http_router.h: routes by pattern (digits only
// in {}), query values, and the one reading of a Range header.
#include "coordinator/web/http_router.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

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

}  // namespace
}  // namespace flamegrid::coordinator
