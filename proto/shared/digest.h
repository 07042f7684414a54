// Hashes and random tokens shared by both ends of the wire: the worker hashes
// what it uploads and checks what it downloads, the coordinator checks
// uploads and hashes tokens for storage. Stateless functions over OpenSSL's
// libcrypto, safe from any thread; a Sha256Hasher belongs to one thread.
#pragma once

#include <string>
#include <string_view>

#include "renderer/base/status.h"

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace flamegrid {

// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view bytes);

// SHA-256 of data that comes in pieces (a file read a buffer at a time).
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;

  void Add(std::string_view bytes);
  // The digest of everything added, as 64 lowercase hex digits; call once.
  std::string HexDigest();

 private:
  evp_md_ctx_st* context_;
};

// HMAC-SHA-256 of `message` under `key`, as 64 lowercase hex digits.
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// `bytes` random bytes from the operating system's CSPRNG, as hex.
Result<std::string> RandomHex(int bytes);

// Compares two strings in time that does not depend on where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace flamegrid
