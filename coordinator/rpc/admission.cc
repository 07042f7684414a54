#include "coordinator/rpc/admission.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <vector>

#include "proto/shared/address.h"
#include "proto/shared/digest.h"
#include "proto/shared/proof_of_work.h"
#include "renderer/base/parse_number.h"

namespace flamegrid::coordinator {
namespace {

constexpr std::string_view kChallengeVersion = "fg1";
// Newcomers share this bucket while the table is full of live ones.
constexpr const char* kOverflowKey = "(overflow)";

// gRPC percent-encodes some characters of its peer text ("%5B::1%5D").
std::string PercentDecoded(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      Result<uint64_t> byte = ParseHexUint64(text.substr(i + 1, 2));
      if (byte.ok()) {
        out += static_cast<char>(*byte);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

PeerAddress V4Peer(const in_addr& address) {
  PeerAddress peer;
  char text[INET_ADDRSTRLEN];
  inet_ntop(AF_INET, &address, text, sizeof text);
  peer.address = text;
  const uint32_t host = ntohl(address.s_addr);
  peer.loopback = (host >> 24) == 127;
  peer.group = NetworkOf(peer.address);
  return peer;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const size_t at = text.find(separator);
    parts.push_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

int64_t SecondsUp(int64_t ms) { return std::max<int64_t>(1, (ms + 999) / 1000); }

}  // namespace

PeerAddress ParsePeer(std::string_view grpc_peer) {
  const std::string text = PercentDecoded(grpc_peer);
  std::string_view rest = text;
  if (rest.rfind("ipv4:", 0) == 0) {
    rest.remove_prefix(5);
    const std::string host(rest.substr(0, rest.rfind(':')));
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return V4Peer(v4);
  } else if (rest.rfind("ipv6:", 0) == 0) {
    rest.remove_prefix(5);
    if (!rest.empty() && rest.front() == '[') rest.remove_prefix(1);
    std::string host(rest.substr(0, rest.find(']')));
    host = host.substr(0, host.find('%'));  // a zone ("fe80::1%eth0")
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
      if (IN6_IS_ADDR_V4MAPPED(&v6)) {
        in_addr v4{};
        std::copy(v6.s6_addr + 12, v6.s6_addr + 16, reinterpret_cast<unsigned char*>(&v4));
        return V4Peer(v4);
      }
      PeerAddress peer;
      char out[INET6_ADDRSTRLEN];
      inet_ntop(AF_INET6, &v6, out, sizeof out);
      peer.address = out;
      peer.loopback = IN6_IS_ADDR_LOOPBACK(&v6);
      peer.group = NetworkOf(peer.address);
      return peer;
    }
  }
  // A Unix socket is this machine; anything else unreadable is its own group.
  PeerAddress peer;
  peer.address = text;
  peer.group = text;
  peer.loopback = text.rfind("unix:", 0) == 0;
  return peer;
}

RateLimiter::RateLimiter(double burst, double per_minute, size_t max_keys)
    : burst_(std::max(1.0, burst)),
      per_ms_(std::max(1e-9, per_minute / 60'000.0)),
      max_keys_(std::max<size_t>(1, max_keys)) {}

double RateLimiter::Refilled(const Bucket& bucket, int64_t now_ms) const {
  const double elapsed = static_cast<double>(std::max<int64_t>(0, now_ms - bucket.updated_ms));
  return std::min(burst_, bucket.tokens + elapsed * per_ms_);
}

void RateLimiter::ForgetFull(int64_t now_ms) {
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = Refilled(it->second, now_ms) >= burst_ ? buckets_.erase(it) : std::next(it);
  }
}

int64_t RateLimiter::Take(const std::string& key, int64_t now_ms) {
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    // A sweep only when the table is full: amortised over the keys it frees.
    if (buckets_.size() >= max_keys_) ForgetFull(now_ms);
    const std::string slot = buckets_.size() >= max_keys_ ? std::string(kOverflowKey) : key;
    it = buckets_.try_emplace(slot, Bucket{burst_, now_ms}).first;
  }
  Bucket& bucket = it->second;
  bucket.tokens = Refilled(bucket, now_ms);
  bucket.updated_ms = now_ms;
  // Fractions of a token come from sums of rates; a hair short is a token.
  constexpr double kSlack = 1e-6;
  if (bucket.tokens >= 1.0 - kSlack) {
    bucket.tokens = std::max(0.0, bucket.tokens - 1.0);
    return 0;
  }
  return std::max<int64_t>(
      1, static_cast<int64_t>(std::ceil((1.0 - bucket.tokens) / per_ms_ - kSlack)));
}

Result<std::unique_ptr<Admission>> Admission::Create(AdmissionOptions options, Env* env) {
  FG_ASSIGN_OR_RETURN(std::string secret, RandomHex(32));
  return std::unique_ptr<Admission>(new Admission(options, env, std::move(secret)));
}

Admission::Admission(AdmissionOptions options, Env* env, std::string secret)
    : options_(options),
      env_(env),
      secret_(std::move(secret)),
      limiter_(options.register_burst, options.register_per_minute, options.max_tracked_groups) {}

int Admission::BitsFor(std::string_view peer) const {
  return ParsePeer(peer).loopback ? options_.pow_bits_loopback : options_.pow_bits;
}

std::string Admission::Mac(std::string_view signed_part) const {
  return HmacSha256Hex(secret_, signed_part);
}

Result<RegisterChallenge> Admission::Challenge(std::string_view peer) {
  RegisterChallenge out;
  out.bits = BitsFor(peer);
  if (out.bits <= 0) return out;
  FG_ASSIGN_OR_RETURN(const std::string salt, RandomHex(12));
  out.expires_ms = env_->NowMs() + options_.challenge_ttl_ms;
  const std::string signed_part = std::string(kChallengeVersion) + ":" + std::to_string(out.bits) +
                                  ":" + std::to_string(out.expires_ms) + ":" + salt;
  out.challenge = signed_part + ":" + Mac(signed_part);
  return out;
}

Status Admission::CheckProof(std::string_view challenge, std::string_view nonce, int bits,
                             int64_t now) {
  if (challenge.empty()) {
    return Status::FailedPrecondition(
        "proof of work required: ask RegisterChallenge for a puzzle (" + std::to_string(bits) +
        " bits) and register with its solution");
  }
  const std::vector<std::string_view> parts = Split(challenge, ':');
  const auto invalid = [](const std::string& why) {
    return Status::FailedPrecondition("proof of work invalid: " + why);
  };
  if (parts.size() != 5 || parts[0] != kChallengeVersion || challenge.size() > 200) {
    return invalid("not a challenge of this coordinator");
  }
  const std::string_view signed_part = challenge.substr(0, challenge.rfind(':'));
  if (!ConstantTimeEquals(Mac(signed_part), parts[4])) {
    return invalid("the challenge was not issued by this coordinator");
  }
  Result<int> challenge_bits = ParseInt(parts[1]);
  Result<int64_t> expires = ParseInt64(parts[2]);
  if (!challenge_bits.ok() || !expires.ok()) return invalid("a malformed challenge");
  if (*expires < now) return invalid("the challenge expired; ask for a new one");
  if (*challenge_bits < bits) {
    return invalid("the challenge asks " + std::to_string(*challenge_bits) + " bits, " +
                   std::to_string(bits) + " are required now");
  }
  if (nonce.size() > 64 || !SolvesChallenge(challenge, nonce, *challenge_bits)) {
    return invalid("the nonce does not solve the challenge");
  }
  if (spent_.count(std::string(challenge)) != 0) {
    return invalid("the challenge was used already; ask for a new one");
  }
  if (spent_.size() >= options_.max_spent_challenges) {
    for (auto it = spent_.begin(); it != spent_.end();) {
      it = it->second < now ? spent_.erase(it) : std::next(it);
    }
  }
  if (spent_.size() >= options_.max_spent_challenges) {
    return Status::ResourceExhausted("too many registrations in the last " +
                                     std::to_string(SecondsUp(options_.challenge_ttl_ms)) +
                                     " s; retry after " +
                                     std::to_string(SecondsUp(options_.challenge_ttl_ms)) + " s");
  }
  return Status::Ok();
}

Status Admission::Admit(std::string_view peer, std::string_view challenge, std::string_view nonce) {
  const PeerAddress from = ParsePeer(peer);
  const int bits = from.loopback ? options_.pow_bits_loopback : options_.pow_bits;
  const int64_t now = env_->NowMs();
  std::lock_guard lock(mu_);
  // The proof first: refusing a bad one costs a hash and no token.
  if (bits > 0) FG_RETURN_IF_ERROR(CheckProof(challenge, nonce, bits, now));
  if (const int64_t wait = limiter_.Take(from.group, now); wait > 0) {
    return Status::ResourceExhausted("too many registrations from " + from.group +
                                     "; retry after " + std::to_string(SecondsUp(wait)) + " s");
  }
  if (bits > 0) {
    const Result<int64_t> expires = ParseInt64(Split(challenge, ':')[2]);
    spent_[std::string(challenge)] = expires.ok() ? *expires : now;
  }
  return Status::Ok();
}

}  // namespace flamegrid::coordinator
