#include "proto/shared/proof_of_work.h"

#include <openssl/evp.h>

#include <cstdint>

namespace flamegrid {

int ProofOfWorkZeroBits(std::string_view challenge, std::string_view nonce) {
  std::string message;
  message.reserve(challenge.size() + 1 + nonce.size());
  message.append(challenge).append(":").append(nonce);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(message.data(), message.size(), digest, &length, EVP_sha256(), nullptr);
  int zeros = 0;
  for (unsigned int i = 0; i < length; ++i) {
    if (digest[i] == 0) {
      zeros += 8;
      continue;
    }
    for (int bit = 7; bit >= 0 && (digest[i] >> bit & 1) == 0; --bit) ++zeros;
    break;
  }
  return zeros;
}

bool SolvesChallenge(std::string_view challenge, std::string_view nonce, int bits) {
  return bits <= 0 || ProofOfWorkZeroBits(challenge, nonce) >= bits;
}

std::optional<std::string> SolveChallenge(std::string_view challenge, int bits,
                                          const std::atomic<bool>* stop) {
  if (bits > kMaxProofOfWorkBits) return std::nullopt;
  for (uint64_t nonce = 0;; ++nonce) {
    // Looking at the flag every 4096 tries costs nothing and stops within a
    // few milliseconds.
    if (stop != nullptr && (nonce & 4095) == 0 && stop->load()) return std::nullopt;
    std::string text = std::to_string(nonce);
    if (SolvesChallenge(challenge, text, bits)) return text;
  }
}

}  // namespace flamegrid
