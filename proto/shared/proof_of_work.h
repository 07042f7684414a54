// Proof of work for registration (hashcash): the coordinator hands out a
// challenge string and a difficulty in bits; the worker searches a nonce
// whose SHA-256(challenge ":" nonce) starts with that many zero bits. One
// hash checks a solution; finding one takes about 2^bits hashes, so the
// operator prices an identity in CPU time. Both ends share these functions.
//
// Stateless functions; safe from any thread.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <string_view>

namespace flamegrid {

// Above this, a puzzle would take a volunteer's machine hours.
inline constexpr int kMaxProofOfWorkBits = 30;

// The number of leading zero bits of SHA-256(challenge ":" nonce).
int ProofOfWorkZeroBits(std::string_view challenge, std::string_view nonce);

// Whether `nonce` solves `challenge` at `bits` of difficulty (bits <= 0: any
// nonce does).
bool SolvesChallenge(std::string_view challenge, std::string_view nonce, int bits);

// The first decimal nonce (0, 1, 2, ...) that solves `challenge` at `bits`;
// nullopt when `bits` is above kMaxProofOfWorkBits or `stop` (may be null)
// became true.
std::optional<std::string> SolveChallenge(std::string_view challenge, int bits,
                                          const std::atomic<bool>* stop = nullptr);

}  // namespace flamegrid
