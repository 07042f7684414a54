// The harness itself: the coordinator it starts answers, its memory can be
// read, and raw HTTP reaches it; the ports it picks are the test's alone.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include "tests/security/hostile_grid.h"

namespace flamegrid::testing {
namespace {

TEST(SecurityHarness, StartsACoordinatorItCanMeasureAndReach) {
  HostileGrid grid("security_harness");
  ASSERT_TRUE(grid.Start()) << grid.Log();
  EXPECT_GT(grid.PeakRssKb(), 0);
  EXPECT_GE(grid.PeakRssKb(), grid.RssKb());
  const std::optional<std::string> reply =
      RawHttp(grid.http_port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(HttpStatusOf(*reply), 200) << *reply;
  const v1::WorkerCredentials me = RegisterWorker(grid.grid(), "harness");
  EXPECT_GT(me.worker_id(), 0);
}

// A port from the ephemeral range can be taken by any outgoing connection
// between the pick and the bind (a CI run failed so); FreePort draws from
// below it and holds a lock other test processes respect.
TEST(SecurityHarness, FreePortIsBelowTheEphemeralRangeAndReservedAgainstOtherTests) {
  int ephemeral_low = 0;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  ASSERT_GT(ephemeral_low, 11000) << "this machine's ephemeral range leaves no room below it";
  const int port = FreePort();
  EXPECT_GE(port, 10000);
  EXPECT_LT(port, ephemeral_low);
  EXPECT_TRUE(PortBindable(port));
  const std::string lock =
      (std::filesystem::temp_directory_path() / "flamegrid-test-ports" / std::to_string(port))
          .string();
  const int fd = open(lock.c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0) << lock;
  EXPECT_NE(flock(fd, LOCK_EX | LOCK_NB), 0) << "another test could take port " << port;
  close(fd);
  EXPECT_NE(FreePort(), port);
}

}  // namespace
}  // namespace flamegrid::testing
