// Admission: the door of Register. Anyone may register, so an identity is
// priced: each source address group (an IPv4 /24, an IPv6 /64, where one
// household or one attacker usually sits) has a token bucket of
// registrations, and a peer may have to show a hashcash proof of work
// (proto/shared/proof_of_work.h) whose difficulty the operator sets, zero by
// default for loopback peers. Challenges are stateless: "fg1:BITS:EXPIRY:SALT:
// MAC", the MAC an HMAC-SHA-256 under a secret drawn at start, so issuing one
// costs no memory; a solved challenge is spent once (a bounded replay set
// that forgets challenges once they expire).
//
// Also the reading of gRPC's peer text ("ipv4:1.2.3.4:5678") into an
// address and its group, which the vote rules use too.
//
// Owned by the Coordinator (coordinator/service); GridService calls it from
// gRPC's threads. Thread-safe: one mutex guards the bucket table and the
// replay set.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "proto/shared/env.h"
#include "renderer/base/status.h"

namespace flamegrid::coordinator {

struct AdmissionOptions {
  // Registrations an address group may make at once, and how fast its
  // allowance comes back. A lab of 30 machines behind one address registers
  // at once; a flood gets 6 a minute.
  double register_burst = 30;
  double register_per_minute = 6;
  // Proof-of-work difficulty for peers off this machine, and for loopback
  // peers (127.0.0.0/8, ::1). 20 bits: about a million hashes, a second of
  // a volunteer's CPU once per identity.
  int pow_bits = 20;
  int pow_bits_loopback = 0;
  int64_t challenge_ttl_ms = 120'000;
  // Bounds on memory whatever the number of addresses: the bucket table (a
  // full one shares one overflow bucket among newcomers) and the replay set.
  size_t max_tracked_groups = 65'536;
  size_t max_spent_challenges = 100'000;
};

// A gRPC peer ("ipv4:1.2.3.4:5678", "ipv6:[::1]:5678", "unix:...") as the
// rules see it: the address, whether it is this machine, and its group
// ("1.2.3.0/24", "2001:db8:1:2::/64"; the address itself when it is neither).
struct PeerAddress {
  std::string address;
  bool loopback = false;
  std::string group;
};
PeerAddress ParsePeer(std::string_view grpc_peer);

// Token buckets keyed by a string, at most `max_keys` of them: a key whose
// bucket has filled up again is forgotten (a missing key is a full bucket);
// when the table is full of live buckets, newcomers share one overflow
// bucket. Not thread-safe (Admission guards it).
class RateLimiter {
 public:
  RateLimiter(double burst, double per_minute, size_t max_keys);
  // 0 when a token was taken; else the milliseconds until one will be there.
  int64_t Take(const std::string& key, int64_t now_ms);
  size_t tracked() const { return buckets_.size(); }

 private:
  struct Bucket {
    double tokens = 0;
    int64_t updated_ms = 0;
  };
  double Refilled(const Bucket& bucket, int64_t now_ms) const;
  void ForgetFull(int64_t now_ms);

  double burst_;
  double per_ms_;
  size_t max_keys_;
  std::unordered_map<std::string, Bucket> buckets_;
};

struct RegisterChallenge {
  std::string challenge;  // empty when no proof is asked of this peer
  int bits = 0;
  int64_t expires_ms = 0;
};

class Admission {
 public:
  // `env` (the clock) must outlive the admission. Fails only when the
  // system's random source does (the secret).
  static Result<std::unique_ptr<Admission>> Create(AdmissionOptions options, Env* env);

  // The difficulty asked of `peer` (the gRPC peer text).
  int BitsFor(std::string_view peer) const;
  // A fresh challenge for `peer` (none when it needs no proof).
  Result<RegisterChallenge> Challenge(std::string_view peer);
  // OK: `peer` may register now (its proof, when one is needed, is spent and
  // a registration counted against its group). FailedPrecondition when the
  // proof is missing or invalid, ResourceExhausted when the group registered
  // too often ("retry after N s").
  Status Admit(std::string_view peer, std::string_view challenge, std::string_view nonce);

 private:
  Admission(AdmissionOptions options, Env* env, std::string secret);
  // The MAC of a challenge's signed part ("fg1:BITS:EXPIRY:SALT").
  std::string Mac(std::string_view signed_part) const;
  // Requires mu_. OK when `challenge` is ours, unexpired, unspent, at least
  // `bits` hard and solved by `nonce`.
  Status CheckProof(std::string_view challenge, std::string_view nonce, int bits, int64_t now);

  AdmissionOptions options_;
  Env* env_;
  const std::string secret_;
  std::mutex mu_;  // guards below
  RateLimiter limiter_;
  std::unordered_map<std::string, int64_t> spent_;  // challenge -> its expiry
};

}  // namespace flamegrid::coordinator
