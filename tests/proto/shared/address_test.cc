#include "proto/shared/address.h"

#include <gtest/gtest.h>

namespace flamegrid {
namespace {

TEST(AddressTest, ParsesHostPortAndBracketedV6) {
  Result<HostPort> v4 = ParseHostPort("127.0.0.1:7750");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 7750);
  Result<HostPort> v6 = ParseHostPort("[::1]:0");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "[::1]");
  EXPECT_EQ(v6->port, 0);
  EXPECT_EQ(ParseHostPort(":7751")->host, "");
}

TEST(AddressTest, RefusesWhatIsNotHostPort) {
  for (const char* bad : {"localhost", "host:", "host:http", "host:65536", "host:-1", "::1:80",
                          "host:80x", "host: 80"}) {
    Result<HostPort> parsed = ParseHostPort(bad);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find("HOST:PORT"), std::string::npos);
  }
}

TEST(AddressTest, HostAndAuthorityOfUrls) {
  EXPECT_EQ(HostOf("[::1]:80"), "[::1]");
  EXPECT_EQ(HostOf("example.org"), "example.org");
  EXPECT_EQ(AuthorityOf("http://h:1/x/y"), "h:1");
  EXPECT_EQ(HttpBase("h:1/"), "http://h:1");
  EXPECT_TRUE(IsWildcardHost("0.0.0.0"));
  EXPECT_FALSE(IsWildcardHost("127.0.0.1"));
}

}  // namespace
}  // namespace flamegrid
