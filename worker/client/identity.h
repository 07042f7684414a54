// WorkerIdentity: who this worker is to its coordinator (id and token),
// kept in DATA/identity (mode 0600) so it registers once and is known across
// restarts. Plain value plus stateless load/save; not shared between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "renderer/base/status.h"

namespace flamegrid::grid {

struct WorkerIdentity {
  int64_t worker_id = 0;
  std::string token;
  std::string coordinator;  // the address it was issued by
};

// nullopt when the data folder has no identity yet.
Result<std::optional<WorkerIdentity>> LoadIdentity(const std::string& data_dir);
Status SaveIdentity(const std::string& data_dir, const WorkerIdentity& identity);

}  // namespace flamegrid::grid
