// The registration proof of work (proto/shared/proof_of_work.h): a solution
// is checked with one hash, found by search, and refused when it is short of
// the difficulty.
#include "proto/shared/proof_of_work.h"

#include <gtest/gtest.h>

#include "proto/shared/digest.h"

namespace flamegrid {
namespace {

TEST(ProofOfWork, ZeroBitsCountsLeadingZerosOfTheHash) {
  // SHA-256("abc:0") in hex starts with a digit whose zero bits we count.
  const std::string hash = Sha256Hex("abc:0");
  int expected = 0;
  for (char digit : hash) {
    const int v = digit <= '9' ? digit - '0' : digit - 'a' + 10;
    if (v == 0) {
      expected += 4;
      continue;
    }
    for (int bit = 3; bit >= 0 && (v >> bit & 1) == 0; --bit) ++expected;
    break;
  }
  EXPECT_EQ(ProofOfWorkZeroBits("abc", "0"), expected);
}

TEST(ProofOfWork, ASolutionSolvesAndItsNeighboursMostlyDoNot) {
  const std::string challenge = "fg1:16:123:salt:mac";
  const std::optional<std::string> nonce = SolveChallenge(challenge, 16);
  ASSERT_TRUE(nonce.has_value());
  EXPECT_TRUE(SolvesChallenge(challenge, *nonce, 16));
  EXPECT_GE(ProofOfWorkZeroBits(challenge, *nonce), 16);
  // The same nonce for another challenge, or a harder one, almost never does.
  EXPECT_FALSE(SolvesChallenge(challenge + "x", *nonce, 16) &&
               SolvesChallenge(challenge + "y", *nonce, 16));
  EXPECT_FALSE(SolvesChallenge(challenge, "not-searched", 24));
  EXPECT_TRUE(SolvesChallenge(challenge, "anything", 0));
}

TEST(ProofOfWork, TooHardOrStoppedGivesUp) {
  EXPECT_FALSE(SolveChallenge("c", kMaxProofOfWorkBits + 1).has_value());
  std::atomic<bool> stop{true};
  EXPECT_FALSE(SolveChallenge("c", 28, &stop).has_value());
}

}  // namespace
}  // namespace flamegrid
