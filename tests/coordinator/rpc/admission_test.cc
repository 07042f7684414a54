// The registration door (coordinator/rpc/admission.h): gRPC peers read into
// address groups, the token bucket per group with its bounded table, and the
// proof of work: required, checked, spent once, expiring; on a frozen clock.
#include "coordinator/rpc/admission.h"

#include <gtest/gtest.h>

#include "proto/shared/proof_of_work.h"
#include "tests/proto/shared/faulty_env.h"

namespace flamegrid::coordinator {
namespace {

TEST(ParsePeer, GroupsIpv4By24AndIpv6By64) {
  PeerAddress v4 = ParsePeer("ipv4:203.0.113.77:51000");
  EXPECT_EQ(v4.address, "203.0.113.77");
  EXPECT_EQ(v4.group, "203.0.113.0/24");
  EXPECT_FALSE(v4.loopback);
  EXPECT_TRUE(ParsePeer("ipv4:127.0.0.1:4000").loopback);
  EXPECT_TRUE(ParsePeer("ipv4:127.9.8.7:4000").loopback);
  PeerAddress v6 = ParsePeer("ipv6:[2001:db8:1:2:3:4:5:6]:443");
  EXPECT_EQ(v6.address, "2001:db8:1:2:3:4:5:6");
  EXPECT_EQ(v6.group, "2001:db8:1:2::/64");
  EXPECT_FALSE(v6.loopback);
  // gRPC percent-encodes the brackets; ::1 is this machine.
  EXPECT_TRUE(ParsePeer("ipv6:%5B::1%5D:7750").loopback);
  EXPECT_EQ(ParsePeer("ipv6:%5B::1%5D:7750").address, "::1");
  // A V4 address mapped into V6 is grouped as V4.
  EXPECT_EQ(ParsePeer("ipv6:[::ffff:198.51.100.9]:1").group, "198.51.100.0/24");
  EXPECT_TRUE(ParsePeer("unix:/run/flamegrid.sock").loopback);
  EXPECT_EQ(ParsePeer("garbage").group, "garbage");
}

TEST(RateLimiter, ABurstThenOneTokenPerInterval) {
  RateLimiter limiter(/*burst=*/3, /*per_minute=*/6, /*max_keys=*/100);  // a token per 10 s
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.Take("a", 0), 0) << i;
  EXPECT_EQ(limiter.Take("a", 0), 10'000);
  EXPECT_EQ(limiter.Take("a", 4'000), 6'000);
  EXPECT_EQ(limiter.Take("b", 4'000), 0);  // another key has its own bucket
  EXPECT_EQ(limiter.Take("a", 10'000), 0);
  EXPECT_GT(limiter.Take("a", 10'000), 0);
  // Refused calls take nothing: after a full interval there is a token again.
  EXPECT_EQ(limiter.Take("a", 20'000), 0);
}

TEST(RateLimiter, TheTableStaysBoundedAndNewcomersShareAnOverflowBucket) {
  RateLimiter limiter(/*burst=*/2, /*per_minute=*/60, /*max_keys=*/3);  // a token per second
  for (const char* key : {"a", "b"}) {
    EXPECT_EQ(limiter.Take(key, 0), 0);
    EXPECT_EQ(limiter.Take(key, 0), 0);
  }
  EXPECT_EQ(limiter.tracked(), 2u);
  // The table fills; from then on strangers draw on one shared bucket.
  EXPECT_EQ(limiter.Take("c", 0), 0);
  EXPECT_EQ(limiter.Take("d", 0), 0);
  EXPECT_EQ(limiter.Take("e", 0), 0);
  EXPECT_GT(limiter.Take("f", 0), 0);
  EXPECT_LE(limiter.tracked(), 4u);  // three keys and the overflow bucket
  // Buckets that filled up again are forgotten, making room.
  EXPECT_EQ(limiter.Take("g", 60'000), 0);
  EXPECT_LE(limiter.tracked(), 2u);
}

class AdmissionTest : public ::testing::Test {
 protected:
  static constexpr const char* kStranger = "ipv4:203.0.113.7:40000";
  static constexpr const char* kNeighbour = "ipv4:203.0.113.99:40001";
  static constexpr const char* kLoopback = "ipv4:127.0.0.1:40002";

  void SetUp() override { env_.SetNowMs(1'700'000'000'000); }

  std::unique_ptr<Admission> Make(AdmissionOptions options) {
    auto admission = Admission::Create(options, &env_);
    EXPECT_TRUE(admission.ok()) << admission.status().ToString();
    return std::move(*admission);
  }
  static AdmissionOptions Options(int bits) {
    AdmissionOptions options;
    options.pow_bits = bits;
    options.register_burst = 100;
    return options;
  }

  testing::FaultyEnv env_;
};

TEST_F(AdmissionTest, ProofIsRequiredOffThisMachineAndNotOnLoopbackByDefault) {
  std::unique_ptr<Admission> door = Make(Options(12));
  EXPECT_EQ(door->BitsFor(kStranger), 12);
  EXPECT_EQ(door->BitsFor(kLoopback), 0);
  EXPECT_TRUE(door->Admit(kLoopback, "", "").ok());
  const Status bare = door->Admit(kStranger, "", "");
  EXPECT_EQ(bare.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(bare.message().find("proof of work required"), std::string::npos) << bare.message();
  Result<RegisterChallenge> none = door->Challenge(kLoopback);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->challenge.empty());
  EXPECT_EQ(none->bits, 0);
}

TEST_F(AdmissionTest, ASolvedChallengeAdmitsOnceAndABadOneNever) {
  std::unique_ptr<Admission> door = Make(Options(12));
  Result<RegisterChallenge> puzzle = door->Challenge(kStranger);
  ASSERT_TRUE(puzzle.ok());
  EXPECT_EQ(puzzle->bits, 12);
  EXPECT_EQ(puzzle->expires_ms, env_.NowMs() + AdmissionOptions{}.challenge_ttl_ms);
  const std::optional<std::string> nonce = SolveChallenge(puzzle->challenge, puzzle->bits);
  ASSERT_TRUE(nonce.has_value());
  // A nonce that does not solve it.
  std::string wrong = "x";
  while (SolvesChallenge(puzzle->challenge, wrong, puzzle->bits)) wrong += "x";
  const Status unsolved = door->Admit(kStranger, puzzle->challenge, wrong);
  EXPECT_EQ(unsolved.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(unsolved.message().find("does not solve"), std::string::npos) << unsolved.message();
  // A challenge we did not issue (its difficulty lowered, the MAC kept).
  std::string forged = puzzle->challenge;
  forged.replace(forged.find(":12:"), 4, ":1:");
  EXPECT_NE(door->Admit(kStranger, forged, "0").message().find("not issued"), std::string::npos);
  EXPECT_TRUE(door->Admit(kStranger, puzzle->challenge, *nonce).ok());
  const Status replay = door->Admit(kNeighbour, puzzle->challenge, *nonce);
  EXPECT_EQ(replay.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(replay.message().find("used already"), std::string::npos) << replay.message();
}

TEST_F(AdmissionTest, AChallengeExpiresAndAnotherCoordinatorsIsRefused) {
  std::unique_ptr<Admission> door = Make(Options(8));
  std::unique_ptr<Admission> other = Make(Options(8));
  Result<RegisterChallenge> puzzle = door->Challenge(kStranger);
  ASSERT_TRUE(puzzle.ok());
  const std::string nonce = *SolveChallenge(puzzle->challenge, puzzle->bits);
  EXPECT_NE(other->Admit(kStranger, puzzle->challenge, nonce).message().find("not issued"),
            std::string::npos);
  env_.AdvanceMs(AdmissionOptions{}.challenge_ttl_ms + 1);
  const Status late = door->Admit(kStranger, puzzle->challenge, nonce);
  EXPECT_EQ(late.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(late.message().find("expired"), std::string::npos) << late.message();
}

TEST_F(AdmissionTest, AFloodFromOneGroupIsThrottledAndOthersStillRegister) {
  AdmissionOptions options;
  options.pow_bits = 0;
  options.register_burst = 5;
  options.register_per_minute = 6;
  std::unique_ptr<Admission> door = Make(options);
  int admitted = 0;
  for (int i = 0; i < 50; ++i) admitted += door->Admit(kStranger, "", "").ok() ? 1 : 0;
  EXPECT_EQ(admitted, 5);
  // The neighbour in the same /24 shares the bucket; the message says when.
  const Status refused = door->Admit(kNeighbour, "", "");
  EXPECT_EQ(refused.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(refused.message(), "too many registrations from 203.0.113.0/24; retry after 10 s");
  EXPECT_TRUE(door->Admit("ipv4:198.51.100.1:1", "", "").ok());
  env_.AdvanceMs(10'000);
  EXPECT_TRUE(door->Admit(kStranger, "", "").ok());
}

TEST_F(AdmissionTest, ABadProofTakesNoToken) {
  AdmissionOptions options = Options(8);
  options.register_burst = 1;
  std::unique_ptr<Admission> door = Make(options);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(door->Admit(kStranger, "", "").code(), StatusCode::kFailedPrecondition);
  }
  Result<RegisterChallenge> puzzle = door->Challenge(kStranger);
  ASSERT_TRUE(puzzle.ok());
  EXPECT_TRUE(
      door->Admit(kStranger, puzzle->challenge, *SolveChallenge(puzzle->challenge, puzzle->bits))
          .ok());
}

}  // namespace
}  // namespace flamegrid::coordinator
