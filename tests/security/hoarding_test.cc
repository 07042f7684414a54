// Lease hoarding: one identity (declaring many threads) calls LeaseJob in a
// loop and heartbeats everything it got. It must hold at most its cap of
// leases (--max-leases-per-worker, default 8) while an honest
// flamegrid-worker process still gets jobs, and heartbeats must not keep a
// lease past --lease-max-seconds. On main before the fix the loop took all
// 40 jobs of a sequence and heartbeats kept them alive indefinitely.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "tests/security/hostile_worker.h"

namespace flamegrid::testing {
namespace {

constexpr int kFrames = 40;
constexpr int kLeaseCalls = 200;
constexpr int kDefaultCap = 8;

// Registers the hoarder, declaring far more threads than the cap.
v1::WorkerCredentials RegisterHoarder(HostileGrid& grid) {
  v1::RegisterRequest request;
  request.set_name("hoarder");
  request.set_threads(1000);
  v1::RegisterResponse registered;
  grpc::ClientContext context;
  EXPECT_TRUE(grid.grid().Register(&context, request, &registered).ok());
  v1::WorkerCredentials hoarder;
  hoarder.set_worker_id(registered.worker_id());
  hoarder.set_token(registered.token());
  return hoarder;
}

// Calls LeaseJob kLeaseCalls times; the leases it got.
std::set<int64_t> Hoard(HostileGrid& grid, const v1::WorkerCredentials& hoarder) {
  std::set<int64_t> leases;
  for (int call = 0; call < kLeaseCalls; ++call) {
    LeaseAnswer lease = TryLease(grid.grid(), hoarder);
    if (lease.status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) continue;
    EXPECT_TRUE(lease.status.ok()) << lease.status.error_message();
    if (lease.response.job_available()) leases.insert(lease.response.job().lease_id());
  }
  return leases;
}

TEST(Hoarding, OneIdentityLoopingLeaseJobGetsAtMostItsCapWhileAnHonestWorkerGetsJobs) {
  HostileGrid grid("security_hoarding_cap");
  // Defaults (cap, rate); a short replica wait so the honest worker's lone
  // frames are settled while the test watches.
  ASSERT_TRUE(grid.Start({"--replica-wait-seconds", "1"})) << grid.Log();
  const int64_t sequence = SubmitLoop(grid.admin(), grid.data_dir(), kTestGenome, kFrames);
  ASSERT_GT(sequence, 0);
  const v1::WorkerCredentials hoarder = RegisterHoarder(grid);
  const std::set<int64_t> leases = Hoard(grid, hoarder);
  RecordProperty("leases_hoarded", static_cast<int>(leases.size()));
  EXPECT_LE(static_cast<int>(leases.size()), kDefaultCap) << "of " << kFrames << " jobs";
  EXPECT_GT(leases.size(), 0u);

  // An honest worker starts while the hoarder holds its leases.
  ASSERT_NE(StartHonestWorker(grid, "honest"), nullptr);
  int honest_frames = 0;
  EXPECT_TRUE(WaitFor(
      [&] {
        std::optional<v1::WorkerInfo> honest = WorkerNamed(grid, "honest");
        honest_frames = honest ? static_cast<int>(honest->valid_results()) : 0;
        return honest_frames >= 3;
      },
      30))
      << "the honest worker got " << honest_frames << " frames accepted\n"
      << grid.Log();
  RecordProperty("honest_frames_accepted", honest_frames);
}

TEST(Hoarding, HeartbeatsCannotKeepLeasesPastTheirLongestLife) {
  HostileGrid grid("security_hoarding_life");
  ASSERT_TRUE(grid.Start({"--lease-seconds", "2", "--lease-max-seconds", "4"})) << grid.Log();
  const int64_t sequence = SubmitLoop(grid.admin(), grid.data_dir(), kTestGenome, kFrames);
  ASSERT_GT(sequence, 0);
  const v1::WorkerCredentials hoarder = RegisterHoarder(grid);
  const std::set<int64_t> leases = Hoard(grid, hoarder);
  ASSERT_GT(leases.size(), 0u);
  // Heartbeat every lease twice a lease period for twice the longest life.
  const auto start = std::chrono::steady_clock::now();
  int alive_past_longest_life = 0;
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(8)) {
    const bool past = std::chrono::steady_clock::now() - start > std::chrono::seconds(5);
    for (int64_t lease : leases) {
      if (Heartbeat(grid.grid(), hoarder, lease).ok() && past) ++alive_past_longest_life;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  RecordProperty("heartbeats_accepted_past_longest_life", alive_past_longest_life);
  EXPECT_EQ(alive_past_longest_life, 0) << "heartbeats kept leases past --lease-max-seconds";
  // The lapsed leases' jobs are free again: someone else may lease them.
  const v1::WorkerCredentials other = RegisterWorker(grid.grid(), "other");
  EXPECT_TRUE(TryLease(grid.grid(), other).response.job_available());
}

}  // namespace
}  // namespace flamegrid::testing
