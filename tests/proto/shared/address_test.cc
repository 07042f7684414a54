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
// The grid's rules (registration, votes, validation) group addresses by
// network: IPv4 /24, IPv6 /64, IPv4-mapped IPv6 as IPv4.
TEST(NetworkOf, GroupsIpv4BySlash24AndIpv6BySlash64) {
  EXPECT_EQ(NetworkOf("203.0.113.77"), "203.0.113.0/24");
  EXPECT_EQ(NetworkOf("::ffff:203.0.113.77"), "203.0.113.0/24");
  EXPECT_EQ(NetworkOf("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  EXPECT_EQ(NetworkOf("unix:/run/x.sock"), "unix:/run/x.sock");  // its own group
}

}  // namespace flamegrid
