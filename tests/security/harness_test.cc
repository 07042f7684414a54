// The harness itself: the coordinator it starts answers, its memory can be
// read, and raw HTTP reaches it.
#include <gtest/gtest.h>

#include "tests/security/hostile_grid.h"

namespace flamegrid::testing {
namespace {

TEST(SecurityHarness, StartsACoordinatorItCanMeasureAndReach) {
  HostileGrid grid(::testing::TempDir() + "/security_harness");
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

}  // namespace
}  // namespace flamegrid::testing
