// WorkerIdentity: who this worker is to its coordinator (id and token),
// kept in DATA/identity (mode 0600) so it registers once and is known across
// restarts. Plain value plus stateless load/save through an Env; not shared
// between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "proto/shared/env.h"
#include "renderer/base/status.h"

namespace flamegrid::worker {

struct WorkerIdentity {
  int64_t worker_id = 0;
  std::string token;
  std::string coordinator;  // the address it was issued by
};

// The largest identity file LoadIdentity reads (it holds an id, a token and
// an address); a bigger one is an error, not read.
inline constexpr uint64_t kMaxIdentityBytes = 16 << 10;

// nullopt when the data folder has no identity yet.
Result<std::optional<WorkerIdentity>> LoadIdentity(const std::string& data_dir,
                                                   Env* env = Env::Default());
// Replaces DATA/identity whole and durably (SyncPolicy::kSync, mode 0600):
// when the write fails, the identity saved before is still there.
Status SaveIdentity(const std::string& data_dir, const WorkerIdentity& identity,
                    Env* env = Env::Default());

}  // namespace flamegrid::worker
