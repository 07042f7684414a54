// Hashes and random tokens shared by both ends of the wire: the worker hashes
// what it uploads, the coordinator checks it and hashes tokens for storage.
// Stateless functions over OpenSSL's libcrypto; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "renderer/base/status.h"

namespace flamegrid {

// SHA-256 of `bytes` as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view bytes);

// `bytes` random bytes from the operating system's CSPRNG, as hex.
Result<std::string> RandomHex(int bytes);

// Compares two strings in time that does not depend on where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace flamegrid
